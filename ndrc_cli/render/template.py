"""An empty grade sheet for a curriculum, ready for a spreadsheet."""

from __future__ import annotations

import csv
from typing import TextIO

from ..model import Curriculum


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
