"""Crash check of the local gateway's embedded storage: kill -9 in the middle of a write load,
restart on the same data dir, and check that nothing acknowledged was lost and that what
the API shows is consistent. Fast (well under a minute); used in CI.

  scripts/crash-check              3 rounds
  scripts/crash-check --rounds N   N rounds (1–20) on the same data dir

  GONGSHI_LOCAL_BIN=path           use this gateway binary (otherwise target/debug/gongshi-local,
                                   built with cargo first)
  CRASH_KEEP=1                     keep the work directory (data dir, gateway log)
  CRASH_SEED=N                     fix the random choices (kill moment, people picked)

Setup: 300 practitioners imported, two approved units, 42 practitioners with verified
mobiles (7 per load thread, 3 threads per unit) and 4 more both units race for (the
local limit is 50 mobile registrations a day per address).

Each round: six threads submit applications (with Idempotency-Key) and withdraw them, each
for its own people, and race for the shared four; one thread creates registration drafts.
Every write the server acknowledged (201/200 with the id) is recorded; after at least 150
acknowledgements the gateway gets SIGKILL, requests then in flight are noted as unknown, and
the gateway restarts on the same data dir. Checks, over all rounds so far:
  - every acknowledged submission is in its unit's list exactly once and its detail shows the
    last acknowledged state (or the state an in-flight withdrawal would have made);
    every acknowledged withdrawal shows `withdrawn`; every acknowledged draft reads back;
  - no application appears twice or in both units' lists; every application the client
    never heard of matches a submission in flight at the kill (no phantoms);
  - at most one open application per person; a person with an open application is refused
    by the search of both units with `application_open`, one without is eligible (initial);
  - each in-flight submission is retried with its Idempotency-Key: a replay must carry the
    id that is stored; a key left reserved by the kill (409 request_in_progress) is reported;
  - the restarted server answers and accepts new writes (the next round's load; after the
    last round one more submission, withdrawal and draft).
Prints per round the acknowledged and verified writes and a last line `crash-check: PASS`
or `crash-check: FAIL (...)`; exits 1 on failure.

The program: scripts/gongshi_load/crash_check.py (`python3 -m gongshi_load.crash_check` with
scripts/ on PYTHONPATH; scripts/crash-check is the wrapper).
"""

import os
import random
import sys
import threading
import time
import uuid

from . import fixtures as F
from .client import Client, ConnError, Unexpected, log, q
from .fixtures import OPEN_STATES
from .gateway import Gateway, import_registry, install_signal_handlers, resolve_binary, scan_log, work_dir

PROG = "scripts/crash-check"
USAGE = f"usage: {PROG} [--rounds N]"
THREADS_PER_UNIT = 3
PEOPLE_PER_THREAD = 7
SHARED_PEOPLE = 4
MIN_ACKS = 150          # acknowledgements before the kill
MAX_LOAD_SECONDS = 8.0  # kill by then at the latest


class UsageError(Exception):
    pass


def parse_args(argv):
    """(rounds, help) from the command line; UsageError with the message to print."""
    rounds, wants_help = "3", False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--rounds":
            rounds = args.pop(0) if args else ""
        elif arg.startswith("--rounds="):
            rounds = arg.split("=", 1)[1]
        elif arg in ("-h", "--help"):
            wants_help = True
        else:
            raise UsageError(USAGE)
    if not (rounds.isascii() and rounds.isdigit()) or not 1 <= int(rounds) <= 20:
        raise UsageError(f"{PROG}: --rounds needs a number from 1 to 20")
    return int(rounds), wants_help


# ---------------------------------------------------------------------------------------------
# What the client knows


