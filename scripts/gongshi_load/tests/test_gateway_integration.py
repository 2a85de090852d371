"""Against the real gateway (GONGSHI_LOCAL_BIN) on 127.0.0.1: the fixtures set up what the
tools need, and the server's own validation accepts the ID numbers and USCCs the Python
generator makes (the cross-check of the Python check characters against the Rust ones),
while refusing or flagging the same values with a wrong check character."""

import os
import re

import pytest

from gongshi_load import fixtures as F
from gongshi_load.client import Client, expect
from gongshi_load.gateway import Gateway, import_registry, scan_log

BINARY = os.environ.get("GONGSHI_LOCAL_BIN")


def wrong_check(value, alphabet):
    """`value` with another valid character in place of its check character."""
    return value[:17] + next(c for c in alphabet if c != value[17])


@pytest.mark.skipif(not BINARY, reason="GONGSHI_LOCAL_BIN is not set (scripts/test sets it)")
def test_the_server_accepts_what_the_fixtures_make(tmp_path):
    assert os.access(BINARY, os.X_OK), f"GONGSHI_LOCAL_BIN={BINARY} is no executable"
    persons = F.people(60)
    csv_path, data_dir, log_path = tmp_path / "registry.csv", tmp_path / "data", tmp_path / "gateway.log"
    rows = F.write_registry(csv_path, persons)

    # The importer validates every ID number (GB 11643) and refuses a row with a wrong check character.
    import_registry(BINARY, str(data_dir), str(csv_path), str(log_path))
    report = log_path.read_text(encoding="utf-8")
    assert re.search(rf"\b{rows} rows: {rows} imported \({len(persons)} people\), 0 refused", report), report

    gateway = Gateway(BINARY, str(data_dir), str(log_path))
    gateway.start()
    c = Client(gateway.port, timeout=20)
    try:
        assert gateway.port and gateway.alive()
        # The approved-unit fixture: four steps (uploads, the contact's ID number), submission, approval.
        unit = F.approved_unit(c, "pytestunit", F.uscc(1))
        assert expect(c.call("GET", "/api/v1/unit", unit), 200, what="unit").body["uscc"] == F.uscc(1)

        # Generated USCCs (the ones the tools use among them) pass the server's checksum:
        # a registration with a wrong check character gets the `uscc_checksum` warning.
        for n in [2, 3, 99, 1000, 100_001, 301_000, 999_999, 123_456_789]:
            created = F.create_registration(c, f"pytestdraft{n}", F.uscc(n), n)
            assert created["registration"]["warnings"] == [], (F.uscc(n), created)
        flagged = F.create_registration(c, "pytestwrongcheck", wrong_check(F.uscc(5), F.USCC_ALPHABET))
        assert [w["code"] for w in flagged["registration"]["warnings"]] == ["uscc_checksum"]

        # Every generated ID number is a valid one to the search (no 422), and the search
        # answers as the registry's kinds say.
        ready, outside = [p for p in persons if p.kind == "ready"], [p for p in persons if p.kind == "outside"]
        with_mobile = ready[:3] + outside[:1]
        for p in with_mobile:
            F.register_mobile(c, p)
        registered = {p.n for p in with_mobile}
        for p in persons:
            r = expect(F.search(c, unit, p.id_number, p.name), 200, what=f"search {p}")
            code = (r.body.get("refusal") or {}).get("code")
            if p.kind == "ready" and p.n in registered:
                assert r.body["eligible"] is True and r.body["kind"] == "initial", (p, r)
            elif p.kind == "lapsed":
                assert code == "no_valid_item", (p, r)
            elif p.kind == "outside" and p.n in registered:
                assert code == "qualification_not_covering", (p, r)
            else:
                assert code == "mobile_not_registered", (p, r)
        for n in (0, 7, 999):
            r = expect(F.search(c, unit, F.unknown_id(n), "王五"), 200, what="search unknown")
            assert r.body["refusal"]["code"] == "person_not_found", r
        refused = F.search(c, unit, wrong_check(ready[0].id_number, F.ID_CHECK), ready[0].name)
        assert refused.status == 422, refused
        assert [(e["field"], e["code"]) for e in refused.body["errors"]] == [("id_number", "id_number_checksum")], refused

        # An application for a practitioner with a verified mobile, and its withdrawal.
        submitted = expect(c.call("POST", "/api/v1/unit/applications", unit, F.application_input(ready[0])), 201,
                           what="submit").body
        assert expect(F.search(c, unit, ready[0].id_number, ready[0].name), 200).body["refusal"]["code"] == "application_open"
        assert [a["id"] for a in F.all_applications(c, unit)] == [submitted["id"]]
        withdrawn = expect(c.call("POST", f"/api/v1/unit/applications/{submitted['id']}/withdraw", unit, {}), 200,
                           what="withdraw").body
        assert withdrawn["state"] == "withdrawn"
    finally:
        c.close()
        gateway.stop()
    assert not gateway.alive()
    panics, _errors, examples = scan_log(str(log_path))
    assert panics == 0, examples
