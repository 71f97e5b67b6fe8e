"""A hostile workbook never hangs ndrc, exhausts memory or prints a traceback.

Each file is built here, a few KB (a zip bomb: ~1 MB); each run ends within
5 s with exit 1 and a message. Files that could abort or hang the process
are graded in a fresh interpreter with a timeout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import hostile_files as h
import pytest
from conftest import ROOT, run

from ndrc_cli.core.errors import NdrcError
from ndrc_cli.load import xlserrors

CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "cell at XFD1048576": ("xlsx", lambda: h.far_cell("XFD1048576"), "oversized workbook"),
    "cell at AD1048576": ("xlsx", lambda: h.far_cell("AD1048576"), "oversized workbook"),
    "cell at Z999999": ("xlsx", lambda: h.far_cell("Z999999"), "oversized workbook"),
    "dimension A1:XFD1048576": ("xlsx", lambda: h.far_dimension("XFD1048576"), "oversized workbook"),
    "an .ods table never closed": ("ods", h.ods_unclosed_table, "could not be read"),
    "an .xls stream's chain loops": ("xls", h.xls_cycle, "chain of sectors"),
    "an .xls directory's chain loops": ("xls", lambda: h.xls_cycle(directory_loop=True), "chain of sectors"),
    "1 GB of whitespace": ("xlsx", lambda: h.zip_bomb("space"), "inflate to more than 256 MB"),
    "1 GB of empty rows": ("xlsx", lambda: h.zip_bomb("rows"), "inflate to more than 256 MB"),
    "a 500 MB shared string": ("xlsx", lambda: h.zip_bomb("string"), "inflate to more than 256 MB"),
    "a 1 GB mimetype": ("ods", lambda: h.zip_bomb("mimetype"), "inflate to more than 256 MB"),
    "4 M nested elements": ("ods", h.nested, "nests more than 10000 elements deep"),
    "16384 x 100000 repeated error cells": ("ods", lambda: h.ods_repeated(16384, 100_000, "error"),
                                            "more than 100000 error cells"),
}


#: ndrc as a fresh interpreter runs it, with every workbook scanned while
#: the parser's child parses it (as a cohort's is) instead of before.
OVERLAPPED = ("import sys; import ndrc_cli.load.workbook as w; w.SCAN_FIRST = 0; "
              "from ndrc_cli.cli.entry import main; sys.argv[0] = 'ndrc'; main()")


def _grade(path: Path, *extra: str, overlapped: bool = False) -> tuple[int, str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NDRC_LANG": "en"}
    started = time.monotonic()
    command = ["-c", OVERLAPPED] if overlapped else ["-m", "ndrc_cli"]
    done = subprocess.run([sys.executable, *command, "grade", str(path), *extra], capture_output=True,
                          text=True, env=env, timeout=20)
    return done.returncode, done.stderr, time.monotonic() - started


@pytest.mark.parametrize("overlapped", [False, True], ids=["scanned-first", "scanned-while-parsed"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_workbook_is_a_message_within_seconds(tmp_path: Path, case: str, overlapped: bool) -> None:
    """Whether the bounds' scan comes before the parser (a small workbook) or
    alongside its child (a large one), its verdict is the message."""
    extension, build, message = CASES[case]
    path = tmp_path / f"hostile.{extension}"
    path.write_bytes(build())
    # the ordinary path, and the streaming one (which must not try it twice)
    for extra in ((), ("-f", "csv")):
        code, stderr, elapsed = _grade(path, *extra, overlapped=overlapped)
        assert code == 1, (case, extra, stderr[-2000:])
        assert message in stderr, (case, extra, stderr[-2000:])
        assert "Traceback" not in stderr and "panicked" not in stderr, (case, stderr[-2000:])
        assert elapsed < 5, (case, extra, elapsed)


def test_ndrc_own_ods_scanners_bound_their_depth(tmp_path: Path) -> None:
    """Under the bound before parsing (a few hundred levels), ndrc's own .ods scanner stops."""
    path = tmp_path / "nested.ods"
    path.write_bytes(h.nested(2000))
    result = run("grade", str(path))
    assert result.exit_code == 1 and "nested too deep" in result.stderr, result.stderr


