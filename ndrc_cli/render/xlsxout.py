"""Results as an Excel workbook (.xlsx), for the exam office.

A results sheet — one row per student, headers in the interface language,
grades and averages as numeric cells shown with two decimals, decisions as
words on a coloured fill (the word alone carries the meaning: readable in
black and white), the header row frozen, an autofilter — and a summary sheet
with the class's counts and unit means. Written with xlsxwriter.

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

import io
from typing import Any, NamedTuple

from .. import __version__
from ..core.errors import NdrcError
from ..core.model import Decision, GradeReport, Mark
from ..core.numbers import div_half_up, format_hundredths, points_to_hundredths
from ..i18n import quoted, t
from .common import (
    after_text,
    average_text,
    file_names,
    grade_text,
    mean_grade_text,
    professional_text,
    unit_text,
)
from .csvout import COMPUTED, FIXED

#: Fill colours, light enough for black text (WCAG AA): the word is the meaning.
DECISION_FILLS = {
    Decision.ADMIS: "#C6EFCE",
    Decision.CONTROLE: "#FFEB9C",
    Decision.AJOURNE: "#FFC7CE",
    Decision.ABSENT: "#D9D9D9",
    Decision.INCOMPLET: "#EDEDED",
}


def _number(hundredths: int | None) -> float | None:
    """Hundredths -> the double nearest that two-decimal value."""
    return None if hundredths is None else float(format_hundredths(hundredths))


class Shown(NamedTuple):
    """A number under the display rule, as a cell: the double nearest the
    digits shown, and the number format that shows exactly those digits."""

    value: float
    num_format: str
    width: int


def _shown(text: str) -> Shown | None:
    """A shown number ('.' decimal, '…' when truncated) as a cell; None for ''."""
    if not text:
        return None
    digits = text.removesuffix("…")
    places = len(digits.partition(".")[2])
    num_format = ("0." + "0" * places if places else "0") + ('"…"' if digits != text else "")
    return Shown(float(digits), num_format, len(text))


def xlsx_bytes(report: GradeReport) -> bytes:
    """The whole workbook, built in memory (the caller writes it atomically)."""
    import xlsxwriter

    buffer = io.BytesIO()
    # Strings are strings: no formula, URL or number is ever guessed from text.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
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
_CELL_LIMIT = 32_767


def _results_sheet(book: Any, report: GradeReport, bold: Any, number_format: Any, whole: Any, text: Any,
                   marker: Any, fills: dict[Decision, Any]) -> None:
    sheet = book.add_worksheet(t("xlsx.results")[:31])
    rules = report.curriculum.rules
    grade = number_format("0.00")
    units = [u.code for u in report.curriculum.units]
    headers = [*(t(f"sheetcol.{c}") for c in FIXED), *report.extra_headers, *units,
               *(t(f"sheetcol.{c}") for c in COMPUTED)]
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, bold)

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
            if len(value) > _CELL_LIMIT:  # xlsxwriter would cut it silently
                raise NdrcError(t("xlsx.cell_too_long", column=quoted(headers[col]), row=row + 1,
                                  limit=_CELL_LIMIT))
            sheet.write_string(row, col, value, fmt or text)
            shown = len(value)
        widths[col] = max(widths[col], shown)

    for row, final in enumerate(report.results, start=1):
        r = final.first_group
        s = r.student
        decided = r.average_hundredths is not None
        cells: list[Any] = [s.id, s.name, *(value for _, value in s.extra)]
        first_unit = len(cells)
        for u in r.units:
            if u.mark is Mark.GRADE and u.grade is not None:
                cells.append(_shown(grade_text(u.grade, rules)))
            else:
                cells.append(unit_text(u, rules))
        cells += [
            _number(div_half_up(r.bonus, 1)),
            _number(div_half_up(r.points, 1)) if decided else None,
            (int(r.divisor) if r.divisor == int(r.divisor) else _number(points_to_hundredths(r.divisor)))
            if decided else None,
            _shown(average_text(r.average, rules)),
            _shown(professional_text(r.professional_average, rules)),
        ]
        for col, value in enumerate(cells):
            is_marker = isinstance(value, str) and first_unit <= col < first_unit + len(r.units)
            put(row, col, value, marker if is_marker else None)
        col = len(cells)
        put(row, col, t(f"decision.{final.decision.value}"), fills[final.decision])
        put(row, col + 1, " ".join(b.bloc for b in final.blocs))
        put(row, col + 2, _shown(after_text(final.average, rules)) if final.controle is not None else None)
        put(row, col + 3, " ".join(f"{code}:{year}" for code, year in final.kept))
    last = len(report.results)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(last, 1), len(headers) - 1)
    # Printed: landscape A4, one page wide, the header row on every page.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width, 6), 40) + 2)
    sheet.set_row(0, 30)


def _summary_sheet(book: Any, report: GradeReport, bold: Any, number_format: Any, whole: Any) -> None:
    sheet = book.add_worksheet(t("xlsx.summary")[:31])
    sm = report.summary
    rules = report.curriculum.rules

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
            put(row, 1, _shown(average_text(value, rules)) if key != "summary.stdev"
                else Shown(float(format_hundredths(points_to_hundredths(value))), "0.00", 6))
            row += 1
    row += 1
    sheet.write_string(row, 0, t("xlsx.unit"), bold)
    sheet.write_string(row, 1, t("xlsx.graded"), bold)
    sheet.write_string(row, 2, t("xlsx.mean"), bold)
    row += 1
    for u in sm.units:
        sheet.write_string(row, 0, u.code)
        sheet.write_number(row, 1, u.graded, whole)
        put(row, 2, _shown(mean_grade_text(u.mean, rules)))
        row += 1
    row += 1
    sheet.write_string(row, 0, t("xlsx.source", version=__version__, sources=file_names(report.sources)))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 14)
    sheet.set_paper(9)