class Model:
    """Acknowledged writes and requests whose outcome the client never heard."""

    def __init__(self):
        self.lock = threading.Lock()
        # id -> {"unit", "person", "state", "acked": the client got the 201, "withdraw_acked": and a 200 for the withdrawal}
        self.apps = {}
        self.drafts = {}    # id -> {"username", "token"}
        self.unknown = []   # requests in flight at the kill
        self.acks = {"submit": 0, "withdraw": 0, "draft": 0}
        self.errors = []    # unexpected answers during the load

    def ack(self, kind):
        with self.lock:
            self.acks[kind] += 1

    def total_acks(self):
        with self.lock:
            return sum(self.acks.values())

    def error(self, text):
        with self.lock:
            if len(self.errors) < 1000:
                self.errors.append(text[:400])

    def in_flight(self, attempt):
        with self.lock:
            self.unknown.append(attempt)


# ---------------------------------------------------------------------------------------------
# The checks after a restart (pure: what was acknowledged against what the server answers)


def acked_counts(apps, drafts):
    """Acknowledged writes by kind; `learned`: stored applications the client learnt of only
    after the kill."""
    return {"submit": sum(1 for a in apps.values() if a["acked"]),
            "withdraw": sum(1 for a in apps.values() if a.get("withdraw_acked")),
            "draft": len(drafts),
            "learned": sum(1 for a in apps.values() if not a["acked"])}


