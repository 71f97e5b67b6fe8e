"""Results as the versioned JSON envelope `ndrc/grade/v1` (see README).

New fields may be added; a field never changes meaning without a new schema.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..core.model import GradeReport, Mark, Rules, StudentResult
from ..core.numbers import format_coefficient
from ..i18n import english
from .common import after_text, average_text, exact_json, note_text, points_json, professional_text, ratio_json

SCHEMA = "ndrc/grade/v1"


def _coefficient(value: Any) -> Any:
    if value is None or type(value) is int:
        return value
    return float(format_coefficient(value))


def curriculum_json(report: GradeReport) -> dict[str, Any]:
    c = report.curriculum
    return {
        "code": c.code,
        "name": c.name,
        "source": c.source,
        "units": [
            {
                "code": u.code,
                "unit": u.unit_id,
                "name": u.name,
                "domain": u.domain.value,
                "coefficient": _coefficient(u.coefficient),
                "bloc": u.bloc,
            }
            for u in c.units
        ],
        "pass_threshold": exact_json(c.rules.pass_threshold),
    }


def student_json(r: StudentResult, rules: Rules) -> dict[str, Any]:
    # After the contrôle orals the top-level numbers stay the first group's;
    # `decision` and `blocs` are final, and `controle` has the second group.
    base = r.first_group
    s = base.student
    kept = dict(r.kept)
    units: dict[str, Any] = {}
    for u in base.units:
        entry: dict[str, Any] = {"grade": exact_json(u.grade), "status": u.mark.value}
        if u.parts:
            entry["parts"] = {
                code: {
                    "grade": exact_json(0 if cell.mark is Mark.JUSTIFIED else cell.grade),
                    "status": cell.mark.value,
                }
                for code, cell in u.parts
            }
        if u.code in kept:
            entry["kept_from"] = kept[u.code]
        units[u.code] = entry
    decided = base.average is not None
    out = {
        "id": s.id,
        "name": s.name,
        "last_name": s.last_name,
        "first_name": s.first_name,
        "line": s.line,
        "average": points_json(base.average),
        "points": exact_json(base.points),
        "divisor": _coefficient(base.divisor),
        "bonus": exact_json(base.bonus),
        "total": exact_json(base.total) if decided else None,
        "professional_average": points_json(base.professional_average),
        # The numbers above are rounded half up (the contract); these texts are
        # what a person must read beside `decision`: never rounded across a
        # threshold (9.9993, 9.99…), with '.' in every language.
        "average_text": average_text(base.average, rules) or None,
        "professional_average_text": professional_text(base.professional_average, rules) or None,
        "decision": r.decision.value,
        "units": units,
        "blocs": [
            {"id": b.bloc, "name": b.name, "unit": b.unit, "grade": exact_json(b.grade), "valid_until": b.valid_until}
            for b in r.blocs
        ],
        "missing": list(base.missing),
        "absent": list(base.absent),
        "extra": dict(s.extra),
        "kept": [{"unit": code, "session": year} for code, year in r.kept],
        # Machine format: the remark in English with '.', whatever the interface language.
        "notes": [english(lambda: note_text(n, rules, ".")) for n in r.notes],
    }
    if r.plans:  # the orals that need the lowest grade to pass (core/orals.py)
        best = r.plans[0]
        out["controle_plan"] = {"units": list(best.units),
                                "needed": None if best.needed is None else exact_json(best.needed)}
    if r.controle is not None:
        out["controle"] = {
            "units": [code for code, *_ in r.controle.units],
            "grades": {code: {"first": exact_json(first), "oral": exact_json(oral), "counted": exact_json(counted)}
                       for code, first, oral, counted in r.controle.units},
            "average_before": points_json(base.average),
            "average_after": points_json(r.average),
            "average_after_text": after_text(r.average, rules),
            "decision_before": base.decision.value,
        }
    return out


def report_json(report: GradeReport) -> dict[str, Any]:
    sm = report.summary
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "curriculum": curriculum_json(report),
        "sources": list(report.sources),
        "students": [student_json(r, report.curriculum.rules) for r in report.results],
        "summary": {
            "count": sm.students,
            "decisions": {d.value: n for d, n in sm.by_decision.items()},
            "pass_rate": ratio_json(sm.pass_rate),
            "averages": {
                "count": sm.graded,
                "mean": points_json(sm.mean),
                "median": points_json(sm.median),
                "min": points_json(sm.minimum),
                "max": points_json(sm.maximum),
                "stdev": points_json(sm.stdev),
            },
            "units": {u.code: {"count": u.graded, "mean": points_json(u.mean)} for u in sm.units},
        },
    }
    if report.session is not None:
        data["session"] = report.session
    if report.own_average:
        data["sheet_averages"] = [{
            "column": check.column,
            "differs": [{"id": sid, "sheet": exact_json(value), "average": points_json(average)}
                        for sid, value, average in check.differs],
        } for check in report.own_average]
    if report.jury is not None:
        data["summary"]["jury"] = [
            {"id": r.student.id, "threshold": threshold, "distance": points_json(distance)}
            for r, threshold, distance in report.jury
        ]
    return data


def write_json(report: GradeReport, out: TextIO) -> None:
    json.dump(report_json(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
