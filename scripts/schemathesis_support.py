"""Support for scripts/schemathesis: three roles in one file.

  python schemathesis_support.py setup BASE_URL SEED_PASSWORD
      Logs in the seeded association admin, walks one unit through registration (upload,
      submit, approval), starts one more draft registration and one appeal (with the
      load tools' fixtures, scripts/gongshi_load/fixtures.py); prints the
      tokens and ids as shell assignments (ST_ADMIN_TOKEN, ST_UNIT_TOKEN,
      ST_REGISTRANT_TOKEN, ST_REGISTRATION_ID, ST_DRAFT_ID, ST_APPEAL_ID, ST_APPEAL_TOKEN).

  SCHEMATHESIS_HOOKS=.../schemathesis_support.py st run ...
      Loaded by schemathesis as its hooks file: sends each operation the token of the role
      that may call it (unit routes the unit admin's, /registrations/{id} the registrant's,
      the rest the association admin's), and refuses any request that is not to loopback.

  python schemathesis_support.py summary NDJSON FINDINGS.md
      Reads schemathesis' NDJSON event log, writes the failures grouped by operation and
      check (with a curl per failure) to FINDINGS.md, and prints the one-line summary.
      Exits 1 if anything failed or schemathesis reported an error.

Only the standard library is used outside the hooks role; every request goes to 127.0.0.1.
"""

import base64
import ipaddress
import json
import os
import shlex
import sys
import urllib.parse


def _loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


# ----------------------------------------------------------------------------- setup

def _port(base):
    if not _loopback(base):
        sys.exit(f"refusing a non-loopback target: {base}")
    return urllib.parse.urlsplit(base).port or 80


def setup(base, seed_password):
    # The fixtures of the load tools (scripts/gongshi_load); their client only talks to 127.0.0.1.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gongshi_load import fixtures as F
    from gongshi_load.client import Client, expect

    c = Client(_port(base), timeout=20)
    admin = F.login(c, "admin", seed_password, "association")
    unit = registrant = registration = draft_id = appeal = appeal_token = ""
    try:
        rid, token = F.draft_registration(c, "stunit", "91350100M000100Y43")
        F.complete_registration(c, rid, token, contact_mobile="+86 138 0013 8000")
        registration = rid
        F.approve_registration(c, rid, admin)
        unit = F.login(c, "stunit", F.UNIT_PASSWORD, "unit")
        draft_id, registrant = F.draft_registration(c, "stdraft", "91350200M000200Y1N")
    except Exception as exc:  # noqa: BLE001 - reported, and the run goes on with the admin token
        print(f"echo {shlex.quote(f'warning: unit setup failed ({exc}); unit routes get the admin token'[:400])} >&2")
    try:
        created = expect(c.call("POST", "/api/v1/appeals", body={
            "uscc": "91350100M000100Y43", "unit_name": F.UNIT_NAMES[0], "applicant_name": "王五",
            "applicant_id_number": F.id_number("35020319900101003"),
            "applicant_mobile": "13800138001", "contact_email": "wangwu@example.com",
            "reason": "注册申请被误驳回，现申请复核处理。"}), 201, what="appeal").body
        appeal, appeal_token = created["appeal"]["id"], created["token"]
    except Exception as exc:  # noqa: BLE001
        print(f"echo {shlex.quote(f'warning: appeal setup failed ({exc})'[:400])} >&2")
    c.close()
    print(f"ST_ADMIN_TOKEN={shlex.quote(admin)}")
    print(f"ST_UNIT_TOKEN={shlex.quote(unit or admin)}")
    print(f"ST_REGISTRANT_TOKEN={shlex.quote(registrant or unit or admin)}")
    # Existing resources, so that the operations on them get past "not found".
    print(f"ST_REGISTRATION_ID={shlex.quote(registration)}")
    print(f"ST_DRAFT_ID={shlex.quote(draft_id)}")
    print(f"ST_APPEAL_ID={shlex.quote(appeal)}")
    print(f"ST_APPEAL_TOKEN={shlex.quote(appeal_token)}")


# ----------------------------------------------------------------------------- summary

