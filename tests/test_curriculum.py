"""curriculum.yaml: the default encodes the seed's exam table; anything
doubtful in a custom one is refused with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, with_optional_limit

from ndrc_cli.core.errors import InputError
from ndrc_cli.core.model import Curriculum, Domain, Mark, OptionalLimit
from ndrc_cli.load.curriculum import default_curriculum_text, load_curriculum, parse_curriculum

DEFAULT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")


def test_default_units_and_coefficients(curriculum: Curriculum) -> None:
    table = [(u.code, u.unit_id, u.domain, u.coefficient, u.dispensable, u.bloc) for u in curriculum.units]
    assert table == [
        ("E1", "U1", Domain.GENERAL, 3, True, "BG1"),
        ("E2", "U2", Domain.GENERAL, 3, True, "BG2"),
        ("E3", "U3", Domain.GENERAL, 3, True, "BG3"),
        ("E4", "U4", Domain.PROFESSIONAL, 5, False, "B1"),
        ("E5", "U5", Domain.PROFESSIONAL, 4, False, "B2"),
        ("E6", "U6", Domain.PROFESSIONAL, 3, False, "B3"),
        ("EF1", "UF1", Domain.OPTIONAL, None, False, None),
        ("EF2", "UF2", Domain.OPTIONAL, None, False, None),
    ]
    assert sum(u.coefficient or 0 for u in curriculum.mandatory_units) == 21
    assert [(p.code, p.weight) for p in curriculum.unit("E5").parts] == [("E5A", 2), ("E5B", 2)]


def test_default_rules_and_markers(curriculum: Curriculum) -> None:
    r = curriculum.rules
    assert (r.pass_threshold, r.controle_min, r.professional_threshold) == (1000, 800, 1000)
    assert r.professional_units == ("E4", "E5", "E6")
    assert r.oral_units == ("E1", "E2", "E3") and r.max_orals == 2
    assert (r.optional.counts_above, r.optional.multiply_by_coefficient, r.optional.add_to_divisor) == (
        1000, False, False)
    assert r.validity_years == 5
    assert dict(curriculum.markers) == {
        Mark.MISSING: ("-", "NN", "N.Not", "NNot", "Non noté"),
        Mark.ABSENT: ("ABS", "ABSENT"),
        Mark.JUSTIFIED: ("ABJ",),
        Mark.EXEMPT: ("DISP", "DISPENSE"),
    }


def test_embedded_default_is_the_root_file() -> None:
    assert default_curriculum_text() == DEFAULT


def test_custom_curriculum_example_loads() -> None:
    c = load_curriculum(str(ROOT / "examples" / "bts-mco.yaml"))
    assert c.code == "BTS MCO"
    assert sum(u.coefficient or 0 for u in c.mandatory_units) == 21


def _errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_curriculum(text, "c.yaml")
    return [str(d) for d in info.value.diagnostics]


def _line(needle: str, text: str = DEFAULT) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    coefficient: 5\n", "    coefficient: 5\n    coef: 5\n",
         "unknown key 'coef' in units[] (expected: aliases, bloc, code, coefficient, confidence, dispensable, "
         "domain, duration, form, name, parts, source, unit)"),
        ("    coefficient: 5\n", "    coefficient: 5\n    coefficient: 6\n",
         "duplicate key 'coefficient' (first on line {n})"),
        ('aliases: ["E5 écrit", "E5 écrite"]', 'aliases: ["E5 écrit", "e4"]',
         "duplicate unit code or alias 'e4' (first on line {n})"),
        ("    coefficient: 5\n", "    coefficient: 0\n", "E4: coefficient must be greater than 0, not 0"),
        ("    coefficient: 5\n", "    coefficient: -2\n", "E4: coefficient must be greater than 0, not -2"),
        ('professional_units: ["E4", "E5", "E6"]', 'professional_units: ["E4", "E5", "E7"]',
         "rules.controle.professional_units: unknown unit 'E7'"),
        ("    dispensable: false\n    bloc: \"B1\"", "    dispensable: no\n    bloc: \"B1\"",
         "units[E4].dispensable: expected true or false, not 'no'"),
        ('    duration: "40 min + 40 min"', '    duration: 2018-02-19',
         "units[E4].duration: '2018-02-19' would be read by YAML as a boolean, number, date or null; quote it"),
        ("  validity_years: 5", "  validity_years: 05",
         "rules.validity_years: '05' has a leading zero that YAML reads as octal; remove it"),
        ("  pass_threshold: 10", "  pass_threshold: 21",
         "rules.pass_threshold: 21 is not a grade from 0 to 20 with at most two decimals"),
        ('    bloc: "B1"', '    bloc: "B9"', "E4: unknown bloc 'B9'"),
        ("    domain: professional\n    coefficient: 5\n    dispensable: false",
         "    domain: professional\n    coefficient: 5\n    dispensable: true",
         "E4: a professional unit cannot be dispensable (D643-17)"),
        ('  exempt: ["DISP", "DISPENSE"]', '  exempt: ["DISP", "DISPENSE", "abj"]',
         "duplicate marker 'abj' (first on line {n})"),
        # Values bounded to what the rules need (no overflow in simulate, no huge int()):
        ("    coefficient: 5\n", "    coefficient: 10000000000000000000000\n",
         "E4: coefficient 10000000000000000000000 must be at most 100, with at most two decimals"),
        ("    coefficient: 5\n", "    coefficient: 5.0000000000000000001\n",
         "E4: coefficient 5.0000000000000000001 must be at most 100, with at most two decimals"),
        ("    coefficient: 5\n", "    coefficient: 1" + "0" * 5000 + "\n",
         "units[E4].coefficient: expected a number such as 10 or 8.5, not '1" + "0" * 5000 + "'"),
        ("  validity_years: 5", "  validity_years: !!int ²", "rules.validity_years: expected a whole number, not '²'"),
        ('        weight: 2\n        form: "Écrite"', '        weight: 1000\n        form: "Écrite"',
         "units[E5].parts[].weight: 1000 is more than 100"),
        ("  pass_threshold: 10", "  pass_threshold: 10.125",
         "rules.pass_threshold: 10.125 is not a grade from 0 to 20 with at most two decimals"),
        ("  pass_threshold: 10", "  pass_threshold: &p 10",
         "YAML anchors and aliases (&name, *name) are not allowed in a curriculum: write each value out"),
        ("  pass_threshold: 10", "  pass_threshold: 1\x000",
         "invalid YAML (the reader says 'control characters are not allowed')"),
    ],
)
def test_malformed_curriculum(old: str, new: str, message: str) -> None:
    assert DEFAULT.count(old) >= 1, old
    text = DEFAULT.replace(old, new, 1)
    errors = _errors(text)
    if "{n}" in message:  # the earlier definition the message points back to
        needle = {"coefficient": "coefficient: 5", "e4": 'code: "E4"', "abj": 'justified: ["ABJ"]'}
        first = next(_line(v, text) for k, v in needle.items() if f"'{k}'" in message)
        message = message.format(n=first)
    # The error names the line that was changed.
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    start = text[: text.index(new)].count("\n")
    changed = start + _line(added[0].strip(), text[text.index(new):])
    assert errors == [f"c.yaml:{changed}: {message}"]


def test_every_problem_is_listed_with_its_line() -> None:
    text = DEFAULT.replace("    coefficient: 5\n", "    coefficient: 0\n").replace(
        "  pass_threshold: 10", "  pass_threshold: 10\n  colour: blue")
    errors = _errors(text)
    assert errors == [
        f"c.yaml:{_line('coefficient: 0', text)}: E4: coefficient must be greater than 0, not 0",
        f"c.yaml:{_line('colour: blue', text)}: unknown key 'colour' in rules (expected: confidence, controle, "
        "optional, optional_limit, pass_threshold, source, validity_years)",
    ]


def test_yaml_syntax_error_and_empty() -> None:
    assert _errors("units: [\n") [0].startswith("c.yaml:2: invalid YAML (the reader says")
    assert _errors("") == ["c.yaml: the curriculum is empty"]
    assert _errors("---\na: 1\n---\nb: 2\n")[0].startswith("c.yaml:3: invalid YAML")


def _unlisted(cur: Curriculum) -> list[str]:
    """The texts `cur` cites (separated by "; " in a `source:`) that docs/rules.md
    does not list, word for word, under its Sources."""
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    listed = " ".join(rules[rules.index("## Sources"):].split())
    cited = {text for _, source, _ in cur.citations for text in source.split("; ") if text}
    return sorted(text for text in cited if " ".join(text.split()) not in listed)


def test_every_cited_text_is_in_the_rules_document(curriculum: Curriculum) -> None:
    """No citation without its text, here or in the example curricula; and every
    unit and rule block of the default one cites one."""
    assert curriculum.citations and _unlisted(curriculum) == []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        assert _unlisted(load_curriculum(str(example))) == [], example
    about = {what for what, source, _ in curriculum.citations if source}
    assert {u.code for u in curriculum.units} | {"diploma", "rules", "rules.controle", "rules.optional"} <= about


def test_a_text_missing_from_the_rules_document_is_found(tmp_path: Path) -> None:
    text = DEFAULT.replace('source: "Arrêté du 15 février 2018 (CEJM);',
                           'source: "Décret imaginaire du 1er avril 2031;')
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert _unlisted(load_curriculum(str(path))) == ["Décret imaginaire du 1er avril 2031"]


def test_a_scalar_in_the_programme_content_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzzer: a `content.blocs` item cut down to a word crashed the loader."""
    text = DEFAULT.replace('    blocs:\n      - bloc: "B1"\n', '    blocs:\n      - b\n      - bloc: "B1"\n')
    assert text != DEFAULT
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_curriculum(str(path))
    assert any("programme.content.blocs[" in str(d) and "expected a mapping" in str(d)
               for d in caught.value.diagnostics)


