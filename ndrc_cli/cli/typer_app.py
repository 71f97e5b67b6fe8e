"""The Typer application: parse and check options, then hand over.

Every command is a thin wrapper over grading/rules/render; `jobs.run` turns
our errors into messages and exit codes. `ndrc grade` with everyday options
usually never gets here: `express.py` parses it without importing Typer.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from .. import __version__
from ..app.sections import OVERVIEW, SECTIONS
from ..core.errors import NdrcError
from ..i18n import t
from . import jobs

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
    xlsx = "xlsx"


class SimulateFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    en = "en"
    fr = "fr"


def _run(job: Callable[[], None]) -> None:
    code = jobs.run(job)
    if code:
        raise typer.Exit(code)


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
        from ..i18n import set_language

        set_language(lang.value)


CurriculumOpt = Annotated[
    Optional[str],
    typer.Option("--curriculum", "-c", envvar="NDRC_CURRICULUM", metavar=t("meta.file"), help=t("opt.curriculum")),
]
OutputOpt = Annotated[str, typer.Option("--output", "-o", metavar=t("meta.file"), help=t("opt.output"))]
ForceOpt = Annotated[bool, typer.Option("--force", help=t("opt.force"))]
# The exam-session options, shared by grade, attestation and report.
ControleOpt = Annotated[Optional[str], typer.Option("--controle", metavar=t("meta.file"), help=t("opt.controle"))]
KeptOpt = Annotated[Optional[str], typer.Option("--kept", metavar=t("meta.file"), help=t("opt.kept"))]
KeptSessionOpt = Annotated[
    Optional[int], typer.Option("--kept-session", metavar=t("meta.year"), help=t("opt.kept_session"))
]
SessionOpt = Annotated[Optional[int], typer.Option("--session", metavar=t("meta.year"), help=t("opt.session"))]
ChartOpt = Annotated[bool, typer.Option("--chart/--no-chart", help=t("opt.chart"))]
SheetArg = Annotated[str, typer.Argument(metavar=t("meta.sheet"), help=t("arg.sheet"), show_default=False)]
DelimiterOpt = Annotated[
    Optional[str], typer.Option("--delimiter", "-d", metavar=t("meta.char"), help=t("opt.delimiter"))
]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", "-e", help=t("opt.encoding"))]
WorksheetOpt = Annotated[
    Optional[str], typer.Option("--sheet", metavar=t("meta.sheet_name"), help=t("opt.sheet"))
]
ColumnOpt = Annotated[
    Optional[list[str]], typer.Option("--column", metavar=t("meta.column"), help=t("opt.column"))
]
# numpy's generator takes seeds from 0 up: a negative one is a usage error, not a traceback.
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help=t("opt.seed"))]


def _columns(values: Optional[list[str]], curriculum: Optional[str]) -> tuple[tuple[str, str], ...]:
    """`--column HEADER=UNIT` values, checked against the curriculum's units."""
    if not values:
        return ()
    from ..load.curriculum import load_curriculum

    try:
        cur = load_curriculum(curriculum)
    except NdrcError:
        return tuple((v.rpartition("=")[0].strip(), v.rpartition("=")[2].strip()) for v in values)  # reported later
    codes = {c.upper(): c for u in cur.units for c in (u.code, *(p.code for p in u.parts))}
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
            raise typer.BadParameter(t("opt.bad_column", value=value, units=", ".join(codes.values())),
                                     param_hint="--column")
        out.append((header.strip(), key))
    return tuple(out)


