"""The second step, for columns: a header row -> what each column is.

A column is the id, a name (last, first, full), a unit or a part of one
(`E4`, `Note E4`, `E4 (coef 5)`, a unit's full name, a short name the
curriculum declares), the teacher's own work (an average, a total, a rank,
an order number, an age, a birth date, an appreciation: carried along,
never a unit), or another column carried along. A header that could name two
units, or something shaped like a unit the curriculum does not know, is a
problem at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.errors import Diagnostic
from ..core.folding import fold, fold_header
from ..core.model import Curriculum
from ..i18n import t
from .cells import Place

# Header spellings users actually write, folded by text.fold_header.
ID_HEADERS = frozenset(
    "id identifiant numero num no nr ncandidat numerocandidat candidat matricule ine "
    "numeroetudiant netudiant numeroinscription ninscription studentid number numeroeleve neleve "
    "numeroapprenant napprenant numerocandidature".split()
)
LAST_NAME_HEADERS = frozenset("nom nomdefamille nomdusage lastname surname familyname".split())
FIRST_NAME_HEADERS = frozenset("prenom prenoms firstname givenname".split())
FULL_NAME_HEADERS = frozenset(
    "name nomprenom prenomnom nomcomplet nometprenom prenometnom nomsetprenoms fullname eleve eleves "
    "etudiant etudiants apprenant apprenants student candidate".split()
)
#: Who a row is, by header: (the spellings, the `Columns` attribute), first match wins.
_IDENTITY_HEADERS = ((ID_HEADERS, "id"), (LAST_NAME_HEADERS, "last"), (FIRST_NAME_HEADERS, "first"),
                     (FULL_NAME_HEADERS, "full"))
#: The teacher's own work, told by a word of its header: what kind it is.
#: Such a column is carried along and never read as a unit, whatever it holds.
WORK_WORDS = {
    **dict.fromkeys("moyenne moyennes moy average averages mean avg".split(), "average"),
    **dict.fromkeys("total totaux somme points pts sum".split(), "total"),
    **dict.fromkeys("rang classement rank ranking".split(), "rank"),
    **dict.fromkeys("n no num numero ordre order".split(), "order"),
    **dict.fromkeys("age ages".split(), "age"),
    **dict.fromkeys("naissance ne nee birth birthdate born dob".split(), "birth"),
    **dict.fromkeys(
        "appreciation appreciations observation observations commentaire commentaires remarque remarques "
        "comment comments avis bilan".split(), "appreciation"),
}
#: Words that make an average header another average than the general one.
_NOT_GENERAL = frozenset("pro professionnel professionnelle professional domaine bloc blocs ecrit ecrits oral "
                         "oraux generaux generales".split())
# Something shaped like a unit code (E7, U41, EF2, E5C) that the curriculum
# does not know is almost surely a typo, not a column to carry along.
_UNIT_LIKE = re.compile(r"^(?:e|u|ef|uf)\d+[a-z]?$")
_WORDS = re.compile(r"[0-9a-z]+")
#: A scale in a unit's header: `E4 (/40)`, `E4 sur 40`, `Oral /10`.
_HEADER_SCALE = re.compile(r"(?:/|\bsur\b|\bout of\b)\s*([0-9]+)", re.IGNORECASE)
#: `--column HEADER=-`: the column is no unit (carried along).
NOT_A_UNIT = "-"


def words(text: str) -> tuple[str, ...]:
    """A header's words, folded: 'Épreuve E4 - Négociation' -> ('epreuve', 'e4', 'negociation')."""
    return tuple(_WORDS.findall(fold(text.replace("°", " "))))


def work_kind(label: str) -> str | None:
    """What teacher's work a header names ('average', 'rank'…), or None."""
    for word in words(label):
        kind = WORK_WORDS.get(word)
        if kind is not None:
            return kind
    return None


def is_general_average(label: str) -> bool:
    """Whether an average header is the general average (not 'Moy. pro')."""
    return work_kind(label) == "average" and not (set(words(label)) & _NOT_GENERAL)


