"""The règlement as code: average, optional bonus, decision, blocs (pure).

Everything is exact integer arithmetic on hundredths of a point; a Fraction
appears only for the rare grades that need one (see model.py). Decisions
compare exact values, so 9.995 is never "rounded into" a pass.
See docs/rules.md §2–§4 and §6 for the rules restated here.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from .model import (
    BlocAcquired,
    Cell,
    Curriculum,
    Decision,
    Exact,
    Mark,
    Number,
    Student,
    StudentResult,
    Unit,
    UnitResult,
)

_MISSING = Cell(Mark.MISSING)


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
        rules = curriculum.rules
        self._units = curriculum.units
        self._pass = rules.pass_threshold
        self._controle = rules.controle_min
        self._pro_threshold = rules.professional_threshold
        self._pro_units = frozenset(rules.professional_units)
        self._bonus_above = rules.optional.counts_above
        self._bonus_multiply = rules.optional.multiply_by_coefficient
        self._bonus_divisor = rules.optional.add_to_divisor
        self._bloc_names = curriculum.bloc_names
        # Per-unit facts looked up once, not per student (hot loop below).
        self._plan = tuple(
            (unit, unit.code, unit.coefficient, unit.mandatory, bool(unit.parts), unit.code in self._pro_units)
            for unit in self._units
        )

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
        pro_known = True
        missing: list[str] = []
        absent: list[str] = []
        units: list[UnitResult] = []
        cells = student.cells
        for unit, code, coef, mandatory, has_parts, is_pro in self._plan:
            if has_parts:
                cell, parts = self.unit_cell(unit, student)
            else:
                cell, parts = cells.get(code) or _MISSING, ()
            mark = cell.mark
            grade: Exact | None = cell.grade if mark is Mark.GRADE else None
            unit_points: Exact = 0
            unit_bonus: Exact = 0
            if mark is Mark.JUSTIFIED:
                grade = 0  # force majeure: graded 0, average computed normally
            if mandatory:
                assert coef is not None  # enforced by the curriculum loader
                if mark is Mark.MISSING:
                    missing.append(code)
                elif mark is not Mark.EXEMPT:
                    # An unjustified absence decides `absent` on its own; it
                    # weighs 0 in the (informative) average, like ABJ.
                    if mark is Mark.ABSENT:
                        absent.append(code)
                    unit_points = coef * (grade or 0)
                    points += unit_points
                    divisor += coef
                    if is_pro:
                        pro_points += unit_points
                        pro_divisor += coef
                if is_pro and mark is Mark.MISSING:
                    pro_known = False
            elif grade is not None:
                # Optional unit: only the points above the threshold count.
                over = grade - self._bonus_above
                if over > 0:
                    unit_bonus = over * coef if self._bonus_multiply and coef else over
                    bonus += unit_bonus
                if self._bonus_divisor and coef:
                    divisor += coef
            units.append(UnitResult(code, mark, grade, coef, parts, unit_points, unit_bonus))

        total = points + bonus
        if missing:
            decision = Decision.INCOMPLET
        elif absent:
            decision = Decision.ABSENT
        elif total >= self._pass * divisor:
            decision = Decision.ADMIS
        elif (
            total >= self._controle * divisor
            and pro_known
            and pro_divisor
            and pro_points >= self._pro_threshold * pro_divisor
        ):
            decision = Decision.CONTROLE
        else:
            decision = Decision.AJOURNE

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
        )

    def _blocs(self, units: list[UnitResult]) -> Iterator[BlocAcquired]:
        """Blocs acquired by a grade >= the pass threshold (D643-15)."""
        for unit, res in zip(self._units, units):
            if unit.bloc and res.mark is Mark.GRADE and res.grade is not None and res.grade >= self._pass:
                yield BlocAcquired(unit.bloc, self._bloc_names.get(unit.bloc, ""), unit.code, res.grade)