def _delimiter(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    sep = jobs.delimiter_of(value)
    if sep is None:
        raise typer.BadParameter(t("opt.bad_delimiter", value=value))
    return sep


def grade(sheet: str, **options: Any) -> None:
    """`ndrc grade`: its options are declared once, in jobs.GRADE_OPTIONS (the
    express lane reads the same table); Typer parses them into a request."""
    values: dict[str, Any] = {
        field: value.value if isinstance(value, Enum) else tuple(value or ()) if field == "columns" else value
        for field, value in options.items()}
    request = jobs.GradeRequest(sheet=sheet, **values)
    # Looked up on the module at call time, so a test can watch what Typer parsed.
    _run(lambda: jobs.grade(request))


def _grade_signature() -> inspect.Signature:
    """Typer reads a command's options from its signature: build grade's from the table."""
    defaults = jobs.GradeRequest._field_defaults
    parameters = [inspect.Parameter("sheet", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=SheetArg)]
    for opt in jobs.GRADE_OPTIONS:
        extra: dict[str, Any] = {"help": t(opt.help)}
        if opt.metavar:
            extra["metavar"] = t(opt.metavar)
        if opt.envvar:
            extra["envvar"] = opt.envvar
        names = ("/".join(opt.names),) if opt.kind == "switch" else opt.names
        default = defaults[opt.field]
        kind: Any = {"flag": bool, "switch": bool, "choice": Optional[Format], "int": Optional[int],
                     "list": Optional[list[str]]}.get(opt.kind, str if default is not None else Optional[str])
        if opt.kind == "list":
            default = None
        parameters.append(inspect.Parameter(opt.field, inspect.Parameter.KEYWORD_ONLY, default=default,
                                            annotation=Annotated[kind, typer.Option(*names, **extra)]))
    return inspect.Signature(parameters, return_annotation=None)


grade.__signature__ = _grade_signature()  # type: ignore[attr-defined]
grade.__annotations__ = {p.name: p.annotation for p in grade.__signature__.parameters.values()}  # type: ignore
app.command(help=t("grade.help"), no_args_is_help=True)(grade)


@app.command(help=t("attestation.help"), no_args_is_help=True)
def attestation(
    student_id: Annotated[str, typer.Argument(metavar=t("meta.id"), help=t("arg.id"), show_default=False)],
    sheet: SheetArg,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
    worksheet: WorksheetOpt = None,
    column: ColumnOpt = None,
) -> None:
    columns = _columns(column, curriculum)

    def job() -> None:
        from ..app.grading import grade_sheet
        from ..load.curriculum import load_curriculum
        from ..load.sheets import SheetOptions
        from ..render.attestation import write_attestation
        from .output import check_target, open_output

        # Markdown: on stdout, or into FILE.md (never under another format's name)
        if output != "-":
            jobs.pick_format(None, False, output, ("markdown",), "attestation")
        check_target(output, [sheet] + [p for p in (curriculum, controle, kept) if p], force)
        options = jobs.session_options(session, controle, kept, kept_session)
        reading = SheetOptions(sheet=worksheet, columns=columns)
        report = grade_sheet(sheet, load_curriculum(curriculum), reading, options)
        match = [r for r in report.results if r.student.id == student_id.strip()]
        if not match:
            raise NdrcError(t("err.unknown_student", id=student_id, sheet=report.sources[0]))
        with open_output(output) as out:
            write_attestation(match[0], report.curriculum, report.session, out)

    _run(job)


@app.command(help=t("report.help"), no_args_is_help=True)
def report(
    sheet: SheetArg,
    mocks: Annotated[Optional[list[str]], typer.Argument(metavar=t("meta.mocks"), help=t("arg.report_mocks"),
                                                         show_default=False)] = None,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
    jury_margin: Annotated[
        str, typer.Option("--jury-margin", metavar=t("meta.points"), help=t("opt.report_margin"))
    ] = "0.5",
    seed: SeedOpt = 2026,
    worksheet: WorksheetOpt = None,
    column: ColumnOpt = None,
) -> None:
    sep = _delimiter(delimiter)
    columns = _columns(column, curriculum)
    margin = _grade_value(jury_margin)
    if margin is None:
        raise typer.BadParameter(t("opt.bad_margin", value=jury_margin), param_hint="--jury-margin")
    if output == "-" and sys.stdout.isatty():  # a page of HTML is no use on a terminal
        raise typer.BadParameter(t("opt.report_needs_file"), param_hint="--output")

    def job() -> None:
        from ..app.classreport import build
        from ..load.curriculum import load_curriculum
        from ..load.sheets import SheetOptions
        from ..render.html import write_html
        from .output import check_target, open_output

        inputs = [sheet, *(mocks or [])] + [p for p in (curriculum, controle, kept) if p]
        check_target(output, inputs, force)
        options = jobs.session_options(session, controle, kept, kept_session)
        reading = SheetOptions(sep, encoding, worksheet, columns)
        built = build(load_curriculum(curriculum), sheet, list(mocks or []), options, margin, seed, reading)
        with open_output(output) as out:
            write_html(built, out)

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
        from ..load.curriculum import load_curriculum
        from ..render.template import write_template
        from .output import check_target, open_output

        # A CSV on stdout; into FILE, a CSV or, for FILE.xlsx, an Excel workbook.
        chosen = "csv" if output == "-" else jobs.pick_format(None, False, output, ("csv", "xlsx"), "template")
        check_target(output, [curriculum] if curriculum else [], force)
        cur = load_curriculum(curriculum)
        if chosen == "xlsx":
            from ..render.template import template_xlsx
            from .output import open_binary_output

            data = template_xlsx(cur, parts)
            with open_binary_output(output) as binary:
                binary.write(data)
            return
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
        from ..app.programme import Block, bloc_tree, build, find_bloc, programme_json
        from ..load.curriculum import load_curriculum
        from .output import check_target, open_output

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
            from ..render.programme import write_markdown_blocks

            with open_output(output) as out:
                write_markdown_blocks(blocks, out)
            return
        from ..render.programme import print_blocks

        jobs.print_rich(output, lambda console: print_blocks(blocks, console), width=100)

    _run(job)


class Combine(str, Enum):
    latest = "latest"
    mean = "mean"


def _grade_value(text: str) -> Any:
    from ..core.numbers import parse_decimal

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
    seed: SeedOpt = 2026,
    fmt: Annotated[Optional[SimulateFormat], typer.Option("--format", "-f", help=t("opt.format"))] = None,
    excel: Annotated[bool, typer.Option("--excel", help=t("opt.excel"))] = False,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    chart: ChartOpt = True,
    worksheet: WorksheetOpt = None,
    column: ColumnOpt = None,
) -> None:
    sep = _delimiter(delimiter)
    columns = _columns(column, curriculum)

    def job() -> None:
        from ..app.simulate import Settings
        from ..app.simulate import simulate as run_simulation
        from ..core.projection import MEAN
        from ..load.curriculum import load_curriculum
        from .output import check_target

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
            # A spread is a number of points: inf, nan or 1e400 would make the JSON invalid.
            if not 0 <= number <= 20 or (eq and code.strip().upper() not in known):
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
        from ..load.sheets import SheetOptions

        chosen = jobs.pick_format(fmt.value if fmt else None, excel, output, jobs.SIMULATE_FORMATS, "simulate")
        report = run_simulation(cur, list(mocks or []), settings, SheetOptions(sep, encoding, worksheet, columns))
        jobs.emit(report, output, chosen, excel, simulation=True, chart=chart)

    _run(job)
