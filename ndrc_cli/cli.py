"""The Typer application: parse options, load, compute, render, exit code.

Every command is a thin wrapper over grading/rules/render. `_run` is the one
place that turns our errors into a message on stderr and exit code 1, a
broken pipe into a quiet exit 0, and Ctrl-C into 130 (httpie's model).
Rich is imported only when a table is printed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, NoReturn, Optional

import typer

from . import __version__
from .errors import InputError, NdrcError
from .i18n import t
from .sections import OVERVIEW, SECTIONS

app = typer.Typer(
    name="ndrc",
    help=t("app.help"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help, as git and pip print it: drawing it with Rich costs ~90 ms
    # of start-up (measured), and `ndrc --help` must stay under 150 ms.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    en = "en"
    fr = "fr"


#: Above this many students a terminal table shows its first rows and the
#: summary, and says how to get everything (a cohort is for files, not screens).
ROW_LIMIT = 200
_EXTENSIONS = {".csv": Format.csv, ".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
               ".txt": Format.table}
_DELIMITER_NAMES = {";": ";", ",": ",", "\t": "\t", "\\t": "\t", "tab": "\t", "semicolon": ";", "comma": ",",
                    "|": "|", "pipe": "|"}


def _fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(message.rstrip("\n") + "\n")
    raise typer.Exit(code)


def _run(job: Callable[[], None]) -> None:
    try:
        job()
    except InputError as exc:
        lines = [str(d) for d in exc.diagnostics]
        lines.append(t("err.summary", count=len(exc.diagnostics)))
        _fail("\n".join(lines))
    except NdrcError as exc:
        _fail(t("err.prefix", message=exc))
    except BrokenPipeError:
        # `ndrc grade … | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:  # a disk full, a permission refused while writing…
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(t("err.prefix", message=f"{where}{exc.strerror or exc}"))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _print_rich(output: str, draw: Callable[[Any], None], width: int) -> None:
    """Draw with Rich on the terminal, or into FILE without colour at `width`."""
    from rich.console import Console

    from .output import open_output

    if output == "-":
        draw(Console(highlight=False))
    else:
        with open_output(output) as out:
            draw(Console(file=out, width=width, no_color=True, highlight=False))


#: Which module renders each format; each has write_csv, write_json,
#: write_markdown and print_report as its format needs.
_GRADE_RENDERERS = {"csv": ".render.csvout", "json": ".render.jsonout", "markdown": ".render.markdown",
                    "table": ".render.table"}
_SIMULATE_RENDERERS = dict.fromkeys(("csv", "json", "markdown", "table"), ".render.simulate")


def _emit(report: Any, output: str, chosen: Format, excel: bool, renderers: dict[str, str]) -> None:
    """Render `report` in the chosen format to stdout or FILE; only the
    renderer that is used gets imported (Rich only for tables)."""
    import importlib

    from .output import open_output

    module: Any = importlib.import_module(renderers[chosen.value], __package__)
    if chosen is Format.csv:
        with open_output(output, encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
            module.write_csv(report, out, excel=excel)
    elif chosen is Format.json:
        with open_output(output) as out:
            module.write_json(report, out)
    elif chosen is Format.markdown:
        with open_output(output) as out:
            module.write_markdown(report, out)
    else:
        _print_rich(output, lambda console: module.print_report(report, console), width=120)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ndrc {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_callback(
    lang: Annotated[Optional[Lang], typer.Option("--lang", help=t("opt.lang"))] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=t("opt.version"))
    ] = False,
) -> None:
    # The language was already chosen before the help texts were built
    # (entry.py reads --lang early); this keeps it for the command itself.
    if lang is not None:
        from .i18n import set_language

        set_language(lang.value)


CurriculumOpt = Annotated[
    Optional[str],
    typer.Option("--curriculum", "-c", envvar="NDRC_CURRICULUM", metavar=t("meta.file"), help=t("opt.curriculum")),
]
OutputOpt = Annotated[str, typer.Option("--output", "-o", metavar=t("meta.file"), help=t("opt.output"))]
ForceOpt = Annotated[bool, typer.Option("--force", help=t("opt.force"))]
# The exam-session options (issue 5), shared by grade and attestation.
ControleOpt = Annotated[Optional[str], typer.Option("--controle", metavar=t("meta.file"), help=t("opt.controle"))]
KeptOpt = Annotated[Optional[str], typer.Option("--kept", metavar=t("meta.file"), help=t("opt.kept"))]
KeptSessionOpt = Annotated[
    Optional[int], typer.Option("--kept-session", metavar=t("meta.year"), help=t("opt.kept_session"))
]
SessionOpt = Annotated[Optional[int], typer.Option("--session", metavar=t("meta.year"), help=t("opt.session"))]


def _delimiter(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    if value in _DELIMITER_NAMES or value.lower() in _DELIMITER_NAMES:
        return _DELIMITER_NAMES.get(value) or _DELIMITER_NAMES[value.lower()]
    raise typer.BadParameter(t("opt.bad_delimiter", value=value))


def _pick_format(fmt: Optional[Format], excel: bool, output: str) -> Format:
    if excel:
        return Format.csv
    if fmt is not None:
        return fmt
    if output != "-":
        return _EXTENSIONS.get(os.path.splitext(output)[1].lower(), Format.csv)
    return Format.table if sys.stdout.isatty() else Format.csv


@app.command(help=t("grade.help"), no_args_is_help=True)
def grade(
    sheet: Annotated[str, typer.Argument(metavar=t("meta.sheet"), help=t("arg.sheet"), show_default=False)],
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", help=t("opt.format"))] = None,
    excel: Annotated[bool, typer.Option("--excel", help=t("opt.excel"))] = False,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    explain: Annotated[Optional[str], typer.Option("--explain", metavar=t("meta.id"), help=t("opt.explain"))] = None,
    curriculum: CurriculumOpt = None,
    delimiter: Annotated[
        Optional[str], typer.Option("--delimiter", "-d", metavar=t("meta.char"), help=t("opt.delimiter"))
    ] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", "-e", help=t("opt.encoding"))] = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
    jury_margin: Annotated[
        Optional[str], typer.Option("--jury-margin", metavar=t("meta.points"), help=t("opt.jury_margin"))
    ] = None,
    all_rows: Annotated[bool, typer.Option("--all", help=t("opt.all_rows"))] = False,
) -> None:
    sep = _delimiter(delimiter)
    margin = None
    if jury_margin is not None:
        margin = _grade_value(jury_margin)
        if margin is None:
            raise typer.BadParameter(t("opt.bad_margin", value=jury_margin), param_hint="--jury-margin")

    def job() -> None:
        import datetime

        from .curriculum import load_curriculum
        from .output import check_target, open_output

        inputs = [sheet] + [p for p in (curriculum, controle, kept) if p]
        check_target(output, inputs, force)
        plain = explain is None and not (controle or kept or jury_margin)
        if plain and sheet != "-" and _pick_format(fmt, excel, output) is Format.csv:
            # A cohort: stream it (constant memory); any problem falls back to
            # the ordinary path below, which reports every one of them.
            from .stream import write_streamed

            if write_streamed(sheet, load_curriculum(curriculum), output, excel, sep, encoding):
                return
        from .grading import SessionOptions, grade_sheet

        options = SessionOptions(session=session or datetime.date.today().year, controle=controle, kept=kept,
                                 kept_session=kept_session)
        report = grade_sheet(sheet, load_curriculum(curriculum), sep, encoding, options)
        if margin is not None:
            from .session import jury_watch

            report = report._replace(jury=tuple(jury_watch(report.results, report.curriculum, margin)))

        if explain is not None:
            from .render.explain import explain as explain_lines

            match = [r for r in report.results if r.student.id == explain.strip()]
            if not match:
                raise NdrcError(t("err.unknown_student", id=explain, sheet=report.sources[0]))
            with open_output(output) as out:
                out.write("\n".join(explain_lines(match[0], report.curriculum)) + "\n")
            return

        chosen = _pick_format(fmt, excel, output)
        if chosen is Format.table and not all_rows and output == "-":
            report = report._replace(row_limit=ROW_LIMIT)
        _emit(report, output, chosen, excel, _GRADE_RENDERERS)

    _run(job)


@app.command(help=t("attestation.help"), no_args_is_help=True)
def attestation(
    student_id: Annotated[str, typer.Argument(metavar=t("meta.id"), help=t("arg.id"), show_default=False)],
    sheet: Annotated[str, typer.Argument(metavar=t("meta.sheet"), help=t("arg.sheet"), show_default=False)],
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
) -> None:
    def job() -> None:
        import datetime

        from .curriculum import load_curriculum
        from .grading import SessionOptions, grade_sheet
        from .output import check_target, open_output
        from .render.attestation import write_attestation

        check_target(output, [sheet] + [p for p in (curriculum, controle, kept) if p], force)
        options = SessionOptions(session=session or datetime.date.today().year, controle=controle, kept=kept,
                                 kept_session=kept_session)
        report = grade_sheet(sheet, load_curriculum(curriculum), None, None, options)
        match = [r for r in report.results if r.student.id == student_id.strip()]
        if not match:
            raise NdrcError(t("err.unknown_student", id=student_id, sheet=report.sources[0]))
        with open_output(output) as out:
            write_attestation(match[0], report.curriculum, report.session, out)

    _run(job)


@app.command(help=t("template.help"))
def template(
    output: OutputOpt = "-",
    force: ForceOpt = False,
    parts: Annotated[bool, typer.Option("--parts", help=t("opt.parts"))] = False,
    plain: Annotated[bool, typer.Option("--plain", help=t("opt.plain"))] = False,
    curriculum: CurriculumOpt = None,
) -> None:
    def job() -> None:
        from .curriculum import load_curriculum
        from .output import check_target, open_output
        from .render.template import write_template

        check_target(output, [curriculum] if curriculum else [], force)
        cur = load_curriculum(curriculum)
        with open_output(output, encoding="utf-8" if plain else "utf-8-sig", newline="") as out:
            write_template(cur, out, parts=parts, excel=not plain)

    _run(job)


class ProgrammeFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


_SECTION_NAMES = ", ".join(SECTIONS)


@app.command(help=t("programme.help"))
def programme(
    section: Annotated[
        Optional[list[str]],
        typer.Option("--section", "-s", metavar=t("meta.section"), help=t("opt.section", sections=_SECTION_NAMES)),
    ] = None,
    all_sections: Annotated[bool, typer.Option("--all", help=t("opt.all"))] = False,
    bloc: Annotated[Optional[str], typer.Option("--bloc", "-b", metavar=t("meta.bloc"), help=t("opt.bloc"))] = None,
    fmt: Annotated[
        ProgrammeFormat, typer.Option("--format", "-f", help=t("opt.programme_format"))
    ] = ProgrammeFormat.table,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
) -> None:
    for name in section or ():
        if name not in SECTIONS:
            raise typer.BadParameter(t("opt.bad_section", value=name, sections=", ".join(SECTIONS)),
                                     param_hint="--section")

    def job() -> None:
        from .curriculum import load_curriculum
        from .output import check_target, open_output
        from .programme import Block, bloc_tree, build, find_bloc, programme_json

        check_target(output, [curriculum] if curriculum else [], force)
        cur = load_curriculum(curriculum)
        if fmt is ProgrammeFormat.json:
            import json

            with open_output(output) as out:
                json.dump(programme_json(cur), out, ensure_ascii=False, indent=2)
                out.write("\n")
            return
        blocks: list[Block]
        if bloc is not None:
            found = find_bloc(cur, bloc)
            if found is None:
                known = ", ".join(b.id for b in cur.blocs if b.id.startswith("B") and b.id[1:].isdigit()) or "—"
                raise NdrcError(t("err.unknown_bloc", value=bloc, blocs=known))
            blocks = [bloc_tree(cur, found)]
        else:
            chosen = SECTIONS if all_sections else tuple(section or OVERVIEW)
            blocks = build(cur, chosen, full=bool(all_sections or section))
        if fmt is ProgrammeFormat.markdown:
            from .render.programme import write_markdown_blocks

            with open_output(output) as out:
                write_markdown_blocks(blocks, out)
            return
        from .render.programme import print_blocks

        _print_rich(output, lambda console: print_blocks(blocks, console), width=100)

    _run(job)


class Combine(str, Enum):
    latest = "latest"
    mean = "mean"


def _grade_value(text: str) -> Any:
    from .numbers import parse_decimal

    value = parse_decimal(text.strip())
    return value if value is not None and 0 <= value <= 2000 else None


@app.command(help=t("simulate.help"))
def simulate(
    mocks: Annotated[Optional[list[str]], typer.Argument(metavar=t("meta.mocks"), help=t("arg.mocks"),
                                                         show_default=False)] = None,
    combine: Annotated[Combine, typer.Option("--combine", help=t("opt.combine"))] = Combine.latest,
    sets: Annotated[Optional[list[str]], typer.Option("--set", metavar=t("meta.set"), help=t("opt.set"))] = None,
    student: Annotated[Optional[str], typer.Option("--student", metavar=t("meta.id"), help=t("opt.student"))] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar=t("meta.unit"), help=t("opt.unit"))] = None,
    spread: Annotated[
        Optional[list[str]], typer.Option("--spread", metavar=t("meta.spread"), help=t("opt.spread"))
    ] = None,
    assume: Annotated[str, typer.Option("--assume", metavar=t("meta.assume"), help=t("opt.assume"))] = "mean",
    seed: Annotated[int, typer.Option("--seed", help=t("opt.seed"))] = 2026,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", help=t("opt.format"))] = None,
    excel: Annotated[bool, typer.Option("--excel", help=t("opt.excel"))] = False,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    delimiter: Annotated[
        Optional[str], typer.Option("--delimiter", "-d", metavar=t("meta.char"), help=t("opt.delimiter"))
    ] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", "-e", help=t("opt.encoding"))] = None,
) -> None:
    sep = _delimiter(delimiter)

    def job() -> None:
        from .curriculum import load_curriculum
        from .output import check_target
        from .projection import MEAN
        from .simulate import Settings
        from .simulate import simulate as run_simulation

        inputs = list(mocks or []) + ([curriculum] if curriculum else [])
        check_target(output, inputs, force)
        cur = load_curriculum(curriculum)
        known = {u.code.upper(): u.code for u in cur.units}
        units = ", ".join(u.code for u in cur.units)

        overrides: dict[str, Any] = {}
        for item in sets or []:
            code, _, value = item.partition("=")
            if not _:
                raise typer.BadParameter(t("opt.bad_set", value=item), param_hint="--set")
            if code.strip().upper() not in known:
                raise typer.BadParameter(t("opt.set_unknown_unit", value=item, unit=code, units=units),
                                         param_hint="--set")
            grade = _grade_value(value)
            if grade is None:
                raise typer.BadParameter(t("opt.set_range", value=item), param_hint="--set")
            overrides[known[code.strip().upper()]] = grade
        base_spread, per_unit = 2.0, {}
        for item in spread or []:
            code, eq, value = item.rpartition("=")
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                number = -1.0
            if number < 0 or number != number or (eq and code.strip().upper() not in known):
                raise typer.BadParameter(t("opt.bad_spread", value=item), param_hint="--spread")
            if eq:
                per_unit[known[code.strip().upper()]] = number
            else:
                base_spread = number
        assumed: Any = MEAN
        if assume.strip().lower() != MEAN:
            assumed = _grade_value(assume)
            if assumed is None:
                raise typer.BadParameter(t("opt.bad_assume", value=assume), param_hint="--assume")
        chosen_unit = None
        if unit is not None:
            mandatory = {u.code.upper(): u.code for u in cur.mandatory_units}
            if unit.strip().upper() not in mandatory:
                raise typer.BadParameter(t("opt.unit_not_mandatory", value=unit,
                                           units=", ".join(mandatory.values())), param_hint="--unit")
            chosen_unit = mandatory[unit.strip().upper()]
        if not mocks and not overrides:
            raise typer.BadParameter(t("arg.mocks"), param_hint=t("meta.mocks"))

        settings = Settings(combine=combine.value, spread=base_spread, spreads=per_unit, assume=assumed,
                            seed=seed, sets=overrides, student=student, unit=chosen_unit)
        report = run_simulation(cur, list(mocks or []), settings, sep, encoding)

        _emit(report, output, _pick_format(fmt, excel, output), excel, _SIMULATE_RENDERERS)

    _run(job)
