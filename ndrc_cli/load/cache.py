"""A small on-disk cache of parsed curricula, trusted only as far as it can be.

Parsing and validating curriculum.yaml (importing PyYAML, composing with line
numbers) costs a tenth of what a teacher waits for `ndrc grade` on a class.
So a valid curriculum is kept as *data* (JSON, never pickle: a cache file can
hold no code to run), in a folder ndrc owns: `$XDG_CACHE_HOME/ndrc` (or
`~/.cache/ndrc`), or `ndrc-cache` inside `$NDRC_CACHE_DIR`.

- The folder is ndrc's: created by ndrc (mode 0700), owned by the user,
  writable by no one else, and marked by ndrc's `key` file. A folder ndrc did
  not create is never written to nor pruned (the XDG folder, ndrc's by the
  spec, is adopted); anything else turns the cache off for the run.
- An entry's name is a SHA-256 of ndrc's version, the curriculum's text and
  name, and every source file of the package: any change is a miss.
- Its first line is an HMAC-SHA256, keyed by the 32 random bytes of `key`
  (readable by the user alone), of the entry's name and data: an entry
  written, edited or renamed by anyone who cannot read the key is a miss. It
  is checked before anything is decoded.
- The decoder accepts exactly the shapes it writes and the values the YAML
  loader accepts (curriculum_data.check), and what it decoded must encode
  back to the same data; anything else is a miss, rebuilt from the YAML.
- Only regular files owned by the user are read: opened without following a
  link, without blocking (a FIFO or a device planted at an entry's name is a
  miss, not a hang). Files are created with O_EXCL|O_NOFOLLOW beside their
  name and renamed into place.
- Pruning removes only ndrc's own names (`curriculum-<40 hex>.json`, and the
  pickles of ndrc 0.1's first releases), in ndrc's folder, beyond the 16 newest.
- A relative XDG_CACHE_HOME is ignored, as the XDG spec says; NDRC_NO_CACHE=1
  turns the cache off. An unusable cache is silently skipped.

What it does not do: the user (or root), who can read the key, can still
write an entry ndrc trusts — as they can edit the curriculum or ndrc itself.
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
#: The key file's name, in the cache folder: its mark of ownership.
KEY = "key"
_KEY_SIZE = 32
#: An entry is a few hundred KB at most; more is not one.
_MAX_ENTRY = 4 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def cache_dir() -> str:
    """The folder ndrc keeps its entries in (and may prune)."""
    explicit = os.environ.get("NDRC_CACHE_DIR")
    if explicit:
        return os.path.join(explicit, "ndrc-cache")
    return os.path.join(_xdg_cache_home(), "ndrc")


def _xdg_cache_home() -> str:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the spec's default
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return base


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


def entry_name(kind: str, key_parts: tuple[str, ...]) -> str:
    import hashlib

    key = hashlib.sha256(_sources_digest())
    key.update("\0".join((__version__, kind, *key_parts)).encode("utf-8"))
    return f"{kind}-{key.hexdigest()[:40]}.json"


def entry_path(kind: str, key_parts: tuple[str, ...]) -> str:
    return os.path.join(cache_dir(), entry_name(kind, key_parts))


def cached(kind: str, key_parts: tuple[str, ...], build: Callable[[], T], encode: Callable[[T], Any],
           decode: Callable[[Any], T]) -> T:
    """`build()`, or its earlier result kept as data by `encode` and read back by `decode`
    (which must raise on anything `build` would not have returned)."""
    if os.environ.get("NDRC_NO_CACHE") == "1" or os.open not in os.supports_dir_fd:
        return build()
    try:
        name = entry_name(kind, key_parts)
        folder = _open_folder()
    except OSError:
        return build()
    if folder is None:
        return build()
    try:
        key = _read_regular(folder, KEY, _KEY_SIZE)
        if key is None or len(key) != _KEY_SIZE:  # not ndrc's folder, or its key is not ndrc's
            return build()
        value = _read(folder, name, key, encode, decode)
        if value is None:
            value = build()  # raises on an invalid input: nothing is cached then
            _write(folder, kind, name, key, encode(value))
        return value
    finally:
        os.close(folder)


def _open_folder() -> int | None:
    """A descriptor of ndrc's own cache folder, created if need be; None if the
    folder is not ndrc's to use."""
    import stat

    path = cache_dir()
    created = False
    try:
        os.mkdir(path, 0o700)
        created = True
    except FileNotFoundError:  # its parent is missing: create it (the user's choice of place)
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            os.mkdir(path, 0o700)
            created = True
        except OSError:
            return None
    except FileExistsError:
        pass
    except OSError:  # read-only, not allowed: perhaps readable still
        pass
    folder = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC)
    try:
        st = os.fstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            raise OSError("not ndrc's cache folder")
        if created or (not os.environ.get("NDRC_CACHE_DIR") and path == os.path.join(_xdg_cache_home(), "ndrc")):
            _ensure_key(folder)
        return folder
    except BaseException:
        os.close(folder)
        raise


