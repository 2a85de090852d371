"""The crash check's bookkeeping: what was acknowledged against what the server shows."""

import pytest

from gongshi_load import crash_check as C
from gongshi_load import fixtures as F
from gongshi_load.client import ConnError, Reply


def reply(status, body=None, headers=None):
    return Reply(status, body, headers or {}, str(body), 0.0)


def summary(app_id, state):
    return {"id": app_id, "state": state}


# -- options -----------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, rounds", [([], 3), (["--rounds", "5"], 5), (["--rounds=20"], 20), (["--rounds", "1"], 1)])
def test_rounds(argv, rounds):
    assert C.parse_args(argv) == (rounds, False)


@pytest.mark.parametrize("argv, message", [
    (["--rounds", "0"], "scripts/crash-check: --rounds needs a number from 1 to 20"),
    (["--rounds", "21"], "scripts/crash-check: --rounds needs a number from 1 to 20"),
    (["--rounds", "x"], "scripts/crash-check: --rounds needs a number from 1 to 20"),
    (["--rounds"], "scripts/crash-check: --rounds needs a number from 1 to 20"),
    (["--rounds", "٣"], "scripts/crash-check: --rounds needs a number from 1 to 20"),
    (["--bogus"], "usage: scripts/crash-check [--rounds N]"),
])
def test_bad_options(argv, message):
    with pytest.raises(C.UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        C.parse_args(argv)


def test_help_and_bad_options_exit_codes(capsys):
    assert C.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Crash check of the local gateway's embedded storage")
    assert "CRASH_SEED=N" in out and "crash-check: PASS" in out
    assert C.main(["--rounds", "0"]) == 2
    assert "needs a number from 1 to 20" in capsys.readouterr().err


# -- the model -----------------------------------------------------------------------------------

def test_model_counts_acks_and_caps_errors():
    m = C.Model()
    m.ack("submit")
    m.ack("submit")
    m.ack("draft")
    assert m.total_acks() == 3 and m.acks == {"submit": 2, "withdraw": 0, "draft": 1}
    for _ in range(1200):
        m.error("x" * 500)
    assert len(m.errors) == 1000 and len(m.errors[0]) == 400
    m.in_flight({"kind": "draft", "username": "u"})
    assert m.unknown == [{"kind": "draft", "username": "u"}]


def test_acked_counts():
    apps = {"a": {"acked": True}, "b": {"acked": True, "withdraw_acked": True}, "c": {"acked": False}}
    assert C.acked_counts(apps, {"r1": {}, "r2": {}}) == {"submit": 2, "withdraw": 1, "draft": 2, "learned": 1}


# -- the lists -----------------------------------------------------------------------------------

def test_index_lists_finds_duplicates_and_applications_in_both_units():
    lists = [[summary("a", "created"), summary("b", "withdrawn"), summary("a", "created")], [summary("b", "withdrawn")]]
    listed, problems = C.index_lists(lists, ["ua", "ub"])
    assert problems == ["unit ua lists applications twice: ['a']", "application b is listed by both units"]
    assert listed["a"][0] == 0 and listed["b"][0] == 1


def test_index_lists_of_consistent_lists():
    listed, problems = C.index_lists([[summary("a", "created")], [summary("b", "created")]], ["ua", "ub"])
    assert problems == [] and listed == {"a": (0, summary("a", "created")), "b": (1, summary("b", "created"))}


# -- acknowledged against stored -----------------------------------------------------------------

def known(unit=0, person=1, state="created", acked=True, withdraw_acked=False):
    k = {"unit": unit, "person": person, "state": state, "acked": acked}
    if withdraw_acked:
        k["withdraw_acked"] = True
    return k


def test_allowed_states_include_an_in_flight_withdrawal():
    assert C.allowed_states(known(), "a", set()) == {"created"}
    assert C.allowed_states(known(), "a", {"a"}) == {"created", "withdrawn"}


def test_acknowledged_writes_that_are_stored_verify():
    ordered = [("a", known()), ("b", known(state="withdrawn", withdraw_acked=True)), ("c", known(acked=False))]
    replies = [reply(200, {"state": "created"}), reply(200, {"state": "withdrawn"}), reply(200, {"state": "created"})]
    listed = {"a": (0, summary("a", "created")), "b": (0, summary("b", "withdrawn")), "c": (0, summary("c", "created"))}
    problems, verified, states = C.check_acknowledged(ordered, replies, listed, set())
    assert problems == []
    assert verified == {"submit": 2, "withdraw": 1, "learned": 1}
    assert states == {"a": "created", "b": "withdrawn", "c": "created"}


def test_a_lost_acknowledged_submission_is_reported():
    ordered = [("a", known())]
    problems, verified, _ = C.check_acknowledged(ordered, [reply(404, {"code": "not_found"})], {}, set())
    assert len(problems) == 1 and problems[0].startswith("LOST acknowledged application a")
    assert verified["submit"] == 0


def test_missing_from_the_list_or_listed_by_the_other_unit():
    ordered = [("a", known(unit=0))]
    ok = [reply(200, {"state": "created"})]
    assert C.check_acknowledged(ordered, ok, {}, set())[0] == ["acknowledged application a missing from its unit's list"]
    other = {"a": (1, summary("a", "created"))}
    assert C.check_acknowledged(ordered, ok, other, set())[0] == ["acknowledged application a missing from its unit's list"]


def test_an_acknowledged_withdrawal_undone_is_reported():
    ordered = [("a", known(state="withdrawn", withdraw_acked=True))]
    problems, verified, _ = C.check_acknowledged(ordered, [reply(200, {"state": "created"})],
                                                 {"a": (0, summary("a", "created"))}, set())
    assert problems == ["application a: acknowledged withdrawn, detail shows created, list shows created"]
    assert verified["withdraw"] == 0


def test_the_list_must_agree_with_the_detail():
    ordered = [("a", known())]
    problems, _, _ = C.check_acknowledged(ordered, [reply(200, {"state": "created"})],
                                          {"a": (0, summary("a", "withdrawn"))}, set())
    assert problems == ["application a: acknowledged created, detail shows created, list shows withdrawn"]


def test_an_in_flight_withdrawal_may_have_gone_through():
    ordered = [("a", known())]
    problems, verified, states = C.check_acknowledged(ordered, [reply(200, {"state": "withdrawn"})],
                                                      {"a": (0, summary("a", "withdrawn"))}, {"a"})
    assert problems == [] and verified["submit"] == 1 and states == {"a": "withdrawn"}


def test_no_answer_while_checking_is_a_problem():
    problems, _, _ = C.check_acknowledged([("a", known())], [ConnError("reset")], {}, set())
    assert problems == ["acknowledged application a: reset"]


def test_drafts_read_back():
    ordered = [("r1", {"username": "u1"}), ("r2", {"username": "u2"}), ("r3", {"username": "u3"})]
    replies = [reply(200, {"id": "r1"}), reply(404, {"code": "not_found"}), reply(200, {"id": "other"})]
    problems, verified = C.check_drafts(ordered, replies)
    assert verified == 1
    assert [p.split(" (")[0] for p in problems] == ["LOST acknowledged registration draft r2",
                                                   "LOST acknowledged registration draft r3"]


# -- applications the client never heard of --------------------------------------------------------

def test_strangers_match_distinct_in_flight_submissions():
    unknown = [{"unit": 0, "person": 7, "key": "k0"}, {"unit": 0, "person": 7, "key": "k1"}, {"unit": 1, "person": 8, "key": "k2"}]
    problems, matched = C.match_strangers({"x": 0, "y": 0, "z": 1}, {"x": 7, "y": 7, "z": 8}, unknown, ["ua", "ub"])
    assert problems == [] and matched == {0: "x", 1: "y", 2: "z"}


def test_a_phantom_is_reported():
    unknown = [{"unit": 0, "person": 7, "key": "k0"}]
    problems, matched = C.match_strangers({"x": 0, "y": 0, "w": 1}, {"x": 7, "y": 7}, unknown, ["ua", "ub"])
    assert matched == {0: "x"}
    assert problems == ["PHANTOM application w of unit ub (person None): no submission for it was in flight",
                        "PHANTOM application y of unit ua (person 7): no submission for it was in flight"]


# -- one open application per person; the search agrees ------------------------------------------------

def test_open_by_person_uses_the_listed_state():
    apps = {"a": known(person=1), "b": known(person=1, state="withdrawn"), "c": known(person=2, unit=1)}
    listed = {"a": (0, summary("a", "created")), "b": (0, summary("b", "withdrawn")), "c": (1, summary("c", "under_review"))}
    assert C.open_by_person(apps, listed) == {1: [("a", 0)], 2: [("c", 1)]}


def test_search_agrees_with_who_holds_what():
    p = F.Person(3, "ready")
    held = {3: [("a", 0)]}
    refused = reply(200, {"eligible": False, "refusal": {"code": "application_open"}})
    eligible = reply(200, {"eligible": True, "kind": "initial"})
    assert C.search_problems(p, 1, refused, held) == []
    assert C.search_problems(p, 0, eligible, {}) == []
    assert C.search_problems(p, 0, eligible, held) == [f"{p} has open [('a', 0)] but the search of unit 0 says initial"]
    assert C.search_problems(p, 0, refused, {}) == [f"{p} has nothing open but the search of unit 0 says application_open"]
    assert C.search_problems(p, 0, reply(500, {}), {})[0].startswith(f"search {p} by unit 0: HTTP 500")


# -- retries with the Idempotency-Key -----------------------------------------------------------------

ATTEMPT = {"key": "k0", "unit": 0, "person": 3}


def test_a_replay_must_carry_the_stored_id():
    replay = reply(201, {"id": "x"}, {"idempotent-replay": "true"})
    assert C.classify_retry(0, ATTEMPT, replay, {0: "x"}, "p", False) == ("replayed", None)
    kind, problem = C.classify_retry(0, ATTEMPT, replay, {0: "y"}, "p", False)
    assert kind == "replayed" and problem == "replayed submission k0 answers x, stored: y"


def test_a_fresh_run_must_not_have_been_stored_already():
    fresh = reply(201, {"id": "z"})
    assert C.classify_retry(0, ATTEMPT, fresh, {}, "p", False) == ("fresh", None)
    assert C.classify_retry(0, ATTEMPT, fresh, {0: "x"}, "p", False) == (
        "fresh", "submission k0 was stored as x yet ran again as z")


def test_a_key_left_in_progress_is_noted_not_failed():
    stuck = reply(409, {"code": "request_in_progress"})
    assert C.classify_retry(0, ATTEMPT, stuck, {}, "p", False) == ("stuck", None)


def test_application_open_on_retry():
    taken = reply(409, {"code": "application_open"})
    assert C.classify_retry(0, ATTEMPT, taken, {0: "x"}, "p", False) == ("refused", None)
    assert C.classify_retry(0, ATTEMPT, taken, {}, "p", True) == ("refused", None)  # the other unit took a shared person
    assert C.classify_retry(0, ATTEMPT, taken, {}, "p", False) == (
        "refused", "retry of k0 for p: application_open, but no application of it is stored")


def test_anything_else_on_retry_is_a_problem():
    assert C.classify_retry(0, ATTEMPT, reply(500, {}), {}, "p", False) == (
        None, "retry of in-flight submission k0: HTTP 500: {}")
