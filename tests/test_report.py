"""`ndrc report` without a browser: the page is self-contained and
escaped, its numbers are grade's, its SVG charts match the golden files.
tests/test_browser.py renders the same page in Chromium."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, run, write

from ndrc_cli import i18n
from ndrc_cli.app.classreport import build_class_report
from ndrc_cli.app.grading import SessionOptions
from ndrc_cli.load.curriculum import load_curriculum
from ndrc_cli.render.svg import histogram_svg, movement_svg, unit_bars_svg

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCKS = [str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NDRC_UPDATE_GOLDEN") == "1"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Tags, attributes and the text of the cells of each table row."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "tr" and a.get("data-decision"):
            self._row, self._cells = a.get("data-id"), []
        elif tag in ("td", "th") and self._row is not None:
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows[self._row] = [c.strip() for c in self._cells]
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._cells:
            self._cells[-1] += data


def _page(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_report_is_self_contained_and_accessible(tmp_path: Path) -> None:
    out = tmp_path / "class-report.html"
    result = run("report", CLASS, *MOCKS, "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = _page(html)
    tags = [tag for tag, _ in page.tags]
    # No script, no external asset, nothing fetched.
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    assert not any(name in attrs for _, attrs in page.tags for name in ("src", "srcset"))
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", html) and "url(" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Headings, table headers, charts with a text alternative.
    assert tags.count("h1") == 1 and tags.count("h2") >= 24 + 3
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in page.tags if tag == "th" and attrs)
    charts = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert {c["id"] for c in charts} == {"histogram", "unit-means", "movement"}
    assert all(c.get("role") == "img" and c.get("aria-labelledby") for c in charts)
    assert tags.count("desc") == 3
    # One card per student, printed on its own page.
    cards = [attrs["data-id"] for tag, attrs in page.tags if tag == "section" and attrs.get("class") == "card"]
    assert len(cards) == 24 and len(set(cards)) == 24
    assert "break-before: page" in html and "size: A4" in html


def test_report_numbers_are_grades_numbers(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("report", CLASS, "-o", str(out)).exit_code == 0
    rows = _page(out.read_text(encoding="utf-8")).rows
    graded = json.loads(run("grade", CLASS, "-f", "json").stdout)["students"]
    assert len(rows) == len(graded) == 24
    for s in graded:
        cells = rows[s["id"]]
        average = "" if s["average"] is None else f"{s['average']:.2f}"
        assert cells[0] == s["id"] and cells[-3] == average, (s["id"], cells)
    # Hand-checked: exactly 10 passes; 8.00 with a professional average of 11 goes to the orals.
    assert rows["NDRC2502"][-3:] == ["10.00", "10.00", "passed"]
    assert rows["NDRC2503"][-3:] == ["8.00", "11.00", "resit orals"]


def test_report_card_holds_the_computation(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("report", CLASS, *MOCKS, "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    card = html[html.index('id="card-NDRC2501"'):html.index('id="card-NDRC2502"')]
    # 12×3 + 11.5×3 + 13×3 + 14×5 + 12.5×4 + 15×3 = 274.5; / 21 = 13.07
    assert "274.50" in card and "13.07" in card and "passed" in card
    assert "14.00 × 5 = 70.00" in card  # the explanation, in plain words
    assert "examen-blanc-1: 11.17 → examen-blanc-2: 12.54 → classe-ndrc: 13.07" in card
    # A student with a unit still to come gets a projection and the grades needed.
    open_card = html[html.index('id="card-NDRC2510"'):html.index('id="card-NDRC2511"')]
    assert "Still to come: E3" in open_card and "Chance of passing" in open_card
    assert "to pass: 5.67" in open_card


def test_report_escapes_student_data(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", f"id,nom,E1,E2,E3,E4,E5,E6\n1,{HOSTILE.replace(',', ' ')},10,10,10,10,10,10\n"
                  '"<b>2</b>","Robert""><svg onload=alert(1)>",9,9,9,9,9,9\n')
    out = tmp_path / "r.html"
    assert run("report", sheet, "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    page = _page(html)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert tags.count("svg") == 2  # our two charts, not the student's
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'id="card-&lt;b&gt;2&lt;/b&gt;"' in html


def test_report_in_french(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert run("--lang", "fr", "report", CLASS, *MOCKS, "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "Bilan de classe BTS NDRC" in html and "13,07" in html
    assert "Le calcul, pas à pas" in html and "moins de 8\u202f: 2" in html


def test_report_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "id,E1,E2,E3,E4,E5,E6\n1,25,10,10,10,10,10\n")
    out = tmp_path / "r.html"
    result = run("report", bad, "-o", str(out))
    assert result.exit_code == 1
    assert f"{bad}:2:2: " in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    existing = write(tmp_path / "old.html", "mine")
    result = run("report", CLASS, "-o", existing)
    assert result.exit_code == 1 and Path(existing).read_text() == "mine"
    assert run("report", CLASS, "--jury-margin", "x").exit_code == 2


def test_report_reads_stdin_once(tmp_path: Path) -> None:
    # Student 2 has a unit to come: the projection needs the sheet a second time.
    sheet = "id,E1,E2,E3,E4,E5,E6\n1,10,10,10,10,10,10\n2,10,10,,10,10,10\n"
    result = run("report", "-", input=sheet)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('class="card"') == 2 and "Still to come: E3" in result.stdout


def test_report_mocks_may_list_other_students(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id,nom,E1,E2,E3,E4,E5,E6\n1,A,10,10,10,10,10,10\n2,B,12,12,12,12,12,12\n")
    mock = write(tmp_path / "blanc.csv", "id,nom,E1,E2,E3,E4,E5,E6\n1,A,8,8,8,8,8,8\n3,Left,9,9,9,9,9,9\n")
    out = tmp_path / "r.html"
    result = run("report", sheet, mock, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "not on the sheet (left out): 3; not in this mock exam: 2" in html
    assert 'data-id="1" data-averages="8.00 10.00"' in html
    assert 'data-id="2" data-averages=" 12.00"' in html  # no mock grade: no average then
    assert 'id="card-3"' not in html


def test_report_lists_every_input_problem(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id,E1,E2,E3,E4,E5,E6\n1,25,10,10,10,10,10\n")
    mock = write(tmp_path / "m.csv", "id,E1,E2,E3,E4,E5,E6\n1,10,x,10,10,10,10\n")
    result = run("report", sheet, mock, "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert f"{sheet}:2:2: " in result.stderr and f"{mock}:2:3: " in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("name", ["histogram", "unit-means", "movement"])
def test_svg_charts_golden(name: str) -> None:
    i18n.set_language("en")
    cur = load_curriculum()
    report = build_class_report(cur, CLASS, MOCKS, SessionOptions(session=2026), 50)
    rules = cur.rules
    svg = {"histogram": lambda: histogram_svg(report.histogram),
           "unit-means": lambda: unit_bars_svg(report.units, rules),
           "movement": lambda: movement_svg(report.movements, report.steps, report.histogram.thresholds, rules)}[name]()
    golden = GOLDEN / f"report-{name}.svg"
    if UPDATE:
        golden.write_text(svg + "\n", encoding="utf-8")
    assert svg + "\n" == golden.read_text(encoding="utf-8"), f"regenerate with NDRC_UPDATE_GOLDEN=1: {golden}"


def test_svg_chart_data_by_hand() -> None:
    """The golden files' data, read back: what each bar and dot stands for."""
    hist = (GOLDEN / "report-histogram.svg").read_text(encoding="utf-8")
    bars = dict(re.findall(r'data-low="(\d+)" data-students="(\d+)"', hist))
    assert bars == {"6": "1", "7": "1", "8": "3", "9": "3", "10": "6", "12": "2", "13": "2", "15": "1", "16": "1"}
    assert re.findall(r'data-threshold="(\d+)"', hist) == ["8", "10"]
    units = (GOLDEN / "report-unit-means.svg").read_text(encoding="utf-8")
    assert re.findall(r'data-unit="(\w+)" data-mean="([\d.]+)"', units)[:2] == [("E1", "9.44"), ("E2", "10.38")]
    moves = (GOLDEN / "report-movement.svg").read_text(encoding="utf-8")
    assert 'data-id="NDRC2501" data-averages="11.17 12.54 13.07"' in moves
    assert 'data-id="NDRC2520" data-averages="10.38 9.64 10.57"' in moves


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_chart_and_decision_colours_have_enough_contrast() -> None:
    """WCAG AA (4.5:1) against the white page and the grey table headers."""
    from ndrc_cli.render.html import CSS
    from ndrc_cli.render.svg import FILL, INK

    colours = set(FILL.values()) | {INK} | set(re.findall(r"color: (#[0-9a-f]{6})", CSS))
    assert len(colours) >= 6
    for background in ("#ffffff", "#f0f0f0"):
        for colour in colours:
            ratio = (_luminance(background) + 0.05) / (_luminance(colour) + 0.05)
            assert ratio >= 4.5, (colour, background, round(ratio, 2))
