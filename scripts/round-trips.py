"""Summarises the DynamoDB round trips the API tests logged (GONGSHI_ROUND_TRIPS_LOG):
one row per route with the requests counted, the most round trips one request cost and
the calls of that request. Used by scripts/bench."""
import collections
import sys

worst = collections.defaultdict(lambda: (0, ""))
requests = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    route, _status, count, calls = line.rstrip("\n").split("\t")
    requests[route] += 1
    if int(count) > worst[route][0] or not worst[route][1]:
        worst[route] = (int(count), calls)
print("| route | requests counted | most round trips | the calls of that request |")
print("|---|---|---|---|")
for route in sorted(worst, key=lambda r: (r.split(" ", 1)[1], r)):
    count, calls = worst[route]
    mark = "" if count <= 2 else " (over)"
    print(f"| `{route}` | {requests[route]} | {count}{mark} | {calls.replace(',', ', ')} |")
within = sum(1 for count, _ in worst.values() if count <= 2)
print(f"\n{within} of {len(worst)} routes within 2 round trips.")
