"""What French output must never hold: English words and French typography
mistakes. Used by conftest's `run` (every failing invocation of the test-suite
is run again in French) and by test_french.py."""

from __future__ import annotations

import re

# English words that are not also French ones ("options", "arguments",
# "possible", "note", "message", "format" are both, so they are not here).
ENGLISH_WORDS = frozenset("""
    the is are was not of for and with such invalid value values error errors usage try help missing required
    default show this exit cannot must directory denied command commands got unexpected extra grade
    grades student students average failed passed found problem problems written nothing file files sheet unit
    units unknown expected between should please use choose from no yes got one none only given needs need
    takes requires range integer number boolean aborted device space denied link links read write column
    columns row rows header line name names any other than too many
""".split())

# What French output may quote as it is: option names and files, user values
# in « », the curriculum's YAML keys in `…`, and keywords of our option syntax.
_VERBATIM = [
    re.compile(r"«\u202f.*?\u202f»", re.S),
    re.compile(r"'[^'\n]*'"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\S*[/\\.]\S*\.\w+"),  # a path or a file name
    re.compile(r"\S+\.(csv|xlsx|xls|ods|yaml|json|md|html|txt)\b"),
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(=\S+)?"),
    re.compile(r"^  (grade|attestation|report|template|programme|simulate|releve) ", re.M),  # the command list
    re.compile(r"\b[\w-]+(:\w+)?![A-Z]+\d+(:[A-Z]*\d*)?"),  # Sheet!E7
    re.compile(r"=\s*(id|name|mean|-)\b"),
    re.compile(r"\b(mean|latest|table|csv|json|markdown|xlsx|html|bash|zsh|fish|stdin|stdout)\b"),
    re.compile(r"\bNDRC_\w+"),
    re.compile(r"\b[a-z_]+(\[[^\]\s]*\]|\.[a-z_]+)+"),  # a place in the YAML: units[E5], rules.controle
    re.compile(r"\((attendu|au choix)\u202f: [^)]*\)"),  # the accepted spellings, as the YAML writes them
    re.compile(r"\bndrc( \w+)?"),  # a command line
]


def english_words(text: str) -> list[str]:
    """English words in French output (verbatim pieces left out)."""
    for pattern in _VERBATIM:
        text = pattern.sub(" ", text)
    # A dotted token (a marker such as N.Not) is one word.
    return sorted({w for w in re.findall(r"[A-Za-zÀ-ÿ][\w.]*[\w]|[A-Za-zÀ-ÿ]", text) if w.lower() in ENGLISH_WORDS})


def typography_faults(text: str) -> list[str]:
    """: ; ? ! and % without their (narrow) no-break space, and « » without
    theirs. A position (`file:3:5: `, `Sheet!E7`) is a machine convention that
    editors jump to, so it keeps its bare colons, as do times and URLs."""
    faults = []
    # What a user wrote, as written: a value in « », a shell argument in "".
    text = re.sub(r"«\u202f.*?\u202f»", "«\u202fX\u202f»", text, flags=re.S)
    text = re.sub(r"--column \S.*?(?= \(|\)|$)", "X", text, flags=re.M)
    text = re.sub(r'"[^"]*"', "X", text, flags=re.S)
    for line in text.splitlines():
        body = re.sub(r"^[^\s:]*[./][^\s:]*(:\d+(:\d+)?|:[^\s:]*![A-Z]*\d*(:[A-Z]*\d+)?)?: ", "", line)
        body = re.sub(r"https?://\S+|\b\d{1,2}:\d{2}\b|--?[\w-]+=\S+|'[^'\n]*'|`[^`\n]*`", "", body)
        punctuation = r"[^\u202f\u00a0][:;?!](?=\s|$)|[^\u202f\u00a0]%|«[^\u202f\u00a0]|[^\u202f\u00a0]»"
        faults += [body[max(0, m.start() - 15):m.end() + 5] for m in re.finditer(punctuation, body)]
    return faults