def _decode(body):
    if isinstance(body, dict) and "$base64" in body:
        raw = base64.b64decode(body["$base64"])
        try:
            return raw.decode()
        except UnicodeDecodeError:
            return repr(raw)
    if body is None:
        return None
    return body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)


def _token_name(value, tokens):
    for name, token in tokens.items():
        if token and token in value:
            return value.replace(token, "$" + name)
    return value


def _curl(request, tokens):
    parts = ["curl", "-i", "-X", request["method"]]
    for name, values in request.get("headers", {}).items():
        if name.lower() in ("user-agent", "accept", "accept-encoding", "connection", "content-length",
                            "x-schemathesis-testcaseid"):
            continue
        for value in values:
            value = _token_name(str(value), tokens)
            quoted = f'"{name}: {value}"' if "$" in value and "'" not in value and '"' not in value \
                else shlex.quote(f"{name}: {value}")
            parts += ["-H", quoted]
    body = request.get("body")
    raw = base64.b64decode(body["$base64"]) if isinstance(body, dict) and "$base64" in body else None
    if raw is None and body is not None:
        raw = str(body).encode()
    if raw is not None:
        try:
            text = raw.decode()
            printable = all(ch.isprintable() or ch in "\n\t" for ch in text)
        except UnicodeDecodeError:
            printable = False
        if printable:
            parts += ["--data-binary", shlex.quote(text)]
        else:
            # Bytes a shell argument cannot carry (NUL, control characters, invalid UTF-8).
            escaped = "".join(chr(b) if 32 <= b < 127 and chr(b) not in "%\\'" else f"\\x{b:02x}" for b in raw)
            parts = ["printf", f"'{escaped}'", "|"] + parts + ["--data-binary", "@-"]
    parts.append(shlex.quote(request["uri"]))
    return " ".join(parts)


def _problem_code(response):
    try:
        return json.loads(_decode(response.get("content")) or "{}").get("code") or "-"
    except (ValueError, AttributeError):
        return "-"


