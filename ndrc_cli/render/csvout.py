"""Results as CSV: plain (`,` and `.`), or `excel` for French spreadsheets
(`;`, decimal comma, CRLF; the caller writes the UTF-8 BOM).

The plain CSV is the machine contract: fixed English headers and decision
codes, whatever the interface language. The `excel` dialect is for people:
its headers and decisions are in the interface language (units keep their
codes, carried columns their own headers).

Grades and averages follow the display rule (core.numbers.display_exact):
rounded half up to two decimals, except a value that rounding would carry
across a threshold, written with the digits that tell — the exact decimal
(9.9993) or, truncated, two decimals (9.99) without the ellipsis the other
formats show, so that every cell stays a number for a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import lru_cache
from typing import TextIO

from ..core.model import Decision, Exact, GradeReport, Mark, Number
from ..core.numbers import display_exact, format_exact, format_hundredths
from ..core.rules import display_marks
from ..i18n import t
from .common import neutralise, sheet_number, unit_text

#: The columns every consumer may rely on come first (README: CSV contract).
FIXED = ("id", "name")
COMPUTED = ("bonus", "points", "divisor", "average", "professional_average", "decision", "blocs",
            "average_after_controle", "kept")


def header_row(extra_headers: Sequence[str], units: Sequence[str], excel: bool) -> list[str]:
    """The header line: machine names, or for people the interface language's."""
    if not excel:
        return [*FIXED, *(neutralise(h) for h in extra_headers), *units, *COMPUTED]
    return [*(t(f"sheetcol.{c}") for c in FIXED), *(neutralise(h) for h in extra_headers), *units,
            *(t(f"sheetcol.{c}") for c in COMPUTED)]


def decision_cell(decision: Decision, excel: bool) -> str:
    return t(f"decision.{decision.value}") if excel else decision.value


@lru_cache(maxsize=1 << 14)
def number_cell(value: Exact | None, thresholds: tuple[Exact, ...], decimal: str, divisor: Number = 1) -> str:
    """value / divisor (hundredths) as a CSV cell, under the display rule; None: empty.
    A cohort has few distinct totals: each is formatted once (the cache)."""
    return "" if value is None else sheet_number(display_exact(value, thresholds, decimal, divisor))


def write_csv(report: GradeReport, out: TextIO, excel: bool = False) -> None:
    decimal = "," if excel else "."
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    units = [u.code for u in report.curriculum.units]
    rules = report.curriculum.rules
    marks = display_marks(rules)
    memo: dict[int | None, str] = {None: ""}
    decisions = {d: decision_cell(d, excel) for d in Decision}

    def number(value: int | None) -> str:
        # A cohort has few distinct values: format each once.
        text = memo.get(value)
        if text is None:
            text = memo[value] = format_hundredths(value, decimal)  # type: ignore[arg-type]
        return text

    writer.writerow(header_row(report.extra_headers, units, excel))
    for final in report.results:
        # Numbers are the first group's; decision and blocs are final.
        r = final.first_group
        s = r.student
        decided = r.average_hundredths is not None
        writer.writerow(
            [
                neutralise(s.id),
                neutralise(s.name),
                *(neutralise(value) for _, value in s.extra),
                *(number(u.grade) if u.mark is Mark.GRADE and type(u.grade) is int
                  else sheet_number(unit_text(u, rules, decimal)) for u in r.units),
                number(r.bonus) if type(r.bonus) is int else format_exact(r.bonus, decimal),
                (number(r.points) if type(r.points) is int else format_exact(r.points, decimal)) if decided else "",
                str(r.divisor) if decided else "",
                number_cell(r.total, marks.average, decimal, r.divisor) if decided else "",
                number_cell(r.pro_points, marks.professional, decimal, r.pro_divisor) if r.pro_divisor else "",
                decisions[final.decision],
                " ".join(b.bloc for b in final.blocs),
                number_cell(final.total, marks.after, decimal, final.divisor) if final.controle is not None else "",
                " ".join(f"{code}:{year}" for code, year in final.kept),
            ]
        )
