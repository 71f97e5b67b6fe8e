"""Messy grade sheets are read right, or refused — never misread.

Each example is a known class decorated with the mess of teachers' files
(title blocks, merged cells, blank rows, statistics rows with any label or
none, a coefficient row, legends and signatures, the teacher's own columns,
header spellings, shuffled columns, numbers as text, marker spellings; in
workbooks hidden rows and columns, extra sheets, ids as numbers, formulas
whose saved value is a double an ulp or two away): see tests/messy.py. For
every example, `ndrc grade FILE -f json` must give exactly the known result
with exit 0, or exit 1 with a message naming a row or a column; `-f csv`
(which streams simple sheets) must agree with it. A different result with
exit 0, a traceback or another exit code fails, and hypothesis shrinks the
example to a small one whose rows the message prints.

Deterministic (derandomized, no example database): 250 examples per test,
about 15 s for the file when every example passes (measured on the 2-core
session machine; a failure adds its shrinking, a few seconds);
`NDRC_MESSY_EXAMPLES=1000` runs more. For long random runs and counts of
each outcome: `python benchmarks/bench_messy.py`.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import zipfile
from fractions import Fraction
from pathlib import Path

import messy
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from messy import Example, Klass, Mess, Pupil

EXAMPLES_N = int(os.environ.get("NDRC_MESSY_EXAMPLES", "250"))
# No explain phase: it traces every line of ndrc for each failing example, minutes on a failure.
MESSY = settings(max_examples=EXAMPLES_N, derandomize=True, database=None, deadline=None, print_blob=False,
                 phases=[Phase.explicit, Phase.generate, Phase.shrink],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.large_base_example])


def read_right_or_refused(example: Example) -> None:
    with tempfile.TemporaryDirectory() as folder:
        outcome = messy.check(example, Path(folder))
    if not outcome.ok:
        pytest.fail(f"{outcome.report(example)}\n\nrepr: {example!r}", pytrace=False)


@MESSY
@given(messy.examples(("csv;", "csv,")))
def test_a_messy_csv_is_read_right_or_refused(example: Example) -> None:
    read_right_or_refused(example)


@MESSY
@given(messy.examples(("xlsx",)))
def test_a_messy_xlsx_is_read_right_or_refused(example: Example) -> None:
    read_right_or_refused(example)


@MESSY
@given(messy.examples(("ods",)))
def test_a_messy_ods_is_read_right_or_refused(example: Example) -> None:
    read_right_or_refused(example)


# -- the generator itself --------------------------------------------------------------

CLASS = Klass(
    units=("E1", "E2", "E3", "E4", "E5", "E6", "EF1"),
    pupils=(
        Pupil("NDRC2501", "N'Diaye", "Zoé", (1200, 1150, 1300, 1400, 1250, 1500, "")),
        Pupil("NDRC2502", "LEFÈVRE", "Jean-Baptiste", (1000, 1000, 1000, 1000, 1000, 1000, 1900)),
        Pupil("NDRC2503", "Saint-Éloi", "Inès", ("DISP", 400, 400, 1100, 1100, 1100, "ABS")),
        Pupil("NDRC2504", "Ngô", "Maël", (1100, "ABS", 1050, 1200, 1300, 1100, "")),
        Pupil("NDRC2505", "Müller", "Anaïs", (999, 1000, 1000, 1000, "ABJ", 1000, "")),
        Pupil("NDRC2506", "Traoré", "Loïc", (1000, "", 1000, 1000, 1000, 1000, "")),
    ),
    name_only=False,
    id_shape="ndrc",
)


def test_the_oracle_on_hand_computed_cases() -> None:
    verdicts = messy.oracle(CLASS)
    # (3×12 + 3×11.5 + 3×13 + 5×14 + 4×12.5 + 3×15) / 21 = 274.5 / 21 = 13.07…
    assert messy.half_up(verdicts[0].average) == 1307 and verdicts[0].decision == "admis"
    assert verdicts[1].average == 10 + Fraction(9, 21) and verdicts[1].decision == "admis"  # EF1 19: +9 points
    # DISP E1: (3×4 + 3×4 + 5×11 + 4×11 + 3×11) / 18 = 156 / 18 = 8.67, professional 11: contrôle
    assert messy.half_up(verdicts[2].average) == 867 and verdicts[2].decision == "controle"
    assert verdicts[3].decision == "absent" and verdicts[4].decision == "ajourne"  # ABJ counts 0
    assert verdicts[5] == messy.Verdict(None, "incomplet")


@pytest.mark.parametrize("fmt", messy.FORMATS)
def test_an_undecorated_class_is_read_exactly_in_every_format(fmt: str) -> None:
    read_right_or_refused(Example(CLASS, fmt, Mess()))
    with tempfile.TemporaryDirectory() as folder:
        assert messy.check(Example(CLASS, fmt, Mess()), Path(folder)).kind == messy.EXACT


def test_what_a_misread_looks_like() -> None:
    """The check itself: results other than the known class's are a misread, not a pass."""
    first = CLASS.pupils[0]
    other = Klass(CLASS.units, (Pupil(first.id, first.last, first.first, (1200, 1150, 1300, 1400, 1250, 1400, "")),
                                *CLASS.pupils[1:]), False, "ndrc")
    with tempfile.TemporaryDirectory() as folder:
        known, problems = messy.known_result(CLASS, Path(folder))
        assert not problems
        wrong, _ = messy.known_result(other, Path(folder))
    signature, details = messy.differences(known, wrong)
    # E6 14 instead of 15: 271.5 / 21 = 12.93
    assert signature == "grades differ" and details[0] == "NDRC2501: average: expected 13.07, got 12.93"


def test_float_noise_is_gone_at_fifteen_significant_digits() -> None:
    for hundredths in range(1, 2001):
        for steps in (-2, -1, 1, 2):
            noisy = messy.ulps(hundredths / 100, steps)
            assert noisy != hundredths / 100 and messy.shown(noisy) == hundredths / 100


def test_the_ods_writer_writes_an_opendocument_spreadsheet(tmp_path: Path) -> None:
    book = messy.Book([messy.Grid("Notes", [[messy.Text(" a  b "), None, messy.Num("12.5", 12.5)],
                                            [messy.Day(datetime.date(2026, 6, 24))]],
                                  hidden_rows=frozenset({1}), hidden_columns=frozenset({2}), merges=((0, 0, 1),))],
                      0)
    messy.write_ods(book, tmp_path / "b.ods")
    with zipfile.ZipFile(tmp_path / "b.ods") as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        content = z.read("content.xml").decode()
    assert '<text:p><text:s/>a <text:s/>b<text:s/></text:p>' in content
    assert 'table:number-columns-spanned="2"' in content and "<table:covered-table-cell/>" in content
    assert content.count('table:visibility="collapse"') == 2
