"""Waits until a URL on the loopback answers with success (2xx), for scripts/lib.sh's
wait_for_url:

    python3 -m gongshi_load.wait URL [SECONDS]      (default 20 s)

Exits 0 once it answers, 1 with a message when it did not within SECONDS."""

import ipaddress
import sys
import time
import urllib.parse
import urllib.request


def loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def wait(url, seconds=20.0, every=0.2):
    """True once `url` answers 2xx within `seconds` (an error status counts as not yet)."""
    if not loopback(url):
        raise ValueError(f"only loopback URLs: {url}")
    deadline = time.monotonic() + seconds
    for _ in range(int(seconds / every) + 1):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except Exception:  # noqa: BLE001 - refused, reset, timed out, an error status: not yet
            if time.monotonic() >= deadline:
                break
            time.sleep(every)
    return False


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not loopback(args[0]):
        print(f"refusing a non-loopback URL: {args[0]}", file=sys.stderr)
        return 2
    if wait(args[0], float(args[1]) if len(args) > 1 else 20.0):
        return 0
    print(f"{args[0]} did not answer", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
