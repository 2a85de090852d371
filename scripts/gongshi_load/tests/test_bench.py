"""scripts/bench's Python pieces: the doc's blocks, the cold-start and wrk figures, the round
trips per route, the SPA size."""

import gzip
import os
import re

import pytest

from gongshi_load import bench, coldstart, round_trips, throughput

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "BENCHMARKS.md")


def block(text, name):
    start = text.index(f"<!-- {name}:start -->\n") + len(f"<!-- {name}:start -->\n")
    return text[start:text.index(f"<!-- {name}:end -->")]


def test_rewriting_the_doc_with_its_own_figures_changes_nothing():
    # The three blocks of docs/BENCHMARKS.md, read back into the inputs scripts/bench gives,
    # come out byte for byte as they are.
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    head = re.match(r"Measured (\S+) on (.+) with `scripts/bench`:\n\n", block(text, "bench"))
    table = block(text, "bench")[head.end():].rstrip("\n")
    lines = []
    for row in block(text, "coldstart").splitlines()[2:]:
        binary, median, fastest, size = [cell.strip() for cell in row.strip("|").split("|")]
        lines.append(coldstart.result_line(binary, [float(median)], int(float(size) * 1048576)).replace(
            f"min_ms={float(median):.2f}", f"min_ms={fastest}"))
    rows = bench.coldstart_rows(lines)
    out = bench.update_doc(text, head.group(1), head.group(2), table, block(text, "round-trips").rstrip("\n"), rows)
    assert out == text


def test_replace_block_keeps_what_is_around():
    text = "intro\n<!-- x:start -->\nold\nlines\n<!-- x:end -->\noutro\n"
    assert bench.replace_block(text, "x", "new") == "intro\n<!-- x:start -->\nnew\n<!-- x:end -->\noutro\n"
    with pytest.raises(ValueError):
        bench.replace_block(text, "y", "new")


def test_coldstart_lines_rows_and_extremes():
    lines = [coldstart.result_line("/t/release/auth", [3.0, 3.5, 9.0], 5_000_000),
             coldstart.result_line("/t/release/unit", [4.25, 4.0, 4.5], 7_340_032),
             "warming up\n"]
    assert lines[0] == "coldstart binary=auth median_ms=3.50 min_ms=3.00 size_bytes=5000000"
    rows = bench.coldstart_rows(lines)
    assert rows == [("auth", 3.5, 3.0, 5_000_000), ("unit", 4.25, 4.0, 7_340_032)]
    assert bench.coldstart_extremes(rows) == ("unit", "4.25", "unit", 7_340_032)
    assert bench.coldstart_table(rows).splitlines()[2:] == ["| auth | 3.50 | 3.00 | 4.8 |", "| unit | 4.25 | 4.00 | 7.0 |"]


def test_extremes_command_prints_what_bench_reads(tmp_path, capsys):
    path = tmp_path / "coldstart.txt"
    path.write_text(coldstart.result_line("a", [2.0], 10) + "\n" + coldstart.result_line("b", [1.0], 20) + "\n")
    assert bench.main(["coldstart-extremes", str(path)]) == 0
    assert capsys.readouterr().out == "a 2.00 b 20\n"
    assert bench.main(["nonsense"]) == 2


def test_spa_size_counts_the_assets_index_html_loads(tmp_path):
    (tmp_path / "assets").mkdir()
    js, css, lazy = b"console.log(1);" * 500, b"body{color:red}" * 300, b"x" * 100_000
    (tmp_path / "assets" / "index-abc.js").write_bytes(js)
    (tmp_path / "assets" / "index-abc.css").write_bytes(css)
    (tmp_path / "assets" / "lazy-def.js").write_bytes(lazy)
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/index-abc.js"></script>'
                                         '<link rel="stylesheet" href="/assets/index-abc.css">')
    expected = (len(gzip.compress(js, 9)) + len(gzip.compress(css, 9))) // 1024
    assert bench.spa_kb(tmp_path) == expected


