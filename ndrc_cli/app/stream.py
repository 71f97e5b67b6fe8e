"""`ndrc grade --format csv` for cohorts: one pass, constant memory.

A class fits in memory; a national cohort (100,000 to 1,000,000 rows) should
not have to. This path reads the sheet as a stream through the reader's own
steps — the cells (`load.cells`, `load.workbook`), the header
(`load.header`), the row roles (`load.rows`) — computes each row with the
Grader's own rules — `rules.unit_effect` for each unit (computed once per
distinct cell of a column, then looked up) and `rules.decide` — without
building records, and writes each result row at once. At the first row that
is not plainly a student (a statistics row, a note, a problem) it gives up,
and the caller discards what was written and reruns the ordinary path, which
skips such rows with its note or lists every problem with its position:
they are rare, and their report must be complete.

The CSV dialect (headers, decision words, the neutralising of text cells)
is the renderer's, given as a `CsvDialect`: the output is byte for byte what
`render.csvout.write_csv` writes (a test compares them on many sheets).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TextIO

from ..core.errors import Diagnostic, note
from ..core.model import Cell, Curriculum, Decision, Mark
from ..core.numbers import Exact, Number, format_exact, format_hundredths
from ..core.rules import PRO_MISSING, acquires_bloc, decide, display_marks, left_out, unit_effect
from ..i18n import quoted, t
from ..load.cells import UTF8_ACCENT, Place, fit_row, looks_like_grades, sniff_delimiter
from ..load.header import is_general_average
from ..load.rows import coefficient_label, may_be_label, reads_as_note, scale_label, statistics_label
from ..load.students import SheetReader

_PEEK = 1 << 16


class CsvDialect(NamedTuple):
    """How the CSV renderer writes results, for the streaming path."""

    #: (carried headers, unit codes) -> the header row
    header: Callable[[list[str], list[str]], list[str]]
    #: a text cell from the input, made safe for a spreadsheet
    text: Callable[[str], str]
    #: the code a marker is written as (ABS, DISP…)
    marks: dict[Mark, str]
    decisions: dict[Decision, str]
    #: (hundredths, thresholds, decimal separator, divisor) -> a number cell under the display rule
    number: Callable[[Exact, tuple[Exact, ...], str, Number], str]


class Fallback(Exception):
    """Something the streaming path does not handle; use the ordinary path."""


def _kind(path: str) -> tuple[str, bytes | None]:
    """What the file is, and its bytes when they had to be read whole (a zip
    or OLE file keeps its directory at the end): read once, for the workbook."""
    from ..load.filekind import identify

    with open(path, "rb") as f:
        head = f.read(_PEEK)
        if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            data = head + f.read()
            return identify(data), data
    return identify(head), None


def _encoding(path: str, encoding: str | None) -> str:
    with open(path, "rb") as f:
        head = f.read(_PEEK)
    if encoding:
        return encoding
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        if UTF8_ACCENT.search(head):
            raise Fallback("UTF-8 with a stray byte") from None  # the full path says where
        return "cp1252"
    return "utf-8-sig"


def stream_csv(
    path: str, curriculum: Curriculum, out: TextIO, excel: bool, delimiter: str | None, encoding: str | None,
    dialect: CsvDialect, worksheet: str | None = None,
) -> None:
    """Grade `path` (a CSV file or a workbook) into `out` as CSV, or raise
    Fallback having written nothing that matters (the caller discards `out`)."""
    from ..load.filekind import WORKBOOK_KINDS

    try:
        kind, data = _kind(path)
        if kind in WORKBOOK_KINDS and data is not None:
            _stream_workbook(path, data, kind, curriculum, out, excel, worksheet, dialect)
        elif kind == "text" and worksheet is None:  # (--sheet on a CSV: the full path notes it is ignored)
            _stream(path, curriculum, out, excel, delimiter, _encoding(path, encoding), dialect)
        else:
            raise Fallback("not a sheet")  # the ordinary path names what it is
    except (UnicodeDecodeError, csv.Error, LookupError, IndexError) as exc:
        raise Fallback(str(exc)) from None


def _stream_workbook(path: str, data: bytes, kind: str, curriculum: Curriculum, out: TextIO, excel: bool,
                     worksheet: str | None, dialect: CsvDialect) -> None:
    """A workbook of one sheet (or the --sheet one) whose first row is the header."""
    from ..core.errors import NdrcError
    from ..load.bounds import Unreadable
    from ..load.sheets import pick_sheet
    from ..load.workbook import cell_text, open_workbook

    try:
        book = open_workbook(data, path, kind,
                             None if worksheet is None else lambda names, _: pick_sheet(names, worksheet, path))
        if worksheet is not None:
            chosen = pick_sheet(book.names, worksheet, path)
        elif len(book.names) == 1:
            chosen = book.names[0]
        else:
            raise Fallback("several sheets")  # which one, and the note saying so: the ordinary path
        if book.merged_cells(chosen) or any(book.hidden_cells(chosen)):
            raise Fallback("merged cells, or hidden rows or columns")  # refused or noted: the ordinary path
        rows = book.rows(chosen, raw=True)
        first = next(rows, None)
        if first is None:
            raise Fallback("an empty sheet")
        header = [cell if type(cell) is str else cell_text(cell) for cell in first]
        if not any(cell.strip() for cell in header):
            raise Fallback("no header on the first row")
        _grade_rows(header, rows, curriculum, out, excel, path, dialect, cell_text)
    except Unreadable:
        raise  # hostile or oversized: the ordinary path would only wait for it again
    except NdrcError:
        raise Fallback("unreadable") from None


def _stream(path: str, curriculum: Curriculum, out: TextIO, excel: bool, delimiter: str | None,
            encoding: str, dialect: CsvDialect) -> None:
    with open(path, encoding=encoding, newline="") as source:
        if encoding.lower() in ("utf-8", "utf8"):
            first = source.read(1)
            if first != "\ufeff":
                source.seek(0)
        head = source.readline()
        if not head.strip():
            raise Fallback("empty")
        sep = delimiter or sniff_delimiter(head)
        header = next(csv.reader([head], delimiter=sep))
        _grade_rows(header, csv.reader(source, delimiter=sep), curriculum, out, excel, path, dialect)


def _grade_rows(header: list[str], rows: Iterator[list[Any]], curriculum: Curriculum, out: TextIO, excel: bool,
                path: str, dialect: CsvDialect, as_text: Callable[[Any], str] = str) -> None:
    """Grade each row under `header` and write its result row at once.

    A workbook's rows come as its raw values (text, numbers, dates): `as_text`
    turns one into its cell text, and only for the cells read as text — grade
    cells are looked up by value and converted once per distinct value."""
    rules = curriculum.rules
    shown = display_marks(rules)
    number_cell = dialect.number
    d = "," if excel else "."
    reader = SheetReader(curriculum)
    problems: list[Diagnostic] = []
    place = Place(path)
    cols = reader.read_header(header, place, problems)
    if problems or cols.id is None or not cols.units:
        raise Fallback("header")  # also a title line above the header, or names for ids
    if any(kind == "average" and is_general_average(label) for (i, label) in cols.extra
           if (kind := cols.work.get(i))):
        raise Fallback("the sheet's own average, to compare")
    present = {code for _, code in cols.units}
    if any(p.code in present for u in curriculum.units for p in u.parts):
        raise Fallback("parts")  # E5 in parts: rare, left to the ordinary path

    column = {code: index for index, code in cols.units}
    pro_units = frozenset(rules.professional_units)
    # The optional units under the curriculum's limit: which of them count is
    # the engine's choice (rules.left_out), made per row.
    limit = rules.optional_limit
    limited = frozenset(u.code for u in curriculum.units
                        if limit is not None and not u.mandatory and u.code not in limit.outside)
    marks = dialect.marks
    neutralise = dialect.text
    parse = reader.parse_cell
    memo: dict[int, str] = {}

    def number(value: Any) -> str:
        if type(value) is not int:
            return format_exact(value, d)
        text = memo.get(value)
        if text is None:
            text = memo[value] = format_hundredths(value, d)
        return text

    def entry(unit: Any, raw: str | None) -> tuple[Any, ...]:
        """What one cell adds to a row: (points, divisor, professional points,
        professional divisor, flags, text, bonus, bloc, filled, and for a graded
        optional unit under the limit (code, bonus, grade)). Computed once per
        distinct cell text of a column, then looked up."""
        cell = parse(raw if type(raw) is str else as_text(raw)) if raw is not None else _MISSING
        if type(cell) is not Cell:
            raise Fallback("cell")
        mark = cell.mark
        if mark is Mark.EXEMPT and not unit.dispensable:
            raise Fallback("exempt")
        e = unit_effect(unit, unit.code in pro_units, rules.optional, mark, cell.grade)
        if mark is not Mark.GRADE or e.grade is None:
            text = marks[mark]
        else:
            text = number(e.grade) if type(e.grade) is int else number_cell(e.grade, shown.grade, d, 1)
        bloc = unit.bloc if acquires_bloc(unit, mark, e.grade, rules) else None
        taken = (unit.code, e.bonus, e.grade) if unit.code in limited and e.grade is not None else None
        return (e.points, e.divisor, e.pro_points, e.pro_divisor, e.flags, text, e.bonus, bloc, bool(cell.raw),
                taken)

    # One (cache, column) per unit; a unit without a column is a constant.
    lookups: list[tuple[dict[Any, tuple[Any, ...]], int | None, Any]] = []
    for unit in curriculum.units:
        if unit.code in column:
            lookups.append(({}, column[unit.code], unit))
        else:
            constant = entry(unit, None)
            lookups.append(({None: constant}, None, unit))
    under_limit = [(cache, index) for cache, index, unit in lookups if unit.code in limited]
    width = len(header)
    id_index, last_i, first_i, full_i = cols.id, cols.last, cols.first, cols.full
    extra = [i for i, _ in cols.extra]

    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    writer.writerow(dialect.header([label for _, label in cols.extra], [u.code for u in curriculum.units]))
    write = writer.writerow
    decisions = dialect.decisions
    names = [i for i in (last_i, first_i, full_i) if i is not None]
    # Carried columns are watched: one that holds grades must be reported
    # (a note, or an error if a unit has no column) by the ordinary path.
    watched = [i for i, _ in cols.extra]
    looks: dict[str, tuple[int, int]] = {}
    readable = dict.fromkeys(watched, 0)
    graded = dict.fromkeys(watched, 0)
    filled = dict.fromkeys(watched, 0)
    seen: set[str] = set()
    for row in rows:
        fitted = fit_row(row, width)
        if fitted is None:
            raise Fallback("ragged")
        if not fitted:
            continue
        row = fitted
        raw_id = row[id_index]
        if type(raw_id) is not str:
            raw_id = as_text(raw_id)
        sid = raw_id.strip()
        # A row with an id of its own is a student unless the id is a label
        # (load.rows); a label elsewhere matters only on a row without an id,
        # which the full path reports or skips.
        if not sid or type(raw_id) is not str:
            raise Fallback("empty id")
        if may_be_label(sid) and not (names and all(_text(row[i], as_text).strip() for i in names)) and (
                statistics_label(sid) or coefficient_label(sid) or scale_label(sid)):
            raise Fallback("a statistics, coefficient or scale row")
        for i in watched:
            cell = row[i]
            if type(cell) is not str:
                cell = as_text(cell)
            if cell.strip():
                filled[i] += 1
                like = looks.get(cell)
                if like is None:
                    parsed = parse(cell)
                    ok = isinstance(parsed, Cell)
                    like = looks[cell] = (int(ok), int(isinstance(parsed, Cell) and parsed.mark is Mark.GRADE))
                readable[i] += like[0]
                graded[i] += like[1]
        if sid in seen:
            raise Fallback("duplicate id")
        seen.add(sid)

        points: Any = 0
        divisor: Any = 0
        pro_p: Any = 0
        pro_d: Any = 0
        bonus: Any = 0
        flags = 0
        texts = []
        blocs = []
        marked = False
        for cache, index, unit in lookups:
            raw = row[index] if index is not None else None
            e = cache.get(raw)
            if e is None:
                e = cache[raw] = entry(unit, raw)
            points += e[0]
            divisor += e[1]
            pro_p += e[2]
            pro_d += e[3]
            flags |= e[4]
            texts.append(e[5])
            bonus += e[6]
            if e[7]:
                blocs.append(e[7])
            marked = marked or e[8]
        if under_limit:  # (looked up again, for the few units concerned: no cost without a limit)
            taken = [e[9] for cache, index in under_limit if (e := cache[row[index] if index is not None else None])[9]]
            if limit is not None and len(taken) > limit.max_units:
                dropped = left_out(limit, taken)
                bonus -= sum(b for code, b, _ in taken if code in dropped)
        if not marked and (reads_as_note(sid) or names and not all(_text(row[i], as_text).strip() for i in names)):
            raise Fallback("a note or a legend under the table, or an id alone")
        total = points + bonus
        decision = decide(rules, total, divisor, pro_p, pro_d, flags)
        decided = decision is not Decision.INCOMPLET and divisor
        last = _text(row[last_i], as_text).strip() if last_i is not None else ""
        first = _text(row[first_i], as_text).strip() if first_i is not None else ""
        name = _text(row[full_i], as_text).strip() if full_i is not None else f"{last} {first}".strip()
        write([
            neutralise(sid), neutralise(name), *(neutralise(_text(row[i], as_text)) for i in extra), *texts,
            number(bonus),
            number(points) if decided else "",
            str(divisor) if decided else "",
            number_cell(total, shown.average, d, divisor) if decided else "",
            number_cell(pro_p, shown.professional, d, pro_d) if pro_d and not flags & PRO_MISSING else "",
            decisions[decision], "" if decision is Decision.ADMIS else " ".join(blocs), "", "",
        ])
    if not seen:
        raise Fallback("no student")
    if any(looks_like_grades(filled[i], readable[i], graded[i]) for i in watched if i not in cols.work):
        raise Fallback("a carried column holds grades")
    numeric = [label for i, label in cols.extra
               if i in cols.work and looks_like_grades(filled[i], readable[i], graded[i])]
    if numeric:  # as the ordinary path says it
        note(place.at(1, None, t("note.work_columns", columns=", ".join(map(quoted, numeric)))))


def _text(value: Any, as_text: Callable[[Any], str]) -> str:
    return value if type(value) is str else as_text(value)


_MISSING = Cell(Mark.MISSING)
