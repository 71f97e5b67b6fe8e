"""The curriculum cache: a hit gives the same curriculum, a change is a miss,
a broken cache file is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from ndrc_cli.curriculum import load_curriculum


def test_cache_hit_change_and_corruption(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "c.yaml"
    text = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_curriculum(str(path))
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1
    assert load_curriculum(str(path)) == first  # from the cache
    path.write_text(text.replace("coefficient: 5", "coefficient: 6"), encoding="utf-8")
    assert load_curriculum(str(path)).unit("E4").coefficient == 6  # a change is a miss
    files[0].write_bytes(b"not a pickle")
    path.write_text(text, encoding="utf-8")
    assert load_curriculum(str(path)) == first  # a broken file is rebuilt


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NDRC_NO_CACHE", "1")
    load_curriculum()
    assert not (tmp_path / "cache").exists()
