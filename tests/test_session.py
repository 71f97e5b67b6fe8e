"""Exam-session workflows (reglement.md §3, §4, §6), with hand-computed cases:
contrôle orals, kept grades, bloc validity, the jury's watch list, attestations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, run, write

CLASS = str(EXAMPLES / "classe-ndrc.csv")
CONTROLE = str(EXAMPLES / "controle.csv")
EARLIER = str(EXAMPLES / "session-anterieure.csv")


def grade(*args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run("grade", *args, "--session", "2026", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {s["id"]: s for s in json.loads(result.stdout)["students"]}


# -- épreuves de contrôle -----------------------------------------------------------


def test_controle_orals() -> None:
    students = grade(CLASS, "--controle", CONTROLE)
    # Exactly 8.00 with a professional average of 11: eligible. E1 16 replaces 4;
    # E2's oral (3) is lower than the first grade (4), which stays:
    # 48 + 12 + 12 + 55 + 44 + 33 = 204 / 21 = 9.714… -> ajourné.
    hugo = students["NDRC2503"]
    assert hugo["controle"] == {
        "units": ["E1", "E2"],
        "grades": {"E1": {"first": 4, "oral": 16, "counted": 16}, "E2": {"first": 4, "oral": 3, "counted": 4}},
        "average_before": 8, "average_after": 9.71, "average_after_text": "9.71", "decision_before": "controle",
    }
    assert (hugo["average"], hugo["decision"]) == (8, "ajourne")
    # 39 + 27 + 36 + 52.5 + 44 + 30.75 = 229.25 / 21 = 10.916… -> admis, no blocs left to list.
    enzo = students["NDRC2513"]
    assert (enzo["controle"]["average_after"], enzo["decision"], enzo["blocs"]) == (10.92, "admis", [])
    # 22.5 + 33 + 24.75 + 50 + 42 + 33 = 205.25 / 21 = 9.773… -> ajourné.
    assert (students["NDRC2523"]["controle"]["average_after"], students["NDRC2523"]["decision"]) == (9.77, "ajourne")
    assert "controle" not in students["NDRC2501"]


def test_controle_sheet_errors(tmp_path: Path) -> None:
    sheet = write(tmp_path / "c.csv", (
        "id;E1;E2;E3;E4\n"
        "NDRC2501;12;;;\n"        # admis: not eligible
        "NDRC2503;12;;;13\n"      # a professional unit
        "NDRC2513;12;11;10;\n"    # three units
        "NOBODY;12;;;\n"          # unknown id
        "NDRC2523;ABS;;;\n"       # not a grade
    ))
    result = run("grade", CLASS, "--controle", sheet)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{sheet}:2:1: 'NDRC2501' is not allowed to sit the contrôle orals (decision: admis)",
        f"{sheet}:3:5: E4: the contrôle orals are only for E1, E2, E3",
        f"{sheet}:4:1: 3 contrôle units; at most 2",
        f"{sheet}:5:1: no candidate 'NOBODY' in the grade sheet",
        f"{sheet}:6:2: E1: a contrôle grade must be a number from 0 to 20",
        "error: 5 problems found; nothing was written.",
    ]


# -- kept grades (bénéfice des notes) -----------------------------------------------


def test_kept_grades_from_the_example() -> None:
    students = grade(CLASS, "--kept", EARLIER)
    # E3 was not graded ("-"): 12.50 from 2024 is kept.
    # 28.5 + 30 + 37.5 + 55 + 48 + 31.5 = 230.5 / 21 = 10.976… -> admis.
    theo = students["NDRC2510"]
    assert (theo["average"], theo["decision"]) == (10.98, "admis")
    assert theo["kept"] == [{"unit": "E3", "session": 2024}]
    assert theo["units"]["E3"] == {"grade": 12.5, "status": "graded", "kept_from": 2024}
    # 2019 is more than 5 years before 2026: expired, with a note.
    eloise = students["NDRC2509"]
    assert eloise["decision"] == "incomplet" and eloise["kept"] == []
    assert eloise["notes"] == ["E4: 14.00 from 2019 expired (more than 5 years)"]
    # A current grade always wins over a kept one (E1 12 from 2025, E1 8 now).
    ines = students["NDRC2504"]
    assert ines["units"]["E1"]["grade"] == 8 and ines["average"] == 8
    assert "E1: the new grade replaces 12.00 from 2025" in ines["notes"]
    # RENONCE: the candidate sits E4 again; the earlier 11 is not used.
    alice = students["NDRC2524"]
    assert alice["decision"] == "incomplet" and alice["kept"] == []
    assert "E4: 11.00 from 2024 renounced" in alice["notes"]


@pytest.mark.parametrize(
    ("earlier_session", "e3", "kept", "note"),
    [
        (2021, "12", True, None),  # exactly 5 years: still valid
        (2020, "12", False, "E3: 12.00 from 2020 expired (more than 5 years)"),
        (2025, "9,5", False, "E3: 9.50 from 2025 is below 10, not kept"),
    ],
)
def test_kept_validity_and_threshold(tmp_path: Path, earlier_session: int, e3: str, kept: bool,
                                     note: str | None) -> None:
    now = write(tmp_path / "now.csv", "id;E1;E2;E3;E4;E5;E6\n1;10;10;;10;10;10\n")
    before = write(tmp_path / "before.csv", f"id;E3\n1;{e3}\n")
    students = grade(now, "--kept", before, "--kept-session", str(earlier_session))
    s = students["1"]
    if kept:
        # 30 + 30 + 36 + 50 + 40 + 30 = 216 / 21 = 10.285… -> admis.
        assert (s["average"], s["decision"], s["kept"]) == (10.29, "admis", [{"unit": "E3",
                                                                              "session": earlier_session}])
    else:
        assert s["decision"] == "incomplet" and s["notes"] == [note]


def test_kept_sheet_needs_a_session(tmp_path: Path) -> None:
    before = write(tmp_path / "before.csv", "id;E3\n1;12\n")
    result = run("grade", CLASS, "--kept", before, "--session", "2026")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{before}:2:1: no session year: add a session column or pass --kept-session")


# -- blocs, jury, attestation ----------------------------------------------------------


def test_blocs_are_valid_five_years() -> None:
    students = grade(CLASS, "--kept", EARLIER)
    assert students["NDRC2517"]["blocs"][0] == {
        "id": "BG1", "name": "Culture générale et expression", "unit": "E1", "grade": 10.5, "valid_until": 2031}
    assert [b["valid_until"] for b in students["NDRC2524"]["blocs"]] == [2031, 2031, 2031, 2031]


def test_jury_watch_list() -> None:
    result = run("grade", CLASS, "--session", "2026", "--jury-margin", "0,5", "-f", "json")
    jury = json.loads(result.stdout)["summary"]["jury"]
    # NDRC2517: professional (48.75 + 41 + 30) / 12 = 9.979… (0.02 below 10) and average
    # 206.75 / 21 = 9.845… (0.15 below 10); NDRC2511: 166.25 / 21 = 7.916… (0.08 below 8);
    # NDRC2513 (contrôle): 203 / 21 = 9.666… (0.33 below 10). Nearest first.
    assert jury == [
        {"id": "NDRC2517", "threshold": "professional", "distance": 0.02},
        {"id": "NDRC2511", "threshold": "controle", "distance": 0.08},
        {"id": "NDRC2517", "threshold": "admis", "distance": 0.15},
        {"id": "NDRC2513", "threshold": "admis", "distance": 0.33},
    ]
    table = run("grade", CLASS, "--session", "2026", "--jury-margin", "0.5", "-f", "markdown").stdout
    assert "## Jury watch list" in table
    assert "NDRC2517 André Mathis: professional average 9.98, 0.02 below 10 (no resit orals); average 9.85, " \
           "0.15 below 10" in table
    assert "Average: 206.75 / 21 = 9.8452… → 9.85 (rounded half up)" in table
    assert run("grade", CLASS, "--jury-margin", "x").exit_code == 2


def test_attestation() -> None:
    out = run("attestation", CLASS, "--student", "NDRC2517", "-f", "markdown", "--session", "2026").stdout
    assert out.startswith("# Attestation of acquired skill blocks\n")
    assert "| BG1 Culture générale et expression | E1 | 10.50 | 2031 |" in out
    admitted = run("attestation", CLASS, "--student", "NDRC2501", "-f", "markdown").stdout
    assert "Passed: the diploma certifies every bloc" in admitted
    missing = run("attestation", CLASS, "--student", "NOBODY")
    assert missing.exit_code == 1 and "no student with id or name 'NOBODY'" in missing.stderr


def test_json_contract_is_backward_compatible() -> None:
    """New fields only; schema and the meaning of existing fields unchanged."""
    plain = json.loads(run("grade", CLASS, "-f", "json").stdout)
    assert plain["schema"] == "ndrc/grade/v1"
    student = plain["students"][0]
    assert {"id", "name", "average", "points", "divisor", "bonus", "professional_average", "decision", "units",
            "blocs"} <= student.keys()
    assert {"kept", "notes"} <= student.keys() and "controle" not in student
