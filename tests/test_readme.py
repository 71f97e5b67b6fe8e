"""The README can be followed top to bottom: every command of its usage
sections, in order, in a copy of the examples, with the substitutions it
documents itself (its first block copies the examples in the place of "your"
files). Each must succeed; a file it writes must be there; JSON it prints
must parse."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    """The shell commands of the README between its Usage and Development
    sections, continuation lines joined, comment lines left out."""
    usage = README[README.index("\n## Usage\n"):README.index("\n## Development\n")]
    out: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", usage, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                out.append(line.strip())
    return out


def test_the_readme_names_the_commands_it_is_about() -> None:
    found = commands()
    assert found[0].startswith("cp examples/") and len(found) > 35
    for command in ("grade", "simulate", "report", "releve", "attestation", "template", "programme", "bulletin"):
        assert any(c.startswith(f"ndrc {command} ") or f" {command} " in c for c in found), command


def _written(command: str) -> str | None:
    words = shlex.split(command, comments=True)
    return words[words.index("-o") + 1] if "-o" in words else None


def test_the_readme_runs_in_order(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "ndrc"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ndrc_cli "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "NDRC_LANG": "en", "NDRC_CACHE_DIR": str(tmp_path / "cache")}
    for command in commands():
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        assert done.returncode == 0, (command, done.stderr.decode()[-1500:])
        assert b"Traceback" not in done.stderr, command
        target = _written(command)
        if target is not None:
            assert (tmp_path / target).stat().st_size > 0, command
        elif "--format json" in command or "-f json" in command:
            assert json.loads(done.stdout)["schema"].startswith("ndrc/"), command
        elif not command.startswith("cp "):
            assert done.stdout.strip(), command  # a table, CSV or Markdown on stdout
