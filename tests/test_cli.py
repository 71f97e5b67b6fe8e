"""The command line: formats, contracts, output files, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, imported_after, run, write

CLASS = str(EXAMPLES / "classe-ndrc.csv")
EXCEL = str(EXAMPLES / "classe-ndrc-excel.csv")


def ndrc(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m ndrc_cli` as a user would, in a real process."""
    full_env = {**os.environ, "NDRC_LANG": "en", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ndrc_cli", *args], input=input, capture_output=True, env=full_env, cwd=ROOT,
        check=False,
    )


# -- JSON contract ----------------------------------------------------------------


def test_json_contract() -> None:
    result = run("grade", CLASS, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema"] == "ndrc/grade/v1"
    assert {"curriculum", "students", "summary"} <= data.keys()
    by_id = {s["id"]: s for s in data["students"]}
    for student in data["students"]:
        assert {"id", "name", "average", "points", "divisor", "bonus", "professional_average", "decision",
                "units", "blocs"} <= student.keys()
        assert student["decision"] in {"admis", "controle", "ajourne", "absent", "incomplet"}
        assert set(student["units"]) == {"E1", "E2", "E3", "E4", "E5", "E6", "EF1", "EF2"}
    # Hand-computed: 201 + (19 - 10) = 210 / 21.
    noah = by_id["NDRC2505"]
    assert (noah["average"], noah["points"], noah["bonus"], noah["divisor"], noah["decision"]) == (
        10, 201, 9, 21, "admis")
    assert noah["units"]["EF1"] == {"grade": 19, "status": "graded"}
    # 4 × 9 + 3 × 11 × … : exactly 8.00 with a professional average of 11.
    hugo = by_id["NDRC2503"]
    assert (hugo["average"], hugo["professional_average"], hugo["decision"]) == (8, 11, "controle")
    assert [b["id"] for b in hugo["blocs"]] == ["B1", "B2", "B3"]
    # Exempted E1: 12.68 = (42 + 37.5 + 68.75 + 44 + 36) / 18 = 228.25 / 18 = 12.680…
    chloe = by_id["NDRC2506"]
    assert (chloe["average"], chloe["divisor"]) == (12.68, 18)
    assert chloe["units"]["E1"] == {"grade": None, "status": "exempt"}
    assert by_id["NDRC2508"]["units"]["E1"] == {"grade": 0, "status": "justified_absence"}
    assert by_id["NDRC2507"]["decision"] == "absent"
    assert by_id["NDRC2509"]["average"] is None and by_id["NDRC2509"]["decision"] == "incomplet"
    summary = data["summary"]
    assert summary["count"] == 24
    assert summary["decisions"] == {"admis": 12, "controle": 3, "ajourne": 5, "absent": 1, "incomplet": 3}
    assert summary["pass_rate"] == 0.5714  # 12 / 21 decided


def test_csv_columns_and_excel_dialect() -> None:
    plain = run("grade", CLASS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(plain.stdout)))
    assert {"id", "average", "decision"} <= rows[0].keys()
    assert rows[0]["classe"] == "NDRC2"
    assert (rows[1]["id"], rows[1]["average"], rows[1]["decision"]) == ("NDRC2502", "10.00", "admis")
    excel = ndrc("grade", CLASS, "--excel")
    assert excel.returncode == 0
    # For people: headers and decisions in the interface language (English here).
    assert excel.stdout.startswith(b"\xef\xbb\xbfID;Name;classe;remarque;E1;")
    assert b";Average;Professional average;Decision;" in excel.stdout and b";passed;" in excel.stdout
    assert b"\r\n" in excel.stdout and (
        b"NDRC2502;Bernard L\xc3\xa9a;NDRC2;moyenne exactement 10;10,00;" in excel.stdout)


def test_markdown_and_table() -> None:
    md = run("grade", CLASS, "--format", "markdown")
    assert md.exit_code == 0
    assert "| NDRC2502 | Bernard Léa | 10.00 |" in md.stdout
    table = run("grade", CLASS, "--format", "table")
    assert table.exit_code == 0
    assert "Class summary" in table.stdout and "NDRC2502" in table.stdout


