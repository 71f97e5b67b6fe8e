"""`ndrc report` without the command line: a class's results, its charts and
one card per student, gathered for a renderer (render/html.py).

SHEET is graded exactly as `ndrc grade` grades it. The mock exams, oldest
first, are followed by SHEET itself to project what SHEET does not settle
yet: a student whose sheet is complete gets its decision, one with units
still to come gets a projection (the chance of passing and the grades
needed on the open units), as `ndrc simulate MOCK… SHEET` would give.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from .charts import Histogram, Movement, UnitBar, histogram, movements, unit_bars
from .grading import SessionOptions, grade_sheet
from .model import Curriculum, Decision, GradeReport, StudentResult
from .simulate import Outlook, Settings, SimulationReport, simulate

#: Candidates this close below a threshold are on the jury watch list unless
#: --jury-margin says otherwise (hundredths of a point).
DEFAULT_JURY_MARGIN = 50


class StudentCard(NamedTuple):
    result: StudentResult
    #: the projection, for a student whose sheet still has units to come
    outlook: Outlook | None
    #: the average after each mock exam and on the sheet, when there are mocks
    movement: Movement | None


class ClassReport(NamedTuple):
    grades: GradeReport
    simulation: SimulationReport | None
    histogram: Histogram
    units: tuple[UnitBar, ...]
    #: step labels (each mock exam, then the sheet) and each student's movement
    steps: tuple[str, ...]
    movements: tuple[Movement, ...]
    cards: tuple[StudentCard, ...]


def step_label(path: str) -> str:
    """A file's name without folder or extension: what a teacher calls it."""
    return os.path.splitext(os.path.basename(path))[0] or path


def build(curriculum: Curriculum, sheet: str, mocks: list[str], options: SessionOptions, jury_margin: Any,
          seed: int = 2026, delimiter: str | None = None, encoding: str | None = None) -> ClassReport:
    from .session import jury_watch

    grades = grade_sheet(sheet, curriculum, delimiter, encoding, options)
    grades = grades._replace(jury=tuple(jury_watch(grades.results, curriculum, jury_margin)))
    open_students = any(r.decision is Decision.INCOMPLET for r in grades.results)
    simulation = None
    if mocks or open_students:
        simulation = simulate(curriculum, [*mocks, sheet], Settings(seed=seed), delimiter, encoding)
    outlooks = {o.projection.student.id: o for o in simulation.outlooks} if simulation else {}

    steps: tuple[str, ...] = ()
    moves: tuple[Movement, ...] = ()
    if mocks and simulation is not None:
        steps = tuple(step_label(p) for p in [*mocks, sheet])
        by_step = [{o.projection.student.id: o.trend[i] if o.trend else None for o in simulation.outlooks}
                   for i in range(len(steps))]
        moves = movements([(r.student.id, r.student.name) for r in grades.results], by_step)
    by_id = {m.id: m for m in moves}

    cards = tuple(
        StudentCard(r, outlooks.get(r.student.id) if r.decision is Decision.INCOMPLET else None,
                    by_id.get(r.student.id))
        for r in grades.results
    )
    return ClassReport(grades, simulation, histogram(grades.results), unit_bars(curriculum, grades.summary), steps,
                       moves, cards)
