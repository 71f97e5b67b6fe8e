"""Messy grade sheets, and the property they must keep: read right, or refused.

The generator behind tests/test_messy.py (CI, deterministic) and
benchmarks/bench_messy.py (long random runs).

Each example starts from a *known class*: ids of several shapes (`NDRC2501`,
`0042`, `2025017`, an INE…), French names (accents, hyphens, apostrophes,
the first name Max and the surname Min), grades for E1…E6 — and EF1/EF2 when
the class has them — with 0 to 2 decimals, and the markers the curriculum
allows (ABS, ABJ, DISP on the dispensable units only, blank = not graded
yet). Written as a tidy CSV and graded by `ndrc grade tidy.csv -f json`, it
gives the known result, itself checked against a small independent
computation here (`oracle`).

The same class is then decorated with the mess teachers' files have, each
decoration an independent hypothesis choice (the fields of `Mess`): title
blocks, merged cells, blank rows, statistics rows with varied labels or none,
a coefficient row (sometimes wrong), legends and signatures, the teacher's own
columns (average — sometimes wrong —, rank, order number, age, birth date,
remarks, class), header spellings and shuffled columns, a single name column,
numbers as text (decimal commas, NBSP, narrow NBSP, spaces, `12/20`), marker
spellings; and in workbooks hidden rows and columns, extra sheets before the
grade sheet, ids as numbers, formulas whose saved value is a double one or
two ulps away from the grade (read right = rounded to 15 significant digits,
as Excel and LibreOffice show and keep it), statistics as formulas. Every
example is written as CSV (`csv;`: `;` and decimal comma as French Excel
writes; `csv,`), .xlsx (xlsxwriter) or .ods (an OpenDocument file written here
with zipfile).

`check` runs `ndrc grade FILE -f json` and `-f csv` in-process and classifies
the run: EXACT (exit 0 and the known result), REFUSED (exit 1, a message on
stderr naming a row or a column), or a defect: MISREAD (exit 0 with another
result, by either format), CSV (`-f csv` and `-f json` disagree otherwise),
UNPLACED (exit 1 without a row or column named), CRASH (a traceback, or an
exit code other than 0 and 1), BASELINE (the tidy sheet itself graded unlike
the independent computation). Decorations that change nothing of the
meaning must give EXACT or REFUSED; so must those that make the sheet
ambiguous (a hidden duplicate of a unit with other grades) or carry a wrong
figure of the teacher's (a wrong coefficient row, a wrong average): reading
the sheet's figure instead of computing is a misread.

What the known result assumes where a sheet could be read otherwise: a hidden
row holding a pupil is a pupil, and a hidden unit column is that unit; of a
unit's visible column and a hidden copy holding other grades, the visible one
is right (reading the copy is a misread, refusing is allowed); the grade
sheet is the one with every unit, not a jury's sheet of E4 alone before it; a
saved double one or two ulps from a grade is that grade (as shown at 15
significant digits), so a noisy 20 may be refused but not read as 19.99…;
a pupil named Min or Max (no id column: the names are the ids) is a pupil;
the coefficients, averages, ranks and statistics the sheet holds never count.
Statistics rows are computed over the pupils' grades as numbers, whether
their cells hold numbers or text.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re
import sys
import traceback
import zipfile
from dataclasses import dataclass, fields, replace
from fractions import Fraction
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent

# -- the curriculum, read from its YAML (not through ndrc's loader) -----------------

_CURRICULUM = yaml.safe_load((ROOT / "curriculum.yaml").read_text(encoding="utf-8"))
_UNITS = {u["code"]: u for u in _CURRICULUM["units"]}
MANDATORY = tuple(code for code, u in _UNITS.items() if u["domain"] != "optional")
OPTIONAL = tuple(code for code, u in _UNITS.items() if u["domain"] == "optional")
COEFFICIENTS = {code: _UNITS[code]["coefficient"] for code in MANDATORY}
DISPENSABLE = frozenset(code for code, u in _UNITS.items() if u["dispensable"])
BLOCS = {code: u["bloc"] for code, u in _UNITS.items() if u.get("bloc")}
_RULES = _CURRICULUM["rules"]
PASS = Fraction(_RULES["pass_threshold"])
CONTROLE = Fraction(_RULES["controle"]["min_average"])
PRO_PASS = Fraction(_RULES["controle"]["professional_threshold"])
PROFESSIONAL = tuple(_RULES["controle"]["professional_units"])
COUNTS_ABOVE = Fraction(_RULES["optional"]["counts_above"])
_MARKERS = _CURRICULUM["markers"]
#: Each marker of the known class, and the spellings a sheet may use for it.
MARKER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "": ("", *_MARKERS["missing"], "nn"),
    "ABS": ("ABS", "abs", "Abs", *(s for s in _MARKERS["absent"] if s != "ABS"), "absent"),
    "ABJ": ("ABJ", "abj", "Abj"),
    "DISP": ("DISP", "Disp", "dispensé", *(s for s in _MARKERS["exempt"] if s != "DISP"), "Dispensé"),
}
assert len(MANDATORY) == 6 and len(OPTIONAL) == 2 and set(PROFESSIONAL) <= set(MANDATORY)

BOOKS = ("xlsx", "ods")
FORMATS = ("csv;", "csv,", "xlsx", "ods")

# -- the known class --------------------------------------------------------------

#: A grade in hundredths (1250 = 12.5), or a marker: "" (not graded yet), ABS, ABJ, DISP.
Value = int | str


@dataclass(frozen=True)
class Pupil:
    id: str
    last: str
    first: str
    grades: tuple[Value, ...]  # in Klass.units order

    @property
    def name(self) -> str:
        return f"{self.last} {self.first}"


@dataclass(frozen=True)
class Klass:
    units: tuple[str, ...]
    pupils: tuple[Pupil, ...]
    #: no id column: the names are the identifiers
    name_only: bool
    id_shape: str

    def ident(self, pupil: Pupil) -> str:
        return pupil.name if self.name_only else pupil.id


def decimal_text(hundredths: int, sep: str = ".") -> str:
    """1250 -> '12.5', 1200 -> '12', 1234 -> '12.34': a grade as a teacher types it."""
    q, r = divmod(hundredths, 100)
    return str(q) if r == 0 else f"{q}{sep}{r:02d}".rstrip("0")


def tidy_csv(klass: Klass) -> str:
    """The known class as the plainest sheet: one header line, one line per pupil."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*([] if klass.name_only else ["id"]), "nom", "prenom", *klass.units])
    for p in klass.pupils:
        writer.writerow([*([] if klass.name_only else [p.id]), p.last, p.first,
                         *(v if isinstance(v, str) else decimal_text(v) for v in p.grades)])
    return out.getvalue()


class Verdict(NamedTuple):
    """What the rules give one pupil, computed here independently of ndrc."""

    average: Fraction | None  # None: not graded in every mandatory unit
    decision: str


def half_up(value: Fraction) -> int:
    """An exact number of points -> hundredths, halves rounded up."""
    return math.floor(value * 100 + Fraction(1, 2))


def oracle(klass: Klass) -> list[Verdict]:
    """Each pupil's average and decision, by the rules as README and curriculum.yaml state them."""
    verdicts = []
    for p in klass.pupils:
        grades = dict(zip(klass.units, p.grades))
        points, divisor, bonus = Fraction(0), 0, Fraction(0)
        missing = absent = False
        for code in MANDATORY:
            v = grades[code]
            if isinstance(v, int):
                points += COEFFICIENTS[code] * Fraction(v, 100)
                divisor += COEFFICIENTS[code]
            elif v in ("ABJ", "ABS"):  # ABJ counts 0; ABS counts 0 in the average shown
                divisor += COEFFICIENTS[code]
                absent = absent or v == "ABS"
            elif v == "":
                missing = True
        for code in klass.units:
            v = grades[code]
            if code in OPTIONAL and isinstance(v, int):
                bonus += max(Fraction(0), Fraction(v, 100) - COUNTS_ABOVE)
        if missing:
            verdicts.append(Verdict(None, "incomplet"))
            continue
        average = (points + bonus) / divisor
        pro = sum((COEFFICIENTS[c] * Fraction(grades[c] if isinstance(grades[c], int) else 0, 100)
                   for c in PROFESSIONAL), Fraction(0)) / sum(COEFFICIENTS[c] for c in PROFESSIONAL)
        if absent:
            decision = "absent"
        elif average >= PASS:
            decision = "admis"
        elif average >= CONTROLE and pro >= PRO_PASS:
            decision = "controle"
        else:
            decision = "ajourne"
        verdicts.append(Verdict(average, decision))
    return verdicts


