"""A teachers' gradebook -> Subjects: one sheet per taught subject.

Each sheet (or CSV file) is matched to a subject of the curriculum's
`programme.subjects` by its name (case and accents ignored; a name cut at
Excel's 31 characters, or any unambiguous start of a subject's name, matches;
or a short name of `programme.short_names`). Its columns are the students'
identity, as in a grade sheet, then the evaluations: each with a coefficient
and a scale read from its header (`DS1 (coef 2)`, `Oral /10`, `Dossier coef
0,5 sur 40`) or from a coefficient row (`Coef.`) and a scale row (`Barème`,
`Sur`) under it; 1 and /20 by default. The rows are read by the grade
sheet's reader (`students.SheetReader`): statistics rows, legends, the
teacher's own average column and hidden rows are told as in `grade`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import NamedTuple

from ..core.bulletin import Assessed, Evaluation, Subject, subject_average
from ..core.errors import Diagnostic, InputError, note
from ..core.folding import fold, fold_header
from ..core.model import HUNDRED, Cell, Curriculum, Domain, Mark, Unit
from ..core.numbers import Number, format_coefficient, format_exact, parse_decimal
from ..i18n import decimal_separator, labelled, quoted, t, tn
from .cells import (
    HEADER_SEARCH,
    BadCell,
    Place,
    decode,
    filled,
    looks_like_grades,
    read_bytes,
    sniff_delimiter,
    text_rows,
)
from .header import HeaderReader, is_general_average, words, work_kind
from .rows import SCALE_CELL
from .students import Sheet, SheetReader

#: A number in a header: `2`, `0,5`, `-1` (refused later, not passed over).
_NUMBER = r"([+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+))"
#: `coef 2`, `coeff. 0,5`, `coefficient: 3`, `(x2)`, `(×2)`, in a header.
_HEADER_COEF = re.compile(r"\bcoef(?:f|ficient)?s?\b\.?\s*[:=]?\s*" + _NUMBER + r"|\(\s*[x×]\s*" + _NUMBER + r"\s*\)",
                          re.IGNORECASE)
#: The word followed by something else (`coef deux`): a coefficient given,
#: but not as a number, is an error, never the default 1. (The word alone,
#: `Dossier (coefficient)`, gives none: its row may.)
_HEADER_COEF_WORD = re.compile(r"\bcoef(?:f|ficient)?s?\b\.?\s*[:=]?\s*([^\s)\],;/]+)", re.IGNORECASE)
#: `/10`, `sur 40`, `out of 40`, in a header; never the `/` of a date (`DS du 12/10`).
_HEADER_SCALE = re.compile(r"(?:(?<![0-9])/|\bsur\b|\bout of\b)\s*" + _NUMBER + r"(?![0-9]*/)", re.IGNORECASE)
#: Kinds of teacher's work that are never an evaluation ("order" is: `Devoir n°1`).
_NOT_EVALUATION = frozenset({"average", "total", "rank", "age", "birth", "appreciation"})
_ORDER_WORDS = frozenset("n no num numero ordre order".split())
#: The messages about an evaluation's coefficient and scale: not a positive number; the row and header differ.
_TERM_KEYS = {"coefficient": ("bulletin.bad_coefficient", "bulletin.coefficient_differs"),
              "scale": ("bulletin.bad_scale", "bulletin.scale_differs")}
#: A sheet name must give at least this many letters to name a subject by its start.
_MIN_START = 3


class Gradebook(NamedTuple):
    """The subjects read, in the curriculum's order."""

    subjects: tuple[Subject, ...]
    #: the files read, as given
    sources: tuple[str, ...]


def subjects_of(curriculum: Curriculum) -> dict[str, tuple[str, ...]]:
    """Unit code -> the taught subjects that prepare it, in the curriculum's order."""
    listed = (curriculum.programme or {}).get("subjects") or {}
    return {u.code: tuple(listed[u.code]) for u in curriculum.units if listed.get(u.code)}


def match_subject(name: str, curriculum: Curriculum) -> tuple[str | None, list[str]]:
    """The subject a sheet's name names, and the candidates when it could name several."""
    key = fold_header(name)
    if not key:
        return None, []
    subjects = [s for names in subjects_of(curriculum).values() for s in names]
    short = (curriculum.programme or {}).get("short_names") or {}
    for subject in subjects:
        if fold_header(subject) == key or any(fold_header(s) == key for s in short.get(subject) or ()):
            return subject, [subject]
    if len(key) < _MIN_START:
        return None, []
    found = [s for s in subjects if fold_header(s).startswith(key)]
    return (found[0] if len(found) == 1 else None), found


