"""The curriculum cache: a hit gives the same curriculum, a change is a miss,
and nothing in a cache file — damaged, foreign or planted — can run code or
change a result."""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import pytest
from conftest import ROOT

from ndrc_cli.load import cache
from ndrc_cli.load.curriculum import load_curriculum, parse_curriculum

TEXT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NDRC_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _curriculum_file(tmp_path: Path, text: str = TEXT) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cache_hit_change_and_corruption(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    first = load_curriculum(path)
    files = list(cache_dir.iterdir())
    assert len(files) == 1 and files[0].suffix == ".json"
    assert load_curriculum(path) == first  # from the cache
    _curriculum_file(tmp_path, TEXT.replace("coefficient: 5", "coefficient: 6"))
    assert load_curriculum(path).unit("E4").coefficient == 6  # a change is a miss
    files[0].write_bytes(b"not a cache entry")
    _curriculum_file(tmp_path)
    assert load_curriculum(path) == first  # a broken file is rebuilt


class _Planted:
    """What a planted pickle would do when loaded: leave a mark."""

    def __init__(self, mark: str) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.mkdir, (self.mark,))


def test_a_planted_pickle_neither_runs_nor_changes_a_result(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    expected = parse_curriculum(TEXT, path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    entry.parent.mkdir(parents=True)
    mark = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_Planted(str(mark))))
    (entry.parent / f"curriculum-{'0' * 16}.pickle").write_bytes(pickle.dumps(_Planted(str(mark))))
    assert load_curriculum(path) == expected
    assert not mark.exists()
    assert not list(cache_dir.glob("*.pickle"))  # old-format files are removed


def test_no_flipped_bit_changes_a_result(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    expected = load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    good = entry.read_bytes()
    rng = random.Random(7)
    for _ in range(150):
        data = bytearray(good)
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << (bit % 8)
        entry.write_bytes(bytes(data))
        assert load_curriculum(path) == expected


def test_links_are_never_followed(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    entry.parent.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    entry.symlink_to(victim)
    assert load_curriculum(path) == parse_curriculum(TEXT, path)
    assert victim.read_text() == "keep me"
    assert not entry.is_symlink()  # replaced by a real entry, the link's target untouched


def test_old_entries_are_pruned(tmp_path: Path, cache_dir: Path) -> None:
    for n in range(cache.KEEP + 5):
        load_curriculum(_curriculum_file(tmp_path, TEXT.replace("RNCP 38368", f"RNCP {n}")))
    assert len(list(cache_dir.glob("curriculum-*.json"))) == cache.KEEP


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NDRC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_dir() == os.path.join(os.path.expanduser("~"), ".cache", "ndrc")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/tmp/xdg")
    assert cache.cache_dir() == "/var/tmp/xdg/ndrc"


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NDRC_NO_CACHE", "1")
    load_curriculum()
    assert not (tmp_path / "cache").exists()