@pytest.mark.parametrize(("old", "new", "where"), [
    ('aliases: ["CEJM"]', "aliases: CEJM", "units[E3].aliases"),
    ('professional_units: ["E4", "E5", "E6"]', "professional_units: E4", "rules.controle.professional_units"),
    ('oral_units: ["E1", "E2", "E3"]', "oral_units: E1", "rules.controle.oral_units"),
    ('  absent: ["ABS", "ABSENT"]', "  absent: ABS", "markers.absent"),
])
def test_a_word_where_a_list_is_expected_is_an_error_not_a_crash(old: str, new: str, where: str) -> None:
    """Found by the fuzzer: these escaped the loader as an internal exception."""
    assert old in DEFAULT
    assert _errors(DEFAULT.replace(old, new)) == [f"c.yaml:{_line(new, DEFAULT.replace(old, new))}: {where}: "
                                                  "expected a list"]


LIMITED = with_optional_limit(DEFAULT)
#: Where the limit is set (the embedded curriculum also shows it, commented out).
_LIMIT = "\n  optional_limit:\n    max_units: 1\n    outside_limit: [\"EF2\"]\n"


def _limit_line(text: str, offset: int = 0) -> int:
    """The line of `optional_limit:` where `text` sets it, plus `offset`."""
    return text[: text.index("\n  optional_limit:\n") + 1].count("\n") + 1 + offset