def test_names_print_verbatim_and_csv_is_neutralised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    sheet = write(tmp_path / "s.csv", 'id,nom,remarque,E1,E2,E3,E4,E5,E6\n1,[bold]Lee[/bold],=HYPERLINK("x"),'
                  "12,12,12,12,12,12\n2,@evil,+1,10,10,10,10,10,10\n")
    table = run("grade", sheet, "--format", "table")
    assert "[bold]Lee[/bold]" in table.stdout
    out = list(csv.DictReader(io.StringIO(run("grade", sheet, "--format", "csv").stdout)))
    assert out[0]["name"] == "[bold]Lee[/bold]"
    assert out[0]["remarque"] == "'=HYPERLINK(\"x\")"
    assert (out[1]["name"], out[1]["remarque"]) == ("'@evil", "'+1")
    assert out[0]["average"] == "12.00"  # computed numbers are never prefixed


def test_explain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # whole lines (test_widths wraps them)
    result = run("grade", CLASS, "--explain", "NDRC2505")
    assert result.exit_code == 0
    out = result.stdout
    assert "NDRC2505 — N'Diaye Noah" in out
    assert "E4   Relation client et négociation-vente" in out and "10.00 × 5 = 50.00" in out
    assert "19.00: only points above 10.00 count → bonus 9.00 (not multiplied, divisor unchanged)" in out
    assert "Points: 201.00 + bonus 9.00 = 210.00" in out
    assert "Average: 210.00 / 21 = 10.0000 → 10.00 (rounded half up)" in out
    assert "Decision: passed — average 10.00 ≥ 10.00" in out
    missing = run("grade", CLASS, "--explain", "nobody")
    assert missing.exit_code == 1
    assert missing.stderr == f"error: no student with id or name 'nobody' in {CLASS}\n"


# -- output files -----------------------------------------------------------------


