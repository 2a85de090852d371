"""Fixtures, made once for every tool: valid ID numbers (GB 11643) and unified social credit
codes (GB 32100), the generated practitioner registry and its CSV, and the set-ups through
the HTTP API (login, upload, a unit registered in four steps and approved, a practitioner's
mobile registered with the code from the local outbox)."""

import csv
import datetime
import os
import re
import urllib.parse

from .client import Unexpected, expect, q

SEED_PASSWORD = os.environ.get("GONGSHI_SEED_PASSWORD") or "Review3r-soak"
UNIT_PASSWORD = "Gongshi2026"
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
OPEN_STATES = {"created", "awaiting_confirmation", "under_review"}
UNIT_NAMES = ["厦门市特种设备检验检测院", "福州市特种设备检验检测院", "泉州市特种设备检验研究所", "漳州市锅炉压力容器检验所"]
CONTACT_ID_NUMBER = "11010519491231002X"  # the standard's own example

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(
    [0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE]
)


# ---------------------------------------------------------------------------------------------
# Identities


def id_check_char(first17):
    """The check character of an ID number (GB 11643) for its first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"an ID number starts with 17 digits: {first17!r}")
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number(first17):
    """A valid ID number (GB 11643) from 17 digits."""
    return first17 + id_check_char(first17)


def uscc_check_char(body17):
    """The check character of a unified social credit code (GB 32100) for its first 17."""
    if len(body17) != 17 or any(c not in USCC_ALPHABET for c in body17):
        raise ValueError(f"a USCC starts with 17 characters of {USCC_ALPHABET}: {body17!r}")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc(n):
    """The n-th generated unified social credit code (Xiamen, a company), check character valid."""
    body = f"91350200{n:09d}"
    return body + uscc_check_char(body)


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


def kind_of(n):
    """Every 10th person lapsed (n % 10 == 9), every 10th outside the units' scope (n % 10 == 5)."""
    return "lapsed" if n % 10 == 9 else "outside" if n % 10 == 5 else "ready"


def people(count):
    """The registry's first `count` people."""
    return [Person(n, kind_of(n)) for n in range(count)]


def unknown_id(n):
    """A valid ID number that is not in the registry."""
    return id_number(f"11010119900101{n % 1000:03d}")


# ---------------------------------------------------------------------------------------------
# The registry CSV (gongshi-local --import-practitioners)

REGISTRY_COLUMNS = ["id_number", "name", "certificate_no", "item_code", "item_name", "level", "issuer",
                    "issued_on", "valid_until", "status"]
ITEMS_BY_KIND = {
    "ready": [("GL-1", "锅炉定期检验", "2030-06-30"), ("RQ-1", "压力容器定期检验", "2031-06-30")],
    "lapsed": [("GL-1", "锅炉定期检验", "2025-12-31")],
    "outside": [("DT-1", "电梯定期检验", "2030-06-30")],
}
# scripts/bench's import: three valid items for everybody.
BENCH_ITEMS = [("GL-1", "锅炉定期检验", "2030-06-30"), ("RQ-1", "压力容器定期检验", "2031-06-30"),
               ("DT-1", "电梯定期检验", "2029-12-31")]


def registry_rows(persons, items=None):
    """The CSV rows (lists) of the registry: each person's items by kind, or `items` for all."""
    for p in persons:
        for code, item, until in items or ITEMS_BY_KIND[p.kind]:
            yield [p.id_number, p.name, f"TS-{p.id_number}", code, item, "检验员", "国家市场监督管理总局",
                   "2022-01-01", until, "valid"]


def write_registry(path, persons, items=None):
    """Writes the registry CSV; returns the number of rows (without the header)."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(REGISTRY_COLUMNS)
        for row in registry_rows(persons, items):
            out.writerow(row)
            rows += 1
    return rows


# ---------------------------------------------------------------------------------------------
# Set-ups through the API


def login(c, username, password, user_type):
    r = expect(c.call("POST", "/api/v1/auth/login", body={"username": username, "password": password, "user_type": user_type}),
               200, what=f"login {username}")
    return r.body["access_token"]


def reviewer_token(c, password=None):
    return login(c, "reviewer", password or SEED_PASSWORD, "association")


def upload(c, token, purpose, file_name, content_type, data):
    """Presign, PUT and complete one upload; returns its id."""
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


def basic_info(username, code, n=0):
    return {"username": username, "password": UNIT_PASSWORD, "unit_name": UNIT_NAMES[n % len(UNIT_NAMES)], "uscc": code,
            "legal_representative": "张三", "address": "福建省厦门市湖里区华泰路1号", "postcode": "361000"}


def create_registration(c, username, code, n=0):
    """Step 1 only: the whole 201 body (`registration`, `session`)."""
    return expect(c.call("POST", "/api/v1/registrations", body=basic_info(username, code, n)), 201,
                  what="create registration").body


def draft_registration(c, username, code, n=0):
    """Step 1 only: (registration id, registrant token)."""
    body = create_registration(c, username, code, n)
    return body["registration"]["id"], body["session"]["access_token"]


def complete_registration(c, reg_id, token, contact_mobile="13800138000"):
    """Steps 2–4 (licence, qualification with its scan, contact) and submission."""
    licence = upload(c, token, "business_licence", "营业执照.pdf", "application/pdf", PDF)
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/licence", token, {"upload_id": licence}), 200, what="licence")
    scan = upload(c, token, "qualification_scan", "核准证.png", "image/png", PNG)
    qualification = {"kind": "approval", "certificate_no": "TS7110236-2028", "authority": "国家市场监督管理总局",
                     "items": ["锅炉定期检验", "压力容器定期检验"], "valid_from": "2024-03-01", "valid_until": "2028-02-29",
                     "scan_upload_id": scan}
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/qualification", token, qualification), 200, what="qualification")
    contact = {"name": "李四", "id_number": CONTACT_ID_NUMBER, "mobile": contact_mobile, "email": "lisi@example.com"}
    expect(c.call("PUT", f"/api/v1/registrations/{reg_id}/contact", token, contact), 200, what="contact")
    expect(c.call("POST", f"/api/v1/registrations/{reg_id}/submit", token), 200, what="submit registration")


def approve_registration(c, reg_id, approver):
    expect(c.call("POST", f"/api/v1/review/registrations/{reg_id}/decision", approver, {"outcome": "approve"}), 200,
           what="approve registration")


def approved_unit(c, username, code, n=0, contact_mobile="13800138000", approver=None):
    """A unit registered in four steps, submitted and approved (by `approver`'s token, else the
    seeded reviewer's); returns its admin's token."""
    reg_id, token = draft_registration(c, username, code, n)
    complete_registration(c, reg_id, token, contact_mobile)
    approve_registration(c, reg_id, approver or reviewer_token(c))
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
    """The practitioner's mobile (F20): code by SMS (read from the local outbox), then confirmed."""
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
