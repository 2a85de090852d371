"""The gongshi-local process: start on a free port of 127.0.0.1, wait until the API answers,
kill -9, graceful stop, restart on the same data directory; the practitioner import; its log
scanned for panics; where the binary is; the tools' work directory."""

import contextlib
import ctypes
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from .client import HOST
from .fixtures import SEED_PASSWORD

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gateway_env():
    env = dict(os.environ)
    env["GONGSHI_SEED_PASSWORD"] = SEED_PASSWORD
    # All load comes from 127.0.0.1: the per-address limit on wrong logins (50 a day) would
    # turn the mixed traffic's bad logins, and then every login, into 429 after a minute.
    env.setdefault("GONGSHI_LOGIN_ADDRESS_FAILURES_PER_DAY", "1000000")
    # Likewise the day's registration drafts per address (20).
    env.setdefault("GONGSHI_DRAFTS_PER_ADDRESS_PER_DAY", "1000000")
    env.setdefault("RUST_LOG", "warn")
    return env


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def resolve_binary(prog):
    """GONGSHI_LOCAL_BIN, or else target/debug/gongshi-local built first (scripts/lib.sh's
    build_gateway); exits 2 when there is no executable there."""
    binary = os.environ.get("GONGSHI_LOCAL_BIN")
    if not binary:
        lib = os.path.join(SCRIPTS, "lib.sh")
        built = subprocess.run(["bash", "-c", 'source "$1" && build_gateway >&2 && printf %s "$GATEWAY_BIN"', "_", lib],
                               stdout=subprocess.PIPE, text=True)
        if built.returncode != 0:
            sys.exit(built.returncode)
        binary = built.stdout
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"{prog}: no gateway binary at {binary}", file=sys.stderr)
        sys.exit(2)
    return binary


@contextlib.contextmanager
def work_dir(prefix, keep=False):
    """A fresh directory under $TMPDIR, removed at the end unless `keep`."""
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        if keep:
            print(f"work directory kept: {path}", flush=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def import_registry(binary, data_dir, csv_path, log_path):
    with open(log_path, "ab") as out:
        done = subprocess.run(
            [binary, "--import-practitioners", csv_path, "--data-dir", data_dir],
            stdout=out, stderr=subprocess.STDOUT, timeout=300, env=gateway_env(),
        )
    if done.returncode != 0:
        raise RuntimeError(f"import failed ({done.returncode}); see {log_path}")


def _die_with_parent():
    # PR_SET_PDEATHSIG: the gateway gets SIGKILL if this script dies without cleaning up.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


class Gateway:
    """One gongshi-local process on a data directory; restartable on the same directory."""

    def __init__(self, binary, data_dir, log_path, pid_file=None):
        self.binary, self.data_dir, self.log_path, self.pid_file = binary, data_dir, log_path, pid_file
        self.port = free_port()
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=60):
        """Starts and waits until the API answers; returns the seconds it took."""
        started = time.monotonic()
        for _attempt in range(3):
            with open(self.log_path, "ab") as out:
                out.write(f"\n==== start on {HOST}:{self.port} at {time.strftime('%H:%M:%S')}\n".encode())
                out.flush()
                self.proc = subprocess.Popen(
                    [self.binary, "--listen", f"{HOST}:{self.port}", "--data-dir", self.data_dir],
                    stdout=out, stderr=subprocess.STDOUT, env=gateway_env(), preexec_fn=_die_with_parent,
                )
            if self.pid_file:
                with open(self.pid_file, "w") as f:
                    f.write(str(self.proc.pid))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                    conn.request("GET", "/api/v1/health/ready")
                    status = conn.getresponse().status
                    conn.close()
                    if status == 200:
                        return time.monotonic() - started
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"gateway did not answer within {timeout} s; see {self.log_path}")
            # Exited at once: most likely the port was taken meanwhile; try another one.
            self.port = free_port()
        raise RuntimeError(f"gateway exited at start (code {self.proc.returncode}); see {self.log_path}")

    def proc_status(self):
        """VmRSS (kB) and thread count of the gateway, or (None, None)."""
        rss = threads = None
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads = int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return rss, threads

    def rss_kb(self):
        return self.proc_status()[0]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=30)

    def stop(self):
        """SIGTERM (graceful shutdown), then SIGKILL after 10 s."""
        if not self.proc:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.pid_file and os.path.exists(self.pid_file):
            os.remove(self.pid_file)


def scan_log(path, max_examples=5):
    """Panics and ERROR lines in the gateway's log: (panic count, error count, examples)."""
    panics = errors = 0
    examples = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                plain = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
                hit = False
                if "panicked" in plain:
                    panics += 1
                    hit = True
                elif re.search(r"\bERROR\b", plain):
                    errors += 1
                    hit = True
                if hit and len(examples) < max_examples:
                    examples.append(plain[:300])
    except OSError:
        pass
    return panics, errors, examples


def install_signal_handlers():
    """SIGTERM/SIGINT/SIGHUP become KeyboardInterrupt so `finally` blocks stop the gateway."""

    def interrupt(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, interrupt)
