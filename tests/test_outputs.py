"""Output names: every command with `-o` refuses a name it cannot write, before
reading anything, and names what it can write; every name it can write gets
that format. Documents name their inputs by file name only."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run

from ndrc_cli import i18n

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCK = str(EXAMPLES / "examen-blanc-1.csv")

#: Each command with -o: its arguments, and the extensions it can write (by hand, not from the code's table).
COMMANDS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "grade": ([CLASS], (".txt", ".csv", ".json", ".md", ".markdown", ".xlsx")),
    "simulate": ([MOCK], (".txt", ".csv", ".json", ".md", ".markdown")),
    "report": ([CLASS], (".html", ".htm")),
    "releve": ([CLASS], (".html", ".htm")),
    "attestation": ([CLASS], (".html", ".htm", ".md", ".markdown")),
    "template": ([], (".csv", ".xlsx")),
    "programme": ([], (".txt", ".md", ".markdown", ".json")),
    "bulletin": ([str(EXAMPLES / "semestre-1.xlsx")], (".txt", ".csv", ".json", ".html", ".htm", ".xlsx")),
}
#: Names no command writes, and, per command, names of formats other commands write.
FOREIGN = (".pdf", ".ods", ".docx", ".PDF", ".dat")
NOT_THIS_ONE = {
    "grade": (".html",), "simulate": (".xlsx", ".html"), "report": (".csv", ".md", ".xlsx", ".txt"),
    "releve": (".md", ".json", ".csv"), "attestation": (".csv", ".json", ".txt", ".xlsx"),
    "template": (".txt", ".json", ".md", ".html"), "programme": (".xlsx", ".html", ".csv"),
    "bulletin": (".md", ".markdown"),
}
CASES = [(command, ext) for command in COMMANDS for ext in (*FOREIGN, *NOT_THIS_ONE[command])]


def _args(command: str, missing: str | None = None) -> list[str]:
    """The command's arguments; with `missing`, a file that does not exist as its sheet or curriculum."""
    args, _ = COMMANDS[command]
    if missing is None:
        return [command, *args]
    return [command, missing] if args else [command, "--curriculum", missing]


@pytest.mark.parametrize(("command", "ext"), CASES, ids=[f"{c} {e}" for c, e in CASES])
def test_a_name_the_command_cannot_write_is_refused_before_anything(tmp_path: Path, command: str, ext: str) -> None:
    # The sheet does not exist: a refusal before reading it is exit code 2, not 1 for the missing file.
    missing = str(tmp_path / "no-such-sheet.csv")
    out = tmp_path / f"out{ext}"
    result = run(*_args(command, missing), "-o", str(out))
    assert result.exit_code == 2, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert result.stderr.startswith(f"error: ndrc {command} cannot write a '{ext.lower()}' file; it writes: ")
    for allowed in COMMANDS[command][1]:
        assert f"{allowed}" in result.stderr, allowed


