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
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from .errors import NdrcError
from .i18n import t

STDOUT = "-"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(target: str, inputs: Iterable[str], force: bool) -> None:
    """Refuse to write over an input, or over an existing file without --force."""
    if target == STDOUT:
        return
    path = Path(target)
    for source in inputs:
        if source != "-" and (_same_file(path, Path(source)) or path.resolve() == Path(source).resolve()):
            raise NdrcError(t("io.output_is_input", path=target))
    if path.is_dir():
        raise NdrcError(t("io.output_is_dir", path=target))
    if path.exists() and not force:
        raise NdrcError(t("io.output_exists", path=target))


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
    path = Path(target)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise NdrcError(t("io.cannot_write", path=target, reason=exc.strerror or exc)) from None
    try:
        with open(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
