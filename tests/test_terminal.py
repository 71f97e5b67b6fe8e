"""Nothing raw on a terminal, and any stdout encoding (cli/terminal.py, core/controls.py).

What an attacker controls — cell texts (names, ids, carried columns), sheet
names, file names, option values Click echoes — must never reach a terminal
as something it obeys (ESC c resets it, BEL rings, U+202E reverses a line),
nor forge a line of a message; a stdout that cannot encode a character gets
a replacement, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write

from ndrc_cli.core.controls import one_line, visible

HOSTILE = "Evil\x1bc\x07\u202eman\u2066x\u200b"
RAW = (b"\x1bc", b"\x07", "\u202e".encode(), "\u2066".encode(), "\u200b".encode())


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT), **extra}
    env.pop("NDRC_CURRICULUM", None)
    return env


def on_terminal(*args: str, **env: str) -> tuple[int, bytes]:
    """Run `python -m ndrc_cli ARGS` with stdout and stderr on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ndrc_cli", *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, env=_env(**env), cwd=ROOT)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    code = proc.wait(60)
    os.close(master)
    return code, out


def piped(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ndrc_cli", *args], capture_output=True, env=_env(**env), cwd=ROOT,
                          check=False, stdin=subprocess.DEVNULL)


def _hostile_sheet(tmp_path: Path) -> str:
    # Not admitted (an attestation is written for them), a carried column, a hostile id too.
    return write(tmp_path / "s.csv", f'id;nom;E1;E2;E3;E4;E5;E6;Remarque\n"X1\x1b[2J";"{HOSTILE}";5;6;7;8;9;4;'
                                     f'"{HOSTILE}"\n')


def _raw_in(out: bytes) -> list[bytes]:
    # Rich colours a table with SGR sequences (ESC [ … m): those are ndrc's, the only ESC allowed.
    without_colours = re.sub(rb"\x1b\[[0-9;]*m", b"", out)
    return [seq for seq in (*RAW, b"\x1b") if seq in without_colours]


# -- 1. nothing raw on a terminal ------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["attestation", "{sheet}"],  # Markdown by default on a terminal
    ["attestation", "{sheet}", "-f", "markdown"],
    ["grade", "{sheet}", "-f", "markdown"],
    ["grade", "{sheet}"],  # a Rich table
    ["grade", "{sheet}", "-f", "csv"],
    ["grade", "{sheet}", "--excel"],
    ["grade", "{sheet}", "-f", "json"],
    ["grade", "{sheet}", "--explain", "X1\x1b[2J"],
])
def test_a_hostile_cell_reaches_no_terminal_raw(tmp_path: Path, args: list[str]) -> None:
    sheet = _hostile_sheet(tmp_path)
    code, out = on_terminal(*(a.format(sheet=sheet) for a in args))
    assert code == 0, out
    assert _raw_in(out) == [], out
    assert b"\\u202eman\\u2066x\\u200b" in out, out  # shown (JSON writes ESC as \\u001b itself)


def test_machine_formats_into_a_pipe_keep_the_data_exact(tmp_path: Path) -> None:
    sheet = _hostile_sheet(tmp_path)
    csv = piped("grade", sheet, "-f", "csv")
    assert csv.returncode == 0 and HOSTILE.encode() in csv.stdout
    json = piped("grade", sheet, "-f", "json")
    import json as json_module

    assert json_module.loads(json.stdout)["students"][0]["name"] == HOSTILE


@pytest.mark.parametrize("args", [
    ["\x1bc\x07\u202eoops"],  # an unknown command
    ["grade", "x.csv", "--\x1bc\u202e"],  # an unknown option
    ["grade", "x.csv", "-f", "\x1bc\x07\u202e"],  # a bad --format value, echoed back
    ["simulate", "--seed", "\x1bc"],
    ["grade", "no\x1bc\u202esuch.csv"],  # a file name
])
def test_click_and_our_messages_echo_nothing_raw(args: list[str]) -> None:
    code, out = on_terminal(*args)
    assert code in (1, 2), out
    assert _raw_in(out) == [], out
    assert b"\\x1bc" in out, out
    code, out = on_terminal("--lang", "fr", *args)
    assert _raw_in(out) == [], out


def _two_sheets(tmp_path: Path, hostile: str) -> str:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["id", "E1", "E2", "E3", "E4", "E5", "E6"])
    first.append(["1", 12, 12, 12, 12, 12, 12])
    other = book.create_sheet(hostile)
    other.append(["id", "E1", "E2", "E3", "E4", "E5", "E6"])
    other.append(["2", 12, 12, 12, 12, 12, 12])
    path = tmp_path / "b.xlsx"
    book.save(path)
    return str(path)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_sheet_name_holding_a_line_break_forges_no_line(tmp_path: Path, lang: str) -> None:
    book = _two_sheets(tmp_path, "x\nerror forged\u202e")  # no colon in a sheet name
    proc = piped("--lang", lang, "grade", book, "--sheet", "nope\nerror: forged too")
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "forged" in lines[0] and "\\x0a" in lines[0] and "\\u202e" in lines[0]


