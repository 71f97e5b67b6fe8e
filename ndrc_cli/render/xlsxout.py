"""Results as an Excel workbook (.xlsx), for the exam office.

A results sheet — one row per student, headers in the interface language,
the sheet's identity columns (id, last name, first name, full name: those it
has, in its order) each in its own column, carried columns as read (a date
cell as a date, shown dd/mm/yyyy), grades and averages as numeric cells shown
with two decimals, then what the JSON gives each student (points, divisor,
total, averages, decision, blocs and their validity, kept grades, units not
graded yet, absences, contrôle orals, remarks, the sheet's row); decisions as
words on a coloured fill (the word alone carries the meaning: readable in
black and white), the header row and identity columns frozen, an autofilter —
and a summary sheet with the class's counts and the means of the units the
sheet has (and of every mandatory one). Written with xlsxwriter.

Numbers are shown as in every other format (the display rule,
core.numbers.display_exact): the exact results rounded half up to
hundredths, each written as the double nearest that two-decimal value, which
every spreadsheet shows back as the same two decimals — except a value that
rounding would carry across a threshold (9.9993 beside `ajourné`): its cell
holds the digits that tell, the exact decimal with as many decimals in its
number format (9,9993), or the value truncated to two decimals with an
ellipsis in its format (9,99…), never a value a spreadsheet would show at the
threshold. Text from the sheet is always written as a string cell, never as a
formula.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any, NamedTuple

from .. import __version__
from ..core.errors import NdrcError
from ..core.model import Cell, Decision, Exact, GradeReport, Mark, Number, Rules, Student
from ..core.numbers import format_coefficient, format_exact, format_hundredths, points_to_hundredths
from ..i18n import decimal_separator, quoted, t
from .common import (
    MARK_CODES,
    after_text,
    average_text,
    file_names,
    grade_text,
    mean_grade_text,
    note_text,
    plan_text,
    professional_text,
    unit_text,
)

#: Fill colours, light enough for black text (WCAG AA): the word is the meaning.
DECISION_FILLS = {
    Decision.ADMIS: "#C6EFCE",
    Decision.CONTROLE: "#FFEB9C",
    Decision.AJOURNE: "#FFC7CE",
    Decision.ABSENT: "#D9D9D9",
    Decision.INCOMPLET: "#EDEDED",
}


class Shown(NamedTuple):
    """A number under the display rule, as a cell: the double nearest the
    digits shown, and the number format that shows exactly those digits."""

    value: float
    num_format: str
    width: int


def shown(text: str) -> Shown | None:
    """A shown number ('.' decimal, '…' when truncated) as a cell; None for ''."""
    if not text:
        return None
    digits = text.removesuffix("…")
    places = len(digits.partition(".")[2])
    num_format = ("0." + "0" * places if places else "0") + ('"…"' if digits != text else "")
    return Shown(float(digits), num_format, len(text))


#: A header cell of every workbook ndrc writes.
HEADER_FORMAT = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}


def new_book(buffer: io.BytesIO) -> Any:
    """An xlsxwriter workbook in memory (the caller writes the bytes atomically)
    where strings are strings: no formula, URL or number is ever guessed from text."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})


def xlsx_bytes(report: GradeReport) -> bytes:
    """The whole workbook, built in memory (the caller writes it atomically)."""

    buffer = io.BytesIO()
    book = new_book(buffer)
    bold = book.add_format(HEADER_FORMAT)
    grade = book.add_format({"num_format": "0.00"})
    whole = book.add_format({"num_format": "0"})
    formats = {"0.00": grade}

    def number_format(num_format: str) -> Any:
        # Two decimals, as usual; more, or an ellipsis, only where the display rule says.
        if num_format not in formats:
            formats[num_format] = book.add_format({"num_format": num_format})
        return formats[num_format]

    text = book.add_format({"num_format": "@"})
    marker = book.add_format({"num_format": "@", "align": "center"})  # ABS, DISP beside numbers
    fills = {d: book.add_format({"bg_color": colour, "num_format": "@"}) for d, colour in DECISION_FILLS.items()}
    _results_sheet(book, report, bold, number_format, whole, text, marker, fills)
    _summary_sheet(book, report, bold, number_format, whole)
    book.close()
    return buffer.getvalue()


#: The most characters a spreadsheet cell holds (Excel's limit, xlsxwriter's).
CELL_LIMIT = 32_767

