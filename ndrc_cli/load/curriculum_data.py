"""A Curriculum as plain JSON data and back, for the cache (cache.py).

The decoder accepts exactly the shapes the encoder writes (it checks every
type, and raises on anything else) and the values the YAML loader accepts
(`check`: bounded coefficients and weights, thresholds in range, rules naming
units that exist…); the cache also checks that the decoded curriculum encodes
back to the very same data. Exact numbers stay exact: an
int, or a fraction as [numerator, denominator].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..core.folding import fold, fold_header
from ..core.model import HUNDRED, Bloc, Curriculum, Domain, Mark, OptionalLimit, OptionalRule, Part, Rules, Unit
from ..core.numbers import parse_decimal


def _exact(value: int | Fraction) -> Any:
    return value if type(value) is int else [value.numerator, value.denominator]


def _from_exact(raw: Any) -> int | Fraction:
    if type(raw) is int:
        return raw
    numerator, denominator = raw
    if type(numerator) is not int or type(denominator) is not int or denominator <= 1:
        raise ValueError("not an exact number")
    return Fraction(numerator, denominator)


def _text(raw: Any) -> str:
    if type(raw) is not str:
        raise TypeError("expected text")
    return raw


def _texts(raw: Any) -> tuple[str, ...]:
    if type(raw) is not list:
        raise TypeError("expected a list")
    return tuple(_text(item) for item in raw)


def _flag(raw: Any) -> bool:
    if type(raw) is not bool:
        raise TypeError("expected a boolean")
    return raw


def _whole(raw: Any) -> int:
    if type(raw) is not int:
        raise TypeError("expected a whole number")
    return raw


def to_data(c: Curriculum) -> dict[str, Any]:
    r = c.rules
    return {
        "code": c.code, "name": c.name, "source": c.source,
        "units": [[u.code, u.unit_id, u.name, u.domain.value,
                   None if u.coefficient is None else _exact(u.coefficient), u.dispensable, u.bloc, u.form,
                   u.duration, list(u.aliases),
                   [[p.code, p.name, p.weight, list(p.aliases), p.form, p.duration] for p in u.parts]]
                  for u in c.units],
        "blocs": [[b.id, b.name] for b in c.blocs],
        "rules": [_exact(r.pass_threshold), _exact(r.controle_min), _exact(r.professional_threshold),
                  list(r.professional_units), list(r.oral_units), r.max_orals,
                  [_exact(r.optional.counts_above), r.optional.multiply_by_coefficient, r.optional.add_to_divisor],
                  r.validity_years,
                  None if r.optional_limit is None
                  else [r.optional_limit.max_units, list(r.optional_limit.outside)]],
        "markers": [[mark.value, list(spellings)] for mark, spellings in c.markers],
        "programme": c.programme,
        "renounce": list(c.renounce),
        "citations": [list(citation) for citation in c.citations],
    }


def from_data(raw: Any) -> Curriculum:
    if type(raw) is not dict or set(raw) != {"code", "name", "source", "units", "blocs", "rules", "markers",
                                            "programme", "renounce", "citations"}:
        raise ValueError("not a curriculum")
    units = []
    for code, unit_id, name, domain, coefficient, dispensable, bloc, form, duration, aliases, parts in raw["units"]:
        units.append(Unit(
            _text(code), _text(unit_id), _text(name), Domain(domain),
            None if coefficient is None else _from_exact(coefficient), _flag(dispensable),
            None if bloc is None else _text(bloc), _text(form), _text(duration), _texts(aliases),
            tuple(Part(_text(p_code), _text(p_name), _whole(weight), _texts(p_aliases), _text(p_form),
                       _text(p_duration))
                  for p_code, p_name, weight, p_aliases, p_form, p_duration in parts)))
    (pass_threshold, controle_min, professional_threshold, professional_units, oral_units, max_orals,
     (above, multiply, add_to_divisor), validity, raw_limit) = raw["rules"]
    limit = None
    if raw_limit is not None:
        max_units, outside = raw_limit
        limit = OptionalLimit(_whole(max_units), _texts(outside))
    rules = Rules(_from_exact(pass_threshold), _from_exact(controle_min), _from_exact(professional_threshold),
                  _texts(professional_units), _texts(oral_units), _whole(max_orals),
                  OptionalRule(_from_exact(above), _flag(multiply), _flag(add_to_divisor)), _whole(validity),
                  limit)
    programme = raw["programme"]
    if programme is not None and type(programme) is not dict:
        raise TypeError("expected the programme section")
    return check(Curriculum(
        code=_text(raw["code"]), name=_text(raw["name"]), units=tuple(units),
        blocs=tuple(Bloc(_text(i), _text(n)) for i, n in raw["blocs"]), rules=rules,
        markers=tuple((Mark(mark), _texts(spellings)) for mark, spellings in raw["markers"]),
        source=_text(raw["source"]), programme=programme, renounce=_texts(raw["renounce"]),
        citations=tuple((_text(about), _text(text), _text(confidence)) for about, text, confidence in raw["citations"]),
    ))


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(what)


def check(c: Curriculum) -> Curriculum:
    """`c`, if the YAML loader (curriculum.py) could have returned it; else raise ValueError.

    The same bounds as the loader's, restated on the records: data read back
    from the cache is trusted no further than a curriculum.yaml would be."""
    from .curriculum import _DATE_SHAPE, PROGRAMME_SCHEMA

    def grade(value: Any) -> bool:  # a threshold: hundredths, 0 to 20
        return type(value) is int and 0 <= value <= 20 * HUNDRED

    _require(bool(c.units), "no units")
    bloc_ids = [b.id for b in c.blocs]
    _require(len(set(bloc_ids)) == len(bloc_ids), "duplicate bloc")
    labels: set[str] = set()

    def claim(label: str) -> None:
        key = fold_header(label)
        _require(key not in labels, "duplicate code or alias")
        labels.add(key)

    for u in c.units:
        _require(bool(fold_header(u.code)), "empty code")
        claim(u.code)
        for alias in u.aliases:
            claim(alias)
        if u.coefficient is None:
            _require(u.domain is Domain.OPTIONAL, "coefficient required")
        else:
            hundredths = u.coefficient * HUNDRED
            _require(0 < hundredths <= 100 * HUNDRED and Fraction(hundredths).denominator == 1, "coefficient range")
        _require(not (u.domain is Domain.PROFESSIONAL and u.dispensable), "professional unit dispensable")
        _require(u.bloc is None or u.bloc in bloc_ids, "unknown bloc")
        _require(len(u.parts) != 1, "one part")
        for p in u.parts:
            claim(p.code)
            for alias in p.aliases:
                claim(alias)
            _require(1 <= p.weight <= 100, "part weight range")
    _require(not all(u.dispensable or not u.mandatory for u in c.units), "all units dispensable")

    r = c.rules
    by_code = {u.code: u for u in c.units}
    _require(grade(r.pass_threshold) and grade(r.controle_min) and grade(r.professional_threshold)
             and grade(r.optional.counts_above), "threshold range")
    _require(r.controle_min <= r.pass_threshold, "controle above pass")
    _require(all(code in by_code and by_code[code].mandatory for code in r.professional_units),
             "professional units")
    _require(all(code in by_code and by_code[code].domain is Domain.GENERAL for code in r.oral_units), "oral units")
    _require(r.max_orals >= 1 and r.validity_years >= 1, "counts range")
    if r.optional.multiply_by_coefficient or r.optional.add_to_divisor:
        _require(all(u.mandatory or u.coefficient is not None for u in c.units), "optional coefficient")
    if r.optional_limit is not None:
        limit = r.optional_limit
        _require(1 <= limit.max_units <= 100, "optional limit range")
        _require(len(set(limit.outside)) == len(limit.outside)
                 and all(code in by_code and not by_code[code].mandatory for code in limit.outside),
                 "units outside the optional limit")
        _require(any(not u.mandatory and u.code not in limit.outside for u in c.units), "optional limit units")
        _require(not r.optional.add_to_divisor, "optional limit and divisor")

    seen: set[str] = set()
    effects = [mark for mark, _ in c.markers]
    _require(len(set(effects)) == len(effects), "duplicate effect")
    for spellings in (*(s for _, s in c.markers), c.renounce):
        for spelling in spellings:
            key = fold(spelling)
            _require(bool(key) and parse_decimal(key) is None and key not in seen, "marker")
            seen.add(key)

    def shape(value: Any, schema: Any) -> bool:
        if schema == "text":
            return type(value) is str
        if schema == "date":
            return type(value) is str and _DATE_SHAPE.match(value) is not None
        if schema == "whole number":
            return type(value) is int and value >= 0
        if schema == "texts":
            return type(value) is list and all(type(item) is str for item in value)
        if isinstance(schema, tuple):  # ("map", X): unit codes to X; ("by_subject", X): subjects to X
            keys = by_code if schema[0] == "map" else subjects
            return type(value) is dict and all(k in keys and shape(v, schema[1]) for k, v in value.items())
        if isinstance(schema, list):
            return type(value) is list and all(shape(item, schema[0]) for item in value)
        return type(value) is dict and all(k in schema and shape(v, schema[k]) for k, v in value.items())

    listed = (c.programme or {}).get("subjects")
    subjects = {s for names in listed.values() if type(names) is list for s in names} if type(listed) is dict else set()
    _require(c.programme is None or shape(c.programme, PROGRAMME_SCHEMA), "programme")
    return c
