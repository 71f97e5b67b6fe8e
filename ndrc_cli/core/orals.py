"""The best contrôle orals to choose (D643-22: the candidate chooses them
among the allowed general units, and the better of the first grade and the
oral counts).

For each allowed set of units, the lowest uniform oral grade x (in
hundredths, so "rounded up to the hundredth" is exact) such that the
average with max(first grade, x) on the chosen units reaches the pass mark.
The points x adds, the sum of coefficient x (x - first grade) over the
units graded below x, are piecewise linear and only grow with x: walking
the first grades in order finds the segment where they reach the points
missing, and x exactly there, rounded up; above 20 the set cannot pass.
Exact integers and Fractions throughout.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

from .model import Curriculum, Mark, OralPlan, StudentResult

MAX_GRADE = 2000  # hundredths


def oral_plans(result: StudentResult, curriculum: Curriculum) -> tuple[OralPlan, ...]:
    """Every allowed set of orals (of `max_orals` units, or all the allowed
    ones if fewer) with the grade it needs, best first (the lowest need, then
    the curriculum's order); () when no unit can be chosen."""
    rules = curriculum.rules
    graded = {u.code: u for u in result.units if u.mark in (Mark.GRADE, Mark.JUSTIFIED) and u.grade is not None}
    allowed = [code for code in rules.oral_units if code in graded]  # an exempted unit cannot be chosen
    if not allowed or not result.divisor:
        return ()
    size = min(rules.max_orals, len(allowed))
    target = Fraction(rules.pass_threshold) * Fraction(result.divisor)  # total points needed, in hundredths
    plans = []
    missing = target - result.total  # the points the orals must add
    for chosen in combinations(allowed, size):
        units = sorted((Fraction(graded[c].grade or 0), Fraction(graded[c].coefficient or 0)) for c in chosen)
        plans.append(OralPlan(chosen, least_oral(units, missing)))
    order = {code: i for i, code in enumerate(rules.oral_units)}
    return tuple(sorted(plans, key=lambda p: (p.needed is None, p.needed or 0, [order[c] for c in p.units])))


def least_oral(units: list[tuple[Fraction, Fraction]], missing: Fraction) -> int | None:
    """The least grade x in 0..MAX_GRADE (hundredths) whose raise, the sum of
    coef x (x - first) over the units (first, coef) graded below x, reaches
    `missing`; None when not even MAX_GRADE does. `units` in order of first.

    In integers: every value times d, the common denominator (raise times d²)."""
    if missing <= 0:
        return 0
    d = math.lcm(missing.denominator, *(v.denominator for unit in units for v in unit))
    need = missing.numerator * (d * d // missing.denominator)
    slope = offset = 0  # on the segment: raise(x) * d² = slope * (x * d) - offset
    for first, coef in [*((f, c) for f, c in units if f < MAX_GRADE), (Fraction(MAX_GRADE), Fraction(0))]:
        at = first.numerator * (d // first.denominator)
        if slope and slope * at - offset >= need:  # reached on this segment, at x = (need + offset) / (slope * d)
            return -(-(need + offset) // (slope * d))
        weight = coef.numerator * (d // coef.denominator)
        slope += weight
        offset += weight * at
    return None
