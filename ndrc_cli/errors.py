"""Problems with the user's input, as values (beancount style).

Loaders collect every problem they find into a list of Diagnostics and raise
one InputError at the end, so the user fixes a whole sheet in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Diagnostic(NamedTuple):
    file: str
    line: int
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class NdrcError(Exception):
    """The job cannot be done; the message is for the user (exit code 1)."""


class InputError(NdrcError):
    """One or more problems in an input file, each with its position."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
