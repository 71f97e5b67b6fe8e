"""The best contrôle orals to choose (D643-22: the candidate chooses them
among the allowed general units, and the better of the first grade and the
oral counts).

For each allowed set of units, the lowest uniform oral grade x (in
hundredths, so "rounded up to the hundredth" is exact) such that the
average with max(first grade, x) on the chosen units reaches the pass mark.
The average only grows with x, so a binary search over 0..20.00 finds it;
above 20 the set cannot pass. Exact integers and Fractions throughout.
"""

from __future__ import annotations

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
    for chosen in combinations(allowed, size):
        units = [(Fraction(graded[c].coefficient or 0), Fraction(graded[c].grade or 0)) for c in chosen]

        def total(x: int, units: list[tuple[Fraction, Fraction]] = units) -> Fraction:
            raised = Fraction(0)
            for coef, first in units:
                if x > first:
                    raised += coef * (x - first)
            return result.total + raised

        if total(MAX_GRADE) < target:
            plans.append(OralPlan(chosen, None))
            continue
        low, high = 0, MAX_GRADE  # total(high) reaches the target; find the least such x
        while low < high:
            mid = (low + high) // 2
            if total(mid) >= target:
                high = mid
            else:
                low = mid + 1
        plans.append(OralPlan(chosen, low))
    order = {code: i for i, code in enumerate(rules.oral_units)}
    return tuple(sorted(plans, key=lambda p: (p.needed is None, p.needed or 0, [order[c] for c in p.units])))
