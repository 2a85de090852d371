"""Makes gongshi_load importable when pytest is run on this folder without PYTHONPATH."""

import os
import sys

SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)
sys.dont_write_bytecode = True  # no __pycache__ in the clone
