"""`ndrc bulletin`: a teachers' gradebook -> subject averages and the exam
projected by the engine. Every expected number is computed by hand."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import EXAMPLES, run
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from ndrc_cli import i18n
from ndrc_cli.app.bulletin import build
from ndrc_cli.app.grading import grade_sheet
from ndrc_cli.core.bulletin import Assessed, Evaluation, Subject, subject_average
from ndrc_cli.core.model import Cell, Mark
from ndrc_cli.load.curriculum import load_curriculum
from ndrc_cli.load.gradebook import header_terms, match_subject
from ndrc_cli.render.bulletin_table import print_report

CUR = load_curriculum()


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> str:
    """A workbook with these sheets, cells as given (numbers stay numbers)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, (int, float)):
                    sheet.write_number(r, c, value)
                elif value:
                    sheet.write_string(r, c, str(value))
    book.close()
    return str(path)


def bulletin_json(*args: str) -> dict[str, object]:
    result = run("bulletin", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def by_id(data: dict[str, object]) -> dict[str, dict[str, object]]:
    students = data["students"]
    assert isinstance(students, list)
    return {s["id"]: s for s in students}


HEAD = ["id", "nom", "prenom"]


def test_scales_and_coefficients_in_headers(tmp_path: Path) -> None:
    # (12 × 2 + 5/10 × 20 × 1 + 30/40 × 20 × 0,5) / (2 + 1 + 0,5) = (24 + 10 + 7,5) / 3,5 = 11,857… -> 11.86
    book = workbook(tmp_path / "s1.xlsx", {"Économie": [
        [*HEAD, "DS1 (coef 2)", "Oral /10", "Dossier coef 0,5 sur 40"],
        ["A1", "Martin", "Camille", 12, 5, 30],
        ["A2", "Petit", "Manon", 20, 10, 40],
    ]})
    students = by_id(bulletin_json(book))
    subject = students["A1"]["subjects"]["Économie"]  # type: ignore[index]
    assert subject == {"average": 11.86, "counted": 3, "missing": 0, "class_mean": 15.93}
    assert students["A2"]["subjects"]["Économie"]["average"] == 20  # type: ignore[index]


def test_coefficient_row_and_scale_row(tmp_path: Path) -> None:
    # Coef. 1 and 3, Barème /20 and /10: (8 + 8/10 × 20 × 3) / 4 = (8 + 48) / 4 = 14
    path = tmp_path / "Droit.csv"
    path.write_text("id,nom,prenom,DS1,DS2\n,Coef.,,1,3\n,Barème,,/20,/10\nA1,Martin,Camille,8,8\n",
                    encoding="utf-8")
    result = run("bulletin", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert by_id(json.loads(result.stdout))["A1"]["subjects"]["Droit"]["average"] == 14  # type: ignore[index]
    assert "coefficients: line 2 (Coef.); scale: line 3 (Barème)" in result.stderr


def test_a_scale_row_over_one_student(tmp_path: Path) -> None:
    path = tmp_path / "Droit.csv"
    path.write_text("id,nom,prenom,DS1,Classe\n,Sur,,/40,\nA1,Martin,Camille,30,NDRC2\n", encoding="utf-8")
    result = run("bulletin", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert by_id(json.loads(result.stdout))["A1"]["subjects"]["Droit"]["counted"] == 1  # type: ignore[index]
    assert by_id(json.loads(result.stdout))["A1"]["subjects"]["Droit"]["average"] == 15  # type: ignore[index]


def test_markers_and_empty_cells_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "Informatique.csv"
    path.write_text("id,nom,prenom,TP1,TP2,TP3,TP4,TP5\nA1,Martin,Camille,ABS,14,NN,DISP,\n"
                    "A2,Petit,Manon,ABS,,,,\n", encoding="utf-8")
    students = by_id(bulletin_json(str(path)))
    assert students["A1"]["subjects"]["Informatique"] == {  # type: ignore[index]
        "average": 14, "counted": 1, "missing": 4, "class_mean": 14}
    assert students["A2"]["subjects"]["Informatique"]["average"] is None  # type: ignore[index]


def _class(tmp_path: Path, without: str = "") -> str:
    """One evaluation /20 per subject: each subject's average is its grade."""
    grades = {"Culture générale et expression": (12, 8), "Communication en langue étrangère": (11, 9),
              "Économie": (10, 6), "Droit": (14, 7), "Management des entreprises": (15, 8),
              "Relation client": (13, 12), "Gestion de clientèle": (12, 11),
              "Management de l'équipe commerciale": (9, 10), "Gestion de projet": (16, 10), "Informatique": (11, 10)}
    return workbook(tmp_path / "class.xlsx", {name[:31]: [[*HEAD, "DS"], ["A1", "Martin", "Camille", a],
                                                          ["A2", "Petit", "Manon", b]]
                                              for name, (a, b) in grades.items() if name != without})


def test_a_unit_fed_by_several_subjects_and_the_engine_decides(tmp_path: Path) -> None:
    # A1: E3 = (10 + 14 + 15) / 3 = 13; E5 = (12 + 9) / 2 = 10.5; E6 = (16 + 11) / 2 = 13.5.
    # Points: 12×3 + 11×3 + 13×3 + 13×5 + 10.5×4 + 13.5×3 = 36 + 33 + 39 + 65 + 42 + 40.5 = 255.5 / 21 = 12.166… admis.
    # A2: E3 = 7, E5 = 10.5, E6 = 10: 24 + 27 + 21 + 60 + 42 + 30 = 204 / 21 = 9.714…;
    # professional: (60 + 42 + 30) / 12 = 11 -> contrôle.
    students = by_id(bulletin_json(_class(tmp_path)))
    a1, a2 = students["A1"], students["A2"]
    assert a1["units"] == {"E1": 12, "E2": 11, "E3": 13, "E4": 13, "E5": 10.5, "E6": 13.5, "EF1": None}
    assert (a1["average"], a1["decision"]) == (12.17, "admis")
    assert (a2["average"], a2["decision"], a2["units"]["E3"]) == (9.71, "controle", 7)  # type: ignore[index]


def test_a_unit_without_any_subject_is_missing(tmp_path: Path) -> None:
    students = by_id(bulletin_json(_class(tmp_path, without="Relation client")))
    assert students["A1"]["units"]["E4"] is None  # type: ignore[index]
    assert (students["A1"]["average"], students["A1"]["decision"]) == (None, "incomplet")


def test_a_grade_above_its_scale_is_an_error_at_its_cell(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Économie": [[*HEAD, "DS1", "Oral /10"],
                                                         ["A1", "Martin", "Camille", 12, 12]]})
    result = run("bulletin", book)
    assert result.exit_code == 1
    assert "s1.xlsx:Économie!E2" in result.stderr and "grade 12 is above its scale (/10)" in result.stderr


def test_a_coefficient_that_is_no_positive_number_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "Droit.csv"
    path.write_text("id,nom,prenom,DS1 (coef 0),DS2\n,Coef.,,,0\nA1,Martin,Camille,8,8\n", encoding="utf-8")
    result = run("bulletin", str(path))
    assert result.exit_code == 1
    assert "Droit.csv:1:4" in result.stderr and "Droit.csv:2:5" in result.stderr
    assert "not a positive number" in result.stderr


def test_an_unknown_sheet_with_grades_is_refused(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Consignes": [["Saisir les notes ici."]],
                                           "Physique": [[*HEAD, "DS1"], ["A1", "Martin", "Camille", 12]],
                                           "Droit": [[*HEAD, "DS1"], ["A1", "Martin", "Camille", 12]]})
    result = run("bulletin", book)
    assert result.exit_code == 1
    assert "'Physique' holds grades but names no subject" in result.stderr
    assert "'Relation client'" in result.stderr and "rename it" in result.stderr


