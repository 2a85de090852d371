"""The latency summary of the API tests' log (gongshi_load.latency)."""

from gongshi_load import latency


def line(route, status, trips, ms):
    return f"{route}\t{status}\t{trips}\tget_many,transact\t{ms}\n"


def test_percentiles_per_route_count_only_answered_requests_and_judge_the_budget():
    log = [line("GET /api/v1/unit", 200, 2, ms) for ms in range(1, 101)]
    log += [line("GET /api/v1/unit", 403, 1, 0.1)] * 50  # refusals are not counted
    log += [line("POST /api/v1/unit/applications", 201, 4, 30.0)] * 10
    log += [line("GET /api/v1/unit/appends", 200, 200, 900.0)]  # linear: its own benchmark
    log += ["GET /api/v1/me\t200\t2\tget\t\n"]  # sent outside the test app: no time
    table = latency.summarise(log, 4, 15)
    assert "| `GET /api/v1/unit` | 100 | 2 | 50.0 | 99.0 | no |" in table
    assert "| `POST /api/v1/unit/applications` | 10 | 4 | 30.0 | 30.0 | no |" in table
    assert "appends" not in table and "/me" not in table
    assert table.endswith("0 of 2 routes within p50 ≤ 12 ms and p99 ≤ 40 ms.")


def test_a_fast_route_is_within_budget():
    table = latency.summarise([line("GET /api/v1/clauses", 200, 1, 5.0)] * 3, 4, 15)
    assert "| 5.0 | 5.0 | yes |" in table
    assert table.endswith("1 of 1 routes within p50 ≤ 12 ms and p99 ≤ 40 ms.")


def test_the_nearest_rank_percentile():
    assert latency.percentile([1, 2, 3, 4], 0.5) == 2
    assert latency.percentile([1, 2, 3, 4], 0.99) == 4
    assert latency.percentile([7], 0.99) == 7
