"""The class report as one self-contained HTML file (`ndrc report`).

No script, no network, no external asset: styles inline, charts inline SVG,
and a Content-Security-Policy that forbids scripts outright, so even a
mistake in escaping could not run anything. Every text from a sheet goes
through `esc`. Printed (A4), the class pages come first, then one report
card per student, each on its own page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from .. import __version__
from ..app.classreport import ClassReport, StudentCard
from ..core.charts import Movement
from ..core.model import Curriculum, Decision, Mark, Rules, StudentResult
from ..core.numbers import format_coefficient, format_exact, format_hundredths
from ..i18n import decimal_separator, labelled, language, t, tn
from .common import (
    average_text,
    decision_label,
    decision_text,
    file_names,
    first_average_text,
    first_professional_text,
    grade_text,
    jury_entries,
    plan_text,
    result_units,
    step_average_text,
    summary_rows,
    unit_text,
)
from .explain import explain
from .svg import esc, histogram_svg, movement_svg, unit_bars_svg

CSS = """
:root { color: #1a1a1a; background: #ffffff; font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 1.2rem 0 .5rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
p.meta { color: #4a4a4a; margin: 0 0 1rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #c8c8c8; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.students td, table.students th { white-space: nowrap; }
div.wide { overflow-x: auto; }
.decision { font-weight: bold; }
.admis { color: #1b6e3a; } .controle { color: #8a5300; } .ajourne { color: #b3261e; }
.absent { color: #6a1b9a; } .incomplet { color: #4a4a4a; }
svg.chart { width: 100%; max-width: 40rem; height: auto; display: block; margin: .5rem 0 1rem; }
.explain { white-space: pre-wrap; font: 9pt/1.35 ui-monospace, "DejaVu Sans Mono", monospace;
  background: #f6f6f6; padding: .5rem; border-left: 3px solid #8a8a8a; }
.card .facts { display: flex; flex-wrap: wrap; gap: .3rem 2rem; margin: .3rem 0; }
.card .facts div { min-width: 10rem; }
ul.plain { padding-left: 1.2rem; margin: .2rem 0; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  section.page, section.card { break-before: page; }
  section.page:first-of-type { break-before: auto; }
  section.card { break-inside: avoid; }
  svg.chart { max-width: 34rem; }
  tr { break-inside: avoid; }
  div.wide { overflow: visible; }
  table.students { font-size: 8.5pt; }
  table.students td, table.students th { padding: .05rem .3rem; }
}
"""

def decision_cell(r: StudentResult, rules: Rules) -> str:
    return f'<span class="decision {r.decision.value}">{esc(decision_text(r, rules, decimal_separator()))}</span>'


def _head(report: ClassReport) -> list[str]:
    return page_head(t("report.title", diploma=report.grades.curriculum.code))


def page_head(title: str, css: str = CSS) -> list[str]:
    """The start of every page ndrc writes, up to <body>: its policy, its styles."""
    return [
        "<!DOCTYPE html>",
        f'<html lang="{language()}">',
        "<head>",
        '<meta charset="utf-8">',
        # No script may run, nothing may be fetched: the report is data only.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="ndrc {esc(__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]


def _summary(report: ClassReport) -> list[str]:
    g = report.grades
    d = decimal_separator()
    sm = g.summary
    out = [
        '<section class="page" id="class">',
        f"<h1>{esc(t('report.title', diploma=g.curriculum.code))}</h1>",
        '<p class="meta">'
        + esc(t("report.meta", sheet=file_names(g.sources), session=g.session or "—", version=__version__)) + "</p>",
        f"<h2>{esc(t('summary.title'))}</h2>",
        '<table class="summary">',
        f'<tr><th scope="row">{esc(t("summary.students"))}</th>'
        f'<td class="num" data-key="students">{sm.students}</td></tr>',
    ]
    for decision in Decision:
        out.append(f'<tr><th scope="row"><span class="{decision.value}">{esc(decision_label(decision))}'
                   f'</span></th><td class="num" data-key="{decision.value}">{sm.by_decision[decision]}</td></tr>')
    for label, value in summary_rows(sm, g.curriculum.rules, d):
        out.append(f'<tr><th scope="row">{esc(label)}</th><td class="num">{esc(value)}</td></tr>')
    out.append("</table>")
    out.append(f"<h2>{esc(t('report.charts'))}</h2>")
    out.append(f"<h3>{esc(tn('chart.hist_title', report.histogram.total))}</h3>")
    out.append(histogram_svg(report.histogram))
    out.append(f"<h3>{esc(t('chart.units_title', threshold=report.histogram.thresholds.admis))}</h3>")
    out.append(unit_bars_svg(report.units, g.curriculum.rules))
    out.append("</section>")
    if report.movements:
        out.append('<section class="page" id="movement">')
        out.append(f"<h2>{esc(t('chart.moves_title'))}</h2>")
        out.append(f'<p class="meta">{esc(" → ".join(report.steps))}</p>')
        out.extend(f'<p class="note">{esc(note)}</p>' for note in report.notes)
        out.append(movement_svg(report.movements, report.steps, report.histogram.thresholds, g.curriculum.rules))
        out.append("</section>")
    return out


def _students(report: ClassReport) -> list[str]:
    g = report.grades
    d = decimal_separator()
    units = g.curriculum.units
    rules = g.curriculum.rules
    out = [
        '<section class="page" id="students">',
        f"<h2>{esc(t('report.all_students'))}</h2>",
        '<div class="wide">',
        '<table class="students">',
        "<thead><tr>"
        + f'<th scope="col">{esc(t("col.id"))}</th><th scope="col">{esc(t("col.name"))}</th>'
        + "".join(f'<th scope="col" class="num">{esc(u.code)}</th>' for u in units)
        + f'<th scope="col" class="num">{esc(t("col.average"))}</th>'
        + f'<th scope="col" class="num">{esc(t("col.pro_average"))}</th>'
        + f'<th scope="col">{esc(t("col.decision"))}</th></tr></thead>',
        "<tbody>",
    ]
    for r in g.results:
        cells = "".join(f'<td class="num">{esc(c)}</td>' for c in result_units(r, rules, d))
        out.append(
            f'<tr data-id="{esc(r.student.id)}" data-decision="{r.decision.value}">'
            f'<th scope="row">{esc(r.student.id)}</th><td>{esc(r.student.name)}</td>{cells}'
            f'<td class="num average">{esc(first_average_text(r, rules, d))}</td>'
            f'<td class="num">{esc(first_professional_text(r, rules, d))}</td>'
            f"<td>{decision_cell(r, rules)}</td></tr>")
    out.append("</tbody></table></div>")
    out.append(f"<h2>{esc(t('jury.title'))}</h2>")
    entries = jury_entries(g)
    if entries:
        # The computation of each is on its report card: link to it.
        out.append('<ul class="plain jury">' + "".join(
            f'<li data-id="{esc(r.student.id)}"><a href="#card-{esc(r.student.id)}">{esc(r.student.id)} '
            f"{esc(r.student.name)}</a>: {esc(why)}</li>" for r, why in entries) + "</ul>")
    else:
        out.append(f"<p>{esc(t('jury.none'))}</p>")
    out.append("</section>")
    return out


def unit_rows(r: StudentResult, cur: Curriculum) -> Iterable[str]:
    d = decimal_separator()
    kept = dict(r.kept)
    base = r.first_group
    for unit, u in zip(cur.units, base.units):
        coef = format_coefficient(unit.coefficient, d) if unit.coefficient is not None else "—"
        if unit.mandatory:
            counted = u.mark is Mark.GRADE or u.mark is Mark.JUSTIFIED
            points = format_exact(u.points, d) if counted else "—"
        else:
            points = "—"
            if u.mark is Mark.GRADE and u.grade is not None:
                points = t("report.bonus_points", points=format_exact(u.bonus, d))
        grade = unit_text(u, cur.rules, d) + ("*" if unit.code in kept else "")
        yield (f'<tr data-unit="{esc(unit.code)}"><th scope="row">{esc(unit.code)}</th><td>{esc(unit.name)}</td>'
               f'<td class="num">{esc(coef)}</td><td class="num grade">{esc(grade)}</td>'
               f'<td class="num points">{esc(points)}</td></tr>')


def _projection(card: StudentCard, rules: Rules) -> list[str]:
    o = card.outlook
    if o is None:
        return []
    d = decimal_separator()
    p = o.projection

    def needed(value: int | None) -> str:
        if value is None:
            return t("sim.impossible")
        return t("report.secured") if value == 0 else format_hundredths(value, d)

    # An estimate (see simulate): never "0 %" or "100 %" unless the draws say so.
    chance = _chance(o.outcome.admis)
    out = [f"<h3>{esc(t('report.projection'))}</h3>", '<ul class="plain projection">',
           f"<li>{esc(t('report.open_units', units=', '.join(p.open_units) or '—'))}</li>",
           f'<li>{esc(t("report.projected", average=average_text(p.projected.average, rules, d)))}</li>',
           f"<li>{esc(t('report.chance', chance=chance))}</li>",
           f"<li>{esc(t('report.chance_diploma', chance=_chance(o.outcome.diploma)))}</li>"]
    if p.open_units:
        out.append(f"<li>{esc(t('report.needed', admis=needed(p.needed_admis), controle=needed(p.needed_controle)))}"
                   "</li>")
    out.append("</ul>")
    return out


def _chance(p: float) -> str:
    """An estimate (see simulate): never "0 %" or "100 %" unless the draws say so."""
    return "< 1 %" if 0 < p < 0.005 else "> 99 %" if 0.995 < p < 1 else f"{p * 100:.0f} %"


def _movement(m: Movement | None, steps: tuple[str, ...], rules: Rules) -> list[str]:
    if m is None:
        return []
    d = decimal_separator()
    parts = [labelled(step, step_average_text(a, rules, d)) for step, a in zip(steps, m.averages)]
    return [f"<h3>{esc(t('chart.moves_title'))}</h3>", f'<p class="movement">{esc(" → ".join(parts))}</p>']


def _card(card: StudentCard, report: ClassReport) -> list[str]:
    r = card.result
    cur = report.grades.curriculum
    rules = cur.rules
    d = decimal_separator()
    s = r.student
    base = r.first_group
    name = f"{s.name} ({s.id})" if s.name else s.id
    out = [
        f'<section class="card" id="card-{esc(s.id)}" data-id="{esc(s.id)}" aria-labelledby="h-{esc(s.id)}">',
        f'<h2 id="h-{esc(s.id)}">{esc(name)}</h2>',
        f'<p class="meta">{esc(t("report.card_meta", diploma=cur.code, session=report.grades.session or "—"))}</p>',
        '<div class="facts">',
        f'<div>{esc(t("report.average"))} <strong class="average">{esc(first_average_text(r, rules, d) or "—")}'
        "</strong></div>",
        f'<div>{esc(t("report.pro_average"))} <strong>{esc(first_professional_text(r, rules, d) or "—")}'
        "</strong></div>",
        f"<div>{esc(t('report.decision'))} {decision_cell(r, rules)}</div>",
        "</div>",
        '<table class="units">',
        f'<thead><tr><th scope="col">{esc(t("col.unit"))}</th><th scope="col">{esc(t("report.unit_name"))}</th>'
        f'<th scope="col" class="num">{esc(t("col.coefficient"))}</th>'
        f'<th scope="col" class="num">{esc(t("report.grade"))}</th>'
        f'<th scope="col" class="num">{esc(t("report.points"))}</th></tr></thead>',
        "<tbody>",
        *unit_rows(r, cur),
        "</tbody>",
        f'<tfoot><tr><th scope="row" colspan="2">{esc(t("report.total"))}</th>'
        f'<td class="num">{esc(format_coefficient(base.divisor, d))}</td><td></td>'
        f'<td class="num">{esc(format_exact(base.total, d))}</td></tr></tfoot>',
        "</table>",
    ]
    if r.blocs:
        out.append(f"<h3>{esc(t('report.blocs'))}</h3>")
        out.append('<ul class="plain blocs">' + "".join(
            f"<li>{esc(b.bloc)} {esc(b.name)} ({esc(b.unit)} {esc(grade_text(b.grade, rules, d))})</li>"
            for b in r.blocs)
            + "</ul>")
    if r.plans:
        out.append(f'<p class="plan">{esc(labelled(t("plan.title"), plan_text(r.plans[0])))}</p>')
    out.extend(_projection(card, rules))
    out.extend(_movement(card.movement, report.steps, rules))
    out.append(f"<h3>{esc(t('report.computation'))}</h3>")
    out.append(f'<div class="explain">{esc(chr(10).join(explain(r, cur)))}</div>')
    out.append("</section>")
    return out


def write_html(report: ClassReport, out: TextIO) -> None:
    parts = _head(report) + _summary(report) + _students(report)
    for card in report.cards:
        parts.extend(_card(card, report))
    parts += ["</body>", "</html>"]
    out.write("\n".join(parts) + "\n")
