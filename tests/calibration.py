"""A known world for checking that `simulate`'s probabilities are honest.

Each student has a level per unit; every exam (two mocks, then June) is the
level plus an independent error, all rounded to the hundredth and clipped to
[0, 20]. The mocks go to `simulate`; June is graded by the engine; predicted
and observed outcomes are compared. Shared by tests/test_calibration.py and
benchmarks/bench_calibration.py."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

UNITS = ("E1", "E2", "E3", "E4", "E5", "E6")


def world(n: int, seed: int, noise: float = 1.5) -> tuple[str, str, list[dict[str, float]]]:
    """Two mock sheets (CSV text) and the June grades of `n` students."""
    rng = random.Random(seed)

    def exam(level: float) -> float:
        return round(min(20.0, max(0.0, rng.gauss(level, noise))), 2)

    header = "id;" + ";".join(UNITS) + "\n"
    mock1, mock2, june = header, header, []
    for i in range(n):
        base = rng.gauss(10.0, 2.0)
        levels = {u: base + rng.gauss(0.0, 1.5) for u in UNITS}
        mock1 += f"S{i};" + ";".join(f"{exam(levels[u]):.2f}" for u in UNITS) + "\n"
        mock2 += f"S{i};" + ";".join(f"{exam(levels[u]):.2f}" for u in UNITS) + "\n"
        june.append({u: exam(levels[u]) for u in UNITS})
    return mock1, mock2, june


def predicted_and_observed(tmp: Path, n: int, seed: int, spread: list[str],
                           run: Callable[..., Any]) -> list[tuple[float, int]]:
    """(predicted P(admis), 1 if admis in June) per student; `run(*args)` runs
    `ndrc ARGS` and returns its standard output."""
    from ndrc_cli.core.model import Decision, Student
    from ndrc_cli.core.rules import Grader
    from ndrc_cli.load.curriculum import load_curriculum
    from ndrc_cli.load.sheets import SheetReader

    mock1, mock2, june = world(n, seed)
    one, two = tmp / "b1.csv", tmp / "b2.csv"
    one.write_text(mock1, encoding="utf-8")
    two.write_text(mock2, encoding="utf-8")
    args = ["simulate", str(one), str(two), "-f", "json", "--seed", str(seed)] + [a for s in spread
                                                                                   for a in ("--spread", s)]
    data = json.loads(run(*args))
    curriculum = load_curriculum()
    grader = Grader(curriculum)
    reader = SheetReader(curriculum)  # June's cells, read as a sheet would give them
    out = []
    for s, grades in zip(data["students"], june):
        cells = {u: reader.parse_cell(f"{g:.2f}") for u, g in grades.items()}
        student = Student(id=s["id"], name="", cells=cells)  # type: ignore[arg-type]
        admitted = grader.evaluate(student).decision is Decision.ADMIS
        out.append((float(s["probabilities"]["admis"]), int(admitted)))
    return out


def brier(pairs: list[tuple[float, int]]) -> float:
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs)


def bands(pairs: list[tuple[float, int]], edges: tuple[float, ...] = (0, 0.2, 0.4, 0.6, 0.8, 1.0001)
          ) -> list[tuple[float, float, int, float, float]]:
    """(low, high, students, mean predicted, observed rate) per band of predictions."""
    out = []
    for low, high in zip(edges, edges[1:]):
        inside = [(p, o) for p, o in pairs if low <= p < high]
        if inside:
            out.append((low, min(high, 1.0), len(inside), sum(p for p, _ in inside) / len(inside),
                        sum(o for _, o in inside) / len(inside)))
    return out
