"""Results as a Markdown document (a table per class, then the summary)."""

from __future__ import annotations

from typing import TextIO

from ..core.model import Decision, GradeReport
from ..core.numbers import format_coefficient, format_exact
from ..i18n import decimal_separator, labelled, t
from .common import (
    decision_label,
    decision_text,
    first_average_text,
    first_professional_text,
    jury_lines,
    md_escape,
    mean_grade_text,
    note_lines,
    plan_lines,
    result_units,
    summary_rows,
)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def write_markdown(report: GradeReport, out: TextIO) -> None:
    d = decimal_separator()
    c = report.curriculum
    rules = c.rules
    units = [u.code for u in c.units]
    title = t("md.title", diploma=md_escape(c.code))
    out.write(f"# {title}\n\n")
    header = [t("col.id"), t("col.name"), *units, t("col.bonus"), t("col.average"),
              t("col.pro_average"), t("col.decision"), t("col.blocs")]
    out.write(_row(header) + "\n")
    out.write(_row(["---", "---", *(["---:"] * (len(units) + 3)), "---", "---"]) + "\n")
    for r in report.results:
        out.write(
            _row(
                [
                    md_escape(r.student.id),
                    md_escape(r.student.name),
                    *result_units(r, rules, d),
                    format_exact(r.first_group.bonus, d),
                    first_average_text(r, rules, d),
                    first_professional_text(r, rules, d),
                    md_escape(decision_text(r, rules, d)),
                    ", ".join(b.bloc for b in r.blocs),
                ]
            )
            + "\n"
        )
    if any(r.kept for r in report.results):
        out.write(f"\n{md_escape(t('table.kept_mark'))}\n")
    notes = note_lines(report)
    if notes:
        out.write("\n" + "".join(f"- {md_escape(line)}\n" for line in notes))
    sm = report.summary
    summary_title = t("summary.title")
    out.write(f"\n## {summary_title}\n\n")
    out.write(f"- {labelled(t('summary.students'), sm.students)}\n")
    for decision in Decision:
        out.write(f"- {labelled(decision_label(decision), sm.by_decision[decision])}\n")
    for label, value in summary_rows(sm, rules, d):
        out.write(f"- {labelled(label, value)}\n")
    out.write(f"\n### {t('summary.unit_means')}\n\n")
    out.write(_row([t("col.unit"), t("col.coefficient"), t("col.graded"), t("col.mean")]) + "\n")
    out.write(_row(["---", "---:", "---:", "---:"]) + "\n")
    for unit, stats in zip(c.units, sm.units):
        coef = format_coefficient(unit.coefficient, d) if unit.coefficient is not None else "—"
        out.write(_row([unit.code, coef, str(stats.graded), mean_grade_text(stats.mean, rules, d) or "—"]) + "\n")
    plans = plan_lines(report)
    if plans:
        out.write(f"\n## {t('plan.title')}\n\n" + "".join(f"- {md_escape(line)}\n" for line in plans))
    if report.jury is not None:
        jury_title = t("jury.title")
        out.write(f"\n## {jury_title}\n\n```text\n" + "\n".join(jury_lines(report)) + "\n```\n")
