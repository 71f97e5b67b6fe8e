"""`ndrc programme`: the programme and exam table as renderer-neutral blocks.

One builder turns the curriculum into a list of blocks (headings, fields,
lists, tables, trees); `render/programme.py` prints them with Rich or as
Markdown, and `programme_json` gives the structured data itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.model import Curriculum, Exact, Unit
from ..core.numbers import div_half_up, format_coefficient, format_exact, json_number
from ..i18n import decimal_separator, t, tn
from .programme_sections import OVERVIEW, SECTIONS

SCHEMA = "ndrc/programme/v1"


@dataclass(frozen=True)
class Block:
    """kind: heading | fields | list | table | tree | note | text."""

    kind: str
    title: str = ""
    rows: tuple[Any, ...] = ()
    headers: tuple[str, ...] = ()
    children: tuple[Block, ...] = field(default_factory=tuple)


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def exam_form(unit: Unit) -> str:
    """'Écrite – 3 h', or each part's for a unit graded in parts."""
    if unit.parts:
        return ", ".join(" – ".join(x for x in (p.form, p.duration) if x) for p in unit.parts)
    return " – ".join(x for x in (unit.form, unit.duration) if x)


def mandatory_total(curriculum: Curriculum) -> Fraction:
    return sum((Fraction(u.coefficient or 0) for u in curriculum.mandatory_units), Fraction(0))


def citation(curriculum: Curriculum, about: str) -> tuple[str, str]:
    """(source, confidence) the curriculum gives for `about` ("" when none)."""
    for what, source, confidence in curriculum.citations:
        if what == about:
            return source, confidence
    return "", ""


def texts(curriculum: Curriculum, abouts: list[str]) -> list[str]:
    """The distinct texts cited for `abouts`, in order (a source lists them with "; ")."""
    seen: dict[str, None] = {}
    for about in abouts:
        for text in citation(curriculum, about)[0].split("; "):
            if text:
                seen.setdefault(text, None)
    return list(seen)


def exams(curriculum: Curriculum) -> list[dict[str, Any]]:
    """The exam table, from the units (never repeated in the YAML)."""
    total = mandatory_total(curriculum)
    subjects = (curriculum.programme or {}).get("subjects") or {}
    rows = []
    for u in curriculum.units:
        source, confidence = citation(curriculum, u.code)
        weighted = u.mandatory or curriculum.rules.optional.multiply_by_coefficient
        rows.append(
            {
                "code": u.code,
                "unit": u.unit_id,
                "name": u.name,
                "domain": u.domain.value,
                "coefficient": (int(u.coefficient) if Fraction(u.coefficient).denominator == 1
                                else float(u.coefficient)) if u.coefficient is not None and weighted else None,
                "share": (float(round(Fraction(u.coefficient) / total, 4))
                          if u.mandatory and u.coefficient is not None and total else None),
                "counts": "coefficient" if u.mandatory else "points_above",
                "form": exam_form(u),
                "parts": [{"code": p.code, "name": p.name, "weight": p.weight, "form": p.form,
                           "duration": p.duration} for p in u.parts],
                "subjects": list(subjects.get(u.code) or []),
                "bloc": u.bloc,
                "dispensable": u.dispensable,
                "source": source,
                "confidence": confidence,
            }
        )
    return rows


def programme_json(curriculum: Curriculum) -> dict[str, Any]:
    rules = curriculum.rules
    return {
        "schema": SCHEMA,
        "diploma": {"code": curriculum.code, "name": curriculum.name},
        "source": curriculum.source,
        "programme": curriculum.programme,
        "exams": exams(curriculum),
        "total_coefficient": int(mandatory_total(curriculum)),
        "blocs": [{"id": b.id, "name": b.name,
                   "units": [u.code for u in curriculum.units if u.bloc == b.id]} for b in curriculum.blocs],
        "rules": {
            "pass_threshold": json_number(div_half_up(rules.pass_threshold, 1)),
            "controle_min": json_number(div_half_up(rules.controle_min, 1)),
            "professional_threshold": json_number(div_half_up(rules.professional_threshold, 1)),
            "professional_units": list(rules.professional_units),
            "optional_counts_above": json_number(div_half_up(rules.optional.counts_above, 1)),
            "optional_limit": None if rules.optional_limit is None else {
                "max_units": rules.optional_limit.max_units,
                "outside_limit": list(rules.optional_limit.outside)},
            "validity_years": rules.validity_years,
        },
        "sources": [{"about": about, "source": source, "confidence": confidence}
                    for about, source, confidence in curriculum.citations],
    }


# -- blocks -------------------------------------------------------------------------


