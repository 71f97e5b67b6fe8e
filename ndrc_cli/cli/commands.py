"""The bodies of `attestation`, `report`, `template`, `programme` and
`simulate`, with their option checks: what each command does once its
options are parsed, without Typer (`grade`'s is in jobs.py, beside the
express lane that also calls it). A bad option value is a UsageError (exit
code 2), reported by `jobs.run` like every other error."""

from __future__ import annotations

from typing import Any, Optional

from ..core.errors import NdrcError
from ..i18n import t
from . import jobs, outputs


def _columns(values: Optional[list[str]], curriculum: Any) -> tuple[tuple[str, str], ...]:
    return jobs.parse_columns(values or (), curriculum)


def _documents(sheet: str, student: Optional[str], curriculum: Optional[str], delimiter: Optional[str],
               encoding: Optional[str], controle: Optional[str], kept: Optional[str], kept_session: Optional[int],
               session: Optional[int], worksheet: Optional[str], column: Optional[list[str]]) -> Any:
    """The graded sheet of `releve` and `attestation`, and the candidate asked for (or None)."""
    from ..app.grading import grade_sheet
    from ..app.lookup import find_student
    from ..load.cells import check_encoding
    from ..load.curriculum import load_curriculum
    from ..load.sheets import SheetOptions

    check_encoding(encoding)
    separator = jobs.parse_delimiter(delimiter)
    cur = load_curriculum(curriculum)
    options = jobs.session_options(session, controle, kept, kept_session)
    reading = SheetOptions(separator, encoding, worksheet, _columns(column, cur))
    report = grade_sheet(sheet, cur, reading, options)
    if student is None:
        return report, None
    who = find_student([r.student for r in report.results], student, report.sources[0])
    return report, next(r for r in report.results if r.student is who)


def releve(sheet: str, student: Optional[str], output: str, force: bool, curriculum: Optional[str],
           delimiter: Optional[str], encoding: Optional[str], controle: Optional[str], kept: Optional[str],
           kept_session: Optional[int], session: Optional[int], worksheet: Optional[str],
           column: Optional[list[str]]) -> None:
    from ..render.documents import write_releves
    from .atomic import check_target, open_output

    outputs.choose("releve", None, output)
    check_target(output, [sheet] + [p for p in (curriculum, controle, kept) if p], force)
    report, one = _documents(sheet, student, curriculum, delimiter, encoding, controle, kept, kept_session,
                             session, worksheet, column)
    with open_output(output) as out:
        write_releves(report, [one] if one is not None else list(report.results), out)


def attestation(sheet: str, student: Optional[str], fmt: Optional[str], output: str, force: bool,
                curriculum: Optional[str], delimiter: Optional[str], encoding: Optional[str],
                controle: Optional[str], kept: Optional[str], kept_session: Optional[int], session: Optional[int],
                worksheet: Optional[str], column: Optional[list[str]]) -> None:
    from ..core.model import Decision
    from .atomic import check_target, open_output

    # --format, else FILE's extension, else HTML (Markdown, readable text, on a terminal).
    fmt = outputs.choose("attestation", fmt, output)
    check_target(output, [sheet] + [p for p in (curriculum, controle, kept) if p], force)
    report, one = _documents(sheet, student, curriculum, delimiter, encoding, controle, kept, kept_session,
                             session, worksheet, column)
    # Asked for one candidate, that one (an admis is told so); else everyone not admitted.
    chosen = [one] if one is not None else [r for r in report.results if r.decision is not Decision.ADMIS]
    with open_output(output) as out:
        if fmt == "markdown":
            from ..render.attestation import write_attestations as write_markdown

            write_markdown(chosen, report.curriculum, report.session, out)
        else:
            from ..render.documents import write_attestations

            write_attestations(report, chosen, out)


def report(sheet: str, mocks: list[str], output: str, force: bool, curriculum: Optional[str],
           delimiter: Optional[str], encoding: Optional[str], controle: Optional[str], kept: Optional[str],
           kept_session: Optional[int], session: Optional[int], jury_margin: str, seed: int,
           worksheet: Optional[str], column: Optional[list[str]]) -> None:
    from ..app.classreport import build_class_report
    from ..load.cells import check_encoding
    from ..load.curriculum import load_curriculum
    from ..load.sheets import SheetOptions
    from ..render.html import write_html
    from .atomic import check_target, open_output

    check_encoding(encoding)
    separator = jobs.parse_delimiter(delimiter)
    margin = jobs.parse_points(jury_margin, "--jury-margin")
    outputs.choose("report", None, output)
    check_target(output, [sheet, *mocks] + [p for p in (curriculum, controle, kept) if p], force)
    cur = load_curriculum(curriculum)
    options = jobs.session_options(session, controle, kept, kept_session)
    reading = SheetOptions(separator, encoding, worksheet, _columns(column, cur))
    built = build_class_report(cur, sheet, mocks, options, margin, seed, reading)
    with open_output(output) as out:
        write_html(built, out)


