"""Rules under other curricula than the embedded one: every renderer and the
simulation print what the engine computed, whatever the optional-unit rule.

Each variant is the embedded curriculum with one rule changed, as another
BTS states it (an optional unit with a coefficient whose points above 10 are
multiplied by it, or whose coefficient joins the divisor).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT, run, with_optional_limit, write

DEFAULT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
OPTIONAL = '''    domain: optional
    # No coefficient: only the points above 10 count (rules.optional).
    dispensable: false'''
assert OPTIONAL in DEFAULT


def variant(tmp_path: Path, multiply: bool, add_to_divisor: bool) -> str:
    text = DEFAULT.replace(OPTIONAL, "    domain: optional\n    coefficient: 2\n    dispensable: false")
    text = text.replace("multiply_by_coefficient: false", f"multiply_by_coefficient: {str(multiply).lower()}")
    text = text.replace("add_to_divisor: false", f"add_to_divisor: {str(add_to_divisor).lower()}")
    return write(tmp_path / f"c-{int(multiply)}{int(add_to_divisor)}.yaml", text)


SHEET = "id;nom;E1;E2;E3;E4;E5;E6;EF1\nA;Ana;10;10;10;10;10;10;16\nB;Bo;10;10;10;10;10;10;10\n"


def test_a_multiplied_bonus_is_the_same_in_every_output(tmp_path: Path) -> None:
    cur = variant(tmp_path, multiply=True, add_to_divisor=False)
    sheet = write(tmp_path / "s.csv", SHEET)
    # (16 − 10) × 2 = 12 points of bonus: (210 + 12) / 21 = 10.571… → 10.57
    data = json.loads(run("grade", sheet, "-c", cur, "-f", "json").stdout)
    ana = data["students"][0]
    assert (ana["bonus"], ana["total"], ana["average"]) == (12, 222, 10.57)
    explained = run("grade", sheet, "-c", cur, "--explain", "A").stdout
    assert "bonus 12.00 (multiplied by 2, divisor unchanged)" in explained
    assert "Points: 210.00 + bonus 12.00 = 222.00" in explained and "→ 10.57" in explained
    rows = list(csv.DictReader(io.StringIO(run("grade", sheet, "-c", cur, "-f", "csv").stdout)))
    assert (rows[0]["bonus"], rows[0]["average"]) == ("12.00", "10.57")
    page = tmp_path / "r.html"
    assert run("report", sheet, "-c", cur, "-o", str(page)).exit_code == 0
    assert "+12.00 bonus" in page.read_text(encoding="utf-8")


def test_a_coefficient_in_the_divisor_is_the_same_in_grade_and_simulate(tmp_path: Path) -> None:
    cur = variant(tmp_path, multiply=False, add_to_divisor=True)
    sheet = write(tmp_path / "s.csv", SHEET)
    # B: 210 points, no bonus (10 is not above 10), divisor 21 + 2 = 23: 9.13 → contrôle (pro average 10).
    data = json.loads(run("grade", sheet, "-c", cur, "-f", "json").stdout)
    bo = data["students"][1]
    assert (bo["divisor"], bo["average"], bo["decision"]) == (23, 9.13, "controle")
    explained = run("grade", sheet, "-c", cur, "--explain", "B").stdout
    assert "bonus 0.00 (not multiplied, 2 added to the divisor)" in explained
    # With no spread, the simulation must land exactly on the same decisions.
    sim = json.loads(run("simulate", sheet, "-c", cur, "--spread", "0", "-f", "json").stdout)
    by_id = {s["id"]: s for s in sim["students"]}
    assert by_id["B"]["decision"] == "controle"
    assert by_id["B"]["probabilities"] == {"diploma": 0, "admis": 0, "controle": 1, "ajourne": 0}
    assert by_id["A"]["decision"] == data["students"][0]["decision"] == "controle"  # (210 + 6) / 23 = 9.39


@pytest.mark.parametrize(("multiply", "add_to_divisor"), [(False, False), (True, False), (False, True), (True, True)])
def test_streamed_and_in_memory_csv_agree_under_every_rule(tmp_path: Path, multiply: bool,
                                                           add_to_divisor: bool) -> None:
    cur = variant(tmp_path, multiply, add_to_divisor)
    sheet = write(tmp_path / "s.csv", SHEET + "C;Cy;12;ABS;DISP;14;13;NN;18\nD;Di;DISP;11;9;12;ABJ;10;ABS\n")
    out = tmp_path / "o.csv"
    assert run("grade", sheet, "-c", cur, "-o", str(out)).exit_code == 0  # streamed
    assert out.read_text() == run("grade", sheet, "-c", cur, "-f", "csv", "--jury-margin", "0").stdout


# -- a limit on the optional units that count (rules.optional_limit) ------------------------------
# A: E1–E6 at 10, EF1 14, EF2 12 (engagement, outside the limit), EF3 16: EF3 counts, not EF1:
#    210 + 6 + 2 = 218 / 21 = 10.380… → 10.38.
# B: E1 at 7 (201 points), EF1 14, EF3 15: EF3 counts: 206 / 21 = 9.809… → 9.81, contrôle (pro 10);
#    counting both would make it 210 / 21 = 10, admis.
LIMITED_SHEET = ("id;nom;E1;E2;E3;E4;E5;E6;EF1;EF2;EF3\nA;Ana;10;10;10;10;10;10;14;12;16\n"
                 "B;Bo;7;10;10;10;10;10;14;;15\nC;Cy;12;ABS;DISP;14;13;NN;18;;ABS\nD;Di;DISP;11;9;12;ABJ;10;ABJ;15;11\n")


def test_a_limit_on_optional_units_is_the_same_in_every_output(tmp_path: Path) -> None:
    cur = write(tmp_path / "limited.yaml", with_optional_limit(DEFAULT))
    sheet = write(tmp_path / "s.csv", LIMITED_SHEET)
    data = json.loads(run("grade", sheet, "-c", cur, "-f", "json").stdout)
    by_id = {s["id"]: s for s in data["students"]}
    assert (by_id["A"]["bonus"], by_id["A"]["total"], by_id["A"]["average"]) == (8, 218, 10.38)
    assert (by_id["B"]["bonus"], by_id["B"]["average"], by_id["B"]["decision"]) == (5, 9.81, "controle")
    assert by_id["A"]["notes"] == ["EF1 (14.00) not counted: the limit on optional units keeps only the most "
                                   "favourable one"]
    assert by_id["A"]["units"]["EF1"]["grade"] == 14  # the grade is shown; it adds no bonus
    assert by_id["D"]["notes"] == ["EF1 (0.00) not counted: the limit on optional units keeps only the most "
                                   "favourable one"]
    explained = " ".join(run("grade", sheet, "-c", cur, "--explain", "A").stdout.split())
    assert "14.00: not counted, beyond the limit on optional units → bonus 0.00" in explained
    assert "Points: 210.00 + bonus 8.00 = 218.00" in explained and "→ 10.38" in explained
    table = run("grade", sheet, "-c", cur, "-f", "table", "-o", "-").stdout
    assert "EF1 (14.00) not counted" in " ".join(table.split())
    # The streamed CSV (a file) and the CSV in memory: the same bonus and averages.
    out = tmp_path / "o.csv"
    assert run("grade", sheet, "-c", cur, "-o", str(out)).exit_code == 0
    assert out.read_text() == run("grade", sheet, "-c", cur, "-f", "csv", "--jury-margin", "0").stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert (rows["A"]["bonus"], rows["A"]["average"], rows["B"]["decision"]) == ("8.00", "10.38", "controle")
    # With no spread, the simulation lands on the same decisions, B at contrôle for certain.
    sim = {s["id"]: s for s in json.loads(run("simulate", sheet, "-c", cur, "--spread", "0", "-f", "json").stdout)[
        "students"]}
    assert sim["B"]["decision"] == "controle" and sim["B"]["probabilities"]["controle"] == 1
    assert sim["A"]["decision"] == "admis" and sim["A"]["probabilities"]["admis"] == 1


def test_a_limit_of_two_and_a_multiplied_bonus(tmp_path: Path) -> None:
    # EF1 coefficient 3, EF3 1: EF1 12 → +6, EF3 15 → +5. At most one: EF1 counts (the larger
    # bonus, though the lower grade): 201 + 6 = 207 / 21 = 9.857… → 9.86. At most two: 212 / 21.
    one = write(tmp_path / "one.yaml", with_optional_limit(DEFAULT, 1, (3, 1, 1)))
    two = write(tmp_path / "two.yaml", with_optional_limit(DEFAULT, 2, (3, 1, 1)))
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6;EF1;EF3\nB;Bo;7;10;10;10;10;10;12;15\n")
    (first,) = json.loads(run("grade", sheet, "-c", one, "-f", "json").stdout)["students"]
    assert (first["bonus"], first["average"], first["notes"]) == (
        6, 9.86, ["EF3 (15.00) not counted: the limit on optional units keeps only the most favourable one"])
    (both,) = json.loads(run("grade", sheet, "-c", two, "-f", "json").stdout)["students"]
    assert (both["bonus"], both["average"], both["notes"]) == (11, 10.1, [])


def test_the_limit_is_shown_by_the_programme(tmp_path: Path) -> None:
    cur = write(tmp_path / "limited.yaml", with_optional_limit(DEFAULT))
    shown = run("programme", "-c", cur, "--section", "result").stdout
    assert "Of the optional units EF1, EF3, at most 1 counts: the most favourable. Outside this limit: EF2." in (
        " ".join(shown.split()))
    data = json.loads(run("programme", "-c", cur, "--format", "json").stdout)
    assert data["rules"]["optional_limit"] == {"max_units": 1, "outside_limit": ["EF2"]}
    assert json.loads(run("programme", "--format", "json").stdout)["rules"]["optional_limit"] is None
    full = run("programme", "-c", cur, "--section", "result", "--all").stdout
    assert "Décret n° 2024-788 du 8 juillet 2024" in " ".join(full.split())


def test_a_bad_limit_is_an_error_in_each_language(tmp_path: Path) -> None:
    cur = write(tmp_path / "limited.yaml", with_optional_limit(DEFAULT).replace("    max_units: 1\n",
                                                                                "    max_units: 0\n"))
    result = run("grade", write(tmp_path / "s.csv", LIMITED_SHEET), "-c", cur)  # French checked by run()
    assert result.exit_code == 1 and "rules.optional_limit.max_units: 0 is below the minimum 1" in result.stderr


def test_kept_grades_and_the_limit_keep_both_notes(tmp_path: Path) -> None:
    """E1 kept from 2024 (12), and EF1 beyond the limit: both remarks, the kept grade's first."""
    cur = write(tmp_path / "limited.yaml", with_optional_limit(DEFAULT))
    earlier = write(tmp_path / "2024.csv", "id;nom;E1;E2;E3;E4;E5;E6\nA;Ana;12;8;8;8;8;8\n")
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6;EF1;EF3\nA;Ana;;10;10;10;10;10;14;16\n")
    result = run("grade", sheet, "-c", cur, "-f", "json", "--kept", earlier, "--kept-session", "2024",
                 "--session", "2025")
    (student,) = json.loads(result.stdout)["students"]
    assert student["notes"] == ["E1: 12.00 kept from 2024", "EF1 (14.00) not counted: the limit on optional units "
                                                            "keeps only the most favourable one"]
    # 36 + 30 + 30 + 50 + 40 + 30 = 216, + 6 (EF3) = 222 / 21 = 10.571… → 10.57
    assert (student["bonus"], student["average"]) == (6, 10.57)
