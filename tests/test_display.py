"""The display rule: a number shown never contradicts the decision beside it.

An exact average of 9.9993 is below the pass mark: rounded half up it would
read 10.00 beside `ajourné`. One function (core.numbers.display_exact) shows
every value rounded half up to two decimals, unless that would carry it across
a threshold of the rules: then the exact decimal when it is short (9.9993),
else the value truncated with an ellipsis (9.99…). Hand-computed cases for
each threshold, in both directions and exactly at them; properties for any
value; and every output of the command line on a sheet with such students.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write
from hypothesis import given, settings
from hypothesis import strategies as st
from test_documents import Doc
from test_report import Page

from ndrc_cli import i18n
from ndrc_cli.core.model import Curriculum, Rules
from ndrc_cli.core.numbers import display_exact, display_points, format_exact
from ndrc_cli.core.rules import display_marks
from ndrc_cli.load.curriculum import load_curriculum


def points(text: str) -> Fraction:
    return Fraction(text)


def shown(value: Fraction, thresholds: tuple[int | Fraction, ...], decimal: str = ".",
          strict: tuple[int | Fraction, ...] = ()) -> str:
    """A value in points, thresholds in hundredths (as the rules hold them)."""
    return display_points(value, thresholds, decimal, strict)


# -- the function, by hand -------------------------------------------------------------
# The default rules: the pass mark 10 (1000 hundredths), the contrôle from 8
# (800), the professional threshold 10 (1000).
AVERAGE = (800, 1000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Below the pass mark, where rounding half up would read 10.00.
        (points("9.9993"), "9.9993"),  # short: the exact decimal
        (points("9.995"), "9.995"),  # the lowest value that rounds to 10.00: three decimals suffice
        (points("9.99950"), "9.9995"),  # trailing zeros dropped, two decimals at least
        (Fraction(20999, 2100), "9.99…"),  # 209.99 / 21 = 9.999523…: truncated, never rounded up
        (Fraction(6999, 700), "9.99…"),  # 209.97 / 21 = 9.998571…
        (Fraction(199999, 20000), "9.99…"),  # 9.99995: five decimals, not short
        # Below the pass mark, but rounding stays below it: rounded as always.
        (points("9.9949"), "9.99"),
        (Fraction(19989, 2000), "9.99"),  # 9.9945
        (Fraction(20989, 2100), "9.99"),  # 209.89 / 21 = 9.99476…
        # At and above the pass mark: rounded as always (half up never goes down across it).
        (Fraction(10), "10.00"),
        (points("10.0007"), "10.00"),
        (points("10.004999"), "10.00"),
        (points("10.005"), "10.01"),
        # The contrôle minimum, the same way.
        (points("7.9993"), "7.9993"),
        (Fraction(335971, 42000), "7.99…"),  # 167.9855 / 21 = 7.999309…
        (points("7.995"), "7.995"),
        (points("7.9949"), "7.99"),
        (Fraction(8), "8.00"),
        (points("8.0049"), "8.00"),
        # Far from every threshold: rounded half up.
        (points("12.125"), "12.13"),
        (points("12.3456"), "12.35"),
        (Fraction(0), "0.00"),
        (Fraction(20), "20.00"),
    ],
)
def test_an_average_by_hand(value: Fraction, expected: str) -> None:
    assert shown(value, AVERAGE) == expected
    assert shown(value, AVERAGE, ",") == expected.replace(".", ",")


def test_without_a_threshold_it_is_plain_rounding() -> None:
    assert shown(points("9.9993"), ()) == "10.00" == format_exact(Fraction(99993, 100))
    assert shown(points("7.9993"), (1000,)) == "8.00"  # 8 is not a threshold of this value
    assert display_exact(20999, (1000,), ".", 21) == "9.99…"  # hundredths over a divisor
    assert display_exact(20999, (), ".", 21) == "10.00"


@pytest.mark.parametrize(
    ("value", "threshold", "expected"),
    [
        # A threshold between two hundredths (no curriculum has one; the function
        # is general): a value at or above it, rounded down below it, keeps its digits.
        (points("9.994"), Fraction(19987, 20), "9.994"),  # threshold 9.9935; 9.99 would be below it
        (Fraction(1799, 180), Fraction(19987, 20), "9.994…"),  # 9.99444…: truncated where it is above
        (points("9.9935"), Fraction(19987, 20), "9.9935"),  # exactly at it
        (points("9.9929"), Fraction(19987, 20), "9.99"),  # below it, and so is 9.99
    ],
)
def test_a_value_at_or_above_a_threshold_is_never_shown_below_it(value: Fraction, threshold: Fraction,
                                                                    expected: str) -> None:
    assert shown(value, (threshold,)) == expected


@pytest.mark.parametrize(
    ("distance", "expected"),
    [
        (points("0.0007"), "0.0007"),  # 10 − 9.9993: never "0.00 below 10"
        (Fraction(1, 700), "0.001…"),  # 10 − 9.998571…: the first digit that is not 0
        (points("0.004"), "0.004"),
        (points("0.005"), "0.01"),
        (points("0.25"), "0.25"),
    ],
)
def test_a_distance_below_a_threshold_is_never_shown_as_zero(distance: Fraction, expected: str) -> None:
    assert shown(distance, (), strict=(0,)) == expected


# -- the thresholds come from the curriculum, never from the code ----------------------


def _stricter(tmp_path: Path) -> Curriculum:
    """The default curriculum with the pass mark at 12 and the contrôle from 9.5."""
    text = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
    text = text.replace("pass_threshold: 10", "pass_threshold: 12").replace("min_average: 8", "min_average: 9.5")
    assert "pass_threshold: 12" in text and "min_average: 9.5" in text
    return load_curriculum(write(tmp_path / "stricter.yaml", text))


def test_the_thresholds_are_the_curriculums(curriculum: Curriculum, tmp_path: Path) -> None:
    marks = display_marks(curriculum.rules)
    assert marks.average == (800, 1000) and marks.after == (1000,)
    assert marks.professional == (1000,) and marks.grade == (1000,)
    mco = load_curriculum(str(EXAMPLES / "bts-mco.yaml"))
    rules: Rules = mco.rules
    assert display_marks(rules).average == (rules.controle_min, rules.pass_threshold)
    assert display_marks(rules).professional == (rules.professional_threshold,)

    stricter = display_marks(_stricter(tmp_path).rules)
    assert stricter.average == (950, 1200)
    assert shown(points("11.9993"), stricter.average) == "11.9993"
    assert shown(points("9.4996"), stricter.average) == "9.4996"
    assert shown(points("9.9993"), stricter.average) == "10.00"  # 10 decides nothing there


# -- the function, for any value -------------------------------------------------------

_DIVISORS = st.sampled_from([1, 2, 3, 7, 12, 18, 21, 24, 100, 10_000, 99_991])


@st.composite
def values(draw: st.DrawFn) -> tuple[Fraction, list[int | Fraction]]:
    """An exact value (hundredths) and thresholds (hundredths); the value is
    often within a hundredth of one of them, where rounding could cross it."""
    thresholds: list[int | Fraction] = draw(st.lists(st.integers(0, 2000), min_size=0, max_size=3))
    if draw(st.booleans()):  # a threshold between two hundredths, a finite decimal
        thresholds.append(Fraction(draw(st.integers(0, 200_000)), 10 ** draw(st.integers(2, 4))))
    divisor = draw(_DIVISORS)
    if thresholds and draw(st.booleans()):
        near = Fraction(draw(st.sampled_from(thresholds)))
        value = near + Fraction(draw(st.integers(-divisor, divisor)), divisor)
    else:
        value = Fraction(draw(st.integers(0, 2500 * divisor)), divisor)
    return max(value, Fraction(0)), thresholds


def _read_back(text: str) -> Fraction:
    """The number the text says, in hundredths (its ellipsis left out)."""
    return Fraction(text.removesuffix("…").replace(",", ".")) * 100


@settings(max_examples=600, deadline=None)
@given(case=values())
def test_the_text_is_on_the_same_side_of_every_threshold(case: tuple[Fraction, list[int | Fraction]]) -> None:
    value, thresholds = case
    text = display_exact(value, tuple(thresholds))
    back = _read_back(text)
    for threshold in thresholds:
        assert (back >= threshold) == (value >= threshold), (value, threshold, text)
    rounded = format_exact(value)
    if all((_read_back(rounded) >= m) == (value >= m) for m in thresholds):
        assert text == rounded  # nothing to cross: the usual rounding
    elif text.endswith("…"):  # truncated: its digits are the value's, cut, never rounded up
        places = len(text.removesuffix("…").partition(".")[2])
        assert back < value < back + Fraction(100, 10**places)
    else:  # the exact decimal: short, or found exact while truncating
        assert back == value
    assert display_exact(value, tuple(thresholds), ",") == text.replace(".", ",")


@settings(max_examples=300, deadline=None)
@given(case=values())
def test_a_strict_threshold_is_never_reached_in_text_only(case: tuple[Fraction, list[int | Fraction]]) -> None:
    value, thresholds = case
    text = display_exact(value, (), strict=tuple(thresholds))
    back = _read_back(text)
    for threshold in thresholds:
        assert (back > threshold) == (value > threshold), (value, threshold, text)


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 2100 * 21), divisor=st.sampled_from([12, 16, 18, 21]))
def test_an_average_over_a_divisor_is_the_same_text(total: int, divisor: int) -> None:
    """The integer fast path (total, divisor) and the exact value agree."""
    assert display_exact(total, AVERAGE, ".", divisor) == display_exact(Fraction(total, divisor), AVERAGE)


# -- every output of the command line --------------------------------------------------
# Coefficients 3, 3, 3, 5, 4, 3 (Σ 21); the professional units E4, E5, E6 (Σ 12).
#
# A: 3·11 + 3·8.9993 + 3·9.9986 + 5·9.9993 + 4·10.5 + 3·9.3317
#      = 33 + 26.9979 + 29.9958 + 49.9965 + 42 + 27.9951 = 209.9853
#    average 209.9853 / 21 = 9.9993 exactly; professional 119.9916 / 12 = 9.9993
#    exactly: 8 ≤ 9.9993 < 10 with a professional average below 10 → ajourné.
#    Rounded half up both would read 10.00; its row holds no 10.00 at all.
# B: every unit 10.0007 → 10.0007 → admis, shown 10.00 (correct: at least 10).
# C: 3·12 + 3·8 + 3·9.99 + 5·11 + 4·9.5 + 3·9 = 89.97 + 120 = 209.97
#    average 209.97 / 21 = 9.998571… (not short) → 9.99…; professional 120 / 12 = 10
#    → contrôle, whose average must not read 10.00 either.
# D: 3·6.5 · 3 + 5·9.9371 + 4·8.2 + 3·9 = 58.5 + 49.6855 + 32.8 + 27 = 167.9855
#    average 167.9855 / 21 = 7.999309… → 7.99… (not 8.00); professional
#    109.4855 / 12 = 9.12… → ajourné, below the contrôle.
SHEET = """id;nom;E1;E2;E3;E4;E5;E6
A;Aubert Alix;11;8,9993;9,9986;9,9993;10,5;9,3317
B;Bernard Basile;10,0007;10,0007;10,0007;10,0007;10,0007;10,0007
C;Colin Chloé;12;8;9,99;11;9,5;9
D;Durand Dylan;6,5;6,5;6,5;9,9371;8,2;9
"""
#: What each shows ('.' here; ',' in French), and the decision code.
AVERAGES = {"A": "9.9993", "B": "10.00", "C": "9.99…", "D": "7.99…"}
PROFESSIONAL = {"A": "9.9993", "B": "10.00", "C": "10.00", "D": "9.12"}
DECISIONS = {"A": "ajourne", "B": "admis", "C": "controle", "D": "ajourne"}
WORDS = {"en": {"admis": "passed", "controle": "resit orals", "ajourne": "failed"},
         "fr": {"admis": "admis", "controle": "contrôle", "ajourne": "ajourné"}}
#: Rounded half up, what the averages of A, C and D would wrongly read.
CROSSED = re.compile(r"(?<![\d.,])(?:10|8)[.,]00(?![\d…])")


@pytest.fixture
def sheet(tmp_path: Path) -> str:
    return write(tmp_path / "classe.csv", SHEET)


def local(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "fr" else text


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def _check_row(row: str, sid: str, lang: str) -> None:
    """A student's row or block: its average and decision, and no 10.00 or
    8.00 for a student below it."""
    assert local(AVERAGES[sid], lang) in row, row
    assert WORDS[lang][DECISIONS[sid]] in row, row
    if sid == "A":
        assert local(PROFESSIONAL[sid], lang) in row and CROSSED.search(row) is None, row
    if sid == "D":
        assert not re.search(r"\b8[.,]00\b", row), row


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_table_and_markdown(sheet: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    i18n.set_language(lang)
    table = ok("grade", sheet, "-f", "table", "--no-chart", "-o", "-")
    markdown = ok("grade", sheet, "-f", "markdown")
    for sid in AVERAGES:
        row = next(line for line in table.splitlines() if line.startswith(f" {sid} "))
        _check_row(row, sid, lang)
        md = next(line for line in markdown.splitlines() if line.startswith(f"| {sid} |"))
        _check_row(md, sid, lang)
        cells = [c.strip() for c in md.strip("|").split("|")]
        header = [c.strip() for c in markdown.splitlines()[2].strip("|").split("|")]
        average = header.index("Avg" if lang == "en" else "Moy.")
        assert (cells[average], cells[average + 1]) == (local(AVERAGES[sid], lang), local(PROFESSIONAL[sid], lang))
    # Unit grades under the same rule (a grade at 10 acquires a bloc): E3 9.9986, E4 9.9993.
    row_a = next(line for line in table.splitlines() if line.startswith(" A "))
    assert local("9.9986", lang) in row_a
    # The class summary: the lowest average is D's, the median between A and C.
    summary = table[table.index("Class summary" if lang == "en" else "Bilan de la classe"):]
    assert re.search(r"(Lowest|Plus basse) +" + re.escape(local("7.99…", lang)), summary), summary


def test_a_long_value_fits_80_columns(sheet: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = ok("grade", sheet, "-f", "table", "--no-chart", "-o", "-")
    assert max(len(line) for line in table.splitlines()) <= 80
    for sid in AVERAGES:
        _check_row(next(line for line in table.splitlines() if line.startswith(f" {sid} ")), sid, "en")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_explain(sheet: str, lang: str) -> None:
    i18n.set_language(lang)
    a = ok("grade", sheet, "--explain", "A")
    assert local("209.9853 / 21 = 9.9993 → 9.9993 (", lang) in a, a
    assert ("not rounded" if lang == "en" else "non arrondie") in a
    assert local("9.9951", lang) not in a and local("9.9993 × 5 = 49.9965", lang) in a  # each line's arithmetic
    assert not re.search(r"→ 10[.,]00", a) and local(", weighted): 9.9993", lang) in a.replace("\u202f", " ") \
        or local(", pondérée) : 9.9993", lang) in a.replace("\u202f", " ")
    assert re.search(r"(average|moyenne) " + re.escape(local("9.9993", lang)) + " < 10[.,]00", a)
    d = ok("grade", sheet, "--explain", "D")
    assert local("→ 7.99… (", lang) in d and not re.search(r"→ 8[.,]00", d)
    c = ok("grade", sheet, "--explain", "C")
    assert local("= 9.9985… → 9.99… (", lang) in c


def test_csv_plain_excel_and_streamed(sheet: str, tmp_path: Path, curriculum: Curriculum) -> None:
    """A spreadsheet's cell stays a number: the exact decimal, or the digits
    truncated without the ellipsis (9.99 for 9.998571…, never 10.00)."""
    plain = list(csv.DictReader(io.StringIO(ok("grade", sheet, "-f", "csv"))))
    got = {r["id"]: (r["average"], r["professional_average"], r["decision"]) for r in plain}
    assert got == {sid: (AVERAGES[sid].removesuffix("…"), PROFESSIONAL[sid], DECISIONS[sid]) for sid in AVERAGES}
    a = plain[0]
    assert (a["E3"], a["E4"], a["E2"]) == ("9.9986", "9.9993", "9.00")  # 8.9993 is no threshold's: rounded

    excel = list(csv.reader(io.StringIO(ok("grade", sheet, "--excel").lstrip("\ufeff")), delimiter=";"))
    at = excel[0].index("Average")
    assert {r[0]: (r[at], r[at + 1]) for r in excel[1:]} == {
        sid: (AVERAGES[sid].removesuffix("…").replace(".", ","), PROFESSIONAL[sid].replace(".", ","))
        for sid in AVERAGES}

    # The streaming path writes the same bytes, in both dialects.
    from ndrc_cli.app.grading import grade_sheet
    from ndrc_cli.cli.stream import write_streamed
    from ndrc_cli.render.csvout import write_csv

    for excel_dialect in (False, True):
        expected = io.StringIO(newline="")
        write_csv(grade_sheet(sheet, curriculum), expected, excel=excel_dialect)
        target = tmp_path / f"streamed-{excel_dialect}.csv"
        assert write_streamed(sheet, curriculum, str(target), excel_dialect, None, None)
        assert target.read_bytes().decode("utf-8-sig" if excel_dialect else "utf-8") == expected.getvalue()


def test_json_keeps_its_numbers_and_says_the_text(sheet: str) -> None:
    """`average` stays the number rounded half up (the contract); `average_text`
    is what a person must read beside `decision`, the same in every language."""
    data = json.loads(ok("grade", sheet, "-f", "json"))
    students = {s["id"]: s for s in data["students"]}
    assert {sid: s["average_text"] for sid, s in students.items()} == AVERAGES
    assert {sid: s["professional_average_text"] for sid, s in students.items()} == PROFESSIONAL
    assert {sid: s["decision"] for sid, s in students.items()} == DECISIONS
    assert {sid: s["average"] for sid, s in students.items()} == {"A": 10, "B": 10, "C": 10, "D": 8}
    i18n.set_language("fr")
    assert ok("grade", sheet, "-f", "json") == ok("--lang", "en", "grade", sheet, "-f", "json")


def _xlsx_cells(path: Path) -> tuple[list[str], dict[str, list[tuple[float | str | None, str]]]]:
    """The results sheet as (value, number format) per cell, by student id."""
    import openpyxl

    sheet = openpyxl.load_workbook(path)["Results"]
    header = [str(c.value) for c in sheet[1]]
    rows = {str(row[0].value): [(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2)}
    return header, rows


def _as_spreadsheet_shows(value: float, number_format: str) -> str:
    """A number cell as a spreadsheet shows it: rounded to the format's decimals
    (half away from zero), with the format's literal ellipsis."""
    places = len(number_format.split(".")[1].split('"')[0]) if "." in number_format else 0
    scaled = Fraction(str(value)) * 10**places
    digits = int(scaled + Fraction(1, 2))
    text = f"{digits // 10**places}.{digits % 10**places:0{places}d}"
    return text + ("…" if '"…"' in number_format else "")


