#!/usr/bin/env python3
"""Benchmark this checkout against another one (an earlier release), side by side.

The reader's speed targets are relative: a change to how sheets are read must
keep a class well under 0.1 s and 100,000 rows within 10 % of the earlier
time. Both checkouts run the same inputs in fresh processes, interleaved run
by run (this machine is shared and noisy: a slow moment hits both), and the
medians are printed with their ratio. Prints figures; never fails.

    git worktree add /tmp/ndrc-base v0.1.0   # or any commit
    python benchmarks/bench_versions.py --baseline /tmp/ndrc-base [--runs 9] [--only xlsx]
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

from bench_workbook import workbook_of

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent


def measure(root: Path, args: list[str]) -> float:
    """Wall time (s) of one fresh `python -m ndrc_cli ARGS` from `root`."""
    env = {**os.environ, "PYTHONPATH": str(root), "NDRC_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # reuse bytecode, as after pip install
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ndrc_cli", *args], cwd=root, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed in {root}: {' '.join(args)}: {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, type=Path, help="the other checkout's root folder")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--only", default="", help="run only the cases whose label holds this text")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        def sheet(n: int) -> Path:
            path = Path(tmp) / f"s{n}.csv"
            with open(path, "w") as f:
                subprocess.run([sys.executable, str(BENCH / "gen_students.py"), str(n), "--seed", "1"],
                               stdout=f, check=True)
            return path

        small, big = sheet(30), sheet(100_000)
        big_xlsx = Path(tmp) / "s100000.xlsx"
        workbook_of(big, big_xlsx)
        out = str(Path(tmp) / "out.csv")
        example = str(ROOT / "examples" / "classe-ndrc.xlsx")
        cases = [
            ("class of 30, csv", ["grade", str(small), "-f", "csv"], a.runs),
            ("class of 30, table", ["grade", str(small), "-f", "table"], a.runs),
            ("class workbook, csv", ["grade", example, "-f", "csv"], a.runs),
            ("100,000 csv -o (stream)", ["grade", str(big), "-f", "csv", "-o", out, "--force"], max(3, a.runs // 2)),
            ("100,000 xlsx -o (stream)", ["grade", str(big_xlsx), "-f", "csv", "-o", out, "--force"],
             max(3, a.runs // 2)),
            ("100,000 csv, json", ["grade", str(big), "-f", "json", "-o", out + ".json", "--force"],
             max(3, a.runs // 3)),
        ]
        print(f"{'case':<26}{'this s':>9}{'baseline s':>12}{'ratio':>8}")
        for label, args, runs in cases:
            if a.only not in label:
                continue
            measure(ROOT, args)  # warm-up: bytecode, the curriculum cache, the OS file cache
            measure(a.baseline, args)
            ours, theirs = [], []
            for _ in range(runs):  # interleaved: a noisy moment hits both
                ours.append(measure(ROOT, args))
                theirs.append(measure(a.baseline, args))
            t, b = statistics.median(ours), statistics.median(theirs)
            print(f"{label:<26}{t:>9.3f}{b:>12.3f}{t / b:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
