"""The class council's workbook (.xlsx): a sheet with a row per student (each
unit's projected grade, the engine's average and decision, the progress, then
each subject's average) and a sheet with the class's statistics per subject.
Numbers follow the display rule as in the results workbook (`xlsxout.shown`);
text from the gradebook is always a string cell, never a formula."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

from ..app.bulletin import BulletinReport
from ..core.errors import NdrcError
from ..i18n import t
from .bulletin import moved, signed_text, unit_grades
from .common import average_text, decision_label, grade_text
from .xlsxout import CELL_LIMIT, DECISION_FILLS, HEADER_FORMAT, Shown, new_book, shown


def xlsx_bytes(report: BulletinReport) -> bytes:
    """The whole workbook, built in memory (the caller writes it atomically)."""
    buffer = io.BytesIO()
    book = new_book(buffer)
    bold = book.add_format(HEADER_FORMAT)
    text = book.add_format({"num_format": "@"})
    fills = {d: book.add_format({"bg_color": colour, "num_format": "@"}) for d, colour in DECISION_FILLS.items()}
    formats: dict[str, Any] = {}

    def put(sheet: Any, row: int, col: int, value: Shown | str | int | None, fmt: Any = None) -> None:
        if value is None or value == "":
            return
        if isinstance(value, Shown):
            if value.num_format not in formats:
                formats[value.num_format] = book.add_format({"num_format": value.num_format})
            sheet.write_number(row, col, value.value, formats[value.num_format])
        elif isinstance(value, int):
            sheet.write_number(row, col, value)
        else:
            if len(value) > CELL_LIMIT:  # xlsxwriter would cut it silently
                raise NdrcError(t("xlsx.cell_too_long", column=col + 1, row=row + 1, limit=CELL_LIMIT))
            sheet.write_string(row, col, value, fmt or text)

    rules = report.curriculum.rules

    def number(value: Fraction | None) -> Shown | None:
        return None if value is None else shown(grade_text(value, rules))

    council = book.add_worksheet(t("bulletin.xlsx_council")[:31])
    subjects = [s.name for s in report.subjects]
    progress = [t("bulletin.progress")] if report.earlier else []
    headers = [t("col.name"), t("col.id"), *report.units, t("doc.average"), t("doc.decision"), *progress, *subjects]
    for col, header in enumerate(headers):
        council.write_string(0, col, header, bold)
    for row, student in enumerate(report.rows, start=1):
        grades = unit_grades(student)
        cells: list[Shown | str | None] = [student.name, student.id, *(number(grades.get(u)) for u in report.units),
                                           shown(average_text(student.result.average, rules)),
                                           decision_label(student.result.decision)]
        if report.earlier:
            change = moved(report, student)
            cells.append(None if change is None else shown(signed_text(change, ".").lstrip("+")))
        cells += [number(student.averages[s].value) for s in subjects]
        for col, value in enumerate(cells):
            fill = fills[student.result.decision] if col == len(report.units) + 3 else None
            put(council, row, col, value, fill)
    council.freeze_panes(1, 2)
    council.autofilter(0, 0, max(1, len(report.rows)), len(headers) - 1)
    council.set_column(0, 0, max([len(headers[0])] + [len(r.name) for r in report.rows]) + 2)
    council.set_column(2, len(headers) - 1, 9)

    stats = book.add_worksheet(t("bulletin.xlsx_subjects")[:31])
    stat_headers = [t("bulletin.col.subject"), t("col.unit"), t("col.mean"), t("bulletin.col.min"),
                    t("bulletin.col.max"), t("bulletin.col.count")]
    for col, header in enumerate(stat_headers):
        stats.write_string(0, col, header, bold)
    for row, subject in enumerate(report.subjects, start=1):
        s = report.statistics[subject.name]
        values: list[Shown | str | int | None] = [subject.name, subject.unit, number(s.mean), number(s.low),
                                                  number(s.high), s.number]
        for col, item in enumerate(values):
            put(stats, row, col, item)
    stats.set_column(0, 0, max([len(n) for n in subjects] + [10]) + 2)
    book.close()
    return buffer.getvalue()

