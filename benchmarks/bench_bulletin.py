#!/usr/bin/env python3
"""Benchmark `ndrc bulletin`: a class's semester gradebook to JSON.

A class of 30 students, one sheet per taught subject of the curriculum (the
NDRC programme has 11) and 11 evaluations each (121 columns of grades, as
many cells as 12 subjects of 10), grades in hundredths of /20, a few ABS,
written with xlsxwriter as a teacher keeps it (coefficients in the headers).
Medians of fresh processes after a warm-up; peak resident memory. Prints
figures; never fails.

    python benchmarks/bench_bulletin.py [--runs 9]

Target: under 0.3 s to JSON.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

from bench_grade import ROOT, measure

SUBJECTS = ["Culture générale et expression", "Communication en langue étrangère", "Économie", "Droit",
            "Management des entreprises", "Relation client", "Gestion de clientèle",
            "Management de l'équipe commerciale", "Gestion de projet", "Informatique", "Préparation individuelle"]


def gradebook(path: Path, students: int = 30, evaluations: int = 11, seed: int = 1) -> None:
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path))
    for subject in SUBJECTS:
        sheet = book.add_worksheet(subject[:31])
        header = ["id", "nom", "prenom"] + [f"DS{k + 1} (coef {1 + k % 3})" for k in range(evaluations)]
        for c, text in enumerate(header):
            sheet.write_string(0, c, text)
        for r in range(students):
            sheet.write_string(r + 1, 0, f"S{r + 1:03d}")
            sheet.write_string(r + 1, 1, f"Nom{r + 1}")
            sheet.write_string(r + 1, 2, f"Prénom{r + 1}")
            for k in range(evaluations):
                if rng.random() < 0.02:
                    sheet.write_string(r + 1, 3 + k, "ABS")
                else:
                    sheet.write_number(r + 1, 3 + k, rng.randint(0, 2000) / 100)
    book.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "semestre.xlsx"
        gradebook(book)
        command = [sys.executable, "-m", "ndrc_cli", "bulletin", str(book), "-f", "json"]
        measure(command, ROOT)  # warm-up: bytecode, the curriculum cache, the OS file cache
        runs = [measure(command, ROOT) for _ in range(a.runs)]
    print(f"{'case':<44}{'median s':>10}{'peak MB':>9}  target")
    print(f"{'bulletin, 30 students x 11 subjects x 11, json':<44}{statistics.median(r[0] for r in runs):>10.3f}"
          f"{max(r[1] for r in runs):>9.0f}  < 0.3 s")


if __name__ == "__main__":
    main()
