"""`ndrc programme`: every fact of the school's programme, its exam table,
golden snapshots at 60 and 100 columns, and a validated YAML section."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write

from ndrc_cli.core.errors import InputError
from ndrc_cli.core.folding import fold_header
from ndrc_cli.load.curriculum import parse_curriculum

#: The exam table of the school's programme document, its rows as written there
#: (code, épreuve, coefficient, form, taught subjects; tab-separated).
EXAM_TABLE = Path(__file__).parent / "fixtures" / "programme-exams.tsv"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NDRC_UPDATE_GOLDEN") == "1"


def _norm(text: str) -> str:
    return fold_header(text.replace("mn", "min").replace("minin", "min"))


def programme_json() -> dict:  # type: ignore[type-arg]
    result = run("programme", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_programmes_exam_table_is_all_there() -> None:
    """Walk the programme document's exam table: each épreuve, coefficient and form appears."""
    cell = r"\t([^\t\n]+)"
    rows = re.findall(rf"^(E\d|EF1){cell * 4}$", EXAM_TABLE.read_text(encoding="utf-8"), re.M)
    assert [r[0] for r in rows] == ["E1", "E2", "E3", "E4", "E5", "E6", "EF1"]
    exams = {e["code"]: e for e in programme_json()["exams"]}
    table = run("programme", "--all", "--format", "markdown").stdout
    for code, name, coef, form, subjects in rows:
        exam = exams[code]
        table_words = set(fold_header(w) for w in re.split(r"[\s-]+", name) if w)
        ours = set(fold_header(w) for w in re.split(r"[\s-]+", exam["name"]) if w)
        assert table_words <= ours, (code, name, exam["name"])
        if coef.strip().isdigit():
            assert exam["coefficient"] == int(coef)
            assert f"| {coef.strip()} |" in table
        else:  # "Points > de 10"
            assert exam["coefficient"] is None and exam["counts"] == "points_above"
            assert "points \\> 10" in table
        assert _norm(form) in _norm(exam["form"]), (code, form, exam["form"])
        for subject in re.split(r"\s+(?=[A-ZÉ])", subjects.strip()):
            assert fold_header(subject) in fold_header(" ".join(exam["subjects"])), (code, subject)


FACTS = [
    "1358", "08/09/2025", "25/06/2027", "RNCP 38368", "Ministère de l'Enseignement supérieur et de la recherche",
    "19/02/2018", "3 days in company, 2 at school", "Contrat de professionnalisation", "Contrat d'apprentissage",
    "Schola Nova, 51-53 Quai de la Seine, 75019 Paris", "à distance", "handicap", "niveau 4", "ordinateur portable",
    "réunion d'information collective", "entretien individuel", "Gratuite", "Séances de formation en salle",
    "référent pédagogique", "Examens blancs : deux sessions par an", "conseils de classe semestriels",
    "Passage du BTS en deuxième année", "Feuilles de présence", "Technico-commercial",
    "E5 Relation client à distance et digitalisation", "points \\> 10", "21",
]
AREAS = ["Marketing", "Communication/négociation", "Gestion commerciale", "Management", "Statistiques",
         "Savoirs technologiques/web", "Savoirs rédactionnels", "Savoirs juridiques"]


def test_every_fact_in_all_and_in_json() -> None:
    text = run("programme", "--all", "--format", "markdown").stdout
    data = json.dumps(programme_json(), ensure_ascii=False)
    # The JSON holds the data, not the display: ISO dates, numbers, codes.
    as_data = {"08/09/2025": "2025-09-08", "25/06/2027": "2027-06-25", "19/02/2018": "2018-02-19",
               "3 days in company, 2 at school": '"company_days": 3, "school_days": 2',
               "points \\> 10": '"counts": "points_above"', "21": '"total_coefficient": 21',
               "E5 Relation client à distance et digitalisation":
                   '"name": "Relation client à distance et digitalisation"'}
    for fact in FACTS:
        assert fact in text, fact
        assert as_data.get(fact, fact) in data, fact
    p = programme_json()["programme"]
    assert (p["hours"], p["start"], p["end"], p["rhythm"]["company_days"], p["rhythm"]["school_days"]) == (
        1358, "2025-09-08", "2027-06-25", 3, 2)
    for bloc in p["content"]["blocs"]:
        areas = [a["area"] for a in bloc["knowledge"]]
        assert all(any(a.startswith(w) for a in areas) for w in ("Marketing", "Communication/négociation")), areas
    every_area = {a["area"].split("/")[0] for b in p["content"]["blocs"] for a in b["knowledge"]}
    for area in AREAS:
        assert any(a.startswith(area.split("/")[0]) for a in every_area), area
        assert area.split("/")[0] in text
    assert [g["unit"] for g in p["content"]["general"]] == ["E1", "E2", "E3"]
    assert "Négocier et vendre une solution adaptée au client" in text


