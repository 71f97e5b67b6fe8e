"""The second step, for rows: what each row under the header is.

Every row is one of: a student; a statistics row (the class's mean,
lowest, highest…); a coefficient or scale row; a note, legend or signature
line; a blank row — or none of these, which is an error at that row. The
decision is made here, in one place, from the row's structure (which cells
are filled: an identity, grades, markers, text) and its words together, and
it keeps its reason for the note that lists skipped rows.

Words alone would misread a student named Max Le Bas, and structure alone a
legend written in the id column. Structure first: a row that names a person
by the sheet's columns (an id and the names beside it, or a last and a first
name) is a student whatever its words; a row without an identity never is.
Then words: a label of statistics, coefficients or a scale, the words and
punctuation of legends and signatures. A label of statistics that could also
be a name ('Max', 'Somme Claire') says statistics only when the row's
numbers are its columns' own mean, median, lowest or highest; otherwise the
row is refused, never guessed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import NamedTuple

from ..core.folding import fold
from ..core.model import HUNDRED, Curriculum
from ..core.numbers import Exact

_WORD = re.compile(r"[a-z]+|[0-9]+")


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
    #: why, for the note: the label that told it (or, for UNKNOWN, the label
    #: that could not be trusted)
    reason: str = ""


#: Words of statistics, however gradebooks and teachers abbreviate them
#: (folded): one of them in a label says statistics (unless other words stand
#: beside it, which may be a person's name: see `label_kind`).
STATISTICS_WORDS = frozenset(
    "moy moyenne moyennes moyen mediane ecart ecarttype ecartype variance effectif effectifs nb nbre nombre "
    "total totaux somme minimum maximum average averages mean median stdev std deviation count "
    "sum highest lowest statistiques stats taux etendue quartile quartiles decile deciles centile centiles "
    "percentile pourcentage".split()
)
#: Words of statistics that are also names or common words ('Max Durand',
#: 'Note'): a label of these alone says statistics only when the row's
#: numbers are the column's own statistics.
WEAK_STATISTICS_WORDS = frozenset(
    "min max mini maxi med plus haute haut basse bas elevee faible forte meilleure pire note rang premier dernier "
    "high low best worst top".split()
)
#: Words that only link others, or say of what a statistic is ('de la
#: classe', "d'élèves notés"): neutral in a label.
STOP_WORDS = frozenset(
    "la le les l de des du d a au aux par sur en et the of per by in on s er e eme "
    "classe groupe promo promotion eleves eleve etudiants candidats notes notees note reussite admis presents "
    "class group students grades pass rate type sous dev absents absentes presents dispenses ajournes recus "
    "inscrits".split()
)
COEFFICIENT_WORDS = frozenset("coef coeff coefs coeffs coefficient coefficients ponderation ponderations poids "
                              "weight weights".split())
SCALE_WORDS = frozenset("bareme baremes sur scale".split())
#: Words of the lines that are not students: legends, places and dates,
#: signatures and titles of staff, sections of a class.
NOTE_WORDS = frozenset(
    "legende fait signature signatures signe president presidente jury visa cachet observation observations "
    "remarque remarques absent absente dispense dispensee abs disp date edite imprime page source sources "
    "chef centre directeur directrice proviseur proviseure professeur professeure enseignant enseignante "
    "examinateur examinatrice coordonnateur coordonnatrice m mme mlle mr mrs ms dr "
    "apprentis apprentissage alternance alternants scolaires libres formation continue section sections groupe "
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
    if text.lstrip().startswith("/") or "%" in text:
        return True
    for run in _LETTERS.findall(text):
        if (run.lower() if run.isascii() else fold(run)) in _LABEL_WORDS:
            return True
    return False


# Characters a name or an id never holds, but a sentence does.
_SENTENCE = re.compile(r"[:;=!?«»\"\[\]{}—–…]")
#: A unit cell that states a scale: `/20`, `/ 40`, `sur 20`.
SCALE_CELL = re.compile(r"^\s*(?:/|sur\b|out of\b)\s*([0-9]+(?:[.,][0-9]+)?)\s*$", re.IGNORECASE)


def label_words(text: str) -> list[str]:
    return _WORD.findall(fold(text.replace("°", " ").replace("'", " ").replace("\u2019", " ")))


def label_kind(text: str) -> str:
    """What a label's words say: 'statistics' (words of statistics and linking
    words only, one of them strong), 'weak' (only weak words of statistics and
    linking words: 'Min', 'Note la plus haute'), 'mixed' (a strong word of
    statistics beside other words: 'Somme Claire' may be a person), or ''
    (nothing of statistics: a name)."""
    found = label_words(text)
    strong = weak = other = False
    for w in found:
        if w in STATISTICS_WORDS:
            strong = True
        elif w in WEAK_STATISTICS_WORDS:
            weak = True
        elif w not in STOP_WORDS and not w.isdigit():
            other = True
    if strong or "%" in text:
        return "mixed" if other else "statistics"
    if weak and not other:
        return "weak"
    return ""


def statistics_label(text: str) -> bool:
    """Whether a label may be a statistics row's ('Moy. classe', 'Note la
    plus haute', 'Nb d'élèves notés', 'Max'): the streaming path's question."""
    return label_kind(text) != ""


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
    if len(found) > 8:
        return True
    # Names are capitalised ('Marie Dupont', 'DUPONT Marie', 'Maria de Fátima');
    # a phrase has lower-case words ('Relevé certifié conforme').
    written = text.split()
    return len(written) > 1 and any(
        word[:1].islower() and len(word) > 3 and fold(word) not in _PARTICLES for word in written[1:])


