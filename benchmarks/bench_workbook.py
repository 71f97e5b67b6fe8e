#!/usr/bin/env python3
"""Benchmark `ndrc grade` on workbooks against what reading them costs anyway.

Cases: the example class (examples/classe-ndrc.xlsx, made by LibreOffice)
and 100,000 generated students as .xlsx (numbers as numeric cells, markers
and ids as text, written with xlsxwriter), each graded to CSV, beside:
- the same rows as CSV, graded by ndrc;
- calamine's own parse, in a fresh process (import, open, the sheet to
  Python rows): what any Python reader of the workbook pays;
- `pandas.read_excel(engine="calamine")`, reading only (no grading): what a
  data-literate teacher's script pays before computing anything (needs a
  Python with pandas >= 2.2 and python-calamine: --peer-python).
Every case runs in fresh processes, interleaved run by run (this machine is
shared: a noisy moment hits all of them), after a warm-up; medians, and the
peak resident memory. Prints figures; never fails.

    python benchmarks/bench_workbook.py [--runs 5] [--peer-python PATH]

Targets (100,000 rows): ndrc grades the workbook in no more time than pandas
takes only to read it, and within 2.1 x calamine's own parse.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_grade import BENCH, ROOT, measure


def workbook_of(csv_path: Path, target: Path) -> None:
    """The sheet as Excel would hold it: grades as numbers, everything else as text."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("Notes")
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        for r, row in enumerate(csv.reader(f)):
            for c, cell in enumerate(row):
                try:
                    number = float(cell) if r and c >= 3 else None
                except ValueError:
                    number = None
                if number is not None:
                    sheet.write_number(r, c, number)
                elif cell:
                    sheet.write_string(r, c, cell)
    book.close()


#: calamine's own parse, as any Python reader pays it: import, open, the first sheet as rows.
CALAMINE = ("import sys, python_calamine as c\n"
            "book = c.CalamineWorkbook.from_path(sys.argv[1])\n"
            "book.get_sheet_by_name(book.sheet_names[0]).to_python()\n")
#: pandas reading the workbook with calamine, and nothing else.
PANDAS = "import sys, pandas as pd\npd.read_excel(sys.argv[1], engine='calamine', dtype=str, keep_default_na=False)\n"


def has_pandas_calamine(python: str) -> bool:
    code = "import pandas, python_calamine; assert tuple(map(int, pandas.__version__.split('.')[:2])) >= (2, 2)"
    return subprocess.run([python, "-c", code], capture_output=True).returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer-python", default=sys.executable)
    a = ap.parse_args()
    ndrc = [sys.executable, "-m", "ndrc_cli", "grade"]
    peer = has_pandas_calamine(a.peer_python)
    with tempfile.TemporaryDirectory() as tmp:
        big_csv, big_xlsx = Path(tmp) / "s100000.csv", Path(tmp) / "s100000.xlsx"
        with open(big_csv, "w") as f:
            subprocess.run([sys.executable, str(BENCH / "gen_students.py"), "100000", "--seed", "1"], stdout=f,
                           check=True)
        workbook_of(big_csv, big_xlsx)
        out = str(Path(tmp) / "out.csv")
        small_csv, small_xlsx = ROOT / "examples" / "classe-ndrc.csv", ROOT / "examples" / "classe-ndrc.xlsx"
        cases = [("class of 24", small_csv, small_xlsx, a.runs, []),
                 ("100,000 rows, -o", big_csv, big_xlsx, max(3, a.runs // 2), ["-o", out, "--force"])]
        print(f"{'case':<18}{'xlsx s':>8}{'MB':>5}{'csv s':>8}{'calamine s':>11}{'pandas s':>10}{'MB':>5}"
              f"{'/calamine':>10}{'/pandas':>9}")
        for label, as_csv, as_xlsx, runs, extra in cases:
            commands = {"xlsx": ndrc + [str(as_xlsx), "-f", "csv", *extra],
                        "csv": ndrc + [str(as_csv), "-f", "csv", *extra],
                        "calamine": [sys.executable, "-c", CALAMINE, str(as_xlsx)]}
            if peer:
                commands["pandas"] = [a.peer_python, "-c", PANDAS, str(as_xlsx)]
            for command in commands.values():
                measure(command)  # warm-up: bytecode, the curriculum cache, the OS file cache
            times: dict[str, list[float]] = {name: [] for name in commands}
            memory: dict[str, float] = dict.fromkeys(commands, 0.0)
            for _ in range(runs):  # interleaved
                for name, command in commands.items():
                    elapsed, mb = measure(command)
                    times[name].append(elapsed)
                    memory[name] = max(memory[name], mb)
            t = {name: statistics.median(values) for name, values in times.items()}
            pandas_t = f"{t['pandas']:>10.3f}{memory['pandas']:>5.0f}" if peer else f"{'—':>10}{'—':>5}"
            versus = f"{t['xlsx'] / t['pandas']:>9.2f}" if peer else f"{'—':>9}"
            print(f"{label:<18}{t['xlsx']:>8.3f}{memory['xlsx']:>5.0f}{t['csv']:>8.3f}{t['calamine']:>11.3f}"
                  f"{pandas_t}{t['xlsx'] / t['calamine']:>10.2f}{versus}")
    print("targets, 100,000 rows: xlsx / pandas <= 1.0 (pandas only reads), xlsx / calamine <= 2.1")
    if not peer:
        print("(no pandas peer: pass --peer-python with a Python that has pandas >= 2.2 and python-calamine)")


if __name__ == "__main__":
    main()