@pytest.mark.parametrize(
    ("name", "args", "width"),
    [
        ("overview-100", (), 100),
        ("overview-60", (), 60),
        ("bloc1-60", ("--bloc", "1"), 60),
        ("exams-100", ("--section", "exams"), 100),
    ],
)
def test_golden(monkeypatch: pytest.MonkeyPatch, name: str, args: tuple[str, ...], width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    result = run("programme", *args)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= width
    golden = GOLDEN / f"programme-{name}.txt"
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8"), f"regenerate with NDRC_UPDATE_GOLDEN=1: {golden}"


def test_custom_curriculum_without_programme() -> None:
    result = run("programme", "--curriculum", str(EXAMPLES / "bts-mco.yaml"), "--format", "markdown")
    assert result.exit_code == 0
    assert "This curriculum has no programme section: only its exam table is available." in result.stdout
    assert "E5 Développement de la relation client et vente conseil | 3 |" in result.stdout
    assert "E2 Langue vivante étrangère 1 : compréhension de l'écrit et expression écrite | 1.5 |" in result.stdout
    assert "Duration" not in result.stdout
    data = json.loads(run("programme", "-c", str(EXAMPLES / "bts-mco.yaml"), "-f", "json").stdout)
    assert data["programme"] is None and data["total_coefficient"] == 21


def test_programme_section_is_validated(tmp_path: Path) -> None:
    text = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
    bad = text.replace("  hours: 1358\n", "  hours: 1358\n  hourz: 12\n").replace(
        '  start: "2025-09-08"', "  start: 2025-09-08").replace('      - bloc: "B3"', '      - bloc: "B9"')
    with pytest.raises(InputError) as info:
        parse_curriculum(bad, "c.yaml")
    lines = bad.splitlines()
    at = {needle: next(i for i, line in enumerate(lines, 1) if needle in line)
          for needle in ("hourz", "start: 2025", "B9")}
    assert [str(d) for d in info.value.diagnostics] == [
        f"c.yaml:{at['hourz']}: unknown key 'hourz' in programme (expected: accessibility, admission, assessment, "
        "careers, certifier, content, end, equipment, funding, hours, objective, place, prerequisites, registered, "
        "remote, rhythm, rncp, short_names, start, subjects, teaching, title, years)",
        f"c.yaml:{at['start: 2025']}: programme.start: '2025-09-08' would be read by YAML as a boolean, number, "
        "date or null; quote it",
        f"c.yaml:{at['B9']}: programme.content.blocs: unknown bloc 'B9'",
    ]
    result = run("programme", "-c", write(tmp_path / "c.yaml", bad))
    assert result.exit_code == 1 and "unknown key 'hourz' in programme" in result.stderr


def test_programme_errors() -> None:
    result = run("programme", "--bloc", "7")
    assert result.exit_code == 1 and result.stderr == "error: no bloc '7' in the programme (choose from B1, B2, B3)\n"
    assert run("programme", "--section", "nope").exit_code == 2


def test_french_programme(monkeypatch: pytest.MonkeyPatch) -> None:
    from ndrc_cli import i18n

    i18n.set_language("fr")
    out = run("programme", "--format", "markdown").stdout
    assert "## Durée et rythme" in out and "| 3 | 14,29 % |" in out and "1358 heures sur 2 ans" in out


def test_the_engagement_unit_and_the_texts_are_shown() -> None:
    data = json.loads(run("programme", "--format", "json").stdout)
    ef2 = next(e for e in data["exams"] if e["code"] == "EF2")
    assert (ef2["name"], ef2["unit"], ef2["counts"]) == ("Engagement étudiant", "UF2", "points_above")
    assert "Arrêté du 23 septembre 2020 (engagement étudiant)" in ef2["source"] and ef2["confidence"]
    about = {s["about"]: s for s in data["sources"]}
    assert "Code de l'éducation, art. D643-22" in about["rules"]["source"]
    assert "D643-13" not in json.dumps(data)  # the pass mark's article is D643-22
    full = run("programme", "--all").stdout
    assert full.count("Texts") >= 3 and "EF2 Engagement étudiant" in full
    assert "What the texts leave uncertain" in full


def test_an_engagement_column_is_read_as_ef2(tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("id;E1;E2;E3;E4;E5;E6;LV2;Engagement étudiant\n1;9;9;9;9;9;9;14;16\n", encoding="utf-8")
    student = json.loads(run("grade", str(sheet), "-f", "json").stdout)["students"][0]
    assert student["bonus"] == 10 and student["average"] == 9.48


def test_what_is_confirmed_and_what_stays_uncertain() -> None:
    """E1's 3 hours are no longer a doubt; E5's written part cites the paper that
    gives its coefficient; E6 keeps 30 minutes, marked uncertain against 40."""
    data = json.loads(run("programme", "--format", "json").stdout)
    exams = {e["code"]: e for e in data["exams"]}
    assert (exams["E1"]["form"], exams["E1"]["confidence"]) == ("Écrite – 3 h", "")
    assert "Sujet national BTS NDRC, session 2024, épreuve E5 (première partie)" in exams["E5"]["source"]
    assert "coefficient 2" in exams["E5"]["confidence"]
    assert exams["E6"]["form"] == "Orale – 30 min"
    assert "incertaine" in exams["E6"]["confidence"] and "40 min" in exams["E6"]["confidence"]
    controle = next(s for s in data["sources"] if s["about"] == "rules.controle")
    assert "Arrêté du 9 mai 2025 (épreuves de contrôle), art. 1" in controle["source"]
    assert "20 juin 2024" not in controle["source"]
