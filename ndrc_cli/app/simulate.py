"""`ndrc simulate` without the command line: mocks -> projections ->
probabilities -> class view."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..core.errors import Diagnostic, InputError
from ..core.gcpause import paused_gc
from ..core.model import HUNDRED, Curriculum, Exact, Student
from ..core.montecarlo import Outcome, Simulator, unit_draws
from ..core.orals import oral_plans
from ..core.projection import MEAN, Projection, combine, fill, open_units, own_mean, project, with_overrides
from ..core.rules import Grader
from ..core.spreads import LearntSpread, learn_spreads
from ..i18n import t
from ..load.sheets import SheetOptions, read_sheet
from .lookup import find_student

#: Units without any grade are drawn with this many times the spread.
OPEN_SPREAD_FACTOR = 2.0
YOU = "you"


@dataclass(frozen=True)
class Outlook:
    projection: Projection
    outcome: Outcome
    #: projected average after each mock (exact hundredths), when there are several
    trend: tuple[Exact | None, ...] = ()


@dataclass(frozen=True)
class Settings:
    combine: str = "latest"
    spread: float = 2.0
    spreads: dict[str, float] = field(default_factory=dict)
    assume: Exact | str = MEAN
    seed: int = 2026
    sets: dict[str, Exact] = field(default_factory=dict)
    student: str | None = None
    unit: str | None = None
    #: --spread auto: learn each unit's spread from the mocks (core/spreads.py)
    auto: bool = False
    #: what was learnt, per unit (filled by the simulation, for the model text)
    learnt: tuple[LearntSpread, ...] = ()


@dataclass(frozen=True)
class SimulationReport:
    curriculum: Curriculum
    settings: Settings
    outlooks: tuple[Outlook, ...]
    sources: tuple[str, ...]
    #: unit code -> points the class loses below 10 (Σ coef × (10 − grade))
    losses: tuple[tuple[str, Fraction], ...]

    @property
    def expected_admis(self) -> tuple[float, int, int]:
        """Expected count of admis, with a 95 % interval (normal approximation
        of the Poisson-binomial count)."""
        ps = [o.outcome.admis for o in self.outlooks]
        mean = sum(ps)
        sd = math.sqrt(sum(p * (1 - p) for p in ps))
        return mean, max(0, math.floor(mean - 1.96 * sd)), min(len(ps), math.ceil(mean + 1.96 * sd))

    @property
    def at_risk(self) -> list[Outlook]:
        risky = [o for o in self.outlooks if o.outcome.admis < 0.5]
        return sorted(risky, key=lambda o: (o.outcome.admis, o.projection.student.id))

    @property
    def stderr(self) -> float:
        return max((o.outcome.stderr for o in self.outlooks), default=0.0)


def _check_ids(sheets: list[tuple[str, list[Student]]]) -> None:
    name0, first = sheets[0]
    ids0 = {s.id for s in first}
    problems = []
    for name, students in sheets[1:]:
        ids = {s.id for s in students}
        extra, missing = sorted(ids - ids0), sorted(ids0 - ids)
        if extra or missing:
            problems.append(Diagnostic(name, 0, None, t(
                "sim.ids_mismatch", first=name0, extra=", ".join(extra) or "—", missing=", ".join(missing) or "—")))
    if problems:
        raise InputError(problems)


def load_mocks(paths: list[str], curriculum: Curriculum, reading: SheetOptions | None = None,
               ) -> list[tuple[str, list[Student]]]:
    problems: list[Diagnostic] = []
    sheets = []
    for path in paths:
        try:
            sheet = read_sheet(path, curriculum, reading)
        except InputError as exc:  # report every file's problems at once
            problems.extend(exc.diagnostics)
            continue
        sheets.append((sheet.name, list(sheet.students)))
    if problems:
        raise InputError(problems)
    return sheets


def simulate(curriculum: Curriculum, paths: list[str], settings: Settings, reading: SheetOptions | None = None,
             ) -> SimulationReport:
    with paused_gc():  # many small acyclic records (see gcpause.py)
        return _simulate(curriculum, paths, settings, reading)


def _simulate(curriculum: Curriculum, paths: list[str], settings: Settings, reading: SheetOptions | None,
              ) -> SimulationReport:
    sheets = load_mocks(paths, curriculum, reading) if paths else []
    if sheets:
        _check_ids(sheets)
    return simulate_sheets(curriculum, sheets, settings)


def simulate_sheets(curriculum: Curriculum, sheets: list[tuple[str, list[Student]]], settings: Settings,
                    ) -> SimulationReport:
    """Project from mock sheets already read, each with the same ids (none:
    the student's own question, --set only)."""
    grader = Grader(curriculum)
    if sheets:
        students = combine([s for _, s in sheets], settings.combine)
        sources = tuple(name for name, _ in sheets)
    else:  # the student's own question: --set only
        students = [Student(id=YOU, name="", cells={})]
        sources = ()
    chosen = None
    if settings.student is not None and sheets:
        # --student: that student alone (an id, or a unique name), with or without --set; the
        # class is still drawn together, so the student's numbers are those of the class run.
        chosen = find_student(students, settings.student, ", ".join(sources)).id

    projections = []
    for s in students:
        if settings.sets and (chosen is None or s.id == chosen):
            s = with_overrides(s, settings.sets)
        projections.append(project(curriculum, s, settings.assume, grader, settings.unit))

    if settings.auto:
        # A unit set by hand (--spread UNIT=S) keeps it; one learnt replaces the default.
        learnt = learn_spreads(curriculum, [s for _, s in sheets], grader)
        chosen_spreads = {ls.unit: ls.spread for ls in learnt if ls.spread is not None}
        settings = dataclasses.replace(settings, learnt=learnt,
                                       spreads={**chosen_spreads, **settings.spreads})
    spreads = {u.code: settings.spreads.get(u.code, settings.spread) for u in curriculum.units}
    simulator = Simulator(curriculum, settings.seed)
    draws = [unit_draws(curriculum, fill(p.student, p.open_units, p.assumed or 0), grader, spreads,
                        OPEN_SPREAD_FACTOR) for p in projections]
    # Each draw at contrôle takes the orals `grade` would advise on the projected
    # result (core/orals.py): the set needing the lowest grade.
    index = {u.code: i for i, u in enumerate(curriculum.units)}
    orals = []
    for p in projections:
        plans = oral_plans(p.projected, curriculum)
        orals.append(tuple(index[code] for code in plans[0].units) if plans else ())
    outcomes = simulator.outcomes(draws, orals)

    trends: list[tuple[Exact | None, ...]] = [() for _ in projections]
    if len(sheets) > 1:
        by_mock = [{s.id: s for s in mock} for _, mock in sheets]
        for i, p in enumerate(projections):
            trends[i] = tuple(_mock_average(curriculum, m[p.student.id], grader) for m in by_mock)

    outlooks = tuple(Outlook(p, o, tr) for p, o, tr in zip(projections, outcomes, trends))
    if chosen is not None:
        outlooks = tuple(o for o in outlooks if o.projection.student.id == chosen)
        projections = [p for p in projections if p.student.id == chosen]
    return SimulationReport(
        curriculum=curriculum,
        settings=settings,
        outlooks=outlooks,
        sources=sources,
        losses=_losses(curriculum, projections, grader),
    )


def _mock_average(curriculum: Curriculum, student: Student, grader: Grader) -> Exact | None:
    """The projected average after one mock, exact (hundredths): shown under the display rule."""
    mean = own_mean(curriculum, student, grader)
    if mean is None:
        return None
    result = grader.evaluate(fill(student, open_units(curriculum, student, grader), mean))
    if result.average is None:
        return None
    exact = Fraction(result.total) / result.divisor
    return exact.numerator if exact.denominator == 1 else exact


def _losses(curriculum: Curriculum, projections: list[Projection], grader: Grader) -> tuple[tuple[str, Fraction], ...]:
    """Σ coefficient × (10 − grade) over projected grades below 10, per unit."""
    lost: dict[str, Exact] = {u.code: 0 for u in curriculum.mandatory_units}  # hundredths
    for p in projections:
        for unit, res in zip(curriculum.units, p.projected.units):
            if unit.mandatory and res.grade is not None and res.grade < 10 * HUNDRED:
                lost[unit.code] += (unit.coefficient or 0) * (10 * HUNDRED - res.grade)
    points = {code: Fraction(value) / HUNDRED for code, value in lost.items()}
    return tuple(sorted(points.items(), key=lambda kv: (-kv[1], kv[0])))
