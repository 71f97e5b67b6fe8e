"""The third step: rows under a header -> Students, every problem at once.

`SheetReader.read_rows` finds the header among the first rows, reads what
each column is (`header.py`), asks `rows.classify` what each row is, and
builds a Student from each student row. Rows that are not students
(statistics, coefficients, notes, blank) are skipped and listed in one note
with their reasons; a row that is none of these is an error at that row.
Problems are collected, the same problem on many rows said once with the
rows listed, and raised together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from ..core.errors import Diagnostic, InputError, column_letters, note
from ..core.folding import fold_header
from ..core.model import HUNDRED, Cell, Curriculum, Mark, Student, Unit
from ..core.numbers import Exact, format_coefficient, parse_decimal
from ..i18n import labelled, quoted, t, tn
from .cells import HEADER_SEARCH, BadCell, CellParser, Place, filled, fit_row, looks_like_grades, number_of
from .header import Columns, HeaderReader, column_option, is_general_average
from .rows import SCALE_CELL, ColumnStats, Role, RowFacts, Verdict, classify, decimals_of, may_be_label


class Sheet(NamedTuple):
    name: str
    students: tuple[Student, ...]
    #: unit and part codes that have a column, in curriculum order
    columns: tuple[str, ...]
    extra_headers: tuple[str, ...]
    delimiter: str
    encoding: str
    #: unit or part code -> its 1-based column, for messages about a cell
    positions: dict[str, int] = {}  # shared default: never mutated
    id_column: int = 1
    #: the worksheet, for a workbook (positions are then Sheet!A1 cells)
    sheet: str | None = None
    #: the headers of the sheet's own general average columns, if any (each
    #: student's values are in `Student.extra`: the grader compares them)
    own_average: tuple[str, ...] = ()
    #: the columns that say who a row is, in sheet order: "id", "last",
    #: "first", "full" (each student's values are in its Student fields)
    identity: tuple[str, ...] = ()

    def at(self, line: int, column: int | None, message: str) -> Diagnostic:
        """A problem at a row and column of this sheet (a cell, in a workbook)."""
        return Diagnostic(self.name, line, column, message, self.sheet)


class SheetReader(CellParser, HeaderReader):
    """Parses one grade sheet against a curriculum, collecting every problem."""

    def __init__(self, curriculum: Curriculum, columns: Sequence[tuple[str, str]] = ()) -> None:
        CellParser.__init__(self, curriculum)
        HeaderReader.__init__(self, curriculum, columns)
        self._part_of: dict[str, Unit] = {p.code: u for u in curriculum.units for p in u.parts}
        self._by_code: dict[str, Unit] = {u.code: u for u in curriculum.units}
        self._dispensable = ", ".join(u.code for u in curriculum.units if u.dispensable) or "-"
        #: messages about an unknown marker: the accepted ones are listed after the first
        self._marker_messages: set[str] = set()

    def read_rows(self, rows: Iterator[tuple[int, list[str]]], place: Place) -> Sheet:
        """Find the header, then read every row; all problems at once."""
        problems: list[Diagnostic] = []
        header_line, header = self._find_header(rows, place)
        cols = self.read_header(header, place, problems, header_line)
        if not cols.has_person or not cols.units:
            raise InputError(problems)
        if cols.name_is_id:
            note(place.at(header_line, None, t("note.name_is_id")))
        students, skipped, extra_cells = self._read_body(rows, place, cols, header, problems)
        self._check_extra(cols, extra_cells, place, header_line, problems)
        if not problems and not students:
            problems.append(place.at(header_line, None, t("sheet.no_student")))
        if problems:
            raise InputError(grouped(problems, place, self.marker_names, self._marker_messages))
        if skipped:
            note(place.at(skipped[0][0], None, t("note.skipped_rows", rows=skipped_text(skipped, place))))
        numeric = [label for i, label in cols.extra if i in cols.work and self._looks_like_grades(extra_cells[i])]
        if numeric:  # a column that could pass for grades is said not to count
            note(place.at(header_line, None, t("note.work_columns", columns=", ".join(map(quoted, numeric)))))
        averages = [label for i, label in cols.extra if cols.work.get(i) == "average" and is_general_average(label)]
        id_index = cols.id
        return Sheet(
            name=place.name,
            students=tuple(students),
            columns=tuple(code for _, code in cols.units),
            extra_headers=tuple(label for _, label in cols.extra),
            delimiter="",
            encoding="",
            positions={code: index + 1 for index, code in cols.units},
            id_column=(id_index if id_index is not None else cols.full if cols.full is not None
                       else cols.last or 0) + 1,
            sheet=place.sheet,
            own_average=tuple(averages),
            identity=tuple(role for _, role in sorted(
                (index, role) for role, index in (("id", cols.id), ("last", cols.last), ("first", cols.first),
                                                  ("full", cols.full)) if index is not None)),
        )

    def _find_header(self, rows: Iterator[tuple[int, list[str]]], place: Place) -> tuple[int, list[str]]:
        """The header: the first row naming someone to grade and a unit, among
        the first HEADER_SEARCH non-blank rows (title lines above it skipped)."""
        skipped: list[tuple[int, list[str]]] = []
        for line, row in rows:
            if not any(filled(cell) for cell in row):
                continue
            if self.probe(row):
                if skipped:
                    note(place.at(line, None, t("note.header_row", row=place.row_word(line, on=True))))
                return line, row
            skipped.append((line, row))
            if len(skipped) >= HEADER_SEARCH:
                break
        if not skipped:
            raise InputError([place.at(1, 1, t("sheet.empty"))])
        return skipped[0]  # for its diagnostics

    def _read_body(self, rows: Iterator[tuple[int, list[str]]], place: Place, cols: Columns, header: list[str],
                   problems: list[Diagnostic]) -> tuple[list[Student], list[tuple[int, Verdict]],
                                                        dict[int, list[str]]]:
        width = len(header)
        header_key = [fold_header(_cell_str(c)) for c in header]
        who = cols.identity[0]  # a repeated header is first told by this cell's text
        who_text = _cell_str(header[who]).strip().casefold()
        long_decimals = 0  # grades with more than two decimals: counted, the first few named
        decimal_cells: list[str] = []
        id_index = cols.id
        unit_cols = cols.units
        first_unit = min(i for i, _ in unit_cols)
        identity = set(cols.identity)
        label_cols = [i for i in range(min(first_unit, width)) if i not in identity]
        names = [i for i in (cols.last, cols.first, cols.full) if i is not None]
        part_of = self._part_of
        by_code = self._by_code
        parse_cell = self.parse_cell
        students: list[Student] = []
        seen_ids: dict[str, int] = {}
        skipped: list[tuple[int, Verdict]] = []
        extra_cells: dict[int, list[str]] = {i: [] for i, _ in cols.extra}
        stats = _StudentColumns(students)
        id_column = (id_index if id_index is not None else cols.full if cols.full is not None
                     else cols.last or 0) + 1
        first_row = True
        hidden_students: list[int] = []
        body_start = len(problems)
        # Rows whose numbers may be the class's statistics, asked again once
        # every student is read (a Max row above the students it sums up).
        deferred: list[tuple[int, list[str], str, list[str], list[tuple[int, str, Cell | BadCell]]]] = []
        merged = _merged_units(place, {i for i, _ in unit_cols})
        for start, row in rows:
            fitted = fit_row(row, width)
            ragged = fitted is None
            if fitted is None:
                if len(row) > width:
                    problems.append(place.at(start, width + 1, t("sheet.ragged_long", cells=len(row),
                                                                  expected=width)))
                    continue
                fitted = row + [""] * (width - len(row))  # a short row: a student only if whole
            if not fitted:
                continue  # a blank line
            given = len(row)
            row = fitted
            parsed: list[tuple[int, str, Cell | BadCell]] = [(i, code, parse_cell(row[i])) for i, code in unit_cols]
            name_texts = [_text(row[i]) for i in names]
            id_text = _text(row[id_index]) if id_index is not None else ""
            if all(name_texts) and (bool(id_text and names) if id_index is not None
                                    else len(names) > 1 and not may_be_label(" ".join(name_texts))):
                verdict = _STUDENT  # a whole identity by the sheet's columns: a person (rows.classify)
            else:
                verdict = self._role(row, cols, id_text, name_texts, label_cols, parsed, stats)
            if first_row:  # the row under the header may be a second header
                first_row = False
                second = self._second_header(parsed, place, start, problems)
                if second is not None:
                    verdict = second
            if (verdict.role is Role.STUDENT and _cell_str(row[who]).strip().casefold() == who_text
                    and [fold_header(_cell_str(c)) for c in row] == header_key):
                verdict = Verdict(Role.HEADER, t("note.header_again"))  # a page break's repeated header
            if verdict.role is Role.STUDENT and ragged:
                problems.append(place.at(start, given + 1, t("sheet.ragged_short", expected=width)))
                continue
            if verdict.role is Role.UNKNOWN:
                deferred.append((start, row, id_text, name_texts, parsed))
                continue
            if verdict.role is Role.COEFFICIENTS:
                self._check_coefficients(parsed, place, start)
            elif verdict.role is Role.SCALE:
                self._check_scale(parsed, place, start, problems)
            if verdict.role is not Role.STUDENT:
                if verdict.role is not Role.BLANK:
                    skipped.append((start, verdict))
                continue
            named = dict(zip(names, name_texts))
            last = named.get(cols.last, "") if cols.last is not None else ""
            first = named.get(cols.first, "") if cols.first is not None else ""
            full = named[cols.full] if cols.full is not None else f"{last} {first}".strip()
            raw_id = row[id_index] if id_index is not None else full
            student_id = raw_id.strip() if type(raw_id) is str else ""
            if type(raw_id) is not str:
                bad = parse_cell(raw_id)
                assert type(bad) is BadCell
                problems.append(place.at(start, (id_index or 0) + 1, t(bad.key, **bad.values)))
                continue
            if not student_id:
                problems.append(place.at(start, id_column, t("sheet.empty_id")))
            elif student_id in seen_ids:
                problems.append(place.at(start, id_column, t(
                    "sheet.duplicate_id", id=student_id, first=place.row_word(seen_ids[student_id]))))
            else:
                seen_ids[student_id] = start
            for i, cells_of in extra_cells.items():
                cells_of.append(row[i])
            cells: dict[str, Cell] = {}
            row_ok = True
            for index, code, cell in parsed:
                if type(cell) is BadCell:
                    message = labelled(code, t(cell.key, **cell.values))
                    if cell.key == "sheet.unknown_marker":
                        self._marker_messages.add(message)
                    problems.append(place.at(start, index + 1, message))
                    row_ok = False
                    continue
                assert type(cell) is Cell
                if cell.mark is Mark.EXEMPT:
                    unit = by_code.get(code) or part_of[code]
                    if not unit.dispensable:
                        problems.append(place.at(start, index + 1, t(
                            "sheet.not_dispensable", code=code, marker=cell.raw, units=self._dispensable)))
                        row_ok = False
                        continue
                    if code in part_of:
                        problems.append(place.at(start, index + 1, t(
                            "sheet.part_exempt", code=code, unit=unit.code)))
                        row_ok = False
                        continue
                elif cell.mark is Mark.GRADE and cell.grade is not None:
                    if type(cell.grade) is not int:
                        long_decimals += 1
                        if long_decimals <= _LISTED:
                            decimal_cells.append(t("note.decimal_cell", unit=code, row=place.row_word(start),
                                                   value=cell.raw))
                cells[code] = cell
            if part_of:
                row_ok = self._check_parts(cells, unit_cols, place, start, problems) and row_ok
            if not row_ok or not student_id:
                continue
            if start in place.hidden_rows:
                hidden_students.append(start)
            if start in merged:
                first_cell, ref = merged.pop(start)
                problems.append(place.at(start, first_cell, t("sheet.merged", cells=ref)))
                continue
            students.append(Student(
                id=student_id, name=full, cells=cells, line=start, last_name=last, first_name=first,
                extra=tuple((label, _cell_str(row[i])) for i, label in cols.extra),
            ))
        for start, row, id_text, name_texts, parsed in deferred:
            verdict = self._role(row, cols, id_text, name_texts, label_cols, parsed, stats)
            if verdict.role is Role.STATISTICS:
                skipped.append((start, verdict))
            else:
                problems.append(place.at(start, None, t(
                    "sheet.ambiguous_row", row=place.row_word(start), label=quoted(verdict.reason))
                    if verdict.reason else t("sheet.unknown_row", row=place.row_word(start))))
        problems[body_start:] = sorted(problems[body_start:], key=lambda d: d.line)
        skipped.sort(key=lambda item: item[0])
        if long_decimals:
            more = [tn("list.more", long_decimals - _LISTED)] if long_decimals > _LISTED else []
            note(place.at(0, None, t("note.long_decimals", cells=", ".join(decimal_cells + more))))
        hidden = [t("note.hidden_rows", rows=place.rows_word(hidden_students))] if hidden_students else []
        hidden_units = [place.column_word(i, header[i] if type(header[i]) is str else str(header[i]))
                        for i, _ in unit_cols if i in place.hidden_columns]
        if hidden_units:
            hidden.append(t("note.hidden_columns", columns=", ".join(hidden_units)))
        if hidden:
            note(place.at(0, None, t("note.hidden_read", places=t("list.semicolon").join(hidden))))
        return students, skipped, extra_cells

    def _role(self, row: list[str], cols: Columns, id_text: str, name_texts: list[str], label_cols: list[int],
              parsed: list[tuple[int, str, Cell | BadCell]], stats: Mapping[str, ColumnStats]) -> Verdict:
        """What the row is (see rows.py)."""
        id_index = cols.id
        if (id_text and not name_texts and not may_be_label(id_text)
                and any(type(cell) is Cell and cell.raw for _, _, cell in parsed)):
            return _STUDENT  # an id and grades, in a sheet without names: the usual row of a cohort
        names = name_texts
        marked = texts = scales = 0
        worded: list[str] = []  # words in unit cells: a label, on a row without an identity
        numbers: dict[str, Exact] = {}
        decimals: dict[str, int] = {}
        for _, code, cell in parsed:
            if isinstance(cell, Cell):
                if cell.raw:
                    marked += 1
                    if cell.grade is not None:
                        numbers[code] = cell.grade
                        decimals[code] = decimals_of(cell.raw)
                continue
            value = str(cell.values.get("value", ""))
            if cell.key == "sheet.grade_range":
                number = parse_decimal(value)
                if number is not None:
                    numbers[code] = number
                    decimals[code] = decimals_of(value)
            elif cell.key in ("sheet.bad_scale", "sheet.unknown_marker") and SCALE_CELL.match(value):
                scales += 1
            else:
                texts += 1
                if cell.key == "sheet.unknown_marker" and _has_letter(value):
                    worded.append(value.strip())
        if id_index is not None:
            identity = id_text
            person = bool(id_text) and bool(names) and all(name_texts)
            partial = bool(id_text) and bool(names) and not all(name_texts)
            labels = tuple(x for x in name_texts if x)
        else:
            identity = " ".join(x for x in name_texts if x)
            person = len(names) > 1 and all(name_texts)
            partial = len(names) > 1 and any(name_texts) and not all(name_texts)
            labels = ()
        # A label has letters: the numbers of a statistics row in the teacher's columns label nothing.
        labels += tuple(text for i in label_cols if _has_letter(text := _text(row[i])))
        if not identity:
            labels += tuple(text for i, _ in cols.extra if i not in label_cols and _has_letter(text := _text(row[i])))
            labels += tuple(worded)
        return classify(RowFacts(identity, person, partial, labels, marked, numbers, decimals, texts, scales,
                                 named=id_index is None), self.curriculum, stats)

    def _second_header(self, parsed: list[tuple[int, str, Cell | BadCell]], place: Place, line: int,
                       problems: list[Diagnostic]) -> Verdict | None:
        """The row right under the header, when it names the units again (their
        full names under the codes): a second header, skipped — or, when it
        names another unit than its column's, refused in one message."""
        same: list[str] = []
        other: list[str] = []
        for _, code, cell in parsed:
            if not isinstance(cell, BadCell) or cell.key != "sheet.unknown_marker":
                continue
            text = str(cell.values["value"])
            named, _ = self.unit_of(text)
            if named is None:
                continue
            unit_of = {code: (self._part_of[code].code if code in self._part_of else code)
                       for code in (code, named)}
            if unit_of[named] == unit_of[code]:
                same.append(text)
            else:
                other.append(t("sheet.second_header_cell", unit=code, text=quoted(text), named=named))
        if other:
            problems.append(place.at(line, None, t("sheet.second_header_disagrees", row=place.row_word(line),
                                                   cells=t("list.semicolon").join(other))))
            return Verdict(Role.HEADER)
        if len(same) >= 2:
            return Verdict(Role.HEADER, ", ".join(same))
        return None

    def _check_coefficients(self, parsed: list[tuple[int, str, Cell | BadCell]], place: Place, line: int) -> None:
        """A coefficient row is not read, but checked: a unit whose coefficient
        differs from the curriculum's is named in a note."""
        differ = []
        for _, code, cell in parsed:
            unit = self._by_code.get(code)
            if unit is None or type(cell) is not Cell or cell.grade is None:
                continue
            expected = unit.coefficient
            if expected is None or cell.grade != expected * HUNDRED:
                differ.append(t("note.coefficient", unit=code, sheet=cell.raw,
                                curriculum=format_coefficient(expected) if expected is not None else "—"))
        if differ:
            note(place.at(line, None, t("note.coefficients_differ", units=", ".join(differ))))

    def _check_scale(self, parsed: list[tuple[int, str, Cell | BadCell]], place: Place, line: int,
                     problems: list[Diagnostic]) -> None:
        """A scale row ('Barème', 'Sur') must say /20 for every unit: ndrc
        reads grades out of 20, and a grade out of 40 read so is misread."""
        for index, code, cell in parsed:
            raw = cell.raw if isinstance(cell, Cell) else str(cell.values.get("value", ""))
            if not raw.strip():
                continue
            scale = SCALE_CELL.match(raw)
            if (parse_decimal(scale.group(1)) if scale else number_of(raw)) != 20 * HUNDRED:
                problems.append(place.at(line, index + 1, t("sheet.scale_not_20", unit=code, value=raw.strip())))

    def _check_extra(self, cols: Columns, extra_cells: dict[int, list[str]], place: Place, line: int,
                     problems: list[Diagnostic]) -> None:
        """A carried column that holds grades must not hide a unit: an error
        while a mandatory unit has no column, a note otherwise. The teacher's
        own work (an average, a rank…) is never a unit."""
        present = {code for _, code in cols.units}
        missing = [u.code for u in self.curriculum.units if u.mandatory
                   and u.code not in present and not (u.parts and all(p.code in present for p in u.parts))]
        labels = dict(cols.extra)
        unmapped = 0
        for i, cells in extra_cells.items():
            if i in cols.work or fold_header(labels[i]) in self.mapped or not self._looks_like_grades(cells):
                continue
            if missing:  # each such column offered the next missing unit: the fixes never collide
                problems.append(place.at(line, i + 1, t(
                    "sheet.unmapped_grades", column=place.column_word(i, labels[i]), missing=", ".join(missing),
                    fix=column_option(labels[i], missing[unmapped % len(missing)]),
                    skip=column_option(labels[i], "-"))))
                unmapped += 1
            else:
                note(place.at(line, i + 1, t("note.carried_grades", header=labels[i])))

    def _looks_like_grades(self, cells: list[str]) -> bool:
        filled_ = graded = readable = 0
        for cell in cells:
            if not filled(cell):
                continue
            filled_ += 1
            parsed = self.parse_cell(cell if type(cell) is str else str(cell))
            if isinstance(parsed, Cell):
                readable += 1
                graded += parsed.mark is Mark.GRADE
        return looks_like_grades(filled_, readable, graded)

    def _check_parts(
        self, cells: dict[str, Cell], unit_cols: list[tuple[int, str]], place: Place, line: int,
        problems: list[Diagnostic],
    ) -> bool:
        """A unit given both whole and as parts, for one student, is refused."""
        ok = True
        for unit in self.curriculum.units:
            if not unit.parts:
                continue
            whole = cells.get(unit.code)
            given = [p.code for p in unit.parts if (c := cells.get(p.code)) is not None and c.raw]
            if whole is not None and whole.raw and given:
                index = next(i for i, c in unit_cols if c == unit.code)
                problems.append(place.at(line, index + 1, t(
                    "sheet.unit_and_parts", unit=unit.code, parts=", ".join(given))))
                ok = False
        return ok


