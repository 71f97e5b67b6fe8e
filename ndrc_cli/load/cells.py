"""The first step of reading a sheet: bytes -> rows of cells -> cell values.

A text file becomes rows of cell texts here (its encoding and delimiter
found from its bytes); a workbook's rows come from `workbook.py` as the same
texts. Then one `CellParser` turns a cell's text into what it means for a
grade column: a grade in exact hundredths, a marker (ABS, DISP…), blank, or
a `BadCell` with the message that says why it is none of these.

Positions: a `Place` says where rows come from (a text file's lines, or a
workbook sheet's rows) and makes every diagnostic's position.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import NamedTuple

from ..core.errors import Diagnostic, InputError, NdrcError, UsageError, column_letters
from ..core.folding import fold
from ..core.model import HUNDRED, Cell, Curriculum, Mark
from ..core.numbers import Exact, parse_decimal
from ..i18n import os_reason, quoted, t, tn

STDIN = "-"
STDIN_NAME = "<stdin>"
_DELIMITERS = (";", "\t", ",")
#: The header is looked for among this many first non-blank rows.
HEADER_SEARCH = 10
# `12/20`, `12,5 / 20`: a grade over a scale; only /20 is accepted.
_OVER = re.compile(r"^(.*?)\s*/\s*(\d+(?:[.,]\d+)?)$")
#: A sheet read whole is at most this big (a cohort of a million rows is ~50 MB,
#: and `grade -f csv` streams it anyway); more is refused, never read on.
MAX_SHEET = 256 << 20


class Place:
    """Where rows come from, to build positions: a text file's lines or a
    workbook sheet's rows (then `sheet` is set and positions are cells)."""

    def __init__(self, name: str, sheet: str | None = None, hidden_rows: frozenset[int] = frozenset(),
                 hidden_columns: frozenset[int] = frozenset(),
                 merged: tuple[tuple[int, int, int, int], ...] = ()) -> None:
        self.name = name
        self.sheet = sheet
        #: 1-based rows and 0-based columns the workbook hides
        self.hidden_rows = hidden_rows
        self.hidden_columns = hidden_columns
        #: merged ranges, 0-based (first row, first column, last row, last column)
        self.merged = merged

    def at(self, line: int, column: int | None, message: str) -> Diagnostic:
        return Diagnostic(self.name, line, column, message, self.sheet)

    def row_word(self, line: int, on: bool = False) -> str:
        """'line 5' in a text file, 'row 5' in a workbook ('on line 5' with `on`);
        'row 5 (hidden)' for a row the workbook hides."""
        kind = "row" if self.sheet is not None else "line"
        text = t(f"pos.on_{kind}" if on else f"pos.{kind}", n=line)
        return t("pos.hidden", place=text) if line in self.hidden_rows else text

    def rows_word(self, lines: list[int], at: bool = False) -> str:
        """'rows 5, 7 and 9' (hidden rows said so); `at`: as after 'also'
        ('aux lignes 5, 7 et 9' in French)."""
        kind = "row" if self.sheet is not None else "line"
        key = f"pos.at_{kind}s" if at else f"pos.{kind}s"
        shown = [t("pos.hidden", place=str(n)) if n in self.hidden_rows else str(n) for n in lines[:ROWS_LISTED]]
        if len(lines) > ROWS_LISTED:  # a problem on a million rows is said in one line of a screen
            return tn(key, len(lines), items=", ".join(shown) + " " + tn("list.more", len(lines) - ROWS_LISTED))
        return tn_list(key, shown)

    def column_word(self, index: int, header: str) -> str:
        """A column as a message names it: its header, its letter in a workbook
        (or its number in a text file), and 'hidden' when it is."""
        where = column_letters(index + 1) if self.sheet is not None else str(index + 1)
        text = t("pos.column", header=quoted(header), where=where)
        return t("pos.hidden", place=text) if index in self.hidden_columns else text


#: Rows a message names; the rest are counted.
ROWS_LISTED = 50


