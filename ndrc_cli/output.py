"""Writing results: stdout, or a file replaced atomically, never an input.

The whole result is computed before anything is opened, and a file is
written to a temporary sibling then renamed over the target, so a failure
leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from .errors import NdrcError
from .i18n import t

STDOUT = "-"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(target: str, inputs: Iterable[str], force: bool) -> None:
    """Refuse to write over an input, or over an existing file without --force."""
    if target == STDOUT:
        return
    for source in inputs:
        if source != "-" and (_same_file(target, source) or os.path.realpath(target) == os.path.realpath(source)):
            raise NdrcError(t("io.output_is_input", path=target))
    if os.path.isdir(target):
        raise NdrcError(t("io.output_is_dir", path=target))
    if os.path.exists(target) and not force:
        raise NdrcError(t("io.output_exists", path=target))


def _create_sibling(target: str) -> tuple[int, str]:
    """A new hidden file beside `target`, with the permissions a new file gets
    (tempfile.mkstemp would make it private, and costs ~5 ms to import)."""
    directory, name = os.path.split(target)
    attempt = 0
    while True:
        tmp = os.path.join(directory, f".{name}.{os.getpid()}.{attempt}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError as exc:  # a leftover of a killed run with our pid
            if attempt == 99:
                raise NdrcError(t("io.cannot_write", path=target, reason=exc.strerror)) from None
            attempt += 1
        except OSError as exc:
            raise NdrcError(t("io.cannot_write", path=target, reason=exc.strerror or exc)) from None


@contextlib.contextmanager
def open_output(target: str, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text stream to `target` ('-' = stdout), committed only on success."""
    if target == STDOUT:
        # Our own encoding and newlines on stdout too: the Excel dialect needs
        # its BOM and CRLF whatever the terminal's locale says.
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline=newline)
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()  # leave sys.stdout's buffer open
        return
    fd, tmp = _create_sibling(target)
    with _committed(tmp, target):
        with open(fd, "w", encoding=encoding, newline=newline) as f:
            yield f


@contextlib.contextmanager
def open_binary_output(target: str) -> Iterator[BinaryIO]:
    """A binary stream to `target` ('-' = stdout), committed only on success."""
    if target == STDOUT:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    fd, tmp = _create_sibling(target)
    with _committed(tmp, target):
        with open(fd, "wb") as f:
            yield f


@contextlib.contextmanager
def _committed(tmp: str, target: str) -> Iterator[None]:
    """The temporary file becomes `target` if the block succeeds; else it goes."""
    try:
        yield
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
