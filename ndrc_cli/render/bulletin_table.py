"""The semester's bulletin on a terminal: the class council's table and the
class's statistics per subject (Rich, imported on this path only)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..app.bulletin import BulletinReport
from ..i18n import decimal_separator, t
from .bulletin import arrow, moved, number_text, unit_grades, who
from .common import average_text, decision_label
from .table import STYLES


def students_table(report: BulletinReport, width: int) -> Table:
    d = decimal_separator()
    rules = report.curriculum.rules
    units = [u for u in report.units if any(unit_grades(r).get(u) is not None for r in report.rows)
             or report.curriculum.unit(u).mandatory]
    caption = t("bulletin.caption") + ("\n" + t("bulletin.progress_caption") if report.earlier else "")
    table = Table(title=t("bulletin.title", diploma=report.curriculum.code), box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=0, caption=caption)
    decision_width = max([len(t("col.decision"))] + [len(decision_label(r.result.decision)) for r in report.rows])
    # Each column is as wide as its widest cell, one space between them; the
    # student takes what is left (their name, else their id).
    fixed = 5 * len(units) + 5 + decision_width + len(units) + 2 + 2 + (2 if report.earlier else 0)
    table.add_column(t("col.name"), no_wrap=True, overflow="ellipsis", width=max(8, min(
        max([len(t("col.name"))] + [len(who(r)) for r in report.rows]), width - fixed)))
    for u in units:
        table.add_column(u, justify="right", no_wrap=True, min_width=5)
    table.add_column(t("col.average"), justify="right", no_wrap=True, min_width=5)
    if report.earlier:
        table.add_column("±", no_wrap=True, width=1)
    table.add_column(t("col.decision"), no_wrap=True, min_width=decision_width)
    for row in report.rows:
        grades = unit_grades(row)
        table.add_row(Text(who(row)),
                      *(Text(number_text(grades.get(u), report, d)) for u in units),
                      Text(average_text(row.result.average, rules, d) or "—", style="bold"),
                      *([Text(arrow(moved(report, row)))] if report.earlier else []),
                      Text(decision_label(row.result.decision), style=STYLES[row.result.decision]))
    return table


def subjects_table(report: BulletinReport, width: int) -> Table:
    d = decimal_separator()
    table = Table(title=t("bulletin.subjects_title"), box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column(t("bulletin.col.subject"), overflow="ellipsis", no_wrap=True, max_width=width - 36)
    table.add_column(t("col.unit"), no_wrap=True)
    for key in ("col.mean", "bulletin.col.min", "bulletin.col.max"):
        table.add_column(t(key), justify="right", no_wrap=True)
    table.add_column(t("bulletin.col.count"), justify="right", no_wrap=True)
    for subject in report.subjects:
        s = report.statistics[subject.name]
        table.add_row(Text(subject.name), Text(subject.unit),
                      *(Text(number_text(v, report, d)) for v in (s.mean, s.low, s.high)), Text(str(s.number)))
    return table


def print_report(report: BulletinReport, console: Console, chart: bool = True) -> None:
    width = min(console.width, 80)
    console.print(students_table(report, width), width=width)
    console.print(subjects_table(report, width), width=width)
