"""Cold start (issue #7): from exec of a function binary to its first request to the Lambda
Runtime API (`GET /2018-06-01/runtime/invocation/next`), against a stub of that API on
127.0.0.1, with the environment of a deployed function (the AWS clients are built as in
production: region, credentials, table, bucket, sender; nothing is called before the first
event). The stub answers nothing: the process is killed once its request has arrived.

    python3 -m gongshi_load.coldstart RUNS BINARY...

Prints `coldstart binary=NAME median_ms=… min_ms=… size_bytes=…` per binary."""
import os
import socket
import statistics
import subprocess
import sys
import time

# The CA bundle of Debian and Ubuntu, of Amazon Linux 2023 (Lambda) and Fedora, of Alpine.
BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]


def one_start(binary, env):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(10)
        env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{listener.getsockname()[1]}")
        started = time.perf_counter()
        process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            connection, _ = listener.accept()
            with connection:
                connection.settimeout(10)
                request = b""
                while b"\r\n" not in request:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                elapsed = time.perf_counter() - started
        finally:
            process.kill()
            process.wait()
    line = request.split(b"\r\n", 1)[0].decode(errors="replace")
    if not line.startswith("GET /2018-06-01/runtime/invocation/next"):
        raise SystemExit(f"{binary}: unexpected first request {line!r}")
    return elapsed * 1000


def result_line(binary, times_ms, size_bytes):
    """The line scripts/bench reads (gongshi_load.bench.coldstart_rows)."""
    return (f"coldstart binary={os.path.basename(binary)} median_ms={statistics.median(times_ms):.2f} "
            f"min_ms={min(times_ms):.2f} size_bytes={size_bytes}")


def main():
    runs, binaries = int(sys.argv[1]), sys.argv[2:]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_LAMBDA_FUNCTION_NAME": "coldstart",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "TABLE_NAME": "gongshi",
        "UPLOADS_BUCKET": "gongshi-uploads",
        "MAIL_SENDER": "noreply@gongshi.example.cn",
        "GONGSHI_JWT_SECRET": "coldstart-benchmark-secret-0123456789abcdef",
        "RUST_LOG": "info",
    }
    # As template.yaml does on Lambda: the SDK reads the system's CA bundle alone.
    bundle = next((b for b in BUNDLES if os.path.isfile(b)), None)
    if bundle:
        env["SSL_CERT_FILE"] = bundle
    for binary in binaries:
        one_start(binary, env)  # warm the page cache: a deployed binary is read once per sandbox
        times = [one_start(binary, env) for _ in range(runs)]
        print(result_line(binary, times, os.path.getsize(binary)), flush=True)


if __name__ == "__main__":
    main()
