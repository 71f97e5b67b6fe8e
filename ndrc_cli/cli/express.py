"""The express lane: `ndrc grade` with everyday options, parsed without Typer.

A teacher runs `ndrc grade classe.xlsx` dozens of times while filling a
sheet. Importing Typer and building its commands costs ~70 ms of the
~100 ms such a run takes (measured), so the command lines a teacher types
every day are recognised here and go straight to `jobs.grade`. The options
come from the same declarations as the Typer command (`jobs.GRADE_OPTIONS`),
and both lanes hand `jobs.grade` the options as typed: it checks them, so
a bad value gets the same message either way. Anything this module does not
fully understand — help, `--version`, an unknown option, an int option —
returns None and Typer handles it as always.

`tests/test_express.py` checks that every command line accepted here
gives exactly the request Typer would have built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..i18n import LANGUAGES
from .entry import lang_from_argv
from .jobs import GRADE_OPTIONS, GradeRequest
from .outputs import FORMATS

_VALUES = {name: opt for opt in GRADE_OPTIONS if opt.kind in ("text", "choice", "list") for name in opt.names}
_FLAGS = {opt.names[0]: (opt.field, True) for opt in GRADE_OPTIONS if opt.kind in ("flag", "switch")}
_FLAGS.update({opt.names[1]: (opt.field, False) for opt in GRADE_OPTIONS if opt.kind == "switch"})


def parse_grade(argv: Sequence[str], environ: Mapping[str, str]) -> Optional[GradeRequest]:
    """The request for `ndrc [--lang L] grade …`, or None to let Typer parse it."""
    if "grade" not in argv:
        return None
    i = list(argv).index("grade")
    before = list(argv[:i])
    if before:  # before the command: nothing but one --lang with a language we speak
        lang = lang_from_argv(before)
        if lang not in LANGUAGES or before not in (["--lang", lang], [f"--lang={lang}"]):
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
        elif arg in _VALUES and j < len(rest):
            spelling, value = arg, rest[j]
            j += 1
        elif arg == "-" or not arg.startswith("-"):
            if sheet is not None:
                return None
            sheet = arg
            continue
        else:
            return None
        opt = _VALUES[spelling]
        if opt.kind == "list":
            fields[opt.field] = (*fields.get(opt.field, ()), value)
        else:
            fields[opt.field] = value  # the last one wins, as in Typer
    if sheet is None or fields.get("fmt", "table") not in FORMATS:
        return None
    for opt in GRADE_OPTIONS:
        if opt.envvar and opt.field not in fields and environ.get(opt.envvar):
            fields[opt.field] = environ[opt.envvar]
    return GradeRequest(sheet=sheet, **fields)
