"""`ndrc grade --format csv` for cohorts: one pass, constant memory.

A class fits in memory; a national cohort (100,000 to 1,000,000 rows) should
not have to. This path reads the sheet as a stream, computes each row with
the same exact integer rules as `rules.Grader` but without building records,
and writes each result row at once into a temporary file that becomes the
output only if the whole sheet was valid. At the first problem it gives up
and the caller reruns the ordinary path, which lists every problem with its
position: errors are rare, and their report must be complete.

The output is byte for byte what `render.csvout.write_csv` writes (a test
compares them on many sheets).
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import sys
import tempfile
from typing import Any, TextIO

from .errors import Diagnostic
from .model import Cell, Curriculum, Mark
from .numbers import div_half_up, format_exact, format_hundredths
from .render.common import MARK_CODES, neutralise
from .render.csvout import COMPUTED, FIXED
from .sheets import SheetReader, sniff_delimiter

_PEEK = 1 << 16


class Fallback(Exception):
    """Something the streaming path does not handle; use the ordinary path."""


def _encoding(path: str, encoding: str | None) -> str:
    if encoding:
        return encoding
    with open(path, "rb") as f:
        head = f.read(_PEEK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def stream_csv(
    path: str, curriculum: Curriculum, out: TextIO, excel: bool, delimiter: str | None, encoding: str | None
) -> None:
    """Grade `path` into `out` as CSV, or raise Fallback having written nothing
    that matters (the caller discards `out`)."""
    try:
        _stream(path, curriculum, out, excel, delimiter, _encoding(path, encoding))
    except (UnicodeDecodeError, csv.Error, LookupError, IndexError) as exc:
        raise Fallback(str(exc)) from None


def _stream(path: str, curriculum: Curriculum, out: TextIO, excel: bool, delimiter: str | None,
            encoding: str) -> None:
    rules = curriculum.rules
    d = "," if excel else "."
    with open(path, encoding=encoding, newline="") as source:
        if encoding.lower() in ("utf-8", "utf8"):
            first = source.read(1)
            if first != "\ufeff":
                source.seek(0)
        head = source.readline()
        if not head.strip():
            raise Fallback("empty")
        sep = delimiter or sniff_delimiter(head)
        header = next(csv.reader([head], delimiter=sep))
        reader = SheetReader(curriculum)
        problems: list[Diagnostic] = []
        cols = reader._header(header, path, problems)
        if problems or cols.id is None or not cols.units:
            raise Fallback("header")
        present = {code for _, code in cols.units}
        if any(p.code in present for u in curriculum.units for p in u.parts):
            raise Fallback("parts")  # E5 in parts: rare, left to the ordinary path

        column = {code: index for index, code in cols.units}
        # (column or None, coefficient, mandatory, professional, dispensable, bloc)
        plan: list[tuple[Any, ...]] = [
            (column.get(u.code), u.coefficient, u.mandatory, u.code in rules.professional_units, u.dispensable,
             u.bloc) for u in curriculum.units]
        pass_h, low_h, pro_h = rules.pass_threshold, rules.controle_min, rules.professional_threshold
        above, multiply, add_div = (rules.optional.counts_above, rules.optional.multiply_by_coefficient,
                                    rules.optional.add_to_divisor)
        width = len(header)
        id_index, last_i, first_i, full_i = cols.id, cols.last, cols.first, cols.full
        extra = [i for i, _ in cols.extra]
        parse = reader.parse_cell
        memo: dict[int, str] = {}

        def number(value: object) -> str:
            if type(value) is not int:
                return format_exact(value, d)  # type: ignore[arg-type]
            text = memo.get(value)
            if text is None:
                text = memo[value] = format_hundredths(value, d)
            return text

        writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
        writer.writerow([*FIXED, *(label for _, label in cols.extra), *(u.code for u in curriculum.units),
                         *COMPUTED])
        seen: set[str] = set()
        for row in csv.reader(source, delimiter=sep):
            if len(row) != width:
                if not any(c.strip() for c in row):
                    continue
                if len(row) > width and not any(c.strip() for c in row[width:]):
                    row = row[:width]
                else:
                    raise Fallback("ragged")
            elif not any(row):
                continue
            sid = row[id_index].strip()
            if not sid:
                if not any(c.strip() for c in row):
                    continue
                raise Fallback("empty id")
            if sid in seen:
                raise Fallback("duplicate id")
            seen.add(sid)

            points: Any = 0
            divisor: Any = 0
            bonus: Any = 0
            pro_p: Any = 0
            pro_d: Any = 0
            missing = absent = False
            pro_known = True
            texts = []
            graded = []
            for index, coef, mandatory, is_pro, dispensable, _ in plan:
                cell = parse(row[index]) if index is not None else _MISSING
                if type(cell) is not Cell:
                    raise Fallback("cell")
                mark = cell.mark
                grade = cell.grade if mark is Mark.GRADE else None
                if mark is Mark.EXEMPT and not dispensable:
                    raise Fallback("exempt")
                if mark is Mark.JUSTIFIED:
                    grade = 0
                texts.append(number(grade) if mark is Mark.GRADE else MARK_CODES[mark])
                graded.append(grade if mark is Mark.GRADE else None)
                if mandatory:
                    if mark is Mark.MISSING:
                        missing = True
                        if is_pro:
                            pro_known = False
                    elif mark is not Mark.EXEMPT:
                        if mark is Mark.ABSENT:
                            absent = True
                        value = grade or 0
                        points += coef * value
                        divisor += coef
                        if is_pro:
                            pro_p += coef * value
                            pro_d += coef
                elif grade is not None:
                    over = grade - above
                    if over > 0:
                        bonus += over * coef if multiply and coef else over
                    if add_div and coef:
                        divisor += coef
            total = points + bonus
            if missing:
                decision = "incomplet"
            elif absent:
                decision = "absent"
            elif total >= pass_h * divisor:
                decision = "admis"
            elif total >= low_h * divisor and pro_known and pro_d and pro_p >= pro_h * pro_d:
                decision = "controle"
            else:
                decision = "ajourne"
            decided = decision != "incomplet" and divisor
            blocs = "" if decision == "admis" else " ".join(
                bloc for (_, _, _, _, _, bloc), g in zip(plan, graded) if bloc and g is not None and g >= pass_h)
            last = row[last_i].strip() if last_i is not None else ""
            first = row[first_i].strip() if first_i is not None else ""
            name = row[full_i].strip() if full_i is not None else f"{last} {first}".strip()
            writer.writerow([
                neutralise(sid), neutralise(name), *(neutralise(row[i]) for i in extra), *texts,
                number(bonus),
                number(points) if decided else "",
                str(divisor) if decided else "",
                number(div_half_up(total, divisor)) if decided else "",
                number(div_half_up(pro_p, pro_d)) if pro_known and pro_d else "",
                decision, blocs, "", "",
            ])


_MISSING = Cell(Mark.MISSING)


def write_streamed(path: str, curriculum: Curriculum, output: str, excel: bool, delimiter: str | None,
                   encoding: str | None) -> bool:
    """Stream `path` to `output` ('-' = stdout). False if the ordinary path must
    run instead (a problem in the sheet, or something this path leaves to it)."""
    from .output import open_output

    try:  # an unreadable input is for the ordinary path to report
        open(path, "rb").close()
    except OSError:
        return False
    if output != "-":
        try:
            with open_output(output, encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
                stream_csv(path, curriculum, out, excel, delimiter, encoding)
        except Fallback:
            return False
        return True
    # stdout: spool first, so that an invalid sheet writes nothing at all.
    with tempfile.TemporaryFile("w+", encoding="utf-8-sig" if excel else "utf-8", newline="") as spool:
        try:
            stream_csv(path, curriculum, spool, excel, delimiter, encoding)
        except Fallback:
            return False
        spool.flush()
        spool.seek(0)
        sys.stdout.flush()
        target = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig" if excel else "utf-8", newline="")
        try:
            shutil.copyfileobj(spool, target, 1 << 20)
            target.flush()
        finally:
            target.detach()
    return True
