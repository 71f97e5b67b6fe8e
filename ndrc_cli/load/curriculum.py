"""curriculum.yaml -> Curriculum, refusing anything doubtful with file:line.

PyYAML's `safe_load` silently keeps the last of duplicate keys, reads `no` as
False and `010` as 8. So we *compose* the node tree (which keeps line numbers)
and read each scalar ourselves, by the type the schema expects.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from ..core.errors import Diagnostic, InputError, NdrcError
from ..core.folding import fold, fold_header
from ..core.model import (
    HUNDRED,
    Bloc,
    Curriculum,
    Domain,
    Exact,
    Mark,
    Number,
    OptionalLimit,
    OptionalRule,
    Part,
    Rules,
    Unit,
)
from ..core.numbers import MAX_DIGITS, parse_decimal
from ..i18n import os_reason, quoted, t

SCHEMA = "ndrc/curriculum/v1"
ENV_VAR = "NDRC_CURRICULUM"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"

#: marker effects, as written in the `markers` section
_EFFECTS = {
    "missing": Mark.MISSING,
    "absent": Mark.ABSENT,
    "justified": Mark.JUSTIFIED,
    "exempt": Mark.EXEMPT,
}

T = TypeVar("T")


class _Skip(Exception):
    """A value was wrong and reported; abandon the enclosing item."""


class _Reader:
    """Walks the YAML node tree, collecting every problem as a Diagnostic."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Diagnostic] = []
        #: every unit code read, even of a unit refused for another reason, so
        #: that rules naming it do not add a second, misleading error
        self.declared: set[str] = set()
        #: (what, source, confidence) as the curriculum cites its texts
        self.citations: list[tuple[str, str, str]] = []

    def error(self, node: Any, message: str, /, **values: object) -> None:
        self.problems.append(Diagnostic(self.path, node.start_mark.line + 1, None, t(message, **values)))

    def fail(self, node: Any, message: str, /, **values: object) -> _Skip:
        self.error(node, message, **values)
        return _Skip()

    def cite(self, m: dict[str, Any], about: str) -> None:
        """A mapping's `source:` (the text, article, date) and `confidence:`
        (where the texts are silent or contradict each other), kept beside the fact."""
        source = _attempt(lambda: self.string(m["source"], f"{about}.source")) if "source" in m else None
        confidence = (_attempt(lambda: self.string(m["confidence"], f"{about}.confidence"))
                      if "confidence" in m else None)
        if source or confidence:
            self.citations.append((about, source or "", confidence or ""))

    # -- structure ---------------------------------------------------------

    def mapping(
        self, node: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, "cur.expected_mapping", where=where)
        allowed = set(required) | set(optional)
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "cur.bad_key", where=where)
                continue
            key = key_node.value
            if key in seen:
                self.error(key_node, "cur.duplicate_key", key=key, line=seen[key][0].start_mark.line + 1)
            elif key not in allowed:
                self.error(
                    key_node, "cur.unknown_key", key=key, where=where, allowed=", ".join(sorted(allowed))
                )
            else:
                seen[key] = (key_node, value_node)
        for key in required:
            if key not in seen:
                self.error(node, "cur.missing_key", key=key, where=where)
        return {k: v[1] for k, v in seen.items()}

    def sequence(self, node: Any, where: str) -> list[Any]:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "cur.expected_list", where=where)
        return list(node.value)

    def scalar(self, node: Any, where: str) -> Any:
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, "cur.expected_scalar", where=where)
        return node

    # -- typed scalars -----------------------------------------------------

    def string(self, node: Any, where: str) -> str:
        node = self.scalar(node, where)
        if not node.style and node.tag != _STR:
            # A plain `no`, `1.0` or `2018-02-19` that safe_load would turn into
            # a boolean, number or date: make the author say what they mean.
            raise self.fail(node, "cur.mistyped_string", where=where, value=node.value)
        return str(node.value)

    def boolean(self, node: Any, where: str) -> bool:
        node = self.scalar(node, where)
        if not node.style and node.value in ("true", "false"):
            return bool(node.value == "true")
        raise self.fail(node, "cur.expected_bool", where=where, value=node.value)

    def integer(self, node: Any, where: str, minimum: int | None = None, maximum: int | None = None) -> int:
        node = self.scalar(node, where)
        text = node.value
        digits = text.lstrip("+-")
        if (node.style or node.tag != _INT or not digits.isascii() or not digits.isdigit()
                or len(digits) > MAX_DIGITS):
            raise self.fail(node, "cur.expected_int", where=where, value=text)
        if len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0"):
            raise self.fail(node, "cur.leading_zero", where=where, value=text)
        value = int(text)
        if minimum is not None and value < minimum:
            raise self.fail(node, "cur.too_small", where=where, value=text, minimum=minimum)
        if maximum is not None and value > maximum:
            raise self.fail(node, "cur.too_large", where=where, value=text, maximum=maximum)
        return value

    def number(self, node: Any, where: str) -> Exact:
        """An exact decimal, returned in hundredths."""
        node = self.scalar(node, where)
        text = node.value
        value = parse_decimal(text) if not node.style and node.tag in (_INT, _FLOAT) else None
        if value is None or "," in text:
            raise self.fail(node, "cur.expected_number", where=where, value=text)
        digits = text.lstrip("+-").split(".")[0]
        if len(digits) > 1 and digits.startswith("0"):
            raise self.fail(node, "cur.leading_zero", where=where, value=text)
        return value

    def grade(self, node: Any, where: str) -> Exact:
        value = self.number(node, where)
        if not 0 <= value <= 20 * HUNDRED or type(value) is not int:  # a threshold has at most two decimals
            raise self.fail(node, "cur.grade_range", where=where, value=node.value)
        return value

    def strings(self, node: Any, where: str) -> list[str]:
        out = []
        for item in self.sequence(node, where):
            try:
                out.append(self.string(item, where))
            except _Skip:
                pass
        return out


