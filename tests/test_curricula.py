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
from conftest import ROOT, run, write

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
