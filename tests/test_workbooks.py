"""Teachers' real files: workbooks in, headers as people write them, summary
rows, gradebook exports, a real workbook out — and every bad case refused
with its position, never misread.

The fixtures in tests/fixtures/ are the example class written as teachers'
files are (made by LibreOffice Calc and by xlsxwriter: see make_fixtures.py);
each must grade exactly like examples/classe-ndrc.csv.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, run, write
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = ROOT / "tests" / "fixtures"
CLASS = str(EXAMPLES / "classe-ndrc.csv")


def graded(path: str | Path, *args: str) -> dict[str, Any]:
    result = run("grade", str(path), "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def numbers(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What the computation gives each student, in sheet order."""
    return [(s["average"], s["decision"], s["bonus"], s["points"], s["professional_average"],
             {code: (u["grade"], u["status"]) for code, u in s["units"].items()}, [b["id"] for b in s["blocs"]])
            for s in data["students"]]


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    return graded(CLASS)


@pytest.mark.parametrize("name", ["classe-fr.xlsx", "classe-fr.ods", "classe-fr.xls", "second-sheet.xlsx",
                                  "descriptive.xlsx"])
def test_each_workbook_grades_like_the_csv(name: str, reference: dict[str, Any]) -> None:
    data = graded(FIXTURES / name)
    assert numbers(data) == numbers(reference)
    assert [s["id"] for s in data["students"]] == [s["id"] for s in reference["students"]]
    assert data["summary"] == reference["summary"]


@pytest.mark.parametrize("name", ["empty-sheet.xlsx", "empty-sheet.ods", "empty-sheet.xls"])
def test_an_empty_extra_sheet_is_read_not_a_damaged_workbook(name: str, reference: dict[str, Any]) -> None:
    """'Feuil1' and an empty 'Feuil2', as Excel and LibreOffice make a workbook:
    python-calamine before 0.8.3 panics on the empty sheet (the dependency's floor)."""
    data = graded(FIXTURES / name)
    assert numbers(data) == numbers(reference) and data["summary"] == reference["summary"]
    streamed = run("grade", str(FIXTURES / name), "-f", "csv")
    assert streamed.exit_code == 0 and streamed.stdout == run("grade", CLASS, "-f", "csv").stdout
    assert "grades read from sheet 'Feuil1'" in streamed.stderr
    empty = run("grade", str(FIXTURES / name), "--sheet", "Feuil2")
    assert empty.exit_code == 1 and f"{FIXTURES / name}:Feuil2!A1: the file is empty" in empty.stderr


def test_the_example_workbook_is_the_example_class(reference: dict[str, Any]) -> None:
    data = graded(EXAMPLES / "classe-ndrc.xlsx")
    assert numbers(data) == numbers(reference) and data["summary"] == reference["summary"]
    # Its NDRC2501 E5 is a formula (=25/2): its saved value is the grade.
    assert data["students"][0]["units"]["E5"]["grade"] == 12.5


