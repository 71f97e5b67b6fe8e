"""The express lane: everyday `ndrc grade` lines parsed without Typer
must mean exactly what Typer makes of them, and behave the same end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, imported_after
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ndrc_cli.cli import jobs
from ndrc_cli.cli.express import parse_grade

CLASS = str(EXAMPLES / "classe-ndrc.csv")


def typer_request(argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The GradeRequest the Typer command builds from `argv`, or the exit code
    if Typer refuses the line."""
    from ndrc_cli.cli.typer_app import app

    seen: list[jobs.GradeRequest] = []
    monkeypatch.setattr(jobs, "grade", seen.append)
    result = CliRunner().invoke(app, argv, env=env)
    monkeypatch.undo()
    return seen[0] if seen else ("exit", result.exit_code, result.output)


# -- accepted lines mean what Typer means -----------------------------------------

EVERYDAY = [
    ["grade", "classe.csv"],
    ["grade", "classe.csv", "--format", "table"],
    ["grade", "classe.csv", "-f", "csv", "-o", "out.csv", "--force"],
    ["grade", "--format=json", "classe.csv", "--output=out.json"],
    ["--lang", "fr", "grade", "classe.csv", "--excel", "-o", "excel.csv"],
    ["--lang=en", "grade", "-", "-d", "tab", "-e", "cp1252"],
    ["grade", "classe.csv", "--explain", "NDRC2501", "-c", "bts.yaml"],
    ["grade", "classe.csv", "--all", "--delimiter", ";", "--controle", "oraux.csv", "--kept", "old.csv"],
    ["grade", "classe.csv", "-o", "-"],
    ["grade", "classe.csv", "--no-chart", "-f", "table"],
    ["grade", "classe.csv", "--no-chart", "--chart"],
    ["grade", "classe.csv", "-f", "csv", "-f", "json", "-o", ""],
    ["grade", "classe.xlsx", "--sheet", "Notes", "-f", "xlsx", "-o", "r.xlsx"],
    ["grade", "classe.xlsx", "--sheet=2"],
    # Values as typed: jobs.grade checks them for both lanes.
    ["grade", "a.csv", "--jury-margin", "0.5"], ["grade", "a.csv", "-d", "x"],
    ["grade", "a.csv", "--column", "Négo=E4", "--column=LV1=E2"],
]


