"""What a release says of itself agrees: the version ndrc prints, the
CHANGELOG's newest release, the package metadata; and the README reads the
same on a package index (no link relative to the repository)."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT, run

from ndrc_cli import __version__


def test_the_version_printed_is_the_changelogs_newest_release() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"ndrc {__version__}\n"
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases and releases[0] == __version__, releases[:2]


def test_the_classifiers_name_the_pythons_the_package_allows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floor = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert floor is not None
    minors = sorted(int(c.rsplit(".", 1)[1]) for c in project["classifiers"]
                    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    assert minors and minors[0] == int(floor.group(1)) and minors == list(range(minors[0], minors[-1] + 1))


def test_the_readme_has_no_link_a_package_index_would_break() -> None:
    text = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    relative = [t for t in targets if not re.match(r"https?://|#|mailto:", t)]
    assert relative == []