def test_a_csv_file_named_after_no_subject_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,nom,prenom,DS1\nA1,Martin,Camille,12\n", encoding="utf-8")
    result = run("bulletin", str(path))
    assert result.exit_code == 1
    assert "notes.csv:1:1: file 'notes' holds grades but its name names no subject" in result.stderr


def test_the_same_id_with_two_names_is_an_error(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Économie": [[*HEAD, "DS1"], ["A1", "Martin", "Camille", 12]],
                                           "Droit": [[*HEAD, "DS1"], ["A1", "Petit", "Manon", 12]]})
    result = run("bulletin", book)
    assert result.exit_code == 1
    assert "s1.xlsx:Droit!2:2" in result.stderr and "id A1" in result.stderr


def test_the_teachers_own_average_is_compared(tmp_path: Path) -> None:
    # (12 + 16 × 2) / 3 = 14.666… : 14.67 agrees, 14 does not.
    book = workbook(tmp_path / "s1.xlsx", {"Droit": [[*HEAD, "DS1", "DS2 (coef 2)", "Moyenne"],
                                                      ["A1", "Martin", "Camille", 12, 16, 14.67],
                                                      ["A2", "Petit", "Manon", 12, 16, 14]]})
    result = run("bulletin", book, "-f", "json")
    assert result.exit_code == 0
    assert "'Moyenne'" in result.stderr and "A2: 14.00 on the sheet, 14.67 exactly" in result.stderr
    assert "A1:" not in result.stderr