#: The sheet's identity columns (GradeReport.identity) -> their header key.
IDENTITY_KEYS = {"id": "sheetcol.id", "last": "xlsx.last_name", "first": "xlsx.first_name", "full": "sheetcol.name"}
#: Without the sheet's own: the id and the full name.
_DEFAULT_IDENTITY = ("id", "full")
#: The computed columns, after the units: what the JSON gives each student.
RESULT_KEYS = ("sheetcol.bonus", "sheetcol.points", "sheetcol.divisor", "xlsx.total", "sheetcol.average",
               "sheetcol.professional_average", "sheetcol.decision", "sheetcol.blocs", "xlsx.valid_until",
               "sheetcol.average_after_controle", "sheetcol.kept", "xlsx.missing", "xlsx.absent", "xlsx.plan",
               "xlsx.orals", "xlsx.notes", "xlsx.line")
#: A date cell of a workbook, as the reader carries it (str of a date or datetime).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)?")
#: How a date is shown: as French Excel shows it.
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def carried_date(text: str) -> datetime.date | None:
    """A carried cell that was a date in the sheet (`2005-03-14`, or with a
    time), as a date (a datetime when it has a time of day); None otherwise,
    and for a date before 1900, which a spreadsheet cannot hold."""
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:  # 2005-02-30
        return None
    if value.year < 1900:
        return None
    return value if value.time() != datetime.time() else value.date()


def _identity(s: Student, role: str) -> str:
    return {"id": s.id, "last": s.last_name, "first": s.first_name}.get(role, s.name)


def _exact(value: Exact) -> float:
    """Points (exact hundredths) rounded half up, as the JSON gives them."""
    return float(format_exact(value))


def _divisor(value: Number) -> int | float:
    return int(value) if value == int(value) else float(format_coefficient(value))


def _part_cell(cell: Cell, rules: Rules) -> Shown | str | None:
    """A part of a unit given in parts: its grade, or its marker."""
    if cell.mark is Mark.GRADE and cell.grade is not None:
        return shown(grade_text(cell.grade, rules))
    return MARK_CODES.get(cell.mark, "")


def _results_sheet(book: Any, report: GradeReport, bold: Any, number_format: Any, whole: Any, text: Any,
                   marker: Any, fills: dict[Decision, Any]) -> None:
    sheet = book.add_worksheet(t("xlsx.results")[:31])
    rules = report.curriculum.rules
    grade = number_format("0.00")
    dates = {False: book.add_format({"num_format": DATE_FORMAT}),
             True: book.add_format({"num_format": DATETIME_FORMAT})}
    roles = report.identity or _DEFAULT_IDENTITY
    present = set(report.columns)
    # Each unit, then the parts the sheet gives it (E5A, E5B), as the JSON's `parts`.
    columns = [item for u in report.curriculum.units
               for item in [(u.code, None), *((u.code, p.code) for p in u.parts if p.code in present)]]
    headers = [*(t(IDENTITY_KEYS[role]) for role in roles), *report.extra_headers,
               *(part or code for code, part in columns), *(t(key) for key in RESULT_KEYS)]
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)
    d = decimal_separator()
    semicolon = t("list.semicolon")

    def put(row: int, col: int, value: Any, fmt: Any = None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, Shown):
            sheet.write_number(row, col, value.value, number_format(value.num_format))
            shown = max(6, value.width)
        elif isinstance(value, float):
            sheet.write_number(row, col, value, fmt or grade)
            shown = 6
        elif isinstance(value, int):
            sheet.write_number(row, col, value, fmt or whole)
            shown = len(str(value))
        else:
            if len(value) > CELL_LIMIT:  # xlsxwriter would cut it silently
                raise NdrcError(t("xlsx.cell_too_long", column=quoted(headers[col]), row=row + 1,
                                  limit=CELL_LIMIT))
            sheet.write_string(row, col, value, fmt or text)
            shown = len(value)
        widths[col] = max(widths[col], shown)

    def put_carried(row: int, col: int, value: str) -> None:
        date = carried_date(value)
        if date is None:
            put(row, col, value)
            return
        timed = isinstance(date, datetime.datetime)
        sheet.write_datetime(row, col, date, dates[timed])
        widths[col] = max(widths[col], len(DATETIME_FORMAT if timed else DATE_FORMAT))

    for row, final in enumerate(report.results, start=1):
        # The numbers are the first group's; the decision, blocs and remarks
        # are final (as in the JSON).
        r = final.first_group
        s = r.student
        decided = r.average is not None
        col = 0
        for role in roles:
            put(row, col, _identity(s, role))
            col += 1
        for _, carried in s.extra:
            put_carried(row, col, carried)
            col += 1
        units = {u.code: u for u in r.units}
        for code, part in columns:
            u = units[code]
            if part is not None:
                value: Shown | str | None = next((_part_cell(cell, rules) for p, cell in u.parts if p == part), None)
            elif u.mark is Mark.GRADE and u.grade is not None:
                value = shown(grade_text(u.grade, rules))
            else:
                value = unit_text(u, rules)
            put(row, col, value, marker if isinstance(value, str) else None)
            col += 1
        controle = final.controle
        cells: list[Any] = [
            _exact(r.bonus),
            _exact(r.points),
            _divisor(r.divisor),
            _exact(r.total) if decided else None,
            shown(average_text(r.average, rules)),
            shown(professional_text(r.professional_average, rules)),
            t(f"decision.{final.decision.value}"),
            " ".join(b.bloc for b in final.blocs),
            " ".join(f"{b.bloc}:{b.valid_until}" for b in final.blocs if b.valid_until is not None),
            shown(after_text(final.average, rules)) if controle is not None else None,
            " ".join(f"{code}:{year}" for code, year in final.kept),
            " ".join(r.missing),
            " ".join(r.absent),
            plan_text(final.plans[0], d) if final.plans else None,
            semicolon.join(t("explain.controle_unit", unit=code, first=grade_text(first, rules, d),
                             oral=grade_text(oral, rules, d), counted=grade_text(counted, rules, d))
                           for code, first, oral, counted in controle.units) if controle is not None else None,
            semicolon.join(note_text(n, rules, d) for n in final.notes),
            s.line or None,
        ]
        for key, cell in zip(RESULT_KEYS, cells, strict=True):
            put(row, col, cell, fills[final.decision] if key == "sheetcol.decision" else None)
            col += 1
    last = len(report.results)
    sheet.freeze_panes(1, len(roles))
    sheet.autofilter(0, 0, max(last, 1), len(headers) - 1)
    # Printed: landscape A4, one page wide, the header row on every page.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width, 6), 40) + 2)
    sheet.set_row(0, 30)


