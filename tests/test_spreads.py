"""`simulate --spread auto`: each unit's spread learnt from the mocks, worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_student, run, write

from ndrc_cli.core.model import Curriculum
from ndrc_cli.core.rules import Grader
from ndrc_cli.core.spreads import learn_spreads

HEADER = "id;E1;E2;E3;E4;E5;E6\n"


def _mock(curriculum: Curriculum, e1: list[str]) -> list:  # type: ignore[type-arg]
    return [make_student(curriculum, {"E1": g, "E4": "12"}, sid=str(i)) for i, g in enumerate(e1)]


def test_a_spread_from_eight_students_graded_twice(curriculum: Curriculum) -> None:
    """E1 moves +1, −1, +1, −1… for 8 students: the differences have mean 0 and variance 8/7
    (Σd² / (n − 1)); the spread is √(8/7) = 1.0690… → 1.07. E4 never moves: 0."""
    first = _mock(curriculum, ["10"] * 8)
    second = _mock(curriculum, ["11", "9"] * 4)
    learnt = {ls.unit: ls for ls in learn_spreads(curriculum, [first, second], Grader(curriculum))}
    assert (learnt["E1"].spread, learnt["E1"].pairs) == (1.07, 8)
    assert (learnt["E4"].spread, learnt["E4"].pairs) == (0.0, 8)
    assert (learnt["E2"].spread, learnt["E2"].pairs) == (None, 0)  # never graded: the default


def test_seven_pairs_are_too_few(curriculum: Curriculum) -> None:
    first, second = _mock(curriculum, ["10"] * 7), _mock(curriculum, ["11", "9"] * 3 + ["12"])
    learnt = {ls.unit: ls for ls in learn_spreads(curriculum, [first, second], Grader(curriculum))}
    assert (learnt["E1"].spread, learnt["E1"].pairs) == (None, 7)


def test_auto_in_the_model_and_a_hand_set_unit_wins(tmp_path: Path) -> None:
    rows = "".join(f"{i};10;10;10;12;12;12\n" for i in range(8))
    moved = "".join(f"{i};{11 if i % 2 else 9};10;10;12;12;12\n" for i in range(8))
    one, two = write(tmp_path / "b1.csv", HEADER + rows), write(tmp_path / "b2.csv", HEADER + moved)
    model = json.loads(run("simulate", one, two, "--spread", "auto", "-f", "json").stdout)["model"]
    assert model["spread"]["E1"] == 1.07 and model["spread"]["E2"] == 0.0 and model["spread"]["EF1"] == 2.0
    assert model["learnt_spread"]["E1"] == {"spread": 1.07, "pairs": 8}
    assert model["learnt_spread"]["EF1"] == {"spread": None, "pairs": 0}
    hand = json.loads(run("simulate", one, two, "--spread", "auto", "--spread", "E1=3", "-f", "json").stdout)
    assert hand["model"]["spread"]["E1"] == 3.0
    table = run("simulate", one, two, "--spread", "auto", "-f", "markdown").stdout
    assert "Spreads learnt from the movement between mocks (students graded twice): E1 1.07 (8)" in table
    # One mock: nothing to learn from, every unit keeps the default, and the text says so.
    single = json.loads(run("simulate", one, "--spread", "auto", "-f", "json").stdout)["model"]
    assert set(single["spread"].values()) == {2.0}
    assert all(v["spread"] is None for v in single["learnt_spread"].values())
    assert json.loads(run("simulate", one, two, "-f", "json").stdout)["model"]["learnt_spread"] is None