class Columns:
    """What each header field means (0-based field indexes)."""

    def __init__(self) -> None:
        self.id: int | None = None
        self.last: int | None = None
        self.first: int | None = None
        self.full: int | None = None
        self.units: list[tuple[int, str]] = []  # (field index, unit or part code)
        self.extra: list[tuple[int, str]] = []
        #: extra columns that are the teacher's own work: index -> kind
        self.work: dict[int, str] = {}
        #: the names stand for the id (a gradebook export with no id column)
        self.name_is_id = False

    @property
    def has_person(self) -> bool:
        return self.id is not None or self.full is not None or self.last is not None

    @property
    def identity(self) -> list[int]:
        """The columns that say who a row is: the id and the names."""
        return [i for i in (self.id, self.last, self.first, self.full) if i is not None]


def shell_option(option: str, value: str) -> str:
    """An option a message suggests, quoted so that a shell takes its value as
    one argument: in double quotes as people write it, in shlex's quotes when
    the value holds a character a shell would read inside them."""
    if not any(c in value for c in '"$`\\!\n'):
        return f'{option} "{value}"'
    import shlex

    return f"{option} {shlex.quote(value)}"


def column_option(header: str, unit: str) -> str:
    """The `--column HEADER=UNIT` a message suggests."""
    return shell_option("--column", f"{header}={unit}")