def test_xlsx_shows_the_digits(sheet: str, tmp_path: Path) -> None:
    out = tmp_path / "resultats.xlsx"
    ok("grade", sheet, "-o", str(out))
    assert zipfile.is_zipfile(out)
    header, rows = _xlsx_cells(out)
    average, pro, e4 = header.index("Average"), header.index("Professional average"), header.index("E4")
    for sid, cells in rows.items():
        assert _as_spreadsheet_shows(*cells[average]) == AVERAGES[sid]  # type: ignore[arg-type]
        assert _as_spreadsheet_shows(*cells[pro]) == PROFESSIONAL[sid]  # type: ignore[arg-type]
    assert rows["A"][average] == (9.9993, "0.0000") and rows["A"][e4] == (9.9993, "0.0000")
    assert rows["C"][average] == (9.99, '0.00"…"') and rows["D"][average] == (7.99, '0.00"…"')
    assert rows["B"][average] == (10, "0.00")
    assert rows["A"][header.index("Decision")][0] == "failed"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_transcripts_and_attestations(sheet: str, lang: str) -> None:
    i18n.set_language(lang)
    releves = Doc()
    releves.feed(ok("releve", sheet))
    for sid in AVERAGES:
        section = releves.sections[sid]
        assert section["average"] == local(AVERAGES[sid], lang)
        assert section["pro-average"] == local(PROFESSIONAL[sid], lang)
        assert section["decision-code"] == DECISIONS[sid]
    assert CROSSED.search(releves.sections["A"]["text"]) is None
    grades = releves.sections["A"]["grade"]  # each unit's cell, one after the other
    assert grades == "".join(local(g, lang) for g in ("11.00", "9.00", "9.9986", "9.9993", "10.50", "9.33"))

    attestations = Doc()
    attestations.feed(ok("attestation", sheet))
    assert set(attestations.sections) == {"A", "C", "D"}  # those not admitted
    for sid in ("A", "C", "D"):
        assert attestations.sections[sid]["average"] == local(AVERAGES[sid], lang)
    assert CROSSED.search(attestations.sections["A"]["text"]) is None
    markdown = ok("attestation", sheet, "--student", "A", "-f", "markdown")
    assert local("11.00", lang) in markdown and CROSSED.search(markdown) is None


