"""Immutable records shared by the loaders, the pure core and the renderers.

They are NamedTuples rather than frozen dataclasses: as immutable, several
times cheaper to build (a cohort makes millions), and ~12 ms less start-up.

Grades are exact numbers of *hundredths of a point*: an ``int`` for every
grade written with at most two decimals (the usual case, and the fast path),
a ``Fraction`` otherwise (more decimals in a sheet, or E5 combined from parts
with weights that do not divide evenly). Binary floats never appear here.
"""

from __future__ import annotations

from enum import Enum
from fractions import Fraction
from typing import Any, NamedTuple

from .numbers import HUNDRED, Exact, Number, div_half_up

__all__ = ["HUNDRED", "Exact", "Number"]


class Domain(str, Enum):
    GENERAL = "general"
    PROFESSIONAL = "professional"
    OPTIONAL = "optional"


class Mark(str, Enum):
    """What a cell of a grade sheet says about a unit; values are JSON codes."""

    GRADE = "graded"
    MISSING = "missing"  # empty, "-", NN: not graded yet
    ABSENT = "absent"  # ABS: unjustified absence
    JUSTIFIED = "justified_absence"  # ABJ: counts as 0 (D643-24)
    EXEMPT = "exempt"  # DISP: leaves points and divisor


class Decision(str, Enum):
    """Stable decision codes, the same whatever the interface language."""

    ADMIS = "admis"
    CONTROLE = "controle"
    AJOURNE = "ajourne"
    ABSENT = "absent"
    INCOMPLET = "incomplet"


class Bloc(NamedTuple):
    id: str
    name: str


class Part(NamedTuple):
    """One separately graded part of a unit (E5's written and practical parts)."""

    code: str
    name: str
    weight: int
    aliases: tuple[str, ...] = ()
    form: str = ""
    duration: str = ""


class Unit(NamedTuple):
    code: str
    unit_id: str
    name: str
    domain: Domain
    coefficient: Number | None  # None only for optional units that are not weighted
    dispensable: bool
    bloc: str | None = None
    form: str = ""
    duration: str = ""
    aliases: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()

    @property
    def mandatory(self) -> bool:
        return self.domain is not Domain.OPTIONAL


class OptionalRule(NamedTuple):
    counts_above: Exact  # hundredths
    multiply_by_coefficient: bool
    add_to_divisor: bool


class OptionalLimit(NamedTuple):
    """At most `max_units` optional units count, those outside the limit
    aside (D643-13 as the décret of 8 July 2024 words it: one unit chosen,
    besides the engagement étudiant unit of D643-15-1)."""

    max_units: int
    outside: tuple[str, ...] = ()


class Rules(NamedTuple):
    pass_threshold: Exact  # hundredths
    controle_min: Exact  # hundredths
    professional_threshold: Exact  # hundredths
    professional_units: tuple[str, ...]
    oral_units: tuple[str, ...]
    max_orals: int
    optional: OptionalRule
    validity_years: int
    #: the limit on the optional units that count; None: no limit
    optional_limit: OptionalLimit | None = None


class Curriculum(NamedTuple):
    code: str
    name: str
    units: tuple[Unit, ...]
    blocs: tuple[Bloc, ...]
    rules: Rules
    #: marker effect -> spellings (as written in the curriculum)
    markers: tuple[tuple[Mark, tuple[str, ...]], ...]
    source: str = "embedded"
    #: the validated `programme` section as plain data, if any
    programme: dict[str, Any] | None = None
    #: spellings that renounce a kept grade (bénéfice des notes) in a sheet
    renounce: tuple[str, ...] = ()
    #: the texts behind the facts: (what — "diploma", a unit code, "rules",
    #: "rules.controle"…, source, confidence), in the curriculum's order
    citations: tuple[tuple[str, str, str], ...] = ()

    def unit(self, code: str) -> Unit:
        for u in self.units:
            if u.code == code:
                return u
        raise KeyError(code)

    @property
    def mandatory_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.mandatory)

    @property
    def bloc_names(self) -> dict[str, str]:
        return {b.id: b.name for b in self.blocs}


