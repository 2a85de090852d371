"""The Python pieces of scripts/bench (once heredocs there):

    python3 -m gongshi_load.bench registry CSV PEOPLE
        the import benchmark's registry: PEOPLE generated practitioners × 3 valid items
    python3 -m gongshi_load.bench roster OUT ROWS
        a roster of the registry's first ROWS people (身份证号, 姓名), for the bulk verification
    python3 -m gongshi_load.bench spa-kb DIST
        KB of the SPA's initial JS and CSS (those index.html loads), gzip -9
    python3 -m gongshi_load.bench coldstart-extremes FILE
        `SLOWEST MEDIAN_MS LARGEST SIZE_BYTES` of gongshi_load.coldstart's lines in FILE
    python3 -m gongshi_load.bench write-doc DOC DAY MACHINE TABLE ROUND_TRIPS COLDSTART_FILE...
        rewrites the bench, round-trips and coldstart blocks of docs/BENCHMARKS.md
    python3 -m gongshi_load.bench write-block DOC NAME DAY MACHINE FILE
        rewrites the block NAME of DOC with FILE's text under a `Measured DAY on MACHINE` line
    python3 -m gongshi_load.bench lighthouse REPORT
        one line of a Lighthouse JSON report: the accessibility and performance scores, LCP
        and total blocking time
"""

import gzip
import pathlib
import re
import sys

from . import fixtures as F

COLDSTART = re.compile(r"binary=(\S+) median_ms=([\d.]+) min_ms=([\d.]+) size_bytes=(\d+)")


def write_registry(path, people):
    """The import benchmark's registry CSV; returns the number of rows."""
    return F.write_registry(path, F.people(people), items=F.BENCH_ITEMS)


def write_roster(path, rows):
    """A roster CSV of the registry's first `rows` people, by ID number and name."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["身份证号", "姓名"])
        for person in F.people(rows):
            out.writerow([person.id_number, person.name])
    return rows


def spa_kb(dist):
    """KB (gzip -9) of the JS and CSS assets index.html references."""
    dist = pathlib.Path(dist)
    html = (dist / "index.html").read_text()
    assets = set(re.findall(r'(?:src|href)="/?(assets/[^"]+\.(?:js|css))"', html))
    return sum(len(gzip.compress((dist / a).read_bytes(), 9)) for a in assets) // 1024


def coldstart_rows(lines):
    """(binary, median ms, min ms, size bytes) of each `coldstart ...` line."""
    rows = []
    for line in lines:
        if line.startswith("coldstart"):
            binary, median, fastest, size = COLDSTART.search(line).groups()
            rows.append((binary, float(median), float(fastest), int(size)))
    return rows


def coldstart_extremes(rows):
    """(slowest binary, its median as printed, largest binary, its size)."""
    slow = max(rows, key=lambda r: r[1])
    big = max(rows, key=lambda r: r[3])
    return slow[0], f"{slow[1]:.2f}", big[0], big[3]


def replace_block(text, name, body):
    """`text` with what lies between <!-- NAME:start --> and <!-- NAME:end --> replaced by body."""
    start, end = text.index(f"<!-- {name}:start -->"), text.index(f"<!-- {name}:end -->")
    return text[:start] + f"<!-- {name}:start -->\n" + body + "\n" + text[end:]


def coldstart_table(rows):
    out = ["| binary | median ms | fastest ms | stripped size MB |", "|---|---|---|---|"]
    out += [f"| {binary} | {median:.2f} | {fastest:.2f} | {size / 1048576:.1f} |" for binary, median, fastest, size in rows]
    return "\n".join(out)


def update_doc(text, day, machine, table, round_trips, coldstart):
    """docs/BENCHMARKS.md with its three measured blocks rewritten."""
    text = replace_block(text, "bench", f"Measured {day} on {machine} with `scripts/bench`:\n\n{table}")
    text = replace_block(text, "coldstart", coldstart_table(coldstart))
    return replace_block(text, "round-trips", round_trips)


def lighthouse_line(report):
    """`accessibility 100, performance 93 (LCP 1.9 s, TBT 40 ms)` from a Lighthouse report."""
    categories = report["categories"]
    audits = report["audits"]

    def score(name):
        value = categories[name]["score"]
        return "–" if value is None else f"{round(value * 100)}"

    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    tbt = audits["total-blocking-time"]["numericValue"]
    return (
        f"accessibility {score('accessibility')}, performance {score('performance')} "
        f"(LCP {lcp:.1f} s, TBT {tbt:.0f} ms)"
    )


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    command, rest = (args[0], args[1:]) if args else ("", [])
    if command == "registry" and len(rest) == 2:
        write_registry(rest[0], int(rest[1]))
    elif command == "roster" and len(rest) == 2:
        write_roster(rest[0], int(rest[1]))
    elif command == "spa-kb" and len(rest) == 1:
        print(spa_kb(rest[0]))
    elif command == "coldstart-extremes" and len(rest) == 1:
        with open(rest[0]) as f:
            print(*coldstart_extremes(coldstart_rows(f)))
    elif command == "lighthouse" and len(rest) == 1:
        import json

        print(lighthouse_line(json.loads(pathlib.Path(rest[0]).read_text())))
    elif command == "write-block" and len(rest) == 5:
        doc, name, day, machine, source = rest
        path = pathlib.Path(doc)
        body = f"Measured {day} on {machine} with `scripts/bench`:\n\n" + pathlib.Path(source).read_text().strip()
        path.write_text(replace_block(path.read_text(), name, body))
    elif command == "write-doc" and len(rest) >= 5:
        doc, day, machine, table, round_trips, files = rest[0], rest[1], rest[2], rest[3], rest[4], rest[5:]
        rows = []
        for name in files:
            with open(name) as f:
                rows += coldstart_rows(f)
        path = pathlib.Path(doc)
        path.write_text(update_doc(path.read_text(), day, machine, table, round_trips, rows))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
