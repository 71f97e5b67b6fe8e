"""Writing results: stdout, or a file created or replaced atomically, never an input.

The whole result is computed before anything is opened, and a file is
written to a temporary sibling then put in place, so a failure (or SIGTERM,
SIGHUP, Ctrl-C: entry.py turns them into exceptions) leaves either the old
file or the new one, never half of one, and no temporary file.

- A new file is put in place with a hard link, which fails if the name
  exists: two runs writing the same `-o` at once cannot both win (checking
  first and renaming after would let the later silently replace the earlier).
  With `--force` ("replace it if it is there") the last one wins.
- `--force` replaces a regular file, keeping its permissions (and its owner
  where the system allows); a symbolic link is followed to the regular file it
  names, never replaced by a file; a dangling one is refused.
- A device, a FIFO or `/dev/stdout` is no file to replace: it is written to
  directly, with or without `--force`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import IO, BinaryIO, TextIO

from ..core.errors import NdrcError, UsageError
from ..i18n import os_reason, t

STDOUT = "-"
#: Targets `check_target` allowed to replace (--force, whether the file exists
#: yet or not: another run may create it meanwhile).
_FORCED: set[str] = set()
#: A temporary name adds `.` and `.PID.N.tmp` to the target's: its stem is cut
#: to this many bytes so that a legal name (up to 255 bytes) stays legal.
_TMP_STEM = 200


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def _is_stdin(target: str) -> bool:
    """Whether `target` is the file standard input reads (`grade - -o x < x`)."""
    try:
        ours, theirs = os.fstat(sys.stdin.fileno()), os.stat(target)
    except (OSError, ValueError, AttributeError):  # no real stdin (tests), or no such target
        return False
    return stat.S_ISREG(ours.st_mode) and (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino)


def check_target(target: str, inputs: Iterable[str], force: bool) -> None:
    """Refuse to write over an input, or over an existing file without --force."""
    if target == STDOUT:
        return
    if not target:
        raise UsageError(t("io.empty_output"))
    _FORCED.discard(target)  # only this run's --force counts
    for source in inputs:
        if source == "-":
            if _is_stdin(target):
                raise NdrcError(t("io.output_is_input", path=target))
        elif _same_file(target, source) or os.path.realpath(target) == os.path.realpath(source):
            raise NdrcError(t("io.output_is_input", path=target))
    if os.path.isdir(target):
        raise NdrcError(t("io.output_is_dir", path=target))
    if os.path.islink(target) and not os.path.exists(target):
        raise NdrcError(t("io.dangling_link", path=target))
    if os.path.exists(target) and stat.S_ISREG(os.stat(target).st_mode) and not force:
        raise NdrcError(t("io.output_exists", path=target))
    if force:
        _FORCED.add(target)


def _create_sibling(target: str) -> tuple[int, str]:
    """A new hidden file beside `target`, with the permissions a new file gets
    (tempfile.mkstemp would make it private, and costs ~5 ms to import).
    O_EXCL never follows a link planted at that name."""
    directory, name = os.path.split(target)
    while len(os.fsencode(name)) > _TMP_STEM:  # a long legal name: its temporary one must stay legal
        name = name[:-1]
    attempt = 0
    while True:
        tmp = os.path.join(directory, f".{name}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError as exc:  # a leftover of a killed run with our pid
            if attempt == 99:
                raise NdrcError(t("io.cannot_write", path=target, reason=os_reason(exc))) from None
            attempt += 1
        except OSError as exc:
            raise NdrcError(t("io.cannot_write", path=target, reason=os_reason(exc))) from None


@contextlib.contextmanager
def _into_file(target: str, mode: str, encoding: str | None, newline: str | None) -> Iterator[IO[str]]:
    """A stream to the file `target`, put in place only when the block succeeds."""
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):  # a device or a FIFO: no file to replace
        with open(target, mode, encoding=encoding, newline=newline) as f:
            yield f
        return
    real = os.path.realpath(target)  # a link to a regular file: replace that file, keep the link
    # A signal between creating the temporary file and entering the `try`
    # below would leave it behind (found under load): hold the stopping
    # signals until we are inside, where they unwind into the cleanup.
    held = _hold_signals()
    tmp = None
    try:
        fd, tmp = _create_sibling(real)
        _release_signals(held)
        with open(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
        if info is not None and target in _FORCED:
            _keep_mode(tmp, info)
            os.replace(tmp, real)
        elif target in _FORCED:  # --force on a new name: another run may have made it meanwhile
            os.replace(tmp, real)
        else:
            _link_new(tmp, real, target)
    except BaseException:
        _release_signals(held)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def _hold_signals() -> object:
    """Block SIGTERM, SIGHUP and SIGINT (POSIX); what `_release_signals` restores."""
    import signal

    block = getattr(signal, "pthread_sigmask", None)
    if block is None:  # Windows: no signal masks
        return None
    wanted = {getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)}
    return block(signal.SIG_BLOCK, wanted)


def _release_signals(held: object) -> None:
    """Restore the mask `_hold_signals` saved (twice is harmless); a signal that
    came meanwhile is delivered now."""
    if held is not None:
        import signal

        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # type: ignore[arg-type]


def _keep_mode(tmp: str, info: os.stat_result) -> None:
    os.chmod(tmp, stat.S_IMODE(info.st_mode))
    with contextlib.suppress(OSError, AttributeError):  # only root may give a file away
        os.chown(tmp, info.st_uid, info.st_gid)


def _link_new(tmp: str, real: str, target: str) -> None:
    """Put a new file in place, failing if another run created it meanwhile."""
    try:
        os.link(tmp, real)
    except FileExistsError:
        raise NdrcError(t("io.output_exists", path=target)) from None
    except OSError:  # a file system without hard links (FAT, some shares): best effort
        if os.path.lexists(real):
            raise NdrcError(t("io.output_exists", path=target)) from None
        os.replace(tmp, real)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def open_output(target: str, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text stream to `target` ('-' = stdout), committed only on success."""
    if target == STDOUT:
        # Our own encoding and newlines on stdout too: the Excel dialect needs
        # its BOM and CRLF whatever the locale says (on a terminal, the
        # terminal's encoding, and nothing raw: terminal.py).
        from .terminal import stdout_text

        stream, wrapper = stdout_text(encoding, newline)
        try:
            yield stream
            stream.flush()
        finally:
            wrapper.detach()  # leave sys.stdout's buffer open
        return
    with _into_file(target, "w", encoding, newline) as f:
        yield f  # type: ignore[misc]


@contextlib.contextmanager
def open_binary_output(target: str) -> Iterator[BinaryIO]:
    """A binary stream to `target` ('-' = stdout), committed only on success."""
    if target == STDOUT:
        from .terminal import raw

        sys.stdout.flush()
        yield raw(sys.stdout).buffer
        raw(sys.stdout).buffer.flush()
        return
    with _into_file(target, "wb", None, None) as f:
        yield f  # type: ignore[misc]
