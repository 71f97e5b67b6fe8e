"""A small on-disk cache of parsed curricula, that cannot lie.

Parsing and validating curriculum.yaml (with PyYAML's composer, for line
numbers) costs about 35 ms, a tenth of what a teacher waits for `ndrc grade`
on a class. So a valid curriculum is kept as *data* (JSON, never pickle: a
cache file can hold no code to run) in `$XDG_CACHE_HOME/ndrc`:

- the file's name is a SHA-256 of ndrc's version, the curriculum's text and
  name, and every source file of the package (derived, not a hand-kept list):
  any change to any of them is a miss;
- its first line is the SHA-256 of the rest, checked before anything is
  decoded, and the decoder accepts exactly the shapes it writes, then checks
  that what it decoded encodes back to the same data: a flipped bit, a
  truncated file, another program's file or a planted one is a miss, rebuilt
  from the YAML — a cache never changes a result;
- files are created beside their name with O_EXCL|O_NOFOLLOW and renamed into
  place (a link planted at either name is never followed), and old entries are
  pruned;
- a relative XDG_CACHE_HOME is ignored, as the XDG spec says. NDRC_CACHE_DIR
  moves the cache; NDRC_NO_CACHE=1 turns it off. An unwritable cache is
  silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from .. import __version__

T = TypeVar("T")
#: Entries kept per kind (the newest), so that editing a curriculum many times
#: does not fill the disk.
KEEP = 16


def cache_dir() -> str:
    explicit = os.environ.get("NDRC_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the spec's default
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ndrc")


def _sources_digest() -> bytes:
    """A digest of every source file of the package: a new ndrc is a new cache."""
    import hashlib

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package, above load/
    digest = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(here)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                digest.update(name.encode())
                with open(os.path.join(folder, name), "rb") as f:
                    digest.update(f.read())
    return digest.digest()


def entry_path(kind: str, key_parts: tuple[str, ...]) -> str:
    import hashlib

    key = hashlib.sha256(_sources_digest())
    key.update("\0".join((__version__, kind, *key_parts)).encode("utf-8"))
    return os.path.join(cache_dir(), f"{kind}-{key.hexdigest()[:40]}.json")


def cached(kind: str, key_parts: tuple[str, ...], build: Callable[[], T], encode: Callable[[T], Any],
           decode: Callable[[Any], T]) -> T:
    """`build()`, or its earlier result kept as data by `encode` and read back by `decode`."""
    if os.environ.get("NDRC_NO_CACHE") == "1":
        return build()
    try:
        path = entry_path(kind, key_parts)
    except OSError:
        return build()
    value = _read(path, encode, decode)
    if value is not None:
        return value
    value = build()  # raises on an invalid input: nothing is cached then
    _write(path, kind, encode(value))
    return value


def _read(path: str, encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T | None:
    import hashlib
    import json

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with open(fd, "rb") as f:
            data = f.read(4 << 20)
        checksum, _, payload = data.partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode() != checksum:
            return None
        raw = json.loads(payload)
        value = decode(raw)
        if encode(value) != raw:  # exactly what we would have written, or nothing
            return None
        return value
    except Exception:  # a miss, a damaged or foreign file: rebuild it
        return None


def _write(path: str, kind: str, raw: Any) -> None:
    import hashlib
    import json

    payload = json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    directory = os.path.dirname(path)
    tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with open(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(directory, kind, path)
    except OSError:
        pass


def _prune(directory: str, kind: str, keep: str) -> None:
    """Keep the newest KEEP entries of `kind`; drop caches of older ndrc versions."""
    entries = []
    for name in os.listdir(directory):
        full = os.path.join(directory, name)
        if name.endswith(".pickle"):  # the unchecked format of ndrc 0.1's first releases
            os.unlink(full)
        elif name.startswith(f"{kind}-") and name.endswith(".json") and full != keep:
            entries.append((os.lstat(full).st_mtime, full))
    for _, full in sorted(entries, reverse=True)[KEEP - 1:]:
        os.unlink(full)
