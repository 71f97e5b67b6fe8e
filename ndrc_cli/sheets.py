"""Grade sheet bytes -> Students: encodings, delimiters, headers, markers.

Reads what French spreadsheets export without being told: `;`, `,` or tab,
decimal commas, UTF-8 with or without BOM, cp1252, UTF-16 with BOM, CRLF.
Every problem is collected and reported at once as file:line:column, where
column is the 1-based field number (the spreadsheet column A=1, B=2, …).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from typing import NamedTuple

from .errors import Diagnostic, InputError, NdrcError
from .i18n import t
from .model import HUNDRED, Cell, Curriculum, Mark, Student, Unit
from .numbers import parse_decimal
from .text import fold, fold_header

STDIN = "-"
STDIN_NAME = "<stdin>"

# Header spellings users actually write, folded by text.fold_header.
ID_HEADERS = frozenset(
    "id identifiant numero num no nr ncandidat numerocandidat candidat matricule ine "
    "numeroetudiant netudiant numeroinscription ninscription studentid number".split()
)
LAST_NAME_HEADERS = frozenset("nom nomdefamille nomdusage lastname surname familyname".split())
FIRST_NAME_HEADERS = frozenset("prenom prenoms firstname givenname".split())
FULL_NAME_HEADERS = frozenset(
    "name nomprenom prenomnom nomcomplet fullname eleve etudiant apprenant student".split()
)
# Something shaped like a unit code (E7, U41, EF2, E5C) that the curriculum
# does not know is almost surely a typo, not a column to carry along.
_UNIT_LIKE = re.compile(r"^(?:e|u|ef|uf)\d+[a-z]?$")
_DELIMITERS = (";", "\t", ",")


class BadCell(NamedTuple):
    """A cell that is neither a grade 0–20 nor a marker: the message to show."""

    key: str
    values: dict[str, object]


class Sheet(NamedTuple):
    name: str
    students: tuple[Student, ...]
    #: unit and part codes that have a column, in curriculum order
    columns: tuple[str, ...]
    extra_headers: tuple[str, ...]
    delimiter: str
    encoding: str
    #: unit or part code -> its 1-based column, for messages about a cell
    positions: dict[str, int] = {}  # shared default: never mutated
    id_column: int = 1


def read_bytes(path: str) -> tuple[bytes, str]:
    """The file's bytes and the name to show in messages."""
    if path == STDIN:
        return sys.stdin.buffer.read(), STDIN_NAME
    try:
        with open(path, "rb") as f:
            return f.read(), path
    except OSError as exc:
        raise NdrcError(t("io.cannot_read", path=path, reason=exc.strerror or exc)) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode sheet bytes: UTF-16 BOM, else UTF-8 (BOM or not), else cp1252."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise NdrcError(t("sheet.unknown_encoding", encoding=encoding)) from None
        candidates = [encoding]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        if candidate == encoding and text.startswith("\ufeff"):
            text = text[1:]
        return text, candidate
    assert error is not None
    line, column = _position(data, error.start)
    byte = data[error.start : error.start + 1].hex()
    raise InputError(
        [Diagnostic(name, line, column, t("sheet.undecodable", byte=byte, encoding=candidates[-1]))]
    )


