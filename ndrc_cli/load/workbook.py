"""Spreadsheet files -> rows of cell texts, for the sheet reader that reads CSV.

Workbooks (.xlsx, .xlsm, .xls, .ods: filekind.py tells them by their bytes)
are read with python-calamine (Rust, no dependencies; imported only here,
~1 ms), which gives each cell's saved value — formula cells included.

Cells become the text a CSV would hold, exactly: a number cell holding the
binary double nearest 12.3 becomes "12.3", the shortest decimal that reads
back as the same double, never the double's long expansion. Cells that are
no grade whatever they look like — dates, booleans, formula errors — become
`OddCell`s, which the sheet reader refuses in a grade column. calamine reads
an error cell as an empty string (indistinguishable from a blank cell, which
means "not graded yet"), so error cells are found in the file itself: the
sheet's XML in .xlsx/.ods, its BIFF records in .xls. Booleans are found
the same way, so that a streamed cohort can take calamine's values as they
come (True == 1.0 in Python: a checkbox must never be the grade 1).
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from typing import TYPE_CHECKING, Any, NamedTuple

from ..core.errors import NdrcError
from ..i18n import quoted, t

if TYPE_CHECKING:
    from .guard import Chooser


class OddCell(str):
    """A workbook cell that is not text or a number: its text, and the message
    key that explains why it cannot be a grade."""

    key: str

    def __new__(cls, text: str, key: str) -> OddCell:
        cell = super().__new__(cls, text)
        cell.key = key
        return cell


class Grid(NamedTuple):
    """One worksheet's cells as text; rows[0] is the sheet's row 1, column A first."""

    sheet: str
    rows: list[list[str]]
    #: 1-based rows and 0-based columns the sheet hides (for messages)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    #: merged ranges, 0-based (first row, first column, last row, last column)
    merged: tuple[tuple[int, int, int, int], ...] = ()


#: What reading a damaged file's own bytes raises (a zip member that does not
#: inflate, a record cut short): each becomes "damaged workbook", never a traceback.
DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, zlib.error, struct.error,
           SyntaxError,  # xml.etree.ElementTree.ParseError: what expat refuses (entities, broken XML)
           NotImplementedError, RuntimeError)  # a zip method or an encryption zipfile does not read

#: Workbooks up to this size are scanned whole before any parser sees them;
#: a larger one (a cohort's) while the parser's child parses its first sheet,
#: the child's limits standing behind the scan.
SCAN_FIRST = 2 << 20

#: A sheet's hidden rows (1-based), hidden columns (0-based) and merged ranges
#: (0-based: first row, first column, last row, last column).
Layout = tuple[frozenset[int], frozenset[int], tuple[tuple[int, int, int, int], ...]]


# -- reading -----------------------------------------------------------------


class Workbook:
    """An open workbook: its sheet names, and each sheet as a Grid on demand."""

    def __init__(self, data: bytes, name: str, kind: str, first: Chooser | None = None) -> None:
        from .bounds import check, scan
        from .guard import first_visible, open_reader

        self.name = name
        self.kind = kind
        self._data = data
        #: zip member -> which of the reader's needles it holds (found while bounding it)
        self._holds: Known = None

        def bound() -> None:
            self._holds = scan(data, name, kind, _ODS_NEEDLES if kind == "ods" else _XLSX_NEEDLES)

        check(data, name, kind)  # what the container declares: at once
        if len(data) <= SCAN_FIRST:
            bound()  # a class's workbook, or a few-KB hostile one: whole, before any parser
            self._reader = open_reader(data, name, first=first or first_visible)
        else:  # a cohort's: while the parser's child (under its limits) parses the first sheet
            self._reader = open_reader(data, name, bound, first or first_visible)
        self.names: list[str] = list(self._reader.names)
        self.hidden: set[str] = set(self._reader.hidden)
        self._errors: dict[str, dict[tuple[int, int], str]] | None = None
        #: sheets that may hold boolean cells (True == 1.0: see `rows`)
        self._booleans: set[str] = set()
        #: .xlsx: what each sheet's XML holds among `_XLSX_NEEDLES`
        self._marks: dict[str, set[bytes]] = {}
        self._layouts: dict[str, Layout] = {}

    def grid(self, sheet: str) -> Grid:
        rows, columns, merged = self.layout(sheet)
        return Grid(sheet, list(self.rows(sheet)), rows, columns, merged)

    def hidden_cells(self, sheet: str) -> tuple[frozenset[int], frozenset[int]]:
        """The sheet's hidden rows (1-based) and columns (0-based)."""
        rows, columns, _ = self.layout(sheet)
        return rows, columns

    def merged_cells(self, sheet: str) -> tuple[tuple[int, int, int, int], ...]:
        """The sheet's merged ranges: calamine gives a merged range's value in
        its first cell only, and the others read blank."""
        return self.layout(sheet)[2]

    def layout(self, sheet: str) -> Layout:
        """Hidden rows (1-based), hidden columns (0-based) and merged ranges
        (0-based: first row, first column, last row, last column), read from
        the file itself (calamine does not give them)."""
        found = self._layouts.get(sheet)
        if found is not None:
            return found
        try:
            if self.kind == "xlsx":
                self.error_cells()
                marks = self._marks.get(sheet, set())
                rows, columns = _xlsx_hidden(self._data, sheet, bool(marks & {b'hidden="1"', b'hidden="true"'}))
                found = rows, columns, _xlsx_merged(self._data, sheet) if b"mergeCell " in marks else ()
            elif self.kind == "ods":
                found = _ods_layout(self._data, sheet, self._holds)
            else:
                from .xlserrors import xls_layout

                found = xls_layout(self._data, sheet)
        except DAMAGED as exc:
            raise NdrcError(t("book.corrupt", path=self.name, reason=quoted(_reason(exc)))) from None
        self._layouts[sheet] = found
        return found

    def rows(self, sheet: str, raw: bool = False) -> Iterator[list[Any]]:
        """The sheet's rows as cell texts, from row 1 and column A, one at a time
        (a cohort's workbook is never held as Python objects all at once).

        With `raw`, numbers and dates stay values (`cell_text` makes their text
        when needed) but booleans are texts: True == 1.0, and a grade looked
        up by value must never be a checkbox."""
        # iter_rows starts at row 1 but at the first used column: pad it back to A.
        start, rows = self._reader.sheet(sheet)
        left = [""] * start
        errors = self.error_cells().get(sheet, {})
        if raw and not left and not errors and sheet not in self._booleans:
            return rows  # a cohort's sheet, as calamine gives it: nothing to add or pad
        return self._checked_rows(rows, left, errors, raw)

    def close(self) -> None:
        """Stop the parser's child process (also done when the workbook is collected)."""
        close = getattr(self._reader, "close", None)
        if close is not None:
            close()

    @staticmethod
    def _checked_rows(rows: Iterator[list[Any]], left: list[str], errors: dict[tuple[int, int], str],
                      raw: bool) -> Iterator[list[Any]]:
        by_row: dict[int, list[tuple[int, str]]] = {}
        for (r, c), text in errors.items():
            by_row.setdefault(r, []).append((c, text))
        for index, values in enumerate(rows):
            row: list[Any] = _row_texts(values) if not raw or bool in map(type, values) else values
            if left:
                row = left + row
            for c, text in by_row.get(index, ()):
                if c >= len(row):
                    row.extend([""] * (c + 1 - len(row)))
                row[c] = OddCell(text, "sheet.cell_error")
            yield row

    def error_cells(self) -> dict[str, dict[tuple[int, int], str]]:
        """Sheet name -> {(row, column) 0-based: error text} for every error cell
        (and, on the way, which sheets may hold booleans)."""
        if self._errors is None:
            try:
                if self.kind == "xlsx":
                    self._errors, self._booleans, self._marks = _xlsx_errors(self._data, self._holds)
                elif self.kind == "ods":
                    self._errors, self._booleans = _ods_errors(self._data, self.names, self._holds)
                else:
                    from .xlserrors import xls_errors

                    self._errors = xls_errors(self._data, self.names)
                    self._booleans = set(self.names)  # not looked for in BIFF: every row is checked
            except TooManyErrors:
                from .bounds import Unreadable

                raise Unreadable(t("book.oversized", path=self.name,
                                  limit=t("bound.errors", cells=MAX_ERROR_CELLS))) from None
            except DAMAGED as exc:
                raise NdrcError(t("book.corrupt", path=self.name, reason=quoted(_reason(exc)))) from None
        return self._errors


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class TooManyErrors(ValueError):
    """More error cells than any grade sheet holds (repeated cells of an .ods)."""


