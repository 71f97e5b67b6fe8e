"""Grade sheet files -> Students: the reader's pipeline, end to end.

Reads what teachers have without being told: Excel and LibreOffice
workbooks (.xlsx, .xlsm, .xls, .ods, recognised by their content), and CSV
with `;`, `,` or tab, decimal commas, UTF-8 with or without BOM, cp1252,
UTF-16 with BOM, CRLF. Three steps, one module each, the same for every
kind of file:

1. cells (`cells.py`, `workbook.py`): bytes -> rows of cell texts -> cell
   values (grades, markers, or the reason a cell is neither);
2. layout (`header.py` for columns, `rows.py` for rows): the header found
   under title lines, what each column is, what each row is and why;
3. students (`students.py`): the student rows -> records, every problem
   collected with its position (`file:line:column` in a text file, column =
   the field number, A=1; `file:Sheet!E7` in a workbook).

This module chooses the workbook's grade sheet and runs the steps. Choices
the reader made (the sheet, the header row, skipped rows) are notes, printed
on stderr.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

from ..core.errors import Diagnostic, InputError, NdrcError, UsageError, note
from ..core.folding import fold, fold_header
from ..core.model import Curriculum
from ..i18n import labelled, quoted, t
from .cells import HEADER_SEARCH, Place, decode, filled, read_bytes, sniff_delimiter, text_rows
from .header import column_option, shell_option
from .students import Sheet, SheetReader

__all__ = ["Sheet", "SheetOptions", "SheetReader", "column_option", "pick_sheet", "read_sheet", "read_text"]


class SheetOptions(NamedTuple):
    """How to read the sheets of one run (the command line's reading options)."""

    delimiter: str | None = None
    encoding: str | None = None
    #: the worksheet of a workbook: a name, or a 1-based number as text
    sheet: str | None = None
    #: `--column HEADER=UNIT`: (header as written, unit code, `id`, `name` or `-`)
    columns: tuple[tuple[str, str], ...] = ()


def read_text(reader: SheetReader, text: str, name: str, delimiter: str | None = None, encoding: str = "") -> Sheet:
    """A text sheet (CSV) already decoded."""
    if not text.strip():
        raise InputError([Diagnostic(name, 1, 1, t("sheet.empty"))])
    delimiter = delimiter or sniff_delimiter(text)
    place = Place(name)
    broken: list[Diagnostic] = []
    try:
        sheet = reader.read_rows(text_rows(text, delimiter, place, broken), place)
    except InputError as exc:
        raise InputError([*exc.diagnostics, *broken]) from None
    if broken:
        raise InputError(broken)
    return sheet._replace(delimiter=delimiter, encoding=encoding)


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
        sheet = read_text(reader, text, name, options.delimiter, used)
    for header, target in options.columns:
        if fold_header(header) not in reader.mapped:
            note(Diagnostic(name, 0, None, t("note.column_unused", header=header, target=target), sheet.sheet))
    return sheet


def _read_workbook(data: bytes, name: str, kind: str, reader: SheetReader, wanted: str | None) -> Sheet:
    from .workbook import Grid, open_workbook

    book = open_workbook(data, name, kind, None if wanted is None else lambda names, _: pick_sheet(names, wanted, name))
    if not book.names:
        raise NdrcError(t("book.empty", path=name))

    def read(grid: Grid) -> Sheet:
        place = Place(name, grid.sheet, grid.hidden_rows, grid.hidden_columns, grid.merged)
        return reader.read_rows(((i + 1, row) for i, row in enumerate(grid.rows)), place)

    if wanted is not None:
        return read(book.grid(pick_sheet(book.names, wanted, name)))
    # The grade sheet: the one whose header names the most mandatory units;
    # ties: the one with the most rows (an instructions sheet with one example
    # row loses to the class), then the first, visible sheets before hidden.
    order = [s for s in book.names if s not in book.hidden] + [s for s in book.names if s in book.hidden]
    found: dict[str, int] = {}
    rows_of: dict[str, int] = {}
    grids = {}
    for sheet_name in order:
        grid = book.grid(sheet_name)
        grids[sheet_name] = grid
        head = itertools.islice((row for row in grid.rows if any(filled(c) for c in row)), HEADER_SEARCH)
        best = max((reader.mandatory_found(row) if reader.probe(row) else -1 for row in head), default=-1)
        if best >= 0:
            found[sheet_name] = best
            rows_of[sheet_name] = sum(1 for row in grid.rows if any(filled(c) for c in row))
    if not found:
        if all(not any(filled(c) for row in g.rows for c in row) for g in grids.values()):
            raise NdrcError(t("book.empty", path=name))
        if len(book.names) == 1:
            return read(grids[book.names[0]])
        raise NdrcError(t("book.no_grade_sheet", path=name, sheets=", ".join(quoted(s) for s in book.names)))
    top = max((found[s], rows_of[s]) for s in found)
    chosen = next(s for s in order if s in found and (found[s], rows_of[s]) == top)
    others = [s for s in order if s in found and s != chosen]
    total = len(reader.mandatory)
    if len(book.names) > 1:
        why = ", ".join(t("book.units_found", sheet=quoted(s), count=found[s], total=total)
                        for s in [chosen, *others])
        note(Diagnostic(name, 0, None, t("note.sheet_chosen", sheet=chosen, why=why), chosen))
    try:
        return read(grids[chosen])
    except InputError as exc:
        if not others:
            raise
        hint = t("book.other_sheets", path=name, sheets=", ".join(
            f"{quoted(s)} ({shell_option('--sheet', s)})" for s in others))
        raise InputError(exc.diagnostics, [*exc.hints, hint]) from None


def pick_sheet(names: list[str], wanted: str, path: str) -> str:
    """`--sheet NAME|NUMBER`: the exact name, else the name ignoring case and
    accents, else the 1-based position."""
    if wanted in names:
        return wanted
    folded = [n for n in names if fold(n) == fold(wanted)]
    if len(folded) == 1:
        return folded[0]
    number = wanted.strip()
    if number.isdigit() and number.isascii() and len(number) <= 6 and 1 <= int(number) <= len(names):
        return names[int(wanted) - 1]
    raise UsageError(t("book.no_such_sheet", path=path, sheet=wanted,
                      sheets=", ".join(labelled(i, quoted(n)) for i, n in enumerate(names, 1))))
