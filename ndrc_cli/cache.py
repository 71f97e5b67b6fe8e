"""A small on-disk cache of parsed curricula.

Parsing and validating curriculum.yaml (with PyYAML's composer, for line
numbers) costs about 35 ms, a tenth of what a teacher waits for `ndrc grade`
on a class. A valid curriculum is cached as a pickle keyed by a checksum of
its text, its name, ndrc's version and the source of the modules that define
what is pickled, so any change to any of them is a miss.
Only what ndrc itself wrote is ever read back; a broken or unwritable cache
is silently ignored. NDRC_CACHE_DIR moves it; NDRC_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable
from typing import TypeVar

from . import __version__

T = TypeVar("T")


def cache_dir() -> str:
    explicit = os.environ.get("NDRC_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ndrc")


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def cached(kind: str, key_parts: tuple[str, ...], build: Callable[[], T]) -> T:
    if os.environ.get("NDRC_NO_CACHE") == "1":
        return build()
    here = os.path.dirname(__file__)
    code = b"".join(_read(os.path.join(here, name)) for name in ("model.py", "curriculum.py", "numbers.py"))
    text = "\0".join((__version__, kind, *key_parts)).encode("utf-8")
    digest = f"{zlib.crc32(code):08x}{zlib.crc32(text):08x}{zlib.adler32(text):08x}{len(text):x}"
    directory = cache_dir()
    path = os.path.join(directory, f"{kind}-{digest}.pickle")
    try:
        with open(path, "rb") as f:
            value: T = pickle.load(f)
        return value
    except Exception:  # a miss, or a cache from elsewhere: rebuild it
        pass
    value = build()  # raises on an invalid input: nothing is cached then
    try:
        os.makedirs(directory, exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
