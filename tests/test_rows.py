"""What a row under the header is (load/rows.py), decided from its structure
and its words together: hand-made cases for each role, and properties that
tie the streaming path's first look to the full decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, write
from hypothesis import given
from hypothesis import strategies as st

from ndrc_cli.core.model import Curriculum
from ndrc_cli.load.rows import (
    ColumnStats,
    Role,
    RowFacts,
    classify,
    coefficient_label,
    decimals_of,
    label_kind,
    may_be_label,
    reads_as_note,
    scale_label,
    statistics_label,
)


def facts(identity: str = "", person: bool = False, labels: tuple[str, ...] = (), marked: int = 0,
          numbers: dict[str, int] | None = None, texts: int = 0, partial: bool = False, scales: int = 0) -> RowFacts:
    numbers = numbers or {}
    return RowFacts(identity, person, partial, labels, marked, numbers, dict.fromkeys(numbers, 2), texts, scales)


@pytest.mark.parametrize(("label", "kind"), [
    ("Moyenne", "statistics"), ("Moy. classe", "statistics"), ("Moyenne de la classe", "statistics"),
    ("Nb d'élèves notés", "statistics"), ("Écart-type", "statistics"), ("Médiane", "statistics"),
    ("Effectif", "statistics"), ("Total", "statistics"), ("Average", "statistics"), ("MOY.", "statistics"),
    ("Nombre de notes", "statistics"), ("Taux de réussite", "statistics"), ("1er quartile", "statistics"),
    ("% ≥ 10", "statistics"), ("Étendue", "statistics"),
    ("Min", "weak"), ("Max", "weak"), ("Note la plus haute", "weak"), ("Note la plus basse", "weak"),
    ("Le Bas Max", "weak"),
    ("Somme Claire", "mixed"), ("Total Léa", "mixed"),
    ("Durand Max", ""), ("Dupont Marie", ""), ("Le Goff", ""), ("Médard", ""), ("Maxence", ""),
])
def test_what_a_label_says(label: str, kind: str) -> None:
    assert label_kind(label) == kind
    assert statistics_label(label) is bool(kind)


@pytest.mark.parametrize(("text", "expected"), [
    ("ABS : absent — DISP : dispensé", True), ("Fait à Lyon, le 24 juin 2026", True), ("Le président du jury", True),
    ("Signature", True), ("Visa du chef de centre", True), ("Le chef de centre", True), ("M. Jean DUPONT", True),
    ("Apprentis", True), ("NDRC2511", False), ("Dupont Marie", False), ("N'Diaye Aïssatou", False),
    ("Da Silva-Lopes Léo", False), ("MARTIN - DUPONT Léa", False), ("BERNARD Chloé (redoublante)", False),
    ("DOS SANTOS DA SILVA Maria de Fátima", False),
])
def test_what_reads_as_a_note(text: str, expected: bool) -> None:
    assert reads_as_note(text) is expected


def test_labels_of_coefficients_and_scales() -> None:
    assert coefficient_label("Coefficients") and coefficient_label("Coef.") and coefficient_label("Pondération")
    assert scale_label("Barème") and scale_label("Sur") and scale_label("/20") and not scale_label("Dupont")


def test_decimals_as_written() -> None:
    assert [decimals_of(x) for x in ("12", "12,5", "12.35", "11.3333333333333")] == [0, 1, 2, 13]


def test_a_bare_row_of_means_minima_or_maxima() -> None:
    column = ColumnStats()
    for grade in (1000, 1250, 1325):  # 10, 12.5, 13.25: mean 11.9166…, median 12.5
        column.add(grade)
    assert column.matches(1192, 2)  # 11.92 is the mean to 2 decimals
    assert column.matches(1190, 1)  # 11.9 to 1 decimal
    assert not column.matches(1191, 2)
    assert column.matches(1250, 2) and column.matches(1000, 0) and column.matches(1325, 2)  # median, min, max
    assert not ColumnStats().matches(1000, 0)


def test_classify_each_role(curriculum: Curriculum) -> None:
    stats = {"E1": ColumnStats(), "E2": ColumnStats()}
    for code in stats:
        stats[code].add(1000)
        stats[code].add(1400)
    c = curriculum

    def role(f: RowFacts) -> Role:
        return classify(f, c, stats).role

    graded = {"marked": 2, "numbers": {"E1": 1200, "E2": 1300}}
    assert role(facts("NDRC1", **graded)) is Role.STUDENT  # type: ignore[arg-type]
    assert role(facts("NDRC1")) is Role.STUDENT  # an id alone, in a sheet without names: nothing graded yet
    assert role(facts("NDRC1", partial=True)) is Role.NOTE  # an id without its name, and nothing else
    assert role(facts("Dupont Marie", person=True)) is Role.STUDENT
    # Structure wins over words: a whole name is a person.
    assert role(facts("Somme Claire", person=True, **graded)) is Role.STUDENT  # type: ignore[arg-type]
    assert role(facts("Somme Claire", **graded)) is Role.UNKNOWN  # type: ignore[arg-type]
    assert role(facts("Moy. classe", marked=2, numbers={"E1": 1200})) is Role.STATISTICS
    # 'Max' is a statistic only when its numbers are the columns' own.
    assert role(facts("Max", marked=2, numbers={"E1": 1400, "E2": 1400})) is Role.STATISTICS
    assert role(facts("Max", **graded)) is Role.UNKNOWN  # type: ignore[arg-type]
    assert role(facts(labels=("Moyenne de la classe",), marked=1, numbers={"E1": 1200})) is Role.STATISTICS
    assert role(facts("Coefficients", marked=2, numbers={"E1": 300, "E2": 300})) is Role.COEFFICIENTS
    assert role(facts(marked=2, numbers={"E1": 300, "E2": 300})) is Role.COEFFICIENTS
    assert role(facts(marked=2, numbers={"E1": 1200, "E2": 1000})) is Role.STATISTICS  # means, min
    assert role(facts(marked=2, numbers={"E1": 1300, "E2": 1000})) is Role.UNKNOWN
    assert role(facts(marked=1, numbers={"E1": 1200})) is Role.UNKNOWN  # one cell: too little
    assert role(facts("Barème", scales=2)) is Role.SCALE
    assert role(facts(scales=2)) is Role.SCALE
    assert role(facts("Fait à Lyon, le 24 juin 2026")) is Role.NOTE
    assert role(facts(labels=("Le président du jury",))) is Role.NOTE
    assert role(facts()) is Role.BLANK
    assert role(facts(labels=("Dupont",), marked=1, numbers={"E1": 1200})) is Role.STUDENT


@given(st.text(max_size=30))
def test_the_first_look_never_misses_a_label(text: str) -> None:
    """The streaming path asks the full questions only when may_be_label says so."""
    if statistics_label(text) or coefficient_label(text) or scale_label(text):
        assert may_be_label(text)


_WORDS = st.sampled_from(["Moy", "moyenne", "Écart", "type", "Max", "Note", "la", "plus", "haute", "Coef.", "Barème",
                          "NDRC25", "Dupont", "/20", "Total", "médiane", "Léa"])


@given(st.lists(_WORDS, min_size=1, max_size=4).map(" ".join))
def test_the_first_look_never_misses_a_label_of_real_words(text: str) -> None:
    if statistics_label(text) or coefficient_label(text) or scale_label(text):
        assert may_be_label(text)


def test_a_short_row_is_a_student_only_when_whole(tmp_path: Path) -> None:
    """A legend line of one cell under the table is skipped; a student row
    missing cells is refused at the first missing cell, never padded."""
    header = "id;nom;E1;E2;E3;E4;E5;E6\n"
    good = write(tmp_path / "g.csv", header + "A1;X;12;12;12;12;12;12\nLégende : ABS = absent\n")
    result = run("grade", good, "-f", "json")
    assert result.exit_code == 0 and "line 3 (Légende : ABS = absent)" in result.stderr
    short = write(tmp_path / "s.csv", header + "A1;X;12;12;12;12;12;12\nA2;Y;12;12;12\n")
    result = run("grade", short, "-f", "json")
    assert result.exit_code == 1 and ":3:6: this row has fewer cells" in result.stderr


def test_a_second_header_row_is_understood_or_refused_in_one_message(tmp_path: Path) -> None:
    header = "id;nom;E1;E2;E3;E4;E5;E6\n"
    names = ";;Culture générale et expression;Communication en langue vivante étrangère 1;CEJM;" \
            "Relation client et négociation-vente;E5;E6\n"
    good = write(tmp_path / "g.csv", header + names + "A1;X;12;12;12;12;12;12\n")
    result = run("grade", good, "-f", "json")
    assert result.exit_code == 0 and "header rows: line 2" in result.stderr
    swapped = write(tmp_path / "s.csv", header + names.replace("Communication en langue vivante étrangère 1;CEJM",
                                                                "CEJM;Communication en langue vivante étrangère 1")
                    + "A1;X;12;12;12;12;12;12\n")
    result = run("grade", swapped, "-f", "json")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) == 2 and lines[0].startswith(f"{swapped}:2: line 2 reads as a second")
    assert "under E2: 'CEJM', which is E3" in lines[0] and "under E3:" in lines[0]


def test_a_whole_name_of_statistics_words_is_no_person(curriculum: Curriculum) -> None:
    """'Moyenne' | 'classe' across the name columns: statistics when its numbers
    are the class's, refused otherwise — never a student."""
    stats = {"E1": ColumnStats()}
    stats["E1"].add(1000)
    stats["E1"].add(1400)

    def role(numbers: dict[str, int]) -> Role:
        f = RowFacts("Moyenne classe", True, False, (), len(numbers), numbers, dict.fromkeys(numbers, 2), 0,
                     named=True)
        return classify(f, curriculum, stats).role

    assert role({"E1": 1200}) is Role.STATISTICS
    assert role({"E1": 1300}) is Role.UNKNOWN
    assert role({}) is Role.NOTE
    # A real name beside a word of statistics stays a person.
    f = RowFacts("Total Pierre", True, False, (), 1, {"E1": 1300}, {"E1": 2}, 0, named=True)
    assert classify(f, curriculum, stats).role is Role.STUDENT