def template(output: str, force: bool, parts: bool, plain: bool, curriculum: Optional[str]) -> None:
    from ..load.curriculum import load_curriculum
    from ..render.template import template_xlsx, write_template
    from .atomic import check_target, open_binary_output, open_output

    # A CSV on stdout; into FILE, a CSV or, for FILE.xlsx, an Excel workbook.
    chosen = outputs.choose("template", None, output)
    check_target(output, [curriculum] if curriculum else [], force)
    cur = load_curriculum(curriculum)
    if chosen == "xlsx":
        data = template_xlsx(cur, parts)
        with open_binary_output(output) as binary:
            binary.write(data)
        return
    with open_output(output, encoding="utf-8" if plain else "utf-8-sig", newline="") as out:
        write_template(cur, out, parts=parts, excel=not plain)


def programme(section: Optional[list[str]], all_sections: bool, bloc: Optional[str], fmt: Optional[str],
              output: str, force: bool, curriculum: Optional[str]) -> None:
    from ..app.programme import Block, bloc_tree, build_blocks, find_bloc, programme_json
    from ..app.programme_sections import OVERVIEW, SECTIONS
    from ..core.folding import fold_header
    from ..load.curriculum import load_curriculum
    from .atomic import check_target, open_output

    # --format, else FILE's extension, else the table (in FILE.txt as on the terminal).
    fmt = outputs.choose("programme", fmt, output)
    chosen_sections = []
    for name in section or ():
        key = SECTION_NAMES.get(fold_header(name))
        if key is None:
            raise jobs.option_error("--section", t('opt.bad_section', value=name, sections=', '.join(SECTIONS)))
        chosen_sections.append(key)
    section = chosen_sections
    check_target(output, [curriculum] if curriculum else [], force)
    cur = load_curriculum(curriculum)
    if fmt == "json":
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
        blocks = build_blocks(cur, chosen, full=bool(all_sections or section))
    if fmt == "markdown":
        from ..render.programme import write_markdown_blocks

        with open_output(output) as out:
            write_markdown_blocks(blocks, out)
        return
    from ..render.programme import print_blocks

    jobs.print_rich(output, lambda console: print_blocks(blocks, console), width=100)


#: `--section` in English or in French, folded: the section it names.
SECTION_NAMES = {
    **{name: name for name in ("identity", "organisation", "admission", "teaching", "assessment", "exams", "result",
                               "blocs", "content", "careers")},
    "identite": "identity", "organization": "organisation", "enseignement": "teaching", "formation": "teaching",
    "evaluation": "assessment", "epreuves": "exams", "examens": "exams", "examen": "exams", "resultat": "result",
    "resultats": "result", "blocsdecompetences": "blocs", "contenu": "content", "contenus": "content",
    "metiers": "careers", "debouches": "careers",
}


def _grade_value(text: str) -> Any:
    from ..core.numbers import parse_decimal

    value = parse_decimal(text.strip())
    return value if value is not None and 0 <= value <= 2000 else None