def test_a_file_name_holding_a_line_break_forges_no_line(tmp_path: Path) -> None:
    for args in (["grade", str(tmp_path / "x\nerror: forged.csv")],
                 ["grade", EXAMPLES / "classe-ndrc.csv", "-c", str(tmp_path / "c\nerror: forged.yaml")]):
        proc = piped(*map(str, args))
        assert proc.returncode in (1, 2)
        lines = [line for line in proc.stderr.decode().splitlines() if "forged" in line]
        assert len(lines) == 1 and not lines[0].startswith("error: forged"), proc.stderr


def test_every_format_character_is_made_visible() -> None:
    kept = {"\u200c", "\u200d"}  # the joiners Persian and Indic names and emoji need
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        hidden = (unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in "\t\n"
                  and char not in kept)
        escaped = visible(char) != char
        # Escaped and unassigned here: a format character of a later Unicode than this Python's.
        assert escaped == hidden or escaped and unicodedata.category(char) == "Cn", hex(code)
    assert visible("a\nb\tc") == "a\nb\tc" and one_line("a\nb") == "a\\x0ab"
    assert visible(visible(HOSTILE)) == visible(HOSTILE) == "Evil\\x1bc\\x07\\u202eman\\u2066x\\u200b"
    assert visible("\U000e0041") == "\\U000e0041"
    assert visible("\U00013439") == "\\U00013439"  # Unicode 15's Egyptian format controls, on every Python


# -- 2. any stdout encoding ------------------------------------------------------------------

ENCODINGS = ["ascii", "latin-1", "cp1252"]