@pytest.mark.parametrize("argv", EVERYDAY, ids=" ".join)
def test_everyday_lines_take_the_express_lane_with_typers_meaning(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    express = parse_grade(argv, {})
    assert express is not None
    assert express == typer_request(argv, {}, monkeypatch)


def test_the_curriculum_variable_is_read_as_typer_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ({"NDRC_CURRICULUM": "mine.yaml"}, {"NDRC_CURRICULUM": ""}):
        for argv in (["grade", "a.csv"], ["grade", "a.csv", "-c", "other.yaml"]):
            express = parse_grade(argv, env)
            assert express is not None
            assert express == typer_request(argv, env, monkeypatch)
    assert parse_grade(["grade", "a.csv"], {"NDRC_CURRICULUM": "mine.yaml"}) == jobs.GradeRequest(
        sheet="a.csv", curriculum="mine.yaml")


@pytest.mark.parametrize("argv", [
    [], ["grade"], ["--help"], ["grade", "--help"], ["grade", "a.csv", "-h"], ["--version"],
    ["grade", "a.csv", "b.csv"], ["grade", "a.csv", "--format", "CSV"], ["grade", "a.csv", "--format", "pdf"],
    ["grade", "a.csv", "-fcsv"], ["grade", "a.csv", "--force=yes"],
    ["grade", "a.csv", "--session", "2025"], ["grade", "a.csv", "--"],
    ["grade", "a.csv", "-o"],
    ["grade", "a.csv", "--lang", "fr"], ["--lang", "de", "grade", "a.csv"],
    ["--lang", "fr", "--lang", "en", "grade", "a"],
    ["simulate", "a.csv"], ["programme"], ["--bogus", "grade", "a.csv"],
])
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert parse_grade(argv, {}) is None


# Tokens a user might type, good and bad, for the property below.
_VALUES = ["csv", "table", "json", "markdown", "JSON", "pdf", "out.csv", "out.md", "-", "-x", "", ";", "tab", "|",
           "x", "NDRC2501", "cp1252", "2026", "grade", "xlsx", "out.xlsx", "Notes", "E4=E4"]
_OPTIONS = ["--format", "-f", "--output", "-o", "--explain", "--curriculum", "-c", "--delimiter", "-d", "--encoding",
            "-e", "--controle", "--kept", "--session", "--kept-session", "--jury-margin", "--lang", "--bogus",
            "--sheet", "--column"]
_FLAGS = ["--force", "--excel", "--all", "--chart", "--no-chart", "--help", "-h", "--version", "--force=1", "--",
          "-fcsv", "--no-chart=1"]
_token = st.one_of(
    st.sampled_from(["a.csv", "-", "b.csv"]).map(lambda s: [s]),
    st.tuples(st.sampled_from(_OPTIONS), st.sampled_from(_VALUES)).map(list),
    st.tuples(st.sampled_from([o for o in _OPTIONS if o.startswith("--")]), st.sampled_from(_VALUES)).map(
        lambda p: [f"{p[0]}={p[1]}"]),
    st.sampled_from(_FLAGS).map(lambda f: [f]),
)
_prefix = st.sampled_from([[], ["--lang", "fr"], ["--lang=en"], ["--lang", "xx"], ["--version"]])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=_prefix, tokens=st.lists(_token, max_size=5), env=st.sampled_from([{}, {"NDRC_CURRICULUM": "c.yaml"}]))
def test_whatever_the_express_lane_accepts_typer_reads_the_same(
    prefix: list[str], tokens: list[list[str]], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = prefix + ["grade"] + [part for token in tokens for part in token]
    express = parse_grade(argv, env)
    if express is not None:
        assert express == typer_request(argv, env, monkeypatch), argv


# -- end to end: both lanes print the same bytes and exit codes -----------------

def _ndrc(args: list[str], express: bool) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT), "NDRC_NO_EXPRESS": "0" if express else "1"}
    return subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, env=env, cwd=ROOT,
                          check=False)


@pytest.mark.parametrize("args", [
    ["grade", CLASS, "--format", "csv"],
    ["grade", CLASS, "--format", "json"],
    ["grade", CLASS, "-f", "markdown"],
    ["--lang", "fr", "grade", CLASS, "-f", "table"],
    ["grade", CLASS, "--explain", "NDRC2501"],
    ["grade", CLASS, "--explain", "NOBODY"],
    ["grade", str(EXAMPLES / "nothing-here.csv")],
    ["grade", CLASS, "-o", CLASS, "--force"],
    ["grade", str(EXAMPLES / "classe-ndrc.xlsx"), "-f", "csv"],
    ["grade", str(ROOT / "tests" / "fixtures" / "second-sheet.xlsx"), "--sheet", "Nope"],
    ["grade", CLASS, "-o", "resultats.ods"],
    ["grade", CLASS, "-d", "x"],
    ["grade", CLASS, "--jury-margin", "abc"],
    ["grade", CLASS, "--column", "nom=E9"],
], ids=lambda a: " ".join(a[1:] if a[0] == "grade" else a).replace(str(EXAMPLES) + "/", ""))
def test_both_lanes_print_the_same(args: list[str]) -> None:
    fast, slow = _ndrc(args, express=True), _ndrc(args, express=False)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
    assert fast.stdout or fast.stderr


def test_the_express_lane_does_not_import_typer() -> None:
    assert imported_after(["grade", CLASS, "--format", "json"], ("typer", "click")) == []
    assert "typer" in imported_after(["grade", CLASS, "--format", "json", "--session", "2026"], ("typer",))
