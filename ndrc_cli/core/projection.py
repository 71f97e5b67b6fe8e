"""Mock-exam projections (reglement.md §7), exact part: combining mock
sheets, what-if overrides, assumed grades for open units, needed grades.

Pure: no numpy here (see montecarlo.py for the probabilities).

An *open* unit is a mandatory unit with no grade yet in the mocks: empty, or
ABS (a mock absence is a grade still to come, not a June absence). For the
projection, open units take the assumed grade; needed grades are computed
over them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import HUNDRED, Cell, Curriculum, Exact, Mark, Student, StudentResult
from .rules import Grader

MEAN = "mean"


@dataclass(frozen=True, slots=True)
class Projection:
    student: Student
    #: the mock grades with open units filled by `assumed`
    projected: StudentResult
    #: open mandatory units (no grade yet), and the grade assumed for them
    open_units: tuple[str, ...]
    assumed: Exact | None
    #: smallest uniform grade on the open units (hundredths, rounded up) to
    #: reach admis / at least controle; 0 = already secured; None = impossible
    needed_admis: int | None
    needed_controle: int | None


def combine(students_by_mock: Sequence[Sequence[Student]], mode: str = "latest") -> list[Student]:
    """One student per id from successive mock sheets (same ids in each).

    latest: a unit's latest value that is not empty; mean: the exact mean of
    its grades across mocks (a marker only when no mock has a grade).
    """
    first = students_by_mock[0]
    later = [{s.id: s for s in mock} for mock in students_by_mock[1:]]
    out = []
    for student in first:
        versions = [student] + [m[student.id] for m in later]
        codes = dict.fromkeys(code for v in versions for code in v.cells)
        cells: dict[str, Cell] = {}
        for code in codes:
            given = [v.cells[code] for v in versions if code in v.cells and v.cells[code].raw]
            if not given:
                cells[code] = Cell(Mark.MISSING)
                continue
            grades = [c.grade for c in given if c.mark is Mark.GRADE and c.grade is not None]
            if mode == MEAN and grades:
                mean = Fraction(sum(grades, Fraction(0))) / len(grades)
                value: Exact = mean.numerator if mean.denominator == 1 else mean
                cells[code] = Cell(Mark.GRADE, value, "mean")
            else:
                cells[code] = given[-1]
        last = versions[-1]
        out.append(Student(id=student.id, name=last.name or student.name, cells=cells, line=student.line,
                           last_name=last.last_name, first_name=last.first_name, extra=last.extra))
    return out


def with_overrides(student: Student, overrides: dict[str, Exact]) -> Student:
    if not overrides:
        return student
    cells = dict(student.cells)
    for code, value in overrides.items():
        cells[code] = Cell(Mark.GRADE, value, "set")
    return Student(student.id, student.name, cells, student.line, student.last_name, student.first_name,
                   student.extra)


def open_units(curriculum: Curriculum, student: Student, grader: Grader) -> tuple[str, ...]:
    opened = []
    for unit in curriculum.mandatory_units:
        cell, _ = grader.unit_cell(unit, student)
        if cell.mark in (Mark.MISSING, Mark.ABSENT):
            opened.append(unit.code)
    return tuple(opened)


def own_mean(curriculum: Curriculum, student: Student, grader: Grader) -> Exact | None:
    """The student's coefficient-weighted average over graded mandatory units."""
    points: Exact = 0
    weight: Exact = 0
    for unit in curriculum.mandatory_units:
        cell, _ = grader.unit_cell(unit, student)
        if cell.mark is Mark.GRADE and cell.grade is not None:
            points += (unit.coefficient or 0) * cell.grade
            weight += unit.coefficient or 0
        elif cell.mark is Mark.JUSTIFIED:
            weight += unit.coefficient or 0
    if not weight:
        return None
    mean = Fraction(points) / weight
    return mean.numerator if mean.denominator == 1 else mean


def fill(student: Student, codes: Sequence[str], grade: Exact) -> Student:
    cells = dict(student.cells)
    for code in codes:
        cells[code] = Cell(Mark.GRADE, grade, "assumed")
    return Student(student.id, student.name, cells, student.line, student.last_name, student.first_name,
                   student.extra)


def _ceil_div(a: Exact, b: Exact) -> int:
    return math.ceil(Fraction(a) / Fraction(b))


def needed(
    curriculum: Curriculum, student: Student, codes: Sequence[str], grader: Grader
) -> tuple[int | None, int | None]:
    """Smallest uniform grade x (hundredths, rounded up) on `codes` giving
    admis, and giving at least controle. Exact: the average is linear in x."""
    if not codes:
        result = grader.evaluate(student)
        admis = 0 if result.decision.value == "admis" else None
        controle = 0 if result.decision.value in ("admis", "controle") else None
        return admis, controle
    rules = curriculum.rules
    base = grader.evaluate(fill(student, codes, 0))
    if base.absent:  # an absence outside the open units cannot be made up
        return None, None
    open_coef = sum(Fraction(curriculum.unit(c).coefficient or 0) for c in codes)
    pro_open = sum(Fraction(curriculum.unit(c).coefficient or 0) for c in codes if c in rules.professional_units)
    # total(x) = base.total + open_coef * x (bonus unchanged); pro likewise.
    x_admis = _ceil_div(rules.pass_threshold * base.divisor - base.total, open_coef)
    x_low = _ceil_div(rules.controle_min * base.divisor - base.total, open_coef)
    pro_gap = rules.professional_threshold * base.pro_divisor - base.pro_points
    if pro_open:
        x_pro = _ceil_div(pro_gap, pro_open)
    else:
        x_pro = -1 if pro_gap <= 0 else 10**9  # fixed by the graded units
    x_controle = min(x_admis, max(x_low, x_pro))

    def clamp(x: int) -> int | None:
        return None if x > 20 * HUNDRED else max(0, x)

    return clamp(x_admis), clamp(x_controle)


def project(
    curriculum: Curriculum,
    student: Student,
    assume: Exact | str = MEAN,
    grader: Grader | None = None,
    only_unit: str | None = None,
) -> Projection:
    grader = grader or Grader(curriculum)
    opened = open_units(curriculum, student, grader)
    assumed: Exact | None = own_mean(curriculum, student, grader) if assume == MEAN else assume  # type: ignore[assignment]
    if assumed is None:
        assumed = 10 * HUNDRED  # nothing graded yet: assume the pass mark
    projected_student = fill(student, opened, assumed)
    if only_unit is not None:
        # The grade needed on one unit, every other unit as projected.
        cells = dict(projected_student.cells)
        for code in (only_unit, *(p.code for p in curriculum.unit(only_unit).parts)):
            cells.pop(code, None)
        subject = Student(student.id, student.name, cells, student.line)
        n_admis, n_controle = needed(curriculum, subject, (only_unit,), grader)
    else:
        n_admis, n_controle = needed(curriculum, student, opened, grader)
    return Projection(
        student=student,
        projected=grader.evaluate(projected_student),
        open_units=opened,
        assumed=assumed if opened else None,
        needed_admis=n_admis,
        needed_controle=n_controle,
    )