def summary_units(report: GradeReport) -> frozenset[str]:
    """The units whose means the summary lists: those the sheet has a column
    for (or columns for each of its parts), and every mandatory one (the rules
    need them: a mean over no grade says so)."""
    present = set(report.columns)
    return frozenset(u.code for u in report.curriculum.units
                     if u.mandatory or u.code in present or any(p.code in present for p in u.parts))


def _summary_sheet(book: Any, report: GradeReport, bold: Any, number_format: Any, whole: Any) -> None:
    sheet = book.add_worksheet(t("xlsx.summary")[:31])
    sm = report.summary
    rules = report.curriculum.rules
    listed = summary_units(report)

    def put(row: int, col: int, cell: Shown | None) -> None:
        if cell is not None:
            sheet.write_number(row, col, cell.value, number_format(cell.num_format))

    sheet.write_string(0, 0, t("xlsx.decision"), bold)
    sheet.write_string(0, 1, t("xlsx.count"), bold)
    row = 1
    for decision in Decision:
        sheet.write_string(row, 0, t(f"decision.{decision.value}"))
        sheet.write_number(row, 1, sm.by_decision.get(decision, 0), whole)
        row += 1
    sheet.write_string(row, 0, t("summary.students"), bold)
    sheet.write_number(row, 1, sm.students, whole)
    row += 2
    sheet.write_string(row, 0, t("xlsx.statistic"), bold)
    sheet.write_string(row, 1, t("xlsx.value"), bold)
    row += 1
    percent = book.add_format({"num_format": "0.0%"})
    if sm.pass_rate is not None:
        sheet.write_string(row, 0, t("summary.pass_rate"))
        sheet.write_number(row, 1, float(round(sm.pass_rate, 4)), percent)
        row += 1
    # Averages of students under the display rule, like everywhere; the standard deviation rounded.
    for key, value in (("summary.mean", sm.mean), ("summary.median", sm.median), ("summary.min", sm.minimum),
                       ("summary.max", sm.maximum), ("summary.stdev", sm.stdev)):
        if value is not None:
            sheet.write_string(row, 0, t(key))
            put(row, 1, shown(average_text(value, rules)) if key != "summary.stdev"
                else Shown(float(format_hundredths(points_to_hundredths(value))), "0.00", 6))
            row += 1
    row += 1
    sheet.write_string(row, 0, t("xlsx.unit"), bold)
    sheet.write_string(row, 1, t("xlsx.graded"), bold)
    sheet.write_string(row, 2, t("xlsx.mean"), bold)
    row += 1
    for u in sm.units:
        if u.code not in listed:
            continue
        sheet.write_string(row, 0, u.code)
        sheet.write_number(row, 1, u.graded, whole)
        put(row, 2, shown(mean_grade_text(u.mean, rules)))
        row += 1
    row += 1
    sheet.write_string(row, 0, t("xlsx.source", version=__version__, sources=file_names(report.sources)))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 14)
    sheet.set_paper(9)