# -- strategies for the known class --------------------------------------------------

LAST_NAMES = ("Martin", "Lefèvre", "N'Diaye", "Dubois-Renaud", "García", "D'Almeida", "Ngô", "Müller", "Le Goff",
              "Saint-Éloi", "Benoît", "Öztürk", "Fontaine", "Traoré", "L'Hôte", "Chevalier", "Bernard")
FIRST_NAMES = ("Camille", "Léa", "Inès", "Jean-Baptiste", "Zoé", "Maël", "Anaïs", "Loïc", "Héloïse", "Noah",
               "Chloé", "Marie-Ève", "Yanis", "Éloïse", "Aïcha", "Côme", "Gaëtan")
#: Real names that are also the labels of statistics rows: one class in ten has a pupil so named.
TRAP_NAMES = (("Min", None), (None, "Max"))
ID_SHAPES = {
    "ndrc": lambda n: f"NDRC25{n:02d}",
    "zeros": lambda n: f"{n:04d}",
    "year": lambda n: f"2025{n:03d}",
    "small": str,
    "ine": lambda n: f"{1203450000 + 7919 * n}{'ABCDEFGHJK'[n % 10]}",
    "dashed": lambda n: f"25-NDRC-{n:02d}",
}
#: Id shapes a spreadsheet holds as numbers when typed in (no leading zero, no letter).
NUMERIC_SHAPES = frozenset({"year", "small"})


@cache
def grades() -> st.SearchStrategy[int]:
    """A grade with 0, 1 or 2 decimals, thresholds often."""
    return st.one_of(
        st.sampled_from([1000, 800, 999, 1001, 2000, 1250, 0]),
        st.integers(0, 20).map(lambda g: 100 * g),
        st.integers(0, 200).map(lambda g: 10 * g),
        st.integers(0, 2000),
    )


@cache
def values(code: str) -> st.SearchStrategy[Value]:
    """A unit's cell: mostly a grade, sometimes a marker the curriculum allows there."""
    if code in OPTIONAL:
        return st.one_of(st.just(""), grades(), st.just("ABS"))
    markers = ["", "ABS", "ABJ", *(["DISP"] if code in DISPENSABLE else [])]
    return st.one_of(grades(), grades(), grades(), grades(), st.sampled_from(markers))


@cache
def pupil_grades(units: tuple[str, ...]) -> st.SearchStrategy[tuple[Value, ...]]:
    uniform = st.sampled_from([1000, 800, 1200]).map(
        lambda g: tuple(g if code in MANDATORY else "" for code in units))
    complete = st.tuples(*(grades() if code in MANDATORY else values(code) for code in units))
    anything = st.tuples(*(values(code) for code in units))
    return st.one_of(uniform, complete, anything)


@st.composite
def klasses(draw: st.DrawFn, max_pupils: int = 8) -> Klass:
    optional = tuple(code for code in OPTIONAL if draw(st.booleans()))
    units = MANDATORY + optional
    name_only = draw(st.booleans())
    shape = draw(st.sampled_from(list(ID_SHAPES)))
    # One list of pupils (number, last name, first name, in capitals, grades): hypothesis shrinks a class
    # by deleting pupils from it.
    people = draw(st.lists(st.tuples(st.integers(1, 99), st.sampled_from(LAST_NAMES), st.sampled_from(FIRST_NAMES),
                                     st.booleans(), pupil_grades(units)),
                           min_size=1, max_size=max_pupils, unique_by=(lambda t: t[0], lambda t: (t[1], t[2]))))
    if draw(st.integers(0, 9)) == 9:
        at = draw(st.integers(0, len(people) - 1))
        last, first = draw(st.sampled_from(TRAP_NAMES))
        number, was_last, was_first, upper, values = people[at]
        people[at] = (number, last or was_last, first or was_first, upper, values)
    pupils = tuple(Pupil(ID_SHAPES[shape](number), last.upper() if upper else last, first, values)
                   for number, last, first, upper, values in people)
    return Klass(units, pupils, name_only, shape)


# -- the sheet: cells, grids, books ----------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Num:
    """A number cell: `text` as typed ('.' for decimals), `value` the double stored."""

    text: str
    value: float


@dataclass(frozen=True)
class Formula:
    """A formula cell: its saved value (a double, or an error such as '#DIV/0!'),
    and `text`, what a spreadsheet shows and writes to CSV ('.' for decimals)."""

    formula: str
    cached: float | str
    text: str


@dataclass(frozen=True)
class Day:
    day: datetime.date


Cell = Text | Num | Formula | Day | None


@dataclass
class Grid:
    name: str
    rows: list[list[Cell]]
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    merges: tuple[tuple[int, int, int], ...] = ()  # (row, first column, last column), 0-based
    #: rows outside the table (titles, blank rows, legends): a CSV writer may leave out their empty cells
    outside: frozenset[int] = frozenset()

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass
class Book:
    sheets: list[Grid]
    main: int  # the grade sheet's index


def number(hundredths: int) -> Num:
    return Num(decimal_text(hundredths), hundredths / 100)


def ulps(value: float, steps: int) -> float:
    """`value` moved `steps` doubles up (or down, when negative)."""
    for _ in range(abs(steps)):
        value = math.nextafter(value, math.inf if steps > 0 else -math.inf)
    return value


def shown(value: float) -> float:
    """A double as Excel and LibreOffice show and keep it: 15 significant digits."""
    return float(f"{value:.15g}")


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- the mess --------------------------------------------------------------------------

TITLES = ("Lycée Jean Moulin — Lyon", "BTS NDRC — Session 2026", "BTS NDRC 2e année — Examen blanc n°2",
          "Relevé des notes", "<date>", "Classe : NDRC2 — Professeur principal : Mme Roux")
LABEL_PLACES = ("id", "name", "A")
COEFFICIENT_LABELS = ("Coefficients", "Coef.", "Coefficient", "coeff.", None)
STATISTICS = (
    ("Moyenne", "mean"), ("Moy. classe", "mean"), ("Moyenne de la classe", "mean"), ("MOYENNE :", "mean"),
    ("Average", "mean"), ("Class average", "mean"), ("Moy.", "mean"), ("Moyenne du groupe", "mean"),
    ("Note la plus haute", "max"), ("Max", "max"), ("Maximum", "max"), ("Highest", "max"),
    ("Note la plus basse", "min"), ("Min", "min"), ("Minimum", "min"), ("Lowest", "min"),
    ("Médiane", "median"), ("Median", "median"),
    ("Écart-type", "stdev"), ("Écart type", "stdev"), ("Std dev", "stdev"),
    ("Nb d'élèves notés", "count"), ("Nombre de notes", "count"), ("Count", "count"),
    ("Effectif", "size"), ("Nombre d'élèves", "size"),
    ("Total", "total"), ("Somme", "total"),
    (None, "mean"), (None, "min"), (None, "max"),
)
LEGENDS = ("ABS : absent — DISP : dispensé", "Fait à Lyon, le 24 juin 2026", "Le président du jury", "Signature :",
           "ABS = absent, ABJ = absence justifiée, NN = non noté", "Notes sur 20", "Le professeur principal")
