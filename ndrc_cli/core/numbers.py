"""Exact decimal text <-> hundredths, and half-up rounding for display.

Pure and import-light: used on the hot path of reading 100,000-row sheets.
"""

from __future__ import annotations

import re
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
