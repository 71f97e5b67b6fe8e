"""French and English: every command, in each language, writes nothing of the
other (curriculum data excepted, which stays as written in the YAML)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write

from ndrc_cli import i18n
from ndrc_cli.i18n import detect_language
from ndrc_cli.i18n.catalog import MESSAGES

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCKS = [str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")]


def _fragments(lang: str) -> set[str]:
    """Pieces of text that belong to `lang` only (long enough to be telling)."""
    index = 0 if lang == "en" else 1
    own = {texts[index] for texts in MESSAGES.values()}
    other_texts = {texts[1 - index] for texts in MESSAGES.values()}
    pieces = set()
    for text in own:
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" :;,.()«»—-")
            if len(piece) >= 12 and not any(piece in other for other in other_texts):
                pieces.add(piece)
    return pieces


def _check(output: str, lang: str) -> None:
    foreign = _fragments("fr" if lang == "en" else "en")
    found = sorted(piece for piece in foreign if piece in output)
    assert not found, f"{lang} output holds the other language: {found[:5]}"


def _outputs(tmp_path: Path) -> list[str]:
    bad = write(tmp_path / "bad.csv", "id;E1;E4;E7\n1;25;DISP;1\n1;x;;\n")
    cur = write(tmp_path / "c.yaml", (ROOT / "curriculum.yaml").read_text().replace("coefficient: 5", "coefficient: 0"))
    runs = [
        run("grade", CLASS, "-f", "table"),
        run("grade", CLASS, "-f", "markdown"),
        *(run("grade", CLASS, "--explain", sid) for sid in ("NDRC2503", "NDRC2505", "NDRC2507", "NDRC2509")),
        run("grade", bad),
        run("grade", CLASS, "-c", cur),
        run("grade", CLASS, "-o", CLASS),
        run("programme", "--all"),
        run("programme", "--all", "-f", "markdown"),
        run("programme", "--bloc", "9"),
        run("simulate", *MOCKS, "-f", "table"),
        run("simulate", *MOCKS, "-f", "markdown", "--unit", "E4"),
        run("simulate", "--set", "E1=12", "--set", "E4=9,5", "-f", "table"),
        run("grade", CLASS, "--kept", str(EXAMPLES / "session-anterieure.csv"), "--controle",
            str(EXAMPLES / "controle.csv"), "--jury-margin", "0.5", "--session", "2026", "-f", "table"),
        run("grade", CLASS, "--kept", str(EXAMPLES / "session-anterieure.csv"), "--controle",
            str(EXAMPLES / "controle.csv"), "--jury-margin", "0.5", "--session", "2026", "-f", "markdown"),
        run("grade", CLASS, "--controle", str(EXAMPLES / "controle.csv"), "--explain", "NDRC2513"),
        run("attestation", CLASS, "--student", "NDRC2517", "-f", "markdown"),
        run("attestation", CLASS, "--student", "NDRC2501"),
        run("report", CLASS, *MOCKS),
    ]
    return [r.stdout + r.stderr for r in runs]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_commands_speak_one_language(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    i18n.set_language(lang)
    outputs = _outputs(tmp_path)
    for output in outputs:
        assert output.strip()
        _check(output, lang)
    joined = "\n".join(outputs)
    if lang == "fr":
        assert "ajourné" in joined and "Bilan de la classe" in joined and "12,50" in joined
        assert "la note 25 n'est pas entre 0 et 20" in joined
    else:
        assert "failed" in joined and "Class summary" in joined and "12.50" in joined
        assert "grade 25 is not between 0 and 20" in joined


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("command",
                         ["", "grade", "template", "programme", "simulate", "attestation", "releve", "report",
                          "bulletin"])
def test_help_in_each_language(lang: str, command: str) -> None:
    args = [sys.executable, "-m", "ndrc_cli", "--lang", lang, *([command] if command else []), "--help"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NDRC_LANG", None)
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    _check(proc.stdout, lang)
    if command == "grade":
        assert ("Format de sortie" if lang == "fr" else "Output format") in proc.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"NDRC_LANG": "fr"}, "fr"),
        ({"NDRC_LANG": "en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "fr"}, "fr"),
        # gettext's order: LANGUAGE first (its first entry), and C means no preference.
        ({"LANGUAGE": "fr", "LANG": "en_US.UTF-8"}, "fr"),
        ({"LANGUAGE": "en:fr", "LC_ALL": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({}, "en"),
    ],
)
def test_language_detection(env: dict[str, str], expected: str) -> None:
    assert detect_language(env) == expected


@pytest.mark.parametrize(("lang", "count", "expected"), [
    ("en", 1, "error: 1 problem found; nothing was written."),
    ("en", 2, "error: 2 problems found; nothing was written."),
    ("fr", 1, "erreur\u202f: 1 problème trouvé\u202f; rien n'a été écrit."),
    ("fr", 3, "erreur\u202f: 3 problèmes trouvés\u202f; rien n'a été écrit."),
])
def test_counts_have_plural_forms(lang: str, count: int, expected: str) -> None:
    i18n.set_language(lang)
    assert i18n.tn("err.summary", count) == expected
    i18n.set_language("fr")
    assert i18n.tn("chart.hist_title", 1) == "Moyenne du seul candidat qui a une moyenne"


def test_machine_formats_keep_codes_and_points_in_french() -> None:
    i18n.set_language("fr")
    csv_out = run("grade", CLASS, "-f", "csv").stdout
    assert "NDRC2504,Lefèvre Inès" in csv_out and ",8.00,8.00,ajourne," in csv_out
    # --excel CSV is for people: French headers and decision labels (numbers as ever).
    excel = run("grade", CLASS, "--excel").stdout
    assert excel.startswith("\ufeffN° candidat;Nom;classe;") and ";Moyenne;Moyenne professionnelle;Décision;" in excel
    assert ";8,00;8,00;ajourné;" in excel


def test_session_notes_use_the_french_decimal_comma() -> None:
    i18n.set_language("fr")
    out = run("grade", CLASS, "--kept", str(EXAMPLES / "session-anterieure.csv"), "--session", "2026", "-f",
              "markdown").stdout
    assert "E4\u202f: 14,00 de 2019 périmée (plus de 5 ans)" in out


@pytest.mark.parametrize("args", [
    ["grade", str(EXAMPLES / "classe-ndrc.csv"), "-f", "json"],
    ["grade", str(EXAMPLES / "classe-ndrc.csv"), "--kept", str(EXAMPLES / "session-anterieure.csv"), "--controle",
     str(EXAMPLES / "controle.csv"), "--session", "2026", "--jury-margin", "0,5", "-f", "json"],
    ["grade", str(EXAMPLES / "classe-ndrc.xlsx"), "-f", "json"],
    ["simulate", str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv"), "-f", "json"],
    ["simulate", "--set", "E1=12", "--set", "E4=9,5", "-f", "json"],
    ["programme", "--all", "-f", "json"],
    ["grade", str(EXAMPLES / "classe-ndrc.csv"), "-f", "csv"],
])
def test_machine_formats_are_the_same_bytes_in_both_languages(args: list[str]) -> None:
    outputs = []
    for lang in ("en", "fr"):
        i18n.set_language(lang)
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]


def test_simulate_speaks_to_the_student_and_names_those_at_risk() -> None:
    i18n.set_language("fr")
    own = run("simulate", "--set", "E1=12", "--set", "E4=9", "-f", "table", "--no-chart").stdout
    assert " vous " in own and " you " not in own
    sim = run("simulate", str(EXAMPLES / "examen-blanc-2.csv"), "-f", "table", "--no-chart").stdout
    assert "En danger (P(admis) < 50\u202f%)\u202f: 11\u202f: Boyer Nathan (0,0\u202f%)" in sim


def _console(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`ndrc ARGS` as the console script runs it (`--lang` is read before Typer)."""
    full = {**{k: v for k, v in os.environ.items() if k not in ("NDRC_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")},
            "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", **env}
    return subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, text=True, env=full,
                          cwd=ROOT, check=False)