def test_two_evaluations_with_one_header_or_one_subject_twice_are_refused(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Droit": [[*HEAD, "DS", "ds"], ["A1", "Martin", "Camille", 12, 16]],
                                           "Dro": [[*HEAD, "DS"], ["A1", "Martin", "Camille", 12]]})
    result = run("bulletin", book)
    assert result.exit_code == 1
    assert "s1.xlsx:Droit!E1" in result.stderr and "same header as" in result.stderr and "--column" not in result.stderr
    assert "s1.xlsx:Dro!A1" in result.stderr and "already graded in 'Droit'" in result.stderr


def test_what_a_header_says_of_its_coefficient_and_scale() -> None:
    assert header_terms("DS1 (coef 2)") == ("2", None)
    assert header_terms("Oral /10") == (None, "10")
    assert header_terms("Dossier coef 0,5 sur 40") == ("0,5", "40")
    assert header_terms("QCM (Coeff. 3, /10)") == ("3", "10")
    assert header_terms("DS du 12/10") == (None, None)  # a date, no scale
    assert header_terms("Devoir n°1") == (None, None)
    assert header_terms("Dossier sur l'entreprise (coefficient)") == (None, None)
    assert header_terms("Oral coef -1") == ("-1", None)  # refused: not a positive number


def test_sheet_names_cut_short_or_abridged_name_their_subject() -> None:
    assert match_subject("Management de l'équipe commerci", CUR)[0] == "Management de l'équipe commerciale"
    assert match_subject("ECONOMIE", CUR)[0] == "Économie"
    assert match_subject("Gestion de p", CUR)[0] == "Gestion de projet"
    assert match_subject("Gestion", CUR) == (None, ["Gestion de clientèle", "Gestion de projet"])
    assert match_subject("Ge", CUR) == (None, [])
    assert match_subject("ANGLAIS", CUR)[0] == "Communication en langue étrangère"  # programme.short_names


def test_short_names_are_checked_by_the_curriculum_loader() -> None:
    from ndrc_cli.core.errors import InputError
    from ndrc_cli.load.curriculum import default_curriculum_text, parse_curriculum

    text = default_curriculum_text().replace('"Communication en langue étrangère": ["Anglais"', '"Physique": ["CGE"')
    with pytest.raises(InputError) as caught:
        parse_curriculum(text, "c.yaml")
    messages = [d.message for d in caught.value.diagnostics]
    assert any("'Physique' is no subject" in m for m in messages)
    assert any("'CGE' already names 'Culture générale et expression'" in m for m in messages)


