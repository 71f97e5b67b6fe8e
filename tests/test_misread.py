"""Sheets that teachers really keep and that ndrc must not misread.

Each test builds one kind of sheet that a careful reader either reads right or
refuses with a message that points at the fix: a row of coefficients, rows of
class statistics, lines under the table, a row with grades and nobody,
formula values a spreadsheet shows rounded, the teacher's own numeric
columns, a workbook whose first sheet is not the class, a hidden column, and
one problem repeated on many rows.

Messages are being rewritten: the tests assert behaviour and positions (exit
code, who is a student, the results, the row numbers a message names) and
only the key words any good message must hold, case-insensitively.

Every expected result is computed by hand in a comment, with the default
curriculum: E1–E6 mandatory with coefficients 3, 3, 3, 5, 4, 3 (sum 21); the
optional EF1/EF2 add their points above 10 to the points, not to the divisor;
`admis` at average >= 10; `controle` at 8 <= average < 10 with a professional
average (5·E4 + 4·E5 + 3·E6) / 12 >= 10; `ajourne` otherwise (docs/rules.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import run, write

from ndrc_cli import i18n

UNITS = "E1;E2;E3;E4;E5;E6"

# Two students used by most sheets below.
#   Martin Léa  12 11 13 14 12 15: 36 + 33 + 39 + 70 + 48 + 45 = 271; 271 / 21 = 12.904… -> 12.90, admis
#   Petit Hugo   8  9  7 11 10  9: 24 + 27 + 21 + 55 + 40 + 27 = 194; 194 / 21 = 9.238… -> 9.24;
#                pro (55 + 40 + 27) / 12 = 122 / 12 = 10.17 >= 10 -> controle
MARTIN = "12;11;13;14;12;15"
PETIT = "8;9;7;11;10;9"


def grade(path: str | Path, *args: str) -> Any:
    return run("grade", str(path), "-f", "json", *args)


def graded(path: str | Path, *args: str) -> dict[str, Any]:
    result = grade(path, *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def averages(data: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    return {s["id"]: (s["average"], s["decision"]) for s in data["students"]}


def results(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What the computation gives each student, in sheet order."""
    return [(s["id"], s["name"], s["line"], s["average"], s["decision"], s["bonus"], s["points"], s["divisor"],
             s["professional_average"], s["units"], s["blocs"], s["missing"], s["absent"])
            for s in data["students"]]


def says_row(text: str, path: str | Path, n: int, ranges: bool = False) -> bool:
    """Whether `text` (stderr) names row or line `n` of `path`: `F:7:`, `row 7`,
    `lines 5, 7 and 9`… (with `ranges`, `rows 5–7` too). The file's own name is
    taken out first (its folder may hold digits), and a number inside another
    (17, 12.7, E7) does not count."""
    text = text.replace(str(path), "F")
    if re.search(rf"(?<![\w.,]){n}(?!\w|[.,]\d)", text):
        return True
    spans = re.findall(r"(?<![\w.,])(\d+)\s*(?:-|–|—|to|à)\s*(\d+)(?!\w|[.,]\d)", text) if ranges else []
    return any(int(a) <= n <= int(b) for a, b in spans)


