from fractions import Fraction

import pytest

from ndrc_cli.core.numbers import div_half_up, format_exact, format_hundredths, json_number, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 1200),
        ("12,5", 1250),
        ("12.5", 1250),
        ("12.25", 1225),
        ("0,05", 5),
        (".5", 50),
        ("7.", 700),
        ("20,00", 2000),
        ("-1", -100),
        ("+3", 300),
        ("12.345", Fraction(12345, 10)),
        ("12.340", 1234),
    ],
)
def test_parse_decimal(text: str, expected: int | Fraction) -> None:
    value = parse_decimal(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", ["", ",", "abc", "12,5,1", "1 2", "1e3", "NN", "12..5"])
def test_parse_decimal_rejects(text: str) -> None:
    assert parse_decimal(text) is None


@pytest.mark.parametrize(
    ("value", "divisor", "expected"),
    [
        (21025, 2, 10513),  # 105.125 -> half up
        (182250, 18, 10125),
        (1, 2, 1),  # 0.5 -> 1, never banker's rounding
        (3, 2, 2),  # 1.5 -> 2
        (5, 2, 3),  # 2.5 -> 3
        (4, 3, 1),
        (Fraction(25, 2), 1, 13),
    ],
)
def test_div_half_up(value: int | Fraction, divisor: int, expected: int) -> None:
    assert div_half_up(value, divisor) == expected


def test_formatting() -> None:
    assert format_hundredths(1250) == "12.50"
    assert format_hundredths(5, ",") == "0,05"
    assert format_exact(Fraction(2525, 2)) == "12.63"  # 12.625 rounds up
    assert json_number(1225) == 12.25 and repr(json_number(1225)) == "12.25"
    assert json_number(1000) == 10 and isinstance(json_number(1000), int)
