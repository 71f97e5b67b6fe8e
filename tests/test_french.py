"""French output is French throughout: Typer's and Click's own words, the
system's reasons, every help page, and the typography (conftest's `run` also
takes every failing command of the suite again in French)."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys

import pytest
from conftest import EXAMPLES, ROOT
from french import english_words, typography_faults

from ndrc_cli import i18n
from ndrc_cli.i18n.catalog import MESSAGES

CLASS = str(EXAMPLES / "classe-ndrc.csv")
COMMANDS = ["", "grade", "template", "programme", "simulate", "attestation", "releve", "report", "bulletin"]


def ndrc_fr(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80", "NO_COLOR": "1", "NDRC_LANG": "fr"}
    return subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)


def test_the_checks_catch_what_they_look_for() -> None:
    """The two checks used everywhere fail on the faults they exist for."""
    assert english_words("erreur : Invalid value for --format") == ["Invalid", "for", "value"]
    assert english_words("Usage: ndrc grade [OPTIONS]") == ["Usage"]
    assert english_words("erreur : Show this message and exit.") == ["Show", "and", "exit", "this"]
    assert english_words("«\u202fthe value\u202f» dans classe.csv, --sheet, N.Not") == []
    assert typography_faults("erreur: x") == ["erreur: x"]
    assert typography_faults("moyenne : 12") == ["moyenne : 12"]  # a plain space: the line may break there
    assert typography_faults("taux 12,5%") and typography_faults("« x »") and typography_faults("vraiment?")
    assert typography_faults("classe.csv:3:5: E4\u202f: la note 21\u202f; «\u202fx\u202f» cité") == []


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_french_message_is_french(key: str) -> None:
    text = re.sub(r"\{[^}]*\}", "X", MESSAGES[key][1])
    assert english_words(text) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_is_french(command: str) -> None:
    proc = ndrc_fr(*([command] if command else []), "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Utilisation\u202f: ndrc")
    assert english_words(proc.stdout) == [], proc.stdout
    assert typography_faults(proc.stdout) == [], proc.stdout
    assert "Affiche cette aide et quitte." in proc.stdout and "Options\u202f:" in proc.stdout


# Each shape of Click's own usage errors, and what French says instead.
CLICK_ERRORS = [
    (["grade", CLASS, "--bogus"], "option inconnue\u202f: --bogus"),
    (["grade", CLASS, "--forc"], "(options proches\u202f: --force, --format)"),
    (["grade", CLASS, "-f", "zz"], "valeur invalide pour --format / -f\u202f: «\u202fzz\u202f» n'est pas parmi"),
    (["grade", CLASS, "--session", "abc"], "«\u202fabc\u202f» n'est pas un nombre entier"),
    (["simulate", "--seed", "-1", CLASS], "valeur invalide pour --seed\u202f: -1\u202f: une graine est un entier"),
    (["programme", "--bloc"], "l'option --bloc attend une valeur"),
    (["grade", "--excel=3", CLASS], "l'option --excel ne prend pas de valeur"),
    (["grade", CLASS, "en-trop"], "argument(s) en trop\u202f: en-trop"),
    (["releve", "--student", "X"], "argument manquant\u202f: FEUILLE"),
    (["nocmd"], "commande inconnue\u202f: «\u202fnocmd\u202f»"),
]


@pytest.mark.parametrize(("args", "expected"), CLICK_ERRORS)
def test_click_usage_errors_speak_french(args: list[str], expected: str) -> None:
    proc = ndrc_fr(*args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    if len(lines) > 1:  # Click gives the usage line unless its parser lost the command (a missing value)
        assert lines[0].startswith("Utilisation\u202f: ndrc"), proc.stderr
        assert lines[1].startswith("Pour l'aide\u202f: «\u202fndrc"), proc.stderr
    assert lines[-1].startswith("erreur\u202f: ") and expected in lines[-1], proc.stderr
    assert english_words(proc.stderr) == [], proc.stderr
    assert typography_faults(proc.stderr) == [], proc.stderr


def test_click_usage_errors_keep_their_english_words_in_english() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NDRC_LANG": "en"}
    proc = subprocess.run([sys.executable, "-m", "ndrc_cli", "grade", CLASS, "-f", "zz"], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=False)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith("Usage: ndrc grade")
    assert proc.stderr.splitlines()[-1] == ("error: Invalid value for --format / -f: 'zz' is not one of "
                                            "table, csv, json, markdown, xlsx.")


@pytest.mark.parametrize(("code", "french"), [
    (errno.ENOENT, "fichier ou dossier introuvable"), (errno.EACCES, "permission refusée"),
    (errno.EISDIR, "c'est un dossier"), (errno.ENOSPC, "plus de place sur le disque"),
    (errno.EROFS, "système de fichiers en lecture seule"),
])
def test_the_systems_reasons_are_translated(code: int, french: str) -> None:
    i18n.set_language("fr")
    assert i18n.os_reason(OSError(code, os.strerror(code))) == french
    i18n.set_language("en")
    assert i18n.os_reason(OSError(code, os.strerror(code))) == os.strerror(code)


def test_a_missing_sheet_says_why_in_french() -> None:
    proc = ndrc_fr("grade", "absent.csv")
    assert proc.returncode == 1
    assert proc.stderr == "erreur\u202f: impossible de lire absent.csv\u202f: fichier ou dossier introuvable\n"