def xlsx(path: Path, sheets: dict[str, list[list[Any]]], hidden_columns: dict[str, list[int]] | None = None) -> str:
    """A workbook: sheet name -> rows; a value `("=formula", cached)` is a
    formula cell with its saved value, as Excel writes one."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for column in (hidden_columns or {}).get(name, []):
            sheet.set_column(column, column, None, None, {"hidden": True})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[0], None, value[1])
                elif isinstance(value, str):
                    if value:
                        sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return str(path)


# -- 1. a row of coefficients under the header ------------------------------------------


def test_a_coefficient_row_is_not_a_student(tmp_path: Path) -> None:
    # Roux Inès 6 7 8 8 9 7: 18 + 21 + 24 + 40 + 36 + 21 = 160; 160 / 21 = 7.619… -> 7.62, ajourne
    # (pro (40 + 36 + 21) / 12 = 8.08 < 10).
    # Read as a student, the coefficient row 3 3 3 5 4 3 would be 9 + 9 + 9 + 25 + 16 + 9 = 77;
    # 77 / 21 = 3.67, ajourne — today's reading.
    students = f"Martin;Léa;{MARTIN}\nPetit;Hugo;{PETIT}\nRoux;Inès;6;7;8;8;9;7\n"
    sheet = write(tmp_path / "coef.csv", f"Nom;Prénom;{UNITS}\nCoefficients;;3;3;3;5;4;3\n{students}")
    # The same sheet without that row: a blank line in its place keeps every line number.
    reference = graded(write(tmp_path / "ref.csv", f"Nom;Prénom;{UNITS}\n;;;;;;;\n{students}"))
    assert averages(reference) == {"Martin Léa": (12.9, "admis"), "Petit Hugo": (9.24, "controle"),
                                   "Roux Inès": (7.62, "ajourne")}

    result = grade(sheet)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Coefficients" not in [s["id"] for s in data["students"]]
    assert data["students"] == reference["students"]
    assert data["summary"] == reference["summary"]
    assert says_row(result.stderr, sheet, 2), result.stderr  # the note names the row it left out

    # Coefficients that are not the curriculum's (E4 at 4, not 5): still not a student,
    # and the teacher is told that the sheet's E4 coefficient differs from ndrc's.
    # (Read as a student: 9 + 9 + 9 + 20 + 16 + 9 = 72; 72 / 21 = 3.43.)
    other = write(tmp_path / "coef4.csv", f"Nom;Prénom;{UNITS}\nCoefficients;;3;3;3;4;4;3\n{students}")
    result = grade(other)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Coefficients" not in [s["id"] for s in data["students"]]
    assert data["students"] == reference["students"] and data["summary"] == reference["summary"]
    assert says_row(result.stderr, other, 2), result.stderr
    assert re.search(r"\bE4\b", result.stderr), result.stderr


# -- 2. rows of class statistics as gradebooks label them ----------------------------------


def test_class_statistics_rows_are_not_students(tmp_path: Path) -> None:
    # Under Martin (line 2) and Petit (line 3), the class's statistics:
    #   mean: (12+8)/2 = 10, (11+9)/2 = 10, (13+7)/2 = 10, (14+11)/2 = 12.5, (12+10)/2 = 11, (15+9)/2 = 12
    #   highest 12 11 13 14 12 15, lowest 8 9 7 11 10 9, and 2 students graded in each unit.
    stats = [("Moy. classe", "10;10;10;12,5;11;12"), ("Note la plus haute", MARTIN),
             ("Note la plus basse", PETIT), ("Nb d'élèves notés", "2;2;2;2;2;2")]
    head = f"id;nom;{UNITS}\nA1;Martin;{MARTIN}\nA2;Petit;{PETIT}\n"
    reference = graded(write(tmp_path / "ref.csv", head))
    assert averages(reference) == {"A1": (12.9, "admis"), "A2": (9.24, "controle")}

    # The label in the id column (today: four students more, exit 0), in the name
    # column (today: "empty id" on each, exit 1), or both mixed.
    layouts = {
        "id": [f"{label};;{grades}" for label, grades in stats],
        "name": [f";{label};{grades}" for label, grades in stats],
        "mixed": [f"{label};;{grades}" if n % 2 == 0 else f";{label};{grades}"
                  for n, (label, grades) in enumerate(stats)],
    }
    for layout, rows in layouts.items():
        sheet = write(tmp_path / f"stats-{layout}.csv", head + "\n".join(rows) + "\n")
        result = grade(sheet)
        assert result.exit_code == 0, (layout, result.stderr)
        data = json.loads(result.stdout)
        assert data["students"] == reference["students"], layout
        assert data["summary"] == reference["summary"], layout
        for line in (4, 5, 6, 7):  # the note lists every row it skipped
            assert says_row(result.stderr, sheet, line, ranges=True), (layout, line, result.stderr)

    # A bare row of column means (a =MOYENNE() row, no label at all): never a student
    # graded with exit 0; skipped, or refused with its row number.
    bare = write(tmp_path / "bare.csv", head + ";;10;10;10;12,5;11;12\n")
    result = grade(bare)
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 0:
        data = json.loads(result.stdout)
        assert data["students"] == reference["students"] and data["summary"] == reference["summary"]
    assert says_row(result.stderr, bare, 4), result.stderr


# -- 3. lines under the table ----------------------------------------------------------------


def test_lines_under_the_table_are_not_students(tmp_path: Path) -> None:
    # Line 4 is blank; lines 5, 6 and 7 hold text in the first column only, as the
    # teacher typed them under the class (padded with ; as Excel exports a sheet).
    lines = ["ABS : absent — DISP : dispensé", "Fait à Lyon, le 24 juin 2026", "Le président du jury"]
    for header, first, second in ((f"id;nom;{UNITS}", "A1;Martin", "A2;Petit"),
                                  (f"Nom;Prénom;{UNITS}", "Martin;Léa", "Petit;Hugo")):
        table = f"{header}\n{first};{MARTIN}\n{second};{PETIT}\n"
        reference = graded(write(tmp_path / "ref.csv", table))
        assert [a for a, _ in averages(reference).values()] == [12.9, 9.24]
        sheet = write(tmp_path / "under.csv", table + ";;;;;;;\n" + "".join(f'"{t}";;;;;;;\n' for t in lines))
        result = grade(sheet)
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        # Today: three more students, `incomplet`, and nothing said.
        assert data["students"] == reference["students"], header
        assert data["summary"] == reference["summary"], header
        for line in (5, 6, 7):
            assert says_row(result.stderr, sheet, line, ranges=True), (header, line, result.stderr)


# -- 4. grades that belong to nobody -------------------------------------------------------------


def test_a_row_of_grades_with_nobody_is_refused_with_its_row(tmp_path: Path) -> None:
    # Line 4 holds grades but no id, no name and no label, and is no statistics row:
    # not the means (E6 13 ≠ 12), not the highest (10 ≠ 12) nor the lowest (10 ≠ 8).
    orphan = ";;10;10;10;12,5;11;13\n"
    for header, first, second in ((f"id;nom;{UNITS}", "A1;Martin", "A2;Petit"),
                                  (f"Nom;Prénom;{UNITS}", "Martin;Léa", "Petit;Hugo")):
        sheet = write(tmp_path / "orphan.csv", f"{header}\n{first};{MARTIN}\n{second};{PETIT}\n{orphan}")
        result = grade(sheet)
        assert result.exit_code == 1, (header, result.stdout, result.stderr)
        assert result.stdout == ""
        problem = [line for line in result.stderr.splitlines() if says_row(line, sheet, 4)]
        assert problem, (header, result.stderr)
        if header.startswith("Nom"):
            # A sheet with no id column: the row lacks a name. "empty id" sends the
            # teacher looking for an id column the sheet does not have (today's message).
            assert any(re.search(r"\bnames?\b", line, re.IGNORECASE) for line in problem), result.stderr


# -- 5. formula values as the spreadsheet shows them ------------------------------------------


def test_formula_values_are_read_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    # Row 2: E4 = 0.3·E1 + 0.7·E2 = 0.3 × 6.5 + 0.7 × 11.5 = 1.95 + 8.05 = 10, which binary
    #   doubles compute as 9.999999999999998 (the value Excel saves; it shows 10).
    #   With E4 at 10: 3×6.5 + 3×11.5 + 3×10 + 5×10 + 4×10 + 3×12 = 19.5 + 34.5 + 30 + 50 + 40 + 36 = 210;
    #   210 / 21 = 10 exactly -> admis. (Read as 9.999999999999998: just under 10, pro
    #   (50 + 40 + 36) / 12 = 10.5 -> controle — today's reading.)
    # Row 3: E4 = 0.3 × 6.25 + 0.7 × 11.5 = 1.875 + 8.05 = 9.925, saved as 9.924999999999999.
    #   3×6.25 + 3×11.5 + 3×13 + 5×9.925 + 4×13 + 3×13.25 = 18.75 + 34.5 + 39 + 49.625 + 52 + 39.75
    #   = 233.625; 233.625 / 21 = 11.125 exactly -> 11.13 half up (11.12 from 9.924999999999999);
    #   the grade 9.925 shows 9.93 (9.92 from 9.924999999999999). admis either way.
    # Row 4: E5 = (E1 + E2) / 2 = (11.6 + 13) / 2 = 12.3, saved as the double nearest 12.3.
    #   3×11.6 + 3×13 + 3×12 + 5×12 + 4×12.3 + 3×12 = 34.8 + 39 + 36 + 60 + 49.2 + 36 = 255;
    #   255 / 21 = 12.142… -> 12.14, admis.
    assert 0.3 * 6.5 + 0.7 * 11.5 == 9.999999999999998  # what the spreadsheet computed and saved
    assert 0.3 * 6.25 + 0.7 * 11.5 == 9.924999999999999
    assert (11.6 + 13) / 2 == 12.3
    book = xlsx(tmp_path / "formules.xlsx", {"Notes": [
        ["id", "E1", "E2", "E3", "E4", "E5", "E6"],
        ["A", 6.5, 11.5, 10, ("=0.3*B2+0.7*C2", 0.3 * 6.5 + 0.7 * 11.5), 10, 12],
        ["B", 6.25, 11.5, 13, ("=0.3*B3+0.7*C3", 0.3 * 6.25 + 0.7 * 11.5), 13, 13.25],
        ["C", 11.6, 13, 12, 12, ("=(B4+C4)/2", (11.6 + 13) / 2), 12],
    ]})
    data = graded(book)
    a, b, c = data["students"]
    assert a["units"]["E4"]["grade"] == 10
    assert (a["average"], a["decision"]) == (10, "admis")
    assert b["units"]["E4"]["grade"] == 9.93
    assert (b["average"], b["decision"]) == (11.13, "admis")
    assert c["units"]["E5"]["grade"] == 12.3
    assert (c["average"], c["decision"]) == (12.14, "admis")
    assert data["summary"]["decisions"]["admis"] == 3


# -- 6. the teacher's own numeric columns ----------------------------------------------------------


def test_the_teachers_own_numeric_columns_are_no_unit(tmp_path: Path) -> None:
    # A1 Martin: 12.904… -> 12.90 admis; the sheet's Moyenne 12.90 is within 0.01.
    # A2 Petit with EF1 14: (194 + (14 − 10)) / 21 = 198 / 21 = 9.428… -> 9.43; pro 10.17 -> controle.
    #   The sheet says 9.24 (the bonus forgotten): off by 0.19.
    # A3 Roux 11 everywhere: 231 / 21 = 11 exactly -> admis. The sheet says 11.01: off by 0.01.
    # Rang, N° and Âge hold small whole numbers (1–3, 18–20) that read as grades.
    reference = graded(write(tmp_path / "ref.csv", (
        f"id;nom;{UNITS};EF1\n"
        f"A1;Martin;{MARTIN};\n"
        f"A2;Petit;{PETIT};14\n"
        "A3;Roux;11;11;11;11;11;11;\n")))
    assert averages(reference) == {"A1": (12.9, "admis"), "A2": (9.43, "controle"), "A3": (11, "admis")}
    sheet = write(tmp_path / "own.csv", (
        f"id;nom;{UNITS};EF1;Moyenne;Moy. générale;Rang;N°;Âge\n"
        f"A1;Martin;{MARTIN};;12,90;12,90;1;1;19\n"
        f"A2;Petit;{PETIT};14;9,24;9,24;3;2;20\n"
        "A3;Roux;11;11;11;11;11;11;;11,01;11,01;2;3;18\n"))
    result = grade(sheet)
    # Today: refused, each column suggested as the optional EF2 (--column "Moyenne=EF2").
    assert "=EF2" not in result.stderr and "=EF1" not in result.stderr, result.stderr
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # The results, not the carried columns (nor anything the JSON may add about the
    # sheet's own averages).
    assert results(data) == results(reference)
    assert {k: data["summary"][k] for k in reference["summary"]} == reference["summary"]
    # The sheet's own average disagrees with ndrc's by 0.01 or more for A2 and A3:
    # each is named, with both values.
    for sid in ("A2", "A3"):
        assert re.search(rf"\b{sid}\b", result.stderr), (sid, result.stderr)
    for value in (r"9[.,]24\b", r"9[.,]43\b", r"11[.,]01\b"):
        assert re.search(value, result.stderr), (value, result.stderr)

    # A mandatory unit (E6) has no column: an unknown numeric column may be refused,
    # but the fix suggested must never make it an optional unit.
    no_e6 = write(tmp_path / "no-e6.csv", (
        "id;nom;E1;E2;E3;E4;E5;EF1;Moyenne\n"
        "A1;Martin;12;11;13;14;12;;12,90\n"
        "A2;Petit;8;9;7;11;10;14;9,24\n"))
    result = grade(no_e6)
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert "=EF1" not in result.stderr and "=EF2" not in result.stderr, result.stderr


# -- 7. a workbook whose first sheet is not the class -------------------------------------------------


def test_the_sheet_with_the_most_units_is_the_class(tmp_path: Path) -> None:
    jury = [["Candidat", "Examinateur 1", "Examinateur 2", "E4"],
            ["A1", "Mme Durand", "M. Leroy", 14], ["A2", "Mme Durand", "M. Leroy", 11]]
    header = ["id", "nom", "E1", "E2", "E3", "E4", "E5", "E6"]
    martin = ["A1", "Martin", 12, 11, 13, 14, 12, 15]
    petit = ["A2", "Petit", 8, 9, 7, 11, 10, 9]
    # 'Jury E4' comes first and names one unit; 'Notes' names all six mandatory ones.
    book = xlsx(tmp_path / "classe.xlsx", {"Jury E4": jury, "Notes": [header, martin, petit]})
    result = grade(book)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # Today 'Jury E4' is graded: two `incomplet` students with E4 only.
    assert averages(data) == {"A1": (12.9, "admis"), "A2": (9.24, "controle")}
    assert data["students"][0]["units"]["E1"]["grade"] == 12
    assert re.search(r"\bNotes\b", result.stderr), result.stderr  # the note names the chosen sheet

    # The class sheet has a bad cell (E1 = 25): refused, and the message tells of the
    # other sheet that holds a unit column and of --sheet, for the teacher who meant it.
    bad = xlsx(tmp_path / "bad.xlsx", {"Jury E4": jury, "Notes": [header, martin, ["A2", "Petit", 25, *petit[3:]]]})
    result = grade(bad)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert re.search(r"\bNotes\b", result.stderr), result.stderr
    assert re.search(r"Jury E4", result.stderr, re.IGNORECASE), result.stderr
    assert "--sheet" in result.stderr, result.stderr


# -- 8. a hidden column beside its unit ---------------------------------------------------------------


def test_a_hidden_column_beside_its_unit(tmp_path: Path) -> None:
    # Column G, hidden, holds E4 before the jury's harmonisation (8); column H, visible, E4 (14).
    # With the visible E4: 271 / 21 = 12.904… -> 12.90, admis (with 8: 241 / 21 = 11.48).
    book = xlsx(tmp_path / "harmonisation.xlsx", {"Notes": [
        ["id", "nom", "prenom", "E1", "E2", "E3", "E4 avant harmonisation", "E4", "E5", "E6"],
        ["A1", "Martin", "Léa", 12, 11, 13, 8, 14, 12, 15],
    ]}, hidden_columns={"Notes": [6]})
    result = grade(book)
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 1:
        # Two columns name E4: the message names both headers, says one is hidden, and
        # gives the fix (today: "column 'E4' repeats column 7", nothing more).
        said = result.stderr
        assert re.search(r"E4 avant harmonisation", said, re.IGNORECASE), said
        assert re.search(r"(?<!\w)E4(?!\w|\s+avant)", said, re.IGNORECASE), said
        assert re.search(r"\bhidden\b", said, re.IGNORECASE), said
        assert "--column" in said, said
    else:
        student = json.loads(result.stdout)["students"][0]
        assert student["units"]["E4"]["grade"] == 14
        assert (student["average"], student["decision"]) == (12.9, "admis")


# -- 9. one problem on many rows, said once ---------------------------------------------------------


def test_a_problem_on_many_rows_is_said_once(tmp_path: Path) -> None:
    # 31 students on lines 2–32. E5 holds the unknown marker `abs.` on the 15 odd lines
    # 3, 5, …, 31 (every other row: no range can stand for them). Two problems on one row
    # each: `absente` in E6 on line 2, and line 12 lost its cells (only its id is left).
    abs_lines = list(range(3, 32, 2))
    assert len(abs_lines) == 15
    rows = []
    for line in range(2, 33):
        sid = f"S{line - 1:02}"
        e5 = "abs." if line in abs_lines else "12"
        e6 = "absente" if line == 2 else "12"
        rows.append(sid if line == 12 else f"{sid};Nom {sid};12;12;12;12;{e5};{e6}")
    sheet = write(tmp_path / "notes.csv", f"id;nom;{UNITS}\n" + "\n".join(rows) + "\n")

    for language in ("en", "fr"):
        i18n.set_language(language)
        try:
            result = grade(sheet)
        finally:
            i18n.set_language("en")
        said = result.stderr
        assert result.exit_code == 1, (language, result.stdout, said)
        # One line for `abs.`, listing its 15 rows.
        mentions = [line for line in said.replace(sheet, "F").splitlines() if "abs." in line.lower()]
        assert len(mentions) == 1, (language, said)
        for n in abs_lines:
            assert says_row(mentions[0], sheet, n), (language, n, said)
        # The accepted markers are listed at most once (RENONCIATION is in that list only).
        assert len(re.findall("renonciation", said, re.IGNORECASE)) <= 1, (language, said)
        # No plural after one: "1 cells", "1 rows", "1 cellules", "1 lignes"…
        plural = r"(?<![\d.,])1 (cells|rows|lines|problems|students|cellules|lignes|problèmes|candidats|élèves)\b"
        assert not re.search(plural, said, re.IGNORECASE), (language, said)
