"""An empty grade sheet for a curriculum, ready for a spreadsheet."""

from __future__ import annotations

import csv
from typing import TextIO

from ..core.model import Curriculum


def template_header(curriculum: Curriculum, parts: bool = False) -> list[str]:
    header = ["id", "nom", "prenom"]
    for unit in curriculum.units:
        if parts and unit.parts:
            header.extend(p.code for p in unit.parts)
        else:
            header.append(unit.code)
    return header


def write_template(curriculum: Curriculum, out: TextIO, parts: bool = False, excel: bool = True) -> None:
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    writer.writerow(template_header(curriculum, parts))


def template_xlsx(curriculum: Curriculum, parts: bool = False) -> bytes:
    """The empty sheet as an Excel workbook: the header row bold and frozen,
    the id and name columns as text (an id such as 0042 keeps its zeros)."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Notes")
    bold = book.add_format({"bold": True, "bottom": 1})
    text = book.add_format({"num_format": "@"})
    header = template_header(curriculum, parts)
    for col, label in enumerate(header):
        sheet.write_string(0, col, label, bold)
    sheet.set_column(0, 2, 16, text)
    sheet.set_column(3, len(header) - 1, 8)
    sheet.freeze_panes(1, 3)
    book.close()
    return buffer.getvalue()
