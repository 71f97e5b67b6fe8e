#!/usr/bin/env python3
"""Benchmark `ndrc grade` against the pandas peer, side by side.

Generates the inputs with gen_students.py (beside this script), runs each case
several times in fresh processes, and prints medians, peak memory and the
ratios to the peer. Prints figures; never fails.

    python benchmarks/bench_grade.py [--runs 5] [--peer-python PATH] [--million]

The peer needs pandas: give a Python that has it with --peer-python (pandas
is not an ndrc dependency). --million adds the 1,000,000-row case.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent  # gen_students.py and the pandas peers


def measure(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one fresh process."""
    # As installed: pip compiles .pyc files at install time, so let Python
    # write and reuse them here too (this machine sets PYTHONDONTWRITEBYTECODE,
    # which would recompile every module on every run).
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NDRC_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def median_of(cmd: list[str], runs: int) -> tuple[float, float]:
    measure(cmd)  # warm-up: bytecode, the curriculum cache, the OS file cache
    results = [measure(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def has_pandas(python: str) -> bool:
    return subprocess.run([python, "-c", "import pandas"], capture_output=True).returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peer-python", default=sys.executable)
    ap.add_argument("--million", action="store_true")
    a = ap.parse_args()
    ndrc = [sys.executable, "-m", "ndrc_cli"]
    peer = [a.peer_python, str(BENCH / "peer_pandas.py")] if has_pandas(a.peer_python) else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def sheet(n: int) -> str:
            path = Path(tmp) / f"s{n}.csv"
            if not path.exists():
                with open(path, "w") as f:
                    subprocess.run([sys.executable, str(BENCH / "gen_students.py"), str(n), "--seed", "1"],
                                   stdout=f, check=True)
            return str(path)

        out = str(Path(tmp) / "out.csv")
        small, big = sheet(30), sheet(100_000)
        cases = [
            ("grade 30, --format csv", ndrc + ["grade", small, "--format", "csv"], small, a.runs, "≤ 0.35 × peer"),
            ("grade 30, --format table", ndrc + ["grade", small, "--format", "table"], small, a.runs, "≤ 0.5 × peer"),
            ("ndrc --help", ndrc + ["--help"], None, a.runs, "≤ 150 ms"),
            ("grade 100,000, csv -o", ndrc + ["grade", big, "--format", "csv", "-o", out, "--force"], big,
             max(1, a.runs // 2), "≤ 1.0 × peer time, ≤ 0.5 × peer memory"),
        ]
        if a.million:
            huge = sheet(1_000_000)
            cases.append(("grade 1,000,000, csv -o", ndrc + ["grade", huge, "--format", "csv", "-o", out, "--force"],
                          huge, 1, "finishes, memory bounded"))
        for label, cmd, data, runs, target in cases:
            t, m = median_of(cmd, runs)
            pt = pm = None
            if peer is not None and data is not None:
                pt, pm = median_of(peer + [data], runs)
            rows.append((label, t, m, pt, pm, target))

    print(f"{'case':<28}{'ndrc s':>8}{'MB':>7}{'peer s':>8}{'MB':>7}{'time ×':>8}{'mem ×':>7}  target")
    for label, t, m, pt, pm, target in rows:
        ratio_t = f"{t / pt:.2f}" if pt else "—"
        ratio_m = f"{m / pm:.2f}" if pm else "—"
        peer_t = f"{pt:.3f}" if pt else "—"
        peer_m = f"{pm:.0f}" if pm else "—"
        print(f"{label:<28}{t:>8.3f}{m:>7.0f}{peer_t:>8}{peer_m:>7}{ratio_t:>8}{ratio_m:>7}  {target}")
    if peer is None:
        print("(no pandas for the peer: pass --peer-python with a Python that has it)")


if __name__ == "__main__":
    main()
