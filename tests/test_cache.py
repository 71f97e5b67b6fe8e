"""The curriculum cache: a hit gives the same curriculum, a change is a miss,
nothing in a cache file — damaged, foreign, forged or planted — can run code,
change a result or hang a run, and the cache never removes a file it did not write."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import random
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, with_optional_limit

from ndrc_cli.load import cache
from ndrc_cli.load.curriculum import load_curriculum, parse_curriculum

TEXT = (ROOT / "curriculum.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NDRC_NO_CACHE", raising=False)
    return Path(cache.cache_dir())  # the folder ndrc owns, inside NDRC_CACHE_DIR


def _curriculum_file(tmp_path: Path, text: str = TEXT) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cache_hit_change_and_corruption(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    first = load_curriculum(path)
    files = list(cache_dir.glob("curriculum-*"))
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
    expected = load_curriculum(path)  # ndrc makes its folder
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    mark = tmp_path / "pwned"
    entry.write_bytes(pickle.dumps(_Planted(str(mark))))
    (entry.parent / f"curriculum-{'0' * 16}.pickle").write_bytes(pickle.dumps(_Planted(str(mark))))
    assert load_curriculum(path) == expected
    assert not mark.exists()
    assert not list(cache_dir.glob("*.pickle"))  # old-format files are removed from ndrc's folder


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
    load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    entry.unlink()
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


# -- a forged entry: what the cache returns is what the YAML gives, or it is rebuilt ----


def _payload(entry: Path) -> Any:
    return json.loads(entry.read_bytes().partition(b"\n")[2])


def _forge(entry: Path, raw: Any, key: bytes | None = None) -> None:
    """Write `raw` at `entry` with a first line that checks: a SHA-256 of the
    data (what anyone can compute) or, given ndrc's key, its HMAC."""
    payload = json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key is None:
        line = hashlib.sha256(payload).hexdigest()
    else:
        line = hmac.new(key, entry.name.encode() + b"\n" + payload, hashlib.sha256).hexdigest()
    entry.write_bytes(line.encode() + b"\n" + payload)


def _unit(raw: Any, code: str) -> list[Any]:
    return next(u for u in raw["units"] if u[0] == code)


def test_a_forged_entry_with_a_recomputed_checksum_is_rebuilt(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    expected = load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    raw = _payload(entry)
    _unit(raw, "E4")[4] = 7  # coefficient 5 -> 7: a valid curriculum, not this one
    _forge(entry, raw)
    assert load_curriculum(path) == expected
    assert load_curriculum(path).unit("E4").coefficient == 5
    raw["units"][0][0] = "E9"  # an entry of another curriculum, renamed: also a miss
    _forge(entry, raw)
    assert load_curriculum(path) == expected


def _run_grade(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ndrc_cli", "grade", str(ROOT / "examples" / "classe-ndrc.csv"),
                           "-f", "csv"], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


def test_a_forged_entry_changes_no_result_of_grade(tmp_path: Path) -> None:
    env = {**os.environ, "NDRC_CACHE_DIR": str(tmp_path / "cache"), "NDRC_LANG": "en"}
    env.pop("NDRC_NO_CACHE", None)
    env.pop("NDRC_CURRICULUM", None)
    expected = _run_grade(env)
    assert expected.returncode == 0
    (entry,) = [p for p in (tmp_path / "cache").rglob("curriculum-*.json")]
    raw = _payload(entry)
    _unit(raw, "E4")[4] = 7
    _forge(entry, raw)
    assert _run_grade(env).stdout == expected.stdout  # not a different result with exit 0
    for unit in raw["units"]:
        if unit[4] is not None:
            unit[4] = 0  # zero coefficients: a ZeroDivisionError when trusted
    _forge(entry, raw)
    zero = _run_grade(env)
    assert "Traceback" not in zero.stderr
    assert (zero.returncode, zero.stdout) == (0, expected.stdout)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Any], None]:
    def edit(raw: Any) -> None:
        target = raw
        for step in path[:-1]:
            if isinstance(step, str) and step.startswith("E"):  # a unit, by its code
                target = next(u for u in target if u[0] == step)
            else:
                target = target[step]
        target[path[-1]] = value
    return edit