def _merged_units(place: Place, units: set[int]) -> dict[int, tuple[int, str]]:
    """1-based row -> (its first merged unit cell's 1-based column, the range
    as a spreadsheet names it) for every row a merged range crosses in a unit
    column: the range's value is in its first cell only, the others read
    blank, so a student row it covers is refused."""
    out: dict[int, tuple[int, str]] = {}
    for r1, c1, r2, c2 in place.merged:
        covered = [c for c in range(c1, c2 + 1) if c in units]
        if not covered or (r1 == r2 and c1 == c2):
            continue
        ref = f"{column_letters(c1 + 1)}{r1 + 1}:{column_letters(c2 + 1)}{r2 + 1}"
        for row in range(r1 + 1, min(r2, r1 + 10_000) + 2):
            out.setdefault(row, (covered[0] + 1, ref))
    return out


_STUDENT = Verdict(Role.STUDENT)


class _StudentColumns(Mapping[str, ColumnStats]):
    """The grades of the students read so far, by unit code: gathered only
    when a row asks whether it holds their statistics (rarely)."""

    def __init__(self, students: list[Student]) -> None:
        self._students = students

    def __getitem__(self, code: str) -> ColumnStats:
        column = ColumnStats()
        for student in self._students:
            cell = student.cells.get(code)
            if cell is not None and cell.mark is Mark.GRADE and cell.grade is not None:
                column.add(cell.grade)
        return column

    def __iter__(self) -> Iterator[str]:
        return iter({code for student in self._students for code in student.cells})

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _text(cell: object) -> str:
    return cell.strip() if type(cell) is str else ""