def _fields(pairs: list[tuple[str, str]]) -> Block:
    return Block("fields", rows=tuple((k, v) for k, v in pairs if v))


def _sources(c: Curriculum, abouts: list[str], full: bool) -> list[Block]:
    """A section's "Texts" line, and what the texts leave uncertain (full view only)."""
    cited = texts(c, abouts)
    if not full or not cited:
        return []
    blocks = [_fields([(t("prog.texts"), "; ".join(cited))])]
    doubts = tuple(t("text.labelled", label=about, text=confidence)
                   for about in abouts for confidence in [citation(c, about)[1]] if confidence)
    if doubts:
        blocks.append(Block("list", t("prog.confidence"), rows=doubts))
    return blocks


def _identity(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    return [
        Block("heading", p.get("title") or f"{c.code} – {c.name}"),
        _fields([
            (t("prog.diploma"), f"{c.code} – {c.name}"),
            (t("prog.rncp"), p.get("rncp") or ""),
            (t("prog.certifier"), p.get("certifier") or ""),
            (t("prog.registered"), _date(p.get("registered"))),
            (t("prog.objective"), p.get("objective") or "" if full else ""),
        ]),
        *_sources(c, ["diploma"], full),
    ]


def _organisation(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    rhythm = p.get("rhythm") or {}
    duration = ""
    if p.get("hours"):
        duration = t("prog.hours", hours=p["hours"], years=p.get("years") or "?")
    dates = t("prog.dates", start=_date(p.get("start")), end=_date(p.get("end"))) if p.get("start") else ""
    pace = ""
    if rhythm.get("company_days") is not None:
        pace = t("prog.rhythm_days", company=rhythm["company_days"], school=rhythm.get("school_days", "?"))
    return [
        Block("heading", t("section.organisation")),
        _fields([
            (t("prog.duration"), duration),
            (t("prog.dates_label"), dates),
            (t("prog.rhythm"), pace),
            (t("prog.contracts"), ", ".join(rhythm.get("contracts") or [])),
            (t("prog.place"), p.get("place") or ""),
            (t("prog.remote"), p.get("remote") or "" if full else ""),
            (t("prog.accessibility"), p.get("accessibility") or "" if full else ""),
        ]),
    ]


def _admission(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    return [
        Block("heading", t("section.admission")),
        _fields([
            (t("prog.prerequisites"), p.get("prerequisites") or ""),
            (t("prog.equipment"), p.get("equipment") or ""),
            (t("prog.funding"), p.get("funding") or ""),
        ]),
        Block("list", t("prog.admission_steps"), rows=tuple(p.get("admission") or ()), headers=("numbered",)),
    ]


def _teaching(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    teaching = p.get("teaching") or {}
    return [
        Block("heading", t("section.teaching")),
        Block("list", t("prog.means"), rows=tuple(teaching.get("means") or ())),
        _fields([(t("prog.follow_up"), teaching.get("follow_up") or "")]),
    ]


def _assessment(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    a = p.get("assessment") or {}
    return [
        Block("heading", t("section.assessment")),
        Block("list", t("prog.evaluation"), rows=tuple(a.get("evaluation") or ())),
        Block("list", t("prog.tracking"), rows=tuple(a.get("tracking") or ())),
    ]


def _exams(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    d = decimal_separator()
    total = mandatory_total(c)
    above = format_exact(c.rules.optional.counts_above, d).removesuffix(f"{d}00")  # 10, not 10.00
    rows = []
    for e, u in zip(exams(c), c.units):
        if u.mandatory and u.coefficient is not None:
            coef = format_coefficient(u.coefficient, d)
            share = f"{format_exact(round(Fraction(u.coefficient) / total * 10000), d).rstrip('0').rstrip(d)} %"
        else:
            coef, share = t("prog.points_above", above=above), ""
        row = (f"{u.code} {u.name}", coef, share, e["form"], ", ".join(e["subjects"]))
        rows.append(row if full else row[:4])
    headers = (t("prog.col.exam"), t("prog.col.coef"), t("prog.col.share"), t("prog.col.form"), t("prog.col.subjects"))
    return [
        Block("heading", t("section.exams")),
        Block("table", rows=tuple(rows), headers=headers if full else headers[:4]),
        Block("note", t("prog.total", total=format_coefficient(total if total.denominator != 1 else int(total), d))),
        *_sources(c, [u.code for u in c.units], full),
    ]


def _result(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    d = decimal_separator()
    r = c.rules
    optional = ", ".join(u.code for u in c.units if not u.mandatory)

    def num(value: Exact) -> str:
        return format_exact(value, d).removesuffix(f"{d}00")

    lines = [t("prog.result_average", total=format_coefficient(int(mandatory_total(c)), d),
               optional=optional or "—", above=num(r.optional.counts_above))]
    limit = r.optional_limit
    if limit is not None:
        limited = ", ".join(u.code for u in c.units if not u.mandatory and u.code not in limit.outside)
        outside = t("prog.optional_outside", units=", ".join(limit.outside)) if limit.outside else ""
        lines.append(tn("prog.optional_limit", limit.max_units, units=limited, outside=outside))
    lines.append(t("prog.result_decision", passed=num(r.pass_threshold), low=num(r.controle_min),
                   pro=num(r.professional_threshold), units=", ".join(r.professional_units)))
    return [Block("heading", t("section.result")), Block("text", rows=tuple(lines)),
            *_sources(c, ["rules", "rules.controle", "rules.optional", "rules.optional_limit"], full)]


def _blocs(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    rows = tuple(
        f"{b.id} {b.name} ({', '.join(u.code for u in c.units if u.bloc == b.id)})" for b in c.blocs
    )
    return [Block("heading", t("section.blocs")), Block("list", rows=rows),
            Block("note", t("prog.blocs_note", years=c.rules.validity_years))]


def _competences(items: list[dict[str, Any]]) -> tuple[Block, ...]:
    return tuple(Block("tree", comp["name"], rows=tuple(comp.get("items") or ())) for comp in items)


def bloc_tree(c: Curriculum, bloc: dict[str, Any]) -> Block:
    names = c.bloc_names
    units = ", ".join(u.code for u in c.units if u.bloc == bloc["bloc"])
    competences = Block("tree", t("prog.competences"), children=_competences(bloc.get("competences") or []))
    knowledge = Block("tree", t("prog.knowledge"), children=tuple(
        Block("tree", area["area"], rows=tuple(area.get("items") or ())) for area in bloc.get("knowledge") or []
    ))
    title = f"{bloc['bloc']} {names.get(bloc['bloc'], '')} ({units})"
    return Block("tree", title, children=(competences, knowledge) if knowledge.children else (competences,))


def _content(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    content = p.get("content") or {}
    blocks = [Block("heading", t("section.content"))]
    for subject in content.get("general") or []:
        title = f"{subject['subject']} ({subject['unit']})" if subject.get("unit") else subject["subject"]
        blocks.append(Block("tree", title, children=_competences(subject.get("competences") or [])))
    for bloc in content.get("blocs") or []:
        blocks.append(bloc_tree(c, bloc))
    return blocks


def _careers(c: Curriculum, p: dict[str, Any], full: bool = True) -> list[Block]:
    return [Block("heading", t("section.careers")), Block("list", rows=tuple(p.get("careers") or ()))]


_BUILDERS = {
    "identity": _identity,
    "organisation": _organisation,
    "admission": _admission,
    "teaching": _teaching,
    "assessment": _assessment,
    "exams": _exams,
    "result": _result,
    "blocs": _blocs,
    "content": _content,
    "careers": _careers,
}
#: Sections that exist without a programme section in the curriculum.
_FROM_UNITS = {"identity", "exams", "result", "blocs"}


def build_blocks(curriculum: Curriculum, sections: tuple[str, ...], full: bool = True) -> list[Block]:
    """The blocks of `sections`; `full=False` is the one-screen overview."""
    p = curriculum.programme
    blocks: list[Block] = []
    if p is None:
        blocks.append(Block("note", t("prog.no_programme")))
    for name in sections:
        if p is None and name not in _FROM_UNITS:
            continue
        blocks.extend(_BUILDERS[name](curriculum, p or {}, full))
    return blocks


def find_bloc(curriculum: Curriculum, wanted: str) -> dict[str, Any] | None:
    """`--bloc 1` or `--bloc B1`: the content of that professional bloc;
    `--bloc BG1`: the general subject whose unit acquires that bloc."""
    p = curriculum.programme or {}
    content = p.get("content") or {}
    key = wanted.strip().upper()
    for i, bloc in enumerate(content.get("blocs") or [], 1):
        if key in (str(i), bloc["bloc"].upper()):
            return bloc  # type: ignore[no-any-return]
    bloc_of = {u.code: u.bloc for u in curriculum.units if u.bloc}
    for subject in content.get("general") or []:
        bloc_id = bloc_of.get(subject.get("unit", ""))
        if bloc_id and bloc_id.upper() == key:
            return {"bloc": bloc_id, "competences": subject.get("competences") or [], "knowledge": []}
    return None


__all__ = ["Block", "OVERVIEW", "SECTIONS", "build_blocks", "find_bloc", "programme_json"]
