"""Fuzzing: mutated sheets, kept and contrôle sheets and curricula thrown at
`grade`, `simulate` and `report` in-process. Whatever the input: no exception
but ours, exit codes 0, 1 or 2 only, and nothing written unless it succeeded.

A few seconds in CI; `NDRC_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py`
for a longer campaign.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conftest import EXAMPLES, ROOT, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES_N = int(os.environ.get("NDRC_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES_N, deadline=None, suppress_health_check=list(HealthCheck))

CLASS = (EXAMPLES / "classe-ndrc.csv").read_bytes()
EXCEL = (EXAMPLES / "classe-ndrc-excel.csv").read_bytes()
MOCK = (EXAMPLES / "examen-blanc-1.csv").read_bytes()
KEPT = (EXAMPLES / "session-anterieure.csv").read_bytes()
CONTROLE = (EXAMPLES / "controle.csv").read_bytes()
CURRICULUM = (ROOT / "curriculum.yaml").read_bytes()
WORKBOOK = (ROOT / "tests" / "fixtures" / "classe-fr.xlsx").read_bytes()

# What the campaign put in cells: separators, quotes, line breaks, NUL, markers,
# odd digits, formulas, huge numbers, control characters, accents in two encodings.
PIECES = [b";", b",", b'"', b"\n", b"\r", b"\r\n", b"\x00", b"\t", b"ABS", b"DISP", b"NN", b"RENONCE", b"12/20",
          b"12/10", "１２".encode(), "²025".encode(), b"=1+2", b"@SUM(A1)", b"-", b"21", b"1" + b"0" * 5000,
          b"\x1b[2J", "é".encode(), "é".encode("cp1252"), b"\xff\xfe", b"E7", b"Moyenne", b"", b" ", b"9.995",
          b"&a", b"*a", b"!!int", b"1e400", b"id", b"E4"]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "replace", "delete", "flip", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        elif kind == "replace":
            end = at + draw(st.integers(0, 12))
            data[at:end] = draw(st.sampled_from(PIECES))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def _check(args: list[str], out: Path) -> None:
    result = run(*args, "-o", str(out))
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert not out.exists(), args
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@FUZZ
@given(sheet=st.one_of(mutated(CLASS), mutated(EXCEL), mutated(WORKBOOK)), fmt=st.sampled_from(["csv", "json",
                                                                                                 "xlsx", "markdown"]))
def test_grade_survives_any_sheet(sheet: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csv"
        path.write_bytes(sheet)
        _check(["grade", str(path), "-f", fmt], Path(tmp) / f"out.{fmt if fmt != 'markdown' else 'md'}")


@FUZZ
@given(kept=mutated(KEPT), controle=mutated(CONTROLE))
def test_grade_survives_any_kept_and_controle_sheet(kept: bytes, controle: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "k.csv").write_bytes(kept)
        (Path(tmp) / "c.csv").write_bytes(controle)
        _check(["grade", str(EXAMPLES / "classe-ndrc.csv"), "--kept", str(Path(tmp) / "k.csv"), "--controle",
                str(Path(tmp) / "c.csv"), "--session", "2026", "-f", "json"], Path(tmp) / "out.json")


@FUZZ
@given(curriculum=mutated(CURRICULUM), command=st.sampled_from(["grade", "simulate", "report", "programme"]))
def test_every_command_survives_any_curriculum(curriculum: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.yaml"
        path.write_bytes(curriculum)
        target = {"grade": "out.json", "simulate": "out.json", "report": "out.html", "programme": "out.md"}[command]
        inputs = {"grade": [str(EXAMPLES / "classe-ndrc.csv"), "-f", "json"],
                  "simulate": [str(EXAMPLES / "examen-blanc-1.csv"), "-f", "json", "--spread", "0,5"],
                  "report": [str(EXAMPLES / "classe-ndrc.csv")], "programme": ["--all", "-f", "markdown"]}[command]
        _check([command, *inputs, "-c", str(path)], Path(tmp) / target)


@FUZZ
@given(mock=mutated(MOCK), sheet=mutated(CLASS))
def test_simulate_and_report_survive_any_mock(mock: bytes, sheet: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "m.csv").write_bytes(mock)
        (Path(tmp) / "s.csv").write_bytes(sheet)
        _check(["simulate", str(Path(tmp) / "m.csv"), "-f", "json"], Path(tmp) / "out.json")
        _check(["report", str(Path(tmp) / "s.csv"), str(Path(tmp) / "m.csv")], Path(tmp) / "out.html")