def test_output_file_atomic_and_protected(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    assert run("grade", CLASS, "-o", str(out)).exit_code == 0  # format from the extension
    assert json.loads(out.read_text())["schema"] == "ndrc/grade/v1"
    again = run("grade", CLASS, "-o", str(out))
    assert again.exit_code == 1
    assert again.stderr == f"error: {out} already exists; use --force to replace it\n"
    assert run("grade", CLASS, "-o", str(out), "--force", "-f", "json").exit_code == 0
    assert json.loads(out.read_text())["summary"]["count"] == 24
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(Path(CLASS).read_bytes())
    refused = run("grade", str(sheet), "-o", str(sheet), "--force")
    assert refused.exit_code == 1
    assert refused.stderr == f"error: refusing to write over the input file {sheet}\n"
    assert sheet.read_bytes() == Path(CLASS).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "sheet.csv"]  # no temp files left


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "id,E1\n1,25\n")
    out = tmp_path / "out.csv"
    result = run("grade", bad, "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_template(tmp_path: Path) -> None:
    out = tmp_path / "notes.csv"
    assert run("template", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == b"\xef\xbb\xbfid;nom;prenom;E1;E2;E3;E4;E5;E6;EF1;EF2\r\n"
    parts = run("template", "--parts", "--plain")
    assert parts.stdout == "id,nom,prenom,E1,E2,E3,E4,E5A,E5B,E6,EF1,EF2\n"
    # A filled template is a valid sheet.
    filled = out.read_bytes() + b"1;Martin;L\xc3\xa9a;10;10;10;10;10;10;;\r\n"
    out.write_bytes(filled)
    assert json.loads(run("grade", str(out), "-f", "json").stdout)["students"][0]["decision"] == "admis"


def test_custom_curriculum(tmp_path: Path) -> None:
    sheet = write(tmp_path / "mco.csv", "id;E1;E2;E3;E4;E5;E6;E7;E8;EF3\n1;10;10;10;10;10;10;10;9;14\n")
    data = json.loads(run("grade", sheet, "-f", "json", "--curriculum", str(EXAMPLES / "bts-mco.yaml")).stdout)
    # 3·10 + 1.5·10 + 1.5·10 + 3·10 + 3·10 + 3·10 + 3·10 + 3·9 = 207, + 4 = 211 / 21 = 10.047…
    assert (data["students"][0]["average"], data["curriculum"]["code"]) == (10.05, "BTS MCO")
    env = run("grade", sheet, "-f", "json")  # the NDRC curriculum does not know E7
    assert env.exit_code == 1 and "unknown unit 'E7'" in env.stderr


def test_bad_curriculum_is_reported(tmp_path: Path) -> None:
    cur = write(tmp_path / "c.yaml", (ROOT / "curriculum.yaml").read_text().replace("coefficient: 5", "coefficient: 0"))
    result = run("grade", CLASS, "--curriculum", cur)
    assert result.exit_code == 1
    assert f"{cur}:" in result.stderr and "E4: coefficient must be greater than 0, not 0" in result.stderr


# -- processes: exit codes, pipes, entry points ------------------------------------


def test_usage_error_exit_code_2() -> None:
    assert run("grade", CLASS, "--format", "xml").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_module_entry_point_and_version() -> None:
    proc = ndrc("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("ndrc ")


def test_broken_pipe_is_not_an_error(tmp_path: Path) -> None:
    rows = "".join(f"{i},10,10,10,10,10,10\n" for i in range(20000))
    sheet = write(tmp_path / "big.csv", "id,E1,E2,E3,E4,E5,E6\n" + rows)
    shell = f"{sys.executable} -m ndrc_cli grade {sheet} --format csv | head -n 2"
    proc = subprocess.run(shell, shell=True, capture_output=True, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, executable="/bin/bash")
    assert proc.stdout.decode().splitlines()[1].startswith("0,")
    assert proc.stderr == b""
    status = subprocess.run(f"set -o pipefail; {shell} >/dev/null; echo ${{PIPESTATUS[0]}}", shell=True,
                            capture_output=True, cwd=ROOT, check=False, executable="/bin/bash",
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert status.stdout.decode().strip() == "0"


def test_csv_path_does_not_import_rich() -> None:
    assert imported_after(["grade", CLASS, "--format", "csv"], ("rich",)) == []
    # …and the check itself sees Rich when it is imported:
    assert "rich.console" in imported_after(["grade", CLASS, "--format", "table"], ("rich",))


@pytest.mark.parametrize("command", ["grade", "template", "programme", "simulate", "attestation", "releve", "report",
                                     "bulletin"])
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout
    assert f"ndrc {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_french_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    proc = ndrc("grade", CLASS, "--format", "markdown", env={"NDRC_LANG": "fr"})
    out = proc.stdout.decode()
    assert "| NDRC2502 | Bernard Léa | 10,00 |" in out and "admis" in out and "Bilan de la classe" in out
    err = ndrc("--lang", "fr", "grade", str(ROOT / "nope.csv"))
    assert err.returncode == 1 and err.stderr.decode().startswith("erreur\u202f: impossible de lire")
    # Machine formats keep stable codes and points whatever the language.
    data = json.loads(ndrc("--lang", "fr", "grade", EXCEL, "-f", "json").stdout)
    assert data["students"][1]["decision"] == "admis" and data["students"][1]["average"] == 10


def test_curriculum_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = write(tmp_path / "mco.csv", "id;E1;E2;E3;E4;E5;E6;E7;E8\n1;10;10;10;10;10;10;10;10\n")
    monkeypatch.setenv("NDRC_CURRICULUM", str(EXAMPLES / "bts-mco.yaml"))
    data = json.loads(run("grade", sheet, "-f", "json").stdout)
    assert data["curriculum"]["code"] == "BTS MCO" and data["students"][0]["decision"] == "admis"


def test_excel_csv_on_stdout_has_bom_and_crlf_whatever_the_locale() -> None:
    env = {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}
    proc = ndrc("grade", "-", "--excel", input=Path(EXCEL).read_bytes(), env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"\xef\xbb\xbfID;") and proc.stdout.endswith(b"\r\n")
    assert "Lefèvre Inès".encode() in proc.stdout


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.csv"
    result = run("grade", CLASS, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {target}: No such file or directory")
    assert "Traceback" not in result.stderr


def test_large_table_shows_first_rows_unless_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    rows = "".join(f"S{i:04d},12,12,12,12,12,12\n" for i in range(250))
    sheet = write(tmp_path / "big.csv", "id,E1,E2,E3,E4,E5,E6\n" + rows)
    short = run("grade", sheet, "-f", "table").stdout
    assert "S0049" in short and "S0050" not in short
    assert "First 50 students shown, 200 more: use --all, or --format csv -o FILE for everything." in short
    assert "250" in short  # the summary still covers everyone
    full = run("grade", sheet, "-f", "table", "--all").stdout
    assert "S0249" in full and "more: use --all" not in full


def test_shell_completion_is_available() -> None:
    proc = ndrc("--show-completion", env={"SHELL": "/bin/bash"})
    assert proc.returncode == 0 and b"_ndrc_completion" in proc.stdout
    assert b"--install-completion" in ndrc("--help").stdout
