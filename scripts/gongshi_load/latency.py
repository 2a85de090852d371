"""Handler latency per interactive route under DynamoDB-like latency, from the log the API
tests write (GONGSHI_ROUND_TRIPS_LOG) while the table waits before every call
(GONGSHI_TABLE_LATENCY, tests/support/latency.rs). Used by scripts/bench.

    python3 -m gongshi_load.latency LOG MEDIAN_MS P99_MS

Counts the requests answered 2xx (what the route is for; refusals stop early). The linear
routes (imports, appends) are left to their own benchmark. Prints a markdown table and a
closing line `N of M routes within p50 <= 12 ms and p99 <= 40 ms.`"""

import collections
import sys

from gongshi_load.round_trips import LINEAR

P50_BUDGET_MS = 12.0
P99_BUDGET_MS = 40.0


def percentile(sorted_values, fraction):
    """The nearest-rank percentile of already sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def summarise(lines, median_ms, p99_ms):
    """The markdown table of p50/p99 per route and its closing line."""
    times = collections.defaultdict(list)
    trips = collections.defaultdict(int)
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 5 or not fields[4]:
            continue
        route, status, count, _calls, ms = fields[:5]
        if route in LINEAR or not status.startswith("2"):
            continue
        times[route].append(float(ms))
        trips[route] = max(trips[route], int(count))
    out = [
        f"Table calls delayed by a log-normal latency with median {median_ms:g} ms and p99 {p99_ms:g} ms.",
        "",
        "| route | requests (2xx) | most round trips | p50 ms | p99 ms | within p50 ≤ 12, p99 ≤ 40 |",
        "|---|---|---|---|---|---|",
    ]
    within = 0
    for route in sorted(times, key=lambda r: (r.split(" ", 1)[1], r)):
        values = sorted(times[route])
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        ok = p50 <= P50_BUDGET_MS and p99 <= P99_BUDGET_MS
        within += ok
        out.append(f"| `{route}` | {len(values)} | {trips[route]} | {p50:.1f} | {p99:.1f} | {'yes' if ok else 'no'} |")
    out.append(f"\n{within} of {len(times)} routes within p50 ≤ {P50_BUDGET_MS:g} ms and p99 ≤ {P99_BUDGET_MS:g} ms.")
    return "\n".join(out)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    with open(args[0], encoding="utf-8") as f:
        print(summarise(f, float(args[1]), float(args[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
