"""Shared formatting for every renderer: cells, decisions, rounded numbers."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING

from ..core.model import ClassSummary, Decision, GradeReport, Mark, Note, OralPlan, StudentResult, UnitResult
from ..core.numbers import div_half_up, format_exact, format_points, json_number, points_to_hundredths
from ..i18n import decimal_separator, labelled, t

if TYPE_CHECKING:  # the CSV path imports this module: no charts there
    from ..core.charts import Thresholds

#: How a unit without a number is shown in sheets and tables (stable codes).
MARK_CODES = {
    Mark.MISSING: "",
    Mark.ABSENT: "ABS",
    Mark.JUSTIFIED: "ABJ",
    Mark.EXEMPT: "DISP",
}


def unit_text(u: UnitResult, decimal: str = ".") -> str:
    """A unit's grade as text, or its marker code (ABJ shows as its marker)."""
    if u.mark is Mark.GRADE and u.grade is not None:
        return format_exact(u.grade, decimal)
    return MARK_CODES.get(u.mark, "")


def result_units(r: StudentResult, decimal: str = ".") -> list[str]:
    """Each unit's cell for a table row: the first-group grades, `*` on a kept one."""
    base = r.first_group
    kept = dict(r.kept)
    return [unit_text(u, decimal) + ("*" if u.code in kept else "") for u in base.units]


def decision_text(r: StudentResult, decimal: str = ".") -> str:
    """The final decision, with the average after the contrôle orals if any."""
    label = decision_label(r.decision)
    if r.controle is not None:
        label += " " + t("table.after_controle", average=format_points(r.average, decimal))
    return label


def first_average_text(r: StudentResult, decimal: str = ".") -> str:
    """The first-group average (the contrôle's own average is in decision_text)."""
    base = r.first_group
    return format_points(base.average, decimal)


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


def summary_rows(sm: ClassSummary, decimal: str = ".") -> list[tuple[str, str]]:
    """The class summary's statistics as (label, value) rows, for any renderer."""
    return [
        (t("summary.pass_rate"), percent_text(sm.pass_rate, decimal)),
        (t("summary.mean"), format_points(sm.mean, decimal) or "—"),
        (t("summary.median"), format_points(sm.median, decimal) or "—"),
        (t("summary.min"), format_points(sm.minimum, decimal) or "—"),
        (t("summary.max"), format_points(sm.maximum, decimal) or "—"),
        (t("summary.stdev"), format_points(sm.stdev, decimal) or "—"),
    ]


def note_text(note: Note, decimal: str | None = None) -> str:
    """A remark in the interface language, its grade with the given decimal mark."""
    return t(note.key, unit=note.unit, grade=format_exact(note.grade, decimal or decimal_separator()),
             session=note.session, years=note.years)


def note_lines(report: GradeReport) -> list[str]:
    """Remarks about kept grades, one line per student."""
    return [labelled(r.student.id, "; ".join(note_text(n) for n in r.notes)) for r in report.results if r.notes]


def jury_entries(report: GradeReport) -> list[tuple[StudentResult, str]]:
    """The jury's watch list, one entry per candidate, nearest first: the
    result and why it is on the list."""
    d = decimal_separator()
    reasons: dict[str, list[str]] = {}
    results = {}
    for r, threshold, distance in report.jury or ():
        value = r.professional_average if threshold == "professional" else r.average
        reasons.setdefault(r.student.id, []).append(
            t(f"jury.{threshold}", value=format_points(value, d), distance=format_points(distance, d)))
        results[r.student.id] = r
    return [(results[sid], "; ".join(texts)) for sid, texts in reasons.items()]


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
    """Text for Markdown: nothing in it breaks a pipe table or turns into markup."""
    out = str(text).replace("\\", "\\\\").replace("\r", " ").replace("\n", " ")
    for ch in "*_`[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


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


# What a terminal would obey rather than show: C0 controls but tab and
# newline, DEL, C1 controls (ESC ] … BEL sets the title, ESC [2J clears the
# screen), and the bidirectional overrides that reorder a line.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text for a terminal: every control character shown as an escape (\\x1b)."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
