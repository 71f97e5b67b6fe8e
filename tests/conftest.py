"""Shared fixtures: English messages, the default curriculum, student builders."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# The suite must pass every time it runs: property tests draw the same
# examples on every run (a bug they can find is found on the first run, not
# one run in ten). `NDRC_HYPOTHESIS=explore` draws new ones, to search wider.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("explore" if os.environ.get("NDRC_HYPOTHESIS") == "explore" else "repeatable")

# Help texts are built when the CLI module is imported: choose English first.
os.environ["NDRC_LANG"] = "en"
# Keep the curriculum cache of the test run out of the user's own cache.
os.environ.setdefault("NDRC_CACHE_DIR", os.path.join(tempfile.gettempdir(), f"ndrc-test-cache-{os.getpid()}"))

from french import english_words, typography_faults  # noqa: E402

from ndrc_cli import i18n  # noqa: E402
from ndrc_cli.core.model import Cell, Curriculum, Mark, Student  # noqa: E402
from ndrc_cli.core.numbers import parse_decimal  # noqa: E402
from ndrc_cli.load.curriculum import load_curriculum  # noqa: E402
from ndrc_cli.load.sheets import SheetReader  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests assert English messages unless they choose French themselves."""
    monkeypatch.setenv("NDRC_LANG", "en")
    monkeypatch.delenv("NDRC_CURRICULUM", raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language(None)


@pytest.fixture(scope="session")
def curriculum() -> Curriculum:
    os.environ.pop("NDRC_CURRICULUM", None)
    return load_curriculum()


def make_student(curriculum: Curriculum, grades: dict[str, str], sid: str = "1") -> Student:
    """A Student from cell texts as a sheet would hold them ('12,5', 'ABS'…)."""
    reader = SheetReader(curriculum)
    cells: dict[str, Cell] = {}
    for code, raw in grades.items():
        parsed = reader.parse_cell(raw)
        assert isinstance(parsed, Cell), (code, raw, parsed)
        cells[code] = parsed
    return Student(id=sid, name="", cells=cells)


def hundredths(text: str) -> int:
    value = parse_decimal(text)
    assert isinstance(value, int)
    return value


def _is_pipe(arg: str) -> bool:
    import stat

    try:
        return stat.S_ISFIFO(os.stat(arg).st_mode)
    except (OSError, ValueError):
        return False


def run(*args: str, input: bytes | str | None = None) -> Any:
    """Invoke the CLI in-process; stdout and stderr stay apart.

    Every error path the suite takes in English is taken again in French,
    which must say it all in French, with French typography."""
    from ndrc_cli.cli.typer_app import app

    result = CliRunner().invoke(app, list(args), input=input)
    if (result.exit_code in (1, 2) and i18n.language() == "en" and "error" in result.stderr
            and not any(_is_pipe(arg) for arg in args)):  # a pipe is read once
        i18n.set_language("fr")
        try:
            french = CliRunner().invoke(app, list(args), input=input)
        finally:
            i18n.set_language("en")
        assert french.exit_code == result.exit_code, french.stderr
        # The usage line's placeholders were made in English when Typer read
        # the commands (the console reads --lang before): leave that line out.
        said = re.sub(r"^Utilisation\u202f: .*\n", "", french.stderr)
        assert english_words(said) == [], french.stderr
        assert typography_faults(said) == [], french.stderr
    return result


def imported_after(argv: list[str], packages: tuple[str, ...]) -> list[str]:
    """Run `ndrc ARGV` in a fresh interpreter (it must exit 0); the modules of
    `packages` it imported on the way."""
    import ast
    import subprocess
    import sys

    code = (f"import sys; sys.argv = ['ndrc', *{argv!r}]\n"
            "from ndrc_cli.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NDRC_LANG": "en"})
    assert proc.returncode == 0, proc.stderr[-1000:]
    found: list[str] = ast.literal_eval(proc.stdout.splitlines()[-1])
    return found


#: A third optional unit, for a curriculum whose optional units are limited.
EF3 = """  - code: "EF3"
    unit: "UF3"
    name: "Entrepreneuriat"
    domain: optional
    dispensable: false
"""


def with_optional_limit(text: str, max_units: int = 1, coefficients: tuple[int, int, int] | None = None) -> str:
    """`text` (the embedded curriculum's) as another BTS whose optional units
    are limited as the décret of 8 July 2024 words it: a third optional unit,
    EF3, and at most `max_units` of EF1 and EF3 counting, EF2 (engagement
    étudiant) outside the limit. `coefficients`: EF1's, EF2's and EF3's,
    their points above 10 multiplied by them."""
    text = text.replace("\nrules:\n", "\n" + EF3 + "rules:\n", 1)
    text = text.replace("  # Grades and acquired blocs stay valid", f"""  optional_limit:
    max_units: {max_units}
    outside_limit: ["EF2"]
    source: "Code de l'éducation, art. D643-13; Décret n° 2024-788 du 8 juillet 2024"
  # Grades and acquired blocs stay valid""", 1)
    if coefficients is not None:
        ef1, ef2, ef3 = coefficients
        for coefficient in (ef1, ef2):  # the first optional unit without one, then the next
            text = text.replace("    domain: optional\n    # No coefficient: only the points above 10 count "
                                "(rules.optional).\n", f"    domain: optional\n    coefficient: {coefficient}\n", 1)
        entrepreneurship = '    name: "Entrepreneuriat"\n    domain: optional\n'
        text = text.replace(entrepreneurship, f"{entrepreneurship}    coefficient: {ef3}\n", 1)
        text = text.replace("multiply_by_coefficient: false", "multiply_by_coefficient: true", 1)
    assert "optional_limit:\n    max_units" in text and 'code: "EF3"' in text
    return text


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


__all__ = ["EXAMPLES", "ROOT", "Mark", "make_student", "hundredths", "imported_after", "run", "with_optional_limit",
           "write"]
