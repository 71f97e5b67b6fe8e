"""One candidate's attestation of acquired blocs (Markdown), for a candidate
who is not admis (reglement.md §6, D643-15)."""

from __future__ import annotations

from typing import TextIO

from ..i18n import decimal_separator, t
from ..model import Curriculum, Decision, StudentResult
from ..numbers import format_exact
from .markdown import _cell


def write_attestation(result: StudentResult, curriculum: Curriculum, session: int | None, out: TextIO) -> None:
    d = decimal_separator()
    s = result.student
    title = t("att.title")
    out.write(f"# {title}\n\n")
    name = f"{_cell(s.id)} — {_cell(s.name)}" if s.name else _cell(s.id)
    fields = [(t("att.candidate"), name), (t("att.diploma"), f"{_cell(curriculum.code)} – {_cell(curriculum.name)}")]
    if session is not None:
        fields.append((t("att.session"), str(session)))
    fields.append((t("col.decision"), _cell(t("decision." + result.decision.value))))
    out.write("".join(f"- **{label}**: {value}\n" for label, value in fields) + "\n")
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
        out.write(f"| {_cell(b.bloc)} {_cell(b.name)} | {_cell(b.unit)} | {format_exact(b.grade, d)} | {until} |\n")
    kept = dict(result.kept)
    if kept:
        out.write("\n" + t("att.kept", units=", ".join(f"{code} ({year})" for code, year in kept.items())) + "\n")