def test_after_the_orals(sheet: str, tmp_path: Path) -> None:
    """C at contrôle: E2 8 → 8.0049 at the oral; 209.97 + 3·0.0049 = 209.9847,
    / 21 = 9.999271… → ajourné, shown 9.99… after the orals."""
    orals = write(tmp_path / "controle.csv", "id;E1;E2\nC;;8,0049\n")
    table = ok("grade", sheet, "--controle", orals, "-f", "table", "--no-chart", "-o", "-")
    row = next(line for line in table.splitlines() if line.startswith(" C "))
    assert "failed (after the orals: 9.99…)" in row and "10.00" not in row.split("failed")[1]
    c = next(s for s in json.loads(ok("grade", sheet, "--controle", orals, "-f", "json"))["students"]
             if s["id"] == "C")
    assert (c["controle"]["average_after"], c["controle"]["average_after_text"]) == (10, "9.99…")
    explained = ok("grade", sheet, "--controle", orals, "--explain", "C")
    assert "= 9.99…" in explained and "average 9.99… < 10.00 after the orals" in explained
    releve = Doc()
    releve.feed(ok("releve", sheet, "--controle", orals, "--student", "C"))
    assert releve.sections["C"]["final-average"] == "9.99…"
    csv_row = next(r for r in csv.DictReader(io.StringIO(ok("grade", sheet, "--controle", orals, "-f", "csv")))
                   if r["id"] == "C")
    assert (csv_row["average_after_controle"], csv_row["decision"]) == ("9.99", "ajourne")


