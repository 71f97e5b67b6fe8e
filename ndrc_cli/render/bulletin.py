"""The semester's bulletin: a terminal table (a row per student, the units'
projected grades, the engine's average and decision; then the class's
statistics per subject), JSON (`ndrc/bulletin/v1`) and CSV. Every number is
the one the app computed, rounded for display only."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from typing import Any, TextIO

from ..app.bulletin import BulletinReport, BulletinRow, change
from ..core.model import HUNDRED, Mark
from ..core.numbers import format_hundredths, points_to_hundredths
from .common import average_text, exact_json, grade_text, neutralise, points_json, sheet_number

SCHEMA = "ndrc/bulletin/v1"


def unit_grades(row: BulletinRow) -> dict[str, Any]:
    """Unit code -> its projected grade (hundredths), or None when not graded."""
    return {u.code: u.grade if u.mark is Mark.GRADE else None for u in row.result.units}


def _signed(value: Fraction | None) -> int | float | None:
    """A change in points, its size rounded half up to 2 decimals, its sign kept."""
    if value is None:
        return None
    size = points_json(abs(value))
    return size if value >= 0 or size is None else -size


def signed_text(value: Fraction | None, d: str) -> str:
    """A change in points as text: `+0.72`, `-1.05`, `+0.00`; '' when unknown."""
    if value is None:
        return ""
    return ("-" if value < 0 else "+") + format_hundredths(points_to_hundredths(abs(value)), d)


def arrow(value: Fraction | None) -> str:
    """▲ up, ▼ down, = unchanged, exactly; '' when unknown."""
    if value is None:
        return ""
    return "▲" if value > 0 else "▼" if value < 0 else "="


def _progress(report: BulletinReport, row: BulletinRow) -> dict[str, Any]:
    before = report.before(row)
    subjects = {s: change(a.value, before.averages[s].value if before and s in before.averages else None)
                for s, a in row.averages.items()}
    return {
        "average": _signed(change(row.result.average, before.result.average if before else None)),
        "subjects": {s: _signed(None if v is None else v / HUNDRED) for s, v in subjects.items()},
    }


def report_json(report: BulletinReport) -> dict[str, Any]:
    units = report.units
    students = []
    for row in report.rows:
        grades = unit_grades(row)
        progress = {"progress": _progress(report, row), "trend": [points_json(a) for a in row.trend]
                    } if report.earlier else {}
        students.append({
            "id": row.id,
            "name": row.name,
            "subjects": {
                subject: {
                    "average": exact_json(a.value),
                    "counted": a.counted,
                    "missing": a.missing,
                    "class_mean": exact_json(report.statistics[subject].mean),
                } for subject, a in row.averages.items()
            },
            "units": {code: exact_json(grades.get(code)) for code in units},
            "average": points_json(row.result.average),
            "decision": row.result.decision.value,
            **progress,
        })
    return {
        "schema": SCHEMA,
        "sources": list(report.sources),
        **({"previous": [p for e in report.earlier for p in e.sources]} if report.earlier else {}),
        "students": students,
        "subjects": {
            name: {"unit": next(s.unit for s in report.subjects if s.name == name), "mean": exact_json(s.mean),
                   "min": exact_json(s.low), "max": exact_json(s.high), "count": s.number}
            for name, s in report.statistics.items()
        },
    }


def write_json(report: BulletinReport, out: TextIO) -> None:
    json.dump(report_json(report), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(report: BulletinReport, out: TextIO, excel: bool = False) -> None:
    """`id, name, <units>, average, decision, <subjects>`: plain (`,` and `.`) or, for
    people's spreadsheets, `excel` (`;` and `,`)."""
    d = "," if excel else "."
    w = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    rules = report.curriculum.rules
    subjects = [s.name for s in report.subjects]
    progress = ["progress"] if report.earlier else []
    w.writerow(["id", "name", *report.units, "average", "decision", *progress, *(neutralise(s) for s in subjects)])
    for row in report.rows:
        grades = unit_grades(row)
        w.writerow([
            neutralise(row.id), neutralise(row.name),
            *("" if grades.get(u) is None else sheet_number(grade_text(grades[u], rules, d)) for u in report.units),
            sheet_number(average_text(row.result.average, rules, d)), row.result.decision.value,
            *([signed_text(moved(report, row), d)] if report.earlier else []),
            *("" if (a := row.averages[s].value) is None else sheet_number(grade_text(a, rules, d))
              for s in subjects),
        ])


def moved(report: BulletinReport, row: BulletinRow) -> Fraction | None:
    before = report.before(row)
    return change(row.result.average, before.result.average if before else None)


def number_text(value: Fraction | None, report: BulletinReport, d: str) -> str:
    return "—" if value is None else grade_text(value, report.curriculum.rules, d)


def who(row: BulletinRow) -> str:
    return row.name or row.id


__all__ = ["SCHEMA", "report_json", "write_csv", "write_json"]