#: Error cells of a workbook beyond which it is refused as oversized (never
#: some of them read as blank cells).
MAX_ERROR_CELLS = 100_000
#: Elements nested deeper than any spreadsheet's XML.
MAX_DEPTH = 256


_FLOAT_TEXT: dict[float, str] = {}


def number_text(value: float) -> str:
    """A number cell as the spreadsheet shows and keeps it: rounded to 15
    significant digits, as Excel and LibreOffice do (a formula's 10 saved as
    9.999999999999998 -> '10'; 9.924999999999999 -> '9.925'; the double
    nearest 12.3 -> '12.3'; 12.0 -> '12')."""
    text = _FLOAT_TEXT.get(value)
    if text is None:
        if value.is_integer() and abs(value) < 1e15:
            text = str(int(value))
        else:
            text = format(value, ".15g")
            if "e" in text or "E" in text:
                text = format(Decimal(text), "f")
            if text in ("-0", "0"):
                text = "0"
        if len(_FLOAT_TEXT) < 10_000:
            _FLOAT_TEXT[value] = text
    return text


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold (an OddCell for what is no grade)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is float:
        return number_text(value)
    if kind is bool:
        return OddCell("TRUE" if value else "FALSE", "sheet.cell_boolean")
    if kind is int:
        return str(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return OddCell(str(value), "sheet.cell_date")
    return str(value)


def _row_texts(row: list[Any], _known: Any = _FLOAT_TEXT.get) -> list[str]:
    # The hot loop of a cohort's workbook: text as is, known numbers looked up.
    return [v if type(v) is str else (_known(v) or cell_text(v)) if type(v) is float else cell_text(v)
            for v in row]


# -- error cells, from the file itself -----------------------------------------

_XLSX_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_XLSX_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="e"[^>]*>(.*?)</(?:\w+:)?c>', re.S)
_XLSX_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: unescape(v.decode("utf-8")) for k, v in _ATTR.findall(tag)}


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _xlsx_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its zip member, from the workbook's relationships."""
    rels = book.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        a = _attrs(tag)
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get("Id", "")] = target
    parts = {}
    members = set(book.namelist())
    for tag in _XLSX_SHEET.findall(book.read("xl/workbook.xml")):
        a = _attrs(tag)
        part = targets.get(a.get("id", ""))
        if part is not None and part in members:
            parts[a.get("name", "")] = part
    return parts


