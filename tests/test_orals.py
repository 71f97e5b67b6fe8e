"""The best contrôle orals to choose (core/orals.py), worked by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, make_student, run
from hypothesis import given
from hypothesis import strategies as st

from ndrc_cli.core.model import Curriculum, Decision, OralPlan
from ndrc_cli.core.orals import MAX_GRADE, least_oral, oral_plans
from ndrc_cli.core.rules import Grader
from ndrc_cli.load.curriculum import parse_curriculum

CLASS = str(EXAMPLES / "classe-ndrc.csv")
PROS = {"E4": "10", "E5": "10", "E6": "10"}  # 5·10 + 4·10 + 3·10 = 120 points, professional average 10


def _plans(curriculum: Curriculum, cells: dict[str, str]) -> tuple[OralPlan, ...]:
    result = Grader(curriculum).evaluate(make_student(curriculum, cells))
    assert result.decision is Decision.CONTROLE, result.decision
    return oral_plans(result, curriculum)


def test_the_pair_that_needs_least_comes_first(curriculum: Curriculum) -> None:
    """NDRC2513 (E1 8.5, E2 9, E3 7.75, E4 10.5, E5 11, E6 10.25): 203 points, 7 short of 210.
    E1+E3: 3(x − 8.5) + 3(x − 7.75) = 7 → x = 9.2916… → 9.30; E2+E3: 6x − 50.25 = 7 → 9.5416… → 9.55;
    E1+E2: 6x − 52.5 = 7 → 9.9166… → 9.92."""
    cells = {"E1": "8.5", "E2": "9", "E3": "7.75", "E4": "10.5", "E5": "11", "E6": "10.25"}
    assert _plans(curriculum, cells) == (OralPlan(("E1", "E3"), 930), OralPlan(("E2", "E3"), 955),
                                         OralPlan(("E1", "E2"), 992))


def test_equal_needs_keep_the_curriculums_order(curriculum: Curriculum) -> None:
    """E1 = E2 = E3 = 4, pros 11: 36 + 132 = 168 points; any pair needs 6(x − 4) = 42 → 11.00."""
    plans = _plans(curriculum, {"E1": "4", "E2": "4", "E3": "4", "E4": "11", "E5": "11", "E6": "11"})
    assert plans[0] == OralPlan(("E1", "E2"), 1100) and {p.needed for p in plans} == {1100}


def test_an_exempted_unit_cannot_be_chosen(curriculum: Curriculum) -> None:
    """E1 DISP: divisor 18, target 180; E2 = E3 = 8: 48 + 120 = 168; 6(x − 8) = 12 → 10.00, the only pair."""
    assert _plans(curriculum, {"E1": "DISP", "E2": "8", "E3": "8", **PROS}) == (OralPlan(("E2", "E3"), 1000),)


def test_one_allowed_oral_left(curriculum: Curriculum) -> None:
    """E1 and E2 DISP: divisor 15, target 150; E3 8: 24 + 120 = 144 (9.60); 3(x − 8) = 6 → 10.00."""
    assert _plans(curriculum, {"E1": "DISP", "E2": "DISP", "E3": "8", **PROS}) == (OralPlan(("E3",), 1000),)


def test_a_plan_above_20_is_impossible() -> None:
    """Under a pass mark of 13: E1, E2 DISP, E3 10, pros 10: 150 / 15 = 10, at contrôle; E3 at 20 gives
    180 / 15 = 12 < 13, so no oral grade is enough."""
    text = (ROOT / "curriculum.yaml").read_text(encoding="utf-8").replace("pass_threshold: 10", "pass_threshold: 13")
    strict = parse_curriculum(text, "strict.yaml")
    assert _plans(strict, {"E1": "DISP", "E2": "DISP", "E3": "10", **PROS}) == (OralPlan(("E3",), None),)


def test_the_plan_in_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(run("grade", CLASS, "-f", "json").stdout)
    plans = {s["id"]: s["controle_plan"] for s in data["students"] if "controle_plan" in s}
    assert plans == {"NDRC2503": {"units": ["E1", "E2"], "needed": 11},
                     "NDRC2513": {"units": ["E1", "E3"], "needed": 9.3},
                     "NDRC2523": {"units": ["E1", "E2"], "needed": 10.05}}
    assert all(s["decision"] == "controle" for s in data["students"] if s["id"] in plans)
    monkeypatch.setenv("COLUMNS", "120")
    table = run("grade", CLASS, "-f", "table", "--no-chart").stdout
    assert "NDRC2513 Robin Enzo — E1 + E3: 9.30 or more on each" in table
    assert "- NDRC2513 Robin Enzo — E1 + E3: 9.30 or more on each" in run("grade", CLASS, "-f", "markdown").stdout
    explain = run("grade", CLASS, "--explain", "NDRC2513").stdout
    assert explain.index("E1 + E3: 9.30") < explain.index("E2 + E3: 9.55") < explain.index("E1 + E2: 9.92")
    releve = run("releve", CLASS, "--student", "NDRC2513").stdout
    assert "E1 + E3: 9.30 or more on each" in releve
    # After the orals the decision is final: no plan any more.
    after = json.loads(run("grade", CLASS, "--controle", str(EXAMPLES / "controle.csv"), "-f", "json").stdout)
    assert not any("controle_plan" in s for s in after["students"] if s["id"] == "NDRC2513")


def _searched(units: list[tuple[Fraction, Fraction]], missing: Fraction) -> int | None:
    """The least grade by binary search over 0..20.00 (the definition, slowly)."""
    def raised(x: int) -> Fraction:
        return sum((coef * (x - first) for first, coef in units if x > first), Fraction(0))

    if raised(MAX_GRADE) < missing:
        return None
    low, high = 0, MAX_GRADE
    while low < high:
        mid = (low + high) // 2
        if raised(mid) >= missing:
            high = mid
        else:
            low = mid + 1
    return low


@given(st.lists(st.tuples(st.integers(0, MAX_GRADE), st.sampled_from([Fraction(1), Fraction(2), Fraction(3),
                                                                    Fraction(5), Fraction(1, 2)])),
                min_size=1, max_size=4),
       st.fractions(min_value=Fraction(-10), max_value=Fraction(40 * MAX_GRADE)))
def test_the_least_oral_is_what_a_search_finds(units: list[tuple[int, Fraction]], missing: Fraction) -> None:
    exact = sorted((Fraction(first), coef) for first, coef in units)
    assert least_oral(exact, missing) == _searched(exact, missing)


def test_the_least_oral_by_hand() -> None:
    """Firsts 8.50 (coef 3) and 7.75 (coef 3), 700 hundredth-points missing:
    3(x − 850) + 3(x − 775) = 700 → x = 929.17 → 930; the 7.75 alone up to
    8.50 adds 225 — not enough, so the answer lies beyond the 8.50."""
    units = [(Fraction(775), Fraction(3)), (Fraction(850), Fraction(3))]
    assert least_oral(units, Fraction(700)) == 930
    assert least_oral(units, Fraction(225)) == 850 and least_oral(units, Fraction(226)) == 851
    assert least_oral(units, Fraction(0)) == 0 and least_oral(units, Fraction(3 * 1225 + 3 * 1150 + 1)) is None