#: Values the YAML loader refuses, each written into an entry whose checksum
#: (or HMAC, with ndrc's own key) checks: what is read back is validated too.
INVALID: dict[str, Callable[[Any], None]] = {
    "zero coefficient": _set(("units", "E4", 4), 0),
    "negative coefficient": _set(("units", "E4", 4), -3),
    "coefficient above 100": _set(("units", "E4", 4), 101),
    "coefficient of three decimals": _set(("units", "E4", 4), [1, 1000]),
    "no coefficient for a mandatory unit": _set(("units", "E4", 4), None),
    "part weight 0": _set(("units", "E5", 10, 0, 2), 0),
    "pass threshold above 20": _set(("rules", 0), 2001),
    "negative threshold": _set(("rules", 2), -1),
    "contrôle minimum above the pass mark": _set(("rules", 1), 1100),
    "no orals allowed": _set(("rules", 5), 0),
    "an oral in an unknown unit": _set(("rules", 4), ["E99"]),
    "a professional unit dispensable": _set(("units", "E4", 5), True),
    "no units": _set(("units",), []),
    "a duplicate code": _set(("units", "E4", 0), "E5"),
    "a numeric marker": _set(("markers", 0, 1), ["12"]),
    "a mistyped programme": _set(("programme",), {"hours": "many"}),
    "no optional unit counted at all": _set(("rules", 8), [0, []]),
    "a mandatory unit outside the optional limit": _set(("rules", 8), [1, ["E4"]]),
    "every optional unit outside the limit": _set(("rules", 8), [1, ["EF1", "EF2"]]),
    "a unit twice outside the limit": _set(("rules", 8), [1, ["EF2", "EF2"]]),
    "a limit of the wrong shape": _set(("rules", 8), [1]),
}


@pytest.mark.parametrize("change", sorted(INVALID))
def test_invalid_data_in_a_checked_entry_is_rebuilt(tmp_path: Path, cache_dir: Path, change: str) -> None:
    path = _curriculum_file(tmp_path)
    expected = load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    key_file = cache_dir / "key"
    key = key_file.read_bytes() if key_file.exists() else None
    raw = _payload(entry)
    INVALID[change](raw)
    _forge(entry, raw, key)
    assert load_curriculum(path) == expected


def test_every_curriculum_the_loader_accepts_passes_the_cache_checks() -> None:
    from ndrc_cli.load.curriculum_data import check, from_data, to_data

    for text in (TEXT, (ROOT / "examples" / "bts-mco.yaml").read_text(encoding="utf-8"), with_optional_limit(TEXT),
                 with_optional_limit(TEXT, 2, (3, 1, 1))):
        curriculum = parse_curriculum(text, "c.yaml")
        assert check(curriculum) is curriculum
        assert from_data(to_data(curriculum)) == curriculum


# -- a planted FIFO or link: never a hang, never followed --------------------------------


_LOAD = "import sys; from ndrc_cli.load.curriculum import load_curriculum; load_curriculum(sys.argv[1])"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("at", ["entry", "key"])
def test_a_fifo_in_the_cache_never_hangs_a_run(tmp_path: Path, cache_dir: Path, at: str) -> None:
    path = _curriculum_file(tmp_path)
    expected = load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    planted = entry if at == "entry" else cache_dir / "key"
    planted.unlink()
    os.mkfifo(planted)
    try:
        subprocess.run([sys.executable, "-c", _LOAD, path], check=True, timeout=60, env=os.environ.copy())
    except subprocess.TimeoutExpired:
        pytest.fail("a FIFO in the cache hangs the run")
    assert load_curriculum(path) == expected


