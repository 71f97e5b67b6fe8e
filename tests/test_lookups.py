"""Options where people put them: a student found by id in any case or by a
unique name, `--lang` after the command, programme sections in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, run, write

CLASS = str(EXAMPLES / "classe-ndrc.csv")


@pytest.mark.parametrize("who", ["NDRC2505", "ndrc2505", " NDRC2505 ", "N'Diaye", "noah", "Noah N'Diaye",
                                 "n'diaye noah"])
def test_explain_finds_a_student_by_id_or_name(who: str) -> None:
    result = run("grade", CLASS, "--explain", who)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("NDRC2505 — N'Diaye Noah\n")


def test_a_name_several_students_share_is_refused(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id;nom;prenom;E1\nA1;Martin;Léa;12\nA2;Martin;Hugo;13\n")
    result = run("grade", sheet, "--explain", "martin")
    assert result.exit_code == 1
    assert result.stderr == "error: 'martin' names several students: A1 (Martin Léa), A2 (Martin Hugo); give the id\n"
    assert run("grade", sheet, "--explain", "Hugo").stdout.startswith("A2 — Martin Hugo")


def test_attestation_by_name() -> None:
    result = run("attestation", CLASS, "--student", "André", "--session", "2026")
    assert result.exit_code == 0 and "NDRC2517" in result.stdout


def test_programme_sections_in_french_and_every_bloc() -> None:
    assert run("programme", "--section", "examens").stdout == run("programme", "--section", "exams").stdout
    assert run("programme", "-s", "Épreuves", "-s", "Métiers").stdout == run(
        "programme", "-s", "exams", "-s", "careers").stdout
    for bloc, title in (("BG1", "BG1 Culture générale et expression (E1)"), ("bg3", "BG3 Culture économique"),
                        ("2", "B2 Relation client à distance et digitalisation (E5)"), ("B3", "B3 Relation client")):
        result = run("programme", "--bloc", bloc)
        assert result.exit_code == 0 and result.stdout.startswith(title), (bloc, result.stdout[:80])
    bad = run("programme", "--section", "nowhere")
    assert bad.exit_code == 2 and "nowhere" in bad.stderr


def test_lang_anywhere_on_the_line() -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NDRC_LANG", None)
    for args in (["grade", CLASS, "--lang", "fr", "--explain", "NDRC2505"],
                 ["grade", CLASS, "--explain", "NDRC2505", "--lang=fr"],
                 ["--lang", "fr", "grade", CLASS, "--explain", "NDRC2505"]):
        for express in ("0", "1"):
            proc = subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, text=True,
                                  env={**env, "NDRC_NO_EXPRESS": express, "LANG": "C"}, cwd=ROOT, check=False)
            assert proc.returncode == 0, proc.stderr
            assert "(ligne 6 de la feuille)" in proc.stdout, (args, express)