SPELLINGS: dict[str, tuple[str, ...]] = {
    "id": ("id", "N° candidat", "Identifiant", "Numéro", "Matricule", "N° étudiant", "ID", "Numéro candidat"),
    "last": ("nom", "Nom", "NOM", "Nom de famille"),
    "first": ("prenom", "Prénom", "Prénoms", "PRÉNOM"),
    "full": ("Nom Prénom", "Nom et prénom", "NOM Prénom", "Élève", "Étudiant", "Apprenant", "Nom complet"),
    "E1": ("E1", "Note E1", "E1 (coef 3)", "U1", "Culture générale et expression", "CGE",
           "Épreuve E1 - Culture générale", "e1"),
    "E2": ("E2", "Note E2", "E2 (coef 3)", "U2", "LV1", "Communication en langue vivante étrangère 1",
           "Anglais (LV1)"),
    "E3": ("E3", "Note E3", "CEJM", "U3", "Culture économique, juridique et managériale", "E3 - CEJM"),
    "E4": ("E4", "Note E4", "E4 (coef 5)", "U4", "RCNV", "Relation client et négociation-vente",
           "Épreuve E4 - Négociation"),
    "E5": ("E5", "Note E5", "E5 (coef 4)", "U5", "RCDD", "Relation client à distance et digitalisation"),
    "E6": ("E6", "Note E6", "E6 (coef 3)", "U6", "RCAR", "Relation client et animation de réseaux",
           "E6 - Animation de réseaux"),
    "EF1": ("EF1", "LV2", "Note LV2", "UF1", "Langue vivante 2", "LV2 (facultative)",
            "Communication en langue vivante étrangère 2"),
    "EF2": ("EF2", "Engagement étudiant", "EE", "UF2", "Engagement", "EF2 - Engagement étudiant"),
}
ROLES = tuple(SPELLINGS)
TEACHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "average": ("Moyenne", "Moy. générale", "Moyenne générale", "Moy.", "Moyenne /20"),
    "rank": ("Rang", "Classement"),
    "order": ("N°", "N° d'ordre", "Ordre"),
    "age": ("Âge", "Age"),
    "birth": ("Date de naissance", "Né(e) le"),
    "remark": ("Appréciation", "Observations", "Appréciation générale"),
    "group": ("Classe", "Groupe"),
}
REMARKS = {"admis": "Très bon travail", "controle": "Peut mieux faire", "ajourne": "Ensemble fragile",
           "absent": "Absences à justifier", "incomplet": "En attente de notes"}
#: How a grade may be written as text ('plain': a number cell, or the dialect's number in a CSV).
TEXT_STYLES = ("plain", "comma", "point", "nbsp", "narrow", "spaces", "over20", "over20narrow", "over20spaced")
EXTRA_SHEETS = ("Consignes", "Lisez-moi", "Jury E4", "Graphique")
SHEET_NAMES = ("Notes", "BTS NDRC 2026", "Feuil1", "Résultats", "Sheet1")
MAX_COLUMNS = 24


@dataclass(frozen=True)
class Mess:
    """The decorations of one example; each field left at its default is not applied."""

    title: tuple[str, ...] | None = None
    group_row: bool = False  # a row above the header grouping the units
    merged: bool = False  # workbooks: titles, group row, legends and row labels merged across cells
    blanks: tuple[int, ...] | None = None  # where blank rows go (modulo the number of rows)
    spellings: tuple[int, ...] | None = None  # a spelling of each header (ROLES order)
    single_name: bool = False  # 'Nom Prénom' in one column
    order: tuple[int, ...] | None = None  # sort keys of the columns
    coefficients: tuple[str | None, str, tuple[int, ...] | None] | None = None  # label, its place, wrong ones
    stats_above: tuple[tuple[str | None, str, str], ...] | None = None  # (label, statistic, label's place)
    stats_below: tuple[tuple[str | None, str, str], ...] | None = None
    legends: tuple[tuple[str, ...], str] | None = None
    teacher: tuple[tuple[str, int, int], ...] | None = None  # (kind, position, spelling)
    wrong_averages: tuple[int, ...] | None = None  # hundredths added to each pupil's average
    markers: tuple[int, ...] | None = None  # a spelling of each marker cell
    texts: tuple[str, ...] | None = None  # a TEXT_STYLES entry for each grade cell
    # workbooks only
    numeric_ids: bool = False
    hidden_rows: frozenset[int] | None = None  # pupils whose rows are hidden
    hidden_column: tuple[str, str, bool] | None = None  # (dup | unit | calc, unit, same values)
    sheets: tuple[str, ...] | None = None  # EXTRA_SHEETS before the grade sheet
    jury_same: bool = False  # the jury's E4 sheet holds the grade sheet's E4 grades
    noise: tuple[int, ...] | None = None  # ulps added to each grade cell's saved value (a formula)
    formulas: bool = False  # statistics and the teacher's average as formulas
    sheet_name: str = "Notes"
    # CSV only
    padded: bool = False  # rows outside the table as wide as the table too, as Excel exports
    encoding: str = "utf-8"

    def applied(self) -> list[str]:
        return [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if getattr(self, f.name) != f.default]


_ELEMENTS: dict[str, st.SearchStrategy[Any]] = {
    "spelling": st.integers(0, 9),
    "order": st.integers(0, 9),
    "coefficient": st.integers(1, 6),
    "delta": st.sampled_from([0, 1, -1, 37, -250]),
    "marker": st.integers(0, 9),
    "style": st.sampled_from(TEXT_STYLES),
    "noise": st.sampled_from([0, -1, 1, -2, 2]),
}


@cache
def _sized(element: str, size: int) -> st.SearchStrategy[tuple[Any, ...]]:
    """A tuple of `size` draws: one per cell, pupil or column."""
    return st.lists(_ELEMENTS[element], min_size=size, max_size=size).map(tuple)


_PLACE = st.sampled_from(LABEL_PLACES)
_STATISTIC_ROWS = st.lists(st.tuples(st.sampled_from(STATISTICS), _PLACE).map(
    lambda t: (t[0][0], t[0][1], t[1])), min_size=1, max_size=4, unique_by=lambda t: (t[0], t[1])).map(tuple)
_TITLE = st.lists(st.sampled_from(TITLES), min_size=1, max_size=3, unique=True).map(tuple)
_BLANKS = st.lists(st.integers(0, 99), min_size=1, max_size=4).map(tuple)
_COEFFICIENTS = st.tuples(st.sampled_from(COEFFICIENT_LABELS), _PLACE,
                          st.one_of(st.none(), _sized("coefficient", len(MANDATORY))))
_LEGENDS = st.tuples(st.lists(st.sampled_from(LEGENDS), min_size=1, max_size=3, unique=True).map(tuple), _PLACE)
_TEACHER = st.lists(st.tuples(st.sampled_from(list(TEACHER_COLUMNS)), st.integers(0, 30), st.integers(0, 4)),
                    min_size=1, max_size=4, unique_by=lambda t: t[0]).map(tuple)
_SHEETS = st.tuples(*(st.booleans() for _ in EXTRA_SHEETS)).filter(any).map(  # one flag each: shrinks well
    lambda flags: tuple(kind for kind, flag in zip(EXTRA_SHEETS, flags) if flag))
#: One decoration in so many is applied to an example (the first shrinks best): few decorations at a
#: time, so that a refusal caused by one does not hide a misread caused by another.
RATES = (4, 2, 8)


@cache
def _hidden_rows(n: int) -> st.SearchStrategy[frozenset[int]]:
    return st.frozensets(st.integers(0, n - 1), min_size=1)


@cache
def _hidden_column(units: tuple[str, ...]) -> st.SearchStrategy[tuple[str, str, bool]]:
    return st.tuples(st.sampled_from(["dup", "unit", "calc"]), st.sampled_from(units), st.booleans())


