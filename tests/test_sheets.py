"""Reading grade sheets: dialects that French spreadsheets write, and every
bad input reported at once as file:line:column with exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, run, write

HEADER = "id;nom;prenom;E1;E2;E3;E4;E5;E6;EF1\n"


def grade_json(*args: str, input: bytes | str | None = None) -> dict:  # type: ignore[type-arg]
    result = run("grade", *args, "--format", "json", input=input)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def averages(data: dict) -> dict[str, object]:  # type: ignore[type-arg]
    return {s["id"]: (s["average"], s["decision"]) for s in data["students"]}


# -- dialects -------------------------------------------------------------------


def test_plain_and_french_excel_examples_agree() -> None:
    plain = grade_json(str(EXAMPLES / "classe-ndrc.csv"))
    excel = grade_json(str(EXAMPLES / "classe-ndrc-excel.csv"))
    assert plain["students"] == excel["students"]
    assert len(plain["students"]) == 24


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "id,nom,E1,E2,E3,E4,E5,E6\n7,Lefèvre,10,10,10,10,10,10.5\n"),
        ("utf-8-sig", "id;nom;E1;E2;E3;E4;E5;E6\r\n7;Lefèvre;10;10;10;10;10;10,5\r\n"),
        ("cp1252", "id;nom;E1;E2;E3;E4;E5;E6\r\n7;Lefèvre;10;10;10;10;10;10,5\r\n"),
        ("utf-16", "id\tnom\tE1\tE2\tE3\tE4\tE5\tE6\n7\tLefèvre\t10\t10\t10\t10\t10\t10,5\n"),
        ("utf-8", 'id;nom;E1;E2;E3;E4;E5;E6\n7;"Lefèvre; Léa";10;10;10;10;10;"10,5"\n'),
    ],
)
def test_dialects(tmp_path: Path, encoding: str, text: str) -> None:
    data = grade_json(write(tmp_path / "s.csv", text, encoding))
    student = data["students"][0]
    assert student["id"] == "7"
    assert student["name"].startswith("Lefèvre")
    assert student["average"] == 10.07  # (210 + 1.5) / 21 = 10.071…
    assert student["units"]["E6"] == {"grade": 10.5, "status": "graded"}


def test_stdin_and_overrides(tmp_path: Path) -> None:
    text = "id|E1|E2|E3|E4|E5|E6\n1|12|12|12|12|12|12\n"
    assert averages(grade_json("-", "--delimiter", "|", input=text.encode())) == {"1": (12, "admis")}
    latin = "id;nom;E1;E2;E3;E4;E5;E6\n1;Zoé;12;12;12;12;12;12\n".encode("latin-1")
    data = grade_json(write(tmp_path / "l.csv", latin.decode("latin-1"), "latin-1"), "--encoding", "latin-1")
    assert data["students"][0]["name"] == "Zoé"


def test_header_aliases_extra_columns_and_blank_rows(tmp_path: Path) -> None:
    text = (
        "N° candidat;Nom;Prénom;Classe;e1;E2;E3;u4;E5;E6;Remarque;;\n"
        "A1;Martin;Léa;NDRC2;12;12;12;12;12;12;RAS;;\n"
        ";;;;;;;;;;;;\n"
        "A2;Petit;Hugo;NDRC2;8;8;8;8;8;8;;;\n"
    )
    data = grade_json(write(tmp_path / "s.csv", text))
    first = data["students"][0]
    names = (first["id"], first["name"], first["last_name"], first["first_name"])
    assert names == ("A1", "Martin Léa", "Martin", "Léa")
    assert first["extra"] == {"Classe": "NDRC2", "Remarque": "RAS"}
    assert averages(data) == {"A1": (12, "admis"), "A2": (8, "ajourne")}


def test_e5_parts_columns(tmp_path: Path) -> None:
    text = "id,E1,E2,E3,E4,E5 écrit,E5 pratique,E6\n1,10,10,10,10,12.25,13.5,10\n"
    data = grade_json(write(tmp_path / "s.csv", text))
    e5 = data["students"][0]["units"]["E5"]
    assert e5["grade"] == 12.88 and e5["status"] == "graded"
    assert e5["parts"] == {"E5A": {"grade": 12.25, "status": "graded"}, "E5B": {"grade": 13.5, "status": "graded"}}
    assert data["students"][0]["average"] == 10.55


# -- bad input: every problem, exact message, exit code 1 ---------------------------


def errors(tmp_path: Path, text: str | bytes, *args: str) -> list[str]:
    path = tmp_path / "bad.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = run("grade", str(path), "--format", "csv", *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("error: ") and lines[-1].endswith("nothing was written.")
    return [line.replace(str(path), "F") for line in lines[:-1]]


def test_every_cell_problem_listed_at_once(tmp_path: Path) -> None:
    text = HEADER + (
        "1;A;a;21;-1;12;ABSS;12;12;\n"
        "2;B;b;DISP;12;12;DISP;12;12;\n"
        "1;C;c;12;12;12;12;12;12;\n"
        "4;D;d;12;12\n"
        ";E;e;12;12;12;12;12;12;\n"
    )
    assert errors(tmp_path, text) == [
        "F:2:4: E1: grade 21 is not between 0 and 20",
        "F:2:5: E2: grade -1 is not between 0 and 20",
        "F:2:7: E4: 'ABSS' is neither a grade 0–20 nor a known marker "
        "(known markers: -, NN, N.Not, NNot, Non noté, ABS, ABSENT, ABJ, DISP, DISPENSE, RENONCE, RENONCIATION)",
        "F:3:7: E4: DISP is not allowed, this unit cannot be exempted (dispensable: E1, E2, E3)",
        "F:4:1: duplicate id '1' (first on line 2)",
        "F:5:6: this row has fewer cells than the header's 10: one is missing (a forgotten separator?)",
        "F:6:1: empty id",
    ]


def test_missing_id_and_unit_columns(tmp_path: Path) -> None:
    assert errors(tmp_path, "classe;E1;E2\nA;12;12\n") == [
        "F:1:1: no id or name column (expected a header such as id, numéro, matricule, nom or élève)"
    ]
    assert errors(tmp_path, "id;nom;classe\n1;A;X\n") == [
        "F:1:1: no unit column (expected at least one of E1, E2, E3, E4, E5, E6, EF1, EF2)"
    ]


def test_unknown_and_duplicate_unit_columns(tmp_path: Path) -> None:
    assert errors(tmp_path, "id;E1;E7;e1\n1;12;12;12\n") == [
        "F:1:3: unknown unit 'E7' (the curriculum has E1, E2, E3, E4, E5, E6, EF1, EF2)",
        "F:1:4: column 'e1' (4) names E1 again, like column 'E1' (2): keep one, or carry this one along with "
        '--column "e1=-"',
    ]


def test_e5_and_its_parts_both_given(tmp_path: Path) -> None:
    text = "id;E1;E2;E3;E4;E5;E5A;E5B;E6\n1;10;10;10;10;12;11;13;10\n2;10;10;10;10;;11;13;10\n"
    assert errors(tmp_path, text) == [
        "F:2:6: E5 is given both as one grade and as its parts (E5A, E5B); keep one"
    ]
    assert errors(tmp_path, "id;E5A\n1;12\n") == ["F:1:2: E5 in parts needs all of its part columns: E5A, E5B"]


def test_empty_file_and_undecodable_bytes(tmp_path: Path) -> None:
    assert errors(tmp_path, b"") == ["F:1:1: the file is empty"]
    assert errors(tmp_path, b"  \r\n") == ["F:1:1: the file is empty"]
    # 0x81 is undefined in cp1252, the last encoding tried.
    assert errors(tmp_path, b"id;E1\n1;1\x812\n") == [
        "F:2:4: byte 0x81 cannot be decoded as cp1252; pass --encoding"
    ]
    assert errors(tmp_path, "id;E1\n1;é\n".encode("cp1252"), "--encoding", "utf-8") == [
        "F:2:3: byte 0xe9 cannot be decoded as utf-8; pass --encoding"
    ]


def test_unknown_encoding_and_missing_file(tmp_path: Path) -> None:
    # Not a text encoding: a usage error, never a traceback (codecs would take rot13 or zlib).
    for name in ("klingon", "rot13", "base64", "hex", "zlib", "undefined"):
        for args in ([], ["-o", str(tmp_path / "o.csv")]):  # in memory, and where the stream would run
            result = run("grade", str(EXAMPLES / "classe-ndrc.csv"), "--encoding", name, *args)
            assert result.exit_code == 2, (name, result.stderr)
            assert result.stderr == f"error: unknown text encoding {name!r} (e.g. utf-8, cp1252, utf-16)\n"
    simulated = run("simulate", str(EXAMPLES / "examen-blanc-1.csv"), "--encoding", "rot13")
    assert simulated.exit_code == 2 and "unknown text encoding" in simulated.stderr
    result = run("grade", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot read {tmp_path / 'nope.csv'}: No such file or directory\n"


def test_the_suggested_column_option_is_one_shell_argument() -> None:
    """The fix a message shows can be pasted into a shell, whatever the header holds."""
    import shlex

    from ndrc_cli.load.header import column_option as _column_option

    assert _column_option("Négo-vente", "E4") == '--column "Négo-vente=E4"'
    for header in ['Note "E4"', "N'Diaye $HOME", "a`b`\\c!"]:
        assert shlex.split(_column_option(header, "E4")) == ["--column", f"{header}=E4"]
