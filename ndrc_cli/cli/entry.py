"""Console entry point: choose the language, then the lane.

Typer evaluates help strings when the command module is imported, so
`--lang` is read from argv here, ahead of Typer's own parsing. Everyday
`ndrc grade` command lines take the express lane (no Typer import, see
express.py); everything else goes to the Typer application.
"""

from __future__ import annotations

import sys


def without_lang(argv: list[str]) -> list[str]:
    """argv without its `--lang X` or `--lang=X` (before a `--`)."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--":
            return out + argv[i:]
        elif arg == "--lang" and i + 1 < len(argv):
            skip = True
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out


def lang_from_argv(argv: list[str]) -> str | None:
    """The one reader of `--lang` before Typer runs (help texts are built on import)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    """Run ndrc; Ctrl-C once this runs exits 130 without a traceback, and
    SIGTERM/SIGHUP unwind like it (a temporary output file is removed).
    (Before, Python itself is starting: a Ctrl-C then is the interpreter's.)"""
    try:
        from .terminal import install

        install()  # nothing raw on a terminal, and no encoding error, from the first word
        _watch_signals()
        _main()
        sys.stdout.flush()  # a pipe may break on the last write
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _reader_left()
    except SystemExit:
        # The reader of a pipe may have left: the exit code stays, without a
        # complaint from the interpreter's last flush.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            from .terminal import quiet_stdout

            quiet_stdout()
        raise


def _reader_left() -> None:
    """`ndrc … | head -1`: the reader left; what it read was all it wanted."""
    from .terminal import quiet_stdout

    quiet_stdout()
    sys.exit(0)


def _watch_signals() -> None:
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _main() -> None:
    import os

    from ..i18n import LANGUAGES, set_language

    argv = sys.argv[1:]
    lang = lang_from_argv(argv)
    if lang in LANGUAGES:
        set_language(lang)
        # `--lang` is an option of ndrc itself, but people write it anywhere
        # (`ndrc grade x.csv --lang fr`): move it before the command.
        argv = ["--lang", lang, *without_lang(argv)]
    if os.environ.get("NDRC_NO_EXPRESS") != "1":  # to compare both lanes
        from .express import parse_grade

        request = parse_grade(argv, os.environ)
        if request is not None:
            from . import jobs

            sys.exit(jobs.run(lambda: jobs.grade(request)))
    from .typer_app import app

    app(args=argv, prog_name="ndrc")