def summary(ndjson_path, findings_path):
    tokens = {"ADMIN_TOKEN": os.environ.get("ST_ADMIN_TOKEN", ""),
              "UNIT_TOKEN": os.environ.get("ST_UNIT_TOKEN", ""),
              "REGISTRANT_TOKEN": os.environ.get("ST_REGISTRANT_TOKEN", ""),
              "APPEAL_TOKEN": os.environ.get("ST_APPEAL_TOKEN", "")}
    operations, cases, errors = set(), set(), []
    failures = {}  # (operation, code, title, first message line) -> example
    with open(ndjson_path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            if "NonFatalError" in event or "FatalError" in event:
                error = event.get("NonFatalError") or event.get("FatalError")
                value = error.get("value", {})
                errors.append(f"{error.get('label', '?')} ({error.get('phase', '?')}): "
                              f"{value.get('type', '')}: {value.get('message', '')}")
                continue
            scenario = event.get("ScenarioFinished")
            if not scenario:
                continue
            recorder = scenario["recorder"]
            if recorder["label"] != "Stateful tests":
                operations.add(recorder["label"])
            recorded = recorder.get("cases", {})
            cases.update(recorded)
            interactions = recorder.get("interactions", {})
            for case_id, checks in recorder.get("checks", {}).items():
                case = recorded.get(case_id, {}).get("value", {})
                # Stateful scenarios are labelled as a whole; name the operation each step called.
                operation = recorder["label"]
                if operation == "Stateful tests" and "method" in case:
                    operation = f"{case['method']} {case['path']}"
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    info = check.get("failure_info", {}).get("failure", {})
                    message = info.get("message", "")
                    interaction = interactions.get(case_id, {})
                    response = interaction.get("response") or {}
                    received = message.splitlines()[0] if message else ""
                    if check["name"] == "status_code_conformance":
                        # One entry per problem code: a 400 for an empty body and one for a bad
                        # header are different findings.
                        received += f" ({_problem_code(response)})"
                    key = (operation, check["name"], info.get("title", ""), received)
                    if key in failures:
                        failures[key]["count"] += 1
                        continue
                    meta = recorder.get("cases", {}).get(case_id, {}).get("value", {}).get("meta", {})
                    failures[key] = {
                        "count": 1, "message": message, "code": info.get("code", ""),
                        "curl": _curl(interaction["request"], tokens) if "request" in interaction else "(no request recorded)",
                        "status": response.get("status_code"),
                        "content_type": ", ".join(response.get("headers", {}).get("content-type", [])),
                        "body": (_decode(response.get("content")) or "")[:600],
                        "phase": meta.get("phase", {}).get("name", ""),
                        "scenario": meta.get("phase", {}).get("data", {}).get("description", ""),
                    }
    by_check = {}
    for (operation, check, title, received), _found in failures.items():
        # Grouped by check and what was received ("Received: 400 (body_required)").
        received = " ".join(received.replace("Received:", "").split())[:100]
        by_check.setdefault((check, title, received), []).append(operation)
    with open(findings_path, "w", encoding="utf-8") as out:
        out.write(f"# schemathesis findings\n\n{len(operations)} operations, {len(cases)} examples, "
                  f"{len(failures)} failures, {len(errors)} schemathesis errors\n\n## By check\n\n")
        for (check, title, received), ops in sorted(by_check.items()):
            ops = sorted(set(ops))
            out.write(f"- **{check}** ({title}; received: {received}): {len(ops)} operations — {', '.join(ops)}\n")
        out.write("\n## Failures\n")
        for (operation, check, title, received), found in sorted(failures.items()):
            detail = received.replace("Received:", "").strip()
            out.write(f"\n### {operation} — {check} ({found['code']} {title}: {detail})\n\n")
            out.write(f"- seen {found['count']}x; first in phase `{found['phase']}` {found['scenario']}\n")
            out.write(f"- {found['message'].strip()}\n".replace("\n", "\n  ").rstrip() + "\n")
            out.write(f"- response: {found['status']} `{found['content_type']}`\n\n```\n{found['curl']}\n```\n\n")
            if found["body"]:
                out.write(f"```\n{found['body']}\n```\n")
        if errors:
            out.write("\n## schemathesis errors (tool side, not API failures)\n\n")
            for error in errors:
                out.write(f"- {error[:500]}\n")
    note = f"; {len(errors)} schemathesis errors" if errors else ""
    print(f"schemathesis: {len(operations)} operations, {len(cases)} examples, {len(failures)} failures{note}")
    return 1 if failures or errors else 0


# ----------------------------------------------------------------------------- hooks

if __name__ != "__main__":
    import schemathesis

    UNIT_PATHS = r"^/api/v1/(unit(/.*)?|uploads(/.*)?)$"
    REGISTRANT_PATHS = r"^/api/v1/registrations/\{id\}(/.*)?$"

    def _bearer(case, token):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {token}"

    @schemathesis.auth(refresh_interval=None, retry_on=[]).apply_to(path_regex=UNIT_PATHS)
    class UnitAuth:
        def get(self, case, ctx):
            return os.environ["ST_UNIT_TOKEN"]

        def set(self, case, data, ctx):
            _bearer(case, data)

    @schemathesis.auth(refresh_interval=None, retry_on=[]).apply_to(path_regex=REGISTRANT_PATHS)
    class RegistrantAuth:
        def get(self, case, ctx):
            return os.environ["ST_REGISTRANT_TOKEN"]

        def set(self, case, data, ctx):
            _bearer(case, data)

    @schemathesis.auth(refresh_interval=None, retry_on=[]).skip_for(path_regex=f"({UNIT_PATHS})|({REGISTRANT_PATHS})")
    class AdminAuth:
        def get(self, case, ctx):
            return os.environ["ST_ADMIN_TOKEN"]

        def set(self, case, data, ctx):
            _bearer(case, data)

    @schemathesis.hook
    def before_call(ctx, case, **kwargs):
        base = case.operation.schema.get_base_url()
        if not _loopback(base):
            raise RuntimeError(f"refusing a non-loopback target: {base}")

    @schemathesis.hook
    def after_call(ctx, case, response):
        url = getattr(getattr(response, "request", None), "url", None)
        if url and not _loopback(url):
            raise RuntimeError(f"a request went to a non-loopback URL: {url}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "summary":
        sys.exit(summary(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
