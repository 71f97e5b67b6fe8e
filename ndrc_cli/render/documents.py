"""The documents an exam office hands out, one candidate per A4 page, in one
self-contained HTML file with the class report's discipline (styles inline,
no script, a Content-Security-Policy, every sheet text escaped): the
transcript (`ndrc releve`) of each candidate, and the attestation of the
blocs acquired (`ndrc attestation`, D643-15) of each candidate not admitted.

Every number is one the engine computed (a `UnitResult`'s points and bonus,
the result's averages): nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from .. import __version__
from ..core.model import Curriculum, Decision, GradeReport, StudentResult
from ..core.numbers import format_coefficient, format_exact
from ..i18n import decimal_separator, t
from .common import (
    after_text,
    average_text,
    decision_label,
    file_names,
    first_average_text,
    first_professional_text,
    grade_text,
    note_text,
    plan_text,
)
from .html import CSS, decision_cell, page_head, unit_rows
from .svg import esc

DOC_CSS = CSS + """
section.doc { break-before: page; }
section.doc:first-of-type { break-before: auto; }
section.doc h1 { border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; margin: .6rem 0 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
p.issued { margin-top: 1.5rem; font-size: .85em; color: #4a4a4a; }
@media print { section.doc { break-inside: avoid; } }
"""


def _facts(pairs: Sequence[tuple[str, str, str]]) -> str:
    """A definition list; each pair's value is HTML already, its class names it for a reader."""
    return ('<dl class="facts">' + "".join(
        f'<dt>{esc(label)}</dt><dd class="{css}">{value}</dd>' for label, value, css in pairs) + "</dl>")


def _identity(r: StudentResult, report: GradeReport) -> list[tuple[str, str, str]]:
    s = r.student
    cur = report.curriculum
    name = f"{s.name} ({s.id})" if s.name else s.id
    return [(t("doc.candidate"), esc(name), "candidate"),
            (t("att.diploma"), esc(f"{cur.code} – {cur.name}"), "diploma"),
            (t("att.session"), esc(str(report.session) if report.session else "—"), "session")]


def _issued(report: GradeReport) -> str:
    return f'<p class="issued">{esc(t("doc.issued", sheet=file_names(report.sources), version=__version__))}</p>'


def _open(kind: str, r: StudentResult, title: str) -> list[str]:
    sid = esc(r.student.id)
    return [f'<section class="doc {kind}" id="{kind}-{sid}" data-id="{sid}" data-decision="{r.decision.value}">',
            f"<h1>{esc(title)}</h1>"]


def _controle(r: StudentResult, cur: Curriculum) -> list[str]:
    if r.controle is None:
        return []
    d = decimal_separator()
    rules = cur.rules
    rows = "".join(
        f'<tr data-unit="{esc(code)}"><th scope="row">{esc(code)}</th>'
        f'<td class="num">{esc(grade_text(first, rules, d))}</td><td class="num">{esc(grade_text(oral, rules, d))}'
        f'</td><td class="num kept">{esc(grade_text(kept, rules, d))}</td></tr>'
        for code, first, oral, kept in r.controle.units)
    return [f"<h2>{esc(t('doc.controle'))}</h2>", '<table class="orals">',
            f'<thead><tr><th scope="col">{esc(t("col.unit"))}</th>'
            f'<th scope="col" class="num">{esc(t("doc.first_grade"))}</th>'
            f'<th scope="col" class="num">{esc(t("doc.oral_grade"))}</th>'
            f'<th scope="col" class="num">{esc(t("doc.kept_grade"))}</th></tr></thead>',
            f"<tbody>{rows}</tbody></table>",
            f'<p>{esc(t("doc.after_controle"))} <strong class="final-average">'
            f"{esc(after_text(r.average, rules, d))}</strong></p>"]


def _blocs(r: StudentResult, cur: Curriculum) -> list[str]:
    d = decimal_separator()
    if not r.blocs:
        return [f'<p class="no-blocs">{esc(t("att.none"))}</p>']
    rows = "".join(
        f'<tr data-bloc="{esc(b.bloc)}"><th scope="row">{esc(b.bloc)}</th><td>{esc(b.name)}</td>'
        f'<td>{esc(b.unit)}</td><td class="num">{esc(grade_text(b.grade, cur.rules, d))}</td>'
        f'<td class="num valid-until">{esc(str(b.valid_until) if b.valid_until else "—")}</td></tr>'
        for b in r.blocs)
    return [f"<p>{esc(t('att.intro', years=cur.rules.validity_years))}</p>", '<table class="blocs">',
            f'<thead><tr><th scope="col">{esc(t("att.bloc"))}</th><th scope="col">{esc(t("report.unit_name"))}</th>'
            f'<th scope="col">{esc(t("col.unit"))}</th><th scope="col" class="num">{esc(t("att.grade"))}</th>'
            f'<th scope="col" class="num">{esc(t("att.valid_until"))}</th></tr></thead>',
            f"<tbody>{rows}</tbody></table>"]


def _kept(r: StudentResult) -> list[str]:
    if not r.kept:
        return []
    return [f'<p class="kept">* {esc(t("att.kept", units=", ".join(f"{code} ({year})" for code, year in r.kept)))}</p>']


def _releve(r: StudentResult, report: GradeReport) -> list[str]:
    cur = report.curriculum
    d = decimal_separator()
    base = r.first_group
    out = _open("releve", r, t("doc.releve_title"))
    out.append(_facts(_identity(r, report)))
    out += ['<table class="units">',
            f'<thead><tr><th scope="col">{esc(t("col.unit"))}</th><th scope="col">{esc(t("report.unit_name"))}</th>'
            f'<th scope="col" class="num">{esc(t("col.coefficient"))}</th>'
            f'<th scope="col" class="num">{esc(t("report.grade"))}</th>'
            f'<th scope="col" class="num">{esc(t("report.points"))}</th></tr></thead>',
            "<tbody>", *unit_rows(r, cur), "</tbody>",
            f'<tfoot><tr><th scope="row" colspan="2">{esc(t("report.total"))}</th>'
            f'<td class="num">{esc(format_coefficient(base.divisor, d))}</td><td></td>'
            f'<td class="num">{esc(format_exact(base.total, d))}</td></tr></tfoot>',
            "</table>"]
    results = [(t("doc.average"), esc(first_average_text(r, cur.rules, d) or "—"), "average"),
               (t("doc.pro_average"), esc(first_professional_text(r, cur.rules, d) or "—"), "pro-average")]
    if base.bonus:
        results.append((t("doc.bonus"), esc(t("report.bonus_points", points=format_exact(base.bonus, d))), "bonus"))
    results.append((t("doc.decision"), decision_cell(r, cur.rules), "decision"))
    out.append(_facts(results))
    if r.plans:
        out.append(f'<p class="plan"><strong>{esc(t("plan.title"))}</strong> {esc(plan_text(r.plans[0]))}</p>')
    out += _controle(r, cur)
    out += _kept(r)
    if r.notes:
        out.append('<ul class="plain notes">' + "".join(f"<li>{esc(note_text(n, cur.rules))}</li>" for n in r.notes)
                   + "</ul>")
    if r.decision is not Decision.ADMIS and r.blocs:
        out.append(f"<h2>{esc(t('report.blocs'))}</h2>")
        out += _blocs(r, cur)
    out.append(_issued(report))
    out.append("</section>")
    return out


def _attestation(r: StudentResult, report: GradeReport) -> list[str]:
    d = decimal_separator()
    out = _open("attestation", r, t("att.title"))
    facts = _identity(r, report)
    rules = report.curriculum.rules
    facts.append((t("doc.decision"), decision_cell(r, rules), "decision"))
    if r.average is not None:
        # The final average: after the contrôle orals, the one the decision was taken on.
        shown = after_text(r.average, rules, d) if r.controle is not None else average_text(r.average, rules, d)
        facts.append((t("doc.average"), esc(shown), "average"))
    out.append(_facts(facts))
    if r.decision is Decision.ADMIS:
        out.append(f"<p>{esc(t('att.admis'))}</p>")
    else:
        out += _blocs(r, report.curriculum)
        out += _kept(r)
    out.append(_issued(report))
    out.append("</section>")
    return out


def _page(title: str, sections: list[str], empty: str) -> str:
    body = sections or [f'<section class="doc"><h1>{esc(title)}</h1><p>{esc(empty)}</p></section>']
    return "\n".join([*page_head(title, DOC_CSS), *body, "</body>", "</html>"]) + "\n"


def write_releves(report: GradeReport, results: Sequence[StudentResult], out: TextIO) -> None:
    """One transcript per candidate of `results`, in sheet order."""
    sections = [line for r in results for line in _releve(r, report)]
    out.write(_page(t("doc.releves_title", diploma=report.curriculum.code), sections, t("doc.nobody")))


def write_attestations(report: GradeReport, results: Sequence[StudentResult], out: TextIO) -> None:
    """One attestation per candidate of `results` (the command chose them: those
    not admitted, or the one asked for)."""
    sections = [line for r in results for line in _attestation(r, report)]
    out.write(_page(t("doc.attestations_title", diploma=report.curriculum.code), sections,
                    t("doc.no_attestation", admis=decision_label(Decision.ADMIS))))
