"""A sheet's layout as teachers make it: merged and hidden cells, scales in
headers, a page break's repeated header, the teacher's own columns, the
workbook's grade sheet among others — each read right or refused at its
place, never misread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run, write

FIXTURES = ROOT / "tests" / "fixtures"
HEADER = "id;nom;E1;E2;E3;E4;E5;E6\n"


def book(path: Path, sheets: dict[str, list[list[Any]]], hide_rows: tuple[int, ...] = (),
         hide_columns: tuple[int, ...] = ()) -> str:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        for r in hide_rows:
            sheet.set_row(r, None, None, {"hidden": True})
        for c in hide_columns:
            sheet.set_column(c, c, None, None, {"hidden": True})
    workbook.close()
    return str(path)


@pytest.mark.parametrize("name", ["merged.xlsx", "merged.ods", "merged.xls"])
def test_merged_unit_cells_are_refused_at_their_range(tmp_path: Path, name: str) -> None:
    """DISP merged over E1:E3 reads as DISP, blank, blank: A2 would be
    `incomplet` where the teacher sees an exemption. Refused, naming the range."""
    if name == "merged.xlsx":
        import sys

        sys.path.insert(0, str(FIXTURES))
        from make_fixtures import merged_workbook

        merged_workbook(tmp_path / name)
        path = str(tmp_path / name)
    else:
        path = str(FIXTURES / name)
    for args in ([], ["-o", str(tmp_path / "o.csv")]):  # in memory, and the streamed path
        result = run("grade", path, "-f", "csv", *args)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            f"{path}:Notes!C3: cells C3:E3 are merged: ndrc reads one grade or marker per unit; unmerge them and "
            "write it in each cell")


@pytest.mark.parametrize("header", ["E4 (/40)", "E4 sur 40", "Oral E4 /10"])
def test_a_unit_out_of_another_scale_is_refused_at_its_header(tmp_path: Path, header: str) -> None:
    sheet = write(tmp_path / "s.csv", HEADER.replace("E4", header) + "A1;X;12;12;12;20;12;12\n")
    result = run("grade", sheet, "-f", "json")
    assert result.exit_code == 1 and f"{sheet}:1:6: {header}: the header says grades out of" in result.stderr


def test_a_unit_out_of_20_in_its_header_is_read(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", HEADER.replace("E4", "E4 /20") + "A1;X;12;12;12;20;12;12\n")
    assert run("grade", sheet, "-f", "json").exit_code == 0


def test_a_scale_row_as_text_is_checked(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.csv", HEADER + "Barème;;/20;/20;/20;/20;/20;/20\nA1;X;12;12;12;12;12;12\n")
    result = run("grade", ok, "-f", "json")
    assert result.exit_code == 0 and "scale: line 2 (Barème)" in result.stderr
    bad = write(tmp_path / "bad.csv", HEADER + ";;/20;/20;/20;/40;/20;/20\nA1;X;12;12;12;12;12;12\n")
    result = run("grade", bad, "-f", "json")
    assert result.exit_code == 1 and f"{bad}:2:6: E4: the scale row says /40" in result.stderr


def test_a_page_breaks_repeated_header_is_skipped(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", HEADER + "A1;X;12;12;12;12;12;12\n" + HEADER + "A2;Y;10;10;10;10;10;10\n")
    result = run("grade", sheet, "-f", "json")
    assert result.exit_code == 0 and "line 3 (the header again: a page break?)" in result.stderr
    assert [s["id"] for s in json.loads(result.stdout)["students"]] == ["A1", "A2"]


def test_an_instructions_sheet_with_one_example_loses_to_the_class(tmp_path: Path) -> None:
    header = ["id", "nom", "E1", "E2", "E3", "E4", "E5", "E6"]
    path = book(tmp_path / "b.xlsx", {
        "Consignes": [["Remplir une ligne par candidat"], header, ["Exemple", "Nom", 12, 12, 12, 12, 12, 12]],
        "Notes": [header, *[[f"A{i}", f"N{i}", 10, 11, 12, 13, 14, 15] for i in range(8)]],
    })
    result = run("grade", path, "-f", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["students"]) == 8
    assert "grades read from sheet 'Notes'" in result.stderr


def test_hidden_rows_and_unit_columns_read_are_said(tmp_path: Path) -> None:
    header = ["id", "nom", "E1", "E2", "E3", "E4", "E5", "E6"]
    path = book(tmp_path / "h.xlsx", {"Notes": [header, ["A1", "X", 12, 12, 12, 12, 12, 12],
                                               ["A2", "Y", 10, 10, 10, 10, 10, 10]]},
                hide_rows=(2,), hide_columns=(7,))
    result = run("grade", path, "-f", "json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)["students"]) == 2
    assert ("note: hidden in the workbook, yet read: student row 3 (hidden); unit columns column 'E6' (H) (hidden)"
            in result.stderr)


def test_a_hidden_second_column_for_a_unit_names_both_and_the_fix(tmp_path: Path) -> None:
    header = ["id", "nom", "E1", "E2", "E3", "E4", "E4 avant harmonisation", "E5", "E6"]
    path = book(tmp_path / "h.xlsx", {"Notes": [header, ["A1", "X", 12, 12, 12, 14, 13, 12, 12]]}, hide_columns=(6,))
    result = run("grade", path, "-f", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:Notes!G1: column 'E4 avant harmonisation' (G) (hidden) names E4 again, like column 'E4' (F): "
        "keep one, or carry this one along with --column \"E4 avant harmonisation=-\"")


def test_grades_with_many_decimals_are_said(tmp_path: Path) -> None:
    """A formula shown 12,67 keeps 12.6666666666667 (15 digits): counted as kept, and said."""
    header = ["id", "nom", "E1", "E2", "E3", "E4", "E5", "E6"]
    path = book(tmp_path / "d.xlsx", {"Notes": [header, ["A1", "X", 12, 12, 12, 38 / 3, 12, 12]]})
    result = run("grade", path, "-f", "json")
    assert result.exit_code == 0
    assert "grades with more than two decimals count exactly as they are kept" in result.stderr
    assert "E4 row 2 (12.6666666666667)" in result.stderr


def test_each_unmapped_column_is_offered_another_missing_unit(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id;nom;Écrit;Oral;E3;E4;E5;E6\nA1;X;12;12;12;12;12;12\n")
    result = run("grade", sheet, "-f", "json")
    assert result.exit_code == 1
    assert '--column "Écrit=E1"' in result.stderr and '--column "Oral=E2"' in result.stderr


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_hidden_columns_and_rows_of_every_workbook_kind_are_named(kind: str) -> None:
    """The same workbook saved by LibreOffice (tests/fixtures/make_fixtures.py):
    a hidden `E4 avant harmonisation` beside `E4`, and a hidden student row."""
    path = str(FIXTURES / f"hidden-column.{kind}")
    result = run("grade", path, "-f", "json")
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == (
        f"{path}:Notes!G1: column 'E4 avant harmonisation' (G) (hidden) names E4 again, like column 'E4' (F): "
        "keep one, or carry this one along with --column \"E4 avant harmonisation=-\"")
    result = run("grade", path, "-f", "json", "--column", "E4 avant harmonisation=-")
    assert result.exit_code == 0 and "hidden in the workbook, yet read: student row 3 (hidden)" in result.stderr
    assert [s["units"]["E4"]["grade"] for s in json.loads(result.stdout)["students"]] == [14, 10]


def test_a_phrase_under_a_names_only_table_is_no_student(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "Élève;E1;E2;E3;E4;E5;E6\nMARTIN Léa;12;12;12;12;12;12\n"
                  "Maria de Fátima DOS SANTOS;;;;;;\nRelevé certifié conforme;;;;;;\n")
    result = run("grade", sheet, "-f", "json")
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.stdout)["students"]] == ["MARTIN Léa", "Maria de Fátima DOS SANTOS"]
    assert "line 4 (Relevé certifié conforme)" in result.stderr