def test_the_jury_list(sheet: str) -> None:
    """A and C within half a point below 10: never "10.00, 0.00 below 10"."""
    table = ok("grade", sheet, "--jury-margin", "0.5", "-f", "table", "--no-chart", "-o", "-")
    jury = table[table.index("Jury watch list"):]
    assert "A Aubert Alix: average 9.9993, 0.0007 below 10" in jury
    assert "C Colin Chloé: average 9.99…, 0.001… below 10" in jury
    assert "D Durand Dylan: average 7.99…, 0.0006… below 8" in jury
    markdown = ok("grade", sheet, "--jury-margin", "0.5", "-f", "markdown")
    assert "average 9.9993, 0.0007 below 10" in markdown


def test_the_class_report(sheet: str, tmp_path: Path) -> None:
    """The students' table, each card, the jury list and the movement from a mock."""
    mock = write(tmp_path / "blanc.csv", SHEET)
    out = tmp_path / "report.html"
    ok("report", sheet, mock, "-o", str(out))
    html = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    header = ["ID", "Name", "E1", "E2", "E3", "E4", "E5", "E6", "EF1", "EF2", "Avg", "Pro avg", "Decision"]
    for sid in AVERAGES:
        cells = dict(zip(header, page.rows[sid]))
        assert (cells["Avg"], cells["Pro avg"]) == (AVERAGES[sid], PROFESSIONAL[sid])
        card = html[html.index(f'id="card-{sid}"'):]
        card = card[: card.index("</section>")]
        assert f'<strong class="average">{AVERAGES[sid]}</strong>' in card
        # The movement: the mock and the sheet, both at the same exact average.
        assert f"blanc: {AVERAGES[sid]} → classe: {AVERAGES[sid]}" in card
    assert "average 9.9993, 0.0007 below 10" in html
    assert 'data-id="A" data-averages="9.9993 9.9993"' in html
    card_a = html[html.index('id="card-A"'):]
    card_a = card_a[: card_a.index('<div class="explain">')]  # (the computation names the thresholds, 10.00)
    assert CROSSED.search(card_a) is None