class Cell(NamedTuple):
    """One parsed grade-sheet cell: a mark, and the grade when mark is GRADE."""

    mark: Mark
    grade: Exact | None = None  # hundredths
    raw: str = ""


class Student(NamedTuple):
    id: str
    name: str
    #: unit or part code -> cell; a unit absent from the sheet is absent here
    cells: dict[str, Cell]
    line: int = 0
    last_name: str = ""
    first_name: str = ""
    #: other columns of the sheet, carried along verbatim: (header, value)
    extra: tuple[tuple[str, str], ...] = ()


class UnitResult(NamedTuple):
    """One unit of one student's result. A NamedTuple, not a frozen dataclass:
    a cohort makes millions of these and tuples are built several times faster."""

    code: str
    mark: Mark
    grade: Exact | None  # hundredths; ABJ -> 0; None when missing/exempt
    coefficient: Number | None
    #: (part code, cell) when the unit was combined from its parts
    parts: tuple[tuple[str, Cell], ...] = ()
    #: what the unit adds to the points (coefficient × grade, hundredths) and,
    #: for an optional unit, to the bonus under the curriculum's rule: renderers
    #: print these, never recompute them
    points: Exact = 0
    bonus: Exact = 0


class BlocAcquired(NamedTuple):
    bloc: str
    name: str
    unit: str
    grade: Exact
    #: last session year the bloc is valid for (D643-15), when the session is known
    valid_until: int | None = None


class ControleOutcome(NamedTuple):
    """The second group (épreuves de contrôle, D643-22): for each oral unit the
    first grade, the oral grade and the better one that counts."""

    units: tuple[tuple[str, Exact, Exact, Exact], ...]  # (code, first, oral, kept)
    before: StudentResult


class OralPlan(NamedTuple):
    """A set of contrôle orals and the lowest grade (hundredths), the same on
    each, that brings the average to the pass mark; None above 20."""

    units: tuple[str, ...]
    needed: int | None


class Note(NamedTuple):
    """A remark about a result, as data: a catalog key and its values (an
    Exact `grade` is hundredths). Renderers put it in words and numbers of the
    interface language; machine formats in English with '.'."""

    key: str
    unit: str = ""
    grade: Exact = 0
    session: int = 0
    years: int = 0
    #: a count the remark's words agree with (its key has `.one` and `.other`
    #: forms); 0: a remark without one
    amount: int = 0


