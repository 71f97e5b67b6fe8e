"""The streaming CSV path (cohorts) writes exactly what the ordinary path
writes, and leaves every problem to the ordinary path's full report."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from conftest import ROOT, with_optional_limit, write

from ndrc_cli.app.grading import grade_sheet
from ndrc_cli.cli.stream import write_streamed
from ndrc_cli.core.model import Curriculum
from ndrc_cli.load.curriculum import parse_curriculum
from ndrc_cli.render.csvout import write_csv

CELLS = ["12", "9,5", "10", "8", "15.25", "0", "20", "7.125", "", "NN", "-", "ABS", "ABJ", "abs", "absent"]
GENERAL = CELLS + ["DISP", "dispensé"]
DEFAULT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
NAMES = ["Martin", "N'Diaye", "=cmd()", "@x", "[bold]y", "Lefèvre", "+33", "García"]


def _sheet(rng: random.Random, rows: int, french: bool) -> str:
    sep = ";" if french else ","
    header = ["N° candidat", "Nom", "Prénom", "classe", "E1", "E2", "E3", "E4", "E5", "E6", "EF1", "remarque"]
    lines = [sep.join(header)]
    for i in range(rows):
        cells = [rng.choice(GENERAL) for _ in range(3)] + [rng.choice(CELLS) for _ in range(4)]
        cells = [c.replace(".", ",") if french else c.replace(",", ".") for c in cells]
        row = [f"{i:05d}", rng.choice(NAMES), rng.choice(NAMES), "NDRC2", *cells, rng.choice(["", "-x", "ok"])]
        lines.append(sep.join(f'"{c}"' if sep in c else c for c in row))
    return ("\r\n" if french else "\n").join(lines) + "\n"


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("excel", [False, True])
def test_stream_is_byte_identical(tmp_path: Path, curriculum: Curriculum, seed: int, excel: bool) -> None:
    rng = random.Random(seed)
    french = seed % 2 == 1
    sheet = write(tmp_path / "s.csv", _sheet(rng, 300, french), "cp1252" if seed == 3 else "utf-8")
    expected = io.StringIO(newline="")
    write_csv(grade_sheet(sheet, curriculum), expected, excel=excel)
    target = tmp_path / "out.csv"
    assert write_streamed(sheet, curriculum, str(target), excel, None, None)
    got = target.read_bytes().decode("utf-8-sig" if excel else "utf-8")
    assert got == expected.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "id,E1\n1,25\n",  # a bad grade
        "id,E1\n1,12\n1,13\n",  # a duplicate id
        "id,E4\n1,DISP\n",  # an exemption not allowed
        "id,E1,E7\n1,12,3\n",  # an unknown unit
        "id,E5A,E5B\n1,12,13\n",  # E5 in parts: left to the ordinary path
        "",  # empty
    ],
)
def test_stream_leaves_problems_to_the_ordinary_path(tmp_path: Path, curriculum: Curriculum, text: str) -> None:
    sheet = write(tmp_path / "s.csv", text)
    target = tmp_path / "out.csv"
    assert not write_streamed(sheet, curriculum, str(target), False, None, None)
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("coefficients", [None, (3, 1, 2)])
def test_stream_applies_the_limit_on_optional_units(tmp_path: Path, seed: int,
                                                    coefficients: tuple[int, int, int] | None) -> None:
    """Under a limit (at most one of EF1 and EF3, EF2 outside it), each row's bonus is the
    engine's, streamed as in memory: the rows draw grades in all three optional units."""
    limited = parse_curriculum(with_optional_limit(DEFAULT, 1, coefficients), "limited.yaml")
    rng = random.Random(seed)
    optional = ["14", "12", "16", "9,5", "10,25", "", "ABS", "ABJ", "20"]
    lines = ["id;nom;E1;E2;E3;E4;E5;E6;EF1;EF2;EF3"]
    for i in range(200):
        cells = [rng.choice(GENERAL) for _ in range(3)] + [rng.choice(CELLS) for _ in range(3)]
        lines.append(";".join([f"{i:04d}", "Nom", *(c.replace(".", ",") for c in cells),
                               *(rng.choice(optional) for _ in range(3))]))
    sheet = write(tmp_path / "s.csv", "\n".join(lines) + "\n")
    expected = io.StringIO(newline="")
    report = grade_sheet(sheet, limited)
    assert any(r.left_out for r in report.results)
    write_csv(report, expected, excel=False)
    target = tmp_path / "out.csv"
    assert write_streamed(sheet, limited, str(target), False, None, None)  # streamed, not left to the other path
    assert target.read_text(encoding="utf-8") == expected.getvalue()
