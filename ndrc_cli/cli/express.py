"""The express lane: `ndrc grade` with everyday options, parsed without Typer.

A teacher runs `ndrc grade classe.csv` dozens of times while filling a
sheet. Importing Typer and building its commands costs ~70 ms of the
~130 ms such a run takes (measured), so the command lines a
teacher types every day are recognised here and go straight to
`jobs.grade`. Anything this module does not fully understand — help,
`--version`, an unknown option, a value that needs converting or
checking, an error to report — returns None and Typer handles it as
always, so usage messages and help come from one place.

`tests/test_express.py` checks that every command line accepted here
gives exactly the request Typer would have built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..i18n import LANGUAGES
from .jobs import FORMATS, GradeRequest, delimiter_of

#: grade's options that take a plain text value, by spelling → field.
_VALUES = {
    "--format": "fmt", "-f": "fmt", "--output": "output", "-o": "output", "--explain": "explain",
    "--curriculum": "curriculum", "-c": "curriculum", "--delimiter": "delimiter", "-d": "delimiter",
    "--encoding": "encoding", "-e": "encoding", "--controle": "controle", "--kept": "kept",
    "--sheet": "worksheet",
}
# `--column` (repeatable, checked against the curriculum) is left to Typer.
_FLAGS = {"--force": ("force", True), "--excel": ("excel", True), "--all": ("all_rows", True),
          "--chart": ("chart", True), "--no-chart": ("chart", False)}


def parse_grade(argv: Sequence[str], environ: Mapping[str, str]) -> Optional[GradeRequest]:
    """The request for `ndrc [--lang L] grade …`, or None to let Typer parse it."""
    i = 0
    langs = 0
    while i < len(argv) and argv[i] != "grade":  # the app's own options
        arg = argv[i]
        if arg.startswith("--lang="):
            lang, i = arg[len("--lang="):], i + 1
        elif arg == "--lang" and i + 1 < len(argv):
            lang, i = argv[i + 1], i + 2
        else:
            return None
        langs += 1
        if lang not in LANGUAGES or langs > 1:
            return None
    if i == len(argv):
        return None

    fields: dict[str, Any] = {}
    sheet: Optional[str] = None
    rest = argv[i + 1:]
    j = 0
    while j < len(rest):
        arg = rest[j]
        j += 1
        if arg in _FLAGS:
            name, flag = _FLAGS[arg]
            fields[name] = flag
            continue
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _VALUES:
            spelling, value = arg.split("=", 1)
            name = _VALUES[spelling]
        elif arg in _VALUES and j < len(rest):
            name, value = _VALUES[arg], rest[j]
            j += 1
        elif arg == "-" or not arg.startswith("-"):
            if sheet is not None:
                return None
            sheet = arg
            continue
        else:
            return None
        fields[name] = value  # the last one wins, as in Typer

    if sheet is None or fields.get("fmt", "table") not in FORMATS:
        return None
    if "delimiter" in fields:
        fields["delimiter"] = delimiter_of(fields["delimiter"])
        if fields["delimiter"] is None:
            return None
    if "curriculum" not in fields and environ.get("NDRC_CURRICULUM"):
        fields["curriculum"] = environ["NDRC_CURRICULUM"]
    return GradeRequest(sheet=sheet, **fields)
