"""Soak test of the local gateway: mixed traffic from several threads for a while, counting
answers by status and watching the gateway's memory.

  scripts/soak                 10 minutes of load
  scripts/soak --minutes N     N minutes (1–120)
  scripts/soak --quick         ~45 s (40 s of load), for CI

  GONGSHI_LOCAL_BIN=path       use this gateway binary (otherwise target/debug/gongshi-local,
                               built with cargo first)
  SOAK_WORKERS=6               worker threads
  SOAK_KEEP=1                  keep the work directory (data dir, gateway log, rss.csv)
  SOAK_MALLOC_ARENA_MAX=2      glibc malloc arenas for the gateway (default 2; empty = glibc's
                               default of 8 per core)

Setup: imports 2,000 practitioners (every 10th lapsed, every 10th outside the units' scope),
starts the gateway on a fresh data dir, registers and approves two units, registers the
mobiles of 45 practitioners (40 to apply for, 5 outside the units' scope; the local limit
is 50 a day per address) and a draft account used for wrong-password logins.

Traffic per worker, weighted at random: logins, token refresh, unit home/account/list
reads, person search (eligible, open application, each refusal, malformed input),
application submissions (with Idempotency-Key) and withdrawals of the worker's own people,
contended submissions (both units racing for four shared people), application details,
public lookups, reviewer queues, registration drafts, wrong-password logins and bad input.
Each request has the statuses it may get; anything else, any 5xx and any connection error
is an error. 429 is expected where limits exist (public lookups: 500 a day per address;
the wrong-password account locks for 15 minutes) and counted apart. The worker's own people
are also checked: search says application_open exactly while the worker holds one open.

Memory: VmRSS of the gateway every 2 s. Baseline = median RSS of the window right after
warm-up (60–90 s; 10–20 s with --quick); end = median RSS of the last 30 s of load (10 s
with --quick); medians, because single samples swing by ±15 MiB with large list answers.
Memory is flat when end <= baseline + max(20 % of baseline, 8 MiB) + the growth of the
data file between the two windows: redb keeps what it reads and writes in its page cache
(1 GiB by default), so RSS follows a growing database; a read-only load on a soaked data
dir levels off. The figures without that allowance are printed too.
The gateway runs with MALLOC_ARENA_MAX=2: with glibc's default every new thread (tokio's
blocking pool serves redb) may get its own arena, and RSS then climbs in 20 MiB steps for
minutes as arenas fill (+30-50 MiB in 30 s measured), which hides a real leak in noise.

Prints totals, req/s, counts by status and by operation (with latencies), RSS figures and
a last line `soak: PASS` or `soak: FAIL (...)`; exits 1 on failure.

The program: scripts/gongshi_load/soak.py (`python3 -m gongshi_load.soak` with scripts/ on
PYTHONPATH; scripts/soak is the wrapper).
"""

import os
import random
import re
import sys
import threading
import time
import uuid

from . import fixtures as F
from .client import Client, ConnError, Unexpected, log, q
from .gateway import Gateway, import_registry, install_signal_handlers, resolve_binary, scan_log, work_dir
from .stats import Stats, answer_ok

PROG = "scripts/soak"
USAGE = f"usage: {PROG} [--minutes N | --quick]"
RSS_EVERY = 2.0
MIB = 1024  # RSS is in kB


# ---------------------------------------------------------------------------------------------
# Options and the figures' rules (pure)


class UsageError(Exception):
    pass


def parse_args(argv):
    """(minutes, quick, help) from the command line; UsageError with the message to print."""
    minutes, quick, wants_help = "10", False, False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--quick":
            quick = True
        elif arg == "--minutes":
            minutes = args.pop(0) if args else ""
        elif arg.startswith("--minutes="):
            minutes = arg.split("=", 1)[1]
        elif arg in ("-h", "--help"):
            wants_help = True
        else:
            raise UsageError(USAGE)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", minutes):
        raise UsageError(f"{PROG}: --minutes needs a number")
    return float(minutes), quick, wants_help


