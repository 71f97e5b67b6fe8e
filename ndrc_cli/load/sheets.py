"""Grade sheet files -> Students: workbooks and CSV, headers, markers.

Reads what teachers have without being told: Excel and LibreOffice
workbooks (.xlsx, .xlsm, .xls, .ods, recognised by their content), and CSV
with `;`, `,` or tab, decimal commas, UTF-8 with or without BOM, cp1252,
UTF-16 with BOM, CRLF. Both become rows of cell texts read by one
`SheetReader`, so a workbook and its CSV export give the same students.

The reader finds the header row (title lines above it are skipped),
recognises headers as people write them (`Note E4`, `E4 (coef 5)`, a unit's
full name, a short name the curriculum declares), skips summary rows
(`Moyenne de la classe`…), and refuses what it cannot read for sure: a
header that could name two units, a column of grades whose header names no
unit while a unit has no column. Every problem is collected and reported at
once with its position: `file:line:column` in a text file (column = the
field number, A=1), `file:Sheet!E7` in a workbook. Choices the reader made
(the sheet, the header row, skipped rows) are notes, printed on stderr.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import sys
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..core.errors import Diagnostic, InputError, NdrcError, UsageError, note
from ..core.folding import fold, fold_header
from ..core.model import HUNDRED, Cell, Curriculum, Mark, Student, Unit
from ..core.numbers import parse_decimal
from ..i18n import labelled, os_reason, quoted, t

STDIN = "-"
STDIN_NAME = "<stdin>"

# Header spellings users actually write, folded by text.fold_header.
ID_HEADERS = frozenset(
    "id identifiant numero num no nr ncandidat numerocandidat candidat matricule ine "
    "numeroetudiant netudiant numeroinscription ninscription studentid number numeroeleve neleve "
    "numeroapprenant napprenant numerocandidature".split()
)
LAST_NAME_HEADERS = frozenset("nom nomdefamille nomdusage lastname surname familyname".split())
FIRST_NAME_HEADERS = frozenset("prenom prenoms firstname givenname".split())
FULL_NAME_HEADERS = frozenset(
    "name nomprenom prenomnom nomcomplet nometprenom prenometnom nomsetprenoms fullname eleve eleves "
    "etudiant etudiants apprenant apprenants student candidate".split()
)
# Rows of class statistics under (or above) the students, as gradebooks and
# teachers write them: never a student, whatever their cells hold.
SUMMARY_LABELS = frozenset(
    "moyenne moyennes moy moyennedelaclasse moyenneclasse moyennedugroupe moyennegenerale moyennedeclasse "
    "total totaux somme min minimum max maximum mediane ecarttype ecartype effectif effectifs "
    "average classaverage mean median stdev".split()
)
# What a summary label starts with: a cheap test before folding a cell (the
# hot path reads every id and name of a cohort).
_SUMMARY_START = re.compile(r"\s*(?:moy|tot|som|min|max|m[ée]d|[ée]ca|eff|ave|cla|mea|std)", re.IGNORECASE)


def is_summary_label(text: str) -> bool:
    """Whether a cell reads as the label of a class-statistics row."""
    return _SUMMARY_START.match(text) is not None and fold_header(text) in SUMMARY_LABELS


# Something shaped like a unit code (E7, U41, EF2, E5C) that the curriculum
# does not know is almost surely a typo, not a column to carry along.
_UNIT_LIKE = re.compile(r"^(?:e|u|ef|uf)\d+[a-z]?$")
_WORDS = re.compile(r"[0-9a-z]+")
_DELIMITERS = (";", "\t", ",")
#: The header is looked for among this many first non-blank rows.
HEADER_SEARCH = 10
#: `--column HEADER=-`: the column is no unit (carried along).
NOT_A_UNIT = "-"
# `12/20`, `12,5 / 20`: a grade over a scale; only /20 is accepted.
_OVER = re.compile(r"^(.*?)\s*/\s*(\d+(?:[.,]\d+)?)$")


class BadCell(NamedTuple):
    """A cell that is neither a grade 0–20 nor a marker: the message to show."""

    key: str
    values: dict[str, object]


class SheetOptions(NamedTuple):
    """How to read the sheets of one run (the command line's reading options)."""

    delimiter: str | None = None
    encoding: str | None = None
    #: the worksheet of a workbook: a name, or a 1-based number as text
    sheet: str | None = None
    #: `--column HEADER=UNIT`: (header as written, unit code, `id`, `name` or `-`)
    columns: tuple[tuple[str, str], ...] = ()


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
    #: the worksheet, for a workbook (positions are then Sheet!A1 cells)
    sheet: str | None = None

    def at(self, line: int, column: int | None, message: str) -> Diagnostic:
        """A problem at a row and column of this sheet (a cell, in a workbook)."""
        return Diagnostic(self.name, line, column, message, self.sheet)


#: A sheet read whole is at most this big (a cohort of a million rows is ~50 MB,
#: and `grade -f csv` streams it anyway); more is refused, never read on.
MAX_SHEET = 256 << 20


def read_bytes(path: str) -> tuple[bytes, str]:
    """The file's bytes and the name to show in messages.

    Reading stops at MAX_SHEET, and at once for a file whose first bytes say
    it is no sheet (`/dev/zero`, an image, a PDF)."""
    from .filekind import identify, refuse_kind

    name = STDIN_NAME if path == STDIN else path
    try:
        with (contextlib.nullcontext(sys.stdin.buffer) if path == STDIN else open(path, "rb")) as f:
            head = f.read(1 << 16)
            kind = identify(head)
            if kind in ("binary", "pdf", "image"):
                raise refuse_kind(kind, name)
            data = head + f.read(MAX_SHEET + 1 - len(head))
    except OSError as exc:
        raise NdrcError(t("io.cannot_read", path=name, reason=os_reason(exc))) from None
    if len(data) > MAX_SHEET:
        raise NdrcError(t("sheet.too_big", path=name, limit=MAX_SHEET >> 20))
    return data, name


def check_encoding(encoding: str | None) -> None:
    """`--encoding` must name a text encoding: not `rot13`, `base64` or `undefined`."""
    if not encoding:
        return
    try:
        info = codecs.lookup(encoding)
        if not getattr(info, "_is_text_encoding", True):
            raise LookupError(encoding)
        "a".encode(info.name)
    except (LookupError, UnicodeError, ValueError):
        raise UsageError(t("sheet.unknown_encoding", encoding=encoding)) from None


# A valid UTF-8 sequence for a Latin letter with an accent (é = C3 A9): in a
# cp1252 file, that pair of bytes would be the mojibake "Ã©".
UTF8_ACCENT = re.compile(rb"[\xc3\xc5][\x80-\xbf]")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode sheet bytes: UTF-16 BOM, else UTF-8 (BOM or not), else cp1252."""
    if encoding:
        check_encoding(encoding)
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
            if candidate == "utf-8-sig" and not encoding and UTF8_ACCENT.search(data):
                # Mostly UTF-8 (é written as UTF-8 elsewhere) with a stray byte:
                # cp1252 would turn every accent into mojibake. Say where it is.
                line, column = _position(data, exc.start)
                byte = data[exc.start: exc.start + 1].hex()
                raise InputError([Diagnostic(name, line, column, t("sheet.stray_byte", byte=byte))]) from None
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


def _count_delimiters(line: str) -> dict[str, int]:
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def sniff_delimiter(text: str) -> str:
    """Count `;`, tab and `,` outside quotes; `;` wins ties.

    The header is the line with the most separators among the first few
    (a title line above it has few or none). csv.Sniffer guesses wrong on
    small or ragged files; a header line of French column names with `;` is
    what Excel writes, so that is our tie-break.
    """
    best, best_count = ",", 0
    for line in text.splitlines()[:HEADER_SEARCH + 2]:
        counts = _count_delimiters(line)
        top = max(_DELIMITERS, key=lambda d: counts[d])  # first max: ; then tab then ,
        if counts[top] > best_count:
            best, best_count = top, counts[top]
    return best


def fit_row(row: list[str], width: int) -> list[str] | None:
    """The row at the header's width: [] for a blank row (skipped), None for a
    ragged one. Spreadsheets pad rows with trailing empty cells: those go."""
    first = row[0] if row else ""
    if len(row) == width and (type(first) is not str or first.strip()):
        return row  # the usual row: its first cell (the id) is filled
    if not any(_filled(cell) for cell in row):
        return []
    if len(row) == width:
        return row
    if len(row) > width and not any(_filled(cell) for cell in row[width:]):
        return row[:width]
    return None


def _filled(cell: object) -> bool:
    # A text cell is filled when it has more than spaces; a workbook's
    # number or date always is.
    return bool(cell.strip()) if type(cell) is str else True


class _Columns:
    """What each header field means."""

    def __init__(self) -> None:
        self.id: int | None = None
        self.last: int | None = None
        self.first: int | None = None
        self.full: int | None = None
        self.units: list[tuple[int, str]] = []  # (field index, unit or part code)
        self.extra: list[tuple[int, str]] = []
        #: the names stand for the id (a gradebook export with no id column)
        self.name_is_id = False

    @property
    def has_person(self) -> bool:
        return self.id is not None or self.full is not None or self.last is not None


def _unit_lookup(curriculum: Curriculum) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for unit in curriculum.units:
        for label in (unit.code, unit.unit_id, *unit.aliases):
            lookup.setdefault(fold_header(label), unit.code)
        for part in unit.parts:
            for label in (part.code, *part.aliases):
                lookup.setdefault(fold_header(label), part.code)
    return lookup


def words(text: str) -> tuple[str, ...]:
    """A header's words, folded: 'Épreuve E4 - Négociation' -> ('epreuve', 'e4', 'negociation')."""
    return tuple(_WORDS.findall(fold(text.replace("°", ""))))


def _word_labels(curriculum: Curriculum) -> list[tuple[frozenset[str], str]]:
    """(words, code) for every label a header may contain among other words:
    codes, unit ids, aliases (short names) and units' full names. Parts'
    names ('Épreuve écrite') are too generic to be recognised inside a header."""
    labels: list[tuple[frozenset[str], str]] = []
    for unit in curriculum.units:
        for label in (unit.code, unit.unit_id, *unit.aliases, unit.name):
            w = frozenset(words(label))
            if w:
                labels.append((w, unit.code))
        for part in unit.parts:
            for label in (part.code, *part.aliases):
                w = frozenset(words(label))
                if w:
                    labels.append((w, part.code))
    return labels


def _marker_lookup(curriculum: Curriculum) -> dict[str, Mark]:
    lookup = {"": Mark.MISSING}
    for mark, spellings in curriculum.markers:
        for spelling in spellings:
            lookup[fold(spelling)] = mark
    for spelling in curriculum.renounce:  # "not graded yet, and no kept grade"
        lookup[fold(spelling)] = Mark.MISSING
    return lookup


def looks_like_grades(filled: int, readable: int, graded: int) -> bool:
    """Whether a column's non-empty cells are mostly grades or markers (at
    least two thirds), with at least one grade."""
    return graded >= 1 and 3 * readable >= 2 * filled


class _Place:
    """Where rows come from, to build positions: a text file's lines or a
    workbook sheet's rows (then `sheet` is set and positions are cells)."""

    def __init__(self, name: str, sheet: str | None = None) -> None:
        self.name = name
        self.sheet = sheet

    def at(self, line: int, column: int | None, message: str) -> Diagnostic:
        return Diagnostic(self.name, line, column, message, self.sheet)

    def row_word(self, line: int, on: bool = False) -> str:
        """'line 5' in a text file, 'row 5' in a workbook ('on line 5' with `on`)."""
        kind = "row" if self.sheet is not None else "line"
        return t(f"pos.on_{kind}" if on else f"pos.{kind}", n=line)


def _column_option(header: str, unit: str) -> str:
    """The `--column` a message suggests, quoted so that a shell takes it as one
    argument: in double quotes as people write it, in shlex's quotes when the
    header holds a character a shell would read inside them."""
    value = f"{header}={unit}"
    if not any(c in value for c in '"$`\\!\n'):
        return f'--column "{value}"'
    import shlex

    return f"--column {shlex.quote(value)}"


class SheetReader:
    """Parses one grade sheet against a curriculum, collecting every problem."""

    def __init__(self, curriculum: Curriculum, columns: Sequence[tuple[str, str]] = ()) -> None:
        self.curriculum = curriculum
        self._units = _unit_lookup(curriculum)
        self._word_labels = _word_labels(curriculum)
        self._markers = _marker_lookup(curriculum)
        self._marker_names = ", ".join(
            [s for _, spellings in curriculum.markers for s in spellings] + list(curriculum.renounce))
        self._part_of: dict[str, Unit] = {p.code: u for u in curriculum.units for p in u.parts}
        self._by_code: dict[str, Unit] = {u.code: u for u in curriculum.units}
        self._dispensable = ", ".join(u.code for u in curriculum.units if u.dispensable) or "-"
        self._cells: dict[str, Cell | BadCell] = {}
        self._mapping = {fold_header(header): target for header, target in columns}
        self.mapped: set[str] = set()  # folded --column headers found in the sheet

    # -- cells -------------------------------------------------------------

    def parse_cell(self, raw: str) -> Cell | BadCell:
        """A Cell, or a BadCell with its message. Memoised per sheet:
        a class has few distinct cell texts, a cohort not many more."""
        if type(raw) is not str:  # a workbook's date, boolean or error cell
            return BadCell(raw.key, {"value": str(raw)})  # type: ignore[attr-defined]
        cached = self._cells.get(raw)
        if cached is not None:
            return cached
        text = raw.strip()
        result: Cell | BadCell
        value = parse_decimal(text)
        if value is None and "/" in text:
            over = _OVER.match(text)
            if over is not None:
                value = parse_decimal(over.group(1))
                scale = parse_decimal(over.group(2))
                if value is not None and scale != 20 * HUNDRED:
                    self._remember(raw, result := BadCell("sheet.bad_scale", {"value": text}))
                    return result
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
        self._remember(raw, result)
        return result

    def _remember(self, raw: str, result: Cell | BadCell) -> None:
        if len(self._cells) < 10_000:
            self._cells[raw] = result

    # -- header ------------------------------------------------------------

    def unit_of(self, label: str) -> tuple[str | None, list[str]]:
        """The unit or part a header names, and the candidates when it could
        name several (then the code is None)."""
        key = fold_header(label)
        code = self._units.get(key)
        if code is not None:
            return code, [code]
        header_words = set(words(label))
        if not header_words:
            return None, []
        best: dict[str, int] = {}
        for label_words, code in self._word_labels:
            if label_words <= header_words:
                best[code] = max(best.get(code, 0), len(label_words))
        if not best:
            return None, []
        top = max(best.values())
        candidates = [c for c, n in best.items() if n == top]
        if len(candidates) == 1:
            # A part named among other words of its unit ('E5 écrit'), or a
            # unit named by its code and full name: still one unit.
            return candidates[0], candidates
        return None, candidates

    def read_header(self, header: list[str], name: str, problems: list[Diagnostic], line: int = 1,
                    sheet: str | None = None) -> _Columns:
        place = _Place(name, sheet)
        cols = self._classify(header, place, line, problems)
        if cols.id is None and cols.has_person:
            cols.name_is_id = True
        if not cols.has_person:
            problems.append(place.at(line, 1, t("sheet.no_id_column")))
        if not cols.units:
            known = ", ".join(u.code for u in self.curriculum.units)
            problems.append(place.at(line, 1, t("sheet.no_unit_column", units=known)))
        present = {code for _, code in cols.units}
        for unit in self.curriculum.units:
            codes = [p.code for p in unit.parts]
            given = [c for c in codes if c in present]
            if given and len(given) != len(codes):
                index = next(i for i, c in cols.units if c == given[0])
                problems.append(place.at(line, index + 1,
                                         t("sheet.incomplete_parts", unit=unit.code, parts=", ".join(codes))))
        order = {code: n for n, code in enumerate(
            c for u in self.curriculum.units for c in (u.code, *(p.code for p in u.parts)))}
        cols.units.sort(key=lambda item: order[item[1]])
        return cols

    def _classify(self, header: list[str], place: _Place, line: int, problems: list[Diagnostic]) -> _Columns:
        cols = _Columns()
        taken: dict[str, int] = {}
        units = ", ".join(u.code for u in self.curriculum.units)

        def take(role: str, index: int, label: str) -> bool:
            if role in taken:
                problems.append(place.at(line, index + 1,
                                         t("sheet.duplicate_column", header=label, first=taken[role] + 1)))
                return False
            taken[role] = index
            return True

        for i, label in enumerate(header):
            label = label.strip()
            key = fold_header(label)
            target = self._mapping.get(key) if key else None
            if target is not None:
                self.mapped.add(key)
                if target == NOT_A_UNIT:
                    cols.extra.append((i, label))
                elif target == "id":
                    if take("id", i, label):
                        cols.id = i
                elif target == "name":
                    if take("name", i, label):
                        cols.full = i
                elif take(target, i, label):
                    cols.units.append((i, target))
                continue
            if key in ID_HEADERS and cols.id is None:
                cols.id = i
                continue
            if key in LAST_NAME_HEADERS and cols.last is None:
                cols.last = i
                continue
            if key in FIRST_NAME_HEADERS and cols.first is None:
                cols.first = i
                continue
            if key in FULL_NAME_HEADERS and cols.full is None:
                cols.full = i
                continue
            code, candidates = self.unit_of(label)
            if code is not None:
                if take(code, i, label):
                    cols.units.append((i, code))
            elif candidates:
                problems.append(place.at(line, i + 1, t(
                    "sheet.ambiguous_column", header=label, units=" / ".join(candidates),
                    fix=_column_option(label, candidates[0]))))
            elif unknown := [w for w in words(label) if _UNIT_LIKE.match(w)]:
                problems.append(place.at(line, i + 1, t("sheet.unknown_unit_column", header=label, units=units)
                                         + ("" if key == unknown[0] else " " + t("sheet.unknown_unit_fix",
                                                                                 header=label))))
            elif key:
                cols.extra.append((i, label))
        return cols

    def _probe(self, header: list[str]) -> bool:
        """Whether a row reads as the header: someone to grade and a unit."""
        cols = self._classify(header, _Place(""), 1, [])
        return cols.has_person and bool(cols.units)

    # -- whole sheet -------------------------------------------------------

    def read(self, text: str, name: str, delimiter: str | None = None, encoding: str = "") -> Sheet:
        if not text.strip():
            raise InputError([Diagnostic(name, 1, 1, t("sheet.empty"))])
        delimiter = delimiter or sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        place = _Place(name)
        broken: list[Diagnostic] = []

        def rows() -> Iterator[tuple[int, list[str]]]:
            line = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:  # the rest cannot be read: report it with the problems before it
                    broken.append(place.at(line, 1, t("sheet.csv_error", problem=quoted(exc))))
                    return
                start, line = line, reader.line_num + 1
                yield start, row

        try:
            sheet = self.read_rows(rows(), place)
        except InputError as exc:
            raise InputError([*exc.diagnostics, *broken]) from None
        if broken:
            raise InputError(broken)
        return sheet._replace(delimiter=delimiter, encoding=encoding)

    def read_grid(self, rows: list[list[str]], name: str, sheet_name: str) -> Sheet:
        return self.read_rows(((i + 1, row) for i, row in enumerate(rows)), _Place(name, sheet_name))

    def read_rows(self, rows: Iterator[tuple[int, list[str]]], place: _Place) -> Sheet:
        """Find the header, then read every student row; all problems at once."""
        problems: list[Diagnostic] = []
        name = place.name
        skipped: list[tuple[int, list[str]]] = []
        header_line, header = 0, None
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if self._probe(row):
                header_line, header = line, row
                break
            skipped.append((line, row))
            if len(skipped) >= HEADER_SEARCH:
                break
        if header is None:
            if not skipped:
                raise InputError([place.at(1, 1, t("sheet.empty"))])
            header_line, header = skipped[0]  # for its diagnostics
            skipped = []
        elif skipped:
            note(place.at(header_line, None, t("note.header_row", row=place.row_word(header_line, on=True))))
        cols = self.read_header(header, name, problems, header_line, place.sheet)
        if not cols.has_person or not cols.units:
            raise InputError(problems)
        if cols.name_is_id:
            note(place.at(header_line, None, t("note.name_is_id")))

        width = len(header)
        id_index = cols.id
        unit_cols = cols.units
        first_unit = min(i for i, _ in unit_cols)
        label_cols = [i for i in range(min(first_unit, width))]
        part_of = self._part_of
        by_code = self._by_code
        parse_cell = self.parse_cell
        students: list[Student] = []
        seen_ids: dict[str, int] = {}
        summary_rows: list[tuple[int, str]] = []
        extra_cells: dict[int, list[str]] = {i: [] for i, _ in cols.extra}
        for start, row in rows:
            fitted = fit_row(row, width)
            if fitted is None:
                problems.append(place.at(start, min(len(row), width) + 1,
                                         t("sheet.ragged", cells=len(row), expected=width)))
                continue
            if not fitted:
                continue  # a blank line
            row = fitted
            last = row[cols.last].strip() if cols.last is not None else ""
            first = row[cols.first].strip() if cols.first is not None else ""
            full = row[cols.full].strip() if cols.full is not None else f"{last} {first}".strip()
            raw_id = row[id_index] if id_index is not None else full
            student_id = raw_id.strip()
            label = self._summary_label(row, label_cols, id_index, student_id)
            if label is not None:
                summary_rows.append((start, label))
                continue
            if type(raw_id) is not str:
                bad = self.parse_cell(raw_id)
                assert type(bad) is BadCell
                problems.append(place.at(start, (id_index or 0) + 1, t(bad.key, **bad.values)))
                continue
            id_column = (id_index if id_index is not None else cols.full if cols.full is not None
                         else cols.last or 0) + 1
            if not student_id:
                problems.append(place.at(start, id_column, t("sheet.empty_id")))
            elif student_id in seen_ids:
                problems.append(place.at(start, id_column, t(
                    "sheet.duplicate_id", id=student_id, first=place.row_word(seen_ids[student_id]))))
            else:
                seen_ids[student_id] = start
            for i, cells_of in extra_cells.items():
                cells_of.append(row[i])
            cells: dict[str, Cell] = {}
            row_ok = True
            for index, code in unit_cols:
                parsed = parse_cell(row[index])
                if type(parsed) is BadCell:
                    problems.append(place.at(start, index + 1, labelled(code, t(parsed.key, **parsed.values))))
                    row_ok = False
                    continue
                assert type(parsed) is Cell
                if parsed.mark is Mark.EXEMPT:
                    unit = by_code.get(code) or part_of[code]
                    if not unit.dispensable:
                        problems.append(place.at(start, index + 1, t(
                            "sheet.not_dispensable", code=code, marker=parsed.raw, units=self._dispensable)))
                        row_ok = False
                        continue
                    if code in part_of:
                        problems.append(place.at(start, index + 1, t(
                            "sheet.part_exempt", code=code, unit=unit.code)))
                        row_ok = False
                        continue
                cells[code] = parsed
            if part_of:
                row_ok = self._check_parts(cells, unit_cols, place, start, problems) and row_ok
            if not row_ok or not student_id:
                continue
            students.append(
                Student(
                    id=student_id,
                    name=full,
                    cells=cells,
                    line=start,
                    last_name=last,
                    first_name=first,
                    extra=tuple((label, str(row[i])) for i, label in cols.extra),
                )
            )
        self._check_extra(cols, extra_cells, place, header_line, problems)
        if not problems and not students:
            problems.append(place.at(header_line, None, t("sheet.no_student")))
        if problems:
            raise InputError(problems)
        if summary_rows:
            note(place.at(summary_rows[0][0], None, t(
                "note.summary_rows",
                rows=", ".join(f"{place.row_word(n)} ({label})" for n, label in summary_rows))))
        return Sheet(
            name=name,
            students=tuple(students),
            columns=tuple(code for _, code in unit_cols),
            extra_headers=tuple(label for _, label in cols.extra),
            delimiter="",
            encoding="",
            positions={code: index + 1 for index, code in unit_cols},
            id_column=(id_index if id_index is not None else cols.full if cols.full is not None
                       else cols.last or 0) + 1,
            sheet=place.sheet,
        )

    @staticmethod
    def _summary_label(row: list[str], label_cols: list[int], id_index: int | None, student_id: str) -> str | None:
        """The label of a class-statistics row ('Moyenne de la classe'), or None.

        The label may stand in any column before the grades; a row that has
        an id of its own is a student ('Max' is a first name), unless the
        label is that id."""
        if student_id and is_summary_label(student_id):
            return student_id
        if id_index is not None and student_id:
            return None
        for i in label_cols:
            cell = row[i]
            if type(cell) is str and is_summary_label(cell):
                return cell.strip()
        return None

    def _check_extra(self, cols: _Columns, extra_cells: dict[int, list[str]], place: _Place, line: int,
                     problems: list[Diagnostic]) -> None:
        """A carried column that holds grades must not hide a unit: an error
        while a unit has no column, a note otherwise."""
        present = {code for _, code in cols.units}
        missing = [u.code for u in self.curriculum.units
                   if u.code not in present and not (u.parts and all(p.code in present for p in u.parts))]
        labels = dict(cols.extra)
        for i, cells in extra_cells.items():
            if fold_header(labels[i]) in self.mapped or not self._looks_like_grades(cells):
                continue
            if missing:
                problems.append(place.at(line, i + 1, t(
                    "sheet.unmapped_grades", header=labels[i], missing=", ".join(missing),
                    fix=_column_option(labels[i], missing[0]), skip=_column_option(labels[i], "-"))))
            else:
                note(place.at(line, i + 1, t("note.carried_grades", header=labels[i])))

    def _looks_like_grades(self, cells: list[str]) -> bool:
        filled = graded = readable = 0
        for cell in cells:
            if not cell.strip():
                continue
            filled += 1
            parsed = self.parse_cell(cell)
            if isinstance(parsed, Cell):
                readable += 1
                graded += parsed.mark is Mark.GRADE
        return looks_like_grades(filled, readable, graded)


    def _check_parts(
        self, cells: dict[str, Cell], unit_cols: list[tuple[int, str]], place: _Place, line: int,
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
                problems.append(place.at(line, index + 1, t(
                    "sheet.unit_and_parts", unit=unit.code, parts=", ".join(given))))
                ok = False
        return ok


def read_sheet(path: str, curriculum: Curriculum, options: SheetOptions | None = None) -> Sheet:
    """Read a grade sheet, a workbook or a CSV file, recognised by its content."""
    from .filekind import WORKBOOK_EXTENSIONS, WORKBOOK_KINDS, identify, refuse_kind

    options = options or SheetOptions()
    data, name = read_bytes(path)
    if not data.strip():
        raise InputError([Diagnostic(name, 1, 1, t("sheet.empty"))])
    kind = identify(data)
    if kind == "text" and name.lower().endswith(WORKBOOK_EXTENSIONS):
        kind = "corrupt"  # a workbook's name on a text file: a damaged or mislabelled file
    reader = SheetReader(curriculum, options.columns)
    if kind in WORKBOOK_KINDS:
        sheet = _read_workbook(data, name, kind, reader, options.sheet)
    elif kind != "text":
        raise refuse_kind(kind, name)
    else:
        if options.sheet is not None:
            note(Diagnostic(name, 0, None, t("note.sheet_ignored")))
        text, used = decode(data, name, options.encoding)
        sheet = reader.read(text, name, options.delimiter, used)
    for header, target in options.columns:
        if fold_header(header) not in reader.mapped:
            note(Diagnostic(name, 0, None, t("note.column_unused", header=header, target=target), sheet.sheet))
    return sheet


def _read_workbook(data: bytes, name: str, kind: str, reader: SheetReader, wanted: str | None) -> Sheet:
    from .workbook import open_workbook

    book = open_workbook(data, name, kind)
    if not book.names:
        raise NdrcError(t("book.empty", path=name))
    if wanted is not None:
        chosen = pick_sheet(book.names, wanted, name)
        return reader.read_grid(book.grid(chosen).rows, name, chosen)
    # The sheet that holds grades: a header (someone to grade, a unit) in its
    # first rows; visible sheets first.
    order = [s for s in book.names if s not in book.hidden] + [s for s in book.names if s in book.hidden]
    holding = []
    grids = {}
    for sheet_name in order:
        grid = book.grid(sheet_name)
        grids[sheet_name] = grid
        head = itertools.islice((row for row in grid.rows if any(_filled(c) for c in row)), HEADER_SEARCH)
        if any(reader._probe(row) for row in head):
            holding.append(sheet_name)
    if not holding:
        if all(not any(_filled(c) for row in g.rows for c in row) for g in grids.values()):
            raise NdrcError(t("book.empty", path=name))
        if len(book.names) == 1:
            return reader.read_grid(grids[book.names[0]].rows, name, book.names[0])
        raise NdrcError(t("book.no_grade_sheet", path=name, sheets=", ".join(repr(s) for s in book.names)))
    chosen = holding[0]
    if len(book.names) > 1:
        others = [s for s in holding[1:]]
        key = "note.sheet_chosen_among" if others else "note.sheet_chosen"
        note(Diagnostic(name, 0, None, t(key, sheet=chosen, others=", ".join(repr(s) for s in others)), chosen))
    return reader.read_grid(grids[chosen].rows, name, chosen)


def pick_sheet(names: list[str], wanted: str, path: str) -> str:
    """`--sheet NAME|NUMBER`: the exact name, else the name ignoring case and
    accents, else the 1-based position."""
    if wanted in names:
        return wanted
    folded = [n for n in names if fold(n) == fold(wanted)]
    if len(folded) == 1:
        return folded[0]
    if wanted.strip().isdigit() and wanted.strip().isascii() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    raise UsageError(t("book.no_such_sheet", path=path, sheet=wanted,
                      sheets=", ".join(labelled(i, quoted(n)) for i, n in enumerate(names, 1))))