@st.composite
def messes(draw: st.DrawFn, klass: Klass, fmt: str) -> Mess:
    n = len(klass.pupils)
    cells = n * len(klass.units)
    rate = draw(st.sampled_from(RATES))

    def applies() -> bool:  # shrinks to not applied
        return draw(st.integers(0, rate - 1)) == rate - 1

    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(strategy) if applies() else None

    teacher = maybe(_TEACHER)
    mess = Mess(
        title=maybe(_TITLE),
        group_row=applies(),
        blanks=maybe(_BLANKS),
        spellings=maybe(_sized("spelling", len(ROLES))),
        single_name=applies(),
        order=maybe(_sized("order", MAX_COLUMNS)),
        coefficients=maybe(_COEFFICIENTS),
        stats_above=maybe(_STATISTIC_ROWS),
        stats_below=maybe(_STATISTIC_ROWS),
        legends=maybe(_LEGENDS),
        teacher=teacher,
        wrong_averages=draw(_sized("delta", n)) if teacher and any(k == "average" for k, *_ in teacher)
        and draw(st.booleans()) else None,
        markers=maybe(_sized("marker", cells)),
        texts=maybe(_sized("style", cells)),
    )
    if fmt in BOOKS:
        sheets = maybe(_SHEETS)
        mess = replace(
            mess, merged=draw(st.booleans()),
            numeric_ids=klass.id_shape in NUMERIC_SHAPES and not klass.name_only and applies(),
            hidden_rows=maybe(_hidden_rows(n)), hidden_column=maybe(_hidden_column(klass.units)), sheets=sheets,
            jury_same=sheets is not None and "Jury E4" in sheets and draw(st.booleans()),
            noise=maybe(_sized("noise", cells)), formulas=draw(st.booleans()),
            sheet_name=draw(st.sampled_from(SHEET_NAMES)))
    else:
        encodings = ["utf-8-sig", "cp1252", "utf-8"] if fmt == "csv;" else ["utf-8", "utf-8-sig"]
        mess = replace(mess, padded=draw(st.booleans()), encoding=draw(st.sampled_from(encodings)))
    return mess


# -- rendering a decorated class ---------------------------------------------------------


class Column(NamedTuple):
    role: str  # id, last, first, full, a unit code, dup (a hidden copy of `unit`), calc, or a teacher's kind
    header: str
    hidden: bool = False
    unit: str = ""


def _spelling(role: str, mess: Mess) -> str:
    options = SPELLINGS[role]
    return options[mess.spellings[ROLES.index(role)] % len(options)] if mess.spellings else options[0]


def layout_columns(klass: Klass, mess: Mess) -> list[Column]:
    cols: list[Column] = []
    if not klass.name_only:
        cols.append(Column("id", _spelling("id", mess)))
    if mess.single_name:
        cols.append(Column("full", _spelling("full", mess)))
    else:
        cols += [Column("last", _spelling("last", mess)), Column("first", _spelling("first", mess))]
    cols += [Column(code, _spelling(code, mess), unit=code) for code in klass.units]
    for kind, position, spelling in mess.teacher or ():
        options = TEACHER_COLUMNS[kind]
        cols.insert(position % (len(cols) + 1), Column(kind, options[spelling % len(options)]))
    if mess.hidden_column is not None:
        kind, unit, _ = mess.hidden_column
        at = next(i for i, c in enumerate(cols) if c.role == unit)
        if kind == "dup":
            cols.insert(at + 1, Column("dup", unit, hidden=True, unit=unit))
        elif kind == "unit":
            cols[at] = cols[at]._replace(hidden=True)
        else:
            cols.append(Column("calc", "Total points", hidden=True))
    if mess.order is not None:
        keys = mess.order
        cols = [c for _, c in sorted(enumerate(cols), key=lambda ic: (keys[ic[0] % len(keys)], ic[0]))]
    return cols


def _styled(hundredths: int, style: str) -> Cell:
    french = decimal_text(hundredths, ",")
    return {
        "plain": number(hundredths),
        "comma": Text(french),
        "point": Text(decimal_text(hundredths)),
        "nbsp": Text(french + "\u00a0"),
        "narrow": Text("\u202f" + french),
        "spaces": Text(f"  {french} "),
        "over20": Text(f"{french}/20"),
        "over20narrow": Text(f"{french}\u202f/\u202f20"),
        "over20spaced": Text(f"{french} / 20"),
    }[style]


@dataclass
class _Context:
    klass: Klass
    mess: Mess
    fmt: str
    verdicts: list[Verdict]
    averages: list[int | None]  # the teacher's averages, in hundredths (maybe wrong)
    cols: list[Column]

    @property
    def book(self) -> bool:
        return self.fmt in BOOKS


def _grade_cell(ctx: _Context, pupil: int, unit: int, noisy: bool = True) -> Cell:
    mess = ctx.mess
    v = ctx.klass.pupils[pupil].grades[unit]
    index = pupil * len(ctx.klass.units) + unit
    if isinstance(v, str):
        options = MARKER_SPELLINGS[v]
        spelled = options[mess.markers[index] % len(options)] if mess.markers else options[0]
        return Text(spelled) if spelled else None
    steps = mess.noise[index] if mess.noise and ctx.book and noisy else 0
    if steps and v > 0:
        cached = ulps(v / 100, steps)
        assert shown(cached) == v / 100, (v, cached)
        return Formula(f"={decimal_text(2 * v)}/2", cached, decimal_text(v))
    return _styled(v, mess.texts[index] if mess.texts else "plain")


def _other(v: Value) -> Value:
    """Another grade than `v`: what a hidden copy of a unit or a jury's sheet may hold."""
    return (v + 350) % 2001 if isinstance(v, int) else v


def _pupil_cell(ctx: _Context, col: Column, i: int) -> Cell:
    klass, mess = ctx.klass, ctx.mess
    p = klass.pupils[i]
    role = col.role
    if role == "id":
        return Num(p.id, float(p.id)) if mess.numeric_ids else Text(p.id)
    if role == "last":
        return Text(p.last)
    if role == "first":
        return Text(p.first)
    if role == "full":
        return Text(p.name)
    if role in klass.units:
        return _grade_cell(ctx, i, klass.units.index(role))
    if role == "dup":
        unit = klass.units.index(col.unit)
        if mess.hidden_column is not None and mess.hidden_column[2]:
            return _grade_cell(ctx, i, unit, noisy=False)
        v = _other(p.grades[unit])
        return number(v) if isinstance(v, int) else (Text(v) if v else None)
    if role == "calc":
        total = sum(COEFFICIENTS[c] * v for c, v in zip(klass.units, p.grades) if c in COEFFICIENTS
                    and isinstance(v, int))
        return number(total)
    if role == "average":
        average = ctx.averages[i]
        if average is None:
            return None
        exact = ctx.verdicts[i].average
        if mess.formulas and ctx.book and exact is not None:
            terms = "+".join(f"{COEFFICIENTS[c.unit]}*{column_letters(k)}{{row}}" for k, c in enumerate(ctx.cols)
                             if c.role in COEFFICIENTS)
            return Formula(f"=({terms})/{sum(COEFFICIENTS.values())}",
                           float(exact) + (average - half_up(exact)) / 100,
                           f"{average // 100}.{average % 100:02d}")
        return Num(f"{average // 100}.{average % 100:02d}", average / 100)
    if role == "rank":
        mine = ctx.verdicts[i].average
        if mine is None:
            return None
        rank = 1 + sum(1 for v in ctx.verdicts if v.average is not None and v.average > mine)
        return Num(str(rank), float(rank))
    if role == "order":
        return Num(str(i + 1), float(i + 1))
    if role == "age":
        return Num(str(18 + (5 * i + 3) % 7), float(18 + (5 * i + 3) % 7))
    if role == "birth":
        return Day(datetime.date(2006 - i % 3, 1 + 5 * i % 12, 1 + 11 * i % 28))
    if role == "remark":
        return Text(REMARKS[ctx.verdicts[i].decision])
    if role == "group":
        return Text("NDRC2")
    raise AssertionError(role)


