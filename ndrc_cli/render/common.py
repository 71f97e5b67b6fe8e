"""Shared formatting for every renderer: cells, decisions, rounded numbers."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..core import controls
from ..core.model import (
    ClassSummary,
    Decision,
    Exact,
    GradeReport,
    Mark,
    Note,
    OralPlan,
    Rules,
    StudentResult,
    UnitResult,
    file_name,
)
from ..core.numbers import (
    display_exact,
    display_points,
    div_half_up,
    format_exact,
    format_points,
    json_number,
    points_to_hundredths,
)
from ..core.rules import display_marks
from ..i18n import decimal_separator, labelled, t, tn

if TYPE_CHECKING:  # the CSV path imports this module: no charts there
    from ..core.charts import Thresholds

#: How a unit without a number is shown in sheets and tables (stable codes).
MARK_CODES = {
    Mark.MISSING: "",
    Mark.ABSENT: "ABS",
    Mark.JUSTIFIED: "ABJ",
    Mark.EXEMPT: "DISP",
}


# Every number shown beside a decision goes through the display rule
# (core.numbers.display_exact) with the thresholds it is read against
# (core.rules.display_marks): rounded half up, never across a threshold.


def average_text(value: Fraction | None, rules: Rules, decimal: str = ".") -> str:
    """A first-group average (or a class statistic of averages); '' for None."""
    return display_points(value, display_marks(rules).average, decimal)


def after_text(value: Fraction | None, rules: Rules, decimal: str = ".") -> str:
    """The average after the contrôle orals."""
    return display_points(value, display_marks(rules).after, decimal)


def professional_text(value: Fraction | None, rules: Rules, decimal: str = ".") -> str:
    """A professional average; '' for None."""
    return display_points(value, display_marks(rules).professional, decimal)


def grade_text(value: Exact, rules: Rules, decimal: str = ".") -> str:
    """A unit grade (hundredths): never shown at the pass mark below it."""
    return display_exact(value, display_marks(rules).grade, decimal)


def mean_grade_text(value: Fraction | None, rules: Rules, decimal: str = ".") -> str:
    """A unit's class mean (points), read against the pass mark like a grade."""
    return display_points(value, display_marks(rules).grade, decimal)


def step_average_text(value: Exact | None, rules: Rules, decimal: str = ".", none: str = "—") -> str:
    """An average in exact hundredths (a step of a student's movement across mock exams)."""
    return none if value is None else display_exact(value, display_marks(rules).average, decimal)


def gap_text(value: Fraction, decimal: str = ".") -> str:
    """A distance below a threshold (points, > 0): never shown as 0."""
    return display_points(value, (), decimal, strict=(0,))


def sheet_number(text: str) -> str:
    """A shown number for a CSV cell, which a spreadsheet must read as a number:
    a truncated value keeps its digits (on the right side of every threshold)
    without the ellipsis that would make the cell text."""
    return text.removesuffix("…")


def threshold_text(value: Exact, decimal: str = ".") -> str:
    """A threshold of the rules (hundredths) as people say it: 10, 9,5."""
    text = format_exact(value, decimal)
    return text.removesuffix(f"{decimal}00")


def unit_text(u: UnitResult, rules: Rules, decimal: str = ".") -> str:
    """A unit's grade as text, or its marker code (ABJ shows as its marker)."""
    if u.mark is Mark.GRADE and u.grade is not None:
        return grade_text(u.grade, rules, decimal)
    return MARK_CODES.get(u.mark, "")


def result_units(r: StudentResult, rules: Rules, decimal: str = ".") -> list[str]:
    """Each unit's cell for a table row: the first-group grades, `*` on a kept one."""
    base = r.first_group
    kept = dict(r.kept)
    return [unit_text(u, rules, decimal) + ("*" if u.code in kept else "") for u in base.units]


def decision_text(r: StudentResult, rules: Rules, decimal: str = ".") -> str:
    """The final decision, with the average after the contrôle orals if any."""
    label = decision_label(r.decision)
    if r.controle is not None:
        label += " " + t("table.after_controle", average=after_text(r.average, rules, decimal))
    return label


def first_average_text(r: StudentResult, rules: Rules, decimal: str = ".") -> str:
    """The first-group average (the contrôle's own average is in decision_text)."""
    return average_text(r.first_group.average, rules, decimal)


def first_professional_text(r: StudentResult, rules: Rules, decimal: str = ".") -> str:
    """The first-group professional average."""
    return professional_text(r.first_group.professional_average, rules, decimal)


#: The histogram's zones: below the contrôle, up to the pass mark, from it.
ZONE_KEYS = {"fail": "chart.zone_fail", "controle": "chart.zone_controle", "pass": "chart.zone_pass"}


def zone_label(zone: str, count: int, marks: Thresholds) -> str:
    """'below 8: 2', '8 to under 10: 6', '10 and above: 12'."""
    return t(ZONE_KEYS[zone], count=count, low=marks.controle, high=marks.admis)


def decision_label(decision: Decision) -> str:
    """The decision in the interface language (machine formats use the code)."""
    return t(f"decision.{decision.value}")


def exact_json(value: int | Fraction | None) -> int | float | None:
    """Hundredths (exact) -> a JSON number rounded half up to 2 decimals."""
    if value is None:
        return None
    return json_number(div_half_up(value, 1))


def points_json(value: Fraction | None) -> int | float | None:
    """Points (exact) -> a JSON number rounded half up to 2 decimals."""
    if value is None:
        return None
    return json_number(points_to_hundredths(value))


