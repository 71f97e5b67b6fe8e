"""The one catalog of user-facing strings, in English and French.

A plain dict costs nothing at start-up (no gettext files to find and parse)
and a test checks that every key has both languages. Use `t("key", x=…)`.
The language comes from `--lang`, else NDRC_LANG, else the locale variables:
French when the value starts with `fr`, English otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import Enum

from .catalog import MESSAGES


class Language(str, Enum):
    """The interface languages: the one list, for Typer's --lang and the entry point."""

    en = "en"
    fr = "fr"


LANGUAGES = tuple(lang.value for lang in Language)
_lang: str | None = None


def detect_language(environ: dict[str, str] | os._Environ[str] | None = None) -> str:
    env = os.environ if environ is None else environ
    explicit = env.get("NDRC_LANG", "").strip().lower()
    if explicit:
        return "fr" if explicit.startswith("fr") else "en"
    # gettext's order: LANGUAGE (a list, its first entry), then LC_ALL,
    # LC_MESSAGES and LANG; the "C" locale means no preference.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "").split(":")[0].strip()
        if value and value not in ("C", "POSIX"):
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def set_language(lang: str | None) -> None:
    global _lang
    _lang = None if lang is None else ("fr" if lang.lower().startswith("fr") else "en")


def language() -> str:
    global _lang
    if _lang is None:
        _lang = detect_language()
    return _lang


def t(key: str, /, **values: object) -> str:
    """The message `key` in the current language, formatted with `values`."""
    en, fr = MESSAGES[key]
    text = fr if language() == "fr" else en
    return text.format(**values) if values else text


def english(render: Callable[[], str]) -> str:
    """`render()` in English: what machine formats (JSON) say in words."""
    global _lang
    saved = language()
    _lang = "en"
    try:
        return render()
    finally:
        _lang = saved


def labelled(label: object, text: object) -> str:
    """`label: text`, with French's no-break space before the colon."""
    return t("text.labelled", label=label, text=text)


def quoted(value: object) -> str:
    """A value quoted as each language quotes: 'x' in English, « x » in French."""
    return t("text.quoted", value=value)


def tn(key: str, count: int, /, **values: object) -> str:
    """The message `key` for `count` things: `key.one` or `key.other`, by each
    language's rule (French counts 0 and 1 as singular, English only 1)."""
    one = count == 1 if language() == "en" else count <= 1
    return t(f"{key}.{'one' if one else 'other'}", count=count, **values)


# The operating system's reasons, which Python gives in English only.
_OS_REASONS = {
    "ENOENT": "os.not_found", "EACCES": "os.permission", "EPERM": "os.permission", "EISDIR": "os.is_dir",
    "ENOTDIR": "os.not_dir", "ENOSPC": "os.no_space", "EDQUOT": "os.no_space", "EROFS": "os.read_only",
    "ENAMETOOLONG": "os.name_too_long", "ELOOP": "os.loop", "EEXIST": "os.exists", "EIO": "os.io",
    "EBUSY": "os.busy", "ETXTBSY": "os.busy", "EXDEV": "os.cross_device", "EMFILE": "os.too_many",
    "ENFILE": "os.too_many",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the interface language (its own words
    when we have no translation)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    key = _OS_REASONS.get(name)
    return t(key) if key else str(exc.strerror or exc)


def decimal_separator() -> str:
    """French output writes 12,50; English 12.50 (machine formats always '.')."""
    return "," if language() == "fr" else "."
