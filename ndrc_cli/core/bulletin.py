"""The semester's gradebook as records, and its exact averages.

A gradebook has one sheet per taught subject; each subject has evaluations
(a coefficient and a scale each) and each student a cell per evaluation. A
subject's average is Σ(grade / scale × 20 × coef) / Σ coef over the
evaluations that count (a grade: markers and empty cells do not count),
exactly, in hundredths. The exam is projected from these averages by the
engine (`rules.Grader`), never here: `unit_grades` only says what each
unit's grade would be.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from .model import Cell, Mark
from .numbers import Number, format_exact


class Evaluation(NamedTuple):
    """One column of a subject's sheet."""

    header: str
    #: its 1-based column, for messages
    column: int
    coefficient: Number
    #: the grade is out of this many points
    scale: Number


class Assessed(NamedTuple):
    """One student's cells in one subject, in the evaluations' order."""

    id: str
    name: str
    cells: tuple[Cell, ...]
    line: int = 0
    last_name: str = ""
    first_name: str = ""


class Subject(NamedTuple):
    """One subject's sheet, read."""

    #: the curriculum's name of the subject
    name: str
    #: the exam unit it prepares
    unit: str
    #: where it was read: the file, and the sheet of a workbook
    source: str
    sheet: str | None
    evaluations: tuple[Evaluation, ...]
    students: tuple[Assessed, ...]


class Average(NamedTuple):
    """A student's average in one subject: None when no evaluation counts."""

    value: Fraction | None  # hundredths, exact
    counted: int
    missing: int


class Statistics(NamedTuple):
    """A subject's class statistics over the students with an average."""

    mean: Fraction | None
    low: Fraction | None
    high: Fraction | None
    number: int


def subject_average(evaluations: Sequence[Evaluation], cells: Sequence[Cell]) -> Average:
    """Σ(grade / scale × 20 × coef) / Σ coef over the graded cells, in hundredths."""
    points_d, weights_d, factors = _factors(tuple(evaluations))
    points: Fraction | int = 0  # a grade is hundredths, whole or (a workbook's 9.9993) not
    weights = counted = 0
    for (factor, weight), cell in zip(factors, cells):
        if cell.mark is not Mark.GRADE or cell.grade is None:
            continue
        points += cell.grade * factor
        weights += weight
        counted += 1
    missing = len(evaluations) - counted
    if not counted:
        return Average(None, counted, missing)
    return Average(Fraction(points * weights_d) / (weights * points_d), counted, missing)


@lru_cache(maxsize=256)
def _factors(evaluations: tuple[Evaluation, ...]) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """A sheet's evaluations in integers, once per sheet: each one's 20 × coef /
    scale times P and its coef times W, with P and W their common denominators:
    the sums are exact in integers (in Fractions for a finer grade)."""
    factors = [Fraction(20) * Fraction(e.coefficient) / Fraction(e.scale) for e in evaluations]
    weights = [Fraction(e.coefficient) for e in evaluations]
    points_d = math.lcm(1, *(f.denominator for f in factors))
    weights_d = math.lcm(1, *(w.denominator for w in weights))
    return points_d, weights_d, tuple((int(f * points_d), int(w * weights_d)) for f, w in zip(factors, weights))


def statistics(averages: Sequence[Fraction | None]) -> Statistics:
    values = [a for a in averages if a is not None]
    if not values:
        return Statistics(None, None, None, 0)
    return Statistics(Fraction(sum(values)) / len(values), min(values), max(values), len(values))


def unit_grades(subjects_of: Mapping[str, Sequence[str]],
                averages: Mapping[str, Fraction | None]) -> dict[str, Fraction]:
    """Each unit's projected grade (hundredths): the mean of its subjects'
    averages, equal weights, over the subjects the student has an average
    in; a unit with none is left out (not graded)."""
    out: dict[str, Fraction] = {}
    for unit, subjects in subjects_of.items():
        values = [v for s in subjects if (v := averages.get(s)) is not None]
        if values:
            out[unit] = Fraction(sum(values)) / len(values)
    return out


def grade_cell(value: Fraction) -> Cell:
    """A projected unit grade as the engine reads a sheet's cell."""
    grade = value.numerator if value.denominator == 1 else value
    return Cell(Mark.GRADE, grade, format_exact(grade))
