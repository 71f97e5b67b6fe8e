"""Spreads learnt from the class (`simulate --spread auto`).

The model draws each June grade around the latest mock's grade with a
spread. A class with two mock exams or more shows how much its grades move
from one exam to the next: the spread learnt is the standard deviation of
the differences between consecutive mocks, over every student graded in the
unit in both. (If each exam is a student's level plus an independent error
of spread e, a new exam differs from the last one with spread e·√2: that,
not e, is how far June may land from the latest mock. The calibration test
checks it.) Too few such pairs and the unit keeps the default, and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from .model import HUNDRED, Curriculum, Mark, Student
from .rules import Grader

#: Fewer students graded twice in a unit than this, and its spread is not learnt.
MIN_PAIRS = 8


class LearntSpread(NamedTuple):
    unit: str
    spread: float | None  # points, to the hundredth; None: too few pairs
    pairs: int


def learn_spreads(curriculum: Curriculum, mocks: Sequence[Sequence[Student]], grader: Grader,
                  minimum: int = MIN_PAIRS) -> tuple[LearntSpread, ...]:
    """Each unit's spread from the movement between consecutive mocks."""
    learnt = []
    for unit in curriculum.units:
        differences: list[int] = []  # hundredths
        for before, after in zip(mocks, mocks[1:]):
            earlier = {s.id: s for s in before}
            for student in after:
                first = earlier.get(student.id)
                if first is None:
                    continue
                a, _ = grader.unit_cell(unit, first)
                b, _ = grader.unit_cell(unit, student)
                if a.mark is Mark.GRADE and b.mark is Mark.GRADE and a.grade is not None and b.grade is not None:
                    differences.append(int(b.grade) - int(a.grade))
        n = len(differences)
        if n < minimum:
            learnt.append(LearntSpread(unit.code, None, n))
            continue
        mean = Fraction(sum(differences), n)
        variance = sum((Fraction(d) - mean) ** 2 for d in differences) / (n - 1)
        spread = math.sqrt(variance) / HUNDRED
        learnt.append(LearntSpread(unit.code, round(spread, 2), n))
    return tuple(learnt)
