"""The semester's report cards for the class council: one A4 page per
student in one self-contained HTML file, with the documents' discipline
(styles inline, no script, a Content-Security-Policy, every sheet text
escaped). Each card shows the student's average in each subject beside the
class's, each unit's projected grade, and the engine's average and decision
"if the exam were today": every number is the app's, rounded for display."""

from __future__ import annotations

from typing import TextIO

from .. import __version__
from ..app.bulletin import BulletinReport, BulletinRow
from ..i18n import decimal_separator, t
from .bulletin import arrow, moved, number_text, signed_text, unit_grades
from .common import average_text, decision_label, file_names
from .documents import DOC_CSS
from .html import page_head
from .svg import esc


def _th(key: str, num: bool = False) -> str:
    css = ' class="num"' if num else ""
    return f'<th scope="col"{css}>{esc(t(key))}</th>'


def _card(row: BulletinRow, report: BulletinReport) -> list[str]:
    d = decimal_separator()
    cur = report.curriculum
    sid = esc(row.id)
    decision = row.result.decision.value
    out = [f'<section class="doc bulletin" id="bulletin-{sid}" data-id="{sid}" data-decision="{decision}">',
           f"<h1>{esc(t('bulletin.card_title'))}</h1>",
           f'<p class="candidate"><strong>{esc(row.name or row.id)}</strong> ({sid})</p>',
           '<table class="subjects">',
           "<thead><tr>" + _th("bulletin.col.subject") + _th("col.unit") + _th("bulletin.col.average", True)
           + _th("bulletin.col.counted", True) + _th("bulletin.col.class_mean", True) + "</tr></thead>", "<tbody>"]
    for subject in report.subjects:
        a = row.averages[subject.name]
        out.append(f'<tr data-subject="{esc(subject.name)}"><th scope="row">{esc(subject.name)}</th>'
                   f"<td>{esc(subject.unit)}</td>"
                   f'<td class="num average">{esc(number_text(a.value, report, d))}</td>'
                   f'<td class="num">{a.counted}/{a.counted + a.missing}</td>'
                   f'<td class="num">{esc(number_text(report.statistics[subject.name].mean, report, d))}</td></tr>')
    out += ["</tbody></table>", '<table class="units">',
            "<thead><tr>" + _th("col.unit") + _th("report.unit_name") + _th("bulletin.col.projected", True)
            + "</tr></thead>", "<tbody>"]
    grades = unit_grades(row)
    for code in report.units:
        out.append(f'<tr data-unit="{esc(code)}"><th scope="row">{esc(code)}</th><td>{esc(cur.unit(code).name)}</td>'
                   f'<td class="num grade">{esc(number_text(grades.get(code), report, d))}</td></tr>')
    out.append("</tbody></table>")
    facts = [(t("doc.average"), average_text(row.result.average, cur.rules, d) or "—", "average"),
             (t("doc.decision"), decision_label(row.result.decision), "decision")]
    if report.earlier:
        change = moved(report, row)
        facts.append((t("bulletin.progress"), f"{arrow(change)} {signed_text(change, d)}".strip() or "—", "progress"))
    out.append('<dl class="facts">' + "".join(f'<dt>{esc(label)}</dt><dd class="{css}">{esc(value)}</dd>'
                                              for label, value, css in facts) + "</dl>")
    out.append(f'<p class="issued">{esc(t("bulletin.issued", sheet=file_names(report.sources), version=__version__))}'
               "</p>")
    out.append("</section>")
    return out


def write_html(report: BulletinReport, out: TextIO) -> None:
    """One report card per student, in the bulletin's order."""
    title = t("bulletin.cards_title", diploma=report.curriculum.code)
    sections = [line for row in report.rows for line in _card(row, report)]
    body = sections or [f'<section class="doc"><h1>{esc(title)}</h1><p>{esc(t("doc.nobody"))}</p></section>']
    out.write("\n".join([*page_head(title, DOC_CSS), *body, "</body>", "</html>"]) + "\n")