def _number(text: str) -> Number | None:
    value = parse_decimal(text.strip())
    if value is None or value <= 0:
        return None
    return Fraction(value, HUNDRED)


def header_terms(label: str) -> tuple[str | None, str | None]:
    """The coefficient's and the scale's texts an evaluation's header gives, if any."""
    coef = _HEADER_COEF.search(label)
    word = _HEADER_COEF_WORD.search(label) if coef is None else None
    scale = _HEADER_SCALE.search(label)
    coef_text = (coef.group(1) or coef.group(2)) if coef else word.group(1) if word else None
    return coef_text, (scale.group(1) if scale else None)


class _BookReader(SheetReader):
    """The grade sheet's reader, its units the evaluations of one subject:
    grades above 20 are read (the scale says what is too much), and the
    coefficient and scale rows are the evaluations' own."""

    def __init__(self, curriculum: Curriculum, columns: Sequence[tuple[str, str]]) -> None:
        super().__init__(curriculum, columns)
        self.row_terms: dict[str, dict[str, tuple[int, str]]] = {"coefficient": {}, "scale": {}}

    def parse_cell(self, raw: str) -> Cell | BadCell:
        cell = super().parse_cell(raw)
        if type(cell) is BadCell and cell.key == "sheet.grade_range":
            text = str(cell.values["value"])
            value = parse_decimal(text)
            if value is not None and value >= 0:
                return Cell(Mark.GRADE, value, text)
        return cell

    def _check_coefficients(self, parsed: list[tuple[int, str, Cell | BadCell]], place: Place, line: int) -> None:
        self._remember_terms("coefficient", parsed, line)

    def _check_scale(self, parsed: list[tuple[int, str, Cell | BadCell]], place: Place, line: int,
                     problems: list[Diagnostic]) -> None:
        self._remember_terms("scale", parsed, line)

    def _remember_terms(self, kind: str, parsed: list[tuple[int, str, Cell | BadCell]], line: int) -> None:
        for _, code, cell in parsed:
            raw = cell.raw if isinstance(cell, Cell) else str(cell.values.get("value", ""))
            if raw.strip():
                if kind == "scale" and (scale := SCALE_CELL.match(raw)) is not None:
                    raw = scale.group(1)
                self.row_terms[kind][code] = (line, raw.strip())


def read_gradebook(paths: Sequence[str], curriculum: Curriculum) -> Gradebook:
    """Every subject of every file; every problem of every sheet at once."""
    from .filekind import WORKBOOK_KINDS, identify, refuse_kind

    problems: list[Diagnostic] = []
    found: dict[str, Subject] = {}
    where: dict[str, str] = {}
    for path in paths:
        data, name = read_bytes(path)
        kind = identify(data)
        if kind in WORKBOOK_KINDS:
            from .workbook import open_workbook

            book = open_workbook(data, name, kind)
            try:
                for sheet_name in book.names:
                    grid = book.grid(sheet_name)
                    place = Place(name, sheet_name, grid.hidden_rows, grid.hidden_columns, grid.merged)
                    _read_one(sheet_name, grid.rows, place, curriculum, found, where, problems)
            finally:
                book.close()
        elif kind == "text":
            text, _ = decode(data, name)
            broken: list[Diagnostic] = []
            rows = [row for _, row in text_rows(text, sniff_delimiter(text), Place(name), broken)]
            problems.extend(broken)
            stem = re.sub(r"\.[^./\\]*$", "", re.split(r"[/\\]", name)[-1])
            _read_one(stem, rows, Place(name), curriculum, found, where, problems)
        else:
            raise refuse_kind(kind, name)
    if problems:
        raise InputError(problems)
    taught = subjects_of(curriculum)
    order = [s for names in taught.values() for s in names]
    subjects = tuple(found[s] for s in order if s in found)
    for unit, names in taught.items():  # a unit's grade is then the mean of its other subjects: say so
        for subject in (s for s in names if s not in found and any(n in found for n in names)):
            note(Diagnostic(paths[0] if len(paths) == 1 else ", ".join(paths), 0, None,
                            t("bulletin.subject_missing", subject=quoted(subject), unit=unit)))
    _check_names(subjects)
    return Gradebook(subjects, tuple(paths))


def _holds_grades(rows: Sequence[Sequence[object]]) -> bool:
    return any(type(c) is str and parse_decimal(c.strip()) is not None for row in rows for c in row)


