"""`ndrc grade` without the command line: load, compute, summarise, and the
session workflows (kept grades, contrôle orals, bloc validity)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from ..core.errors import Diagnostic, InputError, note
from ..core.gcpause import paused_gc
from ..core.model import AverageCheck, Curriculum, Decision, Exact, GradeReport, Mark, Note, StudentResult
from ..core.numbers import HUNDRED, display_exact, format_exact
from ..core.orals import oral_plans
from ..core.rules import Grader, display_marks
from ..core.session import apply_controle, apply_kept, session_of, with_validity
from ..core.stats import summarize
from ..i18n import decimal_separator, quoted, t, tn
from ..load.cells import number_of
from ..load.curriculum import load_curriculum
from ..load.sheets import Sheet, SheetOptions, read_sheet


@dataclasses.dataclass(frozen=True)
class SessionOptions:
    """What an exam office adds to a plain grading run."""

    session: int | None = None  # this session's year
    controle: str | None = None  # sheet of contrôle oral grades
    kept: str | None = None  # sheet of an earlier session
    kept_session: int | None = None  # its year, when it has no session column


def grade_sheet(
    path: str,
    curriculum: Curriculum | None = None,
    reading: SheetOptions | None = None,
    options: SessionOptions | None = None,
) -> GradeReport:
    curriculum = curriculum or load_curriculum()
    with paused_gc():
        sheet = read_sheet(path, curriculum, reading)
    return grade_read_sheet(sheet, curriculum, reading, options)


def grade_read_sheet(
    sheet: Sheet,
    curriculum: Curriculum,
    reading: SheetOptions | None = None,
    options: SessionOptions | None = None,
) -> GradeReport:
    """Grade a sheet already read (the session's other sheets are read here,
    with the same reading options but the sheet's choice: each workbook's
    grade sheet is found in it)."""
    options = options or SessionOptions()
    reading = (reading or SheetOptions())._replace(sheet=None)
    with paused_gc():
        grader = Grader(curriculum)
        students = list(sheet.students)
        kept_info: dict[str, tuple[tuple[tuple[str, int], ...], tuple[Note, ...]]] = {}
        if options.kept:
            students, kept_info = _apply_kept(curriculum, grader, students, options, reading)
        results = [grader.evaluate(s) for s in students]
        if kept_info:
            results = [r._replace(kept=kept_info[r.student.id][0], notes=kept_info[r.student.id][1] + r.notes)
                       if r.student.id in kept_info else r for r in results]
        if options.controle:
            results = _apply_controle(curriculum, grader, results, options.controle, reading)
        validity = curriculum.rules.validity_years
        results = [with_validity(r, options.session, validity) for r in results]
        # Which orals a candidate at contrôle should choose (renderers print it).
        results = [r._replace(plans=oral_plans(r, curriculum)) if r.decision is Decision.CONTROLE else r
                   for r in results]
    final = tuple(results)
    sources = (sheet.name,) + tuple(p for p in (options.kept, options.controle) if p)
    checks = tuple(_check_own_average(sheet, column, final, curriculum) for column in sheet.own_average)
    return GradeReport(
        curriculum=curriculum,
        results=final,
        summary=summarize(curriculum, final),
        columns=sheet.columns,
        extra_headers=sheet.extra_headers,
        sources=sources,
        session=options.session,
        own_average=checks,
        identity=sheet.identity,
    )


#: The note names at most this many students whose sheet average differs.
_LISTED = 5


def _check_own_average(sheet: Sheet, column: str, results: tuple[StudentResult, ...],
                       curriculum: Curriculum) -> AverageCheck:
    """The sheet's own average column against the règlement's average: every
    student where they differ by 0.01 point or more (the sheet may round or
    truncate to hundredths; more is another computation)."""
    differs: list[tuple[str, Exact, Fraction]] = []
    for r in results:
        base = r.first_group
        average = base.average
        text = dict(base.student.extra).get(column, "")
        value = number_of(text) if text.strip() else None
        if average is None or value is None:
            continue
        if abs(Fraction(value) - average * HUNDRED) >= 1:
            differs.append((base.student.id, value, average))
    if differs:
        d = decimal_separator()
        marks = display_marks(curriculum.rules).average
        listed = [t("note.own_average_one", id=sid, sheet=format_exact(value, d),
                    average=display_exact(avg.numerator * HUNDRED, marks, d, avg.denominator))
                  for sid, value, avg in differs[:_LISTED]]
        if len(differs) > _LISTED:
            listed.append(tn("list.more", len(differs) - _LISTED))
        students = tn("note.students_listed", len(differs), students=t("list.semicolon").join(listed))
        note(Diagnostic(sheet.name, 0, None, t("note.own_average", column=quoted(column), students=students),
                        sheet.sheet))
    return AverageCheck(column, tuple(differs))


def _apply_kept(
    curriculum: Curriculum, grader: Grader, students: list, options: SessionOptions,  # type: ignore[type-arg]
    reading: SheetOptions,
) -> tuple[list, dict]:  # type: ignore[type-arg]
    assert options.kept is not None and options.session is not None
    earlier = read_sheet(options.kept, curriculum, reading)
    problems = []
    years: dict[str, int] = {}
    for s in earlier.students:
        year = session_of(s.extra) or options.kept_session
        if year is None:
            problems.append(earlier.at(s.line, 1, t("kept.no_session")))
        elif year > options.session:
            problems.append(earlier.at(s.line, 1, t("kept.future", year=year, session=options.session)))
        else:
            years[s.id] = year
    if problems:
        raise InputError(problems)
    by_id = {s.id: s for s in earlier.students}
    out = []
    info = {}
    for s in students:
        old = by_id.get(s.id)
        if old is None:
            out.append(s)
            continue
        filled, kept, notes = apply_kept(curriculum, grader, s, old, years[s.id], options.session)
        out.append(filled)
        info[s.id] = (kept, notes)
    return out, info


def _apply_controle(
    curriculum: Curriculum, grader: Grader, results: list[StudentResult], path: str,
    reading: SheetOptions,
) -> list[StudentResult]:
    """Validate the contrôle sheet (every problem, with its position), then
    recompute each candidate who sat the orals."""
    sheet: Sheet = read_sheet(path, curriculum, reading)
    rules = curriculum.rules
    by_id = {r.student.id: i for i, r in enumerate(results)}
    problems: list[Diagnostic] = []
    orals_by_index: dict[int, dict[str, Exact]] = {}
    for s in sheet.students:
        index = by_id.get(s.id)
        if index is None:
            problems.append(sheet.at(s.line, sheet.id_column, t("controle.unknown_id", id=s.id)))
            continue
        first = results[index]
        if first.decision is not Decision.CONTROLE:
            problems.append(sheet.at(s.line, sheet.id_column, t(
                "controle.not_eligible", id=s.id, decision=first.decision.value)))
            continue
        orals: dict[str, Exact] = {}
        for code, cell in s.cells.items():
            if not cell.raw:
                continue
            column = sheet.positions.get(code, 1)
            unit_code = code if code in {u.code for u in curriculum.units} else None
            if unit_code not in rules.oral_units:
                problems.append(sheet.at(s.line, column, t(
                    "controle.wrong_unit", unit=code, units=", ".join(rules.oral_units))))
            elif cell.mark is not Mark.GRADE or cell.grade is None:
                problems.append(sheet.at(s.line, column, t("controle.not_a_grade", unit=code)))
            elif first.units[[u.code for u in first.units].index(code)].mark is Mark.EXEMPT:
                problems.append(sheet.at(s.line, column, t("controle.exempt", unit=code)))
            else:
                orals[code] = cell.grade
        if len(orals) > rules.max_orals:
            problems.append(sheet.at(s.line, sheet.id_column, t(
                "controle.too_many", count=len(orals), max=rules.max_orals)))
        elif orals:
            orals_by_index[index] = orals
    if problems:
        raise InputError(problems)
    out = list(results)
    for index, orals in orals_by_index.items():
        out[index] = apply_controle(grader, results[index], orals)
    return out
