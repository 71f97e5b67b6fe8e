"""docs/formats.md names every field of every JSON contract and every column
of every CSV that ndrc writes: each command runs on the examples, in the
shapes that add optional fields, and any name the page lacks fails here."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT, run

DOC = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
CLASS, KEPT, CONTROLE = (str(EXAMPLES / n) for n in ("classe-ndrc.csv", "session-anterieure.csv", "controle.csv"))
MOCKS = [str(EXAMPLES / "examen-blanc-1.csv"), str(EXAMPLES / "examen-blanc-2.csv")]
#: Keys that are data, not names: unit codes (and a unit's parts), the sheet's own headers, decision codes.
UNITS = {"E1", "E2", "E3", "E4", "E5", "E5A", "E5B", "E6", "EF1", "EF2"}
DATA_UNDER = {"extra", "programme", "decisions"}


def section(title: str) -> str:
    start = DOC.index(f"## `{title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start:end if end > 0 else None]


def names(value: Any, parent: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in UNITS:
                yield key
            if key not in DATA_UNDER:
                yield from names(inner, key)
    elif isinstance(value, list):
        for inner in value:
            yield from names(inner, parent)


def undocumented(found: set[str], text: str) -> list[str]:
    """The names of `found` that no code span of `text` names (`unit`, or
    one of `{code, unit, name}`): a word of the prose does not count."""
    named = {word for span in re.findall(r"`([^`]+)`", text) for word in re.findall(r"[\w.]+", span)}
    return sorted(found - named)


def _json(*args: str) -> Any:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _own_average_sheet(tmp_path: Path) -> str:
    rows = (EXAMPLES / "classe-ndrc.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "with-average.csv"
    path.write_text("\n".join([rows[0] + ",Moyenne", rows[1] + ",9.71", *(r + "," for r in rows[2:])]) + "\n",
                    encoding="utf-8")
    return str(path)


def test_every_grade_json_field_is_documented(tmp_path: Path) -> None:
    found: set[str] = set()
    for args in (
        ("grade", CLASS, "--jury-margin", "1"),  # controle_plan, jury
        ("grade", CLASS, "--kept", KEPT, "--controle", CONTROLE, "--session", "2026"),  # kept, controle, session
        ("grade", _own_average_sheet(tmp_path)),  # sheet_averages
    ):
        data = _json(*args)
        assert data["schema"] == "ndrc/grade/v1"
        found |= set(names(data))
    assert {"controle_plan", "jury", "kept_from", "controle", "session", "sheet_averages"} <= found
    assert undocumented(found, section("ndrc grade -f json")) == []


def test_every_simulate_json_field_is_documented() -> None:
    data = _json("simulate", *MOCKS)
    assert data["schema"] == "ndrc/simulate/v1"
    assert undocumented(set(names(data)), section("ndrc simulate -f json")) == []


def test_every_programme_json_field_is_documented() -> None:
    data = _json("programme")
    assert data["schema"] == "ndrc/programme/v1"
    assert undocumented(set(names(data)), section("ndrc programme -f json")) == []


def test_every_bulletin_json_field_and_csv_column_is_documented() -> None:
    book = str(EXAMPLES / "semestre-2.xlsx")
    data = _json("bulletin", book, "--previous", str(EXAMPLES / "semestre-1.xlsx"))
    assert {"previous", "progress", "trend"} <= set(names(data))
    assert data["schema"] == "ndrc/bulletin/v1"
    subjects = set(data["subjects"])
    assert undocumented(set(names(data)) - subjects, section("ndrc bulletin -f json")) == []
    result = run("bulletin", book, "--previous", str(EXAMPLES / "semestre-1.xlsx"), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert subjects <= set(header) and "progress" in header
    assert undocumented(set(header) - UNITS - subjects, section("ndrc bulletin -f csv")) == []


@pytest.mark.parametrize(("title", "args"), [
    ("ndrc grade -f csv", ("grade", CLASS, "--kept", KEPT, "--controle", CONTROLE, "--session", "2026")),
    ("ndrc simulate -f csv", ("simulate", *MOCKS)),
])
def test_every_csv_column_is_documented(title: str, args: tuple[str, ...]) -> None:
    result = run(*args, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout)))
    carried = {"classe", "remarque"}  # the example sheet's own columns, carried
    assert undocumented(set(header) - UNITS - carried, section(title)) == []
