"""What ndrc writes to stdout and stderr: safe on a terminal, in any encoding.

`install()`, called first thing by the console entry point, does both:

- **Nothing raw on a terminal.** When stdout or stderr is a terminal, it is
  replaced by a `Shield`, through which every text written passes
  `core.controls.visible` (control and format characters shown as `\\x1b`,
  `\\u202e`): Click's help and usage errors, our messages and notes, Markdown,
  explanations, CSV and JSON asked for on a terminal. Rich draws its colours
  with escape sequences of its own: it writes to the terminal itself
  (`raw`), and its text passes the same rule (`jobs.print_rich`). A file or
  a pipe gets the user's data exact.
- **Any encoding.** A character the stream cannot encode (`PYTHONIOENCODING=
  ascii`, a cp1252 console, a Latin-9 locale) is replaced, never a traceback:
  by what reads the same (U+202F and no-break spaces by a space, « » by ",
  — by -, é by e), else `?`; a byte of a file name that was not UTF-8 as
  `\\xff`. Rich draws ASCII boxes itself when the encoding is not UTF.
  Machine formats into a pipe or a file keep their own encoding (UTF-8).
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import Any, TextIO, cast

from ..core.controls import visible

#: The encoding error handler `install` registers.
ERRORS = "ndrc-replace"

# What reads the same in ASCII (the typography of the French messages, charts, ticks).
# A character that may stand in a table cell keeps its width: `…` (a cut name,
# a truncated average) is `~`, one column, so that the columns stay aligned.
_ASCII = {
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "«": '"', "»": '"', "\u2018": "'", "\u2019": "'",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "…": "~", "•": "*", "·": ".",
    "✓": "v", "✗": "x", "→": "->", "≥": ">=", "≤": "<=", "×": "x", "█": "#", "▌": "#", "░": ".", "▒": ":",
    "│": "|", "┃": "|", "─": "-", "━": "-",
}


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def _replacement(char: str, encoding: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (a file name)
        return f"\\x{code - 0xDC00:02x}"
    near = _ASCII.get(char)
    if near is None:
        import unicodedata

        # é -> e, a full-width １ -> 1: what is left without accents, one character for one.
        near = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))[:1]
    return near if near and _encodable(near, encoding) else "?"


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(_replacement(char, error.encoding) for char in text), error.end


class Shield:
    """A terminal's text stream, through which nothing is written raw."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # Click probes with bytes: this is a text stream
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        # A CRLF ending a line (the Excel dialect's) is a line end; a lone CR would overwrite the line.
        shown = "\r\n".join(visible(part) for part in text.split("\r\n")) if "\r\n" in text else visible(text)
        self.raw.write(shown)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:
        return self.raw.encoding

    @property
    def errors(self) -> str | None:
        return self.raw.errors

    @property
    def closed(self) -> bool:
        return self.raw.closed

    # No `buffer`: Click would write to it directly, around the shield.


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def raw(stream: Any) -> TextIO:
    """The stream under a shield (for Rich, which neutralises its own text)."""
    return cast(TextIO, stream.raw if isinstance(stream, Shield) else stream)


def install() -> None:
    """Replacement for what stdout and stderr cannot encode; a shield on each
    that is a terminal."""
    codecs.register_error(ERRORS, _replace)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, Shield):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, io.UnsupportedOperation):
                pass
        if _is_terminal(stream):
            setattr(sys, name, Shield(stream))


def _errors() -> str:
    """Our handler once installed (the tests call the renderers without the entry point)."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        return "strict"
    return ERRORS


def stdout_text(encoding: str, newline: str | None) -> tuple[TextIO, io.TextIOWrapper]:
    """A text stream over stdout's bytes for one output, and the wrapper to
    detach afterwards. Into a pipe or a file, in `encoding` (a format's own:
    UTF-8, Excel's BOM), the data exact; on a terminal, in the terminal's
    encoding (a BOM is no use there), through a shield."""
    sys.stdout.flush()
    stream = raw(sys.stdout)
    if _is_terminal(sys.stdout):
        wrapper = io.TextIOWrapper(stream.buffer, encoding=stream.encoding or "utf-8", errors=_errors(),
                                   newline=newline, line_buffering=True)
        return cast(TextIO, Shield(wrapper)), wrapper
    wrapper = io.TextIOWrapper(stream.buffer, encoding=encoding, errors=_errors(), newline=newline)
    return wrapper, wrapper


def quiet_stdout() -> None:
    """After a broken pipe (the reader left): stdout to the null device, so
    that the interpreter's last flush stays quiet."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, raw(sys.stdout).fileno())
    except (OSError, ValueError):
        pass
