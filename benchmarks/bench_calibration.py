"""How honest are simulate's probabilities? In a known world (each exam a
student's level plus an independent error; tests/calibration.py), predicted
P(admis) from two mocks against June's outcome, for the fixed spread (2) and
the spread learnt from the class (--spread auto): Brier score and a
calibration table, side by side.

    python benchmarks/bench_calibration.py [--students 2000] [--seeds 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from calibration import bands, brier, predicted_and_observed  # noqa: E402


def _ndrc(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={"NDRC_LANG": "en", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    return proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=3)
    options = parser.parse_args()
    for label, spread in (("fixed spread 2", ["2"]), ("learnt (--spread auto)", ["auto"])):
        pairs = []
        for seed in range(1, options.seeds + 1):
            with tempfile.TemporaryDirectory() as tmp:
                pairs += predicted_and_observed(Path(tmp), options.students, seed, spread, _ndrc)
        print(f"\n{label}: {len(pairs)} students, Brier score {brier(pairs):.4f} (always 50 %: 0.25)")
        print(f"{'predicted':>12} {'students':>9} {'mean predicted':>15} {'observed':>9}")
        for low, high, n, mean, rate in bands(pairs):
            print(f"{low:>5.0%}–{high:<5.0%} {n:>9} {mean:>15.3f} {rate:>9.3f}")


if __name__ == "__main__":
    main()
