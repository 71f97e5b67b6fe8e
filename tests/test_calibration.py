"""Honest probabilities: in a known world (tests/calibration.py), students
predicted to pass with probability p pass about p of the time, for the fixed
spread and for the spread learnt from the class."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from calibration import bands, brier, predicted_and_observed
from conftest import run


def _run(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize("spread", [["2"], ["auto"]])
def test_predictions_are_calibrated(tmp_path: Path, spread: list[str]) -> None:
    pairs = predicted_and_observed(tmp_path, 800, 11, spread, _run)
    # Overall: the expected number of passes is the observed one, within 3 standard errors.
    expected = sum(p for p, _ in pairs)
    observed = sum(o for _, o in pairs)
    sd = math.sqrt(sum(p * (1 - p) for p, _ in pairs))
    assert abs(expected - observed) <= 3 * sd, (expected, observed, sd)
    # Band by band (60–80 % among them): the observed rate lies within 3 standard errors of the mean prediction.
    for low, high, n, mean, rate in bands(pairs):
        tolerance = 3 * math.sqrt(max(mean * (1 - mean), 0.01) / n) + 0.02
        assert abs(rate - mean) <= tolerance, (low, high, n, mean, rate)
    assert any(low == 0.6 and n >= 30 for low, _, n, _, _ in bands(pairs))  # the 60–80 % band is really tested
    assert brier(pairs) < 0.2  # far better than always saying 50 % (0.25)
