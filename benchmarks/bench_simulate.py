#!/usr/bin/env python3
"""Benchmark `ndrc simulate`: a class of 30 and a cohort of 10,000, with
probabilities at the stated precision. Prints medians; never fails.

    python benchmarks/bench_simulate.py [--runs 3]

Targets: class of 30 under 0.5 s end to end; 10,000 students under
5 s and under 300 MB of memory.
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
GEN = Path(__file__).resolve().parent / "gen_students.py"


def run(args: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one run in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "import resource, sys; from ndrc_cli.cli.entry import main\n"
         "sys.argv = ['ndrc', *sys.argv[1:]]\n"
         "try:\n    main()\nfinally:\n"
         "    sys.stderr.write(f'\\nRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')", *args],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    elapsed = time.perf_counter() - start
    rss = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("RSS ")), 0)
    if proc.returncode != 0:
        sys.exit(f"ndrc failed: {proc.stderr}")
    return elapsed, rss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'case':<34}{'median s':>10}{'peak MB':>10}{'target':>22}")
        for n, target in ((30, "< 0.5 s"), (10_000, "< 5 s, < 300 MB")):
            sheet = Path(tmp) / f"mock-{n}.csv"
            sheet.write_text(subprocess.run([sys.executable, str(GEN), str(n), "--seed", "1"], capture_output=True,
                                            text=True, check=True).stdout)
            runs = [run(["simulate", str(sheet), "--format", "csv", "-o", str(Path(tmp) / "out.csv"), "--force"])
                    for _ in range(a.runs)]
            print(f"{f'simulate, {n} students':<34}{statistics.median(r[0] for r in runs):>10.2f}"
                  f"{max(r[1] for r in runs):>10.0f}{target:>22}")


if __name__ == "__main__":
    main()
