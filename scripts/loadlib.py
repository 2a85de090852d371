"""Shared by scripts/soak and scripts/crash-check: start and stop the local gateway, make
fixtures through the HTTP API (registry CSV, approved units, practitioners with verified
mobiles), and a small HTTP client. Python 3 standard library only; traffic to 127.0.0.1 only.
"""

import ctypes
import datetime
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse

SEED_PASSWORD = os.environ.get("GONGSHI_SEED_PASSWORD") or "Review3r-soak"
UNIT_PASSWORD = "Gongshi2026"
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
OPEN_STATES = {"created", "awaiting_confirmation", "under_review"}

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(
    [0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE]
)


def log(*parts):
    print(*parts, flush=True)


# ---------------------------------------------------------------------------------------------
# Identities


def id_number(first17):
    """A valid ID number (GB 11643) from 17 digits."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def uscc(n):
    """A unified social credit code (GB 32100) with a valid check character."""
    body = f"91350200{n:09d}"
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


class Person:
    """One practitioner of the generated registry."""

    def __init__(self, n, kind):
        day = (datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
        self.n = n
        self.id_number = id_number(f"350203{day}{n % 1000:03d}")
        self.name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
        self.mobile = f"139{n:08d}"
        # ready: items the test units cover (a mobile is registered for some of them);
        # lapsed: the only item ran out; outside: an item the units' qualification does not cover.
        self.kind = kind

    def __repr__(self):
        return f"Person({self.n}, {self.id_number}, {self.kind})"


def people(count):
    """The registry: every 10th person lapsed, every 10th (offset 5) outside the units' scope."""
    out = []
    for n in range(count):
        kind = "lapsed" if n % 10 == 9 else "outside" if n % 10 == 5 else "ready"
        out.append(Person(n, kind))
    return out


def unknown_id(n):
    """A valid ID number that is not in the registry."""
    return id_number(f"11010119900101{n % 1000:03d}")


def write_registry(path, persons):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status\n")
        for p in persons:
            if p.kind == "ready":
                items = [("GL-1", "锅炉定期检验", "2030-06-30"), ("RQ-1", "压力容器定期检验", "2031-06-30")]
            elif p.kind == "lapsed":
                items = [("GL-1", "锅炉定期检验", "2025-12-31")]
            else:
                items = [("DT-1", "电梯定期检验", "2030-06-30")]
            for code, item, until in items:
                f.write(f"{p.id_number},{p.name},TS-{p.id_number},{code},{item},检验员,国家市场监督管理总局,2022-01-01,{until},valid\n")


def import_registry(binary, data_dir, csv_path, log_path):
    with open(log_path, "ab") as out:
        done = subprocess.run(
            [binary, "--import-practitioners", csv_path, "--data-dir", data_dir],
            stdout=out, stderr=subprocess.STDOUT, timeout=300, env=gateway_env(),
        )
    if done.returncode != 0:
        raise RuntimeError(f"import failed ({done.returncode}); see {log_path}")


# ---------------------------------------------------------------------------------------------
# The gateway process


def gateway_env():
    env = dict(os.environ)
    env["GONGSHI_SEED_PASSWORD"] = SEED_PASSWORD
    env.setdefault("RUST_LOG", "warn")
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # PR_SET_PDEATHSIG: the gateway gets SIGKILL if this script dies without cleaning up.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


class Gateway:
    """One gongshi-local process on a data directory; restartable on the same directory."""

    def __init__(self, binary, data_dir, log_path, pid_file=None):
        self.binary, self.data_dir, self.log_path, self.pid_file = binary, data_dir, log_path, pid_file
        self.port = free_port()
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=60):
        """Starts and waits until the API answers; returns the seconds it took."""
        started = time.monotonic()
        for attempt in range(3):
            with open(self.log_path, "ab") as out:
                out.write(f"\n==== start on 127.0.0.1:{self.port} at {time.strftime('%H:%M:%S')}\n".encode())
                out.flush()
                self.proc = subprocess.Popen(
                    [self.binary, "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir],
                    stdout=out, stderr=subprocess.STDOUT, env=gateway_env(), preexec_fn=_die_with_parent,
                )
            if self.pid_file:
                with open(self.pid_file, "w") as f:
                    f.write(str(self.proc.pid))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                    conn.request("GET", "/api/v1/clauses")
                    status = conn.getresponse().status
                    conn.close()
                    if status < 500:
                        return time.monotonic() - started
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"gateway did not answer within {timeout} s; see {self.log_path}")
            # Exited at once: most likely the port was taken meanwhile; try another one.
            self.port = free_port()
        raise RuntimeError(f"gateway exited at start (code {self.proc.returncode}); see {self.log_path}")

    def proc_status(self):
        """VmRSS (kB) and thread count of the gateway, or (None, None)."""
        rss = threads = None
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads = int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return rss, threads

    def rss_kb(self):
        return self.proc_status()[0]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait(timeout=30)

    def stop(self):
        """SIGTERM (graceful shutdown), then SIGKILL after 10 s."""
        if not self.proc:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.pid_file and os.path.exists(self.pid_file):
            os.remove(self.pid_file)


