"""Thread-safe request bookkeeping of the soak: counts by operation and status, latencies, and
the unexpected answers grouped by operation, status and problem code."""

import re
import threading


def answer_ok(status, expected):
    """Whether an answer is one the request may get: a status listed for it and never a 5xx;
    "conn" (no answer) and "inconsistent" (a failed check) never are."""
    return isinstance(status, int) and status in expected and status < 500


class Stats:
    def __init__(self, max_samples=30):
        self.lock = threading.Lock()
        self.by_status = {}
        self.by_op = {}
        self.latency = {}
        self.errors = 0
        self.limited = 0
        self.groups = {}
        self.max_samples = max_samples
        self.total = 0

    def record(self, op, status, seconds, ok, detail=""):
        """status: HTTP status, or "conn" for no answer. ok: the status was one this request may get."""
        with self.lock:
            self.total += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            per = self.by_op.setdefault(op, {})
            per[status] = per.get(status, 0) + 1
            if seconds is not None:
                self.latency.setdefault(op, []).append(seconds)
            if status == 429:
                self.limited += 1
            if not ok:
                self.errors += 1
                # Grouped by operation, status and problem code; the first of each kept as example.
                code = re.search(r'"code":"([a-z_]+)"', detail or "")
                signature = (op, str(status), code.group(1) if code else "")
                if signature in self.groups:
                    self.groups[signature][0] += 1
                elif len(self.groups) < self.max_samples:
                    self.groups[signature] = [1, f"{op}: {status} {detail}"[:500]]

    def percentile(self, op, p):
        values = sorted(self.latency.get(op, []))
        if not values:
            return None
        return values[min(len(values) - 1, int(p * len(values)))]

    def count(self, op, status):
        return self.by_op.get(op, {}).get(status, 0)
