"""Problems with the user's input, as values (beancount style).

Loaders collect every problem they find into a list of Diagnostics and raise
one InputError at the end, so the user fixes a whole sheet in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Diagnostic(NamedTuple):
    """A problem at a place: `file:line:column` in a text file, or
    `file:Sheet!E7` in a workbook (`sheet` set: line is the row, column the
    1-based column), as a spreadsheet user reads a cell."""

    file: str
    line: int
    column: int | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def where(self) -> str:
        if self.sheet is not None:
            where = f"{self.file}:{sheet_ref(self.sheet)}"
            if self.line:
                # a cell (E7), or a whole row as a formula names it (7:7)
                where += f"!{column_letters(self.column)}{self.line}" if self.column else f"!{self.line}:{self.line}"
            return where
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column is not None:
            where += f":{self.column}"
        return where


def column_letters(column: int) -> str:
    """1 -> 'A', 27 -> 'AA': the column as a spreadsheet names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_ref(name: str) -> str:
    """A sheet name as a formula writes it: quoted when it is not a plain word."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


#: Notes of the current run: choices a loader made that the user should
#: know (the sheet used, rows skipped). `jobs.run` prints them on stderr.
NOTES: list[Diagnostic] = []


def note(diagnostic: Diagnostic) -> None:
    """Tell the user about a choice made while reading (printed once, on stderr)."""
    if diagnostic not in NOTES:
        NOTES.append(diagnostic)


class NdrcError(Exception):
    """The job cannot be done; the message is for the user (exit code 1), one
    line, then its hints (what to try), a line each."""

    def __init__(self, *args: object, hints: Iterable[str] = ()) -> None:
        super().__init__(*args)
        self.hints = tuple(hints)


class UsageError(NdrcError):
    """The command line asks for something that cannot be done (exit code 2)."""


class InputError(NdrcError):
    """One or more problems in an input file, each with its position."""

    def __init__(self, diagnostics: Iterable[Diagnostic], hints: Iterable[str] = ()) -> None:
        self.diagnostics = tuple(diagnostics)
        hints = tuple(hints)  # what to try, said after the problems (not counted as problems)
        super().__init__("\n".join([*(str(d) for d in self.diagnostics), *hints]), hints=hints)
