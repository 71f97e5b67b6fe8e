"""`ndrc bulletin` without the command line: the semester's gradebook ->
each student's subject averages, the exam projected "if it were today" by
the engine, and the class's statistics per subject."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from ..core.bulletin import Average, Statistics, Subject, grade_cell, statistics, subject_average, unit_grades
from ..core.errors import Diagnostic, note
from ..core.model import Curriculum, Decision, Student, StudentResult
from ..core.rules import Grader
from ..i18n import t, tn
from ..load.gradebook import read_gradebook, subjects_of


class BulletinRow(NamedTuple):
    """One student: their average in each subject (the curriculum's name ->
    Average; not assessed: no value, nothing counted) and the engine's result
    on the projected unit grades."""

    id: str
    name: str
    averages: dict[str, Average]
    result: StudentResult
    #: with earlier semesters: the projected average in each, oldest first,
    #: this one last (None where there is none)
    trend: tuple[Fraction | None, ...] = ()


class BulletinReport(NamedTuple):
    curriculum: Curriculum
    subjects: tuple[Subject, ...]
    rows: tuple[BulletinRow, ...]
    statistics: dict[str, Statistics]
    sources: tuple[str, ...]
    #: the earlier semesters' bulletins, oldest first (`--previous`)
    earlier: tuple[BulletinReport, ...] = ()

    def before(self, row: BulletinRow) -> BulletinRow | None:
        """The student's row in the semester just before this one, if any."""
        if not self.earlier:
            return None
        return next((r for r in self.earlier[-1].rows if r.id == row.id), None)

    @property
    def units(self) -> tuple[str, ...]:
        """The units some subject prepares, in the curriculum's order."""
        return tuple(subjects_of(self.curriculum))


def bulletin(curriculum: Curriculum, paths: Sequence[str], student: str | None = None,
             sort: str | None = None, previous: Sequence[str] = ()) -> BulletinReport:
    """The bulletin of the gradebook `paths`; with `previous`, the earlier
    semesters' gradebooks (oldest first, a file each) for each student's progress."""
    earlier = []
    for path in previous:
        book = read_gradebook([path], curriculum)
        earlier.append(build(curriculum, book.subjects, book.sources))
    book = read_gradebook(paths, curriculum)
    report = build(curriculum, book.subjects, book.sources, student, sort)
    return with_earlier(report, tuple(earlier))


def with_earlier(report: BulletinReport, earlier: tuple[BulletinReport, ...]) -> BulletinReport:
    """The report with its earlier semesters, and each student's trend."""
    if not earlier:
        return report
    averages = [{r.id: r.result.average for r in semester.rows} for semester in earlier]
    rows = tuple(r._replace(trend=(*(a.get(r.id) for a in averages), r.result.average)) for r in report.rows)
    return report._replace(rows=rows, earlier=earlier)


def change(now: Fraction | None, before: Fraction | None) -> Fraction | None:
    """How much a value moved since the semester before (None when either is unknown)."""
    return None if now is None or before is None else now - before


def build(curriculum: Curriculum, subjects: Sequence[Subject], sources: tuple[str, ...] = (),
          student: str | None = None, sort: str | None = None) -> BulletinReport:
    """The report from subjects already read (tests build them by hand)."""
    names: dict[str, str] = {}
    parts: dict[str, tuple[str, str]] = {}
    for subject in subjects:
        for s in subject.students:
            names.setdefault(s.id, s.name)
            parts.setdefault(s.id, (s.last_name, s.first_name))
    averages: dict[str, dict[str, Average]] = {sid: {} for sid in names}
    for subject in subjects:
        empty = Average(None, 0, len(subject.evaluations))
        by_id = {s.id: subject_average(subject.evaluations, s.cells) for s in subject.students}
        for sid in names:
            averages[sid][subject.name] = by_id.get(sid, empty)
        absent = [f"{sid} ({names[sid]})" for sid in names if sid not in by_id]
        if absent:
            note(Diagnostic(subject.source, 0, None, t("bulletin.not_assessed", subject=subject.name,
                                                        students=tn("note.students_listed", len(absent),
                                                                    students=", ".join(absent))),
                            subject.sheet))
    grader = Grader(curriculum)
    plan = subjects_of(curriculum)
    rows = []
    for sid, name in names.items():
        values = {subject: a.value for subject, a in averages[sid].items()}
        cells = {unit: grade_cell(value) for unit, value in unit_grades(plan, values).items()}
        last, first = parts[sid]
        student_record = Student(sid, name, cells, last_name=last, first_name=first)
        rows.append(BulletinRow(sid, name, averages[sid], grader.evaluate(student_record)))
    stats = {s.name: statistics([averages[sid][s.name].value for sid in names]) for s in subjects}
    if student is not None:
        from .lookup import find_student

        chosen = find_student([r.result.student for r in rows], student, ", ".join(sources))
        rows = [r for r in rows if r.id == chosen.id]
    if sort == "risk":
        rows.sort(key=_risk)
    return BulletinReport(curriculum, tuple(subjects), tuple(rows), stats, sources)


def _risk(row: BulletinRow) -> tuple[int, Fraction]:
    """Incomplete results first (no projection at all), then the lowest averages."""
    average = row.result.average
    if row.result.decision is Decision.INCOMPLET or average is None:
        return 0, Fraction(0)
    return 1, average
