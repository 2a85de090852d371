"""Summarises the DynamoDB round trips the API tests logged (GONGSHI_ROUND_TRIPS_LOG):
one row per route with the requests counted, the most round trips one request cost and
the calls of that request. Used by scripts/bench.

    python3 -m gongshi_load.round_trips LOG

Each log line: route TAB status TAB round trips TAB calls (comma-separated) and, from
requests sent through the test app, TAB milliseconds (see gongshi_load.latency)."""

import collections
import sys

BUDGET = 2


def summarise(lines):
    """The markdown table and its closing line `N of M routes within 2 round trips.`"""
    worst = collections.defaultdict(lambda: (0, ""))
    requests = collections.Counter()
    for line in lines:
        route, _status, count, calls = line.rstrip("\n").split("\t")[:4]
        requests[route] += 1
        if int(count) > worst[route][0] or not worst[route][1]:
            worst[route] = (int(count), calls)
    out = ["| route | requests counted | most round trips | the calls of that request |", "|---|---|---|---|"]
    for route in sorted(worst, key=lambda r: (r.split(" ", 1)[1], r)):
        count, calls = worst[route]
        mark = "" if count <= BUDGET else " (over)"
        out.append(f"| `{route}` | {requests[route]} | {count}{mark} | {calls.replace(',', ', ')} |")
    within = sum(1 for count, _ in worst.values() if count <= BUDGET)
    out.append(f"\n{within} of {len(worst)} routes within {BUDGET} round trips.")
    return "\n".join(out)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    with open(args[0], encoding="utf-8") as f:
        print(summarise(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
