"""`grade` without Typer — its option table (GRADE_OPTIONS), its request and
body — how a report reaches its format, and the one mapping from our errors
to exit codes (`run`), with the notes printed on stderr.

Both the Typer layer (`typer_app.py`) and the express lane (`express.py`)
call into this module, so `grade` behaves the same whichever parsed its
options; the other commands' bodies are in `commands.py`. Rich is imported
only when a table is printed.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from typing import Any, NamedTuple, Optional

from ..core.errors import NOTES, InputError, NdrcError, UsageError
from ..i18n import os_reason, t, tn
from . import outputs

#: Above this many students a terminal table shows its first rows and the
#: summary, and says how to get everything (a cohort is for files, not screens).
ROW_LIMIT = 200
#: Problems listed one per line on stderr; the rest are counted.
PROBLEMS_LISTED = 500
#: What `--delimiter` accepts, and the character each name means.
DELIMITER_NAMES = {";": ";", ",": ",", "\t": "\t", "\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ",",
                   "|": "|", "pipe": "|"}


def delimiter_of(value: str) -> Optional[str]:
    """The delimiter a `--delimiter` value names, or None if it names none."""
    return DELIMITER_NAMES.get(value) or DELIMITER_NAMES.get(value.lower())


def run(job: Callable[[], None]) -> int:
    """Run a command body; say what went wrong on stderr; return the exit code.

    Our errors exit 1 with every diagnostic listed; a broken pipe (`ndrc … |
    head`: the reader left) exits 0 quietly; Ctrl-C exits 130 (httpie's model).
    """
    del NOTES[:]
    try:
        job()
        sys.stdout.flush()  # inside the try: a pipe may break on the last write
        _print_notes()
    except InputError as exc:
        # One line per problem, even when it quotes a cell that holds a line break.
        # At most PROBLEMS_LISTED of them: a hostile sheet of a million error cells is one screen.
        listed = [str(d) for d in exc.diagnostics[:PROBLEMS_LISTED]]
        if len(exc.diagnostics) > PROBLEMS_LISTED:
            listed.append(tn("list.more", len(exc.diagnostics) - PROBLEMS_LISTED))
        return _fail([*listed, *exc.hints, tn("err.summary", len(exc.diagnostics))])
    except UsageError as exc:
        _fail([t("err.prefix", message=exc), *exc.hints])
        return 2
    except NdrcError as exc:
        return _fail([t("err.prefix", message=exc), *exc.hints])
    except BrokenPipeError:
        from .terminal import quiet_stdout

        quiet_stdout()
        return 0
    except OSError as exc:  # a disk full, a permission refused while writing…
        reason = os_reason(exc)
        message = t("io.failed", path=exc.filename, reason=reason) if exc.filename else reason
        return _fail([t("err.prefix", message=message)])
    except KeyboardInterrupt:
        return 130
    return 0


def _print_notes() -> None:
    """What the loaders chose for the user (the sheet, the header row, skipped
    rows), on stderr so that no output format changes; one line each."""
    if NOTES:
        from ..core.controls import one_line

        sys.stderr.write("".join(one_line(f"{d.where()}: {t('note.prefix', message=d.message)}") + "\n"
                                 for d in NOTES))
        del NOTES[:]


def _fail(lines: list[str]) -> int:
    """Write an error's lines on stderr: each stays one line whatever it quotes
    (a sheet's or a file's name holding a line break forges no `error:` line),
    its control characters shown."""
    from ..core.controls import one_line

    sys.stderr.write("".join(one_line(line) + "\n" for line in lines))
    return 1


def print_rich(output: str, draw: Callable[[Any], None], width: int) -> None:
    """Draw with Rich on the terminal, or into FILE without colour at `width`."""
    from rich.console import Console

    from ..render.common import visible
    from .atomic import open_output

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich exits 1 when the reader of a pipe leaves; for us that is
            # done, exit 0 (`run` quiets stdout), as for every other format.
            raise BrokenPipeError

        def _render_buffer(self, buffer: Any) -> str:
            # The one place all of a table's text passes: a name holding
            # ESC ] … BEL or ESC [2J is shown, never obeyed by the terminal.
            from rich.segment import Segment

            return super()._render_buffer(
                Segment(visible(text), style, control) if not control else Segment(text, style, control)
                for text, style, control in buffer)

    if output == "-":
        from .terminal import raw

        # Rich draws its colours with escape sequences: it writes under the
        # terminal's shield, its text neutralised here by the same rule.
        draw(_Console(file=raw(sys.stdout), highlight=False))
    else:
        with open_output(output) as out:
            # A table in a .txt file is read with `cat` later: the same text as on a terminal.
            draw(_Console(file=out, width=width, no_color=True, highlight=False))


def _renderer(chosen: str, simulation: bool) -> Any:
    """The module that renders a format (write_csv, write_json, write_markdown,
    print_report or xlsx_bytes): imported only when it is the one used."""
    if simulation:
        from ..render import simulate

        return simulate
    if chosen == "csv":
        from ..render import csvout

        return csvout
    if chosen == "json":
        from ..render import jsonout

        return jsonout
    if chosen == "markdown":
        from ..render import markdown

        return markdown
    if chosen == "xlsx":
        from ..render import xlsxout

        return xlsxout
    from ..render import table

    return table


def emit(report: Any, output: str, chosen: str, excel: bool, simulation: bool = False, chart: bool = True) -> None:
    """Render a grade report (or, with `simulation`, a simulation report) in the
    chosen format to stdout or FILE."""
    from .atomic import open_binary_output, open_output

    module = _renderer(chosen, simulation)
    if chosen == "xlsx":
        data = module.xlsx_bytes(report)  # built whole in memory: nothing half-written
        with open_binary_output(output) as out:
            out.write(data)
    elif chosen == "csv":
        with open_output(output, encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
            module.write_csv(report, out, excel=excel)
    elif chosen == "json":
        with open_output(output) as out:
            module.write_json(report, out)
    elif chosen == "markdown":
        with open_output(output) as out:
            module.write_markdown(report, out)
    else:
        print_rich(output, lambda console: module.print_report(report, console, chart=chart), width=120)


class GradeRequest(NamedTuple):
    """`ndrc grade`'s options as typed (defaults as on the command line);
    `grade` checks and converts them, whichever lane parsed them."""

    sheet: str
    fmt: Optional[str] = None
    excel: bool = False
    output: str = "-"
    force: bool = False
    explain: Optional[str] = None
    curriculum: Optional[str] = None
    delimiter: Optional[str] = None
    encoding: Optional[str] = None
    worksheet: Optional[str] = None  # --sheet
    columns: tuple[str, ...] = ()  # --column HEADER=UNIT, as typed
    controle: Optional[str] = None
    kept: Optional[str] = None
    kept_session: Optional[int] = None
    session: Optional[int] = None
    jury_margin: Optional[str] = None
    all_rows: bool = False
    chart: bool = True


class Opt(NamedTuple):
    """One option of `ndrc grade`: the single declaration from which both the
    Typer command (typer_app.py) and the express lane (express.py) are built."""

    field: str  # the GradeRequest field
    names: tuple[str, ...]  # its spellings; a switch: (on, off)
    kind: str  # text | choice | flag | switch | int | list
    help: str  # catalog keys
    metavar: str = ""
    envvar: str = ""


GRADE_OPTIONS = (
    Opt("fmt", ("--format", "-f"), "choice", "opt.format"),
    Opt("excel", ("--excel",), "flag", "opt.excel"),
    Opt("output", ("--output", "-o"), "text", "opt.output", "meta.file"),
    Opt("force", ("--force",), "flag", "opt.force"),
    Opt("explain", ("--explain",), "text", "opt.explain", "meta.id"),
    Opt("curriculum", ("--curriculum", "-c"), "text", "opt.curriculum", "meta.file", "NDRC_CURRICULUM"),
    Opt("delimiter", ("--delimiter", "-d"), "text", "opt.delimiter", "meta.char"),
    Opt("encoding", ("--encoding", "-e"), "text", "opt.encoding", "meta.encoding"),
    Opt("controle", ("--controle",), "text", "opt.controle", "meta.file"),
    Opt("kept", ("--kept",), "text", "opt.kept", "meta.file"),
    Opt("kept_session", ("--kept-session",), "int", "opt.kept_session", "meta.year"),
    Opt("session", ("--session",), "int", "opt.session", "meta.year"),
    Opt("jury_margin", ("--jury-margin",), "text", "opt.jury_margin", "meta.points"),
    Opt("all_rows", ("--all",), "flag", "opt.all_rows"),
    Opt("chart", ("--chart", "--no-chart"), "switch", "opt.chart"),
    Opt("worksheet", ("--sheet",), "text", "opt.sheet", "meta.sheet_name"),
    Opt("columns", ("--column",), "list", "opt.column", "meta.column"),
)


def option_error(option: str, message: str) -> UsageError:
    """A bad value given to an option: `--set: …`, in the interface language."""
    return UsageError(t("opt.error", option=option, message=message))


def parse_delimiter(value: Optional[str]) -> Optional[str]:
    """`--delimiter`: the character it names (usage error otherwise)."""
    if value is None:
        return None
    sep = delimiter_of(value)
    if sep is None:
        raise UsageError(t("opt.bad_delimiter", value=value))
    return sep


def parse_points(value: Optional[str], option: str) -> Any:
    """A number of points 0–20 given to an option (`--jury-margin 0,5`), exact."""
    from ..core.numbers import parse_decimal

    if value is None:
        return None
    points = parse_decimal(value.strip())
    if points is None or not 0 <= points <= 2000:
        raise option_error(option, t('opt.bad_margin', value=value))
    return points


def parse_columns(values: tuple[str, ...] | list[str], curriculum: Any) -> tuple[tuple[str, str], ...]:
    """`--column HEADER=UNIT` values, checked against the curriculum's units."""
    codes = {c.upper(): c for u in curriculum.units for c in (u.code, *(p.code for p in u.parts))}
    out = []
    for value in values:
        header, eq, target = value.rpartition("=")
        key = target.strip()
        if key.upper() in codes:
            key = codes[key.upper()]
        elif key.lower() in ("id", "name"):
            key = key.lower()
        elif key != "-":
            key = ""
        if not eq or not header.strip() or not key:
            raise option_error("--column", t('opt.bad_column', value=value, units=', '.join(codes.values())))
        out.append((header.strip(), key))
    return tuple(out)


def session_options(session: Optional[int], controle: Optional[str], kept: Optional[str],
                    kept_session: Optional[int]) -> Any:
    """The exam-session options of grade, attestation and report; the session
    is this year unless given."""
    import datetime

    from ..app.grading import SessionOptions

    return SessionOptions(session=session or datetime.date.today().year, controle=controle, kept=kept,
                          kept_session=kept_session)


def grade(request: GradeRequest) -> None:
    """`ndrc grade`: load, compute, render (raises our errors; see `run`)."""
    from ..load.cells import check_encoding
    from ..load.curriculum import load_curriculum
    from .atomic import check_target, open_output

    r = request
    # Usage errors first (exit 2), before any file is touched.
    check_encoding(r.encoding)
    separator = parse_delimiter(r.delimiter)
    margin = parse_points(r.jury_margin, "--jury-margin")
    chosen = outputs.choose("grade", r.fmt, r.output, r.excel)
    # An explanation is text: never under a workbook's, a CSV's or a JSON's name.
    if r.explain is not None and (chosen == "xlsx" or outputs.extension(r.output) not in ("", ".txt")):
        raise UsageError(t("opt.explain_is_text"))
    check_target(r.output, [r.sheet] + [p for p in (r.curriculum, r.controle, r.kept) if p], r.force)
    curriculum = load_curriculum(r.curriculum)
    columns = parse_columns(r.columns, curriculum)
    plain = r.explain is None and not (r.controle or r.kept or margin is not None or columns)
    if plain and r.sheet != "-" and chosen == "csv":
        # A cohort: stream it (constant memory); any problem falls back to
        # the ordinary path below, which reports every one of them.
        from .stream import write_streamed

        if write_streamed(r.sheet, curriculum, r.output, r.excel, separator, r.encoding, r.worksheet):
            return
    from ..app.grading import grade_sheet
    from ..load.sheets import SheetOptions

    options = session_options(r.session, r.controle, r.kept, r.kept_session)
    reading = SheetOptions(separator, r.encoding, r.worksheet, columns)
    report = grade_sheet(r.sheet, curriculum, reading, options)
    if margin is not None:
        from ..core.session import jury_watch

        report = report._replace(jury=tuple(jury_watch(report.results, report.curriculum, margin)))

    if r.explain is not None:
        from ..app.lookup import find_student
        from ..render.common import visible
        from ..render.explain import explain as explain_lines

        who = find_student([s.student for s in report.results], r.explain, report.sources[0])
        result = next(s for s in report.results if s.student is who)
        # On stdout, the terminal's width (COLUMNS, else the terminal's, else 80); a file keeps whole lines.
        width = shutil.get_terminal_size().columns if r.output == "-" else None
        with open_output(r.output) as out:
            out.write("\n".join(visible(line) for line in explain_lines(result, report.curriculum, width)) + "\n")
        return

    if chosen == "table" and not r.all_rows and r.output == "-":
        report = report._replace(row_limit=ROW_LIMIT)
    emit(report, r.output, chosen, r.excel, chart=r.chart)