def _cell_str(cell: object) -> str:
    return cell if type(cell) is str else str(cell)


#: A note lists at most this many cells or students, then "and N more".
_LISTED = 5

_ROLE_KEYS = {Role.HEADER: "note.role_header", Role.STATISTICS: "note.role_statistics",
              Role.COEFFICIENTS: "note.role_coefficients", Role.SCALE: "note.role_scale", Role.NOTE: "note.role_note"}


def skipped_text(skipped: list[tuple[int, Verdict]], place: Place) -> str:
    """'statistics: row 26 (Moy. classe), row 27; notes and signatures: row 30 (…)'."""
    parts = []
    for role, key in _ROLE_KEYS.items():
        rows = [(line, v.reason) for line, v in skipped if v.role is role]
        if not rows:
            continue
        listed = ", ".join(place.row_word(line) + (f" ({_short(reason)})" if reason else "") for line, reason in rows)
        parts.append(labelled(t(key), listed))
    return t("list.semicolon").join(parts)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def grouped(problems: list[Diagnostic], place: Place, markers: str, marker_messages: set[str]) -> list[Diagnostic]:
    """The same problem in the same column on many rows, said once with the
    rows listed; the accepted markers said once, after the first unknown one."""
    order: list[tuple[int | None, str]] = []
    lines: dict[tuple[int | None, str], list[Diagnostic]] = {}
    for d in problems:
        key = (d.column, d.message)
        if key not in lines:
            order.append(key)
            lines[key] = []
        lines[key].append(d)
    out = []
    hinted = False
    for key in order:
        same = lines[key]
        first = same[0]
        message = first.message
        if len(same) > 1:
            message = t("sheet.also_on", message=message, rows=place.rows_word([d.line for d in same[1:]], at=True))
        if not hinted and first.message in marker_messages:
            message = t("sheet.markers_hint", message=message, markers=markers)
            hinted = True
        out.append(first._replace(message=message))
    return out
