"""Results as CSV: plain (`,` and `.`), or `excel` for French spreadsheets
(`;`, decimal comma, CRLF; the caller writes the UTF-8 BOM).

The plain CSV is the machine contract: fixed English headers and decision
codes, whatever the interface language. The `excel` dialect is for people:
its headers and decisions are in the interface language (units keep their
codes, carried columns their own headers)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from ..core.model import Decision, GradeReport, Mark
from ..core.numbers import format_exact, format_hundredths
from ..i18n import t
from .common import neutralise, unit_text

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


def write_csv(report: GradeReport, out: TextIO, excel: bool = False) -> None:
    decimal = "," if excel else "."
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    units = [u.code for u in report.curriculum.units]
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
                *(number(u.grade) if u.mark is Mark.GRADE and type(u.grade) is int else unit_text(u, decimal)
                  for u in r.units),
                number(r.bonus) if type(r.bonus) is int else format_exact(r.bonus, decimal),
                (number(r.points) if type(r.points) is int else format_exact(r.points, decimal)) if decided else "",
                str(r.divisor) if decided else "",
                number(r.average_hundredths),
                number(r.professional_hundredths),
                decisions[final.decision],
                " ".join(b.bloc for b in final.blocs),
                number(final.average_hundredths) if final.controle is not None else "",
                " ".join(f"{code}:{year}" for code, year in final.kept),
            ]
        )
