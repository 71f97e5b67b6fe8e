"""Hostile sheets, curricula, options, terminals and file systems: no
traceback, no injection, nothing clobbered. Each test is a finding of a fault
campaign, rebuilt small."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run, write

CLASS = str(EXAMPLES / "classe-ndrc.csv")
MOCK = str(EXAMPLES / "examen-blanc-1.csv")


def ndrc(*args: str, input: bytes | None = None, **kw: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ndrc_cli", *args], input=input, capture_output=True, env=env,
                          cwd=ROOT, check=False, **kw)  # type: ignore[call-overload]


# -- numbers: ASCII digits, bounded ------------------------------------------------------


@pytest.mark.parametrize("cell", ["１２", "١٢", "𝟏𝟐", "1" + "0" * 5000, "0." + "1" * 5000])
def test_strange_digits_and_huge_numbers_are_no_grade(tmp_path: Path, cell: str) -> None:
    path = write(tmp_path / "s.csv", f"id;E1\n1;{cell}\n")
    result = run("grade", path, "-f", "csv")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:2:2: E1: ")


def test_a_huge_jury_margin_is_a_usage_error() -> None:
    result = run("grade", CLASS, "--jury-margin", "9" * 5000)
    assert result.exit_code == 2 and "expected a number of points" in result.output


def test_a_superscript_session_year_is_no_year(tmp_path: Path) -> None:
    kept = write(tmp_path / "k.csv", "id;session;E1;E2;E3;E4;E5;E6\nNDRC2504;²025;12;9;7,5;8;9;10\n")
    result = run("grade", CLASS, "--kept", kept, "--session", "2026")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{kept}:2:1: no session year: add a session column or pass --kept-session"


# -- bounded work -------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 12)]
    bomb = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    started = time.monotonic()
    result = run("programme", "-c", bomb)
    assert result.exit_code == 1 and time.monotonic() - started < 30  # (it used to take minutes and GBs)
    assert result.stderr.startswith(f"{bomb}:1: YAML anchors and aliases (&name, *name) are not allowed")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading_it_all() -> None:
    sheet = ndrc("grade", "/dev/zero", timeout=60)
    assert sheet.returncode == 1
    assert sheet.stderr == b"error: /dev/zero is not a text or spreadsheet file; ndrc reads .xlsx, .xlsm, .xls, " \
                           b".ods and CSV\n"
    curriculum = ndrc("grade", CLASS, "-c", "/dev/zero", timeout=60)
    assert curriculum.returncode == 1
    assert curriculum.stderr == b"error: /dev/zero is larger than 1 MB: not a curriculum\n"


# -- no silent oddity ---------------------------------------------------------------------


def test_a_stray_byte_in_a_utf8_sheet_is_an_error_at_that_byte(tmp_path: Path) -> None:
    data = "id;nom;E1\n1;Léa;12\n2;Zoé;13\n".encode() + b"3;Ren\xe9;14\n"
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    result = run("grade", str(path), "-f", "csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (f"{path}:4:6: byte 0xe9 is not UTF-8, while the rest of the file is: "
                                             "correct this character in the sheet (or pass --encoding)")
    # A real cp1252 sheet is still read as cp1252.
    assert run("grade", str(EXAMPLES / "classe-ndrc-excel.csv"), "-f", "csv").exit_code == 0


@pytest.mark.parametrize("args", [["grade", CLASS, "-f", "table"], ["simulate", MOCK, "-f", "table"], ["programme"],
                                  ["grade", CLASS, "-f", "json"]])
def test_a_closed_pipe_is_no_error(args: list[str]) -> None:
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ndrc_cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader left before reading anything (`| true`)
    err = proc.stderr.read()
    assert proc.wait(60) == 0 and err == b""


def test_tiny_spreads_warn_nothing() -> None:
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    for spread in ("0.000001", "1e-300"):
        proc = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "ndrc_cli", "simulate", MOCK,
                               "--spread", spread, "-f", "csv"], capture_output=True, env=env, cwd=ROOT, check=False)
        assert proc.returncode == 0 and proc.stderr == b"", proc.stderr[-500:]


def test_ctrl_c_exits_130_quietly() -> None:
    """Ctrl-C once ndrc's own code runs: exit 130, no traceback. The signal is
    sent only after `main` has entered the block that handles it (before,
    Python itself is starting, and its start-up prints a traceback on Ctrl-C
    whatever the program): 'ready' is written by the first call inside it."""
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    # With "wait", ndrc waits in that first call for the signal: interrupted
    # for certain, however late a loaded machine delivers it. Without, the
    # signal lands wherever the work has got to (or after it, exit 0).
    # A shell started in the background (CI's, for one) gives its children
    # SIGINT ignored, and Python keeps it so: Ctrl-C as on a terminal first.
    code = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "import sys, time; wait = sys.argv[2] == 'wait'\n"
            "sys.argv = ['ndrc', 'simulate', sys.argv[1], '-f', 'json']\n"
            "from ndrc_cli.cli import entry, terminal\n"
            "install = terminal.install\n"
            "def ready() -> None:\n"
            "    install(); sys.stderr.write('ready\\n'); sys.stderr.flush()\n"
            "    if wait: time.sleep(60)\n"
            "terminal.install = ready\n"
            "entry.main()\n")
    for delay, mode in ((0.0, "wait"), (0.0, "go"), (0.02, "go"), (0.05, "go"), (0.1, "go")):
        proc = subprocess.Popen([sys.executable, "-c", code, MOCK, mode],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        assert proc.stderr is not None
        assert proc.stderr.readline() == b"ready\n"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        err = proc.stderr.read()
        code_ = proc.wait(60)
        # Interrupted (130), or finished before the signal came (0): never a traceback.
        assert code_ in ((130,) if mode == "wait" else (0, 130)) and err == b"", (mode, delay, code_, err[-500:])


# -- output files -------------------------------------------------------------------------


def test_an_empty_output_name_is_a_usage_error() -> None:
    result = run("grade", CLASS, "-o", "")
    assert result.exit_code == 2 and result.stderr == "error: -o needs a file name (or - for stdout)\n"


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text("old")
    out.chmod(0o600)
    assert run("grade", CLASS, "-o", str(out), "--force").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text().startswith("id,name,")


def test_a_link_is_followed_to_its_file_never_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run("grade", CLASS, "-o", str(link)).exit_code == 1  # it exists: --force
    assert run("grade", CLASS, "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("id,name,")
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    for args in ([], ["--force"]):
        result = run("grade", CLASS, "-o", str(dangling), *args)
        assert result.exit_code == 1 and "symbolic link to nothing" in result.stderr
        assert dangling.is_symlink() and not (tmp_path / "nowhere.csv").exists()


def test_a_fifo_or_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run("grade", CLASS, "-f", "csv", "-o", str(fifo)).exit_code == 0
    out, _ = reader.communicate(timeout=30)
    assert out.startswith(b"id,name,") and stat.S_ISFIFO(fifo.stat().st_mode)
    if os.path.exists("/dev/null"):
        before = os.stat("/dev/null")
        assert run("grade", CLASS, "-f", "csv", "-o", "/dev/null", "--force").exit_code == 0
        after = os.stat("/dev/null")
        assert stat.S_ISCHR(after.st_mode) and (before.st_ino, before.st_rdev) == (after.st_ino, after.st_rdev)


def test_stdin_is_never_the_output(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(Path(CLASS).read_bytes())
    with open(sheet, "rb") as stdin:
        proc = subprocess.run([sys.executable, "-m", "ndrc_cli", "grade", "-", "-o", str(sheet), "--force"],
                              stdin=stdin, capture_output=True, cwd=ROOT, check=False,
                              env={**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert proc.stderr == f"error: refusing to write over the input file {sheet}\n".encode()
    assert sheet.read_bytes() == Path(CLASS).read_bytes()


def test_concurrent_runs_never_both_write_one_target(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "ndrc_cli", "grade", CLASS, "-o", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT) for _ in range(6)]
    results = [(p.wait(60), p.stderr.read() if p.stderr else b"") for p in procs]
    assert sum(code == 0 for code, _ in results) == 1, results
    assert all(err == f"error: {out} already exists; use --force to replace it\n".encode()
               for code, err in results if code)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rows = ["id,E1,E2,E3,E4,E5,E6"] + [f"{i},12,11,10,9,8,7" for i in range(300_000)]
    big.write_text("\n".join(rows) + "\n")
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "ndrc_cli", "grade", str(big), "-o", str(tmp_path / "o.csv")],
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]:
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- neutralised text ----------------------------------------------------------------------

HOSTILE = "Evil\x1b]0;pwned\x07\x1b[2J\u202eman"


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    sheet = write(tmp_path / "s.csv", f'id;nom;E1;E2;E3;E4;E5;E6\nX\x1b[6n;"{HOSTILE}";12;12;12;12;12;12\n')
    mock = write(tmp_path / "m.csv", f'id;nom;E1;E2;E3;E4;E5;E6\nX1;"{HOSTILE}";12;12;12;12;;\n')
    for args in (["grade", sheet, "-f", "table"], ["simulate", mock, "-f", "table"],
                 ["grade", sheet, "--explain", "X\x1b[6n"]):
        proc = ndrc(*args)
        assert proc.returncode == 0, proc.stderr
        assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout and "\u202e".encode() not in proc.stdout
        assert b"\\x1b]0;pwned\\x07" in proc.stdout or b"\\x1b" in proc.stdout
    missing = ndrc("grade", str(tmp_path / "no\x1b[2Jsuch.csv"))
    assert missing.returncode == 1 and b"\x1b" not in missing.stderr and b"no\\x1b[2Jsuch.csv" in missing.stderr


@pytest.mark.parametrize("cell", ["a\r=cmd|' /C calc'!A0", " =1+2", "\n=HYPERLINK(\"x\")", "\t@CONCAT(A1)"])
def test_formula_cells_are_neutralised_on_every_csv_path(tmp_path: Path, cell: str) -> None:
    import csv
    import io

    quoted = '"' + cell.replace('"', '""') + '"'
    sheet = write(tmp_path / "s.csv",
                  f"id,nom,E1,E2,E3,E4,E5,E6,{quoted}\n{quoted},{quoted},12,12,12,12,12,12,{quoted}\n")
    outputs = [run("grade", sheet, "-f", "csv").stdout, run("grade", sheet, "--excel").stdout]
    out = tmp_path / "o.csv"
    assert run("grade", sheet, "-o", str(out)).exit_code == 0  # the streamed path
    outputs.append(out.read_text(encoding="utf-8"))
    for text in outputs:
        separator = ";" if ";" in text.split("\n")[0] else ","
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator))
        assert len(rows) == 2  # no row smuggled in by a line break
        header, row = rows
        for value in (header[2], row[0], row[1], row[2]):  # the carried header, id, name, carried cell
            # No cell a spreadsheet would run: a formula start, after any spaces or line breaks, is quoted.
            assert value.startswith("'") or value.lstrip(" \n\t")[:1] not in "=+-@", (value, text)
            assert "\r" not in value


def test_a_link_planted_at_the_temporary_name_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out.csv"
    (tmp_path / f".out.csv.{os.getpid()}.0.tmp").symlink_to(victim)  # the name this process would use first
    assert run("grade", CLASS, "-f", "csv", "-o", str(out)).exit_code == 0
    assert victim.read_text() == "keep me" and out.read_text().startswith("id,name,")


def test_a_pipe_as_sheet_is_read_once(tmp_path: Path) -> None:
    """`ndrc grade <(cat bad.csv) -f csv`: the stream must not read the pipe and leave it empty."""
    import threading

    fifo = tmp_path / "sheet"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as f:
            f.write("id;E1\n1;21\n")

    writer = threading.Thread(target=feed)
    writer.start()
    result = run("grade", str(fifo), "-f", "csv")
    writer.join(10)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{fifo}:2:2: E1: grade 21 is not between 0 and 20"


def test_a_long_legal_output_name_is_written(tmp_path: Path) -> None:
    """244 bytes is a legal name (255 at most); the temporary sibling's must be too."""
    name = "r" * 240 + ".csv"
    result = run("grade", CLASS, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / name).read_text().startswith("id,name,")
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_concurrent_forced_runs_on_a_new_name_all_succeed(tmp_path: Path) -> None:
    """--force means "replace it if it is there": when another run creates the
    file meanwhile, the later run replaces it instead of failing."""
    out = tmp_path / "new.csv"
    env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "ndrc_cli", "grade", CLASS, "-o", str(out), "--force"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
             for _ in range(6)]
    results = [(p.wait(60), p.stderr.read() if p.stderr else b"") for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert out.read_text().startswith("id,name,") and [p.name for p in tmp_path.iterdir()] == ["new.csv"]


def test_a_cell_longer_than_a_spreadsheet_holds_is_never_cut(tmp_path: Path) -> None:
    long = "x" * 40_000
    sheet = write(tmp_path / "s.csv", f"id;nom;remarque;E1;E2;E3;E4;E5;E6\nA1;X;{long};12;12;12;12;12;12\n")
    out = tmp_path / "r.xlsx"
    result = run("grade", sheet, "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "'remarque', row 2 of the results workbook: the text is longer than a spreadsheet cell holds" in (
        result.stderr)
    assert run("grade", sheet, "-f", "json").exit_code == 0  # the text formats keep it whole


def test_a_sheet_number_of_thousands_of_digits_is_no_sheet() -> None:
    result = run("grade", str(ROOT / "tests" / "fixtures" / "classe-fr.xlsx"), "--sheet", "9" * 5000)
    assert result.exit_code == 2 and "Traceback" not in result.stderr and "no sheet" in result.stderr.lower()


def test_a_truncated_xls_is_a_damaged_workbook(tmp_path: Path) -> None:
    data = (ROOT / "tests" / "fixtures" / "classe-fr.xls").read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(data[:3000])  # its directory, at the end, is gone
    result = run("grade", str(cut))
    assert result.exit_code == 1 and "looks like a workbook but is damaged" in result.stderr