def test_a_gradebook_export_names_for_ids_and_its_own_codes(reference: dict[str, Any]) -> None:
    result = run("grade", str(FIXTURES / "gradebook.ods"), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert numbers(data) == numbers(reference)
    assert data["students"][0]["id"] == "MARTIN Camille"
    assert "no id column: each student's name is the identifier" in result.stderr


def test_notes_say_which_sheet_and_row_were_taken() -> None:
    result = run("grade", str(FIXTURES / "second-sheet.xlsx"), "-f", "csv")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert f"{FIXTURES / 'second-sheet.xlsx'}:Notes: note: grades read from sheet 'Notes'" in lines[0]
    assert lines[1] == (f"{FIXTURES / 'second-sheet.xlsx'}:Notes!3:3: note: header found on row 3; "
                        "the title lines above it are skipped")
    summary = run("grade", str(FIXTURES / "descriptive.xlsx"), "-f", "csv")
    assert summary.stderr.endswith("note: rows skipped, not students: class statistics: row 26 (Moyenne de la classe), "
                                   "row 27 (Min), row 28 (Max)\n")
    assert summary.stdout.count("\n") == 25  # the header and 24 students: no summary row


def test_sheet_option_by_name_number_and_unknown(tmp_path: Path) -> None:
    book = str(FIXTURES / "second-sheet.xlsx")
    assert graded(book, "--sheet", "notes")["summary"]["count"] == 24
    assert graded(book, "--sheet", "2")["summary"]["count"] == 24
    instructions = run("grade", book, "--sheet", "1", "-f", "csv")
    assert instructions.exit_code == 1 and "Consignes" in instructions.stderr
    out = tmp_path / "r.csv"
    missing = run("grade", book, "--sheet", "Résultats", "-o", str(out))
    assert missing.exit_code == 2 and not out.exists()
    assert missing.stderr == (f"error: {book}: no sheet 'Résultats'; the sheets are 1: 'Consignes', 2: 'Notes'\n")


# -- exact numbers from binary cells ---------------------------------------------


def test_numeric_cells_are_their_shortest_decimal(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "exact.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Notes")
    rows = [["id", "E1", "E2", "E3", "E4", "E5", "E6"], ["A", 12.3, 10.125, 9.995, 14, 0.1 + 0.2, 12.345]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    units = graded(path)["students"][0]["units"]
    # 12.3 is stored as 12.300000000000000710…: it is read as 12.3, never as that expansion.
    assert units["E1"]["grade"] == 12.3 and units["E2"]["grade"] == 10.13 and units["E3"]["grade"] == 10
    assert units["E5"]["grade"] == 0.3 and units["E6"]["grade"] == 12.35
    explained = run("grade", str(path), "--explain", "A").stdout
    assert "12.30" in explained


def test_number_text_is_what_the_spreadsheet_shows() -> None:
    """A number cell is read as Excel and LibreOffice show and keep it: 15
    significant digits. Computed by hand: 0.1 + 0.2 is 0.30000000000000004
    (17 digits), shown 0.3; a formula's 10 saved as 9.999999999999998 is 10;
    9.925 saved as 9.924999999999999 is 9.925."""
    from ndrc_cli.load.workbook import number_text

    assert [number_text(x) for x in (12.0, 12.3, 0.1 + 0.2, 1e-05, 20.0, 9.999999999999998, 9.924999999999999,
                                     -0.0, 1e20, 123456789.123456789)] == [
        "12", "12.3", "0.3", "0.00001", "20", "10", "9.925", "0", "100000000000000000000", "123456789.123457"]


# -- headers as people write them --------------------------------------------------


@pytest.mark.parametrize(("header", "unit"), [
    ("E4", "E4"), ("U4", "E4"), ("Note E4", "E4"), ("Épreuve E4", "E4"), ("E4 (coef 5)", "E4"),
    ("E4 - Négociation", "E4"), ("E4 Relation client", "E4"), ("Relation client et négociation-vente", "E4"),
    ("RELATION CLIENT ET NEGOCIATION VENTE", "E4"), ("RCNV", "E4"), ("CEJM", "E3"), ("LV1", "E2"),
    ("Note LV2", "EF1"), ("Culture générale", "E1"), ("E5 écrit", "E5A"), ("Note E5 pratique", "E5B"),
])
def test_a_header_names_its_unit(curriculum: Any, header: str, unit: str) -> None:
    from ndrc_cli.load.sheets import SheetReader

    assert SheetReader(curriculum).unit_of(header) == (unit, [unit])


@pytest.mark.parametrize(("header", "candidates"), [
    ("E1 E2", ["E1", "E2"]), ("E5 (écrit + pratique)", ["E5A", "E5B"]), ("LV1 / LV2", ["E2", "EF1"]),
])
def test_a_header_that_could_be_two_units(curriculum: Any, header: str, candidates: list[str]) -> None:
    from ndrc_cli.load.sheets import SheetReader

    assert SheetReader(curriculum).unit_of(header) == (None, candidates)


def test_headers_of_another_curriculum() -> None:
    from ndrc_cli.load.curriculum import load_curriculum
    from ndrc_cli.load.sheets import SheetReader

    reader = SheetReader(load_curriculum(str(EXAMPLES / "bts-mco.yaml")))
    assert reader.unit_of("Note LV1 oral") == ("E3", ["E3"])
    assert reader.unit_of("Communication en langue vivante étrangère 2") == ("EF1", ["EF1"])
    assert reader.unit_of("Note E8") == ("E8", ["E8"])
    assert reader.unit_of("Gestion opérationnelle") == ("E7", ["E7"])


def bad(tmp_path: Path, text: str, *args: str, name: str = "bad.csv") -> list[str]:
    """A sheet that must be refused: exit 1, every problem listed, nothing written."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("grade", str(path), "-o", str(out), *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert not out.exists() and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("nothing was written.")
    return [line.replace(str(path), "F") for line in lines[:-1]]


def test_an_ambiguous_header_is_an_error_naming_both(tmp_path: Path) -> None:
    assert bad(tmp_path, "id;E1 E2;E3;E4;E5;E6\n1;12;12;12;12;12\n") == [
        "F:1:2: column 'E1 E2' could be E1 / E2; name one unit in the header, or say which: --column \"E1 E2=E1\""]


def test_a_grade_column_naming_no_unit_is_an_error_showing_the_fix(tmp_path: Path) -> None:
    sheet = "id;nom;E1;E2;E3;Négo-vente;E5;E6\n1;A;12;12;12;14;12;12\n2;B;10;9;8;ABS;12;11\n"
    assert bad(tmp_path, sheet) == [
        "F:1:6: column 'Négo-vente' (6) holds grades but names no unit, while no column names E4; say which "
        "unit "
        "it is: --column \"Négo-vente=E4\" (or --column \"Négo-vente=-\" if it is not a unit)"]
    path = tmp_path / "bad.csv"
    fixed = run("grade", str(path), "--column", "Négo-vente=E4", "-f", "json")
    assert fixed.exit_code == 0, fixed.stderr
    assert json.loads(fixed.stdout)["students"][0]["units"]["E4"]["grade"] == 14
    carried = run("grade", str(path), "--column", "Négo-vente=-", "-f", "json")
    assert json.loads(carried.stdout)["students"][0]["decision"] == "incomplet"  # told so: E4 is not graded
    wrong = run("grade", str(path), "--column", "Négo-vente=E9")
    assert wrong.exit_code == 2 and "HEADER=UNIT" in wrong.stderr


def test_a_grade_like_column_beside_every_unit_is_carried_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv",
                 "id;E1;E2;E3;E4;E5;E6;EF1;EF2;Absences\n1;12;12;12;12;12;12;;;3\n2;9;9;9;9;9;9;;;0\n")
    result = run("grade", path, "-f", "csv")
    assert result.exit_code == 0
    assert result.stderr == (f"{path}:1:10: note: column 'Absences' looks like grades but names no unit; "
                             "carried along, not counted\n")
    # The streamed path (a file to a file) says the same, by handing over to the ordinary one.
    out = tmp_path / "o.csv"
    streamed = run("grade", path, "-o", str(out))
    assert streamed.stderr == result.stderr and out.read_text() == result.stdout


def test_summary_rows_are_never_students(tmp_path: Path) -> None:
    sheet = ("id;nom;prenom;E1;E2;E3;E4;E5;E6\n1;Durand;Max;12;12;12;12;12;12\n2;Petit;Léo;8;8;8;8;8;8\n"
             ";Moyenne de la classe;;10;10;10;10;10;10\nTotal;;;20;20;20;20;20;20\n;;Écart type;2;2;2;2;2;2\n")
    path = write(tmp_path / "s.csv", sheet)
    for args in ([], ["-o", str(tmp_path / "o.csv")]):  # in memory, and streamed
        result = run("grade", path, "-f", "csv", *args)
        assert result.exit_code == 0
        assert result.stderr.endswith("rows skipped, not students: class statistics: line 4 (Moyenne de la classe), "
                                      "line 5 (Total), line 6 (Écart type)\n")
    data = graded(path)
    # 'Max' is a first name: with an id of its own the row is a student.
    assert [s["name"] for s in data["students"]] == ["Durand Max", "Petit Léo"]
    assert data["summary"]["count"] == 2


def test_a_sheet_with_no_student(tmp_path: Path) -> None:
    assert bad(tmp_path, "id;E1;E2\n;;\n") == ["F:1: no student under the header"]


@pytest.mark.parametrize(("cell", "grade"), [("12/20", 12), ("12,5 / 20", 12.5), ("12.50 ", 12.5), (" 9/20", 9)])
def test_grades_over_twenty(tmp_path: Path, cell: str, grade: float) -> None:
    path = write(tmp_path / "s.csv", f"id;E1\n1;{cell}\n")
    assert graded(path)["students"][0]["units"]["E1"]["grade"] == grade


def test_only_twenty_is_a_scale(tmp_path: Path) -> None:
    assert bad(tmp_path, "id;E1;E2\n1;12/10;30/20\n") == [
        "F:2:2: E1: 12/10: only grades out of 20 are accepted (write 12/20, or 12)",
        "F:2:3: E2: grade 30/20 is not between 0 and 20"]


def test_gradebook_codes(tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "Élève;E1;E2;E3;E4;E5;E6\nA B;N.Not;Abs;Disp;12;12;12\nC D;12;NNot;12;12;12;12\n")
    students = graded(path)["students"]
    assert [u["status"] for u in students[0]["units"].values()][:3] == ["missing", "absent", "exempt"]
    assert students[1]["units"]["E2"]["status"] == "missing"
    errors = bad(tmp_path, "Élève;E1;E2\nA B;Inap;NR\n")
    assert errors[0].startswith("F:2:2: E1: 'Inap' is neither a grade 0–20 nor a known marker "
                                "(known markers: -, NN, N.Not, ")
    assert errors[1].startswith("F:2:3: E2: 'NR' is neither")


def test_names_as_ids_must_be_unique(tmp_path: Path) -> None:
    assert bad(tmp_path, "Nom et prénom;E1\nMARTIN Léa;12\nMARTIN Léa;13\n") == [
        "F:3:1: duplicate id 'MARTIN Léa' (first on line 2)"]


# -- cells that are no grade, and files that are no sheet ---------------------------


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_error_and_date_cells_are_reported_at_their_cell(tmp_path: Path, kind: str) -> None:
    path = FIXTURES / f"bad-cells.{kind}"
    out = tmp_path / "o.xlsx"
    result = run("grade", str(path), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    where = f"{path}:'bad-cells'"
    assert result.stderr.splitlines() == [
        f"{where}!D2: E2: the cell holds the error #DIV/0!, not a grade: correct the formula or the cell",
        f"{where}!E2: E3: the cell holds a date (2024-05-03), not a grade: type the grade again, the column "
        "formatted as numbers",
        f"{where}!E3: E3: the cell holds the error #N/A, not a grade: correct the formula or the cell",
        "error: 3 problems found; nothing was written.",
    ]


def test_a_bad_grade_in_a_workbook_is_named_by_its_cell(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "classe.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Notes")
    for r, row in enumerate([["id", "nom", "E1", "E2", "E3", "E4"], ["1", "A", 12, 12, 12, 21]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    result = run("grade", str(path))
    assert result.stderr.splitlines()[0] == f"{path}:Notes!F2: E4: grade 21 is not between 0 and 20"


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes((FIXTURES / "password.xlsx").read_bytes()),
     "{p} is password-protected: open it, and save a copy without a password to give to ndrc"),
    (lambda p: p.write_bytes((FIXTURES / "classe-fr.xlsx").read_bytes()[:3000]),
     "{p} looks like a workbook but is damaged (an incomplete copy?): open it and save it again"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
     "{p} is a PDF document, not a grade sheet: give the spreadsheet itself (.xlsx, .ods or .csv)"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64)),
     "{p} is an image, not a grade sheet: give the spreadsheet itself (.xlsx, .ods or .csv)"),
    (lambda p: p.write_bytes(b"I am not a workbook at all"),
     "{p} looks like a workbook but is damaged (an incomplete copy?): open it and save it again"),
])
def test_files_that_are_no_sheet(tmp_path: Path, make: Any, message: str) -> None:
    path = tmp_path / "classe.xlsx"
    make(path)
    out = tmp_path / "o.csv"
    result = run("grade", str(path), "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr == "error: " + message.format(p=path) + "\n"


def test_a_word_document_is_named_for_what_it_is(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    result = run("grade", str(path))
    assert result.exit_code == 1 and "is a word-processor document, not a grade sheet" in result.stderr


def test_an_empty_workbook(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "vide.xlsx"
    xlsxwriter.Workbook(str(path)).close()
    result = run("grade", str(path))
    assert result.exit_code == 1 and result.stderr == f"error: {path}: the workbook is empty\n"


# -- the workbook in every command ------------------------------------------------------


def test_workbooks_for_kept_controle_simulate_and_report(tmp_path: Path) -> None:
    import xlsxwriter

    def as_workbook(csv_path: Path) -> str:
        import csv

        target = tmp_path / (csv_path.stem + ".xlsx")
        book = xlsxwriter.Workbook(str(target))
        sheet = book.add_worksheet()
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            for r, row in enumerate(csv.reader(f, delimiter=";")):
                for c, cell in enumerate(row):
                    try:
                        sheet.write_number(r, c, float(cell.replace(",", "."))) if r and c >= 3 else None
                    except ValueError:
                        sheet.write_string(r, c, cell)
                    else:
                        if not (r and c >= 3):
                            sheet.write_string(r, c, cell)
        book.close()
        return str(target)

    kept, controle = EXAMPLES / "session-anterieure.csv", EXAMPLES / "controle.csv"
    args = ("--session", "2026", "-f", "json")
    from_csv = run("grade", CLASS, "--kept", str(kept), "--controle", str(controle), *args)
    from_books = run("grade", str(EXAMPLES / "classe-ndrc.xlsx"), "--kept", as_workbook(kept),
                     "--controle", as_workbook(controle), *args)
    assert from_books.exit_code == 0, from_books.stderr
    a, b = json.loads(from_csv.stdout), json.loads(from_books.stdout)
    assert numbers(a) == numbers(b) and a["summary"] == b["summary"]
    assert [s.get("controle") for s in a["students"]] == [s.get("controle") for s in b["students"]]

    mock = EXAMPLES / "examen-blanc-1.csv"
    sim_csv = run("simulate", str(mock), "-f", "json")
    sim_book = run("simulate", as_workbook(mock), "-f", "json")
    assert sim_book.exit_code == 0, sim_book.stderr
    assert json.loads(sim_csv.stdout)["students"] == json.loads(sim_book.stdout)["students"]

    page = tmp_path / "bilan.html"
    report = run("report", str(EXAMPLES / "classe-ndrc.xlsx"), as_workbook(mock), "-o", str(page))
    assert report.exit_code == 0, report.stderr
    assert "NDRC2524" in page.read_text(encoding="utf-8")
    attestation = run("attestation", str(FIXTURES / "classe-fr.ods"), "--student", "NDRC2517", "--session", "2026")
    assert attestation.exit_code == 0 and "NDRC2517" in attestation.stdout


# -- a real workbook out -----------------------------------------------------------------


def test_the_results_workbook_is_read_back_by_openpyxl(tmp_path: Path, reference: dict[str, Any]) -> None:
    import openpyxl

    out = tmp_path / "resultats.xlsx"
    assert run("grade", CLASS, "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Results", "Summary"]
    sheet = book["Results"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["ID", "Last name", "First name", "classe", "remarque"]
    assert "Average" in header and "Decision" in header
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}25"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 24
    average, decision = header.index("Average"), header.index("Decision")
    for row, student in zip(rows, reference["students"]):
        assert row[0] == student["id"]
        if student["average"] is None:
            assert row[average] is None
        else:
            assert isinstance(row[average], float | int) and round(row[average], 2) == student["average"]
        assert row[decision] == {"admis": "passed", "controle": "resit orals", "ajourne": "failed",
                                 "absent": "absent", "incomplet": "incomplete"}[student["decision"]]
    assert sheet.cell(2, average + 1).number_format == "0.00"
    e1 = header.index("E1") + 1
    assert sheet.cell(2, e1).number_format == "0.00" and sheet.cell(2, e1).value == 12  # a grade, as a number
    disp = sheet.cell(7, e1)  # NDRC2506 is exempted from E1
    assert (disp.value, disp.data_type, disp.alignment.horizontal) == ("DISP", "s", "center")
    assert sheet.cell(2, decision + 1).fill.fgColor.rgb.endswith("C6EFCE")  # passed, and coloured
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formula anywhere
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["passed"] == 12 and summary["Students"] == 24 and summary["Mean average"] == 10.67


def test_the_results_workbook_in_french_and_hostile_text(tmp_path: Path) -> None:
    import openpyxl

    sheet = write(tmp_path / "s.csv", 'id;nom;E1;E2;E3;E4;E5;E6;note\n=1+2;=HYPERLINK("http://x","y");12;12;12;12;12;'
                                      '12;@SUM(A1)\n')
    out = tmp_path / "r.xlsx"
    assert run("--lang", "fr", "grade", sheet, "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Résultats", "Synthèse"]
    first = [c for c in book["Résultats"][2]]
    assert [c.value for c in first[:3]] == ["=1+2", '=HYPERLINK("http://x","y")', "@SUM(A1)"]
    assert all(c.data_type == "s" for c in first[:3])
    header = [c.value for c in book["Résultats"][1]]
    assert header[0] == "N° candidat" and "Moyenne" in header and first[header.index("Décision")].value == "admis"


def test_an_output_extension_ndrc_cannot_write(tmp_path: Path) -> None:
    for name, fmt in (("r.ods", None), ("r.pdf", None), ("r.docx", None), ("r.html", None), ("r.xlsx", "csv")):
        out = tmp_path / name
        result = run("grade", CLASS, "-o", str(out), *(["-f", fmt] if fmt else []))
        assert result.exit_code == 2 and not out.exists(), name
        assert "xlsx (.xlsx)" in result.stderr and "csv (.csv)" in result.stderr
    html = run("grade", CLASS, "-o", str(tmp_path / "r.html"))
    assert "ndrc report SHEET -o FILE.html" in html.stderr
    sim = run("simulate", str(EXAMPLES / "examen-blanc-1.csv"), "-o", str(tmp_path / "s.xlsx"))
    assert sim.exit_code == 2 and "xlsx" not in sim.stderr.split("writes:")[1]


def test_streamed_and_in_memory_excel_csv_agree_in_both_languages(tmp_path: Path) -> None:
    from ndrc_cli import i18n

    for lang in ("en", "fr"):
        i18n.set_language(lang)
        out = tmp_path / f"{lang}.csv"
        assert run("grade", CLASS, "--excel", "-o", str(out)).exit_code == 0  # streamed
        in_memory = run("grade", CLASS, "--excel", "--jury-margin", "0")  # not streamed
        assert out.read_bytes().decode("utf-8-sig").replace("\r\n", "\n") == in_memory.stdout.lstrip("\ufeff")


def test_an_empty_workbook_to_fill_then_grade(tmp_path: Path) -> None:
    import openpyxl

    sheet = tmp_path / "notes.xlsx"
    assert run("template", "-o", str(sheet)).exit_code == 0
    book = openpyxl.load_workbook(sheet)
    notes = book["Notes"]
    assert [c.value for c in notes[1]] == ["id", "nom", "prenom", "E1", "E2", "E3", "E4", "E5", "E6", "EF1", "EF2"]
    notes.append(["0042", "Martin", "Léa", 12, 11.5, "DISP", 14, 12.5, 15, None])
    book.save(sheet)
    student = graded(sheet)["students"][0]
    # (3×12 + 3×11.5 + 5×14 + 4×12.5 + 3×15) / 18 = 235.5 / 18 = 13.083… → 13.08
    assert (student["id"], student["average"], student["decision"]) == ("0042", 13.08, "admis")
    refused = run("template", "-o", str(tmp_path / "notes.ods"))
    assert refused.exit_code == 2 and not (tmp_path / "notes.ods").exists()


def test_text_outputs_are_never_written_under_a_workbook_name(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    explain = run("grade", CLASS, "--explain", "NDRC2501", "-o", str(out))
    assert explain.exit_code == 2 and explain.stderr == "error: --explain writes text: use -o FILE.txt, or no -o\n"
    attestation = run("attestation", CLASS, "--student", "NDRC2517", "-o", str(out))
    assert attestation.exit_code == 2 and not out.exists()


def test_sheet_on_a_csv_is_ignored_with_a_note(tmp_path: Path) -> None:
    for args in ([], ["-o", str(tmp_path / "o.csv")]):  # in memory, and where the stream would run
        result = run("grade", CLASS, "--sheet", "Notes", "-f", "csv", *args)
        assert result.exit_code == 0
        assert result.stderr == f"{CLASS}: note: --sheet applies to workbooks only; ignored\n"


# -- the same class, as CSV and as a workbook, is the same class ---------------------------

_cell = st.one_of(
    st.integers(0, 2000).map(lambda h: h / 100),  # a grade with two decimals, as a spreadsheet stores it
    st.integers(0, 20),
    st.sampled_from(["", "ABS", "ABJ", "NN", "Abs"]),
)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(_cell, min_size=7, max_size=7), min_size=1, max_size=6),
       curriculum_file=st.sampled_from(["", "bts-mco.yaml"]))
def test_a_workbook_and_its_csv_grade_alike(rows: list[list[Any]], curriculum_file: str) -> None:
    import tempfile

    import xlsxwriter

    units = ["E1", "E2", "E3", "E4", "E5", "E6", "EF1"] if not curriculum_file else [
        "E1", "E2", "E3", "E4", "E5", "E6", "E7"]
    args = ["-c", str(EXAMPLES / curriculum_file)] if curriculum_file else []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, book_path = Path(tmp) / "c.csv", Path(tmp) / "c.xlsx"
        lines = ["id;nom;" + ";".join(units)]
        book = xlsxwriter.Workbook(str(book_path))
        sheet = book.add_worksheet("Notes")
        for c, label in enumerate(["id", "nom", *units]):
            sheet.write_string(0, c, label)
        for r, row in enumerate(rows, start=1):
            texts = (v if isinstance(v, str) else str(v).replace(".", ",") for v in row)
            lines.append(f"S{r};Nom {r};" + ";".join(texts))
            sheet.write_string(r, 0, f"S{r}")
            sheet.write_string(r, 1, f"Nom {r}")
            for c, value in enumerate(row, start=2):
                if isinstance(value, str):
                    if value:
                        sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
        book.close()
        csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert numbers(graded(book_path, *args)) == numbers(graded(csv_path, *args))


def test_a_checkbox_is_never_the_grade_1(tmp_path: Path) -> None:
    """TRUE == 1 in Python: a boolean cell under a grade 1 must not be read as 1."""
    import xlsxwriter

    path = tmp_path / "cases.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("N")
    for c, label in enumerate(["id", "E1", "E2", "E3", "E4", "E5", "E6"]):
        sheet.write_string(0, c, label)
    for r, first in ((1, 1), (2, True), (3, 0), (4, False)):
        sheet.write_string(r, 0, f"S{r}")
        sheet.write(r, 1, first)
        for c in range(2, 7):
            sheet.write_number(r, c, 12)
    book.close()
    expected = [f"{path}:N!B3: E1: the cell holds TRUE, not a grade",
                f"{path}:N!B5: E1: the cell holds FALSE, not a grade"]
    for args in (["-o", str(tmp_path / "o.csv")], []):  # streamed, and in memory
        result = run("grade", str(path), "-f", "csv", *args)
        assert result.exit_code == 1 and result.stderr.splitlines()[:-1] == expected
    assert not (tmp_path / "o.csv").exists()


def test_a_visible_grade_sheet_before_a_hidden_one(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, grade, hidden in (("Ancienne", 5, True), ("Notes", 15, False)):
        sheet = book.add_worksheet(name)
        for c, value in enumerate(["id", "E1"]):
            sheet.write(0, c, value)
        sheet.write_row(1, 0, ["A", grade])
        if hidden:
            sheet.hide()
    book.get_worksheet_by_name("Notes").activate()
    book.close()
    result = run("grade", str(path), "-f", "json")
    assert json.loads(result.stdout)["students"][0]["units"]["E1"]["grade"] == 15
    assert "'Notes'" in result.stderr and "'Ancienne'" in result.stderr  # chosen, and the other one named


def test_an_xls_larger_than_its_first_bytes_is_read_on_every_path(tmp_path: Path) -> None:
    """An .xls tells it is a workbook only in its directory, at the end of the
    file: a cohort's .xls (85 KB) was refused as "not a spreadsheet" by every
    path but the streamed CSV."""
    path = FIXTURES / "cohort-700.xls"
    assert len(path.read_bytes()) > 1 << 16
    data = graded(path)
    assert len(data["students"]) == 700
    # (LibreOffice took the ids 0000001… for numbers: the results are compared, not the ids.)
    assert numbers(data) == numbers(graded(FIXTURES / "src" / "cohort-700.csv"))
    streamed = run("grade", str(path), "-f", "csv", "-o", str(tmp_path / "o.csv"))
    assert streamed.exit_code == 0 and len((tmp_path / "o.csv").read_text().splitlines()) == 701
