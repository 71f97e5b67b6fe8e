"""Class statistics over exact averages (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from .model import HUNDRED, ClassSummary, Curriculum, Decision, Exact, Mark, Number, StudentResult, UnitStats

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


def _scaled(pairs: list[tuple[Exact, Number]]) -> tuple[list[int], int] | None:
    """Averages total/divisor as integers over one common denominator.

    Divisors take few values (21, 18, …), so every average is an integer
    multiple of 1 / (lcm(divisors) × 100): sorting and summing stay in exact,
    fast integer arithmetic. None when a total or divisor is not an integer.
    """
    if not all(type(t) is int and type(d) is int for t, d in pairs):
        return None
    common = math.lcm(*{int(d) for _, d in pairs})
    return [int(t) * (common // int(d)) for t, d in pairs], common * HUNDRED


def _average_stats(pairs: list[tuple[Exact, Number]]) -> tuple[Fraction, ...] | None:
    """(mean, median, min, max, population standard deviation), exactly."""
    if not pairs:
        return None
    n = len(pairs)
    scaled = _scaled(pairs)
    if scaled is not None:
        values, denom = scaled
        values.sort()
        total = sum(values)
        squares = sum(v * v for v in values)
        mid, odd = divmod(n, 2)
        median = Fraction(values[mid], denom) if odd else Fraction(values[mid - 1] + values[mid], 2 * denom)
        variance = Fraction(n * squares - total * total, n * n * denom * denom)
        return (Fraction(total, n * denom), median, Fraction(values[0], denom), Fraction(values[-1], denom),
                _sqrt(variance))
    averages = [Fraction(t) / (d * HUNDRED) for t, d in pairs]
    mean = sum(averages, Fraction(0)) / n
    variance = sum(((a - mean) ** 2 for a in averages), Fraction(0)) / n
    return mean, _median(averages), min(averages), max(averages), _sqrt(variance)


def summarize(curriculum: Curriculum, results: Sequence[StudentResult]) -> ClassSummary:
    by_decision = {d: 0 for d in Decision}
    pairs: list[tuple[Exact, Number]] = []
    for r in results:
        by_decision[r.decision] += 1
        if r.decision in _COMPLETE:
            pairs.append((r.total, r.divisor))
    decided = len(results) - by_decision[Decision.INCOMPLET]
    stats = _average_stats(pairs)
    mean, median, minimum, maximum, stdev = stats if stats else (None, None, None, None, None)

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
        students=len(results),
        by_decision=by_decision,
        pass_rate=Fraction(by_decision[Decision.ADMIS], decided) if decided else None,
        graded=len(pairs),
        mean=mean,
        median=median,
        minimum=minimum,
        maximum=maximum,
        stdev=stdev,
        units=tuple(unit_stats),
    )
