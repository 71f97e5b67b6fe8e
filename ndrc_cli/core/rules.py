"""The règlement as code: average, optional bonus, decision, blocs (pure).

Everything is exact integer arithmetic on hundredths of a point; a Fraction
appears only for the rare grades that need one (see model.py). Decisions
compare exact values, so 9.995 is never "rounded into" a pass.
See docs/rules.md §2–§4 and §6 for the rules restated here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import NamedTuple

from .model import (
    BlocAcquired,
    Cell,
    Curriculum,
    Decision,
    Exact,
    Mark,
    Note,
    Number,
    OptionalLimit,
    OptionalRule,
    Rules,
    Student,
    StudentResult,
    Unit,
    UnitResult,
)

_MISSING = Cell(Mark.MISSING)

#: Flags of an Effect: a mandatory unit not graded yet, an unjustified
#: absence, a professional unit not graded yet.
MISSING, ABSENT, PRO_MISSING = 1, 2, 4


class Effect(NamedTuple):
    """What one unit's cell adds to a student's result: the one definition of
    the per-unit rules, used by the Grader and by the streaming path."""

    points: Exact  # coefficient × grade of a valued mandatory unit (hundredths)
    divisor: Number  # its coefficient; an optional unit's when the rule adds it
    pro_points: Exact
    pro_divisor: Number
    bonus: Exact  # an optional unit's points above the threshold, under the rule
    flags: int
    grade: Exact | None  # the grade that counts (ABJ: 0), None when none does


def unit_effect(unit: Unit, is_pro: bool, optional: OptionalRule, mark: Mark, grade: Exact | None) -> Effect:
    """The rules for one unit (reglement.md §2–§3): a mandatory unit adds
    coefficient × grade to the points and its coefficient to the divisor (an
    unjustified absence weighs 0 and decides `absent`; an exemption leaves
    both); an optional unit adds only its points above the threshold."""
    coef = unit.coefficient
    if mark is Mark.JUSTIFIED:
        grade = 0  # force majeure: graded 0, the average computed normally
    elif mark is not Mark.GRADE:
        grade = None
    if unit.mandatory:
        assert coef is not None  # enforced by the curriculum loader
        if mark is Mark.MISSING:
            return Effect(0, 0, 0, 0, 0, MISSING | (PRO_MISSING if is_pro else 0), None)
        if mark is Mark.EXEMPT:
            return Effect(0, 0, 0, 0, 0, 0, None)
        points = coef * (grade or 0)
        flags = ABSENT if mark is Mark.ABSENT else 0
        return Effect(points, coef, points if is_pro else 0, coef if is_pro else 0, 0, flags, grade)
    if grade is None:
        return Effect(0, 0, 0, 0, 0, 0, None)
    over = grade - optional.counts_above
    bonus = (over * coef if optional.multiply_by_coefficient and coef else over) if over > 0 else 0
    return Effect(0, coef if optional.add_to_divisor and coef else 0, 0, 0, bonus, 0, grade)


def left_out(limit: OptionalLimit | None, taken: Sequence[tuple[str, Exact, Exact]]) -> tuple[str, ...]:
    """The graded optional units that do not count under the curriculum's
    limit (reglement.md §2): `taken` is each graded optional unit as (code,
    bonus, grade), in the curriculum's order. Those outside the limit always
    count; of the others, the `max_units` most favourable to the candidate
    count — the largest bonus, then the higher grade, then the curriculum's
    order — and the rest are left out, in the curriculum's order."""
    if limit is None:
        return ()
    limited = [(i, code, bonus, grade) for i, (code, bonus, grade) in enumerate(taken) if code not in limit.outside]
    if len(limited) <= limit.max_units:
        return ()
    best = sorted(limited, key=lambda u: (-u[2], -u[3], u[0]))[: limit.max_units]
    counted = {code for _, code, _, _ in best}
    return tuple(code for _, code, _, _ in limited if code not in counted)


def decide(rules: Rules, total: Exact, divisor: Number, pro_points: Exact, pro_divisor: Number,
           flags: int) -> Decision:
    """The decision, in the règlement's order (reglement.md §3): incomplet,
    absent, admis at the pass mark, contrôle between the two thresholds with a
    professional average at its threshold, else ajourné. Exact comparisons."""
    if flags & MISSING:
        return Decision.INCOMPLET
    if flags & ABSENT:
        return Decision.ABSENT
    if total >= rules.pass_threshold * divisor:
        return Decision.ADMIS
    if (total >= rules.controle_min * divisor and not flags & PRO_MISSING and pro_divisor
            and pro_points >= rules.professional_threshold * pro_divisor):
        return Decision.CONTROLE
    return Decision.AJOURNE


class Marks(NamedTuple):
    """The thresholds each kind of shown number is read against: the display
    rule (numbers.display_exact) never rounds a number across one of them."""

    average: tuple[Exact, ...]  # the first-group average: the contrôle minimum, the pass mark
    after: tuple[Exact, ...]  # the average after the contrôle orals: the pass mark
    professional: tuple[Exact, ...]  # the professional average: its threshold for the contrôle
    grade: tuple[Exact, ...]  # a unit grade: the pass mark (a bloc acquired, a grade kept)


def display_marks(rules: Rules) -> Marks:
    """The curriculum's thresholds, by kind of number (docs/rules.md §2)."""
    return Marks(
        average=(rules.controle_min, rules.pass_threshold),
        after=(rules.pass_threshold,),
        professional=(rules.professional_threshold,),
        grade=(rules.pass_threshold,),
    )