def test_a_student_missing_from_a_subject_is_not_assessed_there(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Économie": [[*HEAD, "DS1"], ["A1", "Martin", "Camille", 12],
                                                         ["A2", "Petit", "Manon", 8]],
                                           "Droit": [[*HEAD, "DS1"], ["A1", "Martin", "Camille", 14]]})
    result = run("bulletin", book, "-f", "json")
    assert result.exit_code == 0
    assert "not assessed in Droit: 1 student: A2 (Petit Manon)" in result.stderr
    a2 = by_id(json.loads(result.stdout))["A2"]
    assert a2["subjects"]["Droit"] == {"average": None, "counted": 0, "missing": 1, "class_mean": 14}  # type: ignore[index]
    assert a2["units"]["E3"] == 8  # type: ignore[index]


def test_the_example_semester() -> None:
    data = bulletin_json(str(EXAMPLES / "semestre-1.xlsx"))
    with open(EXAMPLES / "classe-ndrc.csv", encoding="utf-8") as f:
        example = [(r["id"], f"{r['nom']} {r['prenom']}") for r in csv.DictReader(f)]
    students = data["students"]
    assert isinstance(students, list)
    assert [(s["id"], s["name"]) for s in students] == example
    assert set(data["subjects"]) == {s for names in CUR.programme["subjects"].values()  # type: ignore[attr-defined,index]
                                     for s in names}
    # One ABS (García, Économie DS1): one evaluation counted, one not.
    garcia = by_id(data)["NDRC2507"]["subjects"]["Économie"]  # type: ignore[index]
    assert (garcia["counted"], garcia["missing"]) == (1, 1)


def test_the_table_fits_80_columns_in_both_languages(tmp_path: Path) -> None:
    long_names = workbook(tmp_path / "s1.xlsx", {"Économie": [[*HEAD, "DS1"], [
        "NDRC2026-000001", "Martin-Lefèvre de la Tour", "Marie-Charlotte", 12]]})
    example = _subjects(EXAMPLES / "semestre-1.xlsx")
    for language, words in (("en", ("exam if it were today", "incomplete", "Subject", "passed")),
                            ("fr", ("l'examen s'il avait lieu", "incomplet", "Matière", "admis"))):
        i18n.set_language(language)
        try:
            out = io.StringIO()
            print_report(build(CUR, example), Console(file=out, width=120, no_color=True))
            text = out.getvalue()
        finally:
            i18n.set_language("en")
        assert max(len(line) for line in text.splitlines()) <= 80
        assert words[2] in text and words[3] in text
        table = run_table(long_names, language)
        assert words[0] in table and words[1] in table


def run_table(book: str, language: str) -> str:
    result = run("--lang", language, "bulletin", book, "-f", "table")
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    return result.stdout


def _subjects(path: Path) -> list[Subject]:
    from ndrc_cli.load.gradebook import read_gradebook

    return list(read_gradebook([str(path)], CUR).subjects)


def test_sort_risk_and_one_student(tmp_path: Path) -> None:
    book = _class(tmp_path)
    students = bulletin_json(book, "--sort", "risk")["students"]
    assert [s["id"] for s in students] == ["A2", "A1"]  # type: ignore[union-attr]
    assert [s["id"] for s in bulletin_json(book, "--student", "petit")["students"]] == ["A2"]  # type: ignore[union-attr]


def test_csv(tmp_path: Path) -> None:
    result = run("bulletin", _class(tmp_path), "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:10] == ["id", "name", "E1", "E2", "E3", "E4", "E5", "E6", "EF1", "average"]
    assert rows[1][:12] == ["A1", "Martin Camille", "12.00", "11.00", "13.00", "13.00", "10.50", "13.50", "",
                            "12.17", "admis", "12.00"]


# -- properties ------------------------------------------------------------------------------------

hundredths = st.integers(min_value=0, max_value=2000)


@given(st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=5), st.data())
def test_one_evaluation_is_its_grade_on_20(scale: int, coefficient: int, data: st.DataObject) -> None:
    grade = data.draw(st.integers(min_value=0, max_value=scale * 100))
    average = subject_average([Evaluation("DS", 4, coefficient, scale)], [Cell(Mark.GRADE, grade, "")])
    assert average.value == Fraction(grade * 20, scale) and average.counted == 1