def test_repeated_cells_are_never_expanded_one_by_one(tmp_path: Path) -> None:
    """A hidden column repeated across a million rows: no structure per cell."""
    path = tmp_path / "repeated.ods"
    path.write_bytes(h.ods_repeated(16000, 1_000_000, "hidden"))
    started = time.monotonic()
    result = run("grade", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert time.monotonic() - started < 5


def test_xml_expat_refuses_is_a_damaged_workbook(tmp_path: Path) -> None:
    """An .ods whose content.xml expat refuses (an undefined entity) where
    ndrc's own scanner reads it: a message, never a traceback."""
    path = tmp_path / "entity.ods"
    path.write_bytes(h.ods('<table:table table:name="Notes">' + h.ODS_ROW + '<table:table-row><table:table-cell '
                           'calcext:value-type="error"><text:p>&bogus;</text:p></table:table-cell></table:table-row>'
                           '</table:table>'))
    result = run("grade", str(path))
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and "error" in result.stderr


def test_ndrc_own_cfb_reader_bounds_its_chains() -> None:
    for data in (h.xls_cycle(), h.xls_cycle(directory_loop=True)):
        with pytest.raises(ValueError, match="broken sector chain"):
            xlserrors._stream(data, ("Workbook",))


def test_records_after_a_sheets_eof_belong_to_no_sheet() -> None:
    import struct

    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    stream = record(0x0809, struct.pack("<HH", 0x0600, 0x10) + b"\0" * 12) + record(0x000A, b"")
    at = len(stream)
    sheet = record(0x0809, struct.pack("<HH", 0x0600, 0x10) + b"\0" * 12) + record(0x000A, b"")
    error = record(0x0205, struct.pack("<HHH", 0, 1, 0) + b"\x07\x01")
    name = b"Notes"
    bound = record(0x0085, struct.pack("<IBB", at + 0, 0, 0) + bytes([len(name), 0]) + name)
    globals_ = record(0x0809, struct.pack("<HH", 0x0600, 0x05) + b"\0" * 12) + bound + record(0x000A, b"")
    at = len(globals_)
    bound = record(0x0085, struct.pack("<IBB", at, 0, 0) + bytes([len(name), 0]) + name)
    globals_ = record(0x0809, struct.pack("<HH", 0x0600, 0x05) + b"\0" * 12) + bound + record(0x000A, b"")
    data = globals_ + sheet + error  # an error cell after the sheet's EOF
    records = list(xlserrors._records_of(data))
    assert all(s is None for s, kind, _ in records if kind == 0x0205)


def test_at_most_some_rows_are_listed_then_counted(tmp_path: Path) -> None:
    """3,000 error cells, 500 rows of each column: one row, 50 more named, then "and 449 more"."""
    units = ["E1", "E2", "E3", "E4", "E5", "E6"]
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{v}</t></is></c>'
                     for i, v in enumerate(["id", "nom", *units]))
    rows = [f'<row r="1">{header}</row>']
    for r in range(2, 502):
        cells = f'<c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>N{r}</t></is></c>'
        cells += "".join(f'<c r="{chr(67 + i)}{r}" t="e"><v>#N/A</v></c>' for i in range(6))
        rows.append(f'<row r="{r}">{cells}</row>')
    path = tmp_path / "errors.xlsx"
    path.write_bytes(h.xlsx(h.sheet_xml("".join(rows))))
    result = run("grade", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 7 and lines[-1] == "error: 6 problems found; nothing was written.", lines
    assert all(line.endswith(", 52 and 449 more)") for line in lines[:-1]), lines
    assert all(len(line) < 400 for line in lines)


def test_at_most_500_problems_are_listed_then_counted(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("id,nom,E1,E2,E3,E4,E5,E6\n" + "".join(f"{i},N{i},bad{i},12,12,12,12,12\n" for i in range(600)))
    result = run("grade", str(path))
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) == 502, lines[-3:]
    assert lines[-2:] == ["and 100 more", "error: 600 problems found; nothing was written."]


PanicException = type("PanicException", (BaseException,), {})  # as pyo3 names it: not an Exception


def _panicking_calamine(monkeypatch: pytest.MonkeyPatch, where: str, words: bool = False) -> None:
    """calamine panicking when it opens a workbook (`where="open"`) or reads a
    sheet (`"sheet"`); with `words`, writing to stderr first, as a panic does
    (its message and, with RUST_BACKTRACE, a backtrace). A fork inherits it."""
    import python_calamine

    real = python_calamine.CalamineWorkbook.from_filelike

    def panic(message: str) -> NoReturn:
        if words:
            os.write(2, f"thread '<unnamed>' panicked at src/lib.rs:1:1:\n{message}\nstack backtrace:\n".encode())
        raise PanicException(message)

    class Panicking:
        def __init__(self, book: object) -> None:
            self.book = book

        def __getattr__(self, name: str) -> object:
            return getattr(self.book, name)

        def get_sheet_by_name(self, name: str) -> object:
            panic("index out of bounds")

    def from_filelike(f: object) -> object:
        if where == "open":
            panic("called `Option::unwrap()` on a `None` value")
        return Panicking(real(f))

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", from_filelike)


@pytest.mark.parametrize("where", ["open", "sheet"])
def test_a_calamine_panic_is_a_damaged_workbook(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """pyo3's PanicException is a BaseException, not an Exception (in-process reader)."""
    monkeypatch.setenv("NDRC_READER", "inprocess")
    _panicking_calamine(monkeypatch, where)
    result = run("grade", str(ROOT / "examples" / "classe-ndrc.xlsx"))
    assert result.exit_code == 1 and "the workbook cannot be read" in result.stderr, result.stderr


@pytest.mark.parametrize("where", ["open", "sheet"])
def test_a_panic_in_the_parsers_child_prints_nothing_of_its_own(capfd: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """A panic writes its message (and, with RUST_BACKTRACE, a backtrace) to
    stderr, file descriptor 2, from the child: what reaches the user is
    ndrc's one message, never the parser's own words."""
    from ndrc_cli.load.guard import open_reader

    monkeypatch.delenv("NDRC_READER", raising=False)
    _panicking_calamine(monkeypatch, where, words=True)
    data = (ROOT / "examples" / "classe-ndrc.xlsx").read_bytes()
    with pytest.raises(NdrcError, match="cannot be read"):
        reader = open_reader(data, "classe-ndrc.xlsx")
        reader.sheet(reader.names[0])
    assert "panicked" not in capfd.readouterr().err


def _damaged_mimetype(how: str) -> bytes:
    """The example .ods with its `mimetype` member damaged: its bytes (the CRC
    no longer matches), its local header, its offset in the central
    directory, or its compression method."""
    data = bytearray((ROOT / "tests" / "fixtures" / "classe-fr.ods").read_bytes())
    local = data.index(b"PK\x03\x04")  # mimetype is the first member
    central = data.index(b"PK\x01\x02")  # and the first entry of the central directory
    if how == "crc":
        at = data.index(b"application/vnd.oasis")
        data[at] ^= 1
    elif how == "header":
        data[local + 2] ^= 0xFF
    elif how == "offset":
        data[central + 42:central + 46] = (len(data) - 10).to_bytes(4, "little")
    else:  # an unknown compression method, in both headers
        data[local + 8:local + 10] = (99).to_bytes(2, "little")
        data[central + 10:central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize("how", ["crc", "header", "offset", "compression"])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_damaged_mimetype_member_is_a_damaged_workbook(tmp_path: Path, how: str, fmt: str) -> None:
    book = tmp_path / "classe.ods"
    book.write_bytes(_damaged_mimetype(how))
    result = run("grade", str(book), "-f", fmt)
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert "damaged" in result.stderr, result.stderr