def _ensure_key(folder: int) -> None:
    """Create the key, whole or not at all, unless the folder has one."""
    try:
        os.stat(KEY, dir_fd=folder, follow_symlinks=False)
        return
    except FileNotFoundError:
        pass
    tmp = f"{KEY}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=folder)
    try:
        with open(fd, "wb") as f:
            f.write(os.urandom(_KEY_SIZE))
        try:
            os.link(tmp, KEY, src_dir_fd=folder, dst_dir_fd=folder)
        except FileExistsError:  # another run made it first
            pass
    finally:
        os.unlink(tmp, dir_fd=folder)


def _read_regular(folder: int, name: str, limit: int) -> bytes | None:
    """The bytes of a regular file of the user's, at most `limit` of them, or None:
    never through a link, never blocking on a FIFO or a device."""
    import stat

    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=folder)
    except OSError:
        return None
    with open(fd, "rb") as f:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077
                or st.st_size > limit):
            return None
        return f.read(limit + 1)


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    import hashlib
    import hmac

    return hmac.new(key, name.encode() + b"\n" + payload, hashlib.sha256).hexdigest().encode()


def _read(folder: int, name: str, key: bytes, encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T | None:
    import hmac
    import json

    try:
        data = _read_regular(folder, name, _MAX_ENTRY)
        if data is None:
            return None
        checksum, _, payload = data.partition(b"\n")
        if not hmac.compare_digest(_mac(key, name, payload), checksum):
            return None
        raw = json.loads(payload)
        value = decode(raw)
        if encode(value) != raw:  # exactly what we would have written, or nothing
            return None
        return value
    except Exception:  # a damaged, foreign or invalid entry: rebuild it
        return None


def _write(folder: int, kind: str, name: str, key: bytes, raw: Any) -> None:
    import json

    payload = json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data = _mac(key, name, payload) + b"\n" + payload
    tmp = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=folder)
        try:
            with open(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            os.unlink(tmp, dir_fd=folder)
            raise
        _prune(folder, kind, name)
    except OSError:
        pass


def _prune(folder: int, kind: str, keep: str) -> None:
    """Keep the newest KEEP entries of `kind`; drop the pickles of ndrc 0.1.
    Only regular files with ndrc's own names are ever removed."""
    import re
    import stat

    entry = re.compile(re.escape(kind) + r"-[0-9a-f]{40}\.json")
    pickle = re.compile(re.escape(kind) + r"-[0-9a-f]{16,64}\.pickle")  # the unchecked format of ndrc 0.1
    entries = []
    for name in os.listdir(folder):
        is_entry = entry.fullmatch(name) is not None
        if name == keep or not (is_entry or pickle.fullmatch(name)):
            continue
        st = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode):
            continue
        if is_entry:
            entries.append((st.st_mtime, name))
        else:
            os.unlink(name, dir_fd=folder)
    for _, name in sorted(entries, reverse=True)[KEEP - 1:]:
        os.unlink(name, dir_fd=folder)
