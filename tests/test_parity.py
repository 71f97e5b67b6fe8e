"""One set of numbers, whatever the path: under several curricula (the
embedded one and variants of its rules, another BTS), a generated class is
graded by every output — JSON, plain CSV in memory and streamed, the Excel
CSV, Markdown, the terminal table, --explain, the HTML report's cards and
table, and simulate with no spread — and every one shows the same averages
and decisions (the rules are evaluated once, by the engine; renderers print),
under the same display rule (never rounded across a threshold: grades with
four decimals near the thresholds are drawn too).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

from conftest import EXAMPLES, ROOT, run, with_optional_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DEFAULT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
BASE = DEFAULT[: DEFAULT.index("\nprogramme:")] + "\n"  # the rules without the programme's text
OPTIONAL = '''    domain: optional
    # No coefficient: only the points above 10 count (rules.optional).
    dispensable: false'''


def _variants() -> dict[str, str]:
    with_coef = BASE.replace(OPTIONAL, "    domain: optional\n    coefficient: 2\n    dispensable: false")
    return {
        "embedded": DEFAULT,
        "multiplied": with_coef.replace("multiply_by_coefficient: false", "multiply_by_coefficient: true"),
        "in divisor": with_coef.replace("add_to_divisor: false", "add_to_divisor: true"),
        "both": with_coef.replace("multiply_by_coefficient: false", "multiply_by_coefficient: true")
                         .replace("add_to_divisor: false", "add_to_divisor: true"),
        "stricter": BASE.replace("pass_threshold: 10", "pass_threshold: 12")
                        .replace("min_average: 8", "min_average: 9.5"),
        "parts 1+3": BASE.replace("weight: 2\n        form: \"Écrite\"", "weight: 1\n        form: \"Écrite\"")
                         .replace("weight: 2\n        form: \"Pratique\"", "weight: 3\n        form: \"Pratique\""),
        "no optional": BASE[: BASE.index('  - code: "EF1"')] + BASE[BASE.index("\nrules:") + 1:],
        "one optional unit counts": with_optional_limit(BASE),
        "limit, multiplied": with_optional_limit(BASE, 1, (3, 1, 2)),
        "BTS MCO": (EXAMPLES / "bts-mco.yaml").read_text(encoding="utf-8"),
    }


VARIANTS = _variants()
# Grades near the thresholds most of the time (where rules disagree, if they
# do), markers in one cell of twelve (most students complete).
_NEAR = st.integers(750, 1250).map(lambda h: f"{h / 100:.2f}")
_QUARTER = st.integers(0, 80).map(lambda q: f"{q / 4:g}".replace(".", ","))
_ANY = st.integers(0, 2000).map(lambda h: f"{h / 100:.2f}")
_MARKER = st.sampled_from(["ABS", "ABJ", "", "DISP"])
_grade = st.integers(0, 11).flatmap(lambda k: _MARKER if k == 0 else _QUARTER if k == 1 else _ANY if k == 2
                                    else _NEAR)
#: The thresholds of the variants (8, 9.5, 10, 12), in hundredths.
_MARKS = [800, 950, 1000, 1200]


def _fine(mark: int) -> st.SearchStrategy[str]:
    """A grade with four decimals, as a sheet may hold them, within 0.01 of a
    threshold: a student graded so has an average where rounding would cross it."""
    return st.integers(-100, 100).map(lambda k: f"{(mark * 100 + k) / 10000:.4f}")


def _units(curriculum: str) -> list[tuple[str, bool]]:
    """(code, dispensable) of each unit, from the YAML (plain data, read simply)."""
    import yaml

    data = yaml.safe_load(curriculum)
    return [(u["code"], bool(u.get("dispensable"))) for u in data["units"]]


@st.composite
def classes(draw: st.DrawFn, curriculum: str) -> str:
    units = _units(curriculum)
    rows = ["id;nom;" + ";".join(code for code, _ in units)]
    for n in range(draw(st.integers(1, 6))):
        cells = []
        near = draw(st.sampled_from([None, None, *_MARKS]))
        for _, dispensable in units:
            cell = draw(_grade if near is None else _fine(near))
            cells.append("" if cell == "DISP" and not dispensable else cell)
        rows.append(f"S{n + 1};Nom {n + 1};" + ";".join(cells))
    return "\n".join(rows) + "\n"


LABELS = {"admis": "passed", "controle": "resit orals", "ajourne": "failed", "absent": "absent",
          "incomplet": "incomplete"}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+[.,]\d{2,}…?", text))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_output_shows_the_engines_numbers(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(VARIANTS)), label="curriculum")
    curriculum = VARIANTS[name]
    sheet_text = data.draw(classes(curriculum), label="sheet")
    with tempfile.TemporaryDirectory() as tmp:
        cur = Path(tmp) / "c.yaml"
        cur.write_text(curriculum, encoding="utf-8")
        sheet = Path(tmp) / "s.csv"
        sheet.write_text(sheet_text, encoding="utf-8")
        base = ["-c", str(cur)]

        def out(*args: str) -> str:
            result = run(*args, *base)
            assert result.exit_code == 0, (name, args, result.stderr)
            return str(result.stdout)

        students = json.loads(out("grade", str(sheet), "-f", "json"))["students"]
        # The average as every output shows it (the display rule); JSON's
        # `average` stays the number rounded half up.
        expected = {s["id"]: (s["average_text"] or "", s["decision"]) for s in students}

        # Plain CSV in memory, and streamed into a file: the same numbers
        # (a spreadsheet's cells stay numbers: no ellipsis there).
        in_csv = {k: (v[0].removesuffix("…"), v[1]) for k, v in expected.items()}
        streamed = Path(tmp) / "o.csv"
        assert run("grade", str(sheet), "-o", str(streamed), *base).exit_code == 0
        for text in (out("grade", str(sheet), "-f", "csv"), streamed.read_text(encoding="utf-8")):
            got = {r["id"]: (r["average"], r["decision"]) for r in csv.DictReader(io.StringIO(text))}
            assert got == in_csv, name
        # The Excel CSV: decimal comma, words for the decisions (English here).
        excel = list(csv.reader(io.StringIO(out("grade", str(sheet), "--excel").lstrip("\ufeff")), delimiter=";"))
        average_at = excel[0].index("Average")
        assert {r[0]: r[average_at] for r in excel[1:]} == {k: v[0].replace(".", ",") for k, v in in_csv.items()}

        table = out("grade", str(sheet), "-f", "table", "--no-chart", "-o", "-")
        markdown = out("grade", str(sheet), "-f", "markdown")
        page = Path(tmp) / "r.html"
        assert run("report", str(sheet), "-o", str(page), *base).exit_code == 0
        html = page.read_text(encoding="utf-8")
        for sid, (average, decision) in expected.items():
            row = next(line for line in table.splitlines() if re.search(rf"\b{sid}\b", line))
            md_row = next(line for line in markdown.splitlines() if line.startswith(f"| {sid} "))
            for rendered in (row, md_row):
                assert LABELS[decision] in rendered, (name, sid, rendered)
                if average:
                    assert average in _numbers(rendered), (name, sid, rendered)
            explained = out("grade", str(sheet), "--explain", sid)
            if average:
                assert f"→ {average} " in explained, (name, explained)
            card = html[html.index(f'id="card-{sid}"'):]
            card = card[: card.index("</section>")]
            strong = re.search(r'<strong class="average">([^<]*)</strong>', card)
            assert strong is not None and strong.group(1) == (average or "—"), (name, sid)
            assert f'<tr data-id="{sid}" data-decision="{decision}">' in html

        # With no spread, the simulation lands on the engine's decisions.
        sim = json.loads(out("simulate", str(sheet), "--spread", "0", "-f", "json"))
        for s in sim["students"]:
            average, decision = expected[s["id"]]
            if decision in ("admis", "controle", "ajourne") and not s["open_units"]:
                assert s["decision"] == decision, (name, s["id"])
                assert s["probabilities"][decision] == 1, (name, s["id"], s["probabilities"])

