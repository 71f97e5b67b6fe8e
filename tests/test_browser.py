"""The class report in a real browser: Debian's headless Chromium
renders it, takes screenshots, prints it to PDF; the numbers are read back
from the browser's DOM and from the PDF's text, page by page.

Needs `chromium` and poppler's `pdftotext`/`pdfinfo` (.ci/run installs both).
In CI (CI or NDRC_REQUIRE_BROWSER set) a missing browser fails; elsewhere
the test skips. Screenshots and PDFs are kept in test-artifacts/ (or
$NDRC_TEST_ARTIFACTS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write
from test_report import HOSTILE, Page

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCKS = [str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")]
ARTIFACTS = Path(os.environ.get("NDRC_TEST_ARTIFACTS") or ROOT / "test-artifacts")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
#: The class pages before the cards: summary and charts, movement, all students and the jury list.
CLASS_PAGES = 3


@pytest.fixture(scope="module")
def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    tools = browser and shutil.which("pdftotext") and shutil.which("pdfinfo")
    if not tools:
        message = "needs chromium and poppler-utils (apt-get install -y chromium poppler-utils)"
        if os.environ.get("CI") or os.environ.get("NDRC_REQUIRE_BROWSER"):
            pytest.fail(message)  # CI must run the browser test, never skip it
        pytest.skip(message)
    assert browser is not None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return browser


def _browse(browser: str, profile: Path, page: Path, *args: str) -> str:
    """Run Chromium once on `page` with a fresh profile; its stdout."""
    shutil.rmtree(profile, ignore_errors=True)
    proc = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert len(pages) - (pages[-1].strip() == "") == count
    return pages[:count]


def _png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, path


def test_example_class_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    html = tmp_path / "class-report.html"
    assert run("report", CLASS, *MOCKS, "-o", str(html)).exit_code == 0
    expected = json.loads(run("grade", CLASS, "-f", "json").stdout)["students"]
    labels = {"admis": "passed", "controle": "resit orals", "ajourne": "failed", "absent": "absent",
              "incomplet": "incomplete"}

    # The DOM as Chromium built it: every student's row shows grade's numbers.
    dom = Page()
    dom.feed(_browse(chromium, tmp_path / "p1", html, "--dump-dom"))
    assert len(dom.rows) == 24
    for s in expected:
        cells = dom.rows[s["id"]]
        average = "" if s["average"] is None else f"{s['average']:.2f}"
        assert (cells[-3], cells[-1].split(" (")[0]) == (average, labels[s["decision"]]), (s["id"], cells)
    assert sum(1 for tag, a in dom.tags if tag == "section" and a.get("class") == "card") == 24

    # Screenshots, kept for a human to look at.
    top = ARTIFACTS / "class-report.png"
    _browse(chromium, tmp_path / "p2", html, f"--screenshot={top}", "--window-size=1280,2200")
    _png(top)

    # Printed: the class pages, then exactly one A4 page per report card, in sheet order.
    pdf = ARTIFACTS / "class-report.pdf"
    _browse(chromium, tmp_path / "p3", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = _pdf_pages(pdf)
    assert len(pages) == CLASS_PAGES + len(expected)
    assert "Class summary" in pages[0] and "Averages of the 20 students" in pages[0]
    assert "Class mean per unit" in pages[0]
    assert "Projected average, mock by mock" in pages[1]
    assert "All students" in pages[2] and "Jury watch list" in pages[2]
    for s, page in zip(expected, pages[CLASS_PAGES:]):
        average = "—" if s["average"] is None else f"{s['average']:.2f}"
        assert f"({s['id']})" in page and s["name"].split()[0] in page, (s["id"], page[:200])
        assert re.search(rf"Average:\s+{re.escape(average)}(?!\d)", page), (s["id"], page[:400])
        assert labels[s["decision"]] in page and "The computation, step by step" in page


def test_french_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    html = tmp_path / "bilan.html"
    assert run("--lang", "fr", "report", CLASS, *MOCKS, "-o", str(html)).exit_code == 0
    pdf = ARTIFACTS / "bilan-de-classe.pdf"
    _browse(chromium, tmp_path / "p", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = _pdf_pages(pdf)
    assert len(pages) == CLASS_PAGES + 24
    assert "Bilan de la classe" in pages[0] and "Tous les candidats" in pages[2]
    assert re.search(r"Moyenne :\s+13,07", pages[CLASS_PAGES])  # NDRC2501, the first card


def test_student_markup_cannot_inject(chromium: str, tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6\n"
                  f"1;{HOSTILE};10;10;10;10;10;10\n"
                  '2;"<style>body{display:none}</style><iframe src=x></iframe>";9;9;9;9;9;9\n')
    html = tmp_path / "r.html"
    assert run("report", sheet, "-o", str(html)).exit_code == 0
    dom = Page()
    dom.feed(_browse(chromium, tmp_path / "p1", html, "--dump-dom"))
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert tags.count("style") == 1  # ours
    assert not any(k.startswith("on") for _, attrs in dom.tags for k in attrs)
    # The names are there, as text.
    assert dom.rows["1"][1] == HOSTILE
    assert dom.rows["2"][1].startswith("<style>body{")
    shot = ARTIFACTS / "hostile-names.png"
    _browse(chromium, tmp_path / "p2", html, f"--screenshot={shot}", "--window-size=1280,1600")
    _png(shot)


def test_transcripts_in_chromium(chromium: str, tmp_path: Path) -> None:
    """One A4 page per candidate; each page read back from the PDF: id, name,
    average and decision as `grade` computed them."""
    controle = str(EXAMPLES / "controle.csv")
    html = tmp_path / "releves.html"
    assert run("releve", CLASS, "--controle", controle, "--session", "2026", "-o", str(html)).exit_code == 0
    expected = json.loads(run("grade", CLASS, "--controle", controle, "-f", "json").stdout)["students"]
    labels = {"admis": "passed", "ajourne": "failed", "absent": "absent", "incomplet": "incomplete",
              "controle": "resit orals"}
    pdf = ARTIFACTS / "releves.pdf"
    _browse(chromium, tmp_path / "p", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert "(A4)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = _pdf_pages(pdf)
    assert len(pages) == len(expected)
    for s, page in zip(expected, pages):
        average = "—" if s["average"] is None else f"{s['average']:.2f}"
        assert f"({s['id']})" in page and s["name"] in page, (s["id"], page[:300])
        assert re.search(rf"Average\s+{re.escape(average)}(?!\d)", page), (s["id"], page)
        assert re.search(rf"Decision\s+{labels[s['decision']]}", page), (s["id"], page)
        if s.get("controle"):
            assert re.search(rf"Average after the orals:\s+{s['controle']['average_after']:.2f}", page)
    shot = ARTIFACTS / "releve.png"
    _browse(chromium, tmp_path / "p2", html, f"--screenshot={shot}", "--window-size=900,1200")
    _png(shot)


def test_french_attestations_in_chromium(chromium: str, tmp_path: Path) -> None:
    """One page per candidate not admitted, each with its blocs and the last
    session they stay valid for, read back from the PDF."""
    html = tmp_path / "attestations.html"
    assert run("--lang", "fr", "attestation", CLASS, "--session", "2026", "-o", str(html)).exit_code == 0
    expected = [s for s in json.loads(run("grade", CLASS, "--session", "2026", "-f", "json").stdout)["students"]
                if s["decision"] != "admis"]
    pdf = ARTIFACTS / "attestations.pdf"
    _browse(chromium, tmp_path / "p", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = _pdf_pages(pdf)
    assert len(pages) == len(expected)
    for s, page in zip(expected, pages):
        assert "Attestation de blocs de compétences acquis" in page and "Candidat·e" in page
        assert f"({s['id']})" in page and s["name"] in page, s["id"]
        for bloc in s["blocs"]:
            grade = f"{bloc['grade']:.2f}".replace(".", ",")
            row = rf"{bloc['id']}\s.*{bloc['unit']}\s+{grade}\s+{bloc['valid_until']}"
            assert re.search(row, page), (s["id"], page)
        if not s["blocs"]:
            assert "Aucun bloc acquis" in page


def test_hostile_names_in_the_documents(chromium: str, tmp_path: Path) -> None:
    """A name made of markup is text in the transcripts and attestations, as Chromium builds them."""
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6\n"
                  f"1;{HOSTILE};8;8;8;8;8;8\n"
                  '2;"<style>body{display:none}</style><iframe src=x></iframe>";9;9;9;9;9;9\n')
    for command in ("releve", "attestation"):
        html = tmp_path / f"{command}.html"
        assert run(command, sheet, "-o", str(html)).exit_code == 0
        dump = _browse(chromium, tmp_path / f"p-{command}", html, "--dump-dom")
        dom = Page()
        dom.feed(dump)
        tags = [tag for tag, _ in dom.tags]
        assert "script" not in tags and "img" not in tags and "iframe" not in tags
        assert tags.count("style") == 1
        assert not any(k.startswith("on") for _, attrs in dom.tags for k in attrs)
        assert "&lt;script&gt;alert" in dump and "&lt;style&gt;body{display:none}" in dump


def test_bulletins_in_chromium(chromium: str, tmp_path: Path) -> None:
    """The semester's report cards: one A4 page per student, each read back
    from the PDF — name and id, every subject's average with its unit, the
    projected average, the decision and the progress — as the JSON gives them."""
    book, previous = str(EXAMPLES / "semestre-2.xlsx"), str(EXAMPLES / "semestre-1.xlsx")
    html = tmp_path / "bulletins.html"
    assert run("bulletin", book, "--previous", previous, "-o", str(html)).exit_code == 0
    data = json.loads(run("bulletin", book, "--previous", previous, "-f", "json").stdout)
    labels = {"admis": "passed", "ajourne": "failed", "incomplet": "incomplete", "controle": "resit orals"}
    pdf = ARTIFACTS / "bulletins.pdf"
    _browse(chromium, tmp_path / "p", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert "(A4)" in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = _pdf_pages(pdf)
    assert len(pages) == len(data["students"]) == 24
    for s, page in zip(data["students"], pages):
        assert f"{s['name']} ({s['id']})" in page, page[:300]
        for subject, figures in s["subjects"].items():
            shown = "—" if figures["average"] is None else f"{figures['average']:.2f}"
            assert re.search(rf"{re.escape(subject)}\s+E\w+\s+{re.escape(shown)}\s", page), (s["id"], subject)
        average = "—" if s["average"] is None else f"{s['average']:.2f}"
        assert re.search(rf"Average\s+{re.escape(average)}\n", page), (s["id"], page[-600:])
        assert re.search(rf"Decision\s+{labels[s['decision']]}\n", page), (s["id"], page[-600:])
        assert re.search(r"Against the semester before\s+[▲▼=]", page), (s["id"], page[-600:])


def test_french_bulletins_in_chromium(chromium: str, tmp_path: Path) -> None:
    book = str(EXAMPLES / "semestre-2.xlsx")
    html = tmp_path / "bulletins.html"
    assert run("--lang", "fr", "bulletin", book, "-o", str(html)).exit_code == 0
    first = json.loads(run("bulletin", book, "-f", "json").stdout)["students"][0]
    pdf = tmp_path / "bulletins-fr.pdf"
    _browse(chromium, tmp_path / "p", html, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    page = _pdf_pages(pdf)[0]
    assert page.startswith("Bulletin semestriel") and f"{first['name']} ({first['id']})" in page
    assert re.search(rf"Moyenne\s+{first['average']:.2f}\n".replace(".", ","), page), page[-600:]
    assert re.search(r"Décision\s+admis\n", page) and "Calculé par ndrc" in page
