"""`ndrc report` without the command line: a class's results, its charts and
one card per student, gathered for a renderer (render/html.py).

SHEET is graded exactly as `ndrc grade` grades it. The mock exams, oldest
first, are followed by SHEET itself to project what SHEET does not settle
yet: a student whose sheet is complete gets its decision, one with units
still to come gets a projection (the chance of passing and the grades
needed on the open units), as `ndrc simulate MOCK… SHEET` would give.
Unlike simulate, the mock exams need not list the same students: the sheet
decides who is in the class, and the report says who differs.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..core.charts import Histogram, Movement, UnitBar, histogram, movements, step_label, thresholds, unit_bars
from ..core.errors import Diagnostic, InputError
from ..core.gcpause import paused_gc
from ..core.model import Curriculum, Decision, GradeReport, Student, StudentResult, file_name
from ..i18n import t
from ..load.sheets import SheetOptions, read_sheet
from .grading import SessionOptions, grade_read_sheet
from .simulate import Outlook, Settings, SimulationReport, load_mocks, simulate_sheets


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
    #: remarks for the reader (mock exams whose students differ from the sheet's)
    notes: tuple[str, ...] = ()


def _align(sheet_students: list[Student], mock: list[Student]) -> list[Student]:
    """A mock's students in the sheet's order; a student the mock does not
    have sits it with no grade, and one the sheet does not have is left out
    (a student who joined or left the class)."""
    by_id = {s.id: s for s in mock}
    return [by_id.get(s.id) or Student(s.id, s.name, {}) for s in sheet_students]


def build_class_report(curriculum: Curriculum, sheet_path: str, mocks: list[str], options: SessionOptions,
                       jury_margin: Any, seed: int = 2026, reading: SheetOptions | None = None) -> ClassReport:
    from ..core.session import jury_watch

    # Read every input once (SHEET may be stdin), and report all their problems together.
    problems: list[Diagnostic] = []
    sheet = None
    mock_sheets: list[tuple[str, list[Student]]] = []
    try:
        sheet = read_sheet(sheet_path, curriculum, reading)
    except InputError as exc:
        problems.extend(exc.diagnostics)
    try:
        # --sheet chooses SHEET's worksheet; each mock's is found in it.
        mock_sheets = load_mocks(mocks, curriculum, (reading or SheetOptions())._replace(sheet=None))
    except InputError as exc:
        problems.extend(exc.diagnostics)
    if problems or sheet is None:
        raise InputError(problems)

    grades = grade_read_sheet(sheet, curriculum, reading, options)
    grades = grades._replace(jury=tuple(jury_watch(grades.results, curriculum, jury_margin)))
    students = list(sheet.students)
    ids = {s.id for s in students}
    notes = []
    for name, mock in mock_sheets:
        mock_ids = {s.id for s in mock}
        if mock_ids != ids:
            notes.append(t("report.mock_ids", mock=file_name(name), extra=", ".join(sorted(mock_ids - ids)) or "—",
                           missing=", ".join(sorted(ids - mock_ids)) or "—"))

    simulation = None
    if mocks or any(r.decision is Decision.INCOMPLET for r in grades.results):
        # The sheet comes last: its grades are the latest word on each unit.
        steps_read = [(name, _align(students, mock)) for name, mock in mock_sheets] + [(sheet.name, students)]
        with paused_gc():
            simulation = simulate_sheets(curriculum, steps_read, Settings(seed=seed))
    outlooks = {o.projection.student.id: o for o in simulation.outlooks} if simulation else {}

    steps: tuple[str, ...] = ()
    moves: tuple[Movement, ...] = ()
    if mocks and simulation is not None:
        steps = tuple(step_label(p) for p in [*mocks, sheet_path])
        by_step = [{o.projection.student.id: o.trend[i] if o.trend else None for o in simulation.outlooks}
                   for i in range(len(steps))]
        moves = movements([(r.student.id, r.student.name) for r in grades.results], by_step)
    by_id = {m.id: m for m in moves}

    cards = tuple(
        StudentCard(r, outlooks.get(r.student.id) if r.decision is Decision.INCOMPLET else None,
                    by_id.get(r.student.id))
        for r in grades.results
    )
    spread = histogram(grades.results, thresholds(curriculum.rules))
    return ClassReport(grades, simulation, spread, unit_bars(curriculum, grades.summary), steps, moves, cards,
                       tuple(notes))
