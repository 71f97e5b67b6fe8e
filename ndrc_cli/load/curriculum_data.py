"""A Curriculum as plain JSON data and back, for the cache (cache.py).

The decoder accepts exactly the shapes the encoder writes (it checks every
type, and raises on anything else); the cache also checks that the decoded
curriculum encodes back to the very same data. Exact numbers stay exact: an
int, or a fraction as [numerator, denominator].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..core.model import Bloc, Curriculum, Domain, Mark, OptionalRule, Part, Rules, Unit


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
                  r.validity_years],
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
     (above, multiply, add_to_divisor), validity) = raw["rules"]
    rules = Rules(_from_exact(pass_threshold), _from_exact(controle_min), _from_exact(professional_threshold),
                  _texts(professional_units), _texts(oral_units), _whole(max_orals),
                  OptionalRule(_from_exact(above), _flag(multiply), _flag(add_to_divisor)), _whole(validity))
    programme = raw["programme"]
    if programme is not None and type(programme) is not dict:
        raise TypeError("expected the programme section")
    return Curriculum(
        code=_text(raw["code"]), name=_text(raw["name"]), units=tuple(units),
        blocs=tuple(Bloc(_text(i), _text(n)) for i, n in raw["blocs"]), rules=rules,
        markers=tuple((Mark(mark), _texts(spellings)) for mark, spellings in raw["markers"]),
        source=_text(raw["source"]), programme=programme, renounce=_texts(raw["renounce"]),
        citations=tuple((_text(about), _text(text), _text(confidence)) for about, text, confidence in raw["citations"]),
    )
