"""`ndrc simulate`: closed-form probabilities, --spread 0 agreement, needed
grades computed by hand, determinism, class view, bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, make_student, run, with_optional_limit, write

from ndrc_cli.core.model import Curriculum
from ndrc_cli.core.montecarlo import unit_draws
from ndrc_cli.core.rules import Grader
from ndrc_cli.load.curriculum import parse_curriculum

MOCK1 = str(EXAMPLES / "examen-blanc-1.csv")
MOCK2 = str(EXAMPLES / "examen-blanc-2.csv")


def sim(*args: str) -> dict:  # type: ignore[type-arg]
    result = run("simulate", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def sets(**grades: str) -> list[str]:
    out = []
    for code, grade in grades.items():
        out += ["--set", f"{code}={grade}"]
    return out


def phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


# -- probabilities against closed forms -----------------------------------------------


@pytest.mark.parametrize(
    ("grades", "spread"),
    [
        ({"E1": "10", "E2": "10", "E3": "10", "E4": "10", "E5": "10", "E6": "10"}, 1.0),
        ({"E1": "9", "E2": "10,5", "E3": "9,5", "E4": "11", "E5": "9", "E6": "10"}, 1.5),
        ({"E1": "11", "E2": "12", "E3": "10", "E4": "10", "E5": "11", "E6": "12"}, 2.0),
    ],
)
def test_admis_probability_matches_the_normal_closed_form(grades: dict[str, str], spread: float) -> None:
    """No clipping in reach: the average is a weighted sum of normals, so it is
    normal with mean Σcμ/21 and standard deviation σ√(Σc²)/21."""
    coefs = {"E1": 3, "E2": 3, "E3": 3, "E4": 5, "E5": 4, "E6": 3}
    mu = sum(c * float(grades[u].replace(",", ".")) for u, c in coefs.items()) / 21
    sd = spread * math.sqrt(sum(c * c for c in coefs.values())) / 21
    expected = 1 - phi((10 - mu) / sd)
    data = sim(*sets(**grades), "--spread", str(spread))
    student = data["students"][0]
    error = 4 * max(student["stderr"], 0.001) + 0.002  # 4 standard errors, and the 0.01 grade grid
    assert abs(student["probabilities"]["admis"] - expected) <= error, (student, expected)
    assert data["model"]["max_stderr"] <= 0.005
    first = student["probabilities"]
    assert abs(first["admis"] + first["controle"] + first["ajourne"] - 1) < 1e-9
    assert first["admis"] - 1e-4 <= first["diploma"] <= first["admis"] + first["controle"] + 2e-4


def test_controle_probability_matches_the_closed_form() -> None:
    """Professional units far above 10 (pro average ≥ 10 for certain): contrôle
    is 8 ≤ average < 10, an interval of a normal."""
    grades = {"E1": "4", "E2": "5", "E3": "4", "E4": "11", "E5": "11", "E6": "11"}
    mu = (3 * 13 + 12 * 11) / 21
    sd = 1.0 * math.sqrt(9 + 9 + 9 + 25 + 16 + 9) / 21
    data = sim(*sets(**grades), "--spread", "1", "--spread", "E4=0,5", "--spread", "E5=0.5", "--spread", "E6=0.5")
    p = data["students"][0]["probabilities"]
    # With E4–E6 at spread 0.5, the pro average stays ≥ 10 except with tiny
    # probability; the average's spread mixes 1 and 0.5.
    sd = math.sqrt(sum((c * s) ** 2 for c, s in ((3, 1), (3, 1), (3, 1), (5, .5), (4, .5), (3, .5)))) / 21
    expected = phi((10 - mu) / sd) - phi((8 - mu) / sd)
    assert abs(p["controle"] - expected) <= 4 * 0.005 + 0.002, (p, expected)


# -- spread 0: the probabilities are the projected decision -----------------------------


def test_spread_zero_agrees_with_the_projected_decision() -> None:
    data = sim(MOCK1, MOCK2, "--spread", "0")
    for s in data["students"]:
        p = s["probabilities"]
        assert sorted((p["admis"], p["controle"], p["ajourne"])) == [0, 0, 1], s
        expected = {"admis": "admis", "controle": "controle", "ajourne": "ajourne"}[s["decision"]]
        assert p[expected] == 1, s
        # Without spread an oral is the projected grade itself, which is already the first one:
        # the orals change nothing, so the diploma is exactly the first group's admis.
        assert p["diploma"] == p["admis"], s


# -- needed grades, by hand ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("grades", "needed"),
    [
        # 72 + 45 = 117 points known; E5 and E6 open (7 coefficients):
        # admis 117 + 7x ≥ 210 -> x ≥ 13.2857 -> 13.29; average ≥ 8: x ≥ 7.29;
        # professional (45 + 7x) / 12 ≥ 10 -> x ≥ 10.714 -> 10.72; contrôle = max(7.29, 10.72).
        ({"E1": "8", "E2": "8", "E3": "8", "E4": "9"}, {"admis": 13.29, "controle": 10.72}),
        # Nothing to gain: 7x ≥ 210 and 7x ≥ 168 both need more than 20.
        ({"E1": "0", "E2": "0", "E3": "0", "E4": "0"}, {"admis": None, "controle": None}),
        # Already secured: 360 + 3x ≥ 210 for any x.
        ({"E1": "20", "E2": "20", "E3": "20", "E4": "20", "E5": "20"}, {"admis": 0, "controle": 0}),
        # 72 + 60 + 48 = 180, E6 open: admis 180 + 3x ≥ 210 -> x ≥ 10; average ≥ 8 holds at 0;
        # professional (60 + 48 + 3x) / 12 ≥ 10 -> x ≥ 4.
        ({"E1": "8", "E2": "8", "E3": "8", "E4": "12", "E5": "12"}, {"admis": 10, "controle": 4}),
        # 170 + 3x ≥ 210 -> x ≥ 13.333… -> 13.34 (rounded up); pro (80 + 3x) / 12 ≥ 10 -> 13.34 too.
        ({"E1": "10", "E2": "10", "E3": "10", "E4": "10", "E5": "7,5"}, {"admis": 13.34, "controle": 13.34}),
    ],
)
def test_needed_grades(grades: dict[str, str], needed: dict[str, float | None]) -> None:
    student = sim(*sets(**grades))["students"][0]
    assert student["needed"] == needed


def test_needed_on_one_unit() -> None:
    # Others: 90 + 40 + 30 = 160; 160 + 5y ≥ 210 -> y ≥ 10.
    student = sim(*sets(E1="10", E2="10", E3="10", E4="8", E5="10", E6="10"), "--unit", "E4")["students"][0]
    assert student["needed"]["admis"] == 10
    # Average ≥ 8 needs y ≥ 1.6; pro (40 + 30 + 5y) / 12 ≥ 10 needs y ≥ 10: contrôle needs 10 as well.
    assert student["needed"]["controle"] == 10


# -- reproducibility, class view, what-if ------------------------------------------------


def test_determinism_under_a_seed() -> None:
    a = run("simulate", MOCK1, MOCK2, "-f", "json").stdout
    b = run("simulate", MOCK1, MOCK2, "-f", "json").stdout
    c = run("simulate", MOCK1, MOCK2, "-f", "json", "--seed", "7").stdout
    assert a == b
    assert a != c


def test_json_contract_and_class_view() -> None:
    data = sim(MOCK1, MOCK2)
    assert data["schema"] == "ndrc/simulate/v1"
    assert {"model", "students", "summary"} <= data.keys()
    assert data["model"]["seed"] == 2026 and data["model"]["target_stderr"] == 0.005
    for s in data["students"]:
        assert {"id", "projected_average", "decision", "needed", "probabilities"} <= s.keys()
        assert set(s["needed"]) == {"admis", "controle"}
        p = s["probabilities"]
        assert abs(p["admis"] + p["controle"] + p["ajourne"] - 1) < 1e-9
        assert p["admis"] - 1e-4 <= p["diploma"] <= p["admis"] + p["controle"] + 2e-4  # each rounded to 1e-4
        assert len(s["trend"]) == 2
    summary = data["summary"]
    expected = sum(s["probabilities"]["admis"] for s in data["students"])
    assert abs(summary["expected_admis"] - expected) < 0.01
    low, high = summary["expected_admis_interval"]
    assert low <= expected <= high
    risky = [s for s in data["students"] if s["probabilities"]["admis"] < 0.5]
    assert summary["at_risk"] == [s["id"] for s in sorted(risky, key=lambda s: (s["probabilities"]["admis"], s["id"]))]
    assert list(summary["unit_losses"]) and all(v >= 0 for v in summary["unit_losses"].values())


def test_latest_and_mean_combine_and_open_units() -> None:
    latest = {s["id"]: s for s in sim(MOCK1, MOCK2)["students"]}
    mean = {s["id"]: s for s in sim(MOCK1, MOCK2, "--combine", "mean")["students"]}
    only_first = {s["id"]: s for s in sim(MOCK1)["students"]}
    # The first mock has no E6: it is open (assumed), then graded by the second.
    assert only_first["NDRC2501"]["open_units"] == ["E6"]
    assert latest["NDRC2501"]["open_units"] == []
    assert latest["NDRC2501"]["projected_average"] != mean["NDRC2501"]["projected_average"]


def test_what_if_for_one_student() -> None:
    base = {s["id"]: s for s in sim(MOCK2)["students"]}
    changed = {s["id"]: s for s in sim(MOCK2, "--set", "E4=20", "--student", "NDRC2502")["students"]}
    assert changed["NDRC2502"]["units"]["E4"]["grade"] == 20
    assert changed["NDRC2502"]["projected_average"] > base["NDRC2502"]["projected_average"]
    assert list(changed) == ["NDRC2502"]  # --student: that student alone
    # Without --set too, and by name or an id in another case.
    for who in ("NDRC2502", "ndrc2502 ", "Bernard", "léa bernard"):
        alone = sim(MOCK2, "--student", who)["students"]
        assert [s["id"] for s in alone] == ["NDRC2502"] and alone[0] == base["NDRC2502"]


def test_table_reads_at_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run("simulate", MOCK1, MOCK2, "-f", "table").stdout
    assert all(len(line) <= 100 for line in out.splitlines())
    assert "NDRC2513" in out and "Expected passes:" in out and "Model: each grade normal" in out
    assert "standard error ≤ 0.005" in out


# -- bad input ----------------------------------------------------------------------------


def test_mock_ids_must_match(tmp_path: Path) -> None:
    other = write(tmp_path / "m.csv", "id;E1\nNDRC2501;12\nX9;10\n")
    result = run("simulate", MOCK1, other)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{other}: student ids differ from {MOCK1}: not in {MOCK1}: X9; missing here: NDRC2502")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "E9=12"), "unknown unit 'E9'"),
        (("--set", "E4=21"), "a grade must be between 0 and 20"),
        (("--set", "E4"), "expected UNIT=GRADE"),
        (("--set", "E4=12", "--spread", "-1"), "expected a spread from 0 to 20 points"),
        # Non-finite and huge values: never an Infinity in the JSON.
        (("--set", "E4=12", "--spread", "inf"), "expected a spread from 0 to 20 points"),
        (("--set", "E4=12", "--spread", "nan"), "expected a spread from 0 to 20 points"),
        (("--set", "E4=12", "--spread", "E4=1e400"), "expected a spread from 0 to 20 points"),
        (("--set", "E4=1" + "0" * 5000), "a grade must be between 0 and 20"),
        (("--set", "E4=１２"), "a grade must be between 0 and 20"),
        (("--set", "E4=12", "--assume", "9" * 5000), "expected a grade 0–20 or mean"),
        (("--set", "E4=12", "--assume", "abc"), "expected a grade 0–20 or mean"),
    ],
)
def test_bad_options_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = run("simulate", *args)
    assert result.exit_code == 2
    assert message in result.stderr.replace("\n", " ").replace("│", " ").replace("  ", " ") or message in result.output


def test_reading_errors_are_listed_for_every_mock(tmp_path: Path) -> None:
    a = write(tmp_path / "a.csv", "id;E1\n1;25\n")
    b = write(tmp_path / "b.csv", "id;E1\n1;ABSS\n")
    result = run("simulate", a, b)
    assert result.exit_code == 1
    assert f"{a}:2:2: E1: grade 25 is not between 0 and 20" in result.stderr
    assert f"{b}:2:2: E1: 'ABSS' is neither a grade" in result.stderr


@pytest.mark.parametrize("command", ["simulate", "report"])
def test_a_negative_seed_is_a_usage_error(command: str) -> None:
    result = run(command, str(EXAMPLES / "examen-blanc-1.csv"), "--seed", "-1")
    assert result.exit_code == 2 and "--seed" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- the contrôle stage: P(diploma) ----------------------------------------------------------


def test_diploma_probability_matches_its_closed_form(curriculum: Curriculum) -> None:
    """Every grade fixed (spread 0) but E3, normal around 8 with spread 2; pros at 10. Admis needs
    E3 ≥ 10 (180 + 3·E3 ≥ 210) and contrôle is certain otherwise (≥ 168 always, professional
    average 10). The orals chosen are E1 + E3, and only E3 can move: the diploma comes with a
    first E3 ≥ 10, or, failing that, an oral E3 ≥ 10 (drawn independently):
    P = S + (1 − S)·S, with S = P(round(clip(N(8, 2)), 0.01) ≥ 10) = P(N ≥ 9.995)."""
    from ndrc_cli.core.montecarlo import Simulator, UnitDraw

    draws = [UnitDraw(10, 0), UnitDraw(10, 0), UnitDraw(8, 2), UnitDraw(10, 0), UnitDraw(10, 0), UnitDraw(10, 0),
             UnitDraw(0, 0, exempt=True), UnitDraw(0, 0, exempt=True)]
    assert [u.code for u in curriculum.units][:6] == ["E1", "E2", "E3", "E4", "E5", "E6"]
    outcome = Simulator(curriculum, 7).outcomes([draws], [(0, 2)])[0]
    s = 0.5 * math.erfc((9.995 - 8) / (2 * math.sqrt(2)))
    assert abs(outcome.admis - s) < 3 * outcome.stderr
    assert abs(outcome.diploma - (s + (1 - s) * s)) < 3 * outcome.stderr, (outcome, s + (1 - s) * s)
    assert outcome.stderr <= 0.005


def test_without_orals_the_diploma_is_the_first_groups_admis(curriculum: Curriculum) -> None:
    from ndrc_cli.core.montecarlo import Simulator, UnitDraw

    draws = [UnitDraw(10, 0), UnitDraw(10, 0), UnitDraw(8, 2), UnitDraw(10, 0), UnitDraw(10, 0), UnitDraw(10, 0),
             UnitDraw(0, 0, exempt=True), UnitDraw(0, 0, exempt=True)]
    outcome = Simulator(curriculum, 7).outcomes([draws], [()])[0]
    assert outcome.diploma == outcome.admis


def test_an_optional_unit_beyond_the_limit_is_not_sat() -> None:
    """Under a limit of one of EF1 and EF3, the candidate presents the one the engine counts on the
    projected grades (EF3 16 against EF1 14): EF1 is not drawn, EF2 (outside the limit) is."""
    limited = parse_curriculum(with_optional_limit((ROOT / "curriculum.yaml").read_text(encoding="utf-8")), "l.yaml")
    tens = {code: "10" for code in ("E1", "E2", "E3", "E4", "E5", "E6")}
    student = make_student(limited, {**tens, "EF1": "14", "EF2": "12", "EF3": "16"})
    draws = unit_draws(limited, student, Grader(limited), {u.code: 1.0 for u in limited.units}, 1.0)
    by_code = {u.code: d for u, d in zip(limited.units, draws)}
    assert by_code["EF1"].exempt and not by_code["EF2"].exempt and not by_code["EF3"].exempt
    assert by_code["EF3"].spread == 1.0