@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_refusal_in_french(tmp_path: Path, command: str) -> None:
    out = tmp_path / "x.pdf"
    i18n.set_language("fr")
    result = run(*_args(command), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith(f"erreur\u202f: ndrc {command} n'écrit pas de fichier «\u202f.pdf\u202f»"
                                    "\u202f; il écrit\u202f: "), result.stderr
    assert all(ext in result.stderr for ext in COMMANDS[command][1])


@pytest.mark.parametrize(("command", "fmt", "ext"), [
    ("grade", "json", ".csv"), ("grade", "csv", ".xlsx"), ("simulate", "csv", ".md"),
    ("attestation", "html", ".md"), ("attestation", "markdown", ".html"), ("programme", "json", ".md"),
    ("programme", "markdown", ".txt"),
])
def test_an_extension_that_says_another_format_than_format(tmp_path: Path, command: str, fmt: str, ext: str) -> None:
    out = tmp_path / f"out{ext}"
    result = run(*_args(command), "-f", fmt, "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith(f"error: '{ext}' does not match --format {fmt}; ndrc {command} writes: ")
    i18n.set_language("fr")
    french = run(*_args(command), "-f", fmt, "-o", str(out))
    assert french.stderr.startswith(f"erreur\u202f: «\u202f{ext}\u202f» ne correspond pas à --format {fmt}\u202f; "
                                    f"ndrc {command} écrit\u202f: ")


def _kind(data: bytes) -> str:
    """What a written file is, from its bytes."""
    if data.startswith(b"PK"):
        return "xlsx"
    text = data.decode("utf-8-sig")
    if text.startswith("<!DOCTYPE html>"):
        return "html"
    if text.startswith("{"):
        json.loads(text)
        return "json"
    if text.startswith("#") or "\n# " in text or "| --- |" in text or "|---|" in text:
        return "markdown"
    if text.count(",") + text.count(";") > text.count("\n") and "│" not in text and "─" not in text:
        return "csv"
    return "table"


FORMAT_OF = {".txt": "table", ".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown",
             ".xlsx": "xlsx", ".html": "html", ".htm": "html"}
GOOD = [(command, ext) for command, (_, exts) in COMMANDS.items() for ext in exts]


@pytest.mark.parametrize(("command", "ext"), GOOD, ids=[f"{c} {e}" for c, e in GOOD])
def test_each_name_the_command_can_write_gets_its_format(tmp_path: Path, command: str, ext: str) -> None:
    out = tmp_path / f"out{ext.upper() if ext == '.md' else ext}"
    result = run(*_args(command), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert _kind(out.read_bytes()) == FORMAT_OF[ext]


@pytest.mark.parametrize(("command", "default"), [
    ("grade", "csv"), ("simulate", "csv"), ("report", "html"), ("releve", "html"), ("attestation", "html"),
    ("template", "csv"), ("programme", "table"),
])
def test_a_name_without_extension_gets_the_commands_default(tmp_path: Path, command: str, default: str) -> None:
    out = tmp_path / "out"
    assert run(*_args(command), "-o", str(out)).exit_code == 0
    assert _kind(out.read_bytes()) == default


def test_format_lets_an_unknown_extension_be(tmp_path: Path) -> None:
    out = tmp_path / "programme.data"
    assert run("programme", "-f", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "ndrc/programme/v1"
    refused = run("programme", "-f", "json", "-o", str(tmp_path / "programme.ods"))
    assert refused.exit_code == 2 and not (tmp_path / "programme.ods").exists()


def test_an_explanation_is_written_as_text_only(tmp_path: Path) -> None:
    for ext in (".json", ".csv", ".md", ".xlsx"):
        out = tmp_path / f"e{ext}"
        result = run("grade", CLASS, "--explain", "NDRC2501", "-o", str(out))
        assert result.exit_code == 2 and not out.exists(), ext
        assert result.stderr == "error: --explain writes text: use -o FILE.txt, or no -o\n"
    assert run("grade", CLASS, "--explain", "NDRC2501", "-o", str(tmp_path / "e.txt")).exit_code == 0


def test_documents_refuse_a_terminal() -> None:
    """HTML and workbooks are no use on a terminal: every command says so the same way."""
    import sys
    from unittest import mock

    from ndrc_cli.cli import outputs
    from ndrc_cli.core.errors import UsageError

    with mock.patch.object(sys.stdout, "isatty", lambda: True):
        for command, fmt in (("report", None), ("releve", None), ("attestation", "html"), ("grade", "xlsx")):
            with pytest.raises(UsageError, match="not for a terminal"):
                outputs.choose(command, fmt, "-")
        assert outputs.choose("attestation", None, "-") == "markdown"
        assert outputs.choose("grade", None, "-") == "table"
        assert outputs.choose("programme", None, "-") == "table"
    with mock.patch.object(sys.stdout, "isatty", lambda: False):
        assert outputs.choose("attestation", None, "-") == "html"
        assert outputs.choose("grade", None, "-") == "csv"
        assert outputs.choose("programme", None, "-") == "table"


def test_every_command_with_an_output_option_is_checked() -> None:
    """A command that gains -o must declare what it writes."""
    from typer.main import get_command

    from ndrc_cli.cli import outputs
    from ndrc_cli.cli.typer_app import app

    group = get_command(app)
    with_output = {name for name, command in group.commands.items()  # type: ignore[attr-defined]
                   if any("--output" in p.opts for p in command.params)}
    assert with_output == set(COMMANDS) == set(outputs.WRITES)


#: A folder name that tells, as a teacher's own folders do.
PRIVATE = "Dossier-privé-de-Mme-Dupont"


def _private_inputs(tmp_path: Path) -> Path:
    """The example class, its mocks, its session files and the curriculum, in a private folder."""
    folder = tmp_path / PRIVATE / "BTS"
    folder.mkdir(parents=True)
    for name in ("classe-ndrc.csv", "classe-ndrc.xlsx", "controle.csv", "session-anterieure.csv",
                 "examen-blanc-1.csv", "examen-blanc-2.csv"):
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(ROOT / "curriculum.yaml", folder / "bts.yaml")
    # One student short: the class report says so, naming this mock exam.
    lines = (EXAMPLES / "examen-blanc-1.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "blanc-1.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    return folder


def _members(data: bytes) -> list[bytes]:
    """The bytes of a file, and of each member when it is a zip (a workbook)."""
    if not data.startswith(b"PK"):
        return [data]
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [data, *(book.read(name) for name in book.namelist())]


def test_documents_name_their_inputs_by_file_name_only(tmp_path: Path) -> None:
    folder = _private_inputs(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    sheet, book = str(folder / "classe-ndrc.csv"), str(folder / "classe-ndrc.xlsx")
    session = ["--curriculum", str(folder / "bts.yaml"), "--kept", str(folder / "session-anterieure.csv"),
               "--controle", str(folder / "controle.csv"), "--session", "2026"]
    mocks = [str(folder / "blanc-1.csv"), str(folder / "examen-blanc-2.csv")]
    documents = {
        "releve.html": ["releve", sheet, *session],
        "attestation.html": ["attestation", sheet, *session],
        "attestation.md": ["attestation", sheet, *session[:4], "--session", "2026"],
        "report.html": ["report", sheet, *mocks, *session],
        "grade.xlsx": ["grade", book, *session[:4]],
        "grade.md": ["grade", sheet, *session],
        "grade.txt": ["grade", sheet, *session],
        "simulate.md": ["simulate", str(folder / "examen-blanc-1.csv"), mocks[1], "--curriculum",
                        str(folder / "bts.yaml")],
        "programme.md": ["programme", "--all", "--curriculum", str(folder / "bts.yaml")],
    }
    for lang in ("en", "fr"):
        for name, args in documents.items():
            target = out / f"{lang}-{name}"
            result = run("--lang", lang, *args, "-o", str(target))
            assert result.exit_code == 0, (name, result.stderr)
            data = target.read_bytes()
            for member in _members(data):
                assert PRIVATE.encode() not in member and str(tmp_path).encode() not in member, name
    # Still named, by file name: in every footer, the workbook's summary and the report's note.
    text = (out / "en-releve.html").read_text(encoding="utf-8")
    assert "from classe-ndrc.csv, session-anterieure.csv, controle.csv." in text
    assert "Computed by ndrc" in (out / "en-attestation.html").read_text(encoding="utf-8")
    report = (out / "fr-report.html").read_text(encoding="utf-8")
    assert "Feuille classe-ndrc.csv, session-anterieure.csv, controle.csv" in report
    assert '<p class="note">blanc-1.csv\u202f: absents de la feuille' in report
    workbook = b"".join(_members((out / "fr-grade.xlsx").read_bytes())[1:])
    assert "à partir de classe-ndrc.xlsx, session-anterieure.csv".encode() in workbook


def test_messages_name_an_input_as_it_was_given(tmp_path: Path) -> None:
    """stderr is for the user at the machine: the path as typed."""
    folder = _private_inputs(tmp_path)
    sheet = str(folder / "classe-ndrc.csv")
    result = run("releve", sheet, "--student", "NOBODY", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1 and f"in {sheet}" in result.stderr and PRIVATE in result.stderr
