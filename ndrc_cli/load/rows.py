"""The second step, for rows: what each row under the header is.

Every row is one of: a student; a statistics row (the class's mean,
lowest, highest…); a coefficient or scale row; a note, legend or signature
line; a blank row — or none of these, which is an error at that row. The
decision is made here, in one place, from the row's structure (which cells
are filled: an identity, grades, markers, text) and its words together, and
it keeps its reason for the note that lists skipped rows.

Words alone would misread a student named Max, and structure alone a legend
written in the id column: a row with an id of its own is a student unless
that id is itself a statistics or coefficient label; a row without one is
never a student, and is skipped only when its label or its numbers say what
it is.
"""

from __future__ import annotations

import enum
import re
from fractions import Fraction
from typing import NamedTuple

from ..core.folding import fold
from ..core.model import HUNDRED, Curriculum
from ..core.numbers import Exact

_WORD = re.compile(r"[0-9a-z]+")


class Role(enum.Enum):
    STUDENT = "student"
    STATISTICS = "statistics"
    COEFFICIENTS = "coefficients"
    SCALE = "scale"
    NOTE = "note"
    #: a second header row under the first (the units' names under their codes)
    HEADER = "header"
    BLANK = "blank"
    #: grades with no identity and no label: nothing says what the row is
    UNKNOWN = "unknown"


class Verdict(NamedTuple):
    role: Role
    #: why, for the note: the label that told it, or the key of a reason
    reason: str = ""


#: Words of statistics, however gradebooks and teachers abbreviate them
#: (folded). Never a person's name: one of them in a label says statistics.
STATISTICS_WORDS = frozenset(
    "moy moyenne moyennes moyen mediane ecart ecarttype ecartype variance effectif effectifs nb nbre nombre "
    "total totaux somme minimum maximum average averages mean median stdev std deviation count "
    "sum highest lowest classe groupe promo promotion statistiques stats".split()
)
#: Words of statistics that are also names or common words ('Max Durand',
#: 'Note'): they say statistics only when nothing else in the label does
#: not, or when the row lacks part of a student's identity.
WEAK_STATISTICS_WORDS = frozenset(
    "min max mini maxi med plus haute haut basse bas elevee faible forte meilleure pire note rang premier dernier "
    "high low best worst top".split()
)
#: Words that only link others ('la', 'de'…): neutral.
STOP_WORDS = frozenset("la le les l de des du d a au aux par sur en et the of per by in on s".split())
COEFFICIENT_WORDS = frozenset("coef coeff coefs coeffs coefficient coefficients ponderation ponderations poids "
                              "weight weights".split())