def ratio_json(value: Fraction | None, places: int = 4) -> float | int | None:
    """A ratio in [0, 1] rounded half up to `places` decimals."""
    if value is None:
        return None
    scale: int = 10**places
    n: int = div_half_up(value.numerator * scale, value.denominator)
    return n // scale if n % scale == 0 else float(n) / scale


def percent_text(value: Fraction | None, decimal: str = ".") -> str:
    if value is None:
        return "—"
    tenths = div_half_up(value.numerator * 1000, value.denominator)
    return f"{tenths // 10}{decimal}{tenths % 10} %"


def summary_rows(sm: ClassSummary, rules: Rules, decimal: str = ".") -> list[tuple[str, str]]:
    """The class summary's statistics as (label, value) rows, for any renderer.

    The minimum, maximum and median are students' averages, and shown beside
    the counts of decisions: like every average, they are never rounded across
    a threshold (nor is the mean, for one rule); the standard deviation is a
    spread, not an average, and is simply rounded."""
    return [
        (t("summary.pass_rate"), percent_text(sm.pass_rate, decimal)),
        (t("summary.mean"), average_text(sm.mean, rules, decimal) or "—"),
        (t("summary.median"), average_text(sm.median, rules, decimal) or "—"),
        (t("summary.min"), average_text(sm.minimum, rules, decimal) or "—"),
        (t("summary.max"), average_text(sm.maximum, rules, decimal) or "—"),
        (t("summary.stdev"), format_points(sm.stdev, decimal) or "—"),
    ]


def file_names(sources: tuple[str, ...]) -> str:
    """The inputs as a document names them: by file name, never by the
    folders of the machine they were read on."""
    return ", ".join(file_name(source) for source in sources)


def note_text(note: Note, rules: Rules, decimal: str | None = None) -> str:
    """A remark in the interface language, its grade with the given decimal mark."""
    d = decimal or decimal_separator()
    values = {"unit": note.unit, "grade": grade_text(note.grade, rules, d), "session": note.session,
              "years": note.years, "threshold": threshold_text(rules.pass_threshold, d)}
    return tn(note.key, note.amount, **values) if note.amount else t(note.key, **values)


def note_lines(report: GradeReport) -> list[str]:
    """Remarks (kept grades, optional units beyond the curriculum's limit), one line per student."""
    rules = report.curriculum.rules
    return [labelled(r.student.id, t("list.semicolon").join(note_text(n, rules) for n in r.notes))
            for r in report.results if r.notes]


def jury_entries(report: GradeReport) -> list[tuple[StudentResult, str]]:
    """The jury's watch list, one entry per candidate, nearest first: the
    result and why it is on the list."""
    d = decimal_separator()
    rules = report.curriculum.rules
    marks = {"admis": rules.pass_threshold, "controle": rules.controle_min,
             "professional": rules.professional_threshold}
    reasons: dict[str, list[str]] = {}
    results = {}
    for r, threshold, distance in report.jury or ():
        value = (professional_text(r.professional_average, rules, d) if threshold == "professional"
                 else average_text(r.average, rules, d))
        reasons.setdefault(r.student.id, []).append(
            t(f"jury.{threshold}", value=value, distance=gap_text(distance, d),
              threshold=threshold_text(marks[threshold], d)))
        results[r.student.id] = r
    return [(results[sid], t("list.semicolon").join(texts)) for sid, texts in reasons.items()]


def plan_text(plan: OralPlan, decimal: str | None = None) -> str:
    """'E1 + E3: 9.30 or more on each', or 'impossible'."""
    d = decimal or decimal_separator()
    units = " + ".join(plan.units)
    if plan.needed is None:
        return t("plan.impossible", units=units)
    return t("plan.needed", units=units, needed=format_exact(plan.needed, d))


def plan_lines(report: GradeReport) -> list[str]:
    """For each candidate at contrôle, the best orals to choose (core/orals.py)."""
    return [f"{r.student.id} {r.student.name}".strip() + " — " + plan_text(r.plans[0])
            for r in report.results if r.plans]


def jury_lines(report: GradeReport) -> list[str]:
    """The jury's watch list, nearest first, each with its computation."""
    from .explain import explain

    if not report.jury:
        return [t("jury.none")]
    lines = []
    for r, why in jury_entries(report):
        lines.append(labelled(f"{r.student.id} {r.student.name}", why))
        lines.extend("    " + line for line in explain(r, report.curriculum)[1:])
    return lines


def md_escape(text: object) -> str:
    """Text for Markdown: nothing in it breaks a pipe table or turns into markup,
    nor reaches a terminal raw when the document is read with `cat` (control and
    format characters shown as escapes, into a file too)."""
    out = str(text).replace("\\", "\\\\").replace("\r", " ").replace("\n", " ")
    for ch in "*_`[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return controls.visible(out)


def neutralise(text: str) -> str:
    """A text cell from a sheet, safe in a CSV file (OWASP CSV injection).

    A cell that a spreadsheet could run as a formula — starting with `=`, `+`,
    `-`, `@`, a tab or a line break, also after leading spaces or line breaks —
    gets a `'` in front. Line breaks inside a cell are written as LF, which
    every CSV path quotes (Python's csv module leaves a lone CR unquoted when
    the line ends with LF, and a spreadsheet would start a new row there)."""
    if not text:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text[0] in "=+-@\t\n" or text.lstrip(" \n")[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


# Control and format characters shown as escapes, for a terminal (the rule: core/controls.py).
visible = controls.visible
one_line = controls.one_line
