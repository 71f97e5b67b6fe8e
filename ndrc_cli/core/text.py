"""Text folding so that `Dispensé`, `DISPENSE` and ` dispense ` compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a marker or code."""
    text = text.strip()
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# What a terminal would obey rather than show: C0 controls but tab and
# newline, DEL, C1 controls (ESC ] … BEL sets the title, ESC [2J clears the
# screen), and the bidirectional overrides that reorder a line.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text for a terminal: every control character shown as an escape (\\x1b)."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def fold_header(text: str) -> str:
    """A column header reduced to letters and digits: 'N° candidat' -> 'ncandidat'."""
    return _NON_ALNUM.sub("", fold(text.replace("°", "")))