def test_a_linked_cache_folder_is_not_followed(tmp_path: Path, cache_dir: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_dir.parent.mkdir(parents=True)
    cache_dir.symlink_to(elsewhere)
    path = _curriculum_file(tmp_path)
    assert load_curriculum(path) == parse_curriculum(TEXT, path)
    assert not list(elsewhere.iterdir())  # nothing written through the link


def test_the_cache_folder_and_key_are_private(tmp_path: Path, cache_dir: Path) -> None:
    load_curriculum(_curriculum_file(tmp_path))
    assert stat.S_IMODE(cache_dir.stat().st_mode) & 0o077 == 0
    key = cache_dir / "key"
    assert stat.S_IMODE(key.stat().st_mode) & 0o077 == 0 and len(key.read_bytes()) == 32


# -- NDRC_CACHE_DIR on a folder of one's own: nothing of it is removed --------------------


def _own_files(folder: Path) -> dict[str, bytes]:
    files = {"notes.pickle": b"mine", f"curriculum-{'0' * 16}.pickle": b"mine too",
             "curriculum-2024.json": b"{}", f"curriculum-{'a' * 40}.json": b"{}", "key": b"my key"}
    files.update({f"curriculum-{n}.json": b"{}" for n in range(20)})
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def test_ndrc_cache_dir_on_ones_own_folder_removes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "mine"
    files = _own_files(own)
    monkeypatch.setenv("NDRC_CACHE_DIR", str(own))
    monkeypatch.delenv("NDRC_NO_CACHE", raising=False)
    for n in range(cache.KEEP + 5):
        load_curriculum(_curriculum_file(tmp_path, TEXT.replace("RNCP 38368", f"RNCP {n}")))
    for name, data in files.items():
        assert (own / name).read_bytes() == data, name
    entries = list(Path(cache.cache_dir()).glob("curriculum-*.json"))
    assert Path(cache.cache_dir()).parent == own and len(entries) == cache.KEEP  # the cache works, in its folder


def test_a_folder_ndrc_did_not_create_is_neither_written_nor_pruned(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NDRC_CACHE_DIR", str(tmp_path / "base"))
    monkeypatch.delenv("NDRC_NO_CACHE", raising=False)
    theirs = Path(cache.cache_dir())  # someone's folder with ndrc's name, but no key of ndrc's
    files = _own_files(theirs)
    for n in range(cache.KEEP + 2):
        load_curriculum(_curriculum_file(tmp_path, TEXT.replace("RNCP 38368", f"RNCP {n}")))
    path = _curriculum_file(tmp_path)
    assert load_curriculum(path) == parse_curriculum(TEXT, path)
    assert {p.name: p.read_bytes() for p in theirs.iterdir()} == files


def test_the_xdg_folder_of_an_older_ndrc_is_adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NDRC_CACHE_DIR", raising=False)
    monkeypatch.delenv("NDRC_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "ndrc"  # as ndrc 0.1 left it: no key, an unchecked pickle, a note of yours
    folder.mkdir(parents=True, mode=0o700)
    (folder / f"curriculum-{'1' * 32}.pickle").write_bytes(b"old")
    (folder / "notes.txt").write_text("mine")
    path = _curriculum_file(tmp_path)
    assert load_curriculum(path) == parse_curriculum(TEXT, path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["key", "notes.txt", Path(cache.entry_path("curriculum", (TEXT, path))).name])


def test_a_folder_others_may_write_to_turns_the_cache_off(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path)
    expected = load_curriculum(path)
    entry = Path(cache.entry_path("curriculum", (TEXT, path)))
    raw = _payload(entry)
    _unit(raw, "E4")[4] = 7
    _forge(entry, raw, (cache_dir / "key").read_bytes())  # as another user could, with the folder open to all
    cache_dir.chmod(0o777)
    assert load_curriculum(path) == expected


def test_a_limited_curriculum_is_cached_with_its_limit(tmp_path: Path, cache_dir: Path) -> None:
    path = _curriculum_file(tmp_path, with_optional_limit(TEXT))
    first = load_curriculum(path)
    assert first.rules.optional_limit is not None
    assert load_curriculum(path) == first  # read back from the entry, the limit with it
    entry = Path(cache.entry_path("curriculum", (with_optional_limit(TEXT), path)))
    assert _payload(entry)["rules"][8] == [1, ["EF2"]]