class StudentResult(NamedTuple):
    student: Student
    units: tuple[UnitResult, ...]
    #: Σ coefficient × grade over valued mandatory units (hundredths)
    points: Exact
    #: optional units' contribution (hundredths), already in `total`
    bonus: Exact
    #: Σ coefficients of the units in `points`
    divisor: Number
    decision: Decision
    #: Σ coefficient × grade over the professional units (hundredths), and
    #: their coefficients; divisor 0 when a professional unit is not graded
    pro_points: Exact = 0
    pro_divisor: Number = 0
    blocs: tuple[BlocAcquired, ...] = ()
    #: mandatory units still without a grade (why the result is incomplet)
    missing: tuple[str, ...] = ()
    #: mandatory units with an unjustified absence
    absent: tuple[str, ...] = ()
    #: units filled from an earlier session (bénéfice des notes): (code, session)
    kept: tuple[tuple[str, int], ...] = ()
    #: remarks for the reader (kept grades ignored, and why)
    notes: tuple[Note, ...] = ()
    #: the first-group result this one replaced after the contrôle orals
    controle: ControleOutcome | None = None
    #: why an ajourné is ajourné, as the engine decided it: "below_controle"
    #: (under the contrôle minimum) or "professional" (the professional average)
    reason: str = ""
    #: for a candidate at `controle`: every allowed set of orals, best first (core/orals.py)
    plans: tuple[OralPlan, ...] = ()
    #: graded optional units that do not count, beyond the curriculum's limit
    #: (rules.optional_limit): their bonus is 0
    left_out: tuple[str, ...] = ()

    @property
    def total(self) -> Exact:
        return self.points + self.bonus

    @property
    def first_group(self) -> StudentResult:
        """The result the 8 and 10 thresholds were applied to: the one before
        the contrôle orals when there were any (its numbers are shown; the
        decision and blocs are the final ones)."""
        return self.controle.before if self.controle is not None else self

    @property
    def average(self) -> Fraction | None:
        """The exact average in points; None when there is no final result."""
        if self.decision is Decision.INCOMPLET or not self.divisor:
            return None
        return Fraction(self.total) / (self.divisor * HUNDRED)

    @property
    def average_hundredths(self) -> int | None:
        """The average rounded half up to hundredths (integer fast path)."""
        if self.decision is Decision.INCOMPLET or not self.divisor:
            return None
        return div_half_up(self.total, self.divisor)

    @property
    def professional_hundredths(self) -> int | None:
        """The professional average rounded half up to hundredths."""
        return div_half_up(self.pro_points, self.pro_divisor) if self.pro_divisor else None

    @property
    def professional_average(self) -> Fraction | None:
        """The exact professional average in points, or None if unknown."""
        if not self.pro_divisor:
            return None
        return Fraction(self.pro_points) / (self.pro_divisor * HUNDRED)


class UnitStats(NamedTuple):
    code: str
    graded: int
    mean: Fraction | None


class ClassSummary(NamedTuple):
    students: int
    by_decision: dict[Decision, int]
    #: admis / students with a final decision (not incomplet)
    pass_rate: Fraction | None
    #: statistics of the averages of students with a complete result
    #: (admis, controle, ajourne): absent and incomplet are left out
    graded: int
    mean: Fraction | None
    median: Fraction | None
    minimum: Fraction | None
    maximum: Fraction | None
    stdev: Fraction | None  # population standard deviation, exact to 1e-6
    units: tuple[UnitStats, ...] = ()


class AverageCheck(NamedTuple):
    """The sheet's own average column compared with the règlement's average:
    the students where they differ by 0.01 point or more."""

    column: str
    #: (student id, the sheet's value in hundredths, ndrc's exact average in points)
    differs: tuple[tuple[str, Exact, Fraction], ...]


class GradeReport(NamedTuple):
    """Everything `ndrc grade` computed, ready for any renderer."""

    curriculum: Curriculum
    results: tuple[StudentResult, ...]
    summary: ClassSummary
    #: unit codes present in the sheet, in curriculum order
    columns: tuple[str, ...]
    #: extra column headers carried along, in sheet order
    extra_headers: tuple[str, ...] = ()
    #: the input files as given (messages and the JSON name them so; documents by `file_name`)
    sources: tuple[str, ...] = ()
    #: this session's year, when given (bloc validity, kept grades)
    session: int | None = None
    #: the jury's watch list, when asked: (result, threshold, distance in points)
    jury: tuple[tuple[StudentResult, str, Fraction], ...] | None = None
    #: a terminal table shows at most this many students (None: all of them)
    row_limit: int | None = None
    #: the sheet's own average columns, checked
    own_average: tuple[AverageCheck, ...] = ()
    #: the sheet's identity columns in its order: "id", "last", "first",
    #: "full" (Student.id, last_name, first_name, name); () when unknown
    identity: tuple[str, ...] = ()


def file_name(path: str) -> str:
    """An input's file name, without its folders: how a document names it.
    A transcript or a report is printed and mailed; the folders are the
    path on the teacher's machine. (Text only: the core touches no file.)"""
    return path.replace("\\", "/").rsplit("/", 1)[-1] or path
