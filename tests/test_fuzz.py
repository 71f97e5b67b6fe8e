"""Fuzzing: mutated sheets, kept and contrôle sheets and curricula thrown at
`grade`, `simulate` and `report` in-process, and a target per workbook
container — .xlsx, .xlsm and .ods changed inside their members (XML pieces,
far cells, repeats, comments, entities, dropped and cut parts) and as bytes,
.xls as bytes. Whatever the input: no exception but ours, exit codes 0, 1 or
2 only, and nothing written unless it succeeded.

A few seconds in CI, the same examples every run; for a longer campaign with
new examples: `NDRC_HYPOTHESIS=explore NDRC_FUZZ_EXAMPLES=5000 python -m pytest
tests/test_fuzz.py`.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from conftest import EXAMPLES, ROOT, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES_N = int(os.environ.get("NDRC_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES_N, deadline=None, suppress_health_check=list(HealthCheck))

CLASS = (EXAMPLES / "classe-ndrc.csv").read_bytes()
EXCEL = (EXAMPLES / "classe-ndrc-excel.csv").read_bytes()
MOCK = (EXAMPLES / "examen-blanc-1.csv").read_bytes()
KEPT = (EXAMPLES / "session-anterieure.csv").read_bytes()
CONTROLE = (EXAMPLES / "controle.csv").read_bytes()
CURRICULUM = (ROOT / "curriculum.yaml").read_bytes()
WORKBOOK = (ROOT / "tests" / "fixtures" / "classe-fr.xlsx").read_bytes()

# What the campaign put in cells: separators, quotes, line breaks, NUL, markers,
# odd digits, formulas, huge numbers, control characters, accents in two encodings.
PIECES = [b";", b",", b'"', b"\n", b"\r", b"\r\n", b"\x00", b"\t", b"ABS", b"DISP", b"NN", b"RENONCE", b"12/20",
          b"12/10", "１２".encode(), "²025".encode(), b"=1+2", b"@SUM(A1)", b"-", b"21", b"1" + b"0" * 5000,
          b"\x1b[2J", "é".encode(), "é".encode("cp1252"), b"\xff\xfe", b"E7", b"Moyenne", b"", b" ", b"9.995",
          b"&a", b"*a", b"!!int", b"1e400", b"id", b"E4"]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "replace", "delete", "flip", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        elif kind == "replace":
            end = at + draw(st.integers(0, 12))
            data[at:end] = draw(st.sampled_from(PIECES))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def _check(args: list[str], out: Path) -> None:
    result = run(*args, "-o", str(out))
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert not out.exists(), args
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@FUZZ
@given(sheet=st.one_of(mutated(CLASS), mutated(EXCEL), mutated(WORKBOOK)), fmt=st.sampled_from(["csv", "json",
                                                                                                 "xlsx", "markdown"]))
def test_grade_survives_any_sheet(sheet: bytes, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.csv"
        path.write_bytes(sheet)
        _check(["grade", str(path), "-f", fmt], Path(tmp) / f"out.{fmt if fmt != 'markdown' else 'md'}")


@FUZZ
@given(kept=mutated(KEPT), controle=mutated(CONTROLE))
def test_grade_survives_any_kept_and_controle_sheet(kept: bytes, controle: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "k.csv").write_bytes(kept)
        (Path(tmp) / "c.csv").write_bytes(controle)
        _check(["grade", str(EXAMPLES / "classe-ndrc.csv"), "--kept", str(Path(tmp) / "k.csv"), "--controle",
                str(Path(tmp) / "c.csv"), "--session", "2026", "-f", "json"], Path(tmp) / "out.json")


@FUZZ
@given(curriculum=mutated(CURRICULUM), command=st.sampled_from(["grade", "simulate", "report", "programme"]))
def test_every_command_survives_any_curriculum(curriculum: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.yaml"
        path.write_bytes(curriculum)
        target = {"grade": "out.json", "simulate": "out.json", "report": "out.html", "programme": "out.md"}[command]
        inputs = {"grade": [str(EXAMPLES / "classe-ndrc.csv"), "-f", "json"],
                  "simulate": [str(EXAMPLES / "examen-blanc-1.csv"), "-f", "json", "--spread", "0,5"],
                  "report": [str(EXAMPLES / "classe-ndrc.csv")], "programme": ["--all", "-f", "markdown"]}[command]
        _check([command, *inputs, "-c", str(path)], Path(tmp) / target)


@FUZZ
@given(mock=mutated(MOCK), sheet=mutated(CLASS))
def test_simulate_and_report_survive_any_mock(mock: bytes, sheet: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "m.csv").write_bytes(mock)
        (Path(tmp) / "s.csv").write_bytes(sheet)
        _check(["simulate", str(Path(tmp) / "m.csv"), "-f", "json"], Path(tmp) / "out.json")
        _check(["report", str(Path(tmp) / "s.csv"), str(Path(tmp) / "m.csv")], Path(tmp) / "out.html")


# -- workbooks: a target per container --------------------------------------------------------------------------

FIXTURES = ROOT / "tests" / "fixtures"
#: Pieces of XML a hostile or damaged workbook holds: comments and CDATA, entities, far cells and used ranges,
#: repeats, merges, hidden rows, error and boolean cells, deep nesting, a cut tag.
XML_PIECES = [b"<!--", b"-->", b"<!-- <c r=\"B2\" t=\"e\"><v>#N/A</v></c> -->", b"<![CDATA[", b"]]>", b"&x;",
              b"&amp;", b"&#0;", b"<c r=\"XFD1048576\"><v>1</v></c>", b"<dimension ref=\"A1:XFD1048576\"/>",
              b" table:number-columns-repeated=\"16384\"", b" table:number-rows-repeated=\"1048576\"",
              b"<mergeCell ref=\"A1:ZZ99999\"/>", b" hidden=\"1\"", b" t=\"e\"", b" t=\"b\"", b"<v>1e308</v>",
              b"<a>" * 300, b"</row>", b"</table:table>", b"<", b">", b"\"", b"\x00", "é".encode(), b"\xff"]
CONTAINERS = {
    "xlsx": (FIXTURES / "classe-fr.xlsx").read_bytes(),
    "ods": (FIXTURES / "classe-fr.ods").read_bytes(),
    "multi-sheet xlsx": (FIXTURES / "second-sheet.xlsx").read_bytes(),
    "merged ods": (FIXTURES / "merged.ods").read_bytes(),
}


def _xlsm(xlsx: bytes) -> bytes:
    """The same workbook as a macro-enabled .xlsm declares itself."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            target.writestr(info.filename, data)
    return out.getvalue()