def _read_one(sheet_name: str, rows: list[list[str]], place: Place, curriculum: Curriculum,
              found: dict[str, Subject], where: dict[str, str], problems: list[Diagnostic]) -> None:
    subject, candidates = match_subject(sheet_name, curriculum)
    if subject is None:
        if not _holds_grades(rows):
            note(place.at(0, None, t("bulletin.sheet_skipped", sheet=quoted(sheet_name))))
            return
        listed = ", ".join(quoted(s) for names in subjects_of(curriculum).values() for s in names)
        key = ("bulletin.ambiguous_sheet" if candidates else "bulletin.unknown_sheet" if place.sheet is not None
               else "bulletin.unknown_file")
        problems.append(place.at(1, 1, t(key, sheet=quoted(sheet_name), subjects=listed,
                                            candidates=", ".join(map(quoted, candidates)))))
        return
    if subject in where:
        problems.append(place.at(1, 1, t("bulletin.subject_twice", subject=quoted(subject),
                                            first=where[subject])))
        return
    where[subject] = quoted(place.sheet if place.sheet is not None else place.name)
    unit = next(u for u, names in subjects_of(curriculum).items() if subject in names)
    read = _read_subject(subject, unit, rows, place, curriculum, problems)
    if read is not None:
        found[subject] = read


def _header(rows: list[list[str]], curriculum: Curriculum) -> tuple[int, list[str]] | None:
    """The header: the first row naming who a row is, among the first non-blank rows."""
    reader = HeaderReader(curriculum)
    seen = 0
    for index, row in enumerate(rows):
        if not any(filled(c) for c in row):
            continue
        if reader.classify(row, Place(""), index + 1, []).has_person:
            return index, row
        seen += 1
        if seen >= HEADER_SEARCH:
            break
    return None


def _is_evaluation(label: str, cells: list[object], reader: _BookReader) -> bool:
    """A column is an evaluation unless it is the teacher's own work or holds text."""
    kind = work_kind(label)
    if kind in _NOT_EVALUATION or kind == "order" and all(w in _ORDER_WORDS or w.isdigit() for w in words(label)):
        return False
    # A scale row's cell (`/20`) is the evaluation's own, not a text.
    texts = [c for c in cells if filled(c) and not (type(c) is str and SCALE_CELL.match(c))]
    if not texts:
        return True
    parsed = [reader.parse_cell(c) if type(c) is str else None for c in texts]
    readable = sum(1 for p in parsed if isinstance(p, Cell))
    graded = sum(1 for p in parsed if isinstance(p, Cell) and p.mark is Mark.GRADE)
    # Markers alone (an evaluation everyone missed so far) are an evaluation too.
    return looks_like_grades(len(texts), readable, graded) or readable == len(texts)


def _read_subject(subject: str, unit: str, rows: list[list[str]], place: Place, curriculum: Curriculum,
                  problems: list[Diagnostic]) -> Subject | None:
    head = _header(rows, curriculum)
    if head is None or not _holds_grades(rows):
        note(place.at(0, None, t("bulletin.sheet_empty", subject=quoted(subject))))
        return None
    line, header = head
    cols = HeaderReader(curriculum).classify(header, place, line + 1, [])
    identity = set(cols.identity)
    probe = _BookReader(curriculum, ())
    labels: dict[str, tuple[int, str]] = {}
    before_header = len(problems)
    for index, cell in enumerate(header):
        label = cell.strip() if type(cell) is str else str(cell)
        if index in identity or not fold_header(label):
            continue
        if not _is_evaluation(label, [r[index] if index < len(r) else "" for r in rows[line + 1:]], probe):
            continue
        key = fold_header(label)
        if key in labels:
            problems.append(place.at(line + 1, index + 1, t(
                "bulletin.duplicate_evaluation", header=quoted(label),
                first=place.column_word(*labels[key]))))
            continue
        labels[key] = (index, label)
    if len(problems) > before_header:
        return None  # two evaluations under one header: which one the reader took is no guess to make
    if not labels:
        note(place.at(0, None, t("bulletin.sheet_empty", subject=quoted(subject))))
        return None
    evaluations = {label: i for i, label in labels.values()}
    units = tuple(Unit(code=label, unit_id=label, name=label, domain=Domain.GENERAL, coefficient=1,
                       dispensable=True) for label in evaluations)
    reader = _BookReader(curriculum._replace(units=units), [(label, label) for label in evaluations])
    before = len(problems)
    try:
        sheet = reader.read_rows(((i + 1, row) for i, row in enumerate(rows)), place)
    except InputError as exc:
        problems.extend(exc.diagnostics)
        return None
    evals = _evaluations(sheet, evaluations, reader, header_line=line + 1, place=place, problems=problems)
    students = tuple(_assessed(sheet, evals, place, problems))
    if len(problems) > before:
        return None
    _check_own_average(sheet, evals, students, place)
    return Subject(subject, unit, place.name, place.sheet, evals, students)


