"""The results workbook (`ndrc grade SHEET -o resultats.xlsx`, render/xlsxout.py),
read back by python-calamine and from its XML: what the exam office sorts by
(the sheet's identity columns apart, dates as dates), every number the JSON
gives a student, and the summary's unit means of the units the sheet has.
Expected values are computed by hand in the comments."""

from __future__ import annotations

import datetime
import html
import json
import re
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run, write

from ndrc_cli import i18n

# Camille: 3×12 + 3×11.5 + 3×13 + 5×14 + 4×12.5 + 3×15 = 274.5 points, EF1 16 → bonus 16 − 10 = 6,
#   total 280.5 / 21 = 13.357… → 13.36, admis; professional (70 + 50 + 45) / 12 = 13.75.
# Léa: E4 not graded → incomplet; 3×10 + 3×10 + 3×10 + 4×10 + 3×10 = 160 points over 3+3+3+4+3 = 16.
# Hugo: 3×9.99 + 3×10 + 3×10 + 5×10 + 4×10 + 3×10 = 209.97 / 21 = 9.99857… → shown 9.99… (never 10.00),
#   professional 120 / 12 = 10 → contrôle.
# Inès: 3×8 + 3×6 + 3×6 + 5×6 + 4×6 + 3×6 = 132 / 21 = 6.2857… → 6.29, ajourné.
HEADER = ["Prénom", "NOM", "N° candidat", "Date de naissance", "E1", "E2", "E3", "E4", "E5", "E6", "EF1"]
ROWS: list[list[Any]] = [
    ["Camille", "Martin", "A1", datetime.date(2005, 3, 14), 12, 11.5, 13, 14, 12.5, 15, 16],
    ["Léa", "Bernard", "A2", datetime.datetime(2004, 12, 1, 0, 0), 10, 10, 10, None, 10, 10, None],
    ["Hugo", "Dubois", "A3", datetime.date(2005, 7, 2), 9.99, 10, 10, 10, 10, 10, None],
    ["Inès", "Lefèvre", "A4", "inconnue", 8, 6, 6, 6, 6, 6, None],
]


def sheet_file(tmp_path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    import xlsxwriter

    path = tmp_path / "notes.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Notes")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, dates)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return path