#: The lower-case words of names: particles ('de', 'van', "d'") are not phrases.
_PARTICLES = frozenset("de des du da das do dos di del della la le les van von der den ten ter ben bin al el".split())


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
    #: the row names a person by the sheet's structure: an id and the names
    #: beside it, or both a last and a first name; words cannot undo that
    person: bool
    #: the sheet has separate parts of an identity and this row fills only
    #: some of them (an id without its name, a last name without a first)
    partial: bool
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
    #: unit cells that hold a scale (`/20`, `sur 40`)
    scales: int = 0
    #: the identity is a name (a sheet without ids), which never holds a digit
    named: bool = False


def _are_statistics(facts: RowFacts, columns: Mapping[str, ColumnStats], least: int) -> bool:
    """Whether the row's numbers are its columns' own statistics (at least `least` of them)."""
    return (len(facts.numbers) >= least and facts.marked == len(facts.numbers) and not facts.texts
            and all(code in columns and columns[code].matches(value, facts.decimals.get(code, 2))
                    for code, value in facts.numbers.items()))


def classify(facts: RowFacts, curriculum: Curriculum, columns: Mapping[str, ColumnStats]) -> Verdict:
    """The role of a row, and why (see the module's docstring).

    Structure first: a row naming a person by the sheet's columns is a
    student, whatever its words (Max Total is a name); a row without an
    identity is never one. Then words: a label of statistics, coefficients
    or a scale, a line of a legend or a signature. Where words and structure
    disagree, the row is refused (UNKNOWN, with the label as its reason)."""
    identity = facts.identity
    if facts.scales and not facts.marked:
        return Verdict(Role.SCALE, identity or (facts.labels[0] if facts.labels else ""))
    # A whole name made of nothing but words of statistics ('Moyenne' | 'classe'
    # across the last- and first-name columns) is no person's.
    no_name = facts.person and facts.named and label_kind(identity) == "statistics"
    if not facts.marked and not facts.numbers:
        if identity:
            if facts.person and not no_name:
                return Verdict(Role.STUDENT)  # nothing graded yet
            if (facts.partial or label_kind(identity) or coefficient_label(identity) or scale_label(identity)
                    or reads_as_note(identity) or facts.named and any(ch.isdigit() for ch in identity)):
                return Verdict(Role.NOTE, identity)
            return Verdict(Role.STUDENT)  # nothing graded yet
        if facts.labels or facts.texts:
            return Verdict(Role.NOTE, facts.labels[0] if facts.labels else "")
        return Verdict(Role.BLANK)
    if identity:
        if no_name:
            return Verdict(Role.STATISTICS if _are_statistics(facts, columns, 1) else Role.UNKNOWN, identity)
        if facts.person:
            return Verdict(Role.STUDENT)
        if coefficient_label(identity):
            return Verdict(Role.COEFFICIENTS, identity)
        if scale_label(identity):
            return Verdict(Role.SCALE, identity)
        kind = label_kind(identity)
        if kind == "statistics" or kind and _are_statistics(facts, columns, 1):
            return Verdict(Role.STATISTICS, identity)
        if kind:  # 'Somme Claire', 'Max' with grades of their own: a person, or a statistic?
            return Verdict(Role.UNKNOWN, identity)
        return Verdict(Role.STUDENT)
    for label in facts.labels:
        if coefficient_label(label):
            return Verdict(Role.COEFFICIENTS, label)
        if scale_label(label):
            return Verdict(Role.SCALE, label)
        if label_kind(label) in ("statistics", "weak"):
            return Verdict(Role.STATISTICS, label)
    if facts.labels:
        return Verdict(Role.STUDENT)  # a name without its id: the reader says the id is empty
    if coefficients_match(facts.numbers, curriculum):
        return Verdict(Role.COEFFICIENTS, "")
    if _are_statistics(facts, columns, 2):
        return Verdict(Role.STATISTICS, "")
    return Verdict(Role.UNKNOWN)