SUBJECTS = [(name, unit) for unit, names in CUR.programme["subjects"].items()  # type: ignore[index]
            for name in names if unit != "EF1"]


def _exact_text(value: Fraction) -> str:
    """A finite decimal's exact text (value in hundredths)."""
    points = value / 100
    places = 0
    while (points * 10 ** places).denominator != 1:
        places += 1
    digits = str(int(points * 10 ** places)).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}" if places else digits


@given(st.lists(hundredths, min_size=len(SUBJECTS), max_size=len(SUBJECTS)))
def test_the_projection_is_grade_on_the_unit_averages(tmp_path_factory: pytest.TempPathFactory,
                                                       grades: list[int]) -> None:
    # E3's three subjects: the sum made a multiple of 3 so that its mean is a finite decimal.
    e3 = [i for i, (_, unit) in enumerate(SUBJECTS) if unit == "E3"]
    left = sum(grades[i] for i in e3) % 3
    grades[e3[0]] += -left if grades[e3[0]] >= left else 3 - left
    subjects = [Subject(name, unit, "x", None, (Evaluation("DS", 4, 1, 20),),
                        (Assessed("A1", "Martin Camille", (Cell(Mark.GRADE, grade, ""),)),))
                for (name, unit), grade in zip(SUBJECTS, grades)]
    row = build(CUR, subjects).rows[0]
    units = [u for u in CUR.units if u.mandatory]
    sheet = tmp_path_factory.mktemp("sheet") / "units.csv"
    cells = {u.code: u.grade for u in row.result.units}
    sheet.write_text("id,nom," + ",".join(u.code for u in units) + "\nA1,Martin Camille,"
                     + ",".join(_exact_text(Fraction(cells[u.code] or 0)) for u in units) + "\n", encoding="utf-8")
    graded = grade_sheet(str(sheet), CUR).results[0]
    assert (graded.average, graded.decision, graded.total) == (row.result.average, row.result.decision,
                                                               row.result.total)


def test_progress_against_the_semester_before(tmp_path: Path) -> None:
    # A1's Économie goes from 10 to 13, the rest unchanged: E3 = (10 + 14 + 15) / 3 = 13 becomes 14, and the
    # average moves by (14 - 13) × 3 / 21 = 0.142… up: 255.5 / 21 = 12.166… -> 258.5 / 21 = 12.309….
    first = _class(tmp_path)
    (tmp_path / "s2").mkdir()
    second = workbook(tmp_path / "s2" / "class.xlsx", {
        **{name: [[*HEAD, "DS"], ["A1", "Martin", "Camille", 13 if name == "Économie" else grade]]
           for name, grade in (("Culture générale et expression", 12), ("Communication en langue étrangè", 11),
                               ("Économie", 10), ("Droit", 14), ("Management des entreprises", 15),
                               ("Relation client", 13), ("Gestion de clientèle", 12),
                               ("Management de l'équipe commerci", 9), ("Gestion de projet", 16),
                               ("Informatique", 11))}})
    data = bulletin_json(second, "--previous", first)
    a1 = by_id(data)["A1"]
    assert data["previous"] == [first]
    assert a1["progress"]["average"] == 0.14  # type: ignore[index]
    assert a1["progress"]["subjects"]["Économie"] == 3 and a1["progress"]["subjects"]["Droit"] == 0  # type: ignore[index]
    assert a1["trend"] == [12.17, 12.31]
    table = run("bulletin", second, "--previous", first, "-f", "table").stdout
    assert "▲" in table and max(len(line) for line in table.splitlines()) <= 80
    assert by_id(bulletin_json(first, "--previous", second))["A1"]["progress"]["average"] == -0.14  # type: ignore[index]


