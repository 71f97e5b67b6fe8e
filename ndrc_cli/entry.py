"""Console entry point: choose the language before the help texts are built.

Typer evaluates help strings when the command module is imported, so
`--lang` is read from argv here, ahead of Typer's own parsing.
"""

from __future__ import annotations

import sys


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    from .i18n import set_language

    lang = _lang_from_argv(sys.argv[1:])
    if lang in ("en", "fr"):
        set_language(lang)
    from .cli import app

    app(prog_name="ndrc")
