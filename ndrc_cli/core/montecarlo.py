"""Outcome probabilities for projected students (reglement.md §7).

Model: each unit grade is normal around its projected value with its
spread, clipped to [0, 20] and rounded to the hundredth, independent between
units; exempted units leave the computation, ABJ stays 0. A unit with no
spread is not drawn: its projected grade counts exactly, even with more
decimals than hundredths (a mean of mocks, 9.9993), so that with no spread
at all the outcome is the projected decision, with certainty. The decision
rules are then applied in exact integer hundredths.

Method: conditional Monte Carlo. All units but one "pivot" unit (the
non-dispensable unit with the largest coefficient, E4) are drawn; given
them, the probability of each outcome over the pivot is exact (the pivot's
admis / contrôle thresholds are integers of hundredths, and a clipped normal
has a closed-form tail). Averaging these conditional probabilities has a
far smaller variance than counting outcomes. The chance of the diploma
through the contrôle orals is conditional the same way: the orals are drawn,
and the pivot's range that is at contrôle and then passes with them is
exact. Students whose standard error is still above the target get more
draws. Seeded, so reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .model import HUNDRED, Curriculum, Exact, Mark, Student
from .rules import Grader, unit_effect

TARGET_SE = 0.005
FIRST_DRAWS = 250  # antithetic pairs (500 draws)
MAX_DRAWS = 32_000  # pairs
CHUNK = 300_000  # draws × students per block: bounds memory (~100 MB)


@dataclass(frozen=True, slots=True)
class Outcome:
    admis: float
    controle: float
    ajourne: float
    draws: int
    stderr: float
    #: P(admis at the first group) + P(contrôle, then admis after the orals)
    diploma: float = 0.0


@dataclass(frozen=True, slots=True)
class UnitDraw:
    """What the model needs of one student's unit: mean and spread in points
    (spread 0: no draw, as for ABJ at 0); `exempt` leaves it out; `exact`, the
    projected grade in exact hundredths, which a unit with spread 0 counts."""

    mean: float
    spread: float
    exempt: bool = False
    exact: Exact | None = None


def _survival(np: Any, k: Any, mean: Any, spread: Any) -> Any:
    """P(round(clip(N(mean, spread), 0, 20) * 100) >= k) for integer k (arrays)."""
    t = (k - 0.5) / HUNDRED
    # A tiny spread makes z huge: z*z overflows to inf and exp(-inf) is 0,
    # the right limit (the tail is 0 or 1), so those warnings say nothing.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        z = (t - mean) / (spread * np.sqrt(2.0))
        tail = 0.5 * _erfc(np, z)
        step = (mean * HUNDRED >= k - 0.5).astype(float)  # spread 0: a step
        tail = np.where(spread > 0, tail, step)
    return np.where(k <= 0, 1.0, np.where(k > 20 * HUNDRED, 0.0, tail))


def _erfc(np: Any, x: Any) -> Any:
    """erfc to about 1e-7 (Numerical Recipes' erfcc); numpy has no erf."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    r = t * np.exp(
        -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (
            0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return np.where(x >= 0, r, 2.0 - r)


class Simulator:
    def __init__(self, curriculum: Curriculum, seed: int) -> None:
        import numpy as np

        self.np = np
        self.curriculum = curriculum
        self.rng = np.random.default_rng(seed)
        rules = curriculum.rules
        units = curriculum.units
        # Integer weights: coefficients scaled to a common denominator.
        denominators = [Fraction(u.coefficient).denominator for u in units if u.coefficient is not None]
        self.scale = 1
        for d in denominators:
            self.scale = self.scale * d // math.gcd(self.scale, d)
        # Every weight is what the engine's own unit_effect gives a graded cell
        # (one definition of the rules, vectorised here): per hundredth of a
        # mandatory grade, its points, professional points and divisor; per
        # hundredth above the threshold of an optional grade, its bonus, and
        # what it adds to the divisor when taken.
        pro_units = frozenset(rules.professional_units)
        above = rules.optional.counts_above
        effects = [unit_effect(u, u.code in pro_units, rules.optional, Mark.GRADE, 1 if u.mandatory else above + 1)
                   for u in units]

        def scaled(value: Any) -> int:
            return int(Fraction(value) * self.scale)

        self.coef = np.array([scaled(u.coefficient or 0) for u in units], dtype=np.int64)
        self.divisor_w = np.array([scaled(e.divisor) for e in effects], dtype=np.int64)
        self.pro_divisor_w = np.array([scaled(e.pro_divisor) for e in effects], dtype=np.int64)
        self.mandatory = np.array([u.mandatory for u in units])
        self.pro = self.pro_divisor_w > 0
        candidates = [i for i, u in enumerate(units) if u.mandatory and not u.dispensable]
        self.pivot = max(candidates, key=lambda i: (self.coef[i], self.pro[i]))
        self.others = np.array([i for i in range(len(units)) if i != self.pivot])
        self.weights = np.array([[scaled(effects[i].points), scaled(effects[i].pro_points)] for i in self.others],
                                dtype=np.float32)
        o_units = [units[i] for i in self.others]
        self.optional = np.array([j for j, u in enumerate(o_units) if not u.mandatory], dtype=np.int64)
        self.bonus_weights = np.array([scaled(effects[self.others[j]].bonus) for j in self.optional],
                                      dtype=np.float32)
        self._effect_of = [(u, u.code in pro_units) for u in units]
        self.pass_h = int(rules.pass_threshold)
        self.low_h = int(rules.controle_min)
        self.pro_h = int(rules.professional_threshold)
        self.above_h = int(rules.optional.counts_above)

    def outcomes(self, draws: list[list[UnitDraw]], orals: list[tuple[int, ...]] | None = None) -> list[Outcome]:
        """One Outcome per student, in order; `orals` (unit indices in the
        curriculum) are the contrôle orals each student would choose."""
        np = self.np
        n = len(draws)
        u = len(self.curriculum.units)
        mean = np.array([[d.mean for d in row] for row in draws], dtype=float).reshape(n, u)
        spread = np.array([[d.spread for d in row] for row in draws], dtype=float).reshape(n, u)
        exempt = np.array([[d.exempt for d in row] for row in draws], dtype=bool).reshape(n, u)
        fixed = self._fixed(draws, mean)
        # Each chosen oral as its position among the drawn units (the pivot is
        # professional, never an oral); -1 pads a shorter choice.
        position = {int(unit): j for j, unit in enumerate(self.others)}
        width = max([len(o) for o in orals or []] + [0])
        oral_pos = np.full((n, width), -1, dtype=np.int64)
        for i, chosen in enumerate(orals or []):
            for j, unit in enumerate(chosen):
                oral_pos[i, j] = position.get(unit, -1)
        results: list[Outcome | None] = [None] * n
        sums = np.zeros((n, 4))
        squares = np.zeros((n, 4))
        done = np.zeros(n, dtype=np.int64)
        goal = np.full(n, FIRST_DRAWS, dtype=np.int64)
        pending = np.arange(n)
        while len(pending):
            # Students needing the same number of extra draws go together.
            for extra in np.unique(goal[pending] - done[pending]):
                group = pending[goal[pending] - done[pending] == extra]
                self._accumulate(group, int(extra), mean, spread, exempt, oral_pos, fixed, sums, squares)
            done[pending] = goal[pending]
            k = done[pending][:, None]
            p = sums[pending] / k
            var = np.maximum(squares[pending] / k - p * p, 0.0)
            se = np.sqrt(var / k).max(axis=1)
            finished = (se <= TARGET_SE) | (done[pending] >= MAX_DRAWS)
            for i, s in zip(pending[finished], se[finished]):
                a, c, dip = sums[i, 0] / done[i], sums[i, 1] / done[i], sums[i, 3] / done[i]
                results[i] = Outcome(float(a), float(c), float(max(0.0, 1.0 - a - c)), 2 * int(done[i]), float(s),
                                     float(min(max(dip, a), a + c)))
            pending = pending[~finished]
            # The standard error falls as 1/sqrt(draws): aim at the target with
            # a 25 % margin, at least doubling, within the cap.
            wanted = np.ceil(done[pending] * (se[~finished] / TARGET_SE) ** 2 * 1.25)
            goal[pending] = np.minimum(np.maximum(wanted, 2 * done[pending]), MAX_DRAWS).astype(np.int64)
            goal[pending] = (goal[pending] + 249) // 250 * 250  # few distinct batch sizes
        return [r for r in results if r is not None]

    def _fixed(self, draws: list[list[UnitDraw]], mean: Any) -> Any:
        """(students, 2): what the undrawn units whose projected grade is finer
        than a hundredth add to the total and to the professional points, in
        the scaled integer units of the draws, rounded down; those units are
        then drawn as 0 (`mean` is updated). Rounding down is exact for the
        decision: the drawn part is an integer, and for an integer x and a
        threshold N, x + f >= N exactly when x + floor(f) >= N."""
        np = self.np
        fixed = np.zeros((len(draws), 2), dtype=np.float64)
        optional = self.curriculum.rules.optional
        for i, row in enumerate(draws):
            total = pro = Fraction(0)
            for j, d in enumerate(row):
                grade = d.exact
                if d.spread or d.exempt or type(grade) is not Fraction or grade.denominator == 1:
                    continue  # drawn, or a whole number of hundredths: exact in the draws
                unit, is_pro = self._effect_of[j]
                e = unit_effect(unit, is_pro, optional, Mark.GRADE, grade)
                total += Fraction(e.points + e.bonus) * self.scale
                pro += Fraction(e.pro_points) * self.scale
                mean[i, j] = 0.0
            if total or pro:
                fixed[i] = (math.floor(total), math.floor(pro))
        return fixed

    def _accumulate(self, idx: Any, k: int, mean: Any, spread: Any, exempt: Any, oral_pos: Any, fixed: Any,
                    sums: Any, squares: Any) -> None:
        """Add `k` antithetic pairs of draws for the students `idx`."""
        block = max(1, CHUNK // max(1, 2 * k))
        for start in range(0, len(idx), block):
            rows = idx[start : start + block]
            probs = self._conditional(k, mean[rows], spread[rows], exempt[rows], oral_pos[rows],
                                      fixed[rows])  # (b, k, 4)
            sums[rows] += probs.sum(axis=1)
            squares[rows] += (probs * probs).sum(axis=1)

    def _conditional(self, k: int, mean: Any, spread: Any, exempt: Any, oral_pos: Any, fixed: Any) -> Any:
        """(students, k pairs, 4) conditional probabilities of admis, controle,
        ajourne, and an unbiased estimate of the diploma's: P(admis) plus, when
        a drawn pivot lands at contrôle, whether the drawn orals then pass."""
        np = self.np
        others = self.others
        # Exempted units are drawn as a constant 0 (mean and spread 0), so that
        # one weight matrix serves every student; their divisor leaves them out.
        m_o = np.where(exempt[:, others], 0.0, mean[:, others]).astype(np.float32)
        s_o = np.where(exempt[:, others], 0.0, spread[:, others]).astype(np.float32)
        # Antithetic pairs (z, −z): the outcome is monotone in every grade, so
        # the pair's mean varies less than two independent draws.
        half = self.rng.standard_normal((mean.shape[0], k, len(others)), dtype=np.float32)
        z = np.concatenate([half, -half], axis=1)
        z *= s_o[:, None, :]
        z += m_o[:, None, :]
        np.clip(z, 0.0, 20.0, out=z)
        z *= HUNDRED
        grades = np.rint(z, out=z)  # whole hundredths, exact in float32
        sums = grades @ self.weights  # (b, k, 2): mandatory points, professional points
        total = sums[..., 0].astype(np.float64) + fixed[:, 0][:, None]
        pro_points = sums[..., 1].astype(np.float64) + fixed[:, 1][:, None]
        if len(self.optional):
            over = np.maximum(grades[..., self.optional] - self.above_h, 0.0)
            total += (over @ self.bonus_weights).astype(np.float64)
        divisor = np.where(exempt, 0, self.divisor_w[None, :]).sum(axis=1)[:, None]
        pro_div = np.where(exempt, 0, self.pro_divisor_w[None, :]).sum(axis=1)[:, None]
        cp = float(self.coef[self.pivot])
        k_admis = np.ceil((self.pass_h * divisor - total) / cp)
        k_low = np.ceil((self.low_h * divisor - total) / cp)
        if self.pro[self.pivot]:
            k_pro = np.ceil((self.pro_h * pro_div - pro_points) / cp)
        else:
            k_pro = np.where(pro_points >= self.pro_h * pro_div, -1.0, 1e9)
        mp = mean[:, self.pivot][:, None]
        sp = spread[:, self.pivot][:, None]
        p_admis = _survival(np, k_admis, mp, sp)
        p_floor = _survival(np, np.maximum(k_low, k_pro), mp, sp)
        p_controle = np.maximum(p_floor - p_admis, 0.0)
        diploma = p_admis + self._after_orals(k, mean, spread, m_o, s_o, grades, total, divisor, oral_pos,
                                              p_admis, np.maximum(k_low, k_pro))
        probs = np.stack([p_admis, p_controle, 1.0 - p_admis - p_controle, diploma], axis=2)
        return (probs[:, :k] + probs[:, k:]) / 2  # one value per antithetic pair

    def _after_orals(self, k: int, mean: Any, spread: Any, m_o: Any, s_o: Any, grades: Any, total: Any,
                     divisor: Any, oral_pos: Any, p_admis: Any, k_floor: Any) -> Any:
        """P(the pivot lands at contrôle and the orals then bring the average
        to the pass mark | the drawn first grades and orals), (b, 2k). The
        orals are the student's chosen units, each drawn around its projected
        grade with its spread, clipped and rounded like the others; the better
        grade counts. The pivot is not drawn: given the orals' gain, passing
        after them asks the pivot for at least k_pass, so the probability is
        P(max(k_floor, k_pass) <= pivot < k_admis), exact (far less variance
        than drawing it and counting); P(pivot >= k_admis) is `p_admis`."""
        np = self.np
        b = mean.shape[0]
        m = oral_pos.shape[1]
        half = self.rng.standard_normal((b, k, m), dtype=np.float32)
        z = np.concatenate([half, -half], axis=1)  # antithetic, like the first draws
        gain = np.zeros_like(total)
        rows = np.arange(b)
        for j in range(m):
            pos = oral_pos[:, j]
            valid = pos >= 0
            safe = np.where(valid, pos, 0)
            first = grades[rows, :, safe]  # (b, 2k): the drawn first grade
            oral = np.rint(np.clip(m_o[rows, safe][:, None] + s_o[rows, safe][:, None] * z[..., j], 0.0, 20.0)
                           * HUNDRED)
            gain += np.where(valid[:, None], np.maximum(oral - first, 0.0) * self.weights[safe, 0][:, None], 0.0)
        k_pass = np.ceil((self.pass_h * divisor - total - gain) / float(self.coef[self.pivot]))
        mp = mean[:, self.pivot][:, None]
        sp = spread[:, self.pivot][:, None]
        reach = _survival(np, np.maximum(k_floor, k_pass), mp, sp) - p_admis
        return np.maximum(reach, 0.0)


def unit_draws(curriculum: Curriculum, student: Student, grader: Grader, spreads: dict[str, float],
               open_spread_factor: float) -> list[UnitDraw]:
    """The model's inputs for a projected student (open units already filled).

    Under a limit on the optional units that count, the candidate presents
    those the engine counts on the projected grades (rules.left_out): the
    others are not taken, as they would not be sat."""
    dropped = grader.evaluate(student).left_out if curriculum.rules.optional_limit is not None else ()
    out = []
    for unit in curriculum.units:
        cell, _ = grader.unit_cell(unit, student)
        spread = spreads[unit.code]
        if cell.mark is Mark.EXEMPT or unit.code in dropped:
            out.append(UnitDraw(0.0, 0.0, exempt=True))
        elif cell.mark is Mark.GRADE and cell.grade is not None:
            factor = open_spread_factor if cell.raw == "assumed" else 1.0
            out.append(UnitDraw(float(cell.grade) / HUNDRED, spread * factor, exact=cell.grade))
        elif cell.mark is Mark.JUSTIFIED:
            out.append(UnitDraw(0.0, 0.0))
        elif not unit.mandatory:  # an optional unit not taken: no bonus, nothing in the divisor
            out.append(UnitDraw(0.0, 0.0, exempt=True))
        else:
            out.append(UnitDraw(0.0, 0.0))
    return out