def plan(minutes, quick):
    """(seconds of load, warm-up before the memory baseline, seconds in each median window)."""
    duration = 40.0 if quick else max(60.0, min(minutes, 120.0) * 60)
    warmup = 10.0 if quick else min(60.0, duration / 3)
    window = 10.0 if quick else min(30.0, duration / 6)
    return duration, warmup, window


def median_window(samples, start, end):
    """Medians of RSS, data file size and thread count of the samples (seconds, rss_kb,
    data_bytes, threads) with start <= seconds <= end; None when there are none."""
    inside = [x for x in samples if start <= x[0] <= end]
    if not inside:
        return None
    rss = sorted(x[1] for x in inside)
    data = sorted(x[2] for x in inside)
    threads = sorted(x[3] or 0 for x in inside)
    return rss[len(rss) // 2], data[len(data) // 2], threads[len(threads) // 2]


def memory_verdict(baseline, ending):
    """The memory-flatness rule on two median_window results: end RSS <= baseline RSS +
    max(20 % of it, 8 MiB) + the data file's growth between them. Returns (flat, allowed_kb,
    strict_kb, grown_bytes); strict is the limit without the data allowance."""
    grown = max(0, ending[1] - baseline[1])
    strict = baseline[0] + max(0.20 * baseline[0], 8 * MIB)
    allowed = strict + grown / 1024
    return ending[0] <= allowed, allowed, strict, grown


def expected_refusal(person):
    """The refusal code the search gives a registry person without an application of ours."""
    if person.kind == "lapsed":
        return "no_valid_item"
    if person.kind == "outside" and getattr(person, "mobile_registered", False):
        return "qualification_not_covering"
    return "mobile_not_registered"


# ---------------------------------------------------------------------------------------------
# The load


class Shared:
    """What the workers share: application numbers (for the public page) and a draft counter."""

    def __init__(self):
        self.lock = threading.Lock()
        self.numbers = []
        self.drafts = 0


class Worker(threading.Thread):
    def __init__(self, index, port, stats, shared, units, owned, contended, others, deadline):
        super().__init__(name=f"worker-{index}", daemon=True)
        self.index, self.port, self.stats, self.shared = index, port, stats, shared
        self.units, self.owned, self.contended, self.others = units, owned, contended, others
        self.outside_with_mobile = [p for p in others if getattr(p, "mobile_registered", False)]
        self.deadline = deadline
        self.rng = random.Random(1000 + index)
        self.unit = units[index % len(units)]
        self.open = {}     # person n -> (application id, number) held open by this worker
        self.closed = []   # withdrawn application ids
        self.failed = None
        self.token = self.refresh_token = self.reviewer = None
        self.token_at = 0.0
        self.c = None

    # -- requests ---------------------------------------------------------------------------
    def req(self, op, method, path, expected, token=None, **kw):
        """Sends; records the status against `expected`; returns the reply or None (no answer)."""
        try:
            r = self.c.call(method, path, token, **kw)
        except ConnError as error:
            self.stats.record(op, "conn", None, False, f"{method} {path}: {error}")
            return None
        self.stats.record(op, r.status, r.seconds, answer_ok(r.status, expected),
                          f"{method} {path.split('?')[0]} -> {r.text[:300]}")
        return r

    def check(self, name, condition, detail):
        if not condition:
            self.stats.record("check:" + name, "inconsistent", None, False, detail)

    def login(self):
        r = self.req("login", "POST", "/api/v1/auth/login", {200},
                     body={"username": self.unit["username"], "password": F.UNIT_PASSWORD, "user_type": "unit"})
        if r is not None and r.status == 200:
            self.token, self.refresh_token, self.token_at = r.body["access_token"], r.body["refresh_token"], time.monotonic()

    def reviewer_login(self):
        r = self.req("login", "POST", "/api/v1/auth/login", {200},
                     body={"username": "reviewer", "password": F.SEED_PASSWORD, "user_type": "association"})
        if r is not None and r.status == 200:
            self.reviewer = r.body["access_token"]

    # -- operations -------------------------------------------------------------------------
    def op_reads(self):
        path = self.rng.choice(["/api/v1/unit/home", "/api/v1/unit", "/api/v1/me", "/api/v1/clauses"])
        self.req("unit_read", "GET", path, {200}, self.token)

    def op_list(self):
        params = self.rng.choice([{"limit": 20}, {"state": "created"}, {"kind": "initial", "limit": 50},
                                  {"q": self.rng.choice(self.owned).name}, {"state": "withdrawn", "limit": 5}])
        r = self.req("unit_list", "GET", "/api/v1/unit/applications?" + q(**params), {200}, self.token)
        if r is not None and r.status == 200:
            ids = [a["id"] for a in r.body["items"]]
            self.check("list_unique", len(ids) == len(set(ids)), f"duplicate ids in a page: {params}")

    def op_people(self):
        path = self.rng.choice(["/api/v1/unit/practitioners", "/api/v1/unit/renewals", "/api/v1/unit/qualifications"])
        self.req("unit_people", "GET", path, {200}, self.token)

    def op_search(self):
        pick = self.rng.random()
        if pick < 0.4:
            p = self.rng.choice(self.owned)
            r = self.req("search", "GET", "/api/v1/unit/practitioners/search?" + q(id_number=p.id_number, name=p.name),
                         {200}, self.token)
            if r is not None and r.status == 200:
                code = (r.body.get("refusal") or {}).get("code")
                if p.n in self.open:
                    self.check("search_open", code == "application_open", f"{p} has open {self.open[p.n][0]}, search says {code}")
                else:
                    self.check("search_free", r.body.get("eligible") is True and r.body.get("kind") == "initial",
                               f"{p} has nothing open, search says {r.text[:200]}")
            return
        if pick < 0.85:
            p = self.rng.choice(self.others if self.rng.random() < 0.85 else self.outside_with_mobile)
            pid, name, want = p.id_number, p.name, expected_refusal(p)
        else:
            pid, name, want = F.unknown_id(self.rng.randrange(1000)), "王五", "person_not_found"
        r = self.req("search", "GET", "/api/v1/unit/practitioners/search?" + q(id_number=pid, name=name), {200}, self.token)
        if r is not None and r.status == 200:
            code = (r.body.get("refusal") or {}).get("code")
            self.check("search_refusal", code == want, f"{pid} {name}: want {want}, got {code}")

    def op_search_bad(self):
        params = self.rng.choice([{"id_number": "123", "name": "王五"}, {"id_number": self.owned[0].id_number},
                                  {"id_number": "35020319600101000X", "name": "王五"}])
        self.req("search_bad", "GET", "/api/v1/unit/practitioners/search?" + q(**params), {422}, self.token)

    def op_write(self):
        p = self.rng.choice(self.owned)
        if p.n in self.open:
            app_id, _ = self.open[p.n]
            r = self.req("withdraw", "POST", f"/api/v1/unit/applications/{app_id}/withdraw", {200}, self.token,
                         body={"reason": "人员信息有误"} if self.rng.random() < 0.5 else {})
            if r is not None and r.status == 200:
                self.check("withdrawn_state", r.body.get("state") == "withdrawn", r.text[:200])
                del self.open[p.n]
                self.closed.append(app_id)
                if len(self.closed) > 200:
                    self.closed = self.closed[-100:]
        else:
            r = self.req("submit", "POST", "/api/v1/unit/applications", {201}, self.token, body=F.application_input(p),
                         headers={"Idempotency-Key": uuid.uuid4().hex})
            if r is not None and r.status == 201:
                self.open[p.n] = (r.body["id"], r.body["number"])
                with self.shared.lock:
                    self.shared.numbers.append(r.body["number"])
                    if len(self.shared.numbers) > 500:
                        del self.shared.numbers[:250]

    def op_detail(self):
        if self.open and self.rng.random() < 0.6:
            app_id, _ = self.open[self.rng.choice(list(self.open))]
            want = "created"
        elif self.closed:
            app_id, want = self.rng.choice(self.closed), "withdrawn"
        else:
            return
        r = self.req("detail", "GET", f"/api/v1/unit/applications/{app_id}", {200}, self.token)
        if r is not None and r.status == 200:
            self.check("detail_state", r.body.get("state") == want, f"{app_id}: want {want}, got {r.body.get('state')}")

    def op_contended(self):
        p = self.rng.choice(self.contended)
        r = self.req("contended_submit", "POST", "/api/v1/unit/applications", {201, 409}, self.token, body=F.application_input(p))
        if r is None:
            return
        if r.status == 409:
            self.check("contended_409_code", r.code() == "application_open", r.text[:200])
        elif r.status == 201:
            self.req("contended_withdraw", "POST", f"/api/v1/unit/applications/{r.body['id']}/withdraw", {200}, self.token)

    def op_public(self):
        pick = self.rng.random()
        with self.shared.lock:
            number = self.rng.choice(self.shared.numbers) if self.shared.numbers else None
        if pick < 0.45 and number:
            self.req("public_lookup", "GET", "/api/v1/public/applications?" + q(number=number), {200, 429})
        elif pick < 0.6:
            self.req("public_lookup", "GET", "/api/v1/public/applications?" + q(number="SB20261127-FORGED00"), {404, 429})
        elif pick < 0.75:
            self.req("public_lookup", "GET", "/api/v1/public/practitioners?" + q(uscc=self.unit["uscc"]), {200, 429})
        elif pick < 0.85:
            self.req("public_lookup", "GET", "/api/v1/public/practitioners?" + q(certificate_no="GS2026-NONE"), {200, 429})
        else:
            self.req("public_bad", "GET", self.rng.choice(["/api/v1/public/applications?number=x",
                                                          "/api/v1/public/practitioners"]), {422})

    def op_reviewer(self):
        path = self.rng.choice(["/api/v1/review/applications", "/api/v1/review/registrations",
                                "/api/v1/review/applications?limit=50"])
        r = self.req("reviewer_queue", "GET", path, {200, 401}, self.reviewer)
        if r is not None and r.status == 401:
            self.reviewer_login()

    def op_refresh(self):
        r = self.req("refresh", "POST", "/api/v1/auth/refresh", {200}, body={"refresh_token": self.refresh_token})
        if r is not None and r.status == 200:
            self.token, self.refresh_token, self.token_at = r.body["access_token"], r.body["refresh_token"], time.monotonic()

    def op_bad_login(self):
        if self.rng.random() < 0.5:
            body = {"username": "soakdecoy", "password": "wrong-" + str(self.rng.random()), "user_type": "unit"}
            self.req("bad_login", "POST", "/api/v1/auth/login", {401, 429}, body=body)
        else:
            body = {"username": f"nobody{self.rng.randrange(10**6)}", "password": "whatever1", "user_type": "unit"}
            self.req("bad_login", "POST", "/api/v1/auth/login", {401}, body=body)

    def op_registration(self):
        with self.shared.lock:
            self.shared.drafts += 1
            n = self.shared.drafts
        r = self.req("registration_draft", "POST", "/api/v1/registrations", {201},
                     body=F.basic_info(f"sd{n:06d}w{self.index}", F.uscc(100000 + n), n))
        if r is not None and r.status == 201:
            reg_id, token = r.body["registration"]["id"], r.body["session"]["access_token"]
            got = self.req("registration_read", "GET", f"/api/v1/registrations/{reg_id}", {200}, token)
            if got is not None and got.status == 200:
                self.check("registration_read", got.body.get("id") == reg_id, got.text[:200])

    def op_bad_input(self):
        app_id = self.rng.choice(list(self.open.values()))[0] if self.open else "01NOSUCHAPPLICATION0000000"
        choice = self.rng.randrange(10)
        if choice == 0:
            self.req("bad_input", "GET", "/api/v1/unit/home", {401})
        elif choice == 1:
            self.req("bad_input", "GET", "/api/v1/review/applications", {403}, self.token)
        elif choice == 2:
            self.req("bad_input", "GET", "/api/v1/unit/applications/01NOSUCHAPPLICATION0000000", {404}, self.token)
        elif choice == 3:
            self.req("bad_input", "GET", "/api/v1/unit/applications?state=nonsense", {422}, self.token)
        elif choice == 4:
            self.req("bad_input", "POST", "/api/v1/unit/applications", {422}, self.token,
                     body=F.application_input(self.rng.choice(self.owned), confirmed=False))
        elif choice == 5:
            self.req("bad_input", "POST", "/api/v1/unit/applications", {400}, self.token, raw=b'{"id_number": ',
                     content_type="application/json")
        elif choice == 6:
            # An application that exists refuses the long reason (422); an unknown one is 404.
            self.req("bad_input", "POST", f"/api/v1/unit/applications/{app_id}/withdraw", {422} if self.open else {404},
                     self.token, body={"reason": "长" * 300})
        elif choice == 7:
            self.req("bad_input", "GET", "/api/v1/no/such/route", {404}, self.token)
        elif choice == 8:
            self.req("bad_input", "GET", "/api/v1/unit/home", {401}, "not.a.token")
        else:
            self.req("bad_input", "POST", "/api/v1/uploads", {422}, self.token,
                     body={"purpose": "signed_form", "file_name": "a.exe", "content_type": "application/x-msdownload", "size": 10})

    def op_openapi(self):
        self.req("openapi", "GET", "/api/v1/openapi.json", {200})

    OPS = [("op_reads", 8), ("op_list", 5), ("op_people", 2), ("op_search", 10), ("op_search_bad", 2), ("op_write", 8),
           ("op_detail", 3), ("op_contended", 2), ("op_public", 3), ("op_reviewer", 3), ("op_refresh", 1),
           ("op_bad_login", 1), ("op_registration", 1), ("op_bad_input", 3), ("op_openapi", 0.2)]

    def run(self):
        try:
            self.c = Client(self.port)
            self.login()
            self.reviewer_login()
            names = [n for n, _ in self.OPS]
            weights = [w for _, w in self.OPS]
            for _ in range(5_000_000):  # bounded; the deadline ends it long before
                if time.monotonic() >= self.deadline:
                    break
                if self.token is None or time.monotonic() - self.token_at > 300 or self.rng.random() < 0.01:
                    self.login()
                    if self.token is None:
                        time.sleep(0.2)
                        continue
                getattr(self, self.rng.choices(names, weights)[0])()
        except Exception as error:  # a bug in this script, not the server's answer
            self.failed = f"{type(error).__name__}: {error}"
        finally:
            if self.c:
                self.c.close()


# ---------------------------------------------------------------------------------------------
# The run


class Failed(Exception):
    pass


def setup(binary, work, gateway):
    persons = F.people(2000)
    csv = os.path.join(work, "registry.csv")
    F.write_registry(csv, persons)
    t = time.monotonic()
    import_registry(binary, gateway.data_dir, csv, gateway.log_path)
    log(f"imported {len(persons)} practitioners in {time.monotonic() - t:.1f} s")
    gateway.start()
    log(f"gateway pid {gateway.pid} on 127.0.0.1:{gateway.port}")
    c = Client(gateway.port)
    units = []
    for i, name in enumerate(["soakunita", "soakunitb"]):
        code = F.uscc(i + 1)
        F.approved_unit(c, name, code, i)
        units.append({"username": name, "uscc": code})
    F.draft_registration(c, "soakdecoy", F.uscc(99), 3)
    ready = [p for p in persons if p.kind == "ready"]
    with_mobile = ready[:40]
    # A few outside the units' scope get a mobile too: the search checks the mobile before
    # the scope, so only they are refused with qualification_not_covering.
    outside = [p for p in persons if p.kind == "outside"][:5]
    for p in with_mobile + outside:
        F.register_mobile(c, p)
        p.mobile_registered = True
    c.close()
    log(f"approved units {', '.join(u['username'] for u in units)}; mobiles registered for "
        f"{len(with_mobile) + len(outside)} practitioners")
    others = ready[40:] + [p for p in persons if p.kind != "ready"]
    return units, with_mobile[:4], with_mobile[4:], others


def soak(binary, work, minutes, quick, workers):
    """The whole soak in `work`; raises Failed with the reasons."""
    duration, warmup, window = plan(minutes, quick)
    workers = max(2, min(workers, 32))
    arenas = os.environ.get("SOAK_MALLOC_ARENA_MAX", "2")
    if arenas:
        os.environ["MALLOC_ARENA_MAX"] = arenas  # the gateway's environment (gateway.gateway_env)
    data_dir, log_path = os.path.join(work, "data"), os.path.join(work, "gateway.log")
    stats, shared = Stats(), Shared()
    gateway = Gateway(binary, data_dir, log_path, os.path.join(work, "gateway.pid"))
    try:
        try:
            units, contended, writable, others = setup(binary, work, gateway)
        except (Unexpected, ConnError, RuntimeError) as error:
            raise Failed(f"setup: {error}") from None
        log(f"load: {workers} workers for {duration:.0f} s (memory baseline after {warmup:.0f} s; "
            f"MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', 'glibc default')})")
        started = time.monotonic()
        deadline = started + duration
        threads = [Worker(i, gateway.port, stats, shared, units, writable[i::workers], contended, others, deadline)
                   for i in range(workers)]
        samples = []  # (seconds since start, RSS kB, data file bytes, gateway threads)
        for t in threads:
            t.start()
        table_file = os.path.join(data_dir, "table.redb")
        next_report, reported = started + 60, 0
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 120:
            rss, nthreads = gateway.proc_status()
            now = time.monotonic()
            if rss is not None:
                samples.append((now - started, rss, os.path.getsize(table_file), nthreads))
            if not gateway.alive():
                break
            if now >= next_report:
                log(f"  {now - started:5.0f} s  requests {stats.total} (+{stats.total - reported} this minute)  "
                    f"errors {stats.errors}  RSS {rss // MIB if rss else '?'} MiB")
                next_report, reported = next_report + 60, stats.total
            time.sleep(RSS_EVERY)
        stuck = [t.name for t in threads if t.is_alive()]
        elapsed = time.monotonic() - started
        end_rss, nthreads = gateway.proc_status()
        if end_rss is not None:
            samples.append((elapsed, end_rss, os.path.getsize(table_file), nthreads))
        with open(os.path.join(work, "rss.csv"), "w") as f:
            f.write("seconds,rss_kb,data_file_bytes,threads\n")
            f.writelines(",".join(str(v) for v in (round(x[0], 1),) + x[1:]) + "\n" for x in samples)
        alive = gateway.alive()
        retries = sum(getattr(t.c, "stale_retries", 0) for t in threads)
    finally:
        gateway.stop()

    report(stats, elapsed, workers, retries)
    reasons = []
    load_end = min(elapsed, duration)
    baseline = median_window(samples, warmup, warmup + window)
    ending = median_window(samples, load_end - window, load_end + RSS_EVERY)
    if samples and baseline and ending and load_end - window > warmup + window:
        first = samples[0]
        peak = max(x[1] for x in samples)
        log("")
        log(f"RSS           first {first[1] / MIB:.1f} MiB; baseline {baseline[0] / MIB:.1f} MiB "
            f"(median {warmup:.0f}–{warmup + window:.0f} s); end {ending[0] / MIB:.1f} MiB (median of the last "
            f"{window:.0f} s); max {peak / MIB:.1f} MiB; last sample {samples[-1][1] / MIB:.1f} MiB "
            f"({len(samples)} samples every {RSS_EVERY:.0f} s; gateway threads {baseline[2]} at the baseline, "
            f"{ending[2]} at the end)")
        flat, allowed, strict, grown = memory_verdict(baseline, ending)
        log(f"data file     {first[2] / 2**20:.1f} MiB at start, {baseline[1] / 2**20:.1f} MiB at the baseline, "
            f"{ending[1] / 2**20:.1f} MiB at the end (+{grown / 2**20:.1f} MiB)")
        log(f"memory        {'flat' if flat else 'NOT flat'}: end {ending[0] / MIB:.1f} MiB, allowed {allowed / MIB:.1f} MiB "
            f"= baseline + max(20 %, 8 MiB) + data growth; without the data allowance {strict / MIB:.1f} MiB "
            f"({'within' if ending[0] <= strict else 'above'})")
        if not flat:
            reasons.append(f"RSS grew from {baseline[0] / MIB:.1f} to {ending[0] / MIB:.1f} MiB")
    else:
        reasons.append("too few RSS samples to judge memory")
    if stats.errors:
        reasons.append(f"{stats.errors} errors")
    if not alive:
        reasons.append("the gateway died")
    if stuck:
        reasons.append(f"workers did not stop: {', '.join(stuck)}")
    broken = [f"{t.name}: {t.failed}" for t in threads if t.failed]
    if broken:
        reasons.append("worker crashed: " + "; ".join(broken))
    panics, logged_errors, examples = scan_log(log_path)
    log(f"gateway log   {panics} panics, {logged_errors} ERROR lines")
    for line in examples:
        log("  " + line)
    if panics or logged_errors:
        reasons.append(f"the gateway logged {panics} panics and {logged_errors} errors")
    writes = stats.count("submit", 201) + stats.count("withdraw", 200)
    log(f"writes        {writes} acknowledged submissions and withdrawals")
    if writes == 0:
        reasons.append("no writes happened")
    if reasons:
        raise Failed("; ".join(reasons))


def report(stats, elapsed, workers, retries):
    log("")
    log(f"requests      {stats.total} in {elapsed:.0f} s = {stats.total / max(elapsed, 1e-9):.1f} req/s ({workers} workers)")
    log("by status     " + "  ".join(f"{s}: {n}" for s, n in sorted(stats.by_status.items(), key=lambda kv: str(kv[0]))))
    log(f"429 (limits)  {stats.limited} (expected where limits apply; not errors)")
    log(f"errors        {stats.errors}  (5xx, no answer, unexpected status, inconsistent answer)")
    if retries:
        log(f"note          {retries} requests resent after the server closed an idle keep-alive connection")
    log("")
    log(f"{'operation':22} {'count':>7}  {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  statuses")
    for op in sorted(stats.by_op):
        counts = stats.by_op[op]
        n = sum(counts.values())
        lat = [stats.percentile(op, p) for p in (0.5, 0.95, 1.0)]
        lat_s = " ".join(f"{x * 1000:7.0f}" if x is not None else f"{'-':>7}" for x in lat)
        log(f"{op:22} {n:7d}  {lat_s}  " + " ".join(f"{s}:{c}" for s, c in sorted(counts.items(), key=lambda kv: str(kv[0]))))
    if stats.groups:
        log("")
        log("errors by operation, status and code (count, first example):")
        for (op, status, code), (count, example) in sorted(stats.groups.items(), key=lambda kv: -kv[1][0]):
            log(f"  {count:6d}  {op} {status} {code}")
            log(f"          {example}")


def main(argv=None):
    try:
        minutes, quick, wants_help = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    if wants_help:
        print(__doc__.rstrip())
        return 0
    workers = int(os.environ.get("SOAK_WORKERS") or 6)
    binary = resolve_binary(PROG)
    install_signal_handlers()
    with work_dir("gongshi-soak.", keep=bool(os.environ.get("SOAK_KEEP"))) as work:
        try:
            soak(binary, work, minutes, quick, workers)
        except Failed as reasons:
            log(f"soak: FAIL ({reasons})")
            return 1
        except KeyboardInterrupt:
            log("soak: FAIL (interrupted)")
            return 130
        log("soak: PASS")
        return 0


if __name__ == "__main__":
    sys.exit(main())
