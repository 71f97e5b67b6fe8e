"""The Typer application: declarations only. Each command parses its options
and hands them, as typed, to its body in `jobs.py` (grade) or `commands.py`,
which checks them; `jobs.run` turns our errors into messages and exit codes.
`ndrc grade`'s options come from `jobs.GRADE_OPTIONS`, the table the express
lane reads too: everyday `grade` lines usually never get here.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Optional

import typer

from .. import __version__
from ..app.programme_sections import SECTIONS
from ..i18n import Language, t
from . import click_words, commands, jobs, outputs

# Typer's own words (Options, [default: …]) in the interface language.
click_words.install()

app = typer.Typer(
    name="ndrc",
    cls=click_words.Group,
    help=t("app.help"),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help, as git and pip print it: drawing it with Rich costs ~90 ms
    # of start-up (measured), and `ndrc --help` must stay under 150 ms.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    lang: Annotated[Optional[Language], typer.Option("--lang", help=t("opt.lang"))] = None,
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
    Optional[int], typer.Option("--kept-session", metavar=t("meta.year"), help=t("opt.kept_session"),
                                 click_type=click_words.AsciiInt())
]
SessionOpt = Annotated[Optional[int], typer.Option("--session", metavar=t("meta.year"), help=t("opt.session"),
                                                      click_type=click_words.AsciiInt())]
ChartOpt = Annotated[bool, typer.Option("--chart/--no-chart", help=t("opt.chart"))]
SheetArg = Annotated[str, typer.Argument(metavar=t("meta.sheet"), help=t("arg.sheet"), show_default=False)]
DelimiterOpt = Annotated[
    Optional[str], typer.Option("--delimiter", "-d", metavar=t("meta.char"), help=t("opt.delimiter"))
]
EncodingOpt = Annotated[
    Optional[str], typer.Option("--encoding", "-e", metavar=t("meta.encoding"), help=t("opt.encoding"))
]
WorksheetOpt = Annotated[
    Optional[str], typer.Option("--sheet", metavar=t("meta.sheet_name"), help=t("opt.sheet"))
]
ColumnOpt = Annotated[
    Optional[list[str]], typer.Option("--column", metavar=t("meta.column"), help=t("opt.column"))
]
def _seed(value: int) -> int:
    """numpy's generator takes seeds from 0 up: a negative one is a usage error, not a traceback.
    (Checked here, not with `min=0`, whose `x>=0` Typer prints in every help.)"""
    if value < 0:
        raise typer.BadParameter(t("opt.bad_seed", value=value))
    return value


SeedOpt = Annotated[int, typer.Option("--seed", callback=_seed, metavar=t("meta.seed"), help=t("opt.seed"),
                                        click_type=click_words.AsciiInt())]


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
        if opt.kind == "int":
            extra["click_type"] = click_words.AsciiInt()
        names = ("/".join(opt.names),) if opt.kind == "switch" else opt.names
        default = defaults[opt.field]
        kind: Any = {"flag": bool, "switch": bool, "choice": Optional[outputs.Format], "int": Optional[int],
                     "list": Optional[list[str]]}.get(opt.kind, str if default is not None else Optional[str])
        if opt.kind == "list":
            default = None
        parameters.append(inspect.Parameter(opt.field, inspect.Parameter.KEYWORD_ONLY, default=default,
                                            annotation=Annotated[kind, typer.Option(*names, **extra)]))
    return inspect.Signature(parameters, return_annotation=None)


grade.__signature__ = _grade_signature()  # type: ignore[attr-defined]
grade.__annotations__ = {p.name: p.annotation for p in grade.__signature__.parameters.values()}  # type: ignore
app.command(cls=click_words.Command, help=t("grade.help"), short_help=t("grade.short"),
            no_args_is_help=True)(grade)


StudentDocOpt = Annotated[
    Optional[str], typer.Option("--student", metavar=t("meta.id"), help=t("opt.student_doc"))
]


class AttestationFormat(str, Enum):
    html = "html"
    markdown = "markdown"


@app.command(cls=click_words.Command, help=t("attestation.help"), short_help=t("attestation.short"),
             no_args_is_help=True)
def attestation(
    sheet: SheetArg,
    student: StudentDocOpt = None,
    fmt: Annotated[
        Optional[AttestationFormat], typer.Option("--format", "-f", help=t("opt.attestation_format"))
    ] = None,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
    worksheet: WorksheetOpt = None,
    column: ColumnOpt = None,
) -> None:
    _run(lambda: commands.attestation(sheet, student, fmt.value if fmt else None, output, force, curriculum,
                                      delimiter, encoding, controle, kept, kept_session, session, worksheet, column))


@app.command(cls=click_words.Command, help=t("releve.help"), short_help=t("releve.short"), no_args_is_help=True)
def releve(
    sheet: SheetArg,
    student: StudentDocOpt = None,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = None,
    controle: ControleOpt = None,
    kept: KeptOpt = None,
    kept_session: KeptSessionOpt = None,
    session: SessionOpt = None,
    worksheet: WorksheetOpt = None,
    column: ColumnOpt = None,
) -> None:
    _run(lambda: commands.releve(sheet, student, output, force, curriculum, delimiter, encoding, controle, kept,
                                 kept_session, session, worksheet, column))


@app.command(cls=click_words.Command, help=t("report.help"), short_help=t("report.short"), no_args_is_help=True)
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
    _run(lambda: commands.report(sheet, list(mocks or []), output, force, curriculum, delimiter, encoding, controle,
                                 kept, kept_session, session, jury_margin, seed, worksheet, column))


@app.command(cls=click_words.Command, help=t("template.help"), short_help=t("template.short"))
def template(
    output: OutputOpt = "-",
    force: ForceOpt = False,
    parts: Annotated[bool, typer.Option("--parts", help=t("opt.parts"))] = False,
    plain: Annotated[bool, typer.Option("--plain", help=t("opt.plain"))] = False,
    curriculum: CurriculumOpt = None,
) -> None:
    _run(lambda: commands.template(output, force, parts, plain, curriculum))


class ProgrammeFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command(cls=click_words.Command, help=t("programme.help"), short_help=t("programme.short"))
def programme(
    section: Annotated[
        Optional[list[str]],
        typer.Option("--section", "-s", metavar=t("meta.section"),
                     help=t("opt.section", sections=", ".join(SECTIONS))),
    ] = None,
    all_sections: Annotated[bool, typer.Option("--all", help=t("opt.all"))] = False,
    bloc: Annotated[Optional[str], typer.Option("--bloc", "-b", metavar=t("meta.bloc"), help=t("opt.bloc"))] = None,
    fmt: Annotated[
        Optional[ProgrammeFormat], typer.Option("--format", "-f", help=t("opt.programme_format"))
    ] = None,
    output: OutputOpt = "-",
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
) -> None:
    _run(lambda: commands.programme(section, all_sections, bloc, fmt.value if fmt else None, output, force,
                                    curriculum))


class Combine(str, Enum):
    latest = "latest"
    mean = "mean"


@app.command(cls=click_words.Command, help=t("simulate.help"), short_help=t("simulate.short"))
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
    fmt: Annotated[Optional[outputs.SimulateFormat], typer.Option("--format", "-f", help=t("opt.format"))] = None,
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
    _run(lambda: commands.simulate(list(mocks or []), combine.value, list(sets or []), student, unit,
                                   list(spread or []), assume, seed, fmt.value if fmt else None, excel, output,
                                   force, curriculum, delimiter, encoding, chart, worksheet, column))


class BulletinSort(str, Enum):
    risk = "risk"


@app.command(cls=click_words.Command, help=t("bulletin.help"), short_help=t("bulletin.short"), no_args_is_help=True)
def bulletin(
    gradebooks: Annotated[list[str], typer.Argument(metavar=t("meta.gradebook"), help=t("arg.gradebook"),
                                                    show_default=False)],
    output: OutputOpt = "-",
    fmt: Annotated[Optional[outputs.BulletinFormat], typer.Option("--format", "-f", help=t("opt.format"))] = None,
    student: Annotated[Optional[str], typer.Option("--student", metavar=t("meta.id"),
                                                   help=t("opt.bulletin_student"))] = None,
    sort: Annotated[Optional[BulletinSort], typer.Option("--sort", help=t("opt.bulletin_sort"))] = None,
    previous: Annotated[Optional[list[str]], typer.Option("--previous", metavar=t("meta.file"),
                                                          help=t("opt.bulletin_previous"))] = None,
    excel: Annotated[bool, typer.Option("--excel", help=t("opt.excel"))] = False,
    force: ForceOpt = False,
    curriculum: CurriculumOpt = None,
) -> None:
    _run(lambda: commands.bulletin(list(gradebooks), output, fmt.value if fmt else None, student,
                                   sort.value if sort else None, excel, force, curriculum, list(previous or [])))