def _column_numbers(ctx: _Context, col: Column) -> list[int] | None:
    """The numbers (hundredths) of a column over the pupils, for a statistics row; None: no statistics there."""
    klass = ctx.klass
    if col.role in klass.units or col.role == "dup":
        unit = klass.units.index(col.unit)
        same = col.role != "dup" or (ctx.mess.hidden_column is not None and ctx.mess.hidden_column[2])
        found = [p.grades[unit] if same else _other(p.grades[unit]) for p in klass.pupils]
        return [v for v in found if isinstance(v, int)]
    if col.role == "average":
        return [a for a in ctx.averages if a is not None]
    return None


_FUNCTIONS = {"mean": "AVERAGE", "min": "MIN", "max": "MAX", "median": "MEDIAN", "stdev": "STDEV.P",
              "count": "COUNT", "size": "COUNTA", "total": "SUM"}


def _statistic(kind: str, found: list[int], size: int, letter: str, formulas: bool) -> Cell:
    if kind == "size":
        value: float | Fraction | None = Fraction(size)
    elif kind == "count":
        value = Fraction(len(found))
    elif kind == "total":
        value = Fraction(sum(found), 100)
    elif not found:
        value = None
    elif kind == "mean":
        value = Fraction(sum(found), 100 * len(found))
    elif kind == "min":
        value = Fraction(min(found), 100)
    elif kind == "max":
        value = Fraction(max(found), 100)
    elif kind == "median":
        ordered = sorted(found)
        middle = len(ordered) // 2
        value = Fraction(ordered[middle] + ordered[~middle], 200)
    else:
        mean = Fraction(sum(found), len(found))
        value = math.sqrt(sum((x - mean) ** 2 for x in found) / len(found)) / 100
    formula = f"={_FUNCTIONS[kind]}({letter}{{first}}:{letter}{{last}})"  # the pupils' rows, once laid out
    if value is None:
        if not formulas:
            return None
        error = "#NUM!" if kind == "median" else "#DIV/0!"
        return Formula(formula, 0.0 if kind in ("min", "max") else error, "0" if kind in ("min", "max") else error)
    text = str(int(value)) if kind in ("size", "count") else (
        f"{value:.2f}" if isinstance(value, float) else f"{half_up(value) / 100:.2f}")
    if formulas:
        return Formula(formula, float(value), text)
    return Num(text, float(text))


def _group(unit: str) -> str:
    if not unit:
        return ""
    return ("Épreuves facultatives" if unit in OPTIONAL else "Épreuves professionnelles" if unit in PROFESSIONAL
            else "Épreuves générales")


def _label_column(cols: list[Column], at: str) -> int:
    roles = [c.role for c in cols]
    if at == "id" and "id" in roles:
        return roles.index("id")
    if at in ("id", "name"):
        return roles.index("full") if "full" in roles else roles.index("last")
    return 0


def render(klass: Klass, mess: Mess, fmt: str) -> Book:
    """The decorated class as a book of grids (a CSV file is the grade sheet alone)."""
    verdicts = oracle(klass)
    averages: list[int | None] = []
    for i, v in enumerate(verdicts):
        if v.average is None:
            averages.append(None)
            continue
        h = half_up(v.average)
        delta = mess.wrong_averages[i] if mess.wrong_averages else 0
        averages.append(h + delta if h + delta >= 0 else h - delta)
    cols = layout_columns(klass, mess)
    ctx = _Context(klass, mess, fmt, verdicts, averages, cols)
    width = len(cols)
    blank: list[Cell] = [None] * width
    rows: list[tuple[str, list[Cell]]] = []
    for title in mess.title or ():
        cell: Cell = (Day(datetime.date(2026, 6, 24)) if ctx.book else Text("24/06/2026")) if title == "<date>" \
            else Text(title)
        rows.append(("title", [cell] + [None] * (width - 1)))
    groups = [_group(col.unit) for col in cols]
    if mess.group_row:
        # a label only where its run of columns starts
        rows.append(("group", [Text(g) if g and (c == 0 or groups[c - 1] != g) else None
                               for c, g in enumerate(groups)]))
    rows.append(("header", [Text(c.header) for c in cols]))
    if mess.coefficients is not None:
        label, at, wrong = mess.coefficients
        given = dict(zip(MANDATORY, wrong)) if wrong else COEFFICIENTS
        line: list[Cell] = [Num(str(given[c.unit]), float(given[c.unit])) if c.unit in COEFFICIENTS else None
                            for c in cols]
        if label:
            line[_label_column(cols, at)] = Text(label)
        rows.append(("coefficients", line))
    n = len(klass.pupils)

    def statistics(entries: tuple[tuple[str | None, str, str], ...] | None) -> None:
        for label, kind, at in entries or ():
            line = [None] * width
            for c, col in enumerate(cols):
                found = _column_numbers(ctx, col)
                if found is not None:
                    line[c] = _statistic(kind, found, n, column_letters(c), mess.formulas and ctx.book)
            if label:
                line[_label_column(cols, at)] = Text(label)
            rows.append(("statistics", line))

    statistics(mess.stats_above)
    for i in range(n):
        rows.append((f"pupil {i}", [_pupil_cell(ctx, col, i) for col in cols]))
    statistics(mess.stats_below)
    if mess.legends is not None:
        lines, at = mess.legends
        for text in lines:
            line = [None] * width
            line[0 if at == "A" else _label_column(cols, at)] = Text(text)
            rows.append(("legend", line))
    for position in sorted(mess.blanks or (), reverse=True):
        rows.insert(position % (len(rows) + 1), ("blank", list(blank)))

    pupil_rows = [r for r, (kind, _) in enumerate(rows) if kind.startswith("pupil ")]
    for r, (_, line) in enumerate(rows):  # formulas name the rows they are on, and the pupils' rows
        for c, cell in enumerate(line):
            if isinstance(cell, Formula) and "{" in cell.formula:
                line[c] = replace(cell, formula=cell.formula.format(first=pupil_rows[0] + 1, last=pupil_rows[-1] + 1,
                                                                    row=r + 1))
    hidden = frozenset(r for r, (kind, _) in enumerate(rows)
                       if mess.hidden_rows and kind.startswith("pupil ") and int(kind[6:]) in mess.hidden_rows)
    merges: list[tuple[int, int, int]] = []
    if mess.merged and ctx.book:
        for r, (kind, line) in enumerate(rows):
            filled = [c for c, cell in enumerate(line) if cell is not None]
            if kind in ("title", "legend") and filled == [0] and width > 1:
                merges.append((r, 0, width - 1))
            elif kind == "group":
                for start in filled:
                    end = start
                    while end + 1 < width and groups[end + 1] == groups[start]:
                        end += 1
                    if end > start:
                        merges.append((r, start, end))
            elif kind in ("statistics", "coefficients"):  # a label over the empty name cells beside it
                for start in filled:
                    end = start
                    while end + 1 < width and line[end + 1] is None and cols[end + 1].role in ("last", "first"):
                        end += 1
                    if end > start and isinstance(line[start], Text):
                        merges.append((r, start, end))
    outside = frozenset(r for r, (kind, _) in enumerate(rows) if kind in ("title", "group", "blank", "legend"))
    main = Grid(mess.sheet_name, [line for _, line in rows], hidden,
                frozenset(c for c, col in enumerate(cols) if col.hidden), tuple(merges), outside)
    sheets = [_extra_sheet(ctx, kind) for kind in (mess.sheets or ()) if ctx.book]
    return Book([*sheets, main], len(sheets))


def _extra_sheet(ctx: _Context, kind: str) -> Grid:
    klass = ctx.klass
    if kind == "Consignes":
        return Grid(kind, [])  # empty
    if kind == "Lisez-moi":
        return Grid(kind, [[Text("Saisir les notes sur 20 dans la feuille des notes.")],
                           [Text("Marqueurs : ABS, ABJ, DISP, NN.")]])
    if kind == "Jury E4":
        unit = klass.units.index("E4")
        rows: list[list[Cell]] = [[Text("Nom"), Text("Prénom"), Text("E4")] if klass.name_only
                                  else [Text("N° candidat"), Text("Nom"), Text("E4")]]
        for p in klass.pupils:
            v = p.grades[unit] if ctx.mess.jury_same else _other(p.grades[unit])
            grade = number(v) if isinstance(v, int) else (Text(v) if v else None)
            rows.append([Text(p.last), Text(p.first), grade] if klass.name_only else [Text(p.id), Text(p.name), grade])
        return Grid(kind, rows)
    decided = [v.average for v in ctx.verdicts if v.average is not None]
    bands = (("0 – 8", 0, 8), ("8 – 10", 8, 10), ("10 – 20", 10, 99))
    return Grid(kind, [[Text("Tranche"), Text("Effectif")]] + [
        [Text(label), Num(str(k), float(k))] for label, low, high in bands
        for k in [sum(1 for a in decided if low <= a < high)]])


