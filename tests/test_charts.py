"""The class charts: what they count, hand-computed, and how the
terminal draws them (no colour needed, 60 columns, --no-chart)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, make_student, run, write

from ndrc_cli.app.grading import SessionOptions, grade_sheet
from ndrc_cli.core.charts import Movement, Thresholds, histogram, thresholds, unit_bars
from ndrc_cli.core.model import Curriculum, Decision
from ndrc_cli.core.rules import Grader

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCKS = [str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")]
UNITS = ["E1", "E2", "E3", "E4", "E5", "E6", "EF1"]


def _result(curriculum: Curriculum, cells: str, sid: str = "1"):  # type: ignore[no-untyped-def]
    values = dict(zip(UNITS, cells.split()))
    student = make_student(curriculum, {k: v for k, v in values.items() if v != "_"}, sid)
    return Grader(curriculum).evaluate(student)


def test_histogram_bins_exact_averages(curriculum: Curriculum) -> None:
    results = [
        _result(curriculum, "3,75 4 4 11 11 11 _"),  # 7.964… -> bar 7 (fail zone)
        _result(curriculum, "8 8 8 8 8 8 _"),  # exactly 8 -> bar 8 (ajourné, but from 8)
        _result(curriculum, "4 4 4 11 11 11 _"),  # exactly 8 -> bar 8 (contrôle)
        _result(curriculum, "9,9 9,9 9,9 9,9 9,9 9,9 12"),  # 9.9952…, shown 10.00 -> bar 9: it failed
        _result(curriculum, "10 10 10 10 10 10 _"),  # exactly 10 -> bar 10
        _result(curriculum, "20 20 20 20 20 20 20"),  # 20.476… with the bonus -> the last bar
        _result(curriculum, "10 10 10 ABS 10 10 _"),  # absent: not drawn
        _result(curriculum, "10 10 _ 10 10 10 _"),  # incomplete: not drawn
    ]
    assert results[6].decision is Decision.ABSENT and results[7].decision is Decision.INCOMPLET
    h = histogram(results, thresholds(curriculum.rules))
    assert h.thresholds == Thresholds(8, 10)
    assert h.total == 6
    assert {b.low: b.students for b in h.bins if b.students} == {7: 1, 8: 2, 9: 1, 10: 1, 19: 1}
    assert len(h.bins) == 20
    assert [h.bins[i].zone for i in (0, 7, 8, 9, 10, 19)] == ["fail", "fail", "controle", "controle", "pass", "pass"]


def test_histogram_of_the_example_class(curriculum: Curriculum) -> None:
    report = grade_sheet(CLASS, curriculum, None, SessionOptions(session=2026))
    h = histogram(report.results, Thresholds(8, 10))
    # 12 admis + 3 contrôle + 5 ajourné are decided on an average; absent and incomplete are not.
    assert h.total == 20
    by_zone = {z: sum(b.students for b in h.bins if b.zone == z) for z in ("fail", "controle", "pass")}
    # Below 8: 6.24 and 7.92; from 8 to 10: three contrôle and 8.00, 8.17, 9.85; 10 and above: the 12 admis.
    assert by_zone == {"fail": 2, "controle": 6, "pass": 12}
    bars = unit_bars(curriculum, report.summary)
    assert [b.code for b in bars if b.below] == ["E1"]
    assert bars[0].mean is not None and round(bars[0].mean, 2) == Fraction(944, 100)


def test_movement_change() -> None:
    assert Movement("1", "A", (980, None, 1120)).change == 140
    assert Movement("1", "A", (None, 1000)).change is None
    assert Movement("1", "A", (1050, 1000)).change == -50


def _lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("args", [
    ["grade", CLASS, "-f", "table"],
    ["simulate", *MOCKS, "-f", "table"],
], ids=["grade", "simulate"])
def test_terminal_charts_fit_60_columns_without_colour(args: list[str], lang: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    result = run("--lang", lang, *args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out
    assert max(len(line) for line in _lines(out)) <= 60
    # The zones and thresholds are told by glyphs, not by colour.
    assert "░" in out and "▒" in out and "█" in out and "┊" in out
    legend = "below 8: " if lang == "en" else "moins de 8\u202f: "
    assert legend in out
    if args[0] == "simulate":
        assert "○" in out and "●" in out and "Guérin Sarah" in out


def test_grade_chart_draws_the_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run("grade", CLASS, "-f", "table").stdout
    assert "below 8: 2  ▒ 8 to under 10: 6  █ 10 and above: 12" in out
    # The tallest bar (6 students from 10 to 11) labels the y axis.
    chart = out[out.index("Averages of the 20 students"):]
    assert chart.splitlines()[1].startswith("6 │")
    assert "E1  " in chart and "9.44 ▼ below 10" in chart


def test_no_chart_leaves_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    with_chart = run("grade", CLASS, "-f", "table").stdout
    without = run("grade", CLASS, "-f", "table", "--no-chart").stdout
    assert "Averages of the" in with_chart and "Averages of the" not in without
    assert without.strip() and with_chart.startswith(without.rstrip("\n").split("\n")[0])
    sim = run("simulate", *MOCKS, "-f", "table", "--no-chart").stdout
    assert "○" not in sim and "Projected averages" not in sim


def test_charts_follow_the_curriculums_thresholds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A curriculum that passes from 12 and opens the orals from 9 moves every mark and label."""
    text = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
    text = text.replace("pass_threshold: 10", "pass_threshold: 12").replace("min_average: 8", "min_average: 9")
    cur = write(tmp_path / "c.yaml", text)
    monkeypatch.setenv("COLUMNS", "60")
    out = run("grade", CLASS, "-f", "table", "-c", cur).stdout
    # Same class, other marks: 6.24, 7.92, 8.00, 8.00 and 8.17 are below 9 now.
    assert "░ below 9: 5  ▒ 9 to under 12: 9  █ 12 and above: 6" in out
    assert "against 12" in out and "E4  " in out and "11.42 ▼ below 12" in out
    chart = out[out.index("Averages of the"):].splitlines()
    bars = chart[1:chart.index(next(line for line in chart if "└" in line))]
    # A bar is 2 columns (glyph, gap): the rules sit in the gaps after the 8 and the 11 bars.
    axis = bars[0].index("│") + 1
    assert len(bars) == 6 and {line[axis + 17] for line in bars} == {"┊"} == {line[axis + 23] for line in bars}
