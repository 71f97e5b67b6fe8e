"""`ndrc releve` and `ndrc attestation`: one page per candidate, the engine's
numbers on each, the right candidates, escaping (the browser test prints them)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from conftest import EXAMPLES, run, write
from test_report import HOSTILE

CLASS = str(EXAMPLES / "classe-ndrc.csv")
CONTROLE = str(EXAMPLES / "controle.csv")
KEPT = str(EXAMPLES / "session-anterieure.csv")


class Doc(HTMLParser):
    """Each candidate's section: its data-id, and the text of its elements by class."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, str]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._id: str | None = None
        self._classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "section" and a.get("data-id"):
            self._id = a["data-id"]
            self.sections[self._id or ""] = {"decision-code": a.get("data-decision") or "", "bloc-ids": ""}
        elif self._id is not None and a.get("data-bloc"):
            self.sections[self._id]["bloc-ids"] += f"{a['data-bloc']} "
        self._classes.append(a.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._classes:
            self._classes.pop()
        if tag == "section":
            self._id = None

    def handle_data(self, data: str) -> None:
        if self._id is None:
            return
        section = self.sections[self._id]
        section["text"] = section.get("text", "") + data
        for css in self._classes:
            for name in css.split():
                section[name] = section.get(name, "") + data


def _doc(*args: str) -> Doc:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    doc = Doc()
    doc.feed(result.stdout)
    return doc


def _grades(*extra: str) -> dict[str, dict[str, object]]:
    data = json.loads(run("grade", CLASS, *extra, "-f", "json").stdout)
    return {s["id"]: s for s in data["students"]}


def test_every_candidate_gets_a_transcript_with_the_engines_numbers() -> None:
    doc = _doc("releve", CLASS, "--controle", CONTROLE, "--kept", KEPT, "--session", "2026")
    expected = _grades("--controle", CONTROLE, "--kept", KEPT, "--session", "2026")
    assert list(doc.sections) == list(expected)  # every candidate, in sheet order
    for sid, s in expected.items():
        page = doc.sections[sid]
        average = "—" if s["average"] is None else f"{s['average']:.2f}"
        assert page["average"].strip() == average, sid
        assert page["decision-code"] == s["decision"], sid
        assert f"({sid})" in page["candidate"]
        assert page["session"].strip() == "2026"


def test_a_transcript_shows_the_orals_and_the_kept_grades() -> None:
    expected = _grades("--controle", CONTROLE, "--kept", KEPT, "--session", "2026")
    doc = _doc("releve", CLASS, "--controle", CONTROLE, "--kept", KEPT, "--session", "2026")
    oral = next(sid for sid, s in expected.items() if s.get("controle"))
    page = doc.sections[oral]
    final = expected[oral]["controle"]["average_after"]  # type: ignore[index]
    assert page["final-average"].strip() == f"{final:.2f}"
    kept = next(sid for sid, s in expected.items() if s.get("kept"))
    assert "Kept from earlier sessions" in doc.sections[kept]["kept"]


def test_one_transcript_by_name() -> None:
    doc = _doc("releve", CLASS, "--student", "andré")
    assert list(doc.sections) == ["NDRC2517"]


def test_attestations_go_to_every_candidate_not_admitted() -> None:
    expected = _grades("--session", "2026")
    doc = _doc("attestation", CLASS, "--session", "2026")
    assert list(doc.sections) == [sid for sid, s in expected.items() if s["decision"] != "admis"]
    page = doc.sections["NDRC2517"]
    # André Mathis: E1 10.50, E5 10.25, E6 10.00 (hand-read from the sheet), valid 5 sessions.
    assert page["bloc-ids"] == "BG1 B2 B3 "
    assert page["valid-until"] == "203120312031"
    # A candidate with no unit at 10 or more is told so, not given an empty table.
    nothing = next(sid for sid, s in expected.items()
                   if s["decision"] == "ajourne" and not s["blocs"])
    assert "No bloc acquired" in doc.sections[nothing]["no-blocs"]


def test_an_admitted_candidate_asked_for_is_told_no_attestation_is_needed() -> None:
    doc = _doc("attestation", CLASS, "--student", "NDRC2501")
    assert "Passed: the diploma certifies every bloc" in doc.sections["NDRC2501"]["text"]


def test_attestation_as_markdown_for_everyone(tmp_path: Path) -> None:
    out = tmp_path / "att.md"
    assert run("attestation", CLASS, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    not_admitted = [sid for sid, s in _grades().items() if s["decision"] != "admis"]
    assert text.count("# Attestation of acquired skill blocks") == len(not_admitted)
    assert text.count("\n---\n") == len(not_admitted) - 1


def test_documents_refuse_a_foreign_extension_and_write_nothing(tmp_path: Path) -> None:
    for args in (["releve", CLASS, "-o", str(tmp_path / "r.pdf")], ["releve", CLASS, "-o", str(tmp_path / "r.md")],
                 ["attestation", CLASS, "-o", str(tmp_path / "a.csv")],
                 ["attestation", CLASS, "-f", "markdown", "-o", str(tmp_path / "a.html")]):
        assert run(*args).exit_code == 2, args
    assert list(tmp_path.iterdir()) == []


def test_french_documents_are_gender_neutral() -> None:
    doc = _doc("--lang", "fr", "releve", CLASS, "--student", "NDRC2501")
    text = doc.sections["NDRC2501"]["text"]
    assert "Candidat·e" in text and "Relevé de notes" in text and "13,07" in text
    att = run("--lang", "fr", "attestation", CLASS, "--student", "NDRC2517", "-f", "markdown").stdout
    assert "- **Candidat·e**\u202f: NDRC2517" in att and "Le candidat" not in att


def test_hostile_names_stay_text(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", f"id;nom;E1;E2;E3;E4;E5;E6\n1;{HOSTILE};10;10;10;10;10;10\n"
                  '"<b>2</b>";"<style>*{display:none}</style>";9;9;9;9;9;9\n')
    for command in ("releve", "attestation"):
        result = run(command, sheet, "--student", "<b>2</b>" if command == "attestation" else "1")
        assert result.exit_code == 0, result.stderr
        doc = Doc()
        doc.feed(result.stdout)
        tags = [tag for tag, _ in doc.tags]
        assert "script" not in tags and "img" not in tags and "b" not in tags and tags.count("style") == 1
        assert not any(k.startswith("on") for _, attrs in doc.tags for k in attrs)
        assert "Content-Security-Policy" in result.stdout and "default-src 'none'" in result.stdout
    assert HOSTILE in _doc("releve", sheet).sections["1"]["candidate"]