# -- writing ------------------------------------------------------------------------------------


def csv_cell(cell: Cell, decimal: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Text):
        return cell.text
    if isinstance(cell, Day):
        return cell.day.strftime("%d/%m/%Y")
    return cell.text.replace(".", decimal)  # a number, or a formula as shown


def csv_bytes(grid: Grid, fmt: str, mess: Mess) -> tuple[bytes, str]:
    """The grade sheet as a CSV file's bytes, and the encoding used (cp1252 falls back to UTF-8 with a BOM
    when a character has no cp1252 byte, as Excel's 'CSV UTF-8')."""
    french = fmt == "csv;"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    width = grid.width
    for r, row in enumerate(grid.rows):
        texts = [csv_cell(c, "," if french else ".") for c in row]
        if mess.padded or r not in grid.outside:
            texts += [""] * (width - len(texts))
        else:
            while texts and not texts[-1]:
                texts.pop()
        writer.writerow(texts)
    encoding = mess.encoding
    try:
        return out.getvalue().encode(encoding), encoding
    except UnicodeEncodeError:
        return out.getvalue().encode("utf-8-sig"), "utf-8-sig"


def write_xlsx(book: Book, path: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                               "strings_to_urls": False})
    dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for index, grid in enumerate(book.sheets):
        sheet = workbook.add_worksheet(grid.name)
        covered = {(r, c) for r, first, last in grid.merges for c in range(first, last + 1)}
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row):
                if (r, c) in covered or cell is None:
                    continue
                if isinstance(cell, Text):
                    sheet.write_string(r, c, cell.text)
                elif isinstance(cell, Num):
                    sheet.write_number(r, c, cell.value)
                elif isinstance(cell, Formula):
                    sheet.write_formula(r, c, cell.formula, None, cell.cached)
                else:
                    sheet.write_datetime(r, c, datetime.datetime.combine(cell.day, datetime.time()), dates)
        for r, first, last in grid.merges:
            cell = grid.rows[r][first]
            sheet.merge_range(r, first, r, last, cell.text if isinstance(cell, Text) else "")
            if isinstance(cell, Day):
                sheet.write_datetime(r, first, datetime.datetime.combine(cell.day, datetime.time()), dates)
        for r in grid.hidden_rows:
            sheet.set_row(r, None, None, {"hidden": True})
        for c in grid.hidden_columns:
            sheet.set_column(c, c, None, None, {"hidden": True})
        if index == book.main:
            sheet.activate()
    workbook.close()


_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>'
)


def _ods_text(text: str) -> str:
    """A paragraph's text with its spaces kept (ODF collapses leading, trailing and repeated spaces)."""
    def spaces(m: re.Match[str]) -> str:
        run = len(m.group(0))
        inner = m.start() > 0 and m.end() < len(text)
        kept = " " if inner else ""
        rest = run - len(kept)
        return kept + (f'<text:s text:c="{rest}"/>' if rest > 1 else "<text:s/>" if rest else "")

    return re.sub(" +", spaces, escape(text))


def _ods_cell(cell: Cell, span: int) -> str:
    spanned = f' table:number-columns-spanned="{span}" table:number-rows-spanned="1"' if span > 1 else ""
    if cell is None:
        return f"<table:table-cell{spanned}/>"
    if isinstance(cell, Text):
        return (f'<table:table-cell{spanned} office:value-type="string" calcext:value-type="string">'
                f"<text:p>{_ods_text(cell.text)}</text:p></table:table-cell>")
    if isinstance(cell, Num):
        return (f'<table:table-cell{spanned} office:value-type="float" office:value="{cell.value!r}" '
                f'calcext:value-type="float"><text:p>{cell.text.replace(".", ",")}</text:p></table:table-cell>')
    if isinstance(cell, Formula):
        formula = quoteattr("of:" + cell.formula)
        if isinstance(cell.cached, str):
            return (f'<table:table-cell{spanned} table:formula={formula} office:value-type="float" office:value="0" '
                    f'calcext:value-type="error"><text:p>{cell.cached}</text:p></table:table-cell>')
        return (f'<table:table-cell{spanned} table:formula={formula} office:value-type="float" '
                f'office:value="{cell.cached!r}" calcext:value-type="float">'
                f'<text:p>{cell.text.replace(".", ",")}</text:p></table:table-cell>')
    return (f'<table:table-cell{spanned} office:value-type="date" office:date-value="{cell.day.isoformat()}" '
            f'calcext:value-type="date"><text:p>{cell.day.strftime("%d/%m/%Y")}</text:p></table:table-cell>')


def ods_content(book: Book) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<office:document-content {_ODS_NAMESPACES} office:version="1.2"><office:body><office:spreadsheet>']
    for grid in book.sheets:
        width = max(grid.width, 1)
        parts.append(f"<table:table table:name={quoteattr(grid.name)}>")
        for c in range(width):
            hidden = ' table:visibility="collapse"' if c in grid.hidden_columns else ""
            parts.append(f"<table:table-column{hidden}/>")
        spans = {(r, first): last - first + 1 for r, first, last in grid.merges}
        covered = {(r, c) for r, first, last in grid.merges for c in range(first + 1, last + 1)}
        for r, row in enumerate(grid.rows or [[]]):
            hidden = ' table:visibility="collapse"' if r in grid.hidden_rows else ""
            parts.append(f"<table:table-row{hidden}>")
            line = list(row) + [None] * (width - len(row))
            for c, cell in enumerate(line):
                covering = (r, c) in covered
                parts.append("<table:covered-table-cell/>" if covering else _ods_cell(cell, spans.get((r, c), 1)))
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    return "".join(parts)


def write_ods(book: Book, path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)  # first, stored: how a reader knows the kind
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        z.writestr("content.xml", ods_content(book))


# -- an example -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    klass: Klass
    fmt: str
    mess: Mess

    @cached_property
    def book(self) -> Book:
        return render(self.klass, self.mess, self.fmt)

    @property
    def suffix(self) -> str:
        return ".csv" if self.fmt.startswith("csv") else "." + self.fmt

    def write(self, path: Path) -> str:
        """Write the sheet file at `path` (its suffix is the format's); its name."""
        if self.fmt in ("csv;", "csv,"):
            path.write_bytes(csv_bytes(self.book.sheets[self.book.main], self.fmt, self.mess)[0])
        elif self.fmt == "xlsx":
            write_xlsx(self.book, path)
        else:
            write_ods(self.book, path)
        return str(path)

    def describe(self) -> str:
        """The example as a reader of a failure needs it: format, decorations, every row of the sheet."""
        lines = [f"format {self.fmt}; {len(self.klass.pupils)} pupil(s); units {' '.join(self.klass.units)}"
                 f"{'; names are the ids' if self.klass.name_only else ''}",
                 "decorations: " + ("; ".join(self.mess.applied()) or "none")]
        if self.fmt.startswith("csv"):
            data, encoding = csv_bytes(self.book.sheets[self.book.main], self.fmt, self.mess)
            lines.append(f"the CSV file ({encoding}), line by line:")
            text = data.decode(encoding).lstrip("\ufeff")
            lines += [f"{n:>4}: {line!r}" for n, line in enumerate(text.splitlines(), 1)]
        else:
            for index, grid in enumerate(self.book.sheets):
                lines.append(f"sheet {grid.name!r}{' (the grade sheet)' if index == self.book.main else ''}"
                             + (f"; hidden columns {', '.join(column_letters(c) for c in sorted(grid.hidden_columns))}"
                                if grid.hidden_columns else "")
                             + (f"; merged {', '.join(f'{column_letters(a)}{r + 1}:{column_letters(b)}{r + 1}' for r, a, b in grid.merges)}"  # noqa: E501
                                if grid.merges else ""))
                for r, row in enumerate(grid.rows):
                    mark = " hidden" if r in grid.hidden_rows else ""
                    lines.append(f"{r + 1:>4}{mark}: " + " | ".join(show(c) for c in row))
        lines.append("the known class (tidy CSV):")
        lines += ["      " + line for line in tidy_csv(self.klass).splitlines()]
        return "\n".join(lines)