UNKNOWN_LANG = {
    "en": "error: Invalid value for --lang: 'de' is not one of en, fr.\n",
    "fr": "erreur\u202f: valeur invalide pour --lang\u202f: «\u202fde\u202f» n'est pas parmi\u202f: en, fr.\n",
}


@pytest.mark.parametrize("args", [
    ["--lang", "de", "grade", CLASS],
    ["grade", "--lang", "de", CLASS],
    ["grade", CLASS, "--lang", "de"],
    ["grade", CLASS, "-o", "{out}", "--lang=de"],
    ["grade", CLASS, "--lang", "fr", "--lang", "de"],
    ["simulate", *MOCKS, "--lang", "de"],
    ["report", CLASS, "-o", "{out}", "--lang", "de"],
    ["programme", "--lang=de"],
], ids=" ".join)
@pytest.mark.parametrize("env", [{"NDRC_LANG": "en"}, {"NDRC_LANG": "fr"}, {"LANG": "fr_FR.UTF-8"},
                                 {"NDRC_LANG": "en", "NDRC_NO_EXPRESS": "1"}], ids=str)
def test_an_unknown_language_is_a_usage_error_wherever_it_stands(
        args: list[str], env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    proc = _console([a.replace("{out}", str(out)) for a in args], env)
    lang = "en" if env.get("NDRC_LANG") == "en" else "fr"
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.endswith(UNKNOWN_LANG[lang]), proc.stderr
    assert proc.stdout == "" and not out.exists()


@pytest.mark.parametrize("args", [["grade", CLASS, "--lang"], ["--lang"]], ids=" ".join)
def test_lang_without_a_value_says_so(args: list[str]) -> None:
    proc = _console(args, {"NDRC_LANG": "en"})
    assert proc.returncode == 2
    assert proc.stderr.endswith("error: Option '--lang' requires an argument.\n"), proc.stderr


@pytest.mark.parametrize("args", [
    ["--lang", "fr", "grade", CLASS, "-f", "markdown"],
    ["grade", "--lang=fr", CLASS, "-f", "markdown"],
    ["grade", CLASS, "-f", "markdown", "--lang", "fr"],
    ["grade", CLASS, "--lang", "en", "-f", "markdown", "--lang=fr"],
], ids=" ".join)
@pytest.mark.parametrize("express", ["0", "1"])
def test_lang_is_read_before_or_after_the_command_and_its_arguments(args: list[str], express: str) -> None:
    proc = _console(args, {"NDRC_LANG": "en", "NDRC_NO_EXPRESS": express})
    assert proc.returncode == 0, proc.stderr
    assert "| Décision |" in proc.stdout and "13,07" in proc.stdout


def test_lang_after_the_command_in_process(tmp_path: Path) -> None:
    """The application itself (as a test runner calls it) reads `--lang` anywhere too."""
    unknown = run("report", CLASS, "--lang", "de", "-o", str(tmp_path / "r.html"))
    assert unknown.exit_code == 2 and unknown.stderr.endswith(UNKNOWN_LANG["en"])
    assert not (tmp_path / "r.html").exists()
    french = run("programme", "-s", "nope", "--lang=fr")
    assert french.exit_code == 2 and french.stderr.startswith("erreur\u202f: --section\u202f: section inconnue")


def test_lang_first_moves_the_option_before_the_command() -> None:
    from ndrc_cli.cli.entry import lang_first

    assert lang_first(["grade", "a.csv"]) == (None, ["grade", "a.csv"])
    assert lang_first(["grade", "a.csv", "--lang", "fr"]) == ("fr", ["--lang", "fr", "grade", "a.csv"])
    assert lang_first(["grade", "--lang=en", "a.csv"]) == ("en", ["--lang", "en", "grade", "a.csv"])
    assert lang_first(["--lang", "fr", "grade", "--lang", "en"]) == ("en", ["--lang", "en", "grade"])
    assert lang_first(["grade", "--lang", "xx", "--lang", "fr"]) == ("xx", ["--lang", "xx", "grade"])
    assert lang_first(["grade", "a.csv", "--lang"]) == (None, ["--lang"])
    # After `--`, an argument, not the option.
    assert lang_first(["grade", "--", "--lang", "fr"]) == (None, ["grade", "--", "--lang", "fr"])
    assert lang_first(["grade", "--lang", "fr", "--", "--lang"]) == ("fr", ["--lang", "fr", "grade", "--", "--lang"])
