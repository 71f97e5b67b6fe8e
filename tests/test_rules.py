"""The règlement (reglement.md §2–§4), case by case, with hand-computed
expectations. Each case: the cells of E1…E6 and EF1 as a sheet holds them,
then the exact points, bonus and divisor, the average rounded half up, the
professional average, and the decision."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
from conftest import ROOT, make_student, with_optional_limit
from hypothesis import given
from hypothesis import strategies as st

from ndrc_cli.core.model import Curriculum, Decision, Mark
from ndrc_cli.core.numbers import format_points
from ndrc_cli.core.rules import Grader
from ndrc_cli.load.curriculum import parse_curriculum

UNITS = ("E1", "E2", "E3", "E4", "E5", "E6", "EF1")

# (label, cells E1..E6 EF1, total points, divisor, rounded average, pro average, decision)
CASES = [
    # 10 × 21 = 210 / 21: exactly 10 passes (>= is inclusive).
    ("all ten", "10 10 10 10 10 10 _", "210.00", 21, "10.00", "10.00", Decision.ADMIS),
    # 36 + 33 + 27 + 52.5 + 32 + 39 = 219.5; 219.5 / 21 = 10.452…; pro 123.5 / 12 = 10.291…
    ("mixed", "12 11 9 10,5 8 13 _", "219.50", 21, "10.45", "10.29", Decision.ADMIS),
    # 8.00 exactly with professional average 11: contrôle (D643-22).
    ("eight, pro ok", "4 4 4 11 11 11 _", "168.00", 21, "8.00", "11.00", Decision.CONTROLE),
    # 8.00 exactly with professional average 8: ajourné.
    ("eight, pro low", "8 8 8 8 8 8 _", "168.00", 21, "8.00", "8.00", Decision.AJOURNE),
    # 21 + 21 + 27 + 120 = 189 -> 9.00, professional average exactly 10: contrôle.
    ("pro exactly ten", "7 7 9 10 10 10 _", "189.00", 21, "9.00", "10.00", Decision.CONTROLE),
    # 11.25 + 12 + 12 + 132 = 167.25 / 21 = 7.964…: ajourné despite a strong professional average.
    ("just below eight", "3,75 4 4 11 11 11 _", "167.25", 21, "7.96", "11.00", Decision.AJOURNE),
    # 167.99 / 21 = 7.9995…: displays 8.00, exact value below 8 -> ajourné.
    ("a hair below eight", "4 4 4 11 11 10,99 _", "167.97", 21, "8.00", "11.00", Decision.AJOURNE),
    # Bonus lifts to exactly 10: 201 + (19 - 10) = 210 -> admis.
    ("bonus to ten", "9 9 9 10 10 10 19", "210.00", 21, "10.00", "10.00", Decision.ADMIS),
    # Bonus is not multiplied: 210 + 10 = 220 / 21 = 10.476… (not 210 + 10 × coef).
    ("bonus not multiplied", "10 10 10 10 10 10 20", "220.00", 21, "10.48", "10.00", Decision.ADMIS),
    # An optional grade below 10 changes nothing.
    ("optional below ten", "10 10 10 10 10 10 5", "210.00", 21, "10.00", "10.00", Decision.ADMIS),
    # 9.9 × 21 = 207.9, + 2 = 209.9 / 21 = 9.9952…: displays 10.00 but the exact
    # average is below 10, and the professional average 9.9 rules out contrôle.
    ("exact, not rounded", "9,9 9,9 9,9 9,9 9,9 9,9 12", "209.90", 21, "10.00", "9.90", Decision.AJOURNE),
    # Above 20 with the bonus, and not clipped: 420 + 10 = 430 / 21 = 20.476…
    ("above twenty", "20 20 20 20 20 20 20", "430.00", 21, "20.48", "20.00", Decision.ADMIS),
    # Half up on an exact x.xx5: E1 exempted, 180 + 5 × 0.45 = 182.25 / 18 = 10.125.
    ("half up", "DISP 10 10 10,45 10 10 _", "182.25", 18, "10.13", "10.19", Decision.ADMIS),
    # Half up through the optional bonus with three decimals: 210 + 2.625 = 212.625 / 21 = 10.125.
    ("half up, bonus", "10 10 10 10 10 10 12,625", "212.63", 21, "10.13", "10.00", Decision.ADMIS),
    # Dispense: E1 leaves points and divisor: 12 × 18 / 18.
    ("dispense", "DISP 12 12 12 12 12 _", "216.00", 18, "12.00", "12.00", Decision.ADMIS),
    # All general units exempted: divisor 12.
    ("three dispenses", "DISP DISP DISP 12 11 9 _", "131.00", 12, "10.92", "10.92", Decision.ADMIS),
    # ABJ counts 0 and keeps its coefficient: 180 / 21 = 8.571…, pro 10 -> contrôle.
    ("justified absence", "ABJ 10 10 10 10 10 _", "180.00", 21, "8.57", "10.00", Decision.CONTROLE),
    # ABS on a mandatory unit: absent whatever the average (D643-24).
    ("unjustified absence", "20 20 ABS 20 20 20 _", "360.00", 21, "17.14", "20.00", Decision.ABSENT),
    # ABS on the optional unit: no bonus, no other effect.
    ("absent optional", "10 10 10 10 10 10 ABS", "210.00", 21, "10.00", "10.00", Decision.ADMIS),
    # Spelling of markers: case and accents ignored.
    ("marker spelling", "dispensé 12 12 12 12 12 abj", "216.00", 18, "12.00", "12.00", Decision.ADMIS),
]


def _student(curriculum: Curriculum, cells: str):  # type: ignore[no-untyped-def]
    values = dict(zip(UNITS, cells.split()))
    return make_student(curriculum, {k: v for k, v in values.items() if v != "_"})


@pytest.mark.parametrize(
    ("label", "cells", "total", "divisor", "average", "pro", "decision"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_table(
    curriculum: Curriculum, label: str, cells: str, total: str, divisor: int, average: str, pro: str,
    decision: Decision,
) -> None:
    r = Grader(curriculum).evaluate(_student(curriculum, cells))
    assert format_points(Fraction(r.total) / 100) == total
    assert r.divisor == divisor
    assert format_points(r.average) == average
    assert format_points(r.professional_average) == pro
    assert r.decision is decision


@pytest.mark.parametrize(
    ("cells", "missing", "decision"),
    [
        ("12 12 12 NN 12 12 _", ("E4",), Decision.INCOMPLET),
        ("12 12 - 12 12 12 _", ("E3",), Decision.INCOMPLET),
        ("12 12 _ 12 12 12 _", ("E3",), Decision.INCOMPLET),
        # Missing comes first: a missing unit and an absence is still incomplet.
        ("ABS 12 12 12 12 _ _", ("E6",), Decision.INCOMPLET),
    ],
)
def test_incomplete(curriculum: Curriculum, cells: str, missing: tuple[str, ...], decision: Decision) -> None:
    r = Grader(curriculum).evaluate(_student(curriculum, cells))
    assert r.decision is decision
    assert r.missing == missing
    assert r.average is None


def test_unit_column_missing_from_sheet_is_incomplete(curriculum: Curriculum) -> None:
    r = Grader(curriculum).evaluate(make_student(curriculum, {"E1": "12"}))
    assert r.decision is Decision.INCOMPLET
    assert r.missing == ("E2", "E3", "E4", "E5", "E6")


@pytest.mark.parametrize(
    ("parts", "e5", "mark"),
    [
        ({"E5A": "12", "E5B": "15"}, "13.50", Mark.GRADE),
        # (12.25 + 13.5) / 2 = 12.875: exact, displayed 12.88.
        ({"E5A": "12,25", "E5B": "13,5"}, "12.88", Mark.GRADE),
        ({"E5A": "ABJ", "E5B": "16"}, "8.00", Mark.GRADE),
        ({"E5A": "ABS", "E5B": "16"}, "", Mark.ABSENT),
        ({"E5A": "", "E5B": "16"}, "", Mark.MISSING),
    ],
)
def test_e5_parts(curriculum: Curriculum, parts: dict[str, str], e5: str, mark: Mark) -> None:
    cells = {"E1": "10", "E2": "10", "E3": "10", "E4": "10", "E6": "10", **parts}
    r = Grader(curriculum).evaluate(make_student(curriculum, cells))
    unit = r.units[4]
    assert unit.code == "E5" and unit.mark is mark
    assert (format_points(Fraction(unit.grade) / 100) if unit.grade is not None else "") == e5
    assert [code for code, _ in unit.parts] == ["E5A", "E5B"]


def test_e5_parts_exact_average(curriculum: Curriculum) -> None:
    # 90 + 50 + 4 × 12.875 + 30 = 221.5 / 21 = 10.547…
    cells = {"E1": "10", "E2": "10", "E3": "10", "E4": "10", "E6": "10", "E5A": "12,25", "E5B": "13,5"}
    r = Grader(curriculum).evaluate(make_student(curriculum, cells))
    assert r.average == Fraction(2215, 210)
    assert format_points(r.average) == "10.55"


def test_blocs_for_students_not_admis(curriculum: Curriculum) -> None:
    g = Grader(curriculum)
    # 30 + 12 + 12 + 60 + 24 + 29.97 = 167.97 / 21 = 7.998…: ajourné.
    failed = g.evaluate(_student(curriculum, "10 4 4 12 6 9,99 _"))
    assert failed.decision is Decision.AJOURNE
    assert [(b.bloc, b.unit) for b in failed.blocs] == [("BG1", "E1"), ("B1", "E4")]
    assert failed.blocs[1].name == "Relation client et négociation-vente"
    passed = g.evaluate(_student(curriculum, "12 12 12 12 12 12 _"))
    assert passed.decision is Decision.ADMIS and passed.blocs == ()


# -- properties ---------------------------------------------------------------

grades = st.integers(min_value=0, max_value=2000)  # hundredths
RANK = {Decision.AJOURNE: 0, Decision.CONTROLE: 1, Decision.ADMIS: 2}


def _text(h: int) -> str:
    return f"{h // 100},{h % 100:02d}"


def _grade(curriculum: Curriculum, values: list[int], optional: int | None = None):  # type: ignore[no-untyped-def]
    cells = {code: _text(v) for code, v in zip(UNITS[:6], values)}
    if optional is not None:
        cells["EF1"] = _text(optional)
    return Grader(curriculum).evaluate(make_student(curriculum, cells))


@given(st.lists(grades, min_size=6, max_size=6), grades)
def test_optional_never_lowers_and_is_not_multiplied(curriculum: Curriculum, values: list[int], opt: int) -> None:
    without = _grade(curriculum, values)
    with_opt = _grade(curriculum, values, opt)
    assert with_opt.average is not None and without.average is not None
    assert with_opt.average >= without.average
    assert with_opt.divisor == without.divisor == 21
    assert with_opt.total - without.total == max(0, opt - 1000)
    assert RANK[with_opt.decision] >= RANK[without.decision]


@given(st.lists(grades, min_size=6, max_size=6), st.integers(0, 5), st.integers(1, 2000))
def test_raising_a_grade_never_hurts(curriculum: Curriculum, values: list[int], unit: int, delta: int) -> None:
    before = _grade(curriculum, values)
    raised = list(values)
    raised[unit] = min(2000, raised[unit] + delta)
    after = _grade(curriculum, raised)
    assert after.average is not None and before.average is not None
    assert after.average >= before.average
    assert RANK[after.decision] >= RANK[before.decision]


@given(st.lists(grades, min_size=6, max_size=6), st.one_of(st.none(), grades))
def test_decision_matches_exact_average(curriculum: Curriculum, values: list[int], opt: int | None) -> None:
    r = _grade(curriculum, values, opt)
    avg = r.average
    assert avg is not None
    coefs = [3, 3, 3, 5, 4, 3]
    expected = (Fraction(sum(c * v for c, v in zip(coefs, values)) + max(0, (opt or 0) - 1000)) / 2100)
    assert avg == expected
    pro = Fraction(5 * values[3] + 4 * values[4] + 3 * values[5], 1200)
    assert (r.decision is Decision.ADMIS) == (avg >= 10)
    assert (r.decision is Decision.CONTROLE) == (8 <= avg < 10 and pro >= 10)


# -- the engagement étudiant unit (EF2): only its points above 10 count ---------------------
# Mandatory grades 9 everywhere: 9 × 21 = 189 points over a divisor of 21 (8.99… would need
# 0.01 more); every case below is worked by hand.
NINES = {"E1": "9", "E2": "9", "E3": "9", "E4": "9", "E5": "9", "E6": "9"}


@pytest.mark.parametrize(
    ("optional", "bonus", "points", "average", "decision"),
    [
        # EF2 alone at 16: bonus 6, (189 + 6) / 21 = 9.2857… → 9.29; pro average 9 < 10: ajourné.
        ({"EF2": "16"}, 600, 19500, "9.29", Decision.AJOURNE),
        # EF2 16 and LV2 (EF1) 14: bonuses add, 6 + 4 = 10; (189 + 10) / 21 = 9.476… → 9.48.
        ({"EF1": "14", "EF2": "16"}, 1000, 19900, "9.48", Decision.AJOURNE),
        # EF2 20 and EF1 20: 10 + 10 = 20; (189 + 20) / 21 = 9.952… → 9.95: the bonus never reaches 10 here.
        ({"EF1": "20", "EF2": "20"}, 2000, 20900, "9.95", Decision.AJOURNE),
        # EF2 below 10 (7.5): no bonus, and never a penalty: 189 / 21 = 9.00.
        ({"EF2": "7.5"}, 0, 18900, "9.00", Decision.AJOURNE),
        # EF2 absent (ABS): an optional unit's absence costs nothing and adds nothing.
        ({"EF2": "ABS"}, 0, 18900, "9.00", Decision.AJOURNE),
        # EF2 not on the sheet at all.
        ({}, 0, 18900, "9.00", Decision.AJOURNE),
    ],
)
def test_engagement_etudiant(curriculum: Curriculum, optional: dict[str, str], bonus: int, points: int,
                             average: str, decision: Decision) -> None:
    r = Grader(curriculum).evaluate(make_student(curriculum, {**NINES, **optional}))
    assert (r.bonus, r.total, r.divisor) == (bonus, points, 21)
    assert format_points(r.average) == average and r.decision is decision
    ef2 = next(u for u in r.units if u.code == "EF2")
    assert ef2.bonus == (600 if optional.get("EF2") == "16" else 1000 if optional.get("EF2") == "20" else 0)


def test_engagement_lifts_a_candidate_to_the_pass_mark(curriculum: Curriculum) -> None:
    """E1–E6 at 10 except E4 at 9.5: 3·10 + 3·10 + 3·10 + 5·9.5 + 4·10 + 3·10 = 207.5 points,
    207.5 / 21 = 9.88; EF2 at 12.5 adds 2.5: 210 / 21 = 10.00 exactly, admis."""
    cells = {"E1": "10", "E2": "10", "E3": "10", "E4": "9.5", "E5": "10", "E6": "10"}
    without = Grader(curriculum).evaluate(make_student(curriculum, cells))
    assert without.total == 20750 and format_points(without.average) == "9.88"
    assert without.decision is Decision.AJOURNE  # pro average (47.5 + 40 + 30) / 12 = 9.79 < 10
    with_ef2 = Grader(curriculum).evaluate(make_student(curriculum, {**cells, "EF2": "12.5"}))
    assert with_ef2.total == 21000 and with_ef2.average == 10 and with_ef2.decision is Decision.ADMIS


# -- a limit on the optional units that count (rules.optional_limit) --------------------------
# The embedded curriculum as another BTS states it: a third optional unit, EF3, and at most one
# of EF1 and EF3 counting; EF2 (engagement étudiant) is outside the limit. Every case is worked
# by hand on the mandatory grades TENS (210 points / 21) or SEVEN (E1 at 7: 201 points / 21).
TENS = {"E1": "10", "E2": "10", "E3": "10", "E4": "10", "E5": "10", "E6": "10"}
SEVEN = {**TENS, "E1": "7"}


@functools.cache
def _limited(max_units: int = 1, coefficients: tuple[int, int, int] | None = None) -> Curriculum:
    text = with_optional_limit((ROOT / "curriculum.yaml").read_text(encoding="utf-8"), max_units, coefficients)
    return parse_curriculum(text, "limited.yaml")


@pytest.mark.parametrize(
    ("base", "optional", "bonus", "left_out", "total", "decision"),
    [
        # EF1 14 (+4) and EF3 16 (+6): EF3 counts, EF1 does not; EF2 12 (+2) is outside the limit:
        # 210 + 6 + 2 = 218 / 21 = 10.380… (without the limit 222 / 21 = 10.571…).
        (TENS, {"EF1": "14", "EF2": "12", "EF3": "16"}, 800, ("EF1",), Fraction(218, 21), Decision.ADMIS),
        # The limit decides: 201 + 5 (EF3 15) = 206 / 21 = 9.809…, pro 10 → contrôle;
        # counting EF1 14 as well would give 201 + 9 = 210 / 21 = 10, admis.
        (SEVEN, {"EF1": "14", "EF3": "15"}, 500, ("EF1",), Fraction(206, 21), Decision.CONTROLE),
        # Equal bonuses: the curriculum's order keeps EF1; 201 + 3 = 204 / 21 = 9.714….
        (SEVEN, {"EF1": "13", "EF3": "13"}, 300, ("EF3",), Fraction(204, 21), Decision.CONTROLE),
        # Both below 10: no bonus either way; the higher grade (EF3 9) is the one kept.
        (TENS, {"EF1": "8", "EF3": "9"}, 0, ("EF1",), Fraction(10), Decision.ADMIS),
        # One graded, one absent: nothing beyond the limit; 201 + 2.5 = 203.5 / 21.
        (SEVEN, {"EF1": "ABS", "EF3": "12.5"}, 250, (), Fraction(2035, 210), Decision.CONTROLE),
        # A justified absence is sat at 0: EF1 0 against EF3 11, EF1 left out; 211 / 21.
        (TENS, {"EF1": "ABJ", "EF3": "11"}, 100, ("EF1",), Fraction(211, 21), Decision.ADMIS),
        # EF2 alone beyond one: outside the limit, it always counts with one other: 210 + 6 + 4.
        (TENS, {"EF2": "16", "EF3": "14"}, 1000, (), Fraction(220, 21), Decision.ADMIS),
    ],
)
def test_the_most_favourable_optional_units_count(base: dict[str, str], optional: dict[str, str], bonus: int,
                                                  left_out: tuple[str, ...], total: Fraction,
                                                  decision: Decision) -> None:
    limited = _limited()
    r = Grader(limited).evaluate(make_student(limited, {**base, **optional}))
    assert (r.bonus, r.left_out, r.average, r.decision, r.divisor) == (bonus, left_out, total, decision, 21)
    by_code = {u.code: u for u in r.units}
    assert all(by_code[code].bonus == 0 and by_code[code].grade is not None for code in left_out)
    assert sum(u.bonus for u in r.units) == r.bonus
    assert [(n.key, n.unit, n.amount) for n in r.notes] == [("optional.left_out", code, 1) for code in left_out]


def test_without_the_limit_every_optional_unit_counts() -> None:
    """The same sheet under the same curriculum less its limit: 201 + 4 + 5 = 210, admis."""
    limited = _limited()
    free = limited._replace(rules=limited.rules._replace(optional_limit=None))
    r = Grader(free).evaluate(make_student(free, {**SEVEN, "EF1": "14", "EF3": "15"}))
    assert (r.total, r.average, r.decision, r.left_out, r.notes) == (21000, 10, Decision.ADMIS, (), ())


def test_the_most_favourable_is_the_largest_bonus_not_the_highest_grade() -> None:
    """Points above 10 multiplied by the coefficient: EF1 12 × 3 = +6 beats EF3 15 × 1 = +5."""
    limited = _limited(coefficients=(3, 1, 1))
    r = Grader(limited).evaluate(make_student(limited, {**SEVEN, "EF1": "12", "EF3": "15"}))
    assert (r.bonus, r.left_out, r.total, r.divisor) == (600, ("EF3",), 20700, 21)


def test_a_limit_of_two_keeps_both() -> None:
    limited = _limited(max_units=2)
    r = Grader(limited).evaluate(make_student(limited, {**SEVEN, "EF1": "14", "EF3": "15"}))
    assert (r.bonus, r.left_out, r.decision) == (900, (), Decision.ADMIS)


@given(st.lists(grades, min_size=6, max_size=6), st.lists(st.one_of(st.none(), grades), min_size=3, max_size=3))
def test_the_limit_counts_the_best_choice_exactly(values: list[int], optional: list[int | None]) -> None:
    """Under the limit, the bonus is that of the best single choice among EF1 and EF3 (plus EF2's):
    the largest any allowed choice gives, never more; the decision is the exact average's."""
    limited = _limited()
    cells = {code: _text(v) for code, v in zip(("E1", "E2", "E3", "E4", "E5", "E6"), values)}
    cells.update({code: _text(v) for code, v in zip(("EF1", "EF2", "EF3"), optional) if v is not None})
    r = Grader(limited).evaluate(make_student(limited, cells))
    over = {code: max(0, v - 1000) if v is not None else 0 for code, v in zip(("EF1", "EF2", "EF3"), optional)}
    assert r.bonus == over["EF2"] + max(over["EF1"], over["EF3"])
    free = limited._replace(rules=limited.rules._replace(optional_limit=None))
    assert r.bonus <= Grader(free).evaluate(make_student(free, cells)).bonus
    assert (r.decision is Decision.ADMIS) == (Fraction(r.total, 100) / r.divisor >= 10)