def show(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Text):
        return repr(cell.text)
    if isinstance(cell, Num):
        return cell.text
    if isinstance(cell, Formula):
        return f"{cell.formula}→{cell.cached!r}"
    return cell.day.isoformat()


@st.composite
def examples(draw: st.DrawFn, formats: tuple[str, ...] = FORMATS, max_pupils: int = 8) -> Example:
    fmt = draw(st.sampled_from(formats))
    klass = draw(klasses(max_pupils))
    return Example(klass, fmt, draw(messes(klass, fmt)))


# -- running ndrc, and what a run is -----------------------------------------------------------


class Ran(NamedTuple):
    code: int
    stdout: str
    stderr: str
    crash: str  # the traceback of an exception that escaped, or ""


@lru_cache(maxsize=1)
def _command() -> Any:
    """The Click command of ndrc's Typer app, built once (Typer's CliRunner builds it on every call:
    most of a small sheet's time)."""
    from typer.main import get_command

    from ndrc_cli.cli.typer_app import app

    return get_command(app)


def ndrc(*args: str) -> Ran:
    """`ndrc ARGS` in-process, as typer.testing.CliRunner runs it (stdout and stderr apart), without
    conftest.run's second run in French."""
    from typer.testing import CliRunner

    crash, code = "", 0
    with CliRunner().isolation() as (stdout, stderr, _):
        try:
            _command().main(args=list(args), prog_name="ndrc")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        except Exception:  # what escapes ndrc is a crash, reported as such
            crash, code = traceback.format_exc(), 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return Ran(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), crash)


EXACT, REFUSED = "EXACT", "REFUSED"
MISREAD, CSV, UNPLACED, CRASH, BASELINE = "MISREAD", "CSV", "UNPLACED", "CRASH", "BASELINE"
KINDS = (EXACT, REFUSED, MISREAD, CSV, UNPLACED, CRASH, BASELINE)


@dataclass
class Outcome:
    kind: str
    #: what differs, or why the run is a defect (one line each)
    details: list[str]
    #: a short name of the defect, for counting runs by class
    signature: str = ""
    json: Ran | None = None
    csv: Ran | None = None

    @property
    def ok(self) -> bool:
        return self.kind in (EXACT, REFUSED)

    def report(self, example: Example) -> str:
        shown_details = self.details[:12] + ([f"… and {len(self.details) - 12} more"] if len(self.details) > 12 else [])
        lines = [f"{self.kind}: {self.signature}", *shown_details, "", example.describe()]
        for label, ran in (("-f json", self.json), ("-f csv", self.csv)):
            if ran is not None:
                lines += ["", f"ndrc grade FILE {label}: exit {ran.code}", "stderr:",
                          *("    " + line for line in (ran.crash or ran.stderr).splitlines()[:40])]
        return "\n".join(lines)


_KNOWN: dict[Klass, tuple[dict[str, Any], list[str]]] = {}


def known_result(klass: Klass, folder: Path) -> tuple[dict[str, Any], list[str]]:
    """The tidy class graded by ndrc (JSON), and where it disagrees with `oracle` and the class itself
    (then the example's sheet is not checked: the run is a BASELINE defect)."""
    if klass in _KNOWN:
        return _KNOWN[klass]
    path = folder / "tidy.csv"
    path.write_text(tidy_csv(klass), encoding="utf-8")
    ran = ndrc("grade", str(path), "-f", "json")
    if ran.code != 0:
        refused = [f"the tidy sheet is refused (exit {ran.code}): {(ran.crash or ran.stderr).strip()[:500]}"]
        return {}, refused
    data: dict[str, Any] = json.loads(ran.stdout)
    problems = []
    students = data["students"]
    if [s["id"] for s in students] != [klass.ident(p) for p in klass.pupils]:
        problems.append(f"tidy ids {[s['id'] for s in students]}")
    else:
        for p, s, verdict in zip(klass.pupils, students, oracle(klass)):
            average = None if verdict.average is None else half_up(verdict.average) / 100
            if (s["average"], s["decision"]) != (average, verdict.decision):
                problems.append(f"{s['id']}: tidy gives average {s['average']} {s['decision']}, "
                                f"the rules give {average} {verdict.decision}")
            for code, v in zip(klass.units, p.grades):
                unit = s["units"][code]
                want = (v / 100, "graded") if isinstance(v, int) else (
                    (None, "missing") if v == "" else (None, "absent") if v == "ABS"
                    else (0, "justified_absence") if v == "ABJ" else (None, "exempt"))
                if (unit["grade"], unit["status"]) != want:
                    problems.append(f"{s['id']}: {code}: tidy reads {unit}, the class has {v!r}")
    if len(_KNOWN) > 256:
        _KNOWN.clear()
    _KNOWN[klass] = (data, problems)
    return data, problems


_FIELDS = ("name", "average", "points", "divisor", "bonus", "total", "professional_average", "decision", "missing",
           "absent")


def _student(s: dict[str, Any]) -> dict[str, Any]:
    view = {key: s[key] for key in _FIELDS}
    view["units"] = {code: (u["grade"], u["status"], u.get("parts")) for code, u in s["units"].items()}
    view["blocs"] = [(b["id"], b["grade"]) for b in s["blocs"]]
    return view


def differences(known: dict[str, Any], got: dict[str, Any]) -> tuple[str, list[str]]:
    """How `got` differs from the known result: a short signature, and the details."""
    want_ids = [s["id"] for s in known["students"]]
    got_ids = [s["id"] for s in got["students"]]
    if want_ids != got_ids:
        extra = [i for i in got_ids if i not in want_ids]
        lost = [i for i in want_ids if i not in got_ids]
        signature = ("rows read as students" if extra and not lost else "students dropped" if lost and not extra
                     else "ids differ")
        return signature, [f"students: expected {want_ids}, got {got_ids}"]
    details, what = [], []
    for a, b in zip(known["students"], got["students"]):
        va, vb = _student(a), _student(b)
        for key in va:
            if va[key] != vb[key]:
                details.append(f"{a['id']}: {key}: expected {va[key]!r}, got {vb[key]!r}")
                what.append("grades" if key == "units" else "names" if key == "name" else "results")
    for key, value in known["summary"].items():
        if got["summary"].get(key) != value:
            details.append(f"summary: {key}: expected {json.dumps(value)}, got {json.dumps(got['summary'].get(key))}")
            what.append("summary")
    if not details:
        return "", []
    signature = ("grades differ" if "grades" in what else "names differ" if "names" in what
                 else "results differ, grades equal to 2 decimals" if "results" in what else "summary differs")
    return signature, details


def _hundredths_text(value: float | int | None) -> str:
    return "" if value is None else f"{value:.2f}"


_MARK_CODES = {"missing": "", "absent": "ABS", "justified_absence": "ABJ", "exempt": "DISP"}


