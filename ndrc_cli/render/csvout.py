"""Results as CSV: plain (`,` and `.`), or `excel` for French spreadsheets
(`;`, decimal comma, CRLF; the caller writes the UTF-8 BOM)."""

from __future__ import annotations

import csv
from typing import TextIO

from ..model import GradeReport
from ..numbers import format_exact, format_points
from .common import neutralise, unit_text

#: The columns every consumer may rely on come first (README: CSV contract).
FIXED = ("id", "name")
COMPUTED = ("bonus", "points", "divisor", "average", "professional_average", "decision", "blocs")


def write_csv(report: GradeReport, out: TextIO, excel: bool = False) -> None:
    decimal = "," if excel else "."
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    units = [u.code for u in report.curriculum.units]
    writer.writerow([*FIXED, *report.extra_headers, *units, *COMPUTED])
    for r in report.results:
        s = r.student
        decided = r.average is not None
        writer.writerow(
            [
                neutralise(s.id),
                neutralise(s.name),
                *(neutralise(value) for _, value in s.extra),
                *(unit_text(u, decimal) for u in r.units),
                format_exact(r.bonus, decimal),
                format_exact(r.points, decimal) if decided else "",
                str(r.divisor) if decided else "",
                format_points(r.average, decimal),
                format_points(r.professional_average, decimal),
                r.decision.value,
                " ".join(b.bloc for b in r.blocs),
            ]
        )