def simulation_settings(cur: Any, combine: str, sets: list[str], student: Optional[str], unit: Optional[str],
                        spread: list[str], assume: str, seed: int) -> Any:
    """simulate's options, checked against the curriculum."""
    from ..app.simulate import Settings
    from ..core.projection import MEAN

    known = {u.code.upper(): u.code for u in cur.units}
    units = ", ".join(u.code for u in cur.units)
    overrides: dict[str, Any] = {}
    for item in sets:
        code, eq, value = item.partition("=")
        if not eq:
            raise jobs.option_error("--set", t('opt.bad_set', value=item))
        if code.strip().upper() not in known:
            raise jobs.option_error("--set", t('opt.set_unknown_unit', value=item, unit=code, units=units))
        grade = _grade_value(value)
        if grade is None:
            raise jobs.option_error("--set", t('opt.set_range', value=item))
        overrides[known[code.strip().upper()]] = grade
    base_spread, per_unit, auto = 2.0, {}, False
    for item in spread:
        if item.strip().lower() == "auto":  # learnt from the mocks (core/spreads.py)
            auto = True
            continue
        code, eq, value = item.rpartition("=")
        if not value.isascii():  # float() reads full-width and Arabic-Indic digits too
            raise jobs.option_error("--spread", t("opt.ascii_digits", value=item))
        try:
            number = float(value.strip().replace(",", ".")) if "_" not in value else -1.0
        except ValueError:
            number = -1.0
        # A spread is a number of points: inf, nan or 1e400 would make the JSON invalid.
        if not 0 <= number <= 20 or (eq and code.strip().upper() not in known):
            raise jobs.option_error("--spread", t('opt.bad_spread', value=item))
        if eq:
            per_unit[known[code.strip().upper()]] = number
        else:
            base_spread = number
    assumed: Any = MEAN
    if assume.strip().lower() != MEAN:
        assumed = _grade_value(assume)
        if assumed is None:
            raise jobs.option_error("--assume", t('opt.bad_assume', value=assume))
    chosen_unit = None
    if unit is not None:
        mandatory = {u.code.upper(): u.code for u in cur.mandatory_units}
        if unit.strip().upper() not in mandatory:
            units = ", ".join(mandatory.values())
            raise jobs.option_error("--unit", t("opt.unit_not_mandatory", value=unit, units=units))
        chosen_unit = mandatory[unit.strip().upper()]
    return Settings(combine=combine, spread=base_spread, spreads=per_unit, assume=assumed, seed=seed,
                    sets=overrides, student=student, unit=chosen_unit, auto=auto)


def simulate(mocks: list[str], combine: str, sets: list[str], student: Optional[str], unit: Optional[str],
             spread: list[str], assume: str, seed: int, fmt: Optional[str], excel: bool, output: str, force: bool,
             curriculum: Optional[str], delimiter: Optional[str], encoding: Optional[str], chart: bool,
             worksheet: Optional[str], column: Optional[list[str]]) -> None:
    from ..app.simulate import simulate as run_simulation
    from ..load.cells import check_encoding
    from ..load.curriculum import load_curriculum
    from ..load.sheets import SheetOptions
    from .atomic import check_target

    check_encoding(encoding)
    separator = jobs.parse_delimiter(delimiter)
    chosen = outputs.choose("simulate", fmt, output, excel)
    check_target(output, mocks + ([curriculum] if curriculum else []), force)
    cur = load_curriculum(curriculum)
    settings = simulation_settings(cur, combine, sets, student, unit, spread, assume, seed)
    if not mocks and not settings.sets:
        raise jobs.option_error(t('meta.mocks'), t('arg.mocks'))
    reading = SheetOptions(separator, encoding, worksheet, _columns(column, cur))
    report = run_simulation(cur, mocks, settings, reading)
    jobs.emit(report, output, chosen, excel, simulation=True, chart=chart)


def bulletin(gradebooks: list[str], output: str, fmt: Optional[str], student: Optional[str], sort: Optional[str],
             excel: bool, force: bool, curriculum: Optional[str], previous: Optional[list[str]] = None) -> None:
    from ..app.bulletin import bulletin as build_bulletin
    from ..load.curriculum import load_curriculum
    from ..render import bulletin as render
    from .atomic import check_target, open_binary_output, open_output

    chosen = outputs.choose("bulletin", fmt, output, excel)
    previous = previous or []
    check_target(output, gradebooks + previous + ([curriculum] if curriculum else []), force)
    cur = load_curriculum(curriculum)
    report = build_bulletin(cur, gradebooks, student, sort, previous)
    if chosen == "json":
        with open_output(output) as out:
            render.write_json(report, out)
    elif chosen == "csv":
        with open_output(output, encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
            render.write_csv(report, out, excel=excel)
    elif chosen == "xlsx":
        from ..render.bulletin_xlsx import xlsx_bytes

        data = xlsx_bytes(report)  # built whole in memory: nothing half-written
        with open_binary_output(output) as binary:
            binary.write(data)
    elif chosen == "html":
        from ..render.bulletin_html import write_html

        with open_output(output) as out:
            write_html(report, out)
    else:
        from ..render.bulletin_table import print_report

        jobs.print_rich(output, lambda console: print_report(report, console), width=80)
