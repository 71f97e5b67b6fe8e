"""The parser's child: a large workbook is scanned while the child parses the
sheet it guesses will be asked for first. The guess only saves time: which
sheet is read, and what it says, never depend on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from ndrc_cli.load import guard, workbook
from ndrc_cli.load.bounds import Unreadable

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("extra", [(), ("--sheet", "Notes"), ("--sheet", "2"), ("--sheet", "1"),
                                   ("--sheet", "nope"), ("-f", "csv"), ("-f", "csv", "--sheet", "Notes")])
def test_the_first_sheet_guess_never_changes_what_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           extra: tuple[str, ...]) -> None:
    path = str(FIXTURES / "second-sheet.xlsx")  # 'Consignes', then the grades on 'Notes'
    before = run("grade", path, *extra)
    monkeypatch.setattr(workbook, "SCAN_FIRST", 0)
    log = tmp_path / "guesses"
    log.touch()
    default = guard.first_visible

    def spy(names: list[str], hidden: set[str]) -> str | None:  # runs in the child: it writes down its guess
        guess = default(names, hidden)
        with log.open("a") as f:
            f.write(f"{guess}\n")
        return guess

    monkeypatch.setattr(guard, "first_visible", spy)
    after = run("grade", path, *extra)
    assert (after.exit_code, after.stdout, after.stderr) == (before.exit_code, before.stdout, before.stderr)
    sheet = extra[extra.index("--sheet") + 1] if "--sheet" in extra else None
    # 'Consignes' holds no grades; 'nope' is a usage error that lists the sheets
    assert before.exit_code == {"1": 1, "nope": 2}.get(sheet or "", 0), before.stderr
    # each opening guesses the first visible sheet (the --sheet one is guessed by its own rule)
    assert set(log.read_text().split()) == (set() if sheet else {"Consignes"})


def test_a_guess_that_fails_in_the_child_is_asked_again() -> None:
    """The child's guess raising (here: a sheet name that is not there) costs
    nothing: the sheet asked for is parsed then."""
    data = (FIXTURES / "second-sheet.xlsx").read_bytes()

    def wrong(names: list[str], hidden: set[str]) -> str | None:
        raise LookupError("no such sheet")

    reader = guard.open_reader(data, "second-sheet.xlsx", first=wrong)
    try:
        start, rows = reader.sheet("Notes")
        assert any("E4" in str(cell) for row in rows for cell in row)
        _, rows = reader.sheet("Consignes")
        assert list(rows)
    finally:
        close = getattr(reader, "close", None)
        if close is not None:
            close()


def test_the_scan_runs_before_an_in_process_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process there is no child to stand behind the scan: it runs first,
    and a workbook it refuses never reaches calamine."""
    monkeypatch.setenv("NDRC_READER", "inprocess")
    opened: list[bytes] = []
    monkeypatch.setattr(guard, "_LocalReader", lambda data, name: opened.append(data))

    def refuse() -> None:
        raise Unreadable("refused")

    with pytest.raises(Unreadable):
        guard.open_reader(b"PK", "x.xlsx", refuse)
    assert opened == []