def acquires_bloc(unit: Unit, mark: Mark, grade: Exact | None, rules: Rules) -> bool:
    """A grade at the pass mark acquires the unit's bloc (D643-15)."""
    return bool(unit.bloc) and mark is Mark.GRADE and grade is not None and grade >= rules.pass_threshold


def combine_parts(unit: Unit, cells: dict[str, Cell]) -> Cell:
    """The unit's cell from its parts' cells (E5 = weighted mean of E5A, E5B).

    Any unjustified absence makes the unit absent; otherwise any missing part
    leaves it missing; a justified absence counts its part as 0.
    """
    marks = [cells.get(p.code, _MISSING) for p in unit.parts]
    if any(c.mark is Mark.ABSENT for c in marks):
        return Cell(Mark.ABSENT)
    if any(c.mark is Mark.MISSING for c in marks):
        return _MISSING
    weighted: Exact = 0
    weights = 0
    for part, cell in zip(unit.parts, marks):
        weighted += part.weight * (cell.grade or 0)
        weights += part.weight
    grade = Fraction(weighted) / weights
    return Cell(Mark.GRADE, grade.numerator if grade.denominator == 1 else grade)


class Grader:
    """Evaluates students against one curriculum; built once, used per row."""

    def __init__(self, curriculum: Curriculum) -> None:
        self.curriculum = curriculum
        self._rules = curriculum.rules
        self._units = curriculum.units
        self._bloc_names = curriculum.bloc_names
        pro_units = frozenset(self._rules.professional_units)
        # Per-unit facts looked up once, not per student (hot loop below).
        self._plan = tuple((unit, unit.code, bool(unit.parts), unit.code in pro_units) for unit in self._units)
        self._optional = {unit.code: not unit.mandatory for unit in self._units}

    def unit_cell(self, unit: Unit, student: Student) -> tuple[Cell, tuple[tuple[str, Cell], ...]]:
        cell = student.cells.get(unit.code)
        if unit.parts and (cell is None or not cell.raw):
            # The unit's own cell is absent or blank: its parts, if given, decide.
            parts = tuple((p.code, student.cells[p.code]) for p in unit.parts if p.code in student.cells)
            if any(c.raw for _, c in parts):
                return combine_parts(unit, student.cells), parts
        return cell or _MISSING, ()

    def evaluate(self, student: Student) -> StudentResult:
        points: Exact = 0
        divisor: Number = 0
        bonus: Exact = 0
        pro_points: Exact = 0
        pro_divisor: Number = 0
        flags = 0
        missing: list[str] = []
        absent: list[str] = []
        units: list[UnitResult] = []
        cells = student.cells
        optional = self._rules.optional
        for unit, code, has_parts, is_pro in self._plan:
            if has_parts:
                cell, parts = self.unit_cell(unit, student)
            else:
                cell, parts = cells.get(code) or _MISSING, ()
            mark = cell.mark
            e = unit_effect(unit, is_pro, optional, mark, cell.grade)
            points += e.points
            divisor += e.divisor
            pro_points += e.pro_points
            pro_divisor += e.pro_divisor
            bonus += e.bonus
            flags |= e.flags
            if e.flags & MISSING:
                missing.append(code)
            elif e.flags & ABSENT:
                absent.append(code)
            units.append(UnitResult(code, mark, e.grade, unit.coefficient, parts, e.points, e.bonus))

        dropped: tuple[str, ...] = ()
        notes: tuple[Note, ...] = ()
        limit = self._rules.optional_limit
        if limit is not None:
            dropped = left_out(limit, [(u.code, u.bonus, u.grade) for u in units
                                       if u.grade is not None and self._optional[u.code]])
            if dropped:
                for i, u in enumerate(units):
                    if u.code in dropped:
                        bonus -= u.bonus
                        units[i] = u._replace(bonus=0)
                        notes += (Note("optional.left_out", u.code, u.grade or 0, amount=limit.max_units),)

        decision = decide(self._rules, points + bonus, divisor, pro_points, pro_divisor, flags)
        pro_known = not flags & PRO_MISSING
        reason = ""
        if decision is Decision.AJOURNE:
            reason = "below_controle" if points + bonus < self._rules.controle_min * divisor else "professional"

        blocs: tuple[BlocAcquired, ...] = ()
        if decision is not Decision.ADMIS:
            blocs = tuple(self._blocs(units))
        return StudentResult(
            student=student,
            units=tuple(units),
            points=points,
            bonus=bonus,
            divisor=divisor,
            decision=decision,
            pro_points=pro_points if pro_known else 0,
            pro_divisor=pro_divisor if pro_known else 0,
            blocs=blocs,
            missing=tuple(missing),
            absent=tuple(absent),
            reason=reason,
            notes=notes,
            left_out=dropped,
        )

    def _blocs(self, units: list[UnitResult]) -> Iterator[BlocAcquired]:
        """Blocs acquired by a grade >= the pass threshold (D643-15)."""
        for unit, res in zip(self._units, units):
            if acquires_bloc(unit, res.mark, res.grade, self._rules):
                assert unit.bloc is not None and res.grade is not None
                yield BlocAcquired(unit.bloc, self._bloc_names.get(unit.bloc, ""), unit.code, res.grade)