def sniff_delimiter(text: str) -> str:
    """Count `;`, tab and `,` outside quotes in the header line; `;` wins ties.

    csv.Sniffer guesses wrong on small or ragged files; a header line of
    French column names with `;` is what Excel writes, so that is our tie-break.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # first max: ; then tab then ,
    return best if counts[best] else ","


def fit_row(row: list[str], width: int) -> list[str] | None:
    """The row at the header's width: [] for a blank row (skipped), None for a
    ragged one. Spreadsheets pad rows with trailing empty cells: those go."""
    if not any(cell.strip() for cell in row):
        return []
    if len(row) == width:
        return row
    if len(row) > width and not any(cell.strip() for cell in row[width:]):
        return row[:width]
    return None


class _Columns:
    """What each header field means."""

    def __init__(self) -> None:
        self.id: int | None = None
        self.last: int | None = None
        self.first: int | None = None
        self.full: int | None = None
        self.units: list[tuple[int, str]] = []  # (field index, unit or part code)
        self.extra: list[tuple[int, str]] = []


def _unit_lookup(curriculum: Curriculum) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for unit in curriculum.units:
        for label in (unit.code, unit.unit_id, *unit.aliases):
            lookup.setdefault(fold_header(label), unit.code)
        for part in unit.parts:
            for label in (part.code, *part.aliases):
                lookup.setdefault(fold_header(label), part.code)
    return lookup


def _marker_lookup(curriculum: Curriculum) -> dict[str, Mark]:
    lookup = {"": Mark.MISSING}
    for mark, spellings in curriculum.markers:
        for spelling in spellings:
            lookup[fold(spelling)] = mark
    for spelling in curriculum.renounce:  # "not graded yet, and no kept grade"
        lookup[fold(spelling)] = Mark.MISSING
    return lookup


class SheetReader:
    """Parses one grade sheet against a curriculum, collecting every problem."""

    def __init__(self, curriculum: Curriculum) -> None:
        self.curriculum = curriculum
        self._units = _unit_lookup(curriculum)
        self._markers = _marker_lookup(curriculum)
        self._marker_names = ", ".join(
            [s for _, spellings in curriculum.markers for s in spellings] + list(curriculum.renounce))
        self._part_of: dict[str, Unit] = {p.code: u for u in curriculum.units for p in u.parts}
        self._by_code: dict[str, Unit] = {u.code: u for u in curriculum.units}
        self._dispensable = ", ".join(u.code for u in curriculum.units if u.dispensable) or "-"
        self._cells: dict[str, Cell | BadCell] = {}

    # -- cells -------------------------------------------------------------

    def parse_cell(self, raw: str) -> Cell | BadCell:
        """A Cell, or a BadCell with its message. Memoised per sheet:
        a class has few distinct cell texts, a cohort not many more."""
        cached = self._cells.get(raw)
        if cached is not None:
            return cached
        text = raw.strip()
        result: Cell | BadCell
        value = parse_decimal(text)
        if value is not None:
            if 0 <= value <= 20 * HUNDRED:
                result = Cell(Mark.GRADE, value, text)
            else:
                result = BadCell("sheet.grade_range", {"value": text})
        else:
            mark = self._markers.get(fold(text))
            if mark is not None:
                result = Cell(mark, None, text)
            else:
                result = BadCell("sheet.unknown_marker", {"value": text, "markers": self._marker_names})
        if len(self._cells) < 10_000:
            self._cells[raw] = result
        return result

    # -- header ------------------------------------------------------------

    def read_header(self, header: list[str], name: str, problems: list[Diagnostic]) -> _Columns:
        cols = _Columns()
        taken: dict[str, int] = {}

        def take(role: str, index: int, label: str) -> bool:
            if role in taken:
                problems.append(
                    Diagnostic(name, 1, index + 1, t("sheet.duplicate_column", header=label, first=taken[role] + 1))
                )
                return False
            taken[role] = index
            return True

        for i, label in enumerate(header):
            key = fold_header(label)
            code = self._units.get(key)
            if code is not None:
                if take(code, i, label.strip()):
                    cols.units.append((i, code))
            elif key in ID_HEADERS and cols.id is None:
                cols.id = i
            elif key in LAST_NAME_HEADERS and cols.last is None:
                cols.last = i
            elif key in FIRST_NAME_HEADERS and cols.first is None:
                cols.first = i
            elif key in FULL_NAME_HEADERS and cols.full is None:
                cols.full = i
            elif _UNIT_LIKE.match(key):
                problems.append(
                    Diagnostic(
                        name, 1, i + 1,
                        t("sheet.unknown_unit_column", header=label.strip(),
                          units=", ".join(u.code for u in self.curriculum.units)),
                    )
                )
            elif key:
                cols.extra.append((i, label.strip()))
        if cols.id is None:
            problems.append(Diagnostic(name, 1, 1, t("sheet.no_id_column")))
        if not cols.units:
            known = ", ".join(u.code for u in self.curriculum.units)
            problems.append(Diagnostic(name, 1, 1, t("sheet.no_unit_column", units=known)))
        present = {code for _, code in cols.units}
        for unit in self.curriculum.units:
            codes = [p.code for p in unit.parts]
            given = [c for c in codes if c in present]
            if given and len(given) != len(codes):
                index = next(i for i, c in cols.units if c == given[0])
                problems.append(
                    Diagnostic(name, 1, index + 1,
                               t("sheet.incomplete_parts", unit=unit.code, parts=", ".join(codes)))
                )
        order = {code: n for n, code in enumerate(
            c for u in self.curriculum.units for c in (u.code, *(p.code for p in u.parts)))}
        cols.units.sort(key=lambda item: order[item[1]])
        return cols

    # -- whole sheet -------------------------------------------------------

    def read(self, text: str, name: str, delimiter: str | None = None, encoding: str = "") -> Sheet:
        problems: list[Diagnostic] = []
        if not text.strip():
            raise InputError([Diagnostic(name, 1, 1, t("sheet.empty"))])
        delimiter = delimiter or sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise InputError([Diagnostic(name, 1, 1, t("sheet.csv_error", problem=exc))]) from None
        cols = self.read_header(header, name, problems)
        if cols.id is None or not cols.units:
            raise InputError(problems)

        width = len(header)
        id_index = cols.id
        unit_cols = cols.units
        part_of = self._part_of
        by_code = self._by_code
        parse_cell = self.parse_cell
        students: list[Student] = []
        seen_ids: dict[str, int] = {}
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(Diagnostic(name, line, 1, t("sheet.csv_error", problem=exc)))
                break
            start, line = line, reader.line_num + 1
            fitted = fit_row(row, width)
            if fitted is None:
                problems.append(Diagnostic(name, start, min(len(row), width) + 1,
                                           t("sheet.ragged", cells=len(row), expected=width)))
                continue
            if not fitted:
                continue  # a blank line
            row = fitted
            student_id = row[id_index].strip()
            if not student_id:
                problems.append(Diagnostic(name, start, id_index + 1, t("sheet.empty_id")))
            elif student_id in seen_ids:
                problems.append(Diagnostic(name, start, id_index + 1,
                                           t("sheet.duplicate_id", id=student_id, first=seen_ids[student_id])))
            else:
                seen_ids[student_id] = start
            cells: dict[str, Cell] = {}
            row_ok = True
            for index, code in unit_cols:
                parsed = parse_cell(row[index])
                if type(parsed) is BadCell:
                    problems.append(Diagnostic(name, start, index + 1, f"{code}: {t(parsed.key, **parsed.values)}"))
                    row_ok = False
                    continue
                assert type(parsed) is Cell
                if parsed.mark is Mark.EXEMPT:
                    unit = by_code.get(code) or part_of[code]
                    if not unit.dispensable:
                        problems.append(Diagnostic(name, start, index + 1, t(
                            "sheet.not_dispensable", code=code, marker=parsed.raw, units=self._dispensable)))
                        row_ok = False
                        continue
                    if code in part_of:
                        problems.append(Diagnostic(name, start, index + 1, t(
                            "sheet.part_exempt", code=code, unit=unit.code)))
                        row_ok = False
                        continue
                cells[code] = parsed
            if part_of:
                row_ok = self._check_parts(cells, unit_cols, name, start, problems) and row_ok
            if not row_ok or not student_id:
                continue
            last = row[cols.last].strip() if cols.last is not None else ""
            first = row[cols.first].strip() if cols.first is not None else ""
            if cols.full is not None:
                full = row[cols.full].strip()
            else:
                full = f"{last} {first}".strip()
            students.append(
                Student(
                    id=student_id,
                    name=full,
                    cells=cells,
                    line=start,
                    last_name=last,
                    first_name=first,
                    extra=tuple((label, row[i]) for i, label in cols.extra),
                )
            )
        if problems:
            raise InputError(problems)
        return Sheet(
            name=name,
            students=tuple(students),
            columns=tuple(code for _, code in unit_cols),
            extra_headers=tuple(label for _, label in cols.extra),
            delimiter=delimiter,
            encoding=encoding,
            positions={code: index + 1 for index, code in unit_cols},
            id_column=id_index + 1,
        )

    def _check_parts(
        self, cells: dict[str, Cell], unit_cols: list[tuple[int, str]], name: str, line: int,
        problems: list[Diagnostic],
    ) -> bool:
        """A unit given both whole and as parts, for one student, is refused."""
        ok = True
        for unit in self.curriculum.units:
            if not unit.parts:
                continue
            whole = cells.get(unit.code)
            given = [p.code for p in unit.parts if (c := cells.get(p.code)) is not None and c.raw]
            if whole is not None and whole.raw and given:
                index = next(i for i, c in unit_cols if c == unit.code)
                problems.append(Diagnostic(name, line, index + 1, t(
                    "sheet.unit_and_parts", unit=unit.code, parts=", ".join(given))))
                ok = False
        return ok


def read_sheet(
    path: str, curriculum: Curriculum, delimiter: str | None = None, encoding: str | None = None
) -> Sheet:
    data, name = read_bytes(path)
    if not data.strip():
        raise InputError([Diagnostic(name, 1, 1, t("sheet.empty"))])
    text, used = decode(data, name, encoding)
    return SheetReader(curriculum).read(text, name, delimiter, used)