def _label(cell: object) -> str:
    return cell.strip() if type(cell) is str else str(cell)


def _evaluations(sheet: Sheet, columns: dict[str, int], reader: _BookReader, header_line: int, place: Place,
                 problems: list[Diagnostic]) -> tuple[Evaluation, ...]:
    out = []
    for code in sheet.columns:
        index = columns[code]
        coef_text, scale_text = header_terms(code)
        terms: dict[str, Number] = {"coefficient": 1, "scale": 20}
        for kind, text in (("coefficient", coef_text), ("scale", scale_text)):
            given = [(header_line, text)] if text is not None else []
            if code in reader.row_terms[kind]:
                given.append(reader.row_terms[kind][code])
            values = []
            for at, raw in given:
                value = _number(raw)
                if value is None:
                    problems.append(place.at(at, index + 1, labelled(quoted(code), t(
                        _TERM_KEYS[kind][0], value=quoted(raw)))))
                else:
                    values.append(value)
            if len(values) == 2 and values[0] != values[1]:
                problems.append(place.at(given[1][0], index + 1, labelled(quoted(code), t(
                    _TERM_KEYS[kind][1], value=quoted(given[1][1]), header=quoted(code)))))
            elif values:
                terms[kind] = values[-1]
        out.append(Evaluation(code, index + 1, terms["coefficient"], terms["scale"]))
    return tuple(out)


def _assessed(sheet: Sheet, evaluations: tuple[Evaluation, ...], place: Place,
              problems: list[Diagnostic]) -> Iterator[Assessed]:
    for student in sheet.students:
        cells = []
        for evaluation in evaluations:
            cell = student.cells.get(evaluation.header) or Cell(Mark.MISSING)
            if cell.grade is not None and cell.grade > evaluation.scale * HUNDRED:
                scale = format_coefficient(evaluation.scale, decimal_separator())
                problems.append(place.at(student.line, evaluation.column, labelled(quoted(evaluation.header), t(
                    "bulletin.above_scale", value=cell.raw, scale=scale))))
            cells.append(cell)
        yield Assessed(student.id, student.name, tuple(cells), student.line, student.last_name, student.first_name)


def _check_own_average(sheet: Sheet, evaluations: tuple[Evaluation, ...], students: tuple[Assessed, ...],
                       place: Place) -> None:
    """The teacher's own average column against the exact one: a note names
    the students where they differ by 0.01 or more."""
    from .cells import number_of

    columns = [c for c in sheet.extra_headers if is_general_average(c)]
    if not columns:
        return
    averages = {s.id: subject_average(evaluations, s.cells).value for s in students}
    for column in columns:
        differs = []
        for student in sheet.students:
            text = dict(student.extra).get(column, "")
            value = number_of(text) if type(text) is str and text.strip() else None
            average = averages.get(student.id)
            if value is not None and average is not None and abs(Fraction(value) - average) >= 1:
                d = decimal_separator()
                differs.append(t("bulletin.own_average_one", id=student.id, sheet=format_exact(value, d),
                                 average=format_exact(average, d)))
        if differs:
            more = [tn("list.more", len(differs) - 5)] if len(differs) > 5 else []
            listed = tn("note.students_listed", len(differs), students=t("list.semicolon").join(differs[:5] + more))
            note(place.at(0, None, t("bulletin.own_average", column=quoted(column), students=listed)))


def _check_names(subjects: Sequence[Subject]) -> None:
    """The same id must be the same student everywhere."""
    seen: dict[str, tuple[str, Subject, int]] = {}
    problems = []
    for subject in subjects:
        for student in subject.students:
            first = seen.get(student.id)
            if first is None:
                seen[student.id] = (student.name, subject, student.line)
            elif fold(first[0]) != fold(student.name):
                other = Diagnostic(first[1].source, first[2], None, "", first[1].sheet).where()
                problems.append(Diagnostic(subject.source, student.line, None, t(
                    "bulletin.two_names", id=student.id, name=quoted(student.name), first=quoted(first[0]),
                    where=other), subject.sheet))
    if problems:
        raise InputError(problems)


__all__ = ["Gradebook", "header_terms", "match_subject", "read_gradebook", "subjects_of"]