CONTAINERS["xlsm"] = _xlsm(CONTAINERS["xlsx"])


@st.composite
def mutated_members(draw: st.DrawFn) -> bytes:
    """A zip workbook whose members are changed inside (what a byte flip in the
    compressed file never reaches): XML pieces inserted, parts cut, members
    dropped or stored uncompressed."""
    base = zipfile.ZipFile(io.BytesIO(CONTAINERS[draw(st.sampled_from(sorted(CONTAINERS)))]))
    members = [(info, base.read(info.filename)) for info in base.infolist()]
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(members) - 1))
        info, data = members[index]
        kind = draw(st.sampled_from(["insert", "replace", "cut", "drop", "grow"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data = data[:at] + draw(st.sampled_from(XML_PIECES + PIECES)) + data[at:]
        elif kind == "replace":
            data = data[:at] + draw(st.sampled_from(XML_PIECES)) + data[at + draw(st.integers(1, 40)):]
        elif kind == "cut":
            data = data[:at]
        elif kind == "grow":  # a piece repeated: many cells, many rows, a long string
            data = data[:at] + draw(st.sampled_from(XML_PIECES)) * draw(st.integers(2, 2000)) + data[at:]
        if kind == "drop":
            del members[index]
            if not members:
                break
        else:
            members[index] = (info, data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, data in members:
            stored = info.filename == "mimetype" or draw(st.booleans())
            target.writestr(info.filename, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _grade_workbook(data: bytes, suffix: str, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"book.{suffix}"
        path.write_bytes(data)
        _check(["grade", str(path), "-f", fmt], Path(tmp) / f"out.{fmt if fmt != 'markdown' else 'md'}")


@FUZZ
@given(book=mutated_members(), fmt=st.sampled_from(["csv", "json"]))
def test_a_zip_workbook_changed_inside_is_read_or_refused(book: bytes, fmt: str) -> None:
    _grade_workbook(book, "xlsx", fmt)


@FUZZ
@given(book=st.sampled_from(sorted(CONTAINERS)).flatmap(lambda name: mutated(CONTAINERS[name])),
       fmt=st.sampled_from(["csv", "json"]))
def test_a_zip_workbook_changed_as_bytes_is_read_or_refused(book: bytes, fmt: str) -> None:
    _grade_workbook(book, "xlsx", fmt)


XLS = [(FIXTURES / name).read_bytes() for name in ("classe-fr.xls", "merged.xls", "hidden-column.xls")]


@FUZZ
@given(book=st.sampled_from(XLS).flatmap(mutated), fmt=st.sampled_from(["csv", "json"]))
def test_an_xls_changed_as_bytes_is_read_or_refused(book: bytes, fmt: str) -> None:
    _grade_workbook(book, "xls", fmt)
