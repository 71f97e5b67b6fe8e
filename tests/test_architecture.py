"""Structural rules that keep the code base honest."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from conftest import ROOT

from ndrc_cli.i18n.catalog import MESSAGES

PACKAGE = ROOT / "ndrc_cli"
#: What each layer may import of ndrc (ARCHITECTURE.md): data flows one way,
#: files -> load -> core -> app -> render -> cli. i18n is for load and above:
#: the core computes, it never speaks.
LAYERS = {
    "core": {"core"},
    "i18n": {"i18n"},
    "load": {"core", "i18n", "load"},
    "app": {"core", "i18n", "load", "app"},
    "render": {"core", "i18n", "app", "render"},
    "cli": {"core", "i18n", "load", "app", "render", "cli"},
}
#: The pure core imports no I/O stack, CLI, rendering or parsing library.
BANNED = {"typer", "rich", "yaml", "csv", "click", "io", "sys", "os", "pathlib", "python_calamine", "xlsxwriter"}


def _module_imports(path: Path, package: Path) -> tuple[set[str], set[str]]:
    """(third-party top-level modules, ndrc layers) that one source file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(package).parts[:-1]  # the file's package, e.g. ('load',)
    outside: set[str] = set()
    layers: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                (layers.add(parts[1]) if parts[0] == package.name and len(parts) > 1 else outside.add(parts[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                parts = node.module.split(".")
                if parts[0] == package.name:
                    targets = [parts[1:]] if len(parts) > 1 else [[a.name] for a in node.names]
                    layers.update(t[0] for t in targets if t)
                else:
                    outside.add(parts[0])
                continue
            base = list(here[: len(here) - (node.level - 1)])
            parts = base + (node.module.split(".") if node.module else [])
            if parts:
                layers.add(parts[0])
            else:  # `from .. import x`: the package root's names, or its subpackages
                layers.update(a.name for a in node.names if (package / a.name).is_dir())
    return outside, layers


def layer_violations(package: Path) -> list[str]:
    """Every import that goes against the data flow, as 'file: layer -> layer'."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if len(parts) < 2:
            continue  # __init__, __main__: the package's doorway
        layer = parts[0]
        outside, layers = _module_imports(path, package)
        for target in sorted(layers - LAYERS[layer]):
            problems.append(f"{path.relative_to(package)}: {layer} -> {target}")
        if layer == "core":
            problems.extend(f"{path.relative_to(package)}: core -> {name}" for name in sorted(outside & BANNED))
    return problems


def test_every_import_follows_the_data_flow() -> None:
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]  # all in layers
    assert layer_violations(PACKAGE) == []


def test_the_layer_check_fails_on_a_violating_import(tmp_path: Path) -> None:
    """The check itself: a core module speaking (i18n), a loader drawing
    (rich, render) and a renderer reading files are each reported."""
    package = tmp_path / "ndrc_cli"
    for layer in LAYERS:
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
    (package / "core" / "bad.py").write_text("from ..i18n import t\nimport os\n")
    (package / "load" / "bad.py").write_text("from ..render.table import print_report\n")
    (package / "render" / "bad.py").write_text("from ndrc_cli.load.sheets import read_sheet\n")
    (package / "app" / "fine.py").write_text("from ..core.model import Unit\nfrom . import other\n")
    assert layer_violations(package) == [
        "core/bad.py: core -> i18n", "core/bad.py: core -> os", "load/bad.py: load -> render",
        "render/bad.py: render -> load"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_catalog_is_complete(key: str) -> None:
    en, fr = MESSAGES[key]
    assert en.strip() and fr.strip()
    assert _fields(en) == _fields(fr), key


def test_every_catalog_key_is_used_and_every_used_key_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "catalog.py")
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


def test_architecture_md_names_every_module() -> None:
    """ARCHITECTURE.md matches the tree: every module is named in its package's paragraph."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 2 and parts[1] != "__init__.py":
            paragraph = text[text.index(f"**`{parts[0]}/`"):]
            paragraph = paragraph[: paragraph.find("\n\n")]
            if f"`{parts[1]}`" not in paragraph:
                missing.append("/".join(parts))
    assert missing == []


def test_french_punctuation_has_its_no_break_space() -> None:
    """French typography: a (narrow) no-break space before : ; ? ! and %, never a
    plain space (a line could break there) and never none; and « » hold their
    text with the same space. What they quote (YAML's own syntax) is as written."""
    import re

    offenders = []
    for key, (_, fr) in MESSAGES.items():
        text = re.sub(r"«\u202f[^»]*\u202f»", "«\u202fX\u202f»", re.sub(r"\{[^}]*\}", "X", fr))
        offenders += [f"{key}: …{text[max(0, m.start() - 12):m.end() + 4]}…"
                      for m in re.finditer(r"[^\u202f\u00a0]([:;?!%»])|«[^\u202f]", text)]
    assert offenders == []
