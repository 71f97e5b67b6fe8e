"""What each command writes, and the one check of `-o` and `--format`
against it.

Every command that writes a file declares here the formats it can write
(`WRITES`), and calls `choose` before it reads or writes anything: the
format is `--format`, else the one the output name's extension names, else
the command's default. An output name whose extension names a format the
command does not write (`report -o x.pdf`, `programme -o p.xlsx`), another
format than `--format`, or nothing ndrc writes (`.ods`) is a usage error
(exit code 2) that lists what the command can write: a CSV under a `.xlsx`
name, or HTML under a `.pdf` one, is a file nothing opens.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import NamedTuple, Optional

from ..core.errors import UsageError
from ..i18n import t


class Format(str, Enum):
    """grade's output formats: the one list, for Typer's choices and the express lane."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


class SimulateFormat(str, Enum):
    """simulate's: all but the workbook."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class BulletinFormat(str, Enum):
    """bulletin's: the report cards in HTML and the council's workbook besides grade's first three."""

    table = "table"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"


FORMATS = tuple(f.value for f in Format)
SIMULATE_FORMATS = tuple(f.value for f in SimulateFormat)

#: Every format ndrc writes, and the extensions that name it.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "json": (".json",),
    "markdown": (".md", ".markdown"),
    "table": (".txt",),
    "xlsx": (".xlsx",),
    "html": (".html", ".htm"),
}
_BY_EXTENSION = {extension: fmt for fmt, extensions in EXTENSIONS.items() for extension in extensions}

#: Document and spreadsheet extensions ndrc never writes: refused even with
#: `--format`, which otherwise lets a name's unknown extension be.
_FOREIGN = frozenset(".ods .xls .xlsm .xlsb .docx .doc .odt .pdf .rtf .pptx .odp .png .jpg .jpeg .svg".split())

#: Formats that are no use on a terminal: the message that asks for a file.
_FILE_ONLY = {"xlsx": "opt.xlsx_needs_file", "html": "opt.doc_needs_file"}


class Writes(NamedTuple):
    """What one command writes."""

    formats: tuple[str, ...]
    #: without --format: into a file named without an extension, or down a pipe
    default: str
    #: without --format and -o, on a terminal
    terminal: str
    #: an extension refused with a pointer to the command that writes it
    hints: tuple[tuple[str, str], ...] = ()


#: Every command that writes: the formats it can write. A command with `-o` is here.
WRITES: dict[str, Writes] = {
    "grade": Writes(FORMATS, "csv", "table", ((".html", "opt.html_hint"), (".htm", "opt.html_hint"))),
    "simulate": Writes(SIMULATE_FORMATS, "csv", "table"),
    "bulletin": Writes(tuple(f.value for f in BulletinFormat), "csv", "table"),
    "report": Writes(("html",), "html", "html"),
    "releve": Writes(("html",), "html", "html"),
    "attestation": Writes(("html", "markdown"), "html", "markdown"),
    "template": Writes(("csv", "xlsx"), "csv", "csv"),
    "programme": Writes(("table", "markdown", "json"), "table", "table"),
}


def extension(output: str) -> str:
    """The output name's extension, in lower case ('' for stdout or none)."""
    return os.path.splitext(output)[1].lower() if output != "-" else ""


def choose(command: str, fmt: Optional[str], output: str, excel: bool = False) -> str:
    """The format `command` writes to `output` (`-` for stdout): `--excel`
    means CSV; then `--format` (one of the command's: Typer's choices checked
    it); then the extension's; then the command's default. Raises a
    UsageError, before anything is read or written, for an output name the
    command cannot write."""
    writes = WRITES[command]
    if excel:
        fmt = "csv"
    ext = extension(output)
    named = _BY_EXTENSION.get(ext)
    if ext and (named not in writes.formats or (fmt is not None and named != fmt)):
        # An extension ndrc knows nothing of is let be when --format says what to write.
        if fmt is None or named is not None or ext in _FOREIGN:
            key = "opt.extension_mismatch" if fmt is not None and named in writes.formats else "opt.bad_extension"
            hints = [t(hint) for known, hint in writes.hints if known == ext]
            raise UsageError(t(key, command=command, extension=ext, fmt=fmt, formats=format_list(writes.formats)),
                             hints=hints)
    terminal = output == "-" and sys.stdout.isatty()
    chosen = fmt or named or (writes.terminal if terminal else writes.default)
    if terminal and chosen in _FILE_ONLY:
        raise UsageError(t(_FILE_ONLY[chosen]))
    return chosen


def format_list(formats: tuple[str, ...]) -> str:
    """`csv (.csv), markdown (.md .markdown)`: each format with the extensions that name it."""
    return ", ".join(f"{f} ({' '.join(EXTENSIONS[f])})" for f in formats)
