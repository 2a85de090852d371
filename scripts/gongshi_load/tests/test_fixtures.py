"""The check characters against the values the Rust tests take as valid (and refuse), the
generated registry, and its CSV."""

import csv
import datetime

import pytest

from gongshi_load import fixtures as F

# shared/core/src/id_number.rs (valid_numbers_from_the_standard_parse), tests/ (35020319850101001X).
VALID_ID_NUMBERS = ["11010519491231002X", "440524188001010014", "35020319850101001X"]
# shared/core/src/id_number.rs (wrong_check_character_is_refused).
WRONG_CHECK_ID_NUMBERS = ["110105194912310021"]
# shared/core/src/uscc.rs (valid_codes_from_the_standard_pass_the_checksum), and the second
# draft of scripts/schemathesis.
VALID_USCCS = ["91350100M000100Y43", "91350200776049653A", "913502000728319549", "123502001549897397",
               "91350200M000200Y1N"]
# shared/core/src/uscc.rs (pilot_code_with_bad_check_character_is_accepted_with_a_warning).
WRONG_CHECK_USCCS = ["91350203M0001QAY9B"]


@pytest.mark.parametrize("number", VALID_ID_NUMBERS)
def test_id_check_character_matches_valid_numbers(number):
    assert F.id_check_char(number[:17]) == number[17]
    assert F.id_number(number[:17]) == number


@pytest.mark.parametrize("number", WRONG_CHECK_ID_NUMBERS)
def test_id_check_character_differs_from_a_refused_one(number):
    assert F.id_check_char(number[:17]) != number[17]


@pytest.mark.parametrize("code", VALID_USCCS)
def test_uscc_check_character_matches_valid_codes(code):
    assert F.uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", WRONG_CHECK_USCCS)
def test_uscc_check_character_differs_from_a_pilot_code(code):
    assert F.uscc_check_char(code[:17]) != code[17]


def test_check_characters_refuse_malformed_input():
    for bad in ["", "1101051949123100", "11010519491231002X", "A1010519491231002"]:
        with pytest.raises(ValueError):
            F.id_check_char(bad)
    for bad in ["9135010", "91350100M000100YO", "91350100M000100Y43"]:
        with pytest.raises(ValueError):
            F.uscc_check_char(bad)


def test_every_id_check_value_is_reachable():
    # All 11 check characters (0–9 and X) come out of the generator's own numbers.
    seen = {p.id_number[17] for p in F.people(2000)}
    assert seen == set("0123456789X")


def test_generated_uscc_are_distinct_well_formed_and_self_consistent():
    codes = [F.uscc(n) for n in list(range(0, 200)) + [100_001, 301_000, 999_999, 999_999_999]]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 18 and code.startswith("91350200") and code[2:8].isdigit()
        assert all(c in F.USCC_ALPHABET for c in code)
        assert F.uscc_check_char(code[:17]) == code[17]


def test_people_have_valid_unique_ids_real_birth_dates_and_kinds():
    persons = F.people(3000)
    ids = [p.id_number for p in persons]
    assert len(set(ids)) == len(ids)
    for p in persons:
        assert F.id_number(p.id_number[:17]) == p.id_number
        born = datetime.datetime.strptime(p.id_number[6:14], "%Y%m%d").date()
        assert datetime.date(1960, 1, 1) <= born < datetime.date.today()
        assert len(p.name) == 2 and p.mobile.startswith("139") and len(p.mobile) == 11
    kinds = [p.kind for p in persons[:10]]
    assert kinds == ["ready"] * 5 + ["outside"] + ["ready"] * 3 + ["lapsed"]
    assert len({p.mobile for p in persons}) == len(persons)


def test_unknown_ids_are_valid_and_not_in_the_registry():
    registry = {p.id_number for p in F.people(2000)}
    for n in range(0, 1000, 37):
        number = F.unknown_id(n)
        assert F.id_number(number[:17]) == number
        assert number not in registry


def test_registry_csv_has_the_importers_columns_and_items_by_kind(tmp_path):
    persons = F.people(20)
    path = tmp_path / "registry.csv"
    rows = F.write_registry(path, persons)
    with open(path, encoding="utf-8", newline="") as f:
        read = list(csv.DictReader(f))
    assert rows == len(read)
    assert list(read[0]) == F.REGISTRY_COLUMNS
    by_person = {}
    for row in read:
        by_person.setdefault(row["id_number"], []).append(row)
    assert len(by_person) == 20
    for p in persons:
        mine = by_person[p.id_number]
        assert [(r["item_code"], r["valid_until"]) for r in mine] == [(c, u) for c, _, u in F.ITEMS_BY_KIND[p.kind]]
        assert {r["name"] for r in mine} == {p.name}
        assert {r["certificate_no"] for r in mine} == {f"TS-{p.id_number}"}
        assert {r["status"] for r in mine} == {"valid"}
    # 14 ready × 2 items, 2 lapsed × 1, 2 outside … of 20: n % 10 == 9 lapsed, == 5 outside.
    assert rows == 16 * 2 + 2 + 2


def test_registry_csv_text_is_plain(tmp_path):
    # The exact bytes the importer has always been given: no quoting, \n line ends.
    path = tmp_path / "registry.csv"
    F.write_registry(path, F.people(1))
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "id_number,name,certificate_no,item_code,item_name,level,issuer,issued_on,valid_until,status"
    assert lines[1] == ("350203196001010006,王伟,TS-350203196001010006,GL-1,锅炉定期检验,检验员,国家市场监督管理总局,"
                        "2022-01-01,2030-06-30,valid")
    assert lines[-1] == "" and '"' not in path.read_text(encoding="utf-8")


def test_bench_registry_gives_everybody_three_valid_items(tmp_path):
    from gongshi_load import bench

    path = tmp_path / "bench.csv"
    assert bench.write_registry(path, 50) == 150
    with open(path, encoding="utf-8", newline="") as f:
        read = list(csv.DictReader(f))
    assert {r["item_code"] for r in read} == {"GL-1", "RQ-1", "DT-1"}
    assert len({r["id_number"] for r in read}) == 50


def test_application_input_and_basic_info():
    p = F.people(1)[0]
    assert F.application_input(p) == {"id_number": p.id_number, "name": p.name, "kind": "initial", "clause_version": 1,
                                      "clauses_confirmed": True}
    assert F.application_input(p, confirmed=False)["clauses_confirmed"] is False
    info = F.basic_info("u1", F.uscc(1), 5)
    assert info["uscc"] == F.uscc(1) and info["unit_name"] == F.UNIT_NAMES[1] and info["password"] == F.UNIT_PASSWORD