def scan_log(path, max_examples=5):
    """Panics and ERROR lines in the gateway's log: (panic count, error count, examples)."""
    panics = errors = 0
    examples = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                plain = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
                hit = False
                if "panicked" in plain:
                    panics += 1
                    hit = True
                elif re.search(r"\bERROR\b", plain):
                    errors += 1
                    hit = True
                if hit and len(examples) < max_examples:
                    examples.append(plain[:300])
    except OSError:
        pass
    return panics, errors, examples


def install_signal_handlers():
    """SIGTERM/SIGINT/SIGHUP become KeyboardInterrupt so `finally` blocks stop the gateway."""

    def interrupt(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, interrupt)


# ---------------------------------------------------------------------------------------------
# HTTP


class ConnError(Exception):
    """No HTTP answer: refused, reset, timed out. `sent` is False when the connection was
    refused, so the server cannot have seen the request."""

    def __init__(self, message, sent=True):
        super().__init__(message)
        self.sent = sent


class Reply:
    def __init__(self, status, body, headers, text, seconds):
        self.status, self.body, self.headers, self.text, self.seconds = status, body, headers, text, seconds

    def code(self):
        """The problem's `code` (top level, or of the first field error)."""
        if isinstance(self.body, dict):
            if self.body.get("code"):
                return self.body["code"]
            errors = self.body.get("errors") or []
            if errors and isinstance(errors[0], dict):
                return errors[0].get("code")
        return None

    def __repr__(self):
        return f"HTTP {self.status}: {self.text[:300]}"


