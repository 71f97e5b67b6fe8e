"""Exact decimal text <-> hundredths, and half-up rounding for display.

Pure and import-light: used on the hot path of reading 100,000-row sheets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Union

HUNDRED = 100
#: An exact quantity in hundredths of a point (12.5 points -> 1250).
Exact = Union[int, Fraction]
#: An exact plain number (a coefficient, a weight).
Number = Union[int, Fraction]

# A decimal number with `.` or `,` as separator: "12", "12,5", "+7.25", ".5".
# ASCII digits only: `１２` or `١٢` is not a grade a teacher typed (\d would
# take them), and int() of thousands of digits is refused by Python itself.
_NUMBER = re.compile(r"^([+-]?)([0-9]*)(?:[.,]([0-9]*))?$")
#: More digits than any grade, coefficient or option needs: not a number.
MAX_DIGITS = 30


def parse_decimal(text: str) -> Exact | None:
    """Parse `text` into exact hundredths, or None if it is not a number.

    Two decimals or fewer give an int (the fast path); more give a Fraction,
    so a sheet written with 12.345 is still computed exactly.
    """
    m = _NUMBER.match(text)
    if m is None:
        return None
    sign, whole, frac = m.groups()
    frac = frac or ""
    if not whole and not frac or len(whole) + len(frac) > MAX_DIGITS:
        return None
    if len(frac) <= 2:
        value: Exact = int(whole or "0") * HUNDRED + int((frac + "00")[:2])
    else:
        value = Fraction(int((whole or "0") + frac), 10 ** (len(frac) - 2))
        if value.denominator == 1:
            value = value.numerator
    return -value if sign == "-" else value


def div_half_up(value: Exact, divisor: Number) -> int:
    """round(value / divisor), halves rounded up; both non-negative."""
    if type(value) is int and type(divisor) is int:
        return (2 * value + divisor) // (2 * divisor)
    q = Fraction(value) / Fraction(divisor)
    return (2 * q.numerator + q.denominator) // (2 * q.denominator)


def points_to_hundredths(value: Fraction | int) -> int:
    """Round an exact number of points half up to hundredths."""
    return div_half_up(value.numerator * HUNDRED, value.denominator)


def format_hundredths(value: int, decimal: str = ".") -> str:
    """1250 -> '12.50' (always two decimals)."""
    sign = "-" if value < 0 else ""
    q, r = divmod(abs(value), HUNDRED)
    return f"{sign}{q}{decimal}{r:02d}"


def format_exact(value: Exact, decimal: str = ".") -> str:
    """Hundredths (exact) -> text rounded half up to two decimals."""
    return format_hundredths(div_half_up(value, 1), decimal)


def format_points(value: Fraction | None, decimal: str = ".") -> str:
    """An exact number of points -> text rounded half up to two decimals."""
    if value is None:
        return ""
    return format_hundredths(points_to_hundredths(value), decimal)


#: An exact value that crosses a threshold when rounded is shown whole when it
#: has at most this many decimals (9.9993), else truncated (9.99…).
SHORT_DECIMALS = 4
#: Truncation looks no further (only a threshold that is no decimal number
#: could need more).
_MAX_DECIMALS = 30


def display_exact(value: Exact, thresholds: Sequence[Exact] = (), decimal: str = ".", divisor: Number = 1,
                  strict: Sequence[Exact] = ()) -> str:
    """value / divisor (exact hundredths) as text for a person: the one display rule.

    Normally rounded half up to two decimals (`format_exact`). But a shown
    number must never contradict the decision beside it: when rounding would
    put the text on the other side of a threshold than the exact value — a
    `thresholds` one, compared as the rules compare (value >= threshold), or a
    `strict` one (value > threshold) — the value is shown with the digits that
    tell: the exact decimal when it has at most SHORT_DECIMALS decimals
    (9.9993), otherwise truncated, never rounded across, with an ellipsis
    (9.99…) at the fewest decimals (two at least) on the right side of every
    threshold. Thresholds are in hundredths, like the value; divisor > 0.
    Meant for values >= 0 (grades, averages, distances): a negative value
    would be cut towards minus infinity, still on the right side of each.
    """
    rounded = div_half_up(value, divisor)
    # Rounding moves a value by half a hundredth at most: it can carry it
    # across a threshold in whole hundredths only onto that threshold. This
    # is the path of nearly every value (a cohort's): no Fraction is made.
    for m in thresholds:
        if m == rounded or type(m) is not int:
            break
    else:
        for m in strict:
            if m == rounded or type(m) is not int:
                break
        else:
            return format_hundredths(rounded, decimal)
    marks = [(threshold, False) for threshold in thresholds] + [(threshold, True) for threshold in strict]
    exact = Fraction(value) / Fraction(divisor)

    def sides(x: Fraction | int) -> list[bool]:
        return [x > m if above else x >= m for m, above in marks]

    wanted = sides(exact)
    if sides(rounded) == wanted:
        return format_hundredths(rounded, decimal)
    short = short_decimal(exact, decimal)
    if short is not None:
        return short
    points = exact / HUNDRED
    places = 2
    while True:
        scale = 10**places
        cut = Fraction(math.floor(points * scale), scale)  # towards minus infinity: never rounded up
        if cut == points:
            return _decimal_text(points, places, decimal)
        if sides(cut * HUNDRED) == wanted or places >= _MAX_DECIMALS:
            return _decimal_text(cut, places, decimal) + "…"
        places += 1


def short_decimal(value: Exact, decimal: str = ".") -> str | None:
    """Hundredths as their exact decimal, two decimals at least, when that
    takes at most SHORT_DECIMALS decimals (12.3456, 9.995, 10.00); else None."""
    points = Fraction(value) / HUNDRED
    if (points * 10**SHORT_DECIMALS).denominator != 1:
        return None
    return _decimal_text(points, 2, decimal)


def _decimal_text(points: Fraction, places: int, decimal: str) -> str:
    """A finite decimal with at least `places` decimals and no trailing zero past them."""
    sign = "-" if points < 0 else ""
    points = abs(points)
    digits = places
    while (points * 10**digits).denominator != 1:
        digits += 1
    scaled = int(points * 10**digits)
    whole, frac = divmod(scaled, 10**digits)
    text = f"{frac:0{digits}d}"
    while len(text) > places and text.endswith("0"):
        text = text[:-1]
    return f"{sign}{whole}{decimal}{text}"


def display_points(value: Fraction | None, thresholds: Sequence[Exact] = (), decimal: str = ".",
                   strict: Sequence[Exact] = ()) -> str:
    """An exact number of points under the display rule (`display_exact`); '' for None."""
    if value is None:
        return ""
    return display_exact(value.numerator * HUNDRED, thresholds, decimal, value.denominator, strict)


def json_number(hundredths_value: int) -> int | float:
    """Hundredths -> a JSON number whose text is the exact decimal.

    The shortest repr of a float parsed from a two-decimal string is that
    string, so 1225 -> 12.25 prints as `12.25`; whole values print as ints.
    """
    q, r = divmod(hundredths_value, HUNDRED)
    if r == 0:
        return q
    return float(format_hundredths(hundredths_value))


def format_coefficient(value: Number, decimal: str = ".") -> str:
    """Coefficients are whole numbers in practice; show decimals only when needed."""
    if type(value) is int:
        return str(value)
    return format_points(Fraction(value), decimal).rstrip("0").rstrip(decimal)
