"""An exam session's workflows (reglement.md §3, §4, §6), pure:

- kept grades (bénéfice des notes, D643-23): an earlier grade >= 10 fills a
  unit not graded in this session, within the validity period (D643-15);
- épreuves de contrôle (D643-22): the better of the first grade and the oral
  counts, the average is recomputed, the decision becomes admis or ajourné;
- blocs with the last session they are valid for;
- the jury's watch list: averages just below a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from .folding import fold
from .model import (
    HUNDRED,
    BlocAcquired,
    Cell,
    ControleOutcome,
    Curriculum,
    Decision,
    Exact,
    Mark,
    Note,
    Student,
    StudentResult,
)
from .rules import Grader


def apply_kept(
    curriculum: Curriculum, grader: Grader, student: Student, earlier: Student, earlier_session: int, session: int,
) -> tuple[Student, tuple[tuple[str, int], ...], tuple[Note, ...]]:
    """The student with kept grades filled in, which were kept, and notes."""
    rules = curriculum.rules
    renounce = {fold(s) for s in curriculum.renounce}
    cells = dict(student.cells)
    kept: list[tuple[str, int]] = []
    notes: list[Note] = []
    for unit in curriculum.mandatory_units:
        old, _ = grader.unit_cell(unit, earlier)
        if old.mark is not Mark.GRADE or old.grade is None:
            continue
        current, _ = grader.unit_cell(unit, student)
        usable = old.grade >= rules.pass_threshold and session - earlier_session <= rules.validity_years
        if current.mark is not Mark.MISSING:
            # Only a grade that could have been kept is worth a remark.
            if current.mark is Mark.GRADE and usable:
                notes.append(Note("kept.replaced", unit.code, old.grade, earlier_session))
            continue
        if fold(current.raw) in renounce:
            notes.append(Note("kept.renounced", unit.code, old.grade, earlier_session))
        elif old.grade < rules.pass_threshold:
            notes.append(Note("kept.below", unit.code, old.grade, earlier_session))
        elif session - earlier_session > rules.validity_years:
            notes.append(Note("kept.expired", unit.code, old.grade, earlier_session, rules.validity_years))
        else:
            cells[unit.code] = Cell(Mark.GRADE, old.grade, "kept")
            kept.append((unit.code, earlier_session))
            notes.append(Note("kept.used", unit.code, old.grade, earlier_session))
    return student._replace(cells=cells), tuple(kept), tuple(notes)


def apply_controle(grader: Grader, result: StudentResult, orals: dict[str, Exact]) -> StudentResult:
    """The result after the contrôle orals: the better grade of each chosen unit
    counts; >= the pass threshold is admis, anything else ajourné."""
    cells = dict(result.student.cells)
    units = []
    by_code = {u.code: u for u in result.units}
    for code, oral in orals.items():
        first = by_code[code].grade or 0
        better = max(first, oral)
        units.append((code, first, oral, better))
        cells[code] = Cell(Mark.GRADE, better, "controle")
    after = grader.evaluate(result.student._replace(cells=cells))
    decision = Decision.ADMIS if after.decision is Decision.ADMIS else Decision.AJOURNE
    return after._replace(decision=decision,
        blocs=() if decision is Decision.ADMIS else after.blocs,
        kept=result.kept,
        notes=result.notes,
        controle=ControleOutcome(tuple(units), result),
    )


def with_validity(result: StudentResult, session: int | None, validity_years: int) -> StudentResult:
    """Each acquired bloc with the last session year it stays valid for."""
    if session is None or not result.blocs:
        return result
    kept = dict(result.kept)
    blocs = tuple(
        BlocAcquired(b.bloc, b.name, b.unit, b.grade, kept.get(b.unit, session) + validity_years) for b in result.blocs
    )
    return result._replace(blocs=blocs)


def jury_watch(
    results: Iterable[StudentResult], curriculum: Curriculum, margin: Exact
) -> list[tuple[StudentResult, str, Fraction]]:
    """Candidates within `margin` (hundredths) below 10, below 8, or — between
    8 and 10 — with a professional average just below 10; nearest first."""
    rules = curriculum.rules
    watch = []
    for r in results:
        if r.decision not in (Decision.AJOURNE, Decision.CONTROLE) or r.average is None:
            continue
        avg = r.average * HUNDRED
        pro = r.professional_average * HUNDRED if r.professional_average is not None else None
        if rules.pass_threshold - margin <= avg < rules.pass_threshold:
            watch.append((r, "admis", (rules.pass_threshold - avg) / HUNDRED))
        elif rules.controle_min - margin <= avg < rules.controle_min:
            watch.append((r, "controle", (rules.controle_min - avg) / HUNDRED))
        if (r.decision is Decision.AJOURNE and rules.controle_min <= avg < rules.pass_threshold and pro is not None
                and rules.professional_threshold - margin <= pro < rules.professional_threshold):
            watch.append((r, "professional", (rules.professional_threshold - pro) / HUNDRED))
    return sorted(watch, key=lambda w: (w[2], w[0].student.id, w[1]))


def session_of(extra: Sequence[tuple[str, str]]) -> int | None:
    """The session year from a carried column named session / année / year."""
    for header, value in extra:
        year = value.strip()
        # ASCII digits only ('²025'.isdigit() is True, and int() refuses it)
        if (fold(header).replace(" ", "") in ("session", "annee", "year", "anneesession")
                and year.isascii() and year.isdigit() and len(year) <= 4):
            return int(year)
    return None