def index_lists(lists, usernames):
    """The units' application lists as {id: (unit index, summary)}, with problems: an id
    twice in one list, or in both units' lists."""
    problems, listed = [], {}
    for ui, items in enumerate(lists):
        ids = [a["id"] for a in items]
        if len(ids) != len(set(ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            problems.append(f"unit {usernames[ui]} lists applications twice: {dupes[:5]}")
        for a in items:
            if a["id"] in listed and listed[a["id"]][0] != ui:
                problems.append(f"application {a['id']} is listed by both units")
            listed[a["id"]] = (ui, a)
    return listed, problems


def allowed_states(known, app_id, pending_withdraw):
    """The states an application may show: the last acknowledged one, or `withdrawn` if a
    withdrawal of it was in flight at the kill."""
    return {known["state"]} | ({"withdrawn"} if app_id in pending_withdraw else set())


def check_acknowledged(ordered, replies, listed, pending_withdraw):
    """Every known application (ordered [(id, known)]) against its detail (replies: Reply or
    exception, same order) and the lists. Returns (problems, verified counts, {id: state shown})."""
    problems, states = [], {}
    verified = {"submit": 0, "withdraw": 0, "learned": 0}
    for (app_id, known), r in zip(ordered, replies, strict=True):
        allowed = allowed_states(known, app_id, pending_withdraw)
        if isinstance(r, Exception):
            problems.append(f"acknowledged application {app_id}: {r}")
            continue
        if r.status != 200:
            problems.append(f"LOST acknowledged application {app_id} ({known}): GET -> {r!r}")
            continue
        if app_id not in listed or listed[app_id][0] != known["unit"]:
            problems.append(f"acknowledged application {app_id} missing from its unit's list")
            continue
        state = r.body.get("state")
        if state not in allowed or listed[app_id][1].get("state") not in allowed:
            problems.append(f"application {app_id}: acknowledged {known['state']}, detail shows {state}, "
                            f"list shows {listed[app_id][1].get('state')}")
            continue
        verified["submit" if known["acked"] else "learned"] += 1
        if known.get("withdraw_acked"):
            verified["withdraw"] += 1
        states[app_id] = state  # an in-flight withdrawal may have gone through
    return problems, verified, states


def check_drafts(ordered, replies):
    """Acknowledged registration drafts (ordered [(id, known)]) against their read-back."""
    problems, verified = [], 0
    for (reg_id, known), r in zip(ordered, replies, strict=True):
        if isinstance(r, Exception) or r.status != 200 or r.body.get("id") != reg_id:
            problems.append(f"LOST acknowledged registration draft {reg_id} ({known['username']}): {r!r}")
        else:
            verified += 1
    return problems, verified


def match_strangers(strangers, owner, unknown_submits, usernames):
    """Applications the client never heard of ({id: unit index}, with their person in `owner`)
    must each match a different submission in flight at the kill. Returns (problems,
    {index in unknown_submits: id})."""
    problems, claimed, matched = [], set(), {}
    for app_id, ui in sorted(strangers.items()):
        n = owner.get(app_id)
        candidates = [k for k, u in enumerate(unknown_submits)
                      if k not in claimed and n is not None and u["unit"] == ui and u["person"] == n]
        if not candidates:
            problems.append(f"PHANTOM application {app_id} of unit {usernames[ui]} (person {n}): "
                            f"no submission for it was in flight")
            continue
        claimed.add(candidates[0])
        matched[candidates[0]] = app_id
    return problems, matched


def open_by_person(apps, listed):
    """{person n: [(id, unit)]} of the applications the lists show open."""
    held = {}
    for app_id, known in apps.items():
        state = listed.get(app_id, (None, {}))[1].get("state")
        if state in OPEN_STATES:
            held.setdefault(known["person"], []).append((app_id, known["unit"]))
    return held


def search_problems(person, ui, r, held):
    """What is wrong with the search answer `r` of unit `ui` for `person`, given who holds what."""
    if isinstance(r, Exception) or r.status != 200:
        return [f"search {person} by unit {ui}: {r!r}"]
    problems = []
    code = (r.body.get("refusal") or {}).get("code")
    if person.n in held and code != "application_open":
        problems.append(f"{person} has open {held[person.n]} but the search of unit {ui} says {code or r.body.get('kind')}")
    if person.n not in held and not (r.body.get("eligible") and r.body.get("kind") == "initial"):
        problems.append(f"{person} has nothing open but the search of unit {ui} says {code}")
    return problems


def classify_retry(k, attempt, r, matched, person, shared):
    """The retry of in-flight submission number k (with its Idempotency-Key) for `person`
    answered `r`. `matched`: {k: stored id}; `shared`: the person is one both units race for.
    Returns (outcome: replayed/fresh/stuck/refused/None, problem or None)."""
    if r.status == 201 and r.headers.get("idempotent-replay") == "true":
        if matched.get(k) != r.body["id"]:
            return "replayed", f"replayed submission {attempt['key']} answers {r.body['id']}, stored: {matched.get(k)}"
        return "replayed", None
    if r.status == 201:
        if k in matched:
            return "fresh", f"submission {attempt['key']} was stored as {matched[k]} yet ran again as {r.body['id']}"
        return "fresh", None
    if r.status == 409 and r.code() == "request_in_progress":
        return "stuck", None
    if r.status == 409 and r.code() == "application_open":
        if not shared and k not in matched:
            return "refused", f"retry of {attempt['key']} for {person}: application_open, but no application of it is stored"
        return "refused", None
    return None, f"retry of in-flight submission {attempt['key']}: {r!r}"


# ---------------------------------------------------------------------------------------------
# The load


class Loader(threading.Thread):
    """Submits and withdraws for its own people; races for the shared ones."""

    def __init__(self, name, model, seed, unit, port, owned, pool, stop):
        super().__init__(name=name, daemon=True)
        self.model, self.unit, self.port, self.owned, self.pool, self.stop = model, unit, port, owned, pool, stop
        self.open = {}          # person n -> application id this thread holds open
        self.rng = random.Random(seed)
        self.failed = None

    def submit(self, c, p):
        model = self.model
        key = uuid.uuid4().hex
        attempt = {"kind": "submit", "unit": self.unit["i"], "person": p.n, "key": key, "token": self.unit["token"]}
        try:
            r = c.call("POST", "/api/v1/unit/applications", self.unit["token"], F.application_input(p),
                       headers={"Idempotency-Key": key})
        except ConnError as error:
            if error.sent:
                model.in_flight(attempt)
            return False
        if r.status == 201:
            with model.lock:
                model.apps[r.body["id"]] = {"unit": self.unit["i"], "person": p.n, "state": "created", "acked": True}
            model.ack("submit")
            self.open[p.n] = r.body["id"]
        elif r.status == 409 and r.code() == "application_open" and p in self.pool:
            pass  # the other unit holds this shared person
        else:
            model.error(f"submit {p} by {self.unit['username']}: {r!r}")
        return True

    def withdraw(self, c, p):
        model = self.model
        app_id = self.open[p.n]
        try:
            r = c.call("POST", f"/api/v1/unit/applications/{app_id}/withdraw", self.unit["token"], {"reason": "人员信息有误"})
        except ConnError as error:
            if error.sent:
                model.in_flight({"kind": "withdraw", "app": app_id})
            return False
        if r.status == 200 and r.body.get("state") == "withdrawn":
            with model.lock:
                model.apps[app_id]["state"] = "withdrawn"
                model.apps[app_id]["withdraw_acked"] = True
            model.ack("withdraw")
            del self.open[p.n]
        else:
            model.error(f"withdraw {app_id} of {p}: {r!r}")
        return True

    def run(self):
        c = Client(self.port, timeout=20, retry_stale=False)
        try:
            for _ in range(100_000):
                if self.stop.is_set():
                    break
                p = self.rng.choice(self.owned) if self.rng.random() < 0.85 or not self.pool else self.rng.choice(self.pool)
                alive = self.withdraw(c, p) if p.n in self.open else self.submit(c, p)
                if not alive:
                    break
        except Exception as error:
            self.failed = f"{type(error).__name__}: {error}"
        finally:
            c.close()


class Drafter(threading.Thread):
    def __init__(self, model, port, stop, round_no):
        super().__init__(name="drafts", daemon=True)
        self.model, self.port, self.stop, self.round_no = model, port, stop, round_no
        self.failed = None

    def run(self):
        model = self.model
        c = Client(self.port, timeout=20, retry_stale=False)
        try:
            for i in range(100_000):
                if self.stop.is_set():
                    break
                username = f"cc{self.round_no:02d}d{i:05d}"
                code = F.uscc(self.round_no * 100_000 + i + 1000)
                try:
                    r = c.call("POST", "/api/v1/registrations", body=F.basic_info(username, code, i))
                except ConnError as error:
                    if error.sent:
                        model.in_flight({"kind": "draft", "username": username})
                    break
                if r.status == 201:
                    with model.lock:
                        model.drafts[r.body["registration"]["id"]] = {"username": username, "token": r.body["session"]["access_token"]}
                    model.ack("draft")
                else:
                    model.error(f"draft {username}: {r!r}")
        except Exception as error:
            self.failed = f"{type(error).__name__}: {error}"
        finally:
            c.close()


def parallel(port, items, work_fn, threads=4):
    """Runs work_fn(client, item) over items in a few threads; returns the results in order
    (a ConnError or Unexpected in place of a result)."""
    results = [None] * len(items)
    index = {"next": 0}
    lock = threading.Lock()

    def run():
        c = Client(port, timeout=20)
        try:
            while True:
                with lock:
                    i = index["next"]
                    index["next"] += 1
                if i >= len(items):
                    return
                try:
                    results[i] = work_fn(c, items[i])
                except (ConnError, Unexpected) as error:
                    results[i] = error
        finally:
            c.close()

    pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    return results


# ---------------------------------------------------------------------------------------------
# The run


class CrashCheck:
    def __init__(self, binary, work, rounds, seed=None):
        self.binary, self.work, self.rounds = binary, work, rounds
        self.data_dir, self.log_path = os.path.join(work, "data"), os.path.join(work, "gateway.log")
        self.rng = random.Random(seed)
        self.model = Model()
        self.gateway = Gateway(binary, self.data_dir, self.log_path, os.path.join(work, "gateway.pid"))
        self.persons_by_n = {}

    def setup(self):
        persons = F.people(300)
        csv = os.path.join(self.work, "registry.csv")
        F.write_registry(csv, persons)
        import_registry(self.binary, self.data_dir, csv, self.log_path)
        self.gateway.start()
        c = Client(self.gateway.port)
        units = []
        for i, name in enumerate(["crashunita", "crashunitb"]):
            code = F.uscc(i + 1)
            token = F.approved_unit(c, name, code, i)
            units.append({"i": i, "username": name, "uscc": code, "token": token, "fresh": token})
        ready = [p for p in persons if p.kind == "ready"]
        chosen = ready[: 2 * THREADS_PER_UNIT * PEOPLE_PER_THREAD + SHARED_PEOPLE]
        for p in chosen:
            F.register_mobile(c, p)
        c.close()
        return units, chosen[:-SHARED_PEOPLE], chosen[-SHARED_PEOPLE:]

    def verify(self, units, persons, pool):
        """All checks after a restart; returns (problems, figures)."""
        model, port = self.model, self.gateway.port
        usernames = [u["username"] for u in units]
        problems = []
        c = Client(port, timeout=20)
        for u in units:
            u["fresh"] = F.login(c, u["username"], F.UNIT_PASSWORD, "unit")
        listed, found = index_lists([F.all_applications(c, u["fresh"]) for u in units], usernames)
        problems += found

        with model.lock:
            apps = {k: dict(v) for k, v in model.apps.items()}
            unknown = list(model.unknown)
            drafts = dict(model.drafts)
        pending_withdraw = {u["app"] for u in unknown if u["kind"] == "withdraw"}
        unknown_submits = [u for u in unknown if u["kind"] == "submit"]

        # Acknowledged submissions and withdrawals.
        def check_app(cc, item):
            app_id, known = item
            return cc.call("GET", f"/api/v1/unit/applications/{app_id}", units[known["unit"]]["fresh"])

        ordered = sorted(apps.items())
        acked = acked_counts(apps, drafts)
        found, verified, states = check_acknowledged(ordered, parallel(port, ordered, check_app), listed, pending_withdraw)
        problems += found
        with model.lock:
            for app_id, state in states.items():
                model.apps[app_id]["state"] = state

        # Acknowledged drafts.
        def check_draft(cc, item):
            reg_id, known = item
            r = cc.call("GET", f"/api/v1/registrations/{reg_id}", known["token"])
            if r.status == 401:
                token = F.login(cc, known["username"], F.UNIT_PASSWORD, "unit")
                r = cc.call("GET", f"/api/v1/registrations/{reg_id}", token)
            return r

        ordered_drafts = sorted(drafts.items())
        found, verified["draft"] = check_drafts(ordered_drafts, parallel(port, ordered_drafts, check_draft))
        problems += found

        # Applications the client never heard of must match a submission in flight at the kill.
        # The list's `q` (full ID number) tells whose they are.
        strangers = {app_id: ui for app_id, (ui, a) in listed.items() if app_id not in apps}
        owner = {}  # stranger id -> person n
        for p in persons:
            if not strangers:
                break
            for ui in range(len(units)):
                r = c.call("GET", "/api/v1/unit/applications?" + q(q=p.id_number, limit=100), units[ui]["fresh"])
                if r.status != 200:
                    problems.append(f"list by person {p}: {r!r}")
                    continue
                for a in r.body["items"]:
                    if a["id"] in strangers:
                        owner[a["id"]] = p.n
        found, matched = match_strangers(strangers, owner, unknown_submits, usernames)
        problems += found
        with model.lock:
            for app_id in matched.values():
                ui = strangers[app_id]
                model.apps[app_id] = {"unit": ui, "person": owner[app_id], "state": listed[app_id][1]["state"], "acked": False}

        # Invariants per person: at most one open application; the search agrees in both units.
        with model.lock:
            snapshot = {k: dict(v) for k, v in model.apps.items()}
        held = open_by_person(snapshot, listed)
        for n, apps_held in held.items():
            if len(apps_held) > 1:
                problems.append(f"person {n} has {len(apps_held)} open applications: {apps_held}")

        def check_search(cc, item):
            p, ui = item
            return F.search(cc, units[ui]["fresh"], p.id_number, p.name)

        checks = [(p, ui) for p in persons for ui in range(len(units))]
        for (p, ui), r in zip(checks, parallel(port, checks, check_search), strict=True):
            problems += search_problems(p, ui, r, held)

        # Retry each in-flight submission with its Idempotency-Key (same credentials).
        outcome = {"replayed": 0, "fresh": 0, "stuck": 0, "stuck_applied": 0, "refused": 0}
        for k, u in enumerate(unknown_submits):
            person = self.persons_by_n[u["person"]]
            r = c.call("POST", "/api/v1/unit/applications", u["token"], F.application_input(person),
                       headers={"Idempotency-Key": u["key"]})
            kind, problem = classify_retry(k, u, r, matched, person, person in pool)
            if problem:
                problems.append(problem)
            if kind is None:
                continue
            outcome[kind] += 1
            if kind == "stuck" and k in matched:
                outcome["stuck_applied"] += 1
            with model.lock:
                if kind == "replayed" and r.body["id"] in model.apps:
                    model.apps[r.body["id"]]["acked"] = True
                elif kind == "fresh":
                    model.apps[r.body["id"]] = {"unit": u["unit"], "person": u["person"], "state": "created", "acked": True}
        c.close()
        with model.lock:
            model.unknown = []
        figures = {"acked": acked, "verified": verified, "listed": len(listed), "unknown": len(unknown),
                   "unknown_submits": len(unknown_submits), "phantoms_matched": len(matched), "retries": outcome}
        return problems, figures

    def truth(self, units):
        """Which application each person holds open now (from the lists)."""
        c = Client(self.gateway.port, timeout=20)
        held = {}
        for ui, u in enumerate(units):
            for a in F.all_applications(c, u["fresh"]):
                if a["state"] in OPEN_STATES:
                    app = self.model.apps.get(a["id"])
                    if app:
                        held[app["person"]] = (ui, a["id"])
        c.close()
        return held

    def round(self, round_no, units, owned, pool, persons, held):
        """One round of load, kill -9, restart and checks; returns its problems."""
        model, gateway = self.model, self.gateway
        before = dict(model.acks)
        stop = threading.Event()
        loaders = []
        for ui, u in enumerate(units):
            u["token"] = u["fresh"]
            for t in range(THREADS_PER_UNIT):
                k = ui * THREADS_PER_UNIT + t
                mine = owned[k * PEOPLE_PER_THREAD:(k + 1) * PEOPLE_PER_THREAD]
                loader = Loader(f"{u['username']}-{t}", model, self.rng.random(), u, gateway.port, mine, pool, stop)
                for p in mine + (pool if t == 0 else []):
                    if p.n in held and held[p.n][0] == ui:
                        loader.open[p.n] = held[p.n][1]
                loaders.append(loader)
        threads = loaders + [Drafter(model, gateway.port, stop, round_no)]
        load_start = time.monotonic()
        for t in threads:
            t.start()
        while time.monotonic() - load_start < MAX_LOAD_SECONDS and model.total_acks() - sum(before.values()) < MIN_ACKS:
            time.sleep(0.02)
        time.sleep(self.rng.uniform(0.0, 0.5))
        gateway.kill9()
        load_seconds = time.monotonic() - load_start
        stop.set()
        for t in threads:
            t.join(timeout=30)
        stuck = [t.name for t in threads if t.is_alive()]
        crashed = [f"{t.name}: {t.failed}" for t in threads if t.failed]
        this_round = {k: model.acks[k] - before[k] for k in model.acks}
        in_flight = list(model.unknown)
        restart = gateway.start()
        problems, fig = self.verify(units, persons, pool)
        if stuck:
            problems.append(f"load threads did not stop: {stuck}")
        if crashed:
            problems.append(f"load thread crashed: {crashed}")
        with model.lock:
            load_errors, model.errors = model.errors, []
        problems.extend(f"unexpected answer during load: {e}" for e in load_errors)
        kinds = {k: sum(1 for u in in_flight if u["kind"] == k) for k in ("submit", "withdraw", "draft")}
        a, v, rt = fig["acked"], fig["verified"], fig["retries"]
        log(f"round {round_no}: killed after {load_seconds:.1f} s of load; acknowledged this round "
            f"{this_round['submit']} submissions, {this_round['withdraw']} withdrawals, {this_round['draft']} drafts; "
            f"in flight at the kill {len(in_flight)} ({kinds['submit']} submissions, {kinds['withdraw']} withdrawals, "
            f"{kinds['draft']} drafts); restarted in {restart:.2f} s")
        log(f"         verified (all rounds): submissions {v['submit']}/{a['submit']}, withdrawals {v['withdraw']}/{a['withdraw']}, "
            f"drafts {v['draft']}/{a['draft']}, stored after an unanswered request {v['learned']}/{a['learned']}; "
            f"{fig['listed']} applications listed; "
            f"in-flight submissions stored {fig['phantoms_matched']}/{fig['unknown_submits']}; "
            f"retried with their key: {rt['replayed']} replayed, {rt['fresh']} ran now, {rt['refused']} refused "
            f"(person taken), {rt['stuck']} key stuck 'in progress' ({rt['stuck_applied']} of them stored)")
        if rt["stuck"]:
            log(f"         note: {rt['stuck']} Idempotency-Key(s) stay reserved after the crash: retries get "
                f"409 request_in_progress for 24 h (see shared/http/src/response.rs `once`)")
        for p in problems[:25]:
            log("         PROBLEM: " + p)
        if len(problems) > 25:
            log(f"         ... and {len(problems) - 25} more problems")
        return problems

    def final_writes(self, units, owned, held):
        """The restarted server takes new writes; returns the failure or None."""
        c = Client(self.gateway.port)
        try:
            free = next((p for p in owned if p.n not in held), None)
            if free is None:
                return "no free person left for the final write"
            r = c.call("POST", "/api/v1/unit/applications", units[0]["fresh"], F.application_input(free))
            w = c.call("POST", f"/api/v1/unit/applications/{r.body['id']}/withdraw", units[0]["fresh"]) if r.status == 201 else None
            d = c.call("POST", "/api/v1/registrations", body=F.basic_info("ccfinaldraft", F.uscc(999_999), 1))
            ok = r.status == 201 and w is not None and w.status == 200 and d.status == 201
            log(f"after the last restart: submission {r.status}, withdrawal {w.status if w else '-'}, draft {d.status}")
            return None if ok else "the restarted server refused new writes"
        finally:
            c.close()

    def run(self):
        """Returns the failures (empty: PASS)."""
        failures = []
        started = time.monotonic()
        try:
            try:
                units, owned, pool = self.setup()
            except (Unexpected, ConnError, RuntimeError) as error:
                return [f"setup: {error}"]
            persons = owned + pool
            self.persons_by_n = {p.n: p for p in persons}
            log(f"setup: {len(persons)} practitioners with mobiles, units {units[0]['username']}, {units[1]['username']} "
                f"({time.monotonic() - started:.1f} s)")
            held = {}
            for round_no in range(1, self.rounds + 1):
                problems = self.round(round_no, units, owned, pool, persons, held)
                if problems:
                    failures.append(f"round {round_no}: {len(problems)} problems")
                held = self.truth(units)
            failure = self.final_writes(units, owned, held)
            if failure:
                failures.append(failure)
        finally:
            self.gateway.stop()
        panics, logged_errors, examples = scan_log(self.log_path)
        log(f"gateway log: {panics} panics, {logged_errors} ERROR lines")
        for line in examples:
            log("  " + line)
        if panics:
            failures.append(f"the gateway panicked {panics} times")
        log(f"total {time.monotonic() - started:.1f} s")
        return failures


def main(argv=None):
    try:
        rounds, wants_help = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    if wants_help:
        print(__doc__.rstrip())
        return 0
    binary = resolve_binary(PROG)
    install_signal_handlers()
    seed = int(os.environ.get("CRASH_SEED", "0")) or None
    with work_dir("gongshi-crash.", keep=bool(os.environ.get("CRASH_KEEP"))) as work:
        try:
            failures = CrashCheck(binary, work, rounds, seed).run()
        except KeyboardInterrupt:
            log("crash-check: FAIL (interrupted)")
            return 130
        if failures:
            log(f"crash-check: FAIL ({'; '.join(failures)})")
            return 1
        log("crash-check: PASS")
        return 0


if __name__ == "__main__":
    sys.exit(main())
