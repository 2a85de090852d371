"""Summarises the DynamoDB round trips the API tests logged (GONGSHI_ROUND_TRIPS_LOG):
one row per route with the requests counted, the most round trips one request cost and
the calls of that request. Used by scripts/bench.

    python3 -m gongshi_load.round_trips LOG

Each log line: route TAB status TAB round trips TAB calls (comma-separated) and, from
requests sent through the test app, TAB milliseconds (see gongshi_load.latency)."""

import collections
import sys

BUDGET = 2

# The routes whose cost grows with the rows they carry: held to a bound in their rows by the
# API tests (tests/support/round_trips.rs, LINEAR), not to BUDGET.
LINEAR = {
    "POST /api/v1/admin/practitioners/import",
    "POST /api/v1/admin/legacy-accounts/import",
    "POST /api/v1/unit/appends",
    "GET /api/v1/unit/appends",
}


def summarise(lines):
    """The markdown table and its closing line `N of M interactive routes within 2 round
    trips (K linear routes within their bound in rows).`"""
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
        mark = " (linear)" if route in LINEAR else "" if count <= BUDGET else " (over)"
        out.append(f"| `{route}` | {requests[route]} | {count}{mark} | {calls.replace(',', ', ')} |")
    interactive = {route: count for route, (count, _) in worst.items() if route not in LINEAR}
    within = sum(1 for count in interactive.values() if count <= BUDGET)
    linear = len(worst) - len(interactive)
    closing = f"\n{within} of {len(interactive)} interactive routes within {BUDGET} round trips"
    out.append(closing + (f" ({linear} linear routes within their bound in rows)." if linear else "."))
    return "\n".join(out)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    with open(args[0], encoding="utf-8") as f:
        print(summarise(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
