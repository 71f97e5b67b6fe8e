"""Structural rules that keep the code base honest."""

from __future__ import annotations

import ast
import string

import pytest
from conftest import ROOT

from ndrc_cli._catalog import MESSAGES

PACKAGE = ROOT / "ndrc_cli"
#: The pure core: no I/O stack, no CLI, no rendering, no parsing libraries.
CORE = ["model.py", "rules.py", "stats.py", "numbers.py", "text.py", "errors.py", "projection.py"]
BANNED = {"typer", "rich", "yaml", "csv", "click", "io", "sys", "os", "pathlib", "numpy"}


def _imports(path: str) -> set[str]:
    tree = ast.parse((PACKAGE / path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_is_pure(module: str) -> None:
    assert not (_imports(module) & BANNED), _imports(module) & BANNED


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_catalog_is_complete(key: str) -> None:
    en, fr = MESSAGES[key]
    assert en.strip() and fr.strip()
    assert _fields(en) == _fields(fr), key


def test_every_catalog_key_is_used_and_every_used_key_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "_catalog.py")
    used = {key for key in MESSAGES if f'"{key}"' in source or f"'{key}'" in source}
    # t(f"decision.{code}") and t(f"jury.{threshold}")
    # t(f"sheetcol.{column}") and t(f"book.kind.{kind}") too
    dynamic = {key for key in MESSAGES if key.startswith(("decision.", "sheetcol.", "book.kind.", "pos."))
               or key.endswith((".one", ".other"))} | {
        "jury.admis", "jury.controle", "jury.professional"}
    assert set(MESSAGES) - used - dynamic == set()
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                and node.args and isinstance(node.args[0], ast.Constant)):
            assert node.args[0].value in MESSAGES, node.args[0].value


def test_the_repository_is_self_contained() -> None:
    """Nothing points outside the repository or to a tracker's issue numbers; only
    the check of the programme against the school's own document reads it where it lies."""
    import re
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.split()
    if not files:  # not a git checkout (an unpacked sdist): look at the tree
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts]
    pointer = re.compile(r"\.\./shared|\bshared/(?:docs|bench|seed)|\bissues? #?\d", re.IGNORECASE)
    offenders = []
    for name in files:
        if name == "tests/test_programme.py" or not name.endswith((".py", ".md", ".toml", ".yaml", ".txt", "run")):
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {m.group(0)}" for m in pointer.finditer(text)]
    assert offenders == []