class HeaderReader:
    """Reads header rows against a curriculum (and the `--column` options)."""

    def __init__(self, curriculum: Curriculum, columns: Sequence[tuple[str, str]] = ()) -> None:
        self.curriculum = curriculum
        self._units = self._unit_lookup(curriculum)
        self._word_labels = self._labels(curriculum)
        self._mapping = {fold_header(header): target for header, target in columns}
        self.mapped: set[str] = set()  # folded --column headers found in the sheet
        self._order = {code: n for n, code in enumerate(
            c for u in curriculum.units for c in (u.code, *(p.code for p in u.parts)))}
        self.mandatory = frozenset(u.code for u in curriculum.units if u.mandatory)

    @staticmethod
    def _unit_lookup(curriculum: Curriculum) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for unit in curriculum.units:
            for label in (unit.code, unit.unit_id, *unit.aliases):
                lookup.setdefault(fold_header(label), unit.code)
            for part in unit.parts:
                for label in (part.code, *part.aliases):
                    lookup.setdefault(fold_header(label), part.code)
        return lookup

    @staticmethod
    def _labels(curriculum: Curriculum) -> list[tuple[frozenset[str], str]]:
        """(words, code) for every label a header may contain among other words:
        codes, unit ids, aliases (short names) and units' full names. Parts'
        names ('Épreuve écrite') are too generic to be recognised inside a header."""
        labels: list[tuple[frozenset[str], str]] = []
        for unit in curriculum.units:
            for label in (unit.code, unit.unit_id, *unit.aliases, unit.name):
                w = frozenset(words(label))
                if w:
                    labels.append((w, unit.code))
            for part in unit.parts:
                for label in (part.code, *part.aliases):
                    w = frozenset(words(label))
                    if w:
                        labels.append((w, part.code))
        return labels

    def unit_of(self, label: str) -> tuple[str | None, list[str]]:
        """The unit or part a header names, and the candidates when it could
        name several (then the code is None)."""
        key = fold_header(label)
        code = self._units.get(key)
        if code is not None:
            return code, [code]
        header_words = set(words(label))
        if not header_words:
            return None, []
        best: dict[str, int] = {}
        for label_words, code in self._word_labels:
            if label_words <= header_words:
                best[code] = max(best.get(code, 0), len(label_words))
        if not best:
            return None, []
        top = max(best.values())
        candidates = [c for c, n in best.items() if n == top]
        if len(candidates) == 1:
            # A part named among other words of its unit ('E5 écrit'), or a
            # unit named by its code and full name: still one unit.
            return candidates[0], candidates
        return None, candidates

    def mandatory_found(self, header: list[str]) -> int:
        """How many mandatory units a row names (0 when it names nobody to grade):
        how a workbook's grade sheet is told from its other sheets."""
        cols = self.classify(header, Place(""), 1, [])
        if not cols.has_person:
            return 0
        present = {code for _, code in cols.units}
        return sum(1 for u in self.curriculum.units if u.mandatory and (
            u.code in present or (u.parts and all(p.code in present for p in u.parts))))

    def probe(self, header: list[str]) -> bool:
        """Whether a row reads as the header: someone to grade and a unit."""
        cols = self.classify(header, Place(""), 1, [])
        return cols.has_person and bool(cols.units)

    def read_header(self, header: list[str], place: Place, problems: list[Diagnostic], line: int = 1) -> Columns:
        cols = self.classify(header, place, line, problems)
        if cols.id is None and cols.has_person:
            cols.name_is_id = True
        if not cols.has_person:
            problems.append(place.at(line, 1, t("sheet.no_id_column")))
        if not cols.units:
            known = ", ".join(u.code for u in self.curriculum.units)
            problems.append(place.at(line, 1, t("sheet.no_unit_column", units=known)))
        present = {code for _, code in cols.units}
        for unit in self.curriculum.units:
            codes = [p.code for p in unit.parts]
            given = [c for c in codes if c in present]
            if given and len(given) != len(codes):
                index = next(i for i, c in cols.units if c == given[0])
                problems.append(place.at(line, index + 1,
                                         t("sheet.incomplete_parts", unit=unit.code, parts=", ".join(codes))))
        cols.units.sort(key=lambda item: self._order[item[1]])
        return cols

    def classify(self, header: list[str], place: Place, line: int, problems: list[Diagnostic]) -> Columns:
        cols = Columns()
        taken: dict[str, tuple[int, str]] = {}
        units = ", ".join(u.code for u in self.curriculum.units)

        def take(role: str, index: int, label: str) -> bool:
            if role in taken:
                first, first_label = taken[role]
                problems.append(place.at(line, index + 1, t(
                    "sheet.duplicate_column", column=place.column_word(index, label),
                    first=place.column_word(first, first_label), role=role,
                    fix=column_option(label, NOT_A_UNIT))))
                return False
            taken[role] = (index, label)
            return True

        for i, cell in enumerate(header):
            label = cell.strip() if type(cell) is str else str(cell)
            key = fold_header(label)
            target = self._mapping.get(key) if key else None
            if target is not None:
                self.mapped.add(key)
                if target == NOT_A_UNIT:
                    cols.extra.append((i, label))
                elif target == "id":
                    if take("id", i, label):
                        cols.id = i
                elif target == "name":
                    if take("name", i, label):
                        cols.full = i
                elif take(target, i, label):
                    cols.units.append((i, target))
                continue
            role = next((r for headers, r in _IDENTITY_HEADERS if key in headers and getattr(cols, r) is None), None)
            if role is not None:  # the first id, last-name, first-name or full-name column
                setattr(cols, role, i)
                continue
            code, candidates = self.unit_of(label)
            if code is not None:
                scale = _HEADER_SCALE.search(label)
                if scale is not None and int(scale.group(1)) != 20:
                    problems.append(place.at(line, i + 1, t("sheet.header_scale", header=label,
                                                             scale=scale.group(1))))
                    continue  # its cells are not read: one message for the column, not one per grade
                if take(code, i, label):
                    cols.units.append((i, code))
                continue
            kind = work_kind(label)
            if kind is not None:
                cols.extra.append((i, label))
                cols.work[i] = kind
            elif candidates:
                problems.append(place.at(line, i + 1, t(
                    "sheet.ambiguous_column", header=label, units=" / ".join(candidates),
                    fix=column_option(label, candidates[0]))))
            elif unknown := [w for w in words(label) if _UNIT_LIKE.match(w)]:
                problems.append(place.at(line, i + 1, t("sheet.unknown_unit_column", header=label, units=units)
                                         + ("" if key == unknown[0] else " " + t("sheet.unknown_unit_fix",
                                                                                 header=label))))
            elif key:
                cols.extra.append((i, label))
        return cols
