"""Gateway throughput (issue #7): an authenticated read (the unit's application list) and the
person search, on embedded storage with a registry of N practitioners, against a bare axum
hello-world on the same machine in the same run, with wrk at the same concurrency.

    python3 -m gongshi_load.throughput GATEWAY HELLO PEOPLE SECONDS CONNECTIONS

Prints one line per target: `throughput target=… rps=… p99_ms=… errors=…` and the ratio to
the hello-world. Only 127.0.0.1 is used; every run is bounded by SECONDS."""

import os
import re
import subprocess
import sys
import time

from . import fixtures as F
from .client import Client, expect, q
from .gateway import Gateway, free_port, import_registry, work_dir


def parse_wrk(out):
    """(requests/s, p99 in ms, errors: non-2xx/3xx answers plus socket errors) from wrk --latency."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(int(g) for g in socket.groups()) if socket else 0)
    return rps, float(p99.group(1)) * scale, errors


def wrk(url, seconds, connections, token=None):
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"wrk only against 127.0.0.1: {url}")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return parse_wrk(out)


def result_line(name, rps, p99, errors, baseline):
    return f"throughput target={name!r} rps={rps:.0f} p99_ms={p99:.2f} errors={errors} ratio={rps / baseline:.2f}"


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    gateway_bin, hello_bin, people, seconds, connections = args[0], args[1], int(args[2]), int(args[3]), int(args[4])
    with work_dir("gongshi-throughput-") as work:
        registry = F.people(people)
        csv_path = os.path.join(work, "registry.csv")
        F.write_registry(csv_path, registry)
        import_registry(gateway_bin, os.path.join(work, "data"), csv_path, os.path.join(work, "import.log"))
        gateway = Gateway(gateway_bin, os.path.join(work, "data"), os.path.join(work, "gateway.log"))
        hello_port = free_port()
        hello = subprocess.Popen([hello_bin, f"127.0.0.1:{hello_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            gateway.start()
            c = Client(gateway.port)
            token = F.approved_unit(c, "benchunit", F.uscc(1))
            ready = [p for p in registry if p.kind == "ready"][:10]
            for person in ready:
                F.register_mobile(c, person)
                expect(c.call("POST", "/api/v1/unit/applications", token, F.application_input(person)), 201, what="submit")
            c.close()
            searched = ready[0]
            targets = [
                ("hello-world (axum, bare)", f"http://127.0.0.1:{hello_port}/", None),
                ("GET /api/v1/unit/applications", f"http://127.0.0.1:{gateway.port}/api/v1/unit/applications", token),
                ("GET /api/v1/unit/practitioners/search", f"http://127.0.0.1:{gateway.port}/api/v1/unit/practitioners/search?"
                 + q(id_number=searched.id_number, name=searched.name), token),
            ]
            time.sleep(1)
            baseline = None
            for name, url, bearer in targets:
                rps, p99, errors = wrk(url, seconds, connections, bearer)
                baseline = baseline or rps
                print(result_line(name, rps, p99, errors, baseline), flush=True)
        finally:
            hello.kill()
            hello.wait()
            gateway.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