def results(sheet: Path, tmp_path: Path, lang: str = "en") -> Path:
    out = tmp_path / "resultats.xlsx"
    out.unlink(missing_ok=True)
    result = run("--lang", lang, "grade", str(sheet), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def read_book(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values, as calamine reads them."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def by_header(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def number_format(path: Path, ref: str) -> str:
    """The number format of a cell of the first sheet, from the workbook's XML."""
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    cell = re.search(rf'<c r="{ref}"(?: [^>]*)?>', sheet)
    assert cell is not None, ref
    style = re.search(r'\bs="(\d+)"', cell.group(0))
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert style is not None and xfs is not None
    xf = re.findall(r"<xf [^>]*>", xfs.group(1))[int(style.group(1))]
    num_fmt = re.search(r'numFmtId="(\d+)"', xf)
    assert num_fmt is not None
    code = re.search(rf'<numFmt numFmtId="{num_fmt.group(1)}" formatCode="([^"]*)"', styles)
    return html.unescape(code.group(1)) if code is not None else num_fmt.group(1)


def shown(value: float, fmt: str) -> Fraction:
    """A number cell as a spreadsheet shows it: rounded half away from zero to its format's decimals."""
    places = len(fmt.split(".")[1].split('"')[0]) if "." in fmt else 0
    return Fraction(int(Fraction(str(value)) * 10**places + Fraction(1, 2)), 10**places)


def test_identity_columns_apart_in_the_sheets_order_and_dates_as_dates(tmp_path: Path) -> None:
    out = results(sheet_file(tmp_path, HEADER, ROWS), tmp_path)
    rows = read_book(out)["Results"]
    assert rows[0][:4] == ["First name", "Last name", "ID", "Date de naissance"]
    assert [row[:3] for row in rows[1:]] == [["Camille", "Martin", "A1"], ["Léa", "Bernard", "A2"],
                                             ["Hugo", "Dubois", "A3"], ["Inès", "Lefèvre", "A4"]]
    assert [row[3] for row in rows[1:]] == [datetime.date(2005, 3, 14), datetime.date(2004, 12, 1),
                                            datetime.date(2005, 7, 2), "inconnue"]
    assert number_format(out, "D2") == number_format(out, "D3") == "dd/mm/yyyy"
    # The header row and the three identity columns stay in view.
    with zipfile.ZipFile(out) as z:
        assert 'topLeftCell="D2"' in z.read("xl/worksheets/sheet1.xml").decode()
    french = results(sheet_file(tmp_path, HEADER, ROWS), tmp_path, "fr")
    assert read_book(french)["Résultats"][0][:3] == ["Prénom", "Nom", "N° candidat"]


def test_names_for_ids_and_a_full_name_column(tmp_path: Path) -> None:
    grades = ["12", "12", "12", "12", "12", "12"]
    names = write(tmp_path / "noms.csv", "Nom;Prénom;E1;E2;E3;E4;E5;E6\n" + ";".join(["Martin", "Léa", *grades]) + "\n")
    rows = read_book(results(Path(names), tmp_path))["Results"]
    assert rows[0][:3] == ["Last name", "First name", "E1"] and rows[1][:2] == ["Martin", "Léa"]  # no id column
    full = write(tmp_path / "eleves.csv", "Élève;n° candidat;E1;E2;E3;E4;E5;E6\n"
                                          + ";".join(["MARTIN Léa", "0042", *grades]) + "\n")
    rows = read_book(results(Path(full), tmp_path))["Results"]
    assert rows[0][:3] == ["Name", "ID", "E1"] and rows[1][:2] == ["MARTIN Léa", "0042"]


def test_every_row_shows_what_the_json_shows(tmp_path: Path) -> None:
    sheet = sheet_file(tmp_path, HEADER, ROWS)
    data = run("grade", str(sheet), "-f", "json")
    assert data.exit_code == 0
    students = json.loads(data.stdout)["students"]
    out = results(sheet, tmp_path)
    rows = by_header(read_book(out)["Results"])
    camille, lea, hugo, ines = rows
    assert (camille["Points"], camille["Bonus"], camille["Total"], camille["Divisor"]) == (274.5, 6, 280.5, 21)
    assert (camille["Average"], camille["Professional average"], camille["Decision"]) == (13.36, 13.75, "passed")
    # Incomplet: the points and divisor valued so far, no total, no average.
    assert (lea["Points"], lea["Divisor"], lea["Bonus"], lea["Total"], lea["Average"]) == (160, 16, 0, "", "")
    assert (lea["Decision"], lea["Not graded yet"], lea["Row in the sheet"]) == ("incomplete", "E4", 3)
    assert lea["Blocs acquired"] == "BG1 BG2 BG3 B2 B3"
    assert (hugo["Total"], hugo["Divisor"], hugo["Decision"]) == (209.97, 21, "resit orals")
    assert hugo["Contrôle orals to choose"].startswith(" + ".join(students[2]["controle_plan"]["units"]) + ": ")
    assert (ines["Average"], ines["Decision"]) == (6.29, "failed")
    labels = {"admis": "passed", "controle": "resit orals", "ajourne": "failed", "absent": "absent",
              "incomplet": "incomplete"}
    for row, student in zip(rows, students):
        assert (row["ID"], row["Last name"], row["First name"]) == (student["id"], student["last_name"],
                                                                   student["first_name"])
        for column, field in (("Points", "points"), ("Divisor", "divisor"), ("Bonus", "bonus"), ("Total", "total"),
                              ("Row in the sheet", "line")):
            assert row[column] == ("" if student[field] is None else student[field]), (student["id"], column)
        # Averages as a person must read them beside the decision (the JSON's texts: 9.99… for Hugo).
        for column, field in (("Average", "average_text"), ("Professional average", "professional_average_text")):
            text = student[field]
            assert row[column] == ("" if text is None else float(text.removesuffix("…"))), (student["id"], column)
        assert row["Decision"] == labels[student["decision"]]
        assert row["Not graded yet"] == " ".join(student["missing"])
        assert row["Unjustified absences"] == " ".join(student["absent"])
        assert row["Blocs acquired"] == " ".join(b["id"] for b in student["blocs"])
        assert row["Blocs valid until"] == " ".join(f"{b['id']}:{b['valid_until']}" for b in student["blocs"])
        for code, unit in student["units"].items():
            assert row[code] == ("" if unit["grade"] is None else unit["grade"]), (student["id"], code)


def test_a_number_never_contradicts_the_decision_beside_it(tmp_path: Path) -> None:
    for sheet in (sheet_file(tmp_path, HEADER, ROWS), EXAMPLES / "classe-ndrc.csv"):
        out = results(Path(sheet), tmp_path)
        rows = read_book(out)["Results"]
        header = rows[0]
        average, pro, decision = (header.index(h) for h in ("Average", "Professional average", "Decision"))
        for n, row in enumerate(rows[1:], start=2):
            letter = chr(ord("A") + average)
            if row[decision] == "incomplete":
                assert row[average] == ""
                continue
            value = shown(row[average], number_format(out, f"{letter}{n}"))
            professional = shown(row[pro], number_format(out, f"{chr(ord('A') + pro)}{n}"))
            if row[decision] == "passed":
                assert value >= 10
            elif row[decision] == "resit orals":
                assert 8 <= value < 10 and professional >= 10
            elif row[decision] == "failed":
                assert value < 8 or (value < 10 and professional < 10)
    # Hugo's 9.99857… is shown 9.99… beside "resit orals", never 10.00.
    out = results(sheet_file(tmp_path, HEADER, ROWS), tmp_path)
    assert read_book(out)["Results"][3][16] == 9.99 and number_format(out, "Q4") == '0.00"…"'


def test_the_summary_lists_the_units_the_sheet_has(tmp_path: Path) -> None:
    summary = read_book(results(sheet_file(tmp_path, HEADER, ROWS), tmp_path))["Summary"]
    units = {row[0]: row[1:] for row in summary[summary.index(["Unit", "Graded", "Mean"]) + 1:] if row[0]}
    assert "EF2" not in units
    # EF1: Camille's 16 alone; E4: 14, 10 and 6 (Léa has none) → 30 / 3 = 10.
    assert units["EF1"] == [1, 16] and units["E4"] == [3, 10]
    # No EF1 column but an EF2 one, and E5 in its two parts: E5 = (2×12 + 2×14) / 4 = 13.
    sheet = write(tmp_path / "ef2.csv", "id;nom;prenom;E1;E2;E3;E4;E5A;E5B;E6;EF2\n"
                                        "B1;Martin;Léa;12;12;12;12;12;14;12;15\nB2;Petit;Tom;10;10;10;10;10;10;10;\n")
    book = read_book(results(Path(sheet), tmp_path))
    summary = book["Summary"]
    units = {row[0]: row[1:] for row in summary[summary.index(["Unit", "Graded", "Mean"]) + 1:] if row[0]}
    assert list(units)[:7] == ["E1", "E2", "E3", "E4", "E5", "E6", "EF2"] and "EF1" not in units
    assert units["EF2"] == [1, 15] and units["E5"] == [2, 11.5]  # (13 + 10) / 2
    lea = by_header(book["Results"])[0]
    assert (lea["E5"], lea["E5A"], lea["E5B"], lea["Bonus"]) == (13, 12, 14, 5)
    # Every mandatory unit is listed, graded or not.
    partial = write(tmp_path / "partiel.csv", "id;nom;E1;E2\nC1;Martin;12;12\n")
    summary = read_book(results(Path(partial), tmp_path))["Summary"]
    units = {row[0]: row[1:] for row in summary[summary.index(["Unit", "Graded", "Mean"]) + 1:] if row[0]}
    assert list(units)[:6] == ["E1", "E2", "E3", "E4", "E5", "E6"] and units["E4"] == [0, ""]
    assert "EF1" not in units and "EF2" not in units


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_orals_and_remarks_in_the_interface_language(tmp_path: Path, lang: str) -> None:
    i18n.set_language(lang)
    out = tmp_path / "resultats.xlsx"
    result = run("--lang", lang, "grade", str(EXAMPLES / "classe-ndrc.csv"), "--controle",
                 str(EXAMPLES / "controle.csv"), "--kept", str(EXAMPLES / "session-anterieure.csv"),
                 "--session", "2026", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_book(out)["Results" if lang == "en" else "Résultats"]
    header, by_id = rows[0], {row[0]: row for row in rows[1:]}
    orals = header.index("Contrôle orals" if lang == "en" else "Épreuves de contrôle")
    remarks = header.index("Remarks" if lang == "en" else "Remarques")
    if lang == "en":
        assert by_id["NDRC2513"][orals] == "E1: first 8.50, oral 13.00 → 13.00; E3: first 7.75, oral 12.00 → 12.00"
        assert by_id["NDRC2509"][remarks] == "E4: 14.00 from 2019 expired (more than 5 years)"
    else:
        assert by_id["NDRC2513"][orals] == ("E1\u202f: premier groupe 8,50, oral 13,00 → 13,00\u202f; "
                                            "E3\u202f: premier groupe 7,75, oral 12,00 → 12,00")
        assert "14,00" in by_id["NDRC2509"][remarks]