def tn_list(key: str, items: list[str]) -> str:
    """A plural-aware list: 'row 5' / 'rows 5, 7 and 9'."""
    if len(items) > 1:
        joined = t("list.and", head=", ".join(items[:-1]), last=items[-1])
    else:
        joined = items[0] if items else ""
    return tn(key, len(items), items=joined)


def read_bytes(path: str) -> tuple[bytes, str]:
    """The file's bytes and the name to show in messages.

    Reading stops at MAX_SHEET, and at once for a file whose first bytes say
    it is no sheet (`/dev/zero`, an image, a PDF)."""
    from .filekind import identify, is_compound, refuse_kind

    name = STDIN_NAME if path == STDIN else path
    try:
        with (contextlib.nullcontext(sys.stdin.buffer) if path == STDIN else open(path, "rb")) as f:
            head = f.read(1 << 16)
            kind = identify(head)
            if kind in ("binary", "pdf", "image") and not is_compound(head):
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
    quoted_ = False
    for ch in line:
        if ch == '"':
            quoted_ = not quoted_
        elif not quoted_ and ch in counts:
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


def text_rows(text: str, delimiter: str, place: Place, broken: list[Diagnostic]) -> Iterator[tuple[int, list[str]]]:
    """A text sheet's rows with the line each starts on. A CSV error ends
    the rows: it is appended to `broken`, to be reported with the others."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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


def fit_row(row: list[str], width: int) -> list[str] | None:
    """The row at the header's width: [] for a blank row (skipped), None for a
    ragged one. Spreadsheets pad rows with trailing empty cells: those go."""
    first = row[0] if row else ""
    if len(row) == width and (type(first) is not str or first.strip()):
        return row  # the usual row: its first cell (the id) is filled
    if not any(filled(cell) for cell in row):
        return []
    if len(row) == width:
        return row
    if len(row) > width and not any(filled(cell) for cell in row[width:]):
        return row[:width]
    return None


def filled(cell: object) -> bool:
    """A text cell is filled when it has more than spaces; a workbook's
    number or date always is."""
    return bool(cell.strip()) if type(cell) is str else True


class BadCell(NamedTuple):
    """A cell that is neither a grade 0–20 nor a marker: the message to show."""

    key: str
    values: dict[str, object]


def looks_like_grades(filled_: int, readable: int, graded: int) -> bool:
    """Whether a column's non-empty cells are mostly grades or markers (at
    least two thirds), with at least one grade."""
    return graded >= 1 and 3 * readable >= 2 * filled_


def _marker_lookup(curriculum: Curriculum) -> dict[str, Mark]:
    lookup = {"": Mark.MISSING}
    for mark, spellings in curriculum.markers:
        for spelling in spellings:
            lookup[fold(spelling)] = mark
    for spelling in curriculum.renounce:  # "not graded yet, and no kept grade"
        lookup[fold(spelling)] = Mark.MISSING
    return lookup


def number_of(raw: str) -> Exact | None:
    """The number a cell's text holds (`12,5`, `12.5`, `12/20`), or None."""
    text = raw.strip()
    value = parse_decimal(text)
    if value is None and "/" in text:
        over = _OVER.match(text)
        if over is not None and parse_decimal(over.group(2)) == 20 * HUNDRED:
            value = parse_decimal(over.group(1))
    return value


class CellParser:
    """Cell texts -> Cells (a grade, a marker) or BadCells, for one curriculum."""

    def __init__(self, curriculum: Curriculum) -> None:
        self._markers = _marker_lookup(curriculum)
        self.marker_names = ", ".join(
            [s for _, spellings in curriculum.markers for s in spellings] + list(curriculum.renounce))
        self._cells: dict[str, Cell | BadCell] = {}

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
                result = BadCell("sheet.unknown_marker", {"value": text})
        self._remember(raw, result)
        return result

    def _remember(self, raw: str, result: Cell | BadCell) -> None:
        if len(self._cells) < 10_000:
            self._cells[raw] = result