def test_report_cards_in_html(tmp_path: Path) -> None:
    book = workbook(tmp_path / "s1.xlsx", {"Économie": [[*HEAD, "DS1"],
                                                         ["A1", "<script>alert(1)</script>", "Camille", 12],
                                                         ["A2", "Petit", "Manon", 8]]})
    target = tmp_path / "bulletins.html"
    result = run("bulletin", book, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "<script>" not in page and "&lt;script&gt;" in page
    assert page.count('<section class="doc bulletin"') == 2
    assert '<tr data-subject="Économie"><th scope="row">Économie</th><td>E3</td>' in page
    assert '<td class="num average">12.00</td><td class="num">1/1</td><td class="num">10.00</td>' in page
    i18n.set_language("fr")
    try:
        french = run("bulletin", book, "-o", str(tmp_path / "bulletins-fr.html"))
    finally:
        i18n.set_language("en")
    assert french.exit_code == 0
    assert "Bulletin semestriel" in (tmp_path / "bulletins-fr.html").read_text(encoding="utf-8")


def test_the_council_workbook(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    target = tmp_path / "conseil.xlsx"
    (tmp_path / "s0").mkdir()
    result = run("bulletin", _class(tmp_path), "--previous", _class(tmp_path / "s0"), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["Council", "Subjects"]
    rows = book.get_sheet_by_name("Council").to_python()
    assert rows[0][:11] == ["Name", "ID", "E1", "E2", "E3", "E4", "E5", "E6", "EF1", "Average", "Decision"]
    assert rows[1][:12] == ["Martin Camille", "A1", 12, 11, 13, 13, 10.5, 13.5, "", 12.17, "passed", 0]
    stats = book.get_sheet_by_name("Subjects").to_python()
    assert stats[1] == ["Culture générale et expression", "E1", 10, 8, 12, 2]


def test_a_coefficient_announced_in_words_is_an_error_at_its_header(tmp_path: Path) -> None:
    """`coef deux` is never the default 1 (which would change the average):
    an error at the header's cell; `(x2)` is the coefficient 2."""
    assert header_terms("DS2 (coef deux)")[0] == "deux" and header_terms("DS2 coef: deux")[0] == "deux"
    assert header_terms("DS2 (x2)") == ("2", None) and header_terms("Oral (×0,5) /10") == ("0,5", "10")
    book = workbook(tmp_path / "s.xlsx", {"Économie": [
        [*HEAD, "DS1", "DS2 (coef deux)"], ["A1", "Martin", "Camille", 12, 16]]})
    result = run("bulletin", book, "-f", "json")
    assert result.exit_code == 1 and result.stdout == "", result.stderr
    assert "s.xlsx:Économie!E1: 'DS2 (coef deux)': coefficient 'deux' is not a positive number" in result.stderr
    # (12 × 1 + 16 × 2) / 3 = 44 / 3 = 14.666… -> 14.67
    book = workbook(tmp_path / "x.xlsx", {"Économie": [[*HEAD, "DS1", "DS2 (x2)"],
                                                        ["A1", "Martin", "Camille", 12, 16]]})
    assert by_id(bulletin_json(book))["A1"]["subjects"]["Économie"]["average"] == 14.67  # type: ignore[index]


def test_a_subject_without_a_sheet_is_said(tmp_path: Path) -> None:
    """E3's three subjects, one without a sheet: E3 is the mean of the two
    others (14 and 10 -> 12), and a note says which subject is missing."""
    row = ["A1", "Martin", "Camille"]
    book = workbook(tmp_path / "s.xlsx", {"Économie": [[*HEAD, "DS1"], [*row, 14]],
                                          "Droit": [[*HEAD, "DS1"], [*row, 10]]})
    result = run("bulletin", book, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["students"][0]["units"]["E3"] == 12
    assert "no sheet for 'Management des entreprises': E3 is the mean of its other subjects" in result.stderr
