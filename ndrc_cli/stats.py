"""Class statistics over exact averages (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from .model import HUNDRED, ClassSummary, Curriculum, Decision, Mark, StudentResult, UnitStats

#: Decisions whose average is a complete, comparable result.
_COMPLETE = (Decision.ADMIS, Decision.CONTROLE, Decision.AJOURNE)


def _median(values: list[Fraction]) -> Fraction:
    values = sorted(values)
    mid, odd = divmod(len(values), 2)
    return values[mid] if odd else (values[mid - 1] + values[mid]) / 2


def _sqrt(value: Fraction) -> Fraction:
    """Square root to 1e-9, via Decimal: display only, never a decision."""
    with localcontext() as ctx:
        ctx.prec = 30
        root = (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()
    return Fraction(root).limit_denominator(10**9)


def summarize(curriculum: Curriculum, results: Sequence[StudentResult]) -> ClassSummary:
    by_decision = {d: 0 for d in Decision}
    averages: list[Fraction] = []
    for r in results:
        by_decision[r.decision] += 1
        if r.decision in _COMPLETE:
            avg = r.average
            assert avg is not None
            averages.append(avg)
    decided = len(results) - by_decision[Decision.INCOMPLET]
    mean = median = minimum = maximum = stdev = None
    if averages:
        n = len(averages)
        mean = sum(averages, Fraction(0)) / n
        median = _median(averages)
        minimum, maximum = min(averages), max(averages)
        stdev = _sqrt(sum(((a - mean) ** 2 for a in averages), Fraction(0)) / n)

    unit_stats = []
    for i, unit in enumerate(curriculum.units):
        total: Fraction | int = 0
        count = 0
        for r in results:
            u = r.units[i]
            if u.grade is not None and u.mark in (Mark.GRADE, Mark.JUSTIFIED):
                total += u.grade
                count += 1
        unit_stats.append(
            UnitStats(unit.code, count, Fraction(total) / (count * HUNDRED) if count else None)
        )
    return ClassSummary(
        count=len(results),
        by_decision=by_decision,
        pass_rate=Fraction(by_decision[Decision.ADMIS], decided) if decided else None,
        graded=len(averages),
        mean=mean,
        median=median,
        minimum=minimum,
        maximum=maximum,
        stdev=stdev,
        units=tuple(unit_stats),
    )