def _commands(tmp_path: Path) -> list[list[str]]:
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6\n1;Łukasz ✓ Ωmega 漢字;12;12;12;12;12;12\n"
                                      "2;Zoë « x »;5;6;7;8;9;4\n")
    mock = write(tmp_path / "m.csv", "id;nom;E1;E2;E3;E4;E5;E6\n1;Łukasz ✓;12;12;12;12;;\n")
    return [
        ["grade", sheet, "-f", "table"], ["grade", sheet, "-f", "markdown"], ["grade", sheet, "-f", "csv"],
        ["grade", sheet, "-f", "json"], ["grade", sheet, "--explain", "1"], ["--lang", "fr", "grade", sheet,
                                                                            "-f", "table"],
        ["grade", sheet, "-f", "table", "--jury-margin", "1"], ["simulate", mock, "-f", "table"],
        ["attestation", sheet, "-f", "markdown"], ["programme", "--all"], ["--lang", "fr", "programme"],
        ["--help"], ["--lang", "fr", "--help"], ["--lang", "fr", "grade", "--help"], ["template"],
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_any_stdout_encoding_gets_a_replacement_never_a_traceback(tmp_path: Path, encoding: str) -> None:
    for args in _commands(tmp_path):
        proc = piped(*args, PYTHONIOENCODING=encoding)
        assert proc.returncode == 0 and b"Traceback" not in proc.stderr, (args, proc.stderr[-800:])
        assert proc.stdout, args


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_french_errors_and_notes_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    missing = piped("--lang", "fr", "grade", str(tmp_path / "Łukasz ✓.csv"), PYTHONIOENCODING=encoding)
    assert missing.returncode == 1 and b"Traceback" not in missing.stderr, missing.stderr
    text = missing.stderr.decode(encoding)
    assert text.startswith("erreur : ") and "ukasz" in text  # U+202F is no cp1252 character: a space
    usage = piped("--lang", "fr", "grade", "x.csv", "-f", "✓", PYTHONIOENCODING=encoding)
    assert usage.returncode == 2 and b"Traceback" not in usage.stderr, usage.stderr
    book = _two_sheets(tmp_path, "Feuille ✓ Ł")
    note = piped("--lang", "fr", "grade", book, "-f", "csv", PYTHONIOENCODING=encoding)
    assert note.returncode == 0 and b"Traceback" not in note.stderr, note.stderr


def test_a_terminal_in_ascii_gets_a_replacement(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", "id;nom;E1;E2;E3;E4;E5;E6\n1;Łukasz Zoë;5;6;7;8;9;4\n")
    for args in (["grade", sheet], ["attestation", sheet], ["--lang", "fr", "grade", sheet, "-f", "markdown"]):
        code, out = on_terminal(*args, PYTHONIOENCODING="ascii")
        assert code == 0 and b"Traceback" not in out, out
        assert out.isascii() and b"?ukasz Zoe" in out, out


def test_a_file_name_not_in_utf8_is_shown_not_a_traceback(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.csv")  # a Latin-1 name on a UTF-8 system: a lone surrogate in Python
    proc = piped("grade", str(tmp_path / name))
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr
    assert b"caf\\xe9.csv" in proc.stderr


# -- 3. smaller items ------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["grade", "--help"], ["--version"], ["programme"]])
def test_a_reader_that_leaves_at_once_is_no_error(args: list[str]) -> None:
    """`ndrc --help | true`: the pipe is broken before the first write."""
    read, written = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "ndrc_cli", *args], stdout=written, stderr=subprocess.PIPE,
                              env=_env(), cwd=ROOT, check=False)
    finally:
        os.close(written)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr


@pytest.mark.parametrize("option", ["--session", "--kept-session"])
@pytest.mark.parametrize("value", ["\uff12\uff10\uff12\uff16", "\u0662\u0660\u0662\u0666", "2_026"])
def test_years_are_written_with_ascii_digits(option: str, value: str) -> None:
    result = run("grade", str(EXAMPLES / "classe-ndrc.csv"), option, value)
    assert result.exit_code == 2, result.stderr
    assert "write the number with the digits 0 to 9" in result.stderr


@pytest.mark.parametrize("value", ["\uff14\uff12", "\u0664\u0662"])
def test_seeds_are_written_with_ascii_digits(value: str) -> None:
    for command in (["simulate", str(EXAMPLES / "examen-blanc-1.csv")],
                    ["report", str(EXAMPLES / "classe-ndrc.csv"), "-o", "r.html"]):
        result = run(*command, "--seed", value)
        assert result.exit_code == 2, result.stderr
        assert "write the number with the digits 0 to 9" in result.stderr


@pytest.mark.parametrize("value", ["\uff12", "\u0662", "E1=\uff12,\uff15", "E1=\u0662"])
def test_spreads_are_written_with_ascii_digits(value: str) -> None:
    result = run("simulate", str(EXAMPLES / "examen-blanc-1.csv"), "--spread", value)
    assert result.exit_code == 2, result.stderr
    assert "write the number with the digits 0 to 9" in result.stderr


def test_ascii_numbers_still_pass() -> None:
    assert run("grade", str(EXAMPLES / "classe-ndrc.csv"), "-f", "csv", "--session", " 2026").exit_code == 0
    assert run("simulate", str(EXAMPLES / "examen-blanc-1.csv"), "--spread", "1,5", "--seed", "7",
               "-f", "json").exit_code == 0


@pytest.mark.parametrize("name", ["r.md", "r.txt"])
def test_documents_for_people_hold_nothing_raw_in_a_file_either(tmp_path: Path, name: str) -> None:
    """A Markdown document or a table in a .txt file is read with `cat` later."""
    sheet = _hostile_sheet(tmp_path)
    out = tmp_path / name
    assert piped("grade", sheet, "-o", str(out)).returncode == 0
    data = out.read_bytes()
    assert _raw_in(data) == [] and b"\\u202eman" in data, data
    attestation = tmp_path / ("a" + name)
    if name.endswith(".md"):
        assert piped("attestation", sheet, "-o", str(attestation)).returncode == 0
        assert _raw_in(attestation.read_bytes()) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_note_naming_a_hostile_sheet_stays_one_line(tmp_path: Path, lang: str) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    chosen = book.active
    assert chosen is not None
    chosen.title = "x\nerror forged\u202e"
    chosen.append(["id", "E1", "E2", "E3", "E4", "E5", "E6"])
    chosen.append(["1", 12, 12, 12, 12, 12, 12])
    other = book.create_sheet("Autre")
    other.append(["id", "E1"])
    other.append(["2", 12])
    path = tmp_path / "b.xlsx"
    book.save(path)
    proc = piped("--lang", lang, "grade", str(path), "-f", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert lines and all("forged" not in line.split(":")[0] for line in lines[1:]), lines
    assert not any(line.startswith(("error forged", "erreur")) for line in lines), lines
    assert any("x\\x0aerror forged\\u202e" in line for line in lines), lines


def test_excel_csv_on_a_terminal_keeps_its_line_ends(tmp_path: Path) -> None:
    code, out = on_terminal("grade", _hostile_sheet(tmp_path), "--excel")
    assert code == 0 and b"\\x0d" not in out and out.count(b"\r\n") >= 2, out


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_table_in_a_narrow_encoding_keeps_its_columns(encoding: str) -> None:
    """A replacement is one character for one: a cut name's `…` must not push
    the rest of its row out of line (nor past 80 columns)."""
    code, out = on_terminal("grade", str(EXAMPLES / "classe-ndrc.csv"), "-f", "table", PYTHONIOENCODING=encoding,
                            COLUMNS="80", NDRC_LANG="fr")
    assert code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.decode(encoding))  # Rich's own colours
    rows = [line for line in plain.splitlines() if line.startswith("|NDRC")]
    assert rows and len({len(line) for line in rows}) == 1 and all(len(line) <= 80 for line in rows), rows