def _attempt(fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except _Skip:
        return None


def _hundredths_to_number(value: Exact) -> Number:
    """A coefficient is a plain number: 300 hundredths -> 3."""
    f = Fraction(value) / HUNDRED
    return f.numerator if f.denominator == 1 else f


def parse_curriculum(text: str, path: str, source: str | None = None) -> Curriculum:
    """Parse and validate curriculum YAML; raise InputError listing every problem."""
    import yaml

    r = _Reader(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # Anchors and aliases first, from the events (linear in the text): a
        # few KB of nested aliases expand into gigabytes when composed.
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise InputError([Diagnostic(path, line, None, t("cur.alias"))])
        root = yaml.compose(text, Loader=loader)
    except yaml.reader.ReaderError as exc:  # a NUL or another character YAML forbids
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        at = text.find(char)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 0
        raise InputError([Diagnostic(path, line, None, t("cur.yaml_syntax", problem=quoted(exc.reason)))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        diagnostic = Diagnostic(path, line, None, t("cur.yaml_syntax", problem=quoted(exc.problem or exc)))
        raise InputError([diagnostic]) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        raise InputError([Diagnostic(path, 0, None, t("cur.yaml_syntax", problem=quoted(exc)))]) from None
    if root is None:
        raise InputError([Diagnostic(path, 0, None, t("cur.empty"))])

    try:
        top = r.mapping(
            root, "curriculum", ("diploma", "units", "rules", "markers"), ("schema", "blocs", "programme")
        )
    except _Skip:
        raise InputError(r.problems) from None

    if "schema" in top:
        schema = _attempt(lambda: r.string(top["schema"], "schema"))
        if schema is not None and schema != SCHEMA:
            r.error(top["schema"], "cur.bad_schema", value=schema, expected=SCHEMA)

    code = name = ""
    if "diploma" in top:
        diploma = _attempt(lambda: r.mapping(top["diploma"], "diploma", ("code", "name"), CITATION))
        if diploma:
            r.cite(diploma, "diploma")
            code = _attempt(lambda: r.string(diploma["code"], "diploma.code")) or "" if "code" in diploma else ""
            name = _attempt(lambda: r.string(diploma["name"], "diploma.name")) or "" if "name" in diploma else ""

    blocs = _read_blocs(r, top.get("blocs"))
    units = _read_units(r, top.get("units"), {b.id for b in blocs})
    rules = _read_rules(r, top.get("rules"), units)
    markers, renounce = _read_markers(r, top.get("markers"))
    programme = None
    if "programme" in top:
        programme = _try_structure(r, top["programme"], PROGRAMME_SCHEMA, "programme")
        if not isinstance(programme, dict):
            programme = None
        else:
            _check_programme_refs(r, top["programme"], programme, r.declared, {b.id for b in blocs})

    if r.problems:
        raise InputError(sorted(r.problems, key=lambda d: d.line))
    return Curriculum(
        code=code,
        name=name,
        units=tuple(units),
        blocs=tuple(blocs),
        rules=rules,  # type: ignore[arg-type]  # not None when there are no problems
        markers=tuple(markers),
        source=source or path,
        programme=programme,
        renounce=renounce,
        citations=tuple(r.citations),
    )


def _read_blocs(r: _Reader, node: Any) -> list[Bloc]:
    blocs: list[Bloc] = []
    if node is None:
        return blocs
    seen: dict[str, int] = {}
    for item in _attempt(lambda: r.sequence(node, "blocs")) or []:
        try:
            m = r.mapping(item, "blocs[]", ("id", "name"))
            bloc = Bloc(r.string(m["id"], "blocs[].id"), r.string(m["name"], "blocs[].name"))
        except (_Skip, KeyError):
            continue
        if bloc.id in seen:
            r.error(item, "cur.duplicate_bloc", id=bloc.id, line=seen[bloc.id])
            continue
        seen[bloc.id] = item.start_mark.line + 1
        blocs.append(bloc)
    return blocs


_UNIT_REQUIRED = ("code", "unit", "name", "domain", "dispensable")
#: Any fact-bearing mapping may cite its text (docs/rules.md lists them all).
CITATION = ("source", "confidence")
_UNIT_OPTIONAL = ("coefficient", "bloc", "form", "duration", "aliases", "parts", *CITATION)


def _read_units(r: _Reader, node: Any, bloc_ids: set[str]) -> list[Unit]:
    units: list[Unit] = []
    if node is None:
        return units
    items = _attempt(lambda: r.sequence(node, "units")) or []
    if not items:
        r.error(node, "cur.no_units")
    names: dict[str, int] = {}  # folded code or alias -> line, to refuse clashes

    def claim(label: str, at: Any) -> None:
        key = fold_header(label)
        if key in names:
            r.error(at, "cur.duplicate_code", code=label, line=names[key])
        else:
            names[key] = at.start_mark.line + 1

    for item in items:
        try:
            m = r.mapping(item, "units[]", _UNIT_REQUIRED, _UNIT_OPTIONAL)
            code = r.string(m["code"], "units[].code")
        except (_Skip, KeyError):
            continue
        where = f"units[{code}]"
        if not fold_header(code):
            r.error(m["code"], "cur.empty_code")
            continue
        claim(code, m["code"])
        r.declared.add(code)
        unit_id = _attempt(lambda: r.string(m["unit"], f"{where}.unit")) if "unit" in m else None
        name = _attempt(lambda: r.string(m["name"], f"{where}.name")) if "name" in m else None
        domain: Domain | None = None
        if "domain" in m:
            text = _attempt(lambda: r.string(m["domain"], f"{where}.domain"))
            try:
                domain = Domain(text)
            except ValueError:
                if text is not None:
                    r.error(m["domain"], "cur.bad_domain", value=text, allowed="general, professional, optional")
        dispensable = (
            _attempt(lambda: r.boolean(m["dispensable"], f"{where}.dispensable")) if "dispensable" in m else None
        )
        coefficient: Number | None = None
        if "coefficient" in m:
            value = _attempt(lambda: r.number(m["coefficient"], f"{where}.coefficient"))
            if value is not None:
                if value <= 0:
                    r.error(m["coefficient"], "cur.coefficient_positive", code=code, value=m["coefficient"].value)
                elif type(value) is not int or value > 100 * HUNDRED:
                    # The simulation draws in floats: a coefficient of 1e100 or
                    # with 19 decimals is no coefficient, and would overflow it.
                    r.error(m["coefficient"], "cur.coefficient_range", code=code, value=m["coefficient"].value)
                else:
                    coefficient = _hundredths_to_number(value)
        elif domain is not None and domain is not Domain.OPTIONAL:
            r.error(item, "cur.coefficient_required", code=code)
        if domain is Domain.PROFESSIONAL and dispensable:
            r.error(m["dispensable"], "cur.professional_dispensable", code=code)
        bloc = None
        if "bloc" in m:
            bloc = _attempt(lambda: r.string(m["bloc"], f"{where}.bloc"))
            if bloc is not None and bloc not in bloc_ids:
                r.error(m["bloc"], "cur.unknown_bloc", code=code, bloc=bloc)
        aliases = tuple(_attempt(lambda: r.strings(m["aliases"], f"{where}.aliases")) or ()) if "aliases" in m else ()
        for alias, alias_node in zip(aliases, m["aliases"].value if aliases else ()):
            claim(alias, alias_node)
        parts = _read_parts(r, m.get("parts"), where, claim)
        form = _attempt(lambda: r.string(m["form"], f"{where}.form")) or "" if "form" in m else ""
        duration = _attempt(lambda: r.string(m["duration"], f"{where}.duration")) or "" if "duration" in m else ""
        if code:
            r.cite(m, code)
        if unit_id is None or name is None or domain is None or dispensable is None:
            continue
        units.append(
            Unit(
                code=code,
                unit_id=unit_id,
                name=name,
                domain=domain,
                coefficient=coefficient,
                dispensable=dispensable,
                bloc=bloc,
                form=form,
                duration=duration,
                aliases=aliases,
                parts=parts,
            )
        )
    if units and all(u.dispensable or not u.mandatory for u in units):
        r.error(node, "cur.all_dispensable")
    return units


def _read_parts(r: _Reader, node: Any, where: str, claim: Callable[[str, Any], None]) -> tuple[Part, ...]:
    if node is None:
        return ()
    parts: list[Part] = []
    items = _attempt(lambda: r.sequence(node, f"{where}.parts")) or []
    if len(items) == 1:
        r.error(node, "cur.one_part", where=where)
    for item in items:
        try:
            m = r.mapping(item, f"{where}.parts[]", ("code", "name", "weight"), ("aliases", "form", "duration"))
            code = r.string(m["code"], f"{where}.parts[].code")
            claim(code, m["code"])
            name = r.string(m["name"], f"{where}.parts[].name")
            weight = r.integer(m["weight"], f"{where}.parts[].weight", minimum=1, maximum=100)
            aliases = tuple(r.strings(m["aliases"], f"{where}.parts[].aliases")) if "aliases" in m else ()
            for alias, alias_node in zip(aliases, m["aliases"].value if aliases else ()):
                claim(alias, alias_node)
            form = r.string(m["form"], f"{where}.parts[].form") if "form" in m else ""
            duration = r.string(m["duration"], f"{where}.parts[].duration") if "duration" in m else ""
        except (_Skip, KeyError):
            continue
        parts.append(Part(code, name, weight, aliases, form, duration))
    return tuple(parts)


def _read_rules(r: _Reader, node: Any, units: list[Unit]) -> Rules | None:
    if node is None:
        return None
    try:
        m = r.mapping(node, "rules", ("pass_threshold", "controle"),
                      ("optional", "optional_limit", "validity_years", *CITATION))
    except _Skip:
        return None
    r.cite(m, "rules")
    by_code = {u.code: u for u in units}

    def unit_list(value: Any, where: str, domain: Domain | None = None) -> tuple[str, ...]:
        codes = _attempt(lambda: r.strings(value, where)) or []
        for code, code_node in zip(codes, value.value):
            unit = by_code.get(code)
            if unit is None:
                if code not in r.declared:
                    r.error(code_node, "cur.rule_unknown_unit", where=where, code=code)
            elif domain is not None and unit.domain is not domain:
                r.error(code_node, "cur.rule_wrong_domain", where=where, code=code, domain=domain.value)
        return tuple(codes)

    pass_threshold = (
        _attempt(lambda: r.grade(m["pass_threshold"], "rules.pass_threshold")) if "pass_threshold" in m else None
    )
    controle_min = pro_threshold = None
    pro_units: tuple[str, ...] = ()
    oral_units: tuple[str, ...] = tuple(u.code for u in units if u.domain is Domain.GENERAL)
    max_orals = 2
    if "controle" in m:
        c = _attempt(
            lambda: r.mapping(
                m["controle"],
                "rules.controle",
                ("min_average", "professional_threshold", "professional_units"),
                ("oral_units", "max_orals", *CITATION),
            )
        )
        if c is not None:
            r.cite(c, "rules.controle")
            if "min_average" in c:
                controle_min = _attempt(lambda: r.grade(c["min_average"], "rules.controle.min_average"))
                if controle_min is not None and pass_threshold is not None and controle_min > pass_threshold:
                    r.error(c["min_average"], "cur.controle_above_pass")
            if "professional_threshold" in c:
                pro_threshold = _attempt(
                    lambda: r.grade(c["professional_threshold"], "rules.controle.professional_threshold")
                )
            if "professional_units" in c:
                pro_units = unit_list(c["professional_units"], "rules.controle.professional_units")
                for code, code_node in zip(pro_units, c["professional_units"].value):
                    if code in by_code and not by_code[code].mandatory:
                        r.error(code_node, "cur.rule_wrong_domain", where="rules.controle.professional_units",
                                code=code, domain="general/professional")
            if "oral_units" in c:
                oral_units = unit_list(c["oral_units"], "rules.controle.oral_units", Domain.GENERAL)
            if "max_orals" in c:
                max_orals = _attempt(lambda: r.integer(c["max_orals"], "rules.controle.max_orals", minimum=1)) or 2

    optional = OptionalRule(10 * HUNDRED, False, False)
    has_optional = any(not u.mandatory for u in units)
    if "optional" in m:
        o = _attempt(
            lambda: r.mapping(
                m["optional"], "rules.optional", ("counts_above", "multiply_by_coefficient", "add_to_divisor"),
                CITATION,
            )
        )
        if o is not None:
            r.cite(o, "rules.optional")
        if o is not None and all(k in o for k in ("counts_above", "multiply_by_coefficient", "add_to_divisor")):
            above = _attempt(lambda: r.grade(o["counts_above"], "rules.optional.counts_above"))
            multiply = _attempt(
                lambda: r.boolean(o["multiply_by_coefficient"], "rules.optional.multiply_by_coefficient")
            )
            divisor = _attempt(lambda: r.boolean(o["add_to_divisor"], "rules.optional.add_to_divisor"))
            if above is not None and multiply is not None and divisor is not None:
                optional = OptionalRule(above, multiply, divisor)
                if multiply or divisor:
                    for u in units:
                        if not u.mandatory and u.coefficient is None:
                            r.error(m["optional"], "cur.optional_needs_coefficient", code=u.code)
    elif has_optional:
        r.error(node, "cur.missing_key", key="optional", where="rules")
    limit = _read_optional_limit(r, m["optional_limit"], units, optional) if "optional_limit" in m else None
    validity = 5
    if "validity_years" in m:
        validity = _attempt(lambda: r.integer(m["validity_years"], "rules.validity_years", minimum=1)) or 5
    if pass_threshold is None or controle_min is None or pro_threshold is None:
        return None
    return Rules(
        pass_threshold=pass_threshold,
        controle_min=controle_min,
        professional_threshold=pro_threshold,
        professional_units=pro_units,
        oral_units=oral_units,
        max_orals=max_orals,
        optional=optional,
        validity_years=validity,
        optional_limit=limit,
    )


def _read_optional_limit(r: _Reader, node: Any, units: list[Unit], optional: OptionalRule) -> OptionalLimit | None:
    """`rules.optional_limit`: at most `max_units` optional units count, those
    listed in `outside_limit` aside (docs/rules.md §2). Absent: no limit."""
    where = "rules.optional_limit"
    m = _attempt(lambda: r.mapping(node, where, ("max_units",), ("outside_limit", *CITATION)))
    if m is None:
        return None
    r.cite(m, where)
    by_code = {u.code: u for u in units}
    outside: list[str] = []
    if "outside_limit" in m:
        value = m["outside_limit"]
        codes = _attempt(lambda: r.strings(value, f"{where}.outside_limit")) or []
        for code, code_node in zip(codes, value.value):
            unit = by_code.get(code)
            if unit is None:
                if code not in r.declared:
                    r.error(code_node, "cur.rule_unknown_unit", where=f"{where}.outside_limit", code=code)
            elif unit.mandatory:
                r.error(code_node, "cur.not_optional", where=f"{where}.outside_limit", code=code)
            elif code in outside:
                r.error(code_node, "cur.duplicate_in_list", where=f"{where}.outside_limit", code=code)
            else:
                outside.append(code)
    max_units = (_attempt(lambda: r.integer(m["max_units"], f"{where}.max_units", minimum=1, maximum=100))
                 if "max_units" in m else None)
    if not any(not u.mandatory and u.code not in outside for u in units):
        r.error(node, "cur.optional_limit_no_unit")
    if optional.add_to_divisor:
        # Which units count would change the divisor, and "the most favourable"
        # would no longer be the largest bonus: not a rule ndrc applies.
        r.error(node, "cur.optional_limit_divisor")
    return None if max_units is None else OptionalLimit(max_units, tuple(outside))


def _read_markers(r: _Reader, node: Any) -> tuple[list[tuple[Mark, tuple[str, ...]]], tuple[str, ...]]:
    """The markers by effect, and the spellings that renounce a kept grade."""
    markers: list[tuple[Mark, tuple[str, ...]]] = []
    renounce: tuple[str, ...] = ()
    if node is None:
        return markers, renounce
    m = _attempt(lambda: r.mapping(node, "markers", tuple(_EFFECTS), ("renounce",)))
    if m is None:
        return markers, renounce
    seen: dict[str, int] = {}
    for effect, value in m.items():
        spellings = _attempt(lambda: r.strings(value, f"markers.{effect}"))
        if spellings is None:
            continue
        for spelling, spelling_node in zip(spellings, value.value):
            key = fold(spelling)
            if not key:
                r.error(spelling_node, "cur.empty_marker", effect=effect)
            elif parse_decimal(key) is not None:
                r.error(spelling_node, "cur.numeric_marker", value=spelling)
            elif key in seen:
                r.error(spelling_node, "cur.duplicate_marker", value=spelling, line=seen[key])
            else:
                seen[key] = spelling_node.start_mark.line + 1
        if effect == "renounce":
            renounce = tuple(spellings)
        else:
            markers.append((_EFFECTS[effect], tuple(spellings)))
    return markers, renounce


# -- the programme section: a schema, checked like the rest ----------------------------

_TEXT, _WHOLE, _TEXTS, _DATE = "text", "whole number", "texts", "date"
_COMPETENCES = [{"name": _TEXT, "items": _TEXTS}]
#: Structure of `programme`; every key optional, unknown keys refused. A dict
#: is a mapping with those keys, a one-item list a list of that, ("map", X) a
#: mapping from unit codes to X, ("by_subject", X) from subjects of `subjects` to X.
PROGRAMME_SCHEMA: dict[str, Any] = {
    "title": _TEXT,
    "rncp": _TEXT,
    "certifier": _TEXT,
    "registered": _DATE,
    "hours": _WHOLE,
    "years": _WHOLE,
    "start": _DATE,
    "end": _DATE,
    "rhythm": {"company_days": _WHOLE, "school_days": _WHOLE, "contracts": _TEXTS},
    "place": _TEXT,
    "remote": _TEXT,
    "accessibility": _TEXT,
    "objective": _TEXT,
    "careers": _TEXTS,
    "prerequisites": _TEXT,
    "equipment": _TEXT,
    "admission": _TEXTS,
    "funding": _TEXT,
    "teaching": {"means": _TEXTS, "follow_up": _TEXT},
    "assessment": {"tracking": _TEXTS, "evaluation": _TEXTS},
    "subjects": ("map", _TEXTS),
    # A subject's other names (a gradebook's sheet may be named so): subject -> names.
    "short_names": ("by_subject", _TEXTS),
    "content": {
        "general": [{"subject": _TEXT, "unit": _TEXT, "competences": _COMPETENCES}],
        "blocs": [{"bloc": _TEXT, "competences": _COMPETENCES, "knowledge": [{"area": _TEXT, "items": _TEXTS}]}],
    },
}
_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _structure(r: _Reader, node: Any, schema: Any, where: str) -> Any:
    """Read `node` as `schema` says, reporting every mismatch with its line."""
    if schema == _TEXT:
        return r.string(node, where)
    if schema == _DATE:
        value = r.string(node, where)
        if not _DATE_SHAPE.match(value):
            raise r.fail(node, "cur.expected_date", where=where, value=value)
        return value
    if schema == _WHOLE:
        return r.integer(node, where, minimum=0)
    if schema == _TEXTS:
        return r.strings(node, where)
    if isinstance(schema, tuple):  # ("map", value schema): keys are unit codes
        m = r.mapping(node, where, (), tuple(_keys(node)))
        return {k: _try_structure(r, v, schema[1], f"{where}.{k}") for k, v in m.items()}
    if isinstance(schema, list):
        items = (_try_structure(r, c, schema[0], f"{where}[{i}]") for i, c in enumerate(r.sequence(node, where), 1))
        return [item for item in items if item is not None]
    m = r.mapping(node, where, (), tuple(schema))
    return {k: _try_structure(r, v, schema[k], f"{where}.{k}") for k, v in m.items()}


def _try_structure(r: _Reader, node: Any, schema: Any, where: str) -> Any:
    try:
        return _structure(r, node, schema, where)
    except _Skip:
        return None


def _keys(node: Any) -> list[str]:
    return [k.value for k, _ in getattr(node, "value", []) if hasattr(k, "value") and isinstance(k.value, str)]


def _check_programme_refs(r: _Reader, node: Any, programme: dict[str, Any], units: set[str], blocs: set[str]) -> None:
    """Subjects and content must name units and blocs that exist."""
    import yaml

    children = {k.value: v for k, v in node.value}
    if isinstance(programme.get("subjects"), dict):
        for key_node, _ in children["subjects"].value:
            if key_node.value not in units:
                r.error(key_node, "cur.rule_unknown_unit", where="programme.subjects", code=key_node.value)
    if isinstance(programme.get("short_names"), dict):
        _check_short_names(r, children["short_names"], programme)
    content = programme.get("content")
    if not isinstance(content, dict):
        return
    content_nodes = {k.value: v for k, v in children["content"].value}
    for section, key, known, message in (
        ("general", "unit", units, "cur.rule_unknown_unit"),
        ("blocs", "bloc", blocs, "cur.unknown_bloc_ref"),
    ):
        section_node = content_nodes.get(section)
        if not isinstance(section_node, yaml.SequenceNode):
            continue  # the structure check reports it
        for item_node in section_node.value:
            if not isinstance(item_node, yaml.MappingNode):
                continue  # (a scalar's value is a string: never unpack it as pairs)
            fields = {k.value: v for k, v in item_node.value}
            ref = fields.get(key)
            if ref is not None and ref.value not in known:
                r.error(ref, message, where=f"programme.content.{section}", code=ref.value)


def _check_short_names(r: _Reader, node: Any, programme: dict[str, Any]) -> None:
    """Each short name names a subject of `programme.subjects`, and one only."""
    import yaml

    subjects = [s for names in (programme.get("subjects") or {}).values() if isinstance(names, list) for s in names]
    taken = {fold_header(s): s for s in subjects}
    for key_node, names_node in node.value:
        if key_node.value not in subjects:
            r.error(key_node, "cur.unknown_subject", subject=key_node.value, subjects=", ".join(subjects) or "-")
        if not isinstance(names_node, yaml.SequenceNode):
            continue  # the structure check reports it
        for name_node in names_node.value:
            first = taken.setdefault(fold_header(str(name_node.value)), key_node.value)
            if first != key_node.value:
                r.error(name_node, "cur.short_name_taken", name=name_node.value, subject=first)


# -- finding and loading ------------------------------------------------------


#: A curriculum is a few dozen KB; more is not one (and is not read whole).
MAX_CURRICULUM = 1 << 20


def default_curriculum_text() -> str:
    """The embedded curriculum: beside this module in a wheel, at the
    repository root in a checkout or an editable install."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # ndrc_cli/, above load/
    for candidate in (os.path.join(package, "curriculum.yaml"),
                      os.path.join(os.path.dirname(package), "curriculum.yaml")):
        if os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as f:
                return f.read()
    from importlib.resources import files  # a zipped install (importing it costs ~5 ms)

    return files("ndrc_cli").joinpath("curriculum.yaml").read_text(encoding="utf-8")


def load_curriculum(path: str | None = None) -> Curriculum:
    """Load `path`, else $NDRC_CURRICULUM, else the embedded default."""
    from .cache import cached
    from .curriculum_data import from_data, to_data

    path = path or os.environ.get(ENV_VAR) or None
    if path is None:
        text = default_curriculum_text()
        return cached("curriculum", (text, "embedded"),
                      lambda: parse_curriculum(text, "curriculum.yaml", source="embedded"), to_data, from_data)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_CURRICULUM + 1)  # /dev/zero, or a file that is no curriculum
    except OSError as exc:
        raise NdrcError(t("io.cannot_read", path=path, reason=os_reason(exc))) from None
    if len(data) > MAX_CURRICULUM:
        raise NdrcError(t("cur.too_big", path=path, limit=MAX_CURRICULUM // (1 << 20)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Diagnostic(path, line, None, t("cur.not_utf8"))]) from None
    name = path
    return cached("curriculum", (text, name), lambda: parse_curriculum(text, name), to_data, from_data)
