"""Characters a terminal would obey rather than show, and text with them shown.

A cell of a sheet, a sheet's or a file's name, an option's value: whoever
wrote them may have put in them what a terminal obeys — ESC c resets it,
ESC ] … BEL sets its title, ESC [2J clears the screen, BEL rings — or what
reorders or hides a line's text (the bidirectional overrides and isolates
of "Trojan Source", zero-width and other format characters). `visible`
writes each of them as an escape (`\\x1b`, `\\u202e`) instead. The one rule
for every text shown on a terminal: `cli/terminal.py` applies it to all that
ndrc writes there, Rich's tables and the explanations to pipes too.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed; DEL and the C1 controls (NEL included);
# every format character (Unicode's Cf: bidi marks, overrides and isolates,
# zero-width spaces, invisible operators, tags…) but the zero-width
# non-joiner and joiner, which Persian and Indic names and emoji sequences
# need; the line and paragraph separators. (As of Unicode 15.1: U+13439 to
# U+1343F are format characters since 15.0, unassigned in Python 3.11's.)
_HIDDEN_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_patterns: list[re.Pattern[str]] = []


def _compiled() -> list[re.Pattern[str]]:
    """The characters, and the same with the line feed (what must not break a
    line that quotes data); compiled on first use, not at start-up (~1.5 ms)."""
    if not _patterns:
        _patterns.extend((re.compile(f"[{_HIDDEN_CLASS}]"), re.compile(f"[{_HIDDEN_CLASS}\n]")))
    return _patterns


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """Text for a terminal: every control and format character shown as an
    escape (`\\x1b`); tab and line feed kept."""
    if text.isprintable() or text.isascii() and text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return _compiled()[0].sub(_escape, text)


def one_line(text: str) -> str:
    """`visible`, and its line feeds shown too (`\\x0a`): a message quoting a
    file's or a sheet's name stays one line, and no line of it is forged."""
    if text.isprintable():
        return text
    return _compiled()[1].sub(_escape, text)
