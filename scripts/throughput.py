"""Gateway throughput (issue #7): an authenticated read (the unit's application list) and the
person search, on embedded storage with a registry of N practitioners, against a bare axum
hello-world on the same machine in the same run, with wrk at the same concurrency.

    python3 scripts/throughput.py GATEWAY HELLO PEOPLE SECONDS CONNECTIONS

Prints one line per target: `throughput target=… rps=… p99_ms=… errors=…` and the ratio to
the hello-world. Only 127.0.0.1 is used; every run is bounded by SECONDS."""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import loadlib  # noqa: E402


def wrk(url, seconds, connections, token=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(int(g) for g in socket.groups()) if socket else 0)
    return rps, float(p99.group(1)) * scale, errors


def main():
    gateway_bin, hello_bin, people, seconds, connections = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    work = tempfile.mkdtemp(prefix="gongshi-throughput-")
    registry = loadlib.people(people)
    csv_path = os.path.join(work, "registry.csv")
    loadlib.write_registry(csv_path, registry)
    loadlib.import_registry(gateway_bin, os.path.join(work, "data"), csv_path, os.path.join(work, "import.log"))
    gateway = loadlib.Gateway(gateway_bin, os.path.join(work, "data"), os.path.join(work, "gateway.log"))
    hello_port = loadlib.free_port()
    hello = subprocess.Popen([hello_bin, f"127.0.0.1:{hello_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        gateway.start()
        c = loadlib.Client(gateway.port)
        token = loadlib.approved_unit(c, "benchunit", loadlib.uscc(1))
        ready = [p for p in registry if p.kind == "ready"][:10]
        for person in ready:
            loadlib.register_mobile(c, person)
            loadlib.expect(c.call("POST", "/api/v1/unit/applications", token, loadlib.application_input(person)), 201, what="submit")
        searched = ready[0]
        targets = [
            ("hello-world (axum, bare)", f"http://127.0.0.1:{hello_port}/", None),
            ("GET /api/v1/unit/applications", f"http://127.0.0.1:{gateway.port}/api/v1/unit/applications", token),
            ("GET /api/v1/unit/practitioners/search", f"http://127.0.0.1:{gateway.port}/api/v1/unit/practitioners/search?"
             + loadlib.q(id_number=searched.id_number, name=searched.name), token),
        ]
        time.sleep(1)
        baseline = None
        for name, url, bearer in targets:
            rps, p99, errors = wrk(url, seconds, connections, bearer)
            baseline = baseline or rps
            print(f"throughput target={name!r} rps={rps:.0f} p99_ms={p99:.2f} errors={errors} ratio={rps / baseline:.2f}", flush=True)
    finally:
        hello.kill()
        hello.wait()
        gateway.stop()
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