_XLSX_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_XLSX_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*\bhidden="(?:1|true)"[^>]*>')
_XLSX_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')


def _xlsx_hidden(data: bytes, sheet: str, rows_hidden: bool) -> tuple[frozenset[int], frozenset[int]]:
    book = zipfile.ZipFile(io.BytesIO(data))
    part = _xlsx_parts(book).get(sheet)
    if part is None:
        return frozenset(), frozenset()
    columns: set[int] = set()
    head = b""
    with book.open(part) as f:  # <cols> comes before <sheetData>: read no further
        while len(head) < 1 << 22 and (chunk := f.read(1 << 16)):
            head += chunk
            if b"sheetData" in head:
                break
    for tag in _XLSX_COL.findall(head.split(b"sheetData", 1)[0]):
        a = _attrs(tag)
        if a.get("hidden") in ("1", "true") and a.get("min", "").isdigit() and a.get("max", "").isdigit():
            low, high = int(a["min"]), min(int(a["max"]), 16384)
            if high - low < 1024:  # a whole hidden block to the right of the sheet says nothing
                columns.update(range(low - 1, high))
    rows: set[int] = set()
    if rows_hidden:
        xml = book.read(part)
        for match in _XLSX_HIDDEN_ROW.finditer(xml):
            number = _XLSX_ROW_NUMBER.search(match.group(0))
            if number is not None:
                rows.add(int(number.group(1)))
                if len(rows) > 10_000:
                    break
    return frozenset(rows), frozenset(columns)


