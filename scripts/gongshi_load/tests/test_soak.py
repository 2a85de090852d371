"""The soak's bookkeeping: options, which answers are errors, the counts, the memory rule."""

import pytest

from gongshi_load import fixtures as F
from gongshi_load import soak as S
from gongshi_load.stats import Stats, answer_ok

MIB = 1024


# -- options -----------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, parsed", [
    ([], (10.0, False, False)), (["--quick"], (10.0, True, False)), (["--minutes", "3"], (3.0, False, False)),
    (["--minutes=2.5"], (2.5, False, False)), (["-h"], (10.0, False, True)),
])
def test_options(argv, parsed):
    assert S.parse_args(argv) == parsed


@pytest.mark.parametrize("argv, message", [
    (["--minutes", "x"], "scripts/soak: --minutes needs a number"),
    (["--minutes"], "scripts/soak: --minutes needs a number"),
    (["--minutes=-1"], "scripts/soak: --minutes needs a number"),
    (["--fast"], "usage: scripts/soak [--minutes N | --quick]"),
])
def test_bad_options(argv, message):
    with pytest.raises(S.UsageError) as error:
        S.parse_args(argv)
    assert str(error.value) == message


def test_help_prints_the_description(capsys):
    assert S.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Soak test of the local gateway")
    for word in ("SOAK_WORKERS", "SOAK_KEEP", "SOAK_MALLOC_ARENA_MAX", "GONGSHI_LOCAL_BIN", "soak: PASS"):
        assert word in out
    assert S.main(["--minutes", "x"]) == 2


def test_plan():
    assert S.plan(10, True) == (40.0, 10.0, 10.0)
    assert S.plan(10, False) == (600.0, 60.0, 30.0)
    assert S.plan(0.5, False) == (60.0, 20.0, 10.0)     # at least a minute
    assert S.plan(500, False) == (7200.0, 60.0, 30.0)   # at most two hours


# -- which answers are errors ------------------------------------------------------------------------

def test_answer_ok():
    assert answer_ok(200, {200})
    assert answer_ok(429, {200, 429})
    assert not answer_ok(201, {200})
    assert not answer_ok(500, {500})          # a 5xx is never expected
    assert not answer_ok("conn", {200})
    assert not answer_ok("inconsistent", {200})


def test_stats_counts_and_groups_errors():
    s = Stats(max_samples=2)
    s.record("search", 200, 0.010, True)
    s.record("search", 200, 0.030, True)
    s.record("public_lookup", 429, 0.005, True)
    s.record("submit", 500, 0.1, False, 'POST /x -> {"code":"internal"}')
    s.record("submit", 500, 0.1, False, 'POST /x -> {"code":"internal"}')
    s.record("submit", "conn", None, False, "POST /x: reset")
    s.record("detail", 404, 0.1, False, '{"code":"not_found"}')  # a third group: beyond max_samples
    assert s.total == 7 and s.errors == 4 and s.limited == 1
    assert s.by_status == {200: 2, 429: 1, 500: 2, "conn": 1, 404: 1}
    assert s.by_op["submit"] == {500: 2, "conn": 1}
    assert s.groups[("submit", "500", "internal")][0] == 2
    assert s.groups[("submit", "conn", "")][0] == 1
    assert len(s.groups) == 2
    assert s.percentile("search", 0.5) == 0.030 and s.percentile("search", 0.0) == 0.010
    assert s.percentile("submit", 1.0) == 0.1 and s.percentile("nothing", 0.5) is None
    assert s.count("search", 200) == 2 and s.count("withdraw", 200) == 0


# -- the memory rule ------------------------------------------------------------------------------------

def test_median_window():
    samples = [(0, 100, 10, 5), (2, 300, 20, 6), (4, 200, 30, None), (6, 900, 40, 8)]
    assert S.median_window(samples, 0, 4) == (200, 20, 5)
    assert S.median_window(samples, 5, 10) == (900, 40, 8)
    assert S.median_window(samples, 7, 10) is None


def test_memory_is_flat_within_twenty_percent():
    baseline = (100 * MIB, 10 * 2**20, 10)
    flat, allowed, strict, grown = S.memory_verdict(baseline, (120 * MIB, 10 * 2**20, 10))
    assert flat and strict == 120 * MIB and allowed == strict and grown == 0
    assert not S.memory_verdict(baseline, (121 * MIB, 10 * 2**20, 10))[0]


def test_memory_rule_allows_at_least_eight_mib():
    flat, _, strict, _ = S.memory_verdict((20 * MIB, 0, 1), (28 * MIB, 0, 1))
    assert flat and strict == 28 * MIB
    assert not S.memory_verdict((20 * MIB, 0, 1), (28 * MIB + 1, 0, 1))[0]


def test_memory_rule_allows_the_growth_of_the_data_file():
    baseline = (100 * MIB, 10 * 2**20, 10)
    ending = (150 * MIB, 40 * 2**20, 10)  # +50 MiB of RSS, +30 MiB of data
    flat, allowed, strict, grown = S.memory_verdict(baseline, ending)
    assert grown == 30 * 2**20 and allowed == strict + 30 * MIB
    assert flat and ending[0] > strict
    shrunk = S.memory_verdict(baseline, (125 * MIB, 5 * 2**20, 10))  # a smaller file gives no allowance
    assert shrunk[3] == 0 and not shrunk[0]


def test_the_last_soak_figures_are_flat():
    # scripts/soak --quick before the move: baseline 138.1 MiB, end 138.1 MiB, data 9.5 → 18.6 MiB.
    flat, allowed, strict, _ = S.memory_verdict((int(138.1 * MIB), int(9.5 * 2**20), 10), (int(138.1 * MIB), int(18.6 * 2**20), 10))
    assert flat and round(strict / MIB, 1) == 165.7 and round(allowed / MIB, 1) == 174.8


# -- expected search refusals ------------------------------------------------------------------------------

def test_expected_refusals():
    lapsed, outside, ready = F.Person(9, "lapsed"), F.Person(5, "outside"), F.Person(40, "ready")
    assert S.expected_refusal(lapsed) == "no_valid_item"
    assert S.expected_refusal(outside) == "mobile_not_registered"
    outside.mobile_registered = True
    assert S.expected_refusal(outside) == "qualification_not_covering"
    assert S.expected_refusal(ready) == "mobile_not_registered"