def test_a_limit_on_the_optional_units_is_read_with_its_source() -> None:
    limited = parse_curriculum(LIMITED, "c.yaml")
    assert limited.rules.optional_limit == OptionalLimit(1, ("EF2",))
    cited = dict((about, source) for about, source, _ in limited.citations)
    assert cited["rules.optional_limit"] == "Code de l'éducation, art. D643-13; Décret n° 2024-788 du 8 juillet 2024"
    assert _unlisted(limited) == []  # both texts are in docs/rules.md
    # The embedded curriculum sets none yet (its date is not confirmed), and shows how in a comment.
    assert load_curriculum().rules.optional_limit is None
    assert "Décret n° 2024-788 du 8 juillet 2024" in DEFAULT and "#   optional_limit:" in DEFAULT


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("max_units: 1", "max_units: 0", 1, "rules.optional_limit.max_units: 0 is below the minimum 1"),
        ("max_units: 1", "max_units: 101", 1, "rules.optional_limit.max_units: 101 is more than 100"),
        ("max_units: 1", "max_units: one", 1, "rules.optional_limit.max_units: expected a whole number, not 'one'"),
        ("max_units: 1", "max_units: 1.5", 1, "rules.optional_limit.max_units: expected a whole number, not '1.5'"),
        ('outside_limit: ["EF2"]', 'outside_limit: ["E4"]', 2,
         "rules.optional_limit.outside_limit: E4 is not an optional unit"),
        ('outside_limit: ["EF2"]', 'outside_limit: ["EF9"]', 2,
         "rules.optional_limit.outside_limit: unknown unit 'EF9'"),
        ('outside_limit: ["EF2"]', 'outside_limit: ["EF2", "EF2"]', 2,
         "rules.optional_limit.outside_limit: EF2 is listed twice"),
        ('outside_limit: ["EF2"]', "outside_limit: EF2", 2, "rules.optional_limit.outside_limit: expected a list"),
        ("max_units: 1", "max_units: 1\n    maximum: 1", 2,
         "unknown key 'maximum' in rules.optional_limit (expected: confidence, max_units, outside_limit, source)"),
    ],
)
def test_a_malformed_limit_is_refused_at_its_line(old: str, new: str, line: int, message: str) -> None:
    text = LIMITED.replace(_LIMIT, _LIMIT.replace(old, new))
    assert text != LIMITED
    assert _errors(text) == [f"c.yaml:{_limit_line(text, line)}: {message}"]


def test_a_limit_must_bear_on_an_optional_unit_and_keep_the_divisor() -> None:
    everything = LIMITED.replace(_LIMIT, _LIMIT.replace('["EF2"]', '["EF1", "EF2", "EF3"]'))
    assert _errors(everything) == [f"c.yaml:{_limit_line(everything, 1)}: rules.optional_limit: no optional unit is "
                                   "left for the limit to count (all are in outside_limit, or there are none)"]
    divisor = with_optional_limit(DEFAULT, coefficients=(2, 2, 2)).replace("add_to_divisor: false",
                                                                            "add_to_divisor: true")
    assert _errors(divisor) == [f"c.yaml:{_limit_line(divisor, 1)}: rules.optional_limit cannot apply when optional "
                                "units join the divisor ('add_to_divisor: true' in rules.optional)"]
    missing = LIMITED.replace(_LIMIT, _LIMIT.replace("    max_units: 1\n", ""))
    assert _errors(missing) == [f"c.yaml:{_limit_line(missing, 1)}: rules.optional_limit: missing key 'max_units'"]
