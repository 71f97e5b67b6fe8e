"""What the class charts show, computed once for every drawing of them.

The terminal (render/termchart.py, Rich) and the HTML report (render/svg.py)
draw the same three charts from these records, so they can never disagree:
the spread of first-group averages around 8 and 10, each unit's class mean
against 10, and each student's movement across mock exams.

Pure: exact numbers in, exact numbers out; no drawing here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from .model import HUNDRED, ClassSummary, Curriculum, Decision, Exact, Rules, StudentResult, file_name

#: One bar per point of average; the last also holds averages above 20 (the
#: optional unit's bonus can lift an average past 20).
BINS = 20


class Thresholds(NamedTuple):
    """The averages that decide, in whole points (reglement.md §3: the
    contrôle is open from 8, the diploma awarded from 10)."""

    controle: int
    admis: int


def thresholds(rules: Rules) -> Thresholds:
    # Bars are a point wide: a threshold between two whole points (no
    # curriculum has one) is drawn at the next one.
    return Thresholds(math.ceil(Fraction(rules.controle_min) / HUNDRED),
                      math.ceil(Fraction(rules.pass_threshold) / HUNDRED))


class Bin(NamedTuple):
    low: int  # points: the bar counts averages in [low, low + 1)
    students: int
    zone: str  # 'fail' below the contrôle, 'controle' up to the pass mark, 'pass' from it


class Histogram(NamedTuple):
    bins: tuple[Bin, ...]
    #: students with a first-group average (the others are not drawn)
    total: int
    thresholds: Thresholds


class UnitBar(NamedTuple):
    code: str
    name: str
    mean: Fraction | None  # points; None when nobody has a grade
    graded: int
    threshold: int  # the pass mark, in points: the line each bar is read against

    @property
    def below(self) -> bool:
        return self.mean is not None and self.mean < self.threshold


class Movement(NamedTuple):
    id: str
    name: str
    #: the exact average (hundredths) after each step, None where it is unknown
    averages: tuple[Exact | None, ...]

    @property
    def change(self) -> Exact | None:
        """Last known average minus the first known one (hundredths)."""
        known = [a for a in self.averages if a is not None]
        return known[-1] - known[0] if len(known) > 1 else None


def _zone(low: int, marks: Thresholds) -> str:
    if low >= marks.admis:
        return "pass"
    return "controle" if low >= marks.controle else "fail"


def histogram(results: Sequence[StudentResult], marks: Thresholds) -> Histogram:
    """Students with a decision taken on an average (admis, contrôle, ajourné),
    by the exact first-group average: 9.995 sits in the 9 bar, as it failed."""
    counts = [0] * BINS
    total = 0
    for r in results:
        base = r.first_group
        average = base.average
        if average is None or base.decision not in (Decision.ADMIS, Decision.CONTROLE, Decision.AJOURNE):
            continue
        counts[min(BINS - 1, max(0, math.floor(average)))] += 1
        total += 1
    return Histogram(tuple(Bin(low, count, _zone(low, marks)) for low, count in enumerate(counts)), total, marks)


def unit_bars(curriculum: Curriculum, summary: ClassSummary) -> tuple[UnitBar, ...]:
    """Each unit's class mean, from a class summary."""
    mark = thresholds(curriculum.rules).admis
    return tuple(UnitBar(unit.code, unit.name, stats.mean, stats.graded, mark)
                 for unit, stats in zip(curriculum.units, summary.units))


def step_label(path: str) -> str:
    """A mock exam's file name without folder or extension: what a teacher calls it."""
    name = file_name(path)
    dot = name.rfind(".")
    return (name[:dot] if dot > 0 else name) or path


def movements(ids_names: Sequence[tuple[str, str]], steps: Sequence[dict[str, Exact | None]],
              ) -> tuple[Movement, ...]:
    """Each student's average (hundredths) at each step, from one mapping of
    id -> average per step (a mock exam, or the sheet itself)."""
    return tuple(Movement(sid, name, tuple(step.get(sid) for step in steps)) for sid, name in ids_names)
