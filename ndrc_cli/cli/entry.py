"""Console entry point: choose the language, then the lane.

Typer evaluates help strings when the command module is imported, so
`--lang` is read from argv here, ahead of Typer's own parsing. Everyday
`ndrc grade` command lines take the express lane (no Typer import, see
express.py); everything else goes to the Typer application.
"""

from __future__ import annotations

import sys


def lang_first(argv: list[str]) -> tuple[str | None, list[str]]:
    """The one reader of `--lang`: `--lang X` or `--lang=X` wherever it stands
    (before a `--`; people write it after the command and its arguments
    too). Returns the language asked for and argv with the option moved
    before the command, where ndrc's own `--lang` reads it and refuses a
    language it does not speak, naming those it does. Of several, the first
    unknown one, else the last (as Click keeps the last). A `--lang` without
    a value is left alone before the command, where Click says it needs one."""
    from ..i18n import LANGUAGES

    values: list[str] = []
    rest: list[str] = []
    pending = False  # a `--lang` whose value is the next argument
    for i, arg in enumerate(argv):
        if pending:
            values.append(arg)
            pending = False
        elif arg == "--":
            rest += argv[i:]
            break
        elif arg == "--lang":
            pending = True
        elif arg.startswith("--lang="):
            values.append(arg.split("=", 1)[1])
        else:
            rest.append(arg)
    if pending:
        return None, ["--lang"]
    if not values:
        return None, argv
    unknown = [value for value in values if value not in LANGUAGES]
    lang = unknown[0] if unknown else values[-1]
    return lang, ["--lang", lang, *rest]


def lang_from_argv(argv: list[str]) -> str | None:
    """The language `--lang` asks for in argv, if any (see `lang_first`)."""
    return lang_first(argv)[0]


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

    # `--lang` is an option of ndrc itself, but people write it anywhere
    # (`ndrc grade x.csv --lang fr`): it is moved before the command. A
    # language ndrc does not speak is refused there, in the environment's.
    lang, argv = lang_first(sys.argv[1:])
    if lang in LANGUAGES:
        set_language(lang)
    if os.environ.get("NDRC_NO_EXPRESS") != "1":  # to compare both lanes
        from .express import parse_grade

        request = parse_grade(argv, os.environ)
        if request is not None:
            from . import jobs

            sys.exit(jobs.run(lambda: jobs.grade(request)))
    from .typer_app import app

    app(args=argv, prog_name="ndrc")