SCALE_WORDS = frozenset("bareme baremes sur scale".split())
#: Words of the lines under a table: legends, places and dates, signatures.
NOTE_WORDS = frozenset(
    "legende fait signature signatures signe president presidente jury visa cachet observation observations "
    "remarque remarques absent absente dispense dispensee abs disp date edite imprime page source sources "
    "key legend signed chair printed".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")
_LABEL_WORDS = STATISTICS_WORDS | WEAK_STATISTICS_WORDS | COEFFICIENT_WORDS | SCALE_WORDS


def may_be_label(text: str) -> bool:
    """A cheap first look for the hot path (an id per row of a cohort):
    whether a text may be a statistics, coefficient or scale label. Never
    False where one of those functions would say True: their words are runs
    of letters, and so are the runs looked at here."""
    if text.isdigit():
        return False
    if text.lstrip().startswith("/"):
        return True
    for run in _LETTERS.findall(text):
        if (run.lower() if run.isascii() else fold(run)) in _LABEL_WORDS:
            return True
    return False


# Characters a name or an id never holds, but a sentence does.
_SENTENCE = re.compile(r"[:;=!?«»\"()\[\]{}—–…]|\s-\s")


def label_words(text: str) -> list[str]:
    return _WORD.findall(fold(text.replace("°", " ").replace("'", " ").replace("\u2019", " ")))


def statistics_label(text: str, complete: bool) -> bool:
    """Whether a label reads as a statistics row's ('Moy. classe', 'Note la
    plus haute', 'Nb d'élèves notés'). `complete`: the row has every part of
    a student's identity the sheet has (weak words then need no other words)."""
    found = label_words(text)
    if not found:
        return False
    if any(w in STATISTICS_WORDS for w in found):
        return True
    weak = [w for w in found if w in WEAK_STATISTICS_WORDS]
    if not weak:
        return False
    # 'Note la plus haute', 'Min', 'Max' alone: only weak and linking words.
    return all(w in WEAK_STATISTICS_WORDS or w in STOP_WORDS for w in found) and (
        not complete or len(found) > 1)


def coefficient_label(text: str) -> bool:
    return any(w in COEFFICIENT_WORDS for w in label_words(text))


def scale_label(text: str) -> bool:
    found = label_words(text)
    return text.strip().startswith("/") or bool(found) and (
        found[0] in SCALE_WORDS or "bareme" in found or "baremes" in found)


def reads_as_note(text: str) -> bool:
    """Whether an identity cell's text reads as a sentence or a legend, not a
    name or an id: punctuation no name has, a date, a long phrase, or the
    words of legends and signatures."""
    if _SENTENCE.search(text):
        return True
    found = label_words(text)
    if any(w in NOTE_WORDS for w in found):
        return True
    if "," in text and len(found) > 2:
        return True
    return len(found) > 6 or (len(found) > 1 and any(w.isdigit() for w in found) and "," in text)


class ColumnStats:
    """The grades of one unit column so far, exactly: to recognise a row that
    holds their mean, lowest or highest with no label at all."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[Exact] = []

    def add(self, grade: Exact) -> None:
        self.values.append(grade)

    def matches(self, value: Exact, decimals: int) -> bool:
        """Whether `value`, written with `decimals` decimals, is this column's
        mean, median, lowest or highest rounded to that many decimals."""
        if not self.values:
            return False
        ordered = sorted(self.values)
        n = len(ordered)
        median = (Fraction(ordered[(n - 1) // 2]) + Fraction(ordered[n // 2])) / 2
        # |candidate - value| <= half a unit of the last decimal written
        tolerance = Fraction(HUNDRED, 2 * 10 ** decimals)
        return any(abs(Fraction(c) - Fraction(value)) <= tolerance
                   for c in (Fraction(sum(ordered), n), median, ordered[0], ordered[-1]))


def decimals_of(text: str) -> int:
    """How many decimals a number's text was written with ('12,35' -> 2)."""
    text = text.strip()
    for sep in (",", "."):
        if sep in text:
            return len(text.rsplit(sep, 1)[1].strip())
    return 0


def coefficients_match(values: dict[str, Exact], curriculum: Curriculum) -> bool:
    """Whether a row's numbers are exactly the curriculum's coefficients of
    the mandatory units it has columns for."""
    compared = 0
    for unit in curriculum.units:
        value = values.get(unit.code)
        if value is None:
            continue
        if unit.coefficient is None or value != unit.coefficient * HUNDRED:
            return False
        compared += 1
    return compared >= 2 and compared == len(values)


class RowFacts(NamedTuple):
    """What the reader saw in one row, for `classify`."""

    #: who the row is: the id in an id sheet, else the names; "" if none
    identity: str
    #: every part of a student's identity the sheet has is filled
    complete: bool
    #: other text cells that may label the row (names in an id sheet whose
    #: id is empty, cells before the units), in sheet order
    labels: tuple[str, ...]
    #: unit cells that hold a grade or a marker
    marked: int
    #: unit code -> the number it holds (grades and numbers out of range)
    numbers: dict[str, Exact]
    #: unit code -> decimals the number was written with
    decimals: dict[str, int]
    #: unit cells that hold text that is neither a grade nor a marker
    texts: int


def classify(facts: RowFacts, curriculum: Curriculum, columns: dict[str, ColumnStats]) -> Verdict:
    """The role of a row, and why (see the module's docstring)."""
    identity = facts.identity
    if not facts.marked and not facts.numbers:
        if identity:
            if (statistics_label(identity, facts.complete) or coefficient_label(identity)
                    or scale_label(identity) or reads_as_note(identity)):
                return Verdict(Role.NOTE, identity)
            return Verdict(Role.STUDENT)  # nothing graded yet
        if facts.labels or facts.texts:
            return Verdict(Role.NOTE, facts.labels[0] if facts.labels else "")
        return Verdict(Role.BLANK)
    if identity:
        if statistics_label(identity, facts.complete):
            return Verdict(Role.STATISTICS, identity)
        if coefficient_label(identity):
            return Verdict(Role.COEFFICIENTS, identity)
        if scale_label(identity):
            return Verdict(Role.SCALE, identity)
        return Verdict(Role.STUDENT)
    for label in facts.labels:
        if statistics_label(label, False):
            return Verdict(Role.STATISTICS, label)
        if coefficient_label(label):
            return Verdict(Role.COEFFICIENTS, label)
        if scale_label(label):
            return Verdict(Role.SCALE, label)
    if facts.labels:
        return Verdict(Role.STUDENT)  # a name without its id: the reader says the id is empty
    if coefficients_match(facts.numbers, curriculum):
        return Verdict(Role.COEFFICIENTS, "")
    if (len(facts.numbers) >= 2 and facts.marked == len(facts.numbers) and not facts.texts
            and all(code in columns and columns[code].matches(value, facts.decimals.get(code, 2))
                    for code, value in facts.numbers.items())):
        return Verdict(Role.STATISTICS, "")
    return Verdict(Role.UNKNOWN)
