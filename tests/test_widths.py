"""Every table fits the terminal: at 60, 80, 100 and 120 columns, in both
languages, no line is longer than the width, no number is cut, and each
student stays on one line (an explanation wraps under its indent instead)."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES, run

from ndrc_cli import i18n

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCK1, MOCK2 = str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")
COMMANDS = {
    "grade": ["grade", CLASS, "-f", "table", "--no-chart"],
    "simulate, one mock": ["simulate", MOCK1, "-f", "table", "--no-chart"],
    "simulate, two mocks": ["simulate", MOCK1, MOCK2, "-f", "table", "--no-chart"],
    "programme": ["programme"],
    "programme --all": ["programme", "--all"],
    # An explanation: with the bonus line, and with the contrôle orals and the blocs.
    "explain, a bonus": ["grade", CLASS, "--explain", "NDRC2505"],
    "explain, the orals": ["grade", CLASS, "--controle", str(EXAMPLES / "controle.csv"), "--explain", "ndrc2503"],
}
IDS = [f"NDRC25{n:02d}" for n in range(1, 25)]
# A number cut by an ellipsis: "12,…", "1…", "+1,…".
CUT = re.compile(r"\d[.,]?…")


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_tables_fit(command: str, width: int, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    i18n.set_language(lang)
    result = run(*COMMANDS[command])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    too_long = [line for line in lines if len(line) > width]
    assert too_long == [], too_long[:3]
    assert not [line for line in lines if CUT.search(line)]
    if command.startswith("explain"):  # every computation is there, its numbers whole
        assert re.search(r"= 10[.,]0000 → 10[.,]00|= 8[.,]0000 → 8[.,]00", result.stdout), result.stdout
        assert len(re.findall(r" × \d = ", result.stdout)) == 6
    elif not command.startswith("programme"):
        rows = [line for line in lines if line.startswith(" NDRC25")]  # table rows (summary lines start flush)
        assert [row.split()[0] for row in rows] == IDS  # one line per student, ids whole
        for row in rows:  # each row ends with what decides: an average (or none yet) and a decision
            assert re.search(r"\d[.,]\d\d", row) or "incomplet" in row or "incomplete" in row, row


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_unit_grade_fits_80_columns(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    i18n.set_language(lang)
    out = run("grade", CLASS, "-f", "table", "--no-chart").stdout
    header = next(line for line in out.splitlines() if "E1" in line and "EF1" in line)
    assert header.split()[2:9] == ["E1", "E2", "E3", "E4", "E5", "E6", "EF1"]
    sim = run("simulate", MOCK1, MOCK2, "-f", "table", "--no-chart").stdout
    assert "Martin Camille" in sim and ("Pass" in sim or "Admis" in sim)  # id, name, average, decision, P(pass)
