"""The load, crash, soak and bench tools of scripts/, with the one client and fixture library
they share. Python 3 standard library only; every request goes to 127.0.0.1.

    client       HTTP client (keep-alive, no-answer errors), expect(), Reply
    fixtures     ID numbers and USCCs with check characters, the registry CSV, set-ups through
                 the API (login, upload, approved unit, verified practitioner mobile)
    gateway      the gongshi-local process: start, kill -9, stop, import, its log
    stats        request counts by operation and status, latencies, grouped errors
    crash_check  scripts/crash-check        soak         scripts/soak
    throughput   scripts/bench's wrk runs   coldstart    scripts/bench's cold starts
    round_trips  scripts/bench's DynamoDB round trips per route
    bench        the rest of scripts/bench's helpers (import registry, SPA size, doc tables)
    wait         scripts/lib.sh's wait_for_url

Run a tool as `python3 -m gongshi_load.NAME` with scripts/ on PYTHONPATH (the bash wrappers
do that); the tests are in tests/ (pytest; scripts/test runs them).
"""