def test_round_trips_table():
    log = ["GET /api/v1/unit\t200\t1\tget\n", "GET /api/v1/unit\t200\t2\tget,query\n",
           "POST /api/v1/unit/applications\t201\t3\tget,query,transact\n", "GET /api/v1/clauses\t200\t0\t\n",
           "GET /api/v1/unit/appends\t200\t9\tget_many,query,get_many\n"]
    out = round_trips.summarise(log).splitlines()
    assert out[:2] == ["| route | requests counted | most round trips | the calls of that request |", "|---|---|---|---|"]
    assert out[2:6] == ["| `GET /api/v1/clauses` | 1 | 0 |  |", "| `GET /api/v1/unit` | 2 | 2 | get, query |",
                        "| `GET /api/v1/unit/appends` | 1 | 9 (linear) | get_many, query, get_many |",
                        "| `POST /api/v1/unit/applications` | 1 | 3 (over) | get, query, transact |"]
    assert out[-1] == "2 of 3 interactive routes within 2 round trips (1 linear routes within their bound in rows)."


WRK = """Running 2s test @ http://127.0.0.1:40000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.50us  200.10us   5.01ms   90.00%
  Latency Distribution
     50%  380.00us
     75%  450.00us
     90%  600.00us
     99%    1.20ms
  40000 requests in 2.00s, 5.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  20000.50
Transfer/sec:      2.50MB
"""


def test_wrk_output():
    assert throughput.parse_wrk(WRK) == (20000.5, 1.2, 7)
    assert throughput.parse_wrk(WRK.replace("1.20ms", "900.00us").replace("  Non-2xx or 3xx responses: 4\n", "")
                                .replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")) == (20000.5, 0.9, 0)
    line = throughput.result_line("GET /api/v1/unit/applications", 9000.4, 1.234, 0, 20000.0)
    assert line == "throughput target='GET /api/v1/unit/applications' rps=9000 p99_ms=1.23 errors=0 ratio=0.45"
    # what scripts/bench's sed takes out of it
    assert re.sub(r".*target='([^']+)'.*", r"\1", line) == "GET /api/v1/unit/applications"


def test_wrk_only_against_loopback():
    with pytest.raises(ValueError):
        throughput.wrk("http://10.0.0.1:80/", 1, 1)


def test_write_block_command_replaces_one_block_with_the_measured_line(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("a\n<!-- latency:start -->\nold\n<!-- latency:end -->\nb\n")
    source = tmp_path / "table.md"
    source.write_text("| route | p50 |\n|---|---|\n")
    assert bench.main(["write-block", str(doc), "latency", "2026-12-01", "2 cores", str(source)]) == 0
    assert doc.read_text() == (
        "a\n<!-- latency:start -->\n"
        "Measured 2026-12-01 on 2 cores with `scripts/bench`:\n\n"
        "| route | p50 |\n|---|---|\n"
        "<!-- latency:end -->\nb\n"
    )


def test_lighthouse_line_names_the_scores_and_the_paint(tmp_path, capsys):
    report = {
        "categories": {"accessibility": {"score": 1.0}, "performance": {"score": 0.934}},
        "audits": {
            "largest-contentful-paint": {"numericValue": 1893.0},
            "total-blocking-time": {"numericValue": 40.4},
        },
    }
    assert bench.lighthouse_line(report) == "accessibility 100, performance 93 (LCP 1.9 s, TBT 40 ms)"
    path = tmp_path / "report.json"
    import json

    path.write_text(json.dumps(report))
    assert bench.main(["lighthouse", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "accessibility 100, performance 93 (LCP 1.9 s, TBT 40 ms)"


def test_the_roster_names_the_registrys_first_people_by_id_number_and_name(tmp_path):
    from gongshi_load import fixtures as F

    path = tmp_path / "roster.csv"
    assert bench.main(["roster", str(path), "3"]) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    first = F.people(1)[0]
    assert lines[0] == "身份证号,姓名"
    assert lines[1] == f"{first.id_number},{first.name}"
    assert len(lines) == 4
