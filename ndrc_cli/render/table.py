"""Results as Rich tables for the terminal: one row per student, then the
class summary. Names are wrapped in Text so `[bold]x` prints verbatim."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..core.model import Decision, GradeReport, StudentResult
from ..core.numbers import format_coefficient, format_exact
from ..i18n import decimal_separator, t
from .common import (
    decision_label,
    decision_text,
    first_average_text,
    first_professional_text,
    jury_lines,
    mean_grade_text,
    note_lines,
    plan_lines,
    result_units,
    summary_rows,
)

STYLES = {
    Decision.ADMIS: "green",
    Decision.CONTROLE: "yellow",
    Decision.AJOURNE: "red",
    Decision.ABSENT: "magenta",
    Decision.INCOMPLET: "dim",
}


#: How many students a truncated table shows (see jobs.ROW_LIMIT).
SHOWN = 50


def _shown(report: GradeReport) -> tuple[StudentResult, ...]:
    if report.row_limit is not None and len(report.results) > report.row_limit:
        return report.results[:SHOWN]
    return report.results


def _caption(report: GradeReport, show_units: bool) -> str | None:
    lines = []
    hidden = len(report.results) - len(_shown(report))
    if hidden:
        lines.append(t("table.truncated", shown=len(_shown(report)), hidden=hidden))
    if not show_units:
        lines.append(t("table.units_hidden"))
    elif any(r.kept for r in report.results):
        lines.append(t("table.kept_mark"))
    return "\n".join(lines) or None


Row = list[Text]


def _unit_indices(report: GradeReport) -> list[int]:
    """The units a table shows: every mandatory one, and an optional one only
    when the sheet has its column (an engagement étudiant column nobody keeps
    would only take a terminal's width)."""
    return [i for i, u in enumerate(report.curriculum.units) if u.mandatory or u.code in report.columns]


def student_rows(report: GradeReport, wide: bool = True, show_units: bool = True) -> list[Row]:
    """The cells of each shown student, as Text: a name is never read as markup,
    and Rich skips parsing ~400 strings (measured: a third of the drawing time)."""
    d = decimal_separator()
    rules = report.curriculum.rules
    rows = []
    shown = _unit_indices(report)
    for r in _shown(report):
        base = r.first_group
        cells = [Text(r.student.id), Text(r.student.name)]
        if show_units:
            grades = result_units(r, rules, d)
            cells.extend(Text(grades[i]) for i in shown)
        if wide:
            cells.append(Text(format_exact(base.bonus, d) if base.bonus else ""))
        cells.append(Text(first_average_text(r, rules, d), style="bold"))
        if wide:
            cells.append(Text(first_professional_text(r, rules, d)))
        cells.append(Text(decision_text(r, rules, d), style=STYLES[r.decision]))
        if wide:
            cells.append(Text(" ".join(b.bloc for b in r.blocs)))
        rows.append(cells)
    return rows


def students_table(report: GradeReport, rows: list[Row], wide: bool = True, show_units: bool = True,
                   name_width: int | None = None) -> Table:
    """The table; with `name_width`, every column is exactly as wide as its
    widest cell and only the name is cut (with an ellipsis) to fit."""
    d = decimal_separator()
    id_width = min(12, max([len(t("col.id"))] + [len(r.student.id) for r in _shown(report)]))
    rules = report.curriculum.rules
    label_width = max([len(t("col.decision"))] + [len(decision_text(r, rules, d)) for r in _shown(report)])
    table = Table(
        title=t("table.title", diploma=report.curriculum.code),
        caption=_caption(report, show_units),
        # The box's column separator is the space between columns: no padding
        # beside it, so that every unit grade fits 80 columns.
        box=box.SIMPLE_HEAD, pad_edge=False, padding=0,
    )
    table.add_column(t("col.id"), no_wrap=True, min_width=id_width, max_width=12, overflow="ellipsis")
    if name_width is None:
        table.add_column(t("col.name"), ratio=1, min_width=8, overflow="ellipsis", no_wrap=True)
    else:
        table.add_column(t("col.name"), width=name_width, overflow="ellipsis", no_wrap=True)
    if show_units:
        for i in _unit_indices(report):
            table.add_column(report.curriculum.units[i].code, justify="right", no_wrap=True, min_width=5)
    if wide:
        table.add_column(t("col.bonus"), justify="right", no_wrap=True)
    table.add_column(t("col.average"), justify="right", no_wrap=True, min_width=5)
    if wide:
        table.add_column(t("col.pro_average"), justify="right", no_wrap=True)
    table.add_column(t("col.decision"), no_wrap=True, min_width=label_width)
    if wide:
        table.add_column(t("col.blocs"), no_wrap=True)
    for cells in rows:
        table.add_row(*cells)
    return table


def summary_tables(report: GradeReport) -> Group:
    d = decimal_separator()
    sm = report.summary
    overview = Table(title=t("summary.title"), box=box.SIMPLE_HEAD, show_header=False, pad_edge=False)
    overview.add_column(justify="left")
    overview.add_column(justify="right")
    overview.add_row(t("summary.students"), str(sm.students))
    for decision in Decision:
        overview.add_row(Text(decision_label(decision), style=STYLES[decision]), str(sm.by_decision[decision]))
    rules = report.curriculum.rules
    for label, value in summary_rows(sm, rules, d):
        overview.add_row(label, value)

    units = Table(title=t("summary.unit_means"), box=box.SIMPLE_HEAD, pad_edge=False)
    units.add_column(t("col.unit"))
    units.add_column(t("col.coefficient"), justify="right")
    units.add_column(t("col.graded"), justify="right")
    units.add_column(t("col.mean"), justify="right")
    for unit, stats in zip(report.curriculum.units, sm.units):
        coef = format_coefficient(unit.coefficient, d) if unit.coefficient is not None else "—"
        units.add_row(unit.code, coef, str(stats.graded), mean_grade_text(stats.mean, rules, d) or "—")
    return Group(overview, units)


def fitting_table(report: GradeReport, console: Console) -> Table:
    """The richest students table that fits the console: all columns, then
    without bonus/professional average/blocs, then without unit grades."""
    # Only the name column may shrink (to 8 characters, with an ellipsis).
    longest_name = max([8] + [len(r.student.name) for r in _shown(report)])
    for wide, show_units in ((True, True), (False, True), (False, False)):
        rows = student_rows(report, wide, show_units)
        # Every cell is unwrapped Text, so a column's natural width is its
        # widest cell's: measuring one row of those is exact, and cheaper
        # than measuring every row.
        widest = [max(column, key=lambda cell: cell.cell_len) for column in zip(*rows)] if rows else []
        probe = students_table(report, [widest] if widest else [], wide, show_units)
        natural = Measurement.get(console, console.options.update_width(10_000), probe).maximum
        if natural - (longest_name - 8) <= console.width:
            break
    # Exact widths: the name takes what the other columns leave, never less than 8.
    name_width = max(8, min(longest_name, console.width - (natural - longest_name)))
    table = students_table(report, rows, wide, show_units, name_width)
    for column, cells in zip(table.columns, zip(*rows)) if rows else ():
        if column.header != t("col.name"):
            width = max([Text(str(column.header)).cell_len, *(cell.cell_len for cell in cells)])
            column.min_width = column.max_width = width
    return table


def print_report(report: GradeReport, console: Console, chart: bool = True) -> None:
    console.print(fitting_table(report, console))
    for line in note_lines(report):
        console.print(Text(line))
    console.print(summary_tables(report))
    plans = plan_lines(report)
    if plans:
        console.print(Text(t("plan.title"), style="bold"))
        for line in plans:
            console.print(Text(line))
        console.print()
    if chart:
        from ..core.charts import histogram, thresholds, unit_bars
        from .termchart import histogram_chart, unit_chart

        console.print(histogram_chart(histogram(report.results, thresholds(report.curriculum.rules)), console.width))
        console.print()
        console.print(unit_chart(unit_bars(report.curriculum, report.summary), console.width,
                                 report.curriculum.rules))
        console.print()
    if report.jury is not None:
        console.print(Text(t("jury.title"), style="bold"))
        for line in jury_lines(report):
            console.print(Text(line))
