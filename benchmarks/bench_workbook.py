#!/usr/bin/env python3
"""Benchmark `ndrc grade` on workbooks against the same rows as CSV, side by side.

Cases: the example class (examples/classe-ndrc.csv and its LibreOffice
workbook examples/classe-ndrc.xlsx), and 100,000 generated students as CSV
and as .xlsx (numbers as numeric cells, markers and ids as text, written
with xlsxwriter), each graded to CSV. The pandas peer reads the same
workbook with `pandas.read_excel`, for reference. Medians of fresh
processes after a warm-up, peak resident memory. Prints figures; never fails.

    python benchmarks/bench_workbook.py [--runs 5] [--peer-python PATH]

Targets: a workbook takes at most 1.5 x the time of the same rows as CSV,
with bounded memory.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_grade import BENCH, ROOT, has_pandas, median_of


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer-python", default=sys.executable)
    a = ap.parse_args()
    ndrc = [sys.executable, "-m", "ndrc_cli", "grade"]
    peer = [a.peer_python, str(Path(__file__).parent / "peer_pandas_workbook.py")] if has_pandas(
        a.peer_python) else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big_csv, big_xlsx = Path(tmp) / "s100000.csv", Path(tmp) / "s100000.xlsx"
        with open(big_csv, "w") as f:
            subprocess.run([sys.executable, str(BENCH / "gen_students.py"), "100000", "--seed", "1"], stdout=f,
                           check=True)
        workbook_of(big_csv, big_xlsx)
        out = str(Path(tmp) / "out.csv")
        small_csv, small_xlsx = ROOT / "examples" / "classe-ndrc.csv", ROOT / "examples" / "classe-ndrc.xlsx"
        pairs = [("class of 24", small_csv, small_xlsx, a.runs, []),
                 ("100,000 rows, -o", big_csv, big_xlsx, max(1, a.runs // 2), ["-o", out, "--force"])]
        for label, as_csv, as_xlsx, runs, extra in pairs:
            t_csv, m_csv = median_of(ndrc + [str(as_csv), "-f", "csv", *extra], runs)
            t_xlsx, m_xlsx = median_of(ndrc + [str(as_xlsx), "-f", "csv", *extra], runs)
            pt = pm = None
            if peer is not None:
                pt, pm = median_of(peer + [str(as_xlsx)], runs)
            rows.append((label, t_csv, m_csv, t_xlsx, m_xlsx, pt, pm))

    print(f"{'case':<20}{'csv s':>8}{'MB':>6}{'xlsx s':>8}{'MB':>6}{'xlsx/csv':>10}{'peer s':>8}{'MB':>6}  target")
    for label, t_csv, m_csv, t_xlsx, m_xlsx, pt, pm in rows:
        peer_t = f"{pt:.3f}" if pt else "—"
        peer_m = f"{pm:.0f}" if pm else "—"
        print(f"{label:<20}{t_csv:>8.3f}{m_csv:>6.0f}{t_xlsx:>8.3f}{m_xlsx:>6.0f}{t_xlsx / t_csv:>10.2f}{peer_t:>8}"
              f"{peer_m:>6}  xlsx ≤ 1.5 × csv")
    if peer is None:
        print("(no pandas for the peer: pass --peer-python with a Python that has pandas and openpyxl)")


if __name__ == "__main__":
    main()