# -- simulate --spread 0 agrees with the projected decision -----------------------------
# X: every unit 9.9993 → projected 9.9993, professional 9.9993 → ajourné. Each
#    unit rounded to the hundredth would be 10.00: P(admis) would be 1.
# Y: every unit 10.0007 → admis.
# Z: E1–E5 9.9993, E6 not graded: it takes the student's own mean, 9.9993 → ajourné.
# W: E1–E3 9.9993, E4–E6 10: (89.9937 + 120) / 21 = 9.9997 and a
#    professional average of 10 → contrôle (rounded units would make it admis).
MOCK = """id;nom;E1;E2;E3;E4;E5;E6
X;Xavier;9,9993;9,9993;9,9993;9,9993;9,9993;9,9993
Y;Yves;10,0007;10,0007;10,0007;10,0007;10,0007;10,0007
Z;Zoé;9,9993;9,9993;9,9993;9,9993;9,9993;
W;Wassim;9,9993;9,9993;9,9993;10;10;10
"""


def test_simulate_with_no_spread_lands_on_the_projected_decision(tmp_path: Path) -> None:
    mock = write(tmp_path / "blanc.csv", MOCK)
    data = json.loads(ok("simulate", mock, "--spread", "0", "-f", "json"))
    students = {s["id"]: s for s in data["students"]}
    expected = {"X": ("ajourne", "9.9993"), "Y": ("admis", "10.00"), "Z": ("ajourne", "9.9993"),
                "W": ("controle", "9.9997")}
    for sid, (decision, text) in expected.items():
        s = students[sid]
        assert (s["decision"], s["projected_average_text"]) == (decision, text), s
        assert s["probabilities"][decision] == 1, (sid, s["probabilities"])
    assert students["X"]["probabilities"]["admis"] == 0 and students["Y"]["probabilities"]["admis"] == 1
    assert students["Z"]["open_units"] == ["E6"]
    table = ok("simulate", mock, "--spread", "0", "-f", "table", "--no-chart")
    row = next(line for line in table.splitlines() if line.startswith(" X "))
    assert "9.9993" in row and "failed" in row and CROSSED.search(row) is None
    sim_csv = {r["id"]: r for r in csv.DictReader(io.StringIO(ok("simulate", mock, "--spread", "0", "-f", "csv")))}
    assert (sim_csv["X"]["projected_average"], sim_csv["X"]["p_admis"]) == ("9.9993", "0.0000")
    assert (sim_csv["W"]["projected_average"], sim_csv["W"]["p_controle"]) == ("9.9997", "1.0000")


def test_simulate_with_a_spread_is_unchanged_for_hundredths(tmp_path: Path) -> None:
    """Units in whole hundredths are drawn as before this rule, with or
    without a unit at spread 0: the same probabilities, to the last digit.
    (Recorded again when the contrôle stage came to integrate the pivot
    exactly; each figure moved by less than its standard error, 0.005.)"""
    mock = write(tmp_path / "blanc.csv", "id;E1;E2;E3;E4;E5;E6\n1;10;9,5;11;10;9,75;10,25\n")
    drawn = json.loads(ok("simulate", mock, "-f", "json"))["students"][0]["probabilities"]
    assert drawn == {"diploma": 0.5888, "admis": 0.5262, "controle": 0.0866, "ajourne": 0.3872}
    fixed = json.loads(ok("simulate", mock, "--spread", "1.5", "--spread", "E1=0", "-f", "json"))
    assert fixed["students"][0]["probabilities"] == {"diploma": 0.5701, "admis": 0.5392, "controle": 0.0592,
                                                     "ajourne": 0.4016}