class Client:
    """One keep-alive connection (one per thread). `retry_stale`: resend once when a reused
    connection turns out closed (off where a crashed server must not be mistaken for that)."""

    def __init__(self, port, timeout=30, retry_stale=True):
        self.port, self.timeout, self.retry_stale = port, timeout, retry_stale
        self.conn = None
        self.stale_retries = 0

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def call(self, method, path, token=None, body=None, headers=None, raw=None, content_type=None):
        hdrs = {"accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            hdrs["content-type"] = "application/json"
        elif raw is not None:
            data = raw
            hdrs["content-type"] = content_type or "application/octet-stream"
        if token:
            hdrs["authorization"] = f"Bearer {token}"
        hdrs.update(headers or {})
        maybe_sent = False  # an earlier attempt may have reached the server
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.monotonic()
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                # A keep-alive connection the server closed while idle: the request never reached
                # a handler, so sending it once more on a new connection is safe.
                if self.retry_stale and reused and attempt == 1 and isinstance(error, (http.client.RemoteDisconnected, BrokenPipeError)):
                    self.stale_retries += 1
                    maybe_sent = True
                    continue
                raise ConnError(f"{type(error).__name__}: {error}") from None
            except (OSError, http.client.HTTPException) as error:
                self.close()
                raise ConnError(f"{type(error).__name__}: {error}",
                                sent=maybe_sent or not isinstance(error, ConnectionRefusedError)) from None
            seconds = time.monotonic() - started
            text = payload.decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = None
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return Reply(response.status, parsed, {k.lower(): v for k, v in response.getheaders()}, text, seconds)
        raise ConnError("unreachable")


def q(**params):
    return urllib.parse.urlencode(params)


class Unexpected(Exception):
    pass


def expect(reply, *statuses, what=""):
    if reply.status not in statuses:
        raise Unexpected(f"{what}: expected {statuses}, got {reply!r}")
    return reply


# ---------------------------------------------------------------------------------------------
# Fixtures through the API


def login(c, username, password, user_type):
    r = expect(c.call("POST", "/api/v1/auth/login", body={"username": username, "password": password, "user_type": user_type}),
               200, what=f"login {username}")
    return r.body["access_token"]


def reviewer_token(c):
    return login(c, "reviewer", SEED_PASSWORD, "association")


def upload(c, token, purpose, file_name, content_type, data):
    slot = expect(c.call("POST", "/api/v1/uploads", token, {"purpose": purpose, "file_name": file_name,
                                                             "content_type": content_type, "size": len(data)}),
                  201, what=f"presign {purpose}").body
    url = urllib.parse.urlsplit(slot["url"])
    path = url.path + ("?" + url.query if url.query else "")
    headers = {k: v for k, v in slot.get("headers", {}).items() if k.lower() not in ("content-length", "host", "connection")}
    put = c.call(slot.get("method") or "PUT", path, raw=data, headers=headers,
                 content_type=headers.get("content-type", content_type))
    if put.status >= 300:
        raise Unexpected(f"PUT presigned upload: {put!r}")
    expect(c.call("POST", f"/api/v1/uploads/{slot['upload_id']}/complete", token), 200, what="complete upload")
    return slot["upload_id"]


UNIT_NAMES = ["厦门市特种设备检验检测院", "福州市特种设备检验检测院", "泉州市特种设备检验研究所", "漳州市锅炉压力容器检验所"]


def basic_info(username, code, n=0):
    return {"username": username, "password": UNIT_PASSWORD, "unit_name": UNIT_NAMES[n % len(UNIT_NAMES)], "uscc": code,
            "legal_representative": "张三", "address": "福建省厦门市湖里区华泰路1号", "postcode": "361000"}


def draft_registration(c, username, code, n=0):
    """Step 1 only: (registration id, registrant token)."""
    r = expect(c.call("POST", "/api/v1/registrations", body=basic_info(username, code, n)), 201, what="create registration")
    return r.body["registration"]["id"], r.body["session"]["access_token"]


def approved_unit(c, username, code, n=0, contact_mobile="13800138000"):
    """A unit registered in four steps, submitted and approved; returns its admin's token."""
    reg_id, token = draft_registration(c, username, code, n)
    licence = upload(c, token, "business_licence", "营业执照.pdf", "application/pdf", PDF)
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/licence", token, {"upload_id": licence}), 200, what="licence")
    scan = upload(c, token, "qualification_scan", "核准证.png", "image/png", PNG)
    qualification = {"kind": "approval", "certificate_no": "TS7110236-2028", "authority": "国家市场监督管理总局",
                     "items": ["锅炉定期检验", "压力容器定期检验"], "valid_from": "2024-03-01", "valid_until": "2028-02-29",
                     "scan_upload_id": scan}
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/qualification", token, qualification), 200, what="qualification")
    contact = {"name": "李四", "id_number": "11010519491231002X", "mobile": contact_mobile, "email": "lisi@example.com"}
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/contact", token, contact), 200, what="contact")
    expect(c.call("POST", f"/api/v1/registrations/{reg_id}/submit", token), 200, what="submit registration")
    reviewer = reviewer_token(c)
    expect(c.call("POST", f"/api/v1/review/registrations/{reg_id}/decision", reviewer, {"outcome": "approve"}), 200,
           what="approve registration")
    return login(c, username, UNIT_PASSWORD, "unit")


def latest_code(c, mobile, marker):
    """The newest 6-digit code sent to `mobile` in an SMS containing `marker` (local outbox)."""
    messages = expect(c.call("GET", "/_local/outbox.json"), 200, what="outbox").body
    for m in messages:  # newest first
        if m.get("channel") == "sms" and mobile in m.get("to", "") and marker in m.get("body", ""):
            found = re.search(r"(?<!\d)(\d{6})(?!\d)", m["body"])
            if found:
                return found.group(1)
    raise Unexpected(f"no SMS with a code to {mobile}")


def register_mobile(c, person):
    who = {"id_number": person.id_number, "name": person.name, "mobile": person.mobile}
    expect(c.call("POST", "/api/v1/practitioners/mobile/code", body=who), 202, what=f"mobile code {person}")
    code = latest_code(c, person.mobile, "登记执业人手机号码")
    expect(c.call("POST", "/api/v1/practitioners/mobile", body=dict(who, code=code)), 200, what=f"register mobile {person}")


def application_input(person, kind="initial", confirmed=True):
    return {"id_number": person.id_number, "name": person.name, "kind": kind, "clause_version": 1,
            "clauses_confirmed": confirmed}


def search(c, token, person_id, name):
    return c.call("GET", "/api/v1/unit/practitioners/search?" + q(id_number=person_id, name=name), token)


def all_applications(c, token, max_pages=500):
    """Every application of the caller's unit, following cursors (bounded)."""
    items, cursor = [], None
    for _ in range(max_pages):
        params = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        r = expect(c.call("GET", "/api/v1/unit/applications?" + q(**params), token), 200, what="list applications")
        items.extend(r.body["items"])
        cursor = r.body.get("next_cursor")
        if not cursor:
            return items
    raise Unexpected(f"more than {max_pages} pages of applications")


# ---------------------------------------------------------------------------------------------
# Figures


class Stats:
    """Thread-safe counts of requests by operation and status, latencies and error samples."""

    def __init__(self, max_samples=30):
        self.lock = threading.Lock()
        self.by_status = {}
        self.by_op = {}
        self.latency = {}
        self.errors = 0
        self.limited = 0
        self.groups = {}
        self.max_samples = max_samples
        self.total = 0

    def record(self, op, status, seconds, ok, detail=""):
        """status: HTTP status, or "conn" for no answer. ok: the status was one this request may get."""
        with self.lock:
            self.total += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            per = self.by_op.setdefault(op, {})
            per[status] = per.get(status, 0) + 1
            if seconds is not None:
                self.latency.setdefault(op, []).append(seconds)
            if status == 429:
                self.limited += 1
            if not ok:
                self.errors += 1
                # Grouped by operation, status and problem code; the first of each kept as example.
                code = re.search(r'"code":"([a-z_]+)"', detail or "")
                signature = (op, str(status), code.group(1) if code else "")
                if signature in self.groups:
                    self.groups[signature][0] += 1
                elif len(self.groups) < self.max_samples:
                    self.groups[signature] = [1, f"{op}: {status} {detail}"[:500]]

    def percentile(self, op, p):
        values = sorted(self.latency.get(op, []))
        if not values:
            return None
        return values[min(len(values) - 1, int(p * len(values)))]
