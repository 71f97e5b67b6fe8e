"""The attestation of acquired blocs (D643-15) as Markdown, for a candidate
who is not admis; `ndrc attestation -f markdown` (HTML: documents.py)."""

from __future__ import annotations

from typing import TextIO

from ..core.model import Curriculum, Decision, StudentResult
from ..i18n import decimal_separator, labelled, t
from .common import grade_text, md_escape


def write_attestation(result: StudentResult, curriculum: Curriculum, session: int | None, out: TextIO) -> None:
    d = decimal_separator()
    s = result.student
    title = t("att.title")
    out.write(f"# {title}\n\n")
    name = f"{md_escape(s.id)} — {md_escape(s.name)}" if s.name else md_escape(s.id)
    diploma = f"{md_escape(curriculum.code)} – {md_escape(curriculum.name)}"
    fields = [(t("doc.candidate"), name), (t("att.diploma"), diploma)]
    if session is not None:
        fields.append((t("att.session"), str(session)))
    fields.append((t("col.decision"), md_escape(t("decision." + result.decision.value))))
    out.write("".join(f"- {labelled(f'**{label}**', value)}\n" for label, value in fields) + "\n")
    if result.decision is Decision.ADMIS:
        out.write(t("att.admis") + "\n")
        return
    if not result.blocs:
        out.write(t("att.none") + "\n")
        return
    out.write(t("att.intro", years=curriculum.rules.validity_years) + "\n\n")
    headers = (t("att.bloc"), t("col.unit"), t("att.grade"), t("att.valid_until"))
    out.write("| " + " | ".join(headers) + " |\n")
    out.write("|---|---|---:|---:|\n")
    for b in result.blocs:
        until = str(b.valid_until) if b.valid_until else "—"
        cells = (f"{md_escape(b.bloc)} {md_escape(b.name)}", md_escape(b.unit),
                 grade_text(b.grade, curriculum.rules, d), until)
        out.write("| " + " | ".join(cells) + " |\n")
    kept = dict(result.kept)
    if kept:
        out.write("\n" + t("att.kept", units=", ".join(f"{code} ({year})" for code, year in kept.items())) + "\n")


def write_attestations(results: list[StudentResult], curriculum: Curriculum, session: int | None,
                       out: TextIO) -> None:
    """Several candidates' attestations, one after the other, with a rule between."""
    for i, result in enumerate(results):
        if i:
            out.write("\n---\n\n")
        write_attestation(result, curriculum, session, out)