_XLSX_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')
#: More merged ranges than any grade sheet has: the rest are not looked at.
_MAX_MERGED = 10_000


def _xlsx_merged(data: bytes, sheet: str) -> tuple[tuple[int, int, int, int], ...]:
    book = zipfile.ZipFile(io.BytesIO(data))
    part = _xlsx_parts(book).get(sheet)
    if part is None:
        return ()
    ranges = []
    for match in itertools.islice(_XLSX_MERGE.finditer(book.read(part)), _MAX_MERGED):
        c1, r1, c2, r2 = match.groups()
        ranges.append((int(r1) - 1, _column_index(c1), int(r2) - 1, _column_index(c2)))
    return tuple(ranges)


def _ods_layout(data: bytes, sheet: str, known: Known = None) -> Layout:
    """An .ods sheet's hidden rows and columns (`table:visibility`) and its
    merged ranges (`number-columns-spanned`, `number-rows-spanned`)."""
    book = zipfile.ZipFile(io.BytesIO(data))
    if not _holds(book, "content.xml", (b"-spanned=", b'visibility="'), known):
        return frozenset(), frozenset(), ()
    from xml.etree.ElementTree import iterparse

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    cell_tags = (f"{table}table-cell", f"{table}covered-table-cell")
    ranges: list[tuple[int, int, int, int]] = []
    hidden_rows: set[int] = set()
    hidden_columns: set[int] = set()
    current = ""
    row = col = column = 0
    row_repeat = 1
    depth = 0
    with book.open("content.xml") as f:
        for event, element in iterparse(f, events=("start", "end")):
            tag = element.tag
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ValueError("elements nested too deep")
                if tag == f"{table}table":
                    current, row, column = element.get(f"{table}name", ""), 0, 0
                elif tag == f"{table}table-row":
                    col = 0
                    row_repeat = min(int(element.get(f"{table}number-rows-repeated", "1")), 1 << 20)
                    if current == sheet and element.get(f"{table}visibility", "visible") != "visible":
                        hidden_rows.update(range(row + 1, row + 1 + min(row_repeat, 10_000)))
                elif tag == f"{table}table-column":
                    repeat = min(int(element.get(f"{table}number-columns-repeated", "1")), 1 << 14)
                    hidden = element.get(f"{table}visibility", "visible") != "visible"
                    if current == sheet and hidden and repeat < 1024:
                        hidden_columns.update(range(column, column + repeat))
                    column += repeat
                continue
            depth -= 1
            if tag in cell_tags:
                repeat = min(int(element.get(f"{table}number-columns-repeated", "1")), 1 << 14)
                across = int(element.get(f"{table}number-columns-spanned", "1"))
                down = int(element.get(f"{table}number-rows-spanned", "1"))
                if current == sheet and (across > 1 or down > 1) and len(ranges) < _MAX_MERGED:
                    ranges.append((row, col, row + down - 1, col + across - 1))
                col += repeat
                element.clear()
            elif tag == f"{table}table-row":
                row += row_repeat
                element.clear()
    return frozenset(hidden_rows), frozenset(hidden_columns), tuple(ranges)


#: What one pass over each sheet's XML looks for: error and boolean cells,
#: hidden rows, merged ranges (the rest of the reading asks only where found).
_XLSX_NEEDLES = (b't="e"', b't="b"', b'hidden="1"', b'hidden="true"', b"mergeCell ")
#: The same for an .ods's content.xml.
_ODS_NEEDLES = (b'value-type="error"', b'value-type="boolean"', b"-spanned=", b'visibility="')
#: Zip member -> the needles it holds, when the bounds' pass found them.
Known = dict[str, set[bytes]] | None

