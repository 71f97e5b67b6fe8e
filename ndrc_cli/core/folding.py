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


def fold_header(text: str) -> str:
    """A column header reduced to letters and digits: 'N° candidat' -> 'ncandidat'."""
    return _NON_ALNUM.sub("", fold(text.replace("°", "")))