def expected_csv(known: dict[str, Any]) -> list[dict[str, str]]:
    """The known result as `ndrc grade -f csv` writes it (the columns every sheet has)."""
    rows = []
    for s in known["students"]:
        decided = s["average"] is not None
        row = {"id": s["id"], "name": s["name"]}
        for code, u in s["units"].items():
            row[code] = _hundredths_text(u["grade"]) if u["status"] == "graded" else _MARK_CODES[u["status"]]
        # Averages as the display rule shows them (JSON's *_text; a CSV cell has no ellipsis).
        row.update(bonus=_hundredths_text(s["bonus"]), points=_hundredths_text(s["points"]) if decided else "",
                   divisor=str(s["divisor"]) if decided else "",
                   average=(s["average_text"] or "").removesuffix("…"),
                   professional_average=(s["professional_average_text"] or "").removesuffix("…"),
                   decision=s["decision"], blocs=" ".join(b["id"] for b in s["blocs"]))
        rows.append(row)
    return rows


def csv_differences(known: dict[str, Any], stdout: str) -> list[str]:
    table = list(csv.reader(io.StringIO(stdout)))
    if not table:
        return ["-f csv wrote nothing"]
    header, body = table[0], table[1:]
    want = expected_csv(known)
    if len(body) != len(want):
        return [f"-f csv: {len(body)} rows, expected {len(want)}: {[r[0] for r in body]}"]
    details = []
    for expected, line in zip(want, body):
        got = dict(zip(header, line))
        for key, value in expected.items():
            if got.get(key) != value:
                details.append(f"-f csv: {expected['id']}: {key}: expected {value!r}, got {got.get(key)!r}")
    return details


def placed(stderr: str, path: str) -> bool:
    """Whether an error (not a note) names a row or a column: `file:12:`, `file:12:3:`, `file:Sheet!B7:`,
    `file:Sheet!7:7:`, or the words row/line/column and a number."""
    where = re.escape(path)
    sheet = r"(?:'(?:[^']|'')+'|[^\s:!']+)"
    errors = "\n".join(line for line in stderr.splitlines() if ": note: " not in line)
    return bool(re.search(rf"^{where}:(?:\d+(?::\d+)?|{sheet}!(?:[A-Z]{{1,3}}\d+|\d+:\d+)): ", errors, re.M)
                or re.search(r"\b(?:row|line|column) \d+\b", errors))


def _crashed(ran: Ran) -> bool:
    return bool(ran.crash) or "Traceback" in ran.stderr or ran.code not in (0, 1)


_CHECKED: dict[Example, Outcome] = {}


def check(example: Example, folder: Path) -> Outcome:
    """Run ndrc on the example's sheet (JSON, then CSV) and say what the run is (remembered: hypothesis
    and `blame` see the same example again)."""
    if example not in _CHECKED:
        if len(_CHECKED) > 4096:
            _CHECKED.clear()
        _CHECKED[example] = _check(example, folder)
    return _CHECKED[example]


def _check(example: Example, folder: Path) -> Outcome:
    known, baseline = known_result(example.klass, folder)
    if baseline:
        signature = "the tidy sheet is refused" if not known else "the tidy sheet is graded unlike the rules"
        return Outcome(BASELINE, baseline, signature)
    path = example.write(folder / f"sheet{example.suffix}")
    as_json = ndrc("grade", path, "-f", "json")
    as_csv = ndrc("grade", path, "-f", "csv")
    runs = {"json": as_json, "csv": as_csv}
    for label, ran in runs.items():
        if _crashed(ran):
            what = "a traceback" if ran.crash or "Traceback" in ran.stderr else f"exit code {ran.code}"
            return Outcome(CRASH, [f"-f {label}: {what}"], f"{what} (-f {label})", as_json, as_csv)
    if as_json.code == 0:
        signature, details = differences(known, json.loads(as_json.stdout))
        if details:
            return Outcome(MISREAD, details, signature, as_json, as_csv)
    if as_csv.code == 0:
        details = csv_differences(known, as_csv.stdout)
        if details:
            return Outcome(MISREAD, details, "-f csv: results differ", as_json, as_csv)
    for label, ran in runs.items():
        if ran.code == 1 and not placed(ran.stderr, path):
            return Outcome(UNPLACED, [f"-f {label}: {ran.stderr.strip()[:300]}"], "refused without a position",
                           as_json, as_csv)
    if as_json.code != as_csv.code:
        return Outcome(CSV, [f"-f json exits {as_json.code}, -f csv exits {as_csv.code}"],
                       f"-f csv exits {as_csv.code} where -f json exits {as_json.code}", as_json, as_csv)
    return Outcome(EXACT if as_json.code == 0 else REFUSED, [], "", as_json, as_csv)


#: The decorations as a reader of a failure names them, each with the fields it needs.
DECORATIONS: dict[str, tuple[str, ...]] = {
    "title block": ("title", "merged"),
    "group row": ("group_row", "merged"),
    "blank rows": ("blanks",),
    "header spellings": ("spellings",),
    "single name column": ("single_name",),
    "shuffled columns": ("order",),
    "coefficient row": ("coefficients",),
    "statistics above": ("stats_above", "formulas"),
    "statistics below": ("stats_below", "formulas"),
    "legends": ("legends", "merged"),
    "teacher's columns": ("teacher", "wrong_averages", "formulas"),
    "marker spellings": ("markers",),
    "numbers as text": ("texts",),
    "numeric ids": ("numeric_ids",),
    "hidden rows": ("hidden_rows",),
    "hidden column": ("hidden_column",),
    "extra sheets": ("sheets", "jury_same"),
    "formula noise": ("noise",),
}
#: Fields every restriction keeps: how the file is written, not a decoration.
_BASE = ("sheet_name", "padded", "encoding")
_ENABLING = {"merged", "formulas", "wrong_averages", "jury_same"}  # nothing by themselves


def applied(mess: Mess) -> list[str]:
    """The decorations applied to an example."""
    default = Mess()
    return [name for name, names in DECORATIONS.items()
            if any(getattr(mess, f) != getattr(default, f) for f in names if f not in _ENABLING)]


def restrict(example: Example, decorations: tuple[str, ...]) -> Example:
    """The example with only these decorations (and how the file is written)."""
    keep = set(_BASE).union(*(DECORATIONS[d] for d in decorations))
    mess = Mess(**{f.name: getattr(example.mess, f.name) for f in fields(Mess) if f.name in keep})
    return Example(example.klass, example.fmt, mess)


def blame(example: Example, outcome: Outcome, folder: Path) -> list[tuple[str, str, str]]:
    """Which decorations give a defect (or a refusal) by themselves: (kind, signature, decoration) for each
    that alone does — with the signature of its own run, since the first defect of a run may hide
    another's. When none does alone, the decorations whose removal cures the run (`… (with others)`), else
    '?'. A BASELINE is the tidy sheet's: no decoration is to blame."""
    if outcome.kind == BASELINE:
        return [(outcome.kind, outcome.signature, "the tidy sheet")]
    names = applied(example.mess)
    found = []
    for name in names:
        alone = check(restrict(example, (name,)), folder)
        if alone.kind != EXACT and (alone.kind != REFUSED or outcome.kind == REFUSED):
            found.append((alone.kind, alone.signature or refusal_reason(alone.json.stderr if alone.json else ""),
                          name))
    if found:
        return found
    signature = outcome.signature or refusal_reason(outcome.json.stderr if outcome.json else "")
    together = [(outcome.kind, signature, f"{name} (with others)") for name in names
                if check(restrict(example, tuple(n for n in names if n != name)), folder).kind == EXACT]
    return together or [(outcome.kind, signature, "?")]


def refusal_reason(stderr: str) -> str:
    """What a refusal says, without its positions, ids or numbers: for counting refusals by reason."""
    first = next((line for line in stderr.splitlines() if not line.startswith("error:") and ": note: " not in line),
                 stderr.strip())
    text = re.sub(r"^.*?:(?:\d+(?::\d+)?|[^:]*?!(?:[A-Z]+\d+|\d+:\d+)): ", "", first)
    text = re.sub(r"^(?:E|EF|U)\d[AB]?: ", "", text)
    text = re.sub(r"'[^']*'|« [^»]* »|\"[^\"]*\"", "…", text)
    return re.sub(r"\d+(?:[.,]\d+)?", "N", text)[:110]