def _xlsx_errors(data: bytes, known: Known = None
                 ) -> tuple[dict[str, dict[tuple[int, int], str]], set[str], dict[str, set[bytes]]]:
    book = zipfile.ZipFile(io.BytesIO(data))
    found: dict[str, dict[tuple[int, int], str]] = {}
    booleans: set[str] = set()
    marks: dict[str, set[bytes]] = {}
    for sheet, part in _xlsx_parts(book).items():
        holds = marks[sheet] = _holds(book, part, _XLSX_NEEDLES, known)
        if b't="b"' in holds:
            booleans.add(sheet)
        if b't="e"' not in holds:
            continue
        xml = book.read(part)
        cells: dict[tuple[int, int], str] = {}
        for match in _XLSX_ERROR_CELL.finditer(xml):
            head = xml[match.start(): xml.index(b">", match.start())]
            ref = _XLSX_REF.search(head)
            if ref is None:
                raise ValueError("an error cell without its reference")
            value = _XLSX_VALUE.search(match.group(1))
            text = unescape(value.group(1).decode("utf-8")) if value else "#ERROR"
            cells[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = text
        found[sheet] = cells
    return found, booleans, marks


def _holds(book: zipfile.ZipFile, part: str, needles: tuple[bytes, ...], known: Known = None) -> set[bytes]:
    """Which of `needles` a zip member holds, read in chunks: a cohort's sheet
    is tens of MB of XML, and almost never holds an error cell. (`known`: what
    bounds.check found while inflating every member, needles included.)"""
    if known is not None and part in known:
        return known[part] & set(needles)
    found: set[bytes] = set()
    longest = max(len(n) for n in needles)
    tail = b""
    with book.open(part) as f:
        while chunk := f.read(1 << 20):
            window = tail + chunk
            found.update(n for n in needles if n in window)
            if len(found) == len(needles):
                break
            tail = chunk[-longest:]
    return found


def _ods_errors(data: bytes, names: list[str], known: Known = None
                ) -> tuple[dict[str, dict[tuple[int, int], str]], set[str]]:
    book = zipfile.ZipFile(io.BytesIO(data))
    holds = _holds(book, "content.xml", (b'value-type="error"', b'value-type="boolean"'), known)
    # One content.xml holds every sheet: a boolean anywhere, and every sheet is checked.
    booleans = set(names) if b'value-type="boolean"' in holds else set()
    if b'value-type="error"' not in holds:
        return {}, booleans
    xml = book.read("content.xml")
    from xml.etree.ElementTree import iterparse

    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    calc_ns = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    found: dict[str, dict[tuple[int, int], str]] = {}
    sheet = ""
    row = col = 0
    row_repeat = 1
    depth = count = 0
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH:
                raise ValueError("elements nested too deep")
            if tag == f"{{{table_ns}}}table":
                sheet, row = element.get(f"{{{table_ns}}}name", ""), 0
            elif tag == f"{{{table_ns}}}table-row":
                col = 0
                row_repeat = min(int(element.get(f"{{{table_ns}}}number-rows-repeated", "1")), 1 << 20)
            continue
        depth -= 1
        if tag in (f"{{{table_ns}}}table-cell", f"{{{table_ns}}}covered-table-cell"):
            repeat = min(int(element.get(f"{{{table_ns}}}number-columns-repeated", "1")), 1 << 14)
            if element.get(f"{{{calc_ns}}}value-type") == "error":
                text = "".join(p.text or "" for p in element.iter(f"{{{text_ns}}}p")) or "#ERROR"
                count += row_repeat * repeat
                if count > MAX_ERROR_CELLS:  # counted before a cell is made
                    raise TooManyErrors
                for r in range(row, row + row_repeat):
                    for c in range(col, col + repeat):
                        found.setdefault(sheet, {})[(r, c)] = text
            col += repeat
            element.clear()
        elif tag == f"{{{table_ns}}}table-row":
            row += row_repeat
            element.clear()
    return found, booleans


def open_workbook(data: bytes, name: str, kind: str, first: Chooser | None = None) -> Workbook:
    """The workbook, bounded and opened; `first` guesses the sheet that will
    be asked for first (by default the first visible one)."""
    return Workbook(data, name, kind, first)
