"""Bounds a workbook must keep before any parser sees its bytes.

A hostile workbook of a few KB can ask a parser for gigabytes: a zip member
that inflates to 1 GB, a cell at XFD1048576 (calamine allocates a sheet's
used range densely: 17 billion cells), a sector chain of an .xls that loops
on itself. `check` refuses them with the limit they hit, reading each zip
member once, in chunks, stopping at the bound.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from ..core.errors import NdrcError
from ..i18n import t

#: What all a workbook's zip members may inflate to, together.
MAX_INFLATED = 256 << 20
#: How much one member may inflate, as a ratio to its compressed size (XML
#: compresses ~10-30 times; a sheet of repeated cells ~100-200 times).
MAX_RATIO = 1000
#: Members this small may have any ratio.
SMALL_MEMBER = 1 << 20
#: Cells of a sheet's used range, rows x columns: calamine allocates it whole.
MAX_CELLS = 20_000_000
#: Excel's own limits.
MAX_ROWS, MAX_COLUMNS = 1 << 20, 1 << 14

#: How deep a member's XML may nest, as seen at the end of each chunk read.
MAX_DEPTH = 10_000

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]*)([0-9]*)(?::([A-Z]+)([0-9]+))?"')
#: Cell references worth a look: a column of three letters or more, a row of seven digits or more.
# (A literal space first: a pattern with a literal prefix is searched ~5 times faster. A
# reference after a tab or a newline escapes these floors, not the child's limits: guard.py.)
_FAR_REF = re.compile(rb' r="([A-Z]{3,})([0-9]+)"| r="([A-Z]{1,2})([0-9]{7,})"')
#: A cell reference, matched where the last one of a chunk starts.
_REF = re.compile(rb' r="([A-Z]+)([0-9]+)"')


class Unreadable(NdrcError):
    """A workbook damaged or oversized, or that the parser could not read
    within its limits: no other path should try it again."""


def _refuse(name: str, limit: str) -> Unreadable:
    return Unreadable(t("book.oversized", path=name, limit=limit))


def _column(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def check(data: bytes, name: str, kind: str) -> None:
    """Raise Unreadable ("damaged or oversized workbook", and the limit hit)
    for what the container declares: the sizes and ratios of a zip's members,
    a worksheet's `<dimension>`, the sector chains of an .xls. Cheap: at most
    the first KB of each worksheet is inflated."""
    if kind == "xls":
        _check_cfb(data, name)
    elif data.startswith(b"PK"):
        members = _members(data, name)
        if members is not None and kind != "ods":
            book, infos = members
            for info in infos:
                if _is_sheet(info.filename):
                    try:
                        with book.open(info) as f:
                            head = f.read(4096)
                    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError,
                            RuntimeError):
                        return  # the parser says it is damaged
                    _check_dimension(head, name)


def _is_sheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def _check_dimension(head: bytes, name: str) -> None:
    dim = _DIMENSION.search(head, 0, 4096)
    if dim is not None and dim.group(3):
        _check_area(int(dim.group(4)), _column(dim.group(3)), name)


def scan(data: bytes, name: str, kind: str, needles: tuple[bytes, ...] = ()) -> dict[str, set[bytes]] | None:
    """Inflate every zip member once, in chunks, stopping at a bound: what
    each holds must keep its declared size, the nesting depth and, for a
    worksheet, the used range. Which of `needles` each member holds comes on
    the way (member -> needles found), for the reader's own scans; None when
    a member could not be read to its end (the parser says it is damaged)."""
    if kind == "xls" or not data.startswith(b"PK"):
        return None
    found_members = _members(data, name)
    if found_members is None:
        return None
    book, infos = found_members
    total = 0
    found: dict[str, set[bytes]] = {}
    for info in infos:
        bound = max(SMALL_MEMBER, info.file_size)  # (zipfile itself stops at the declared size)
        sheet = kind != "ods" and _is_sheet(info.filename)
        holds = found[info.filename] = set()
        try:
            total += _inflate(book, info, bound, name, sheet, needles, holds)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError):
            return None  # a member that does not inflate: the parser says the workbook is damaged
        if total > MAX_INFLATED:
            raise _refuse(name, t("bound.inflated", mib=MAX_INFLATED >> 20))
    return found


def _members(data: bytes, name: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]] | None:
    """The zip and its members, their declared sizes and ratios checked."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # the parser says it is damaged
    if sum(i.file_size for i in infos) > MAX_INFLATED:
        raise _refuse(name, t("bound.inflated", mib=MAX_INFLATED >> 20))
    for info in infos:
        if info.file_size > SMALL_MEMBER and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise _refuse(name, t("bound.ratio", ratio=MAX_RATIO))
    return book, infos


def _inflate(book: zipfile.ZipFile, info: zipfile.ZipInfo, bound: int, name: str, sheet: bool,
             needles: tuple[bytes, ...], holds: set[bytes]) -> int:
    """The member's inflated size, read in chunks and never beyond `bound`
    (what it declares; zipfile itself stops there); for a worksheet, its
    used range checked on the way."""
    size = 0
    rows = columns = 1
    floor_rows = floor_columns = 1
    tail = b""
    depth = 0
    with book.open(info) as f:
        while chunk := f.read(_CHUNK):
            size += len(chunk)
            if size > bound:
                raise _refuse(name, t("bound.inflated", mib=MAX_INFLATED >> 20))
            # Tags opened less tags closed: the depth at the chunk's end, counted
            # in C (a declaration or a comment counts as one more level: harmless).
            depth += chunk.count(b"<") - 2 * chunk.count(b"</") - chunk.count(b"/>")
            if depth > MAX_DEPTH:
                raise _refuse(name, t("bound.depth", depth=MAX_DEPTH))
            window = tail + chunk
            tail = chunk[-64:]
            if len(holds) < len(needles):
                holds.update(n for n in needles if n not in holds and n in window)
            if not sheet:
                continue
            if size == len(chunk):
                _check_dimension(window, name)
            for match in _FAR_REF.finditer(window):
                letters, digits = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
                columns, rows = max(columns, _column(letters)), max(rows, int(digits))
            # Any cell says the used range reaches its row and column: the last
            # one of each chunk (found from the end: cheap) is a floor, usually
            # near the sheet's widest and lowest; far references are exact.
            last = _REF.match(window, max(0, window.rfind(b' r="')))
            if last is not None:
                floor_rows = max(floor_rows, int(last.group(2)))
                floor_columns = max(floor_columns, _column(last.group(1)))
            _check_area(max(rows, floor_rows), max(columns, floor_columns), name)
    return size


def _check_area(rows: int, columns: int, name: str) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise _refuse(name, t("bound.range", rows=MAX_ROWS, columns=MAX_COLUMNS))
    if rows * columns > MAX_CELLS:
        raise _refuse(name, t("bound.cells", cells=MAX_CELLS))


_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_SPECIAL = 0xFFFFFFFA  # and above: end of chain, free, FAT or DIFAT sector


def _check_cfb(data: bytes, name: str) -> None:
    """An OLE compound file's chains ([MS-CFB]): the DIFAT, the directory's,
    the mini FAT's and every stream's, each a path through the FAT that must
    end, visit no sector twice and stay in the file."""
    if len(data) < 512 or not data.startswith(b"\xd0\xcf\x11\xe0"):
        return
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if not 7 <= shift <= 16:
            return  # the parser refuses it
        size = 1 << shift
        sectors = (len(data) + size - 1) // size  # a bound on every chain
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        _cutoff, first_minifat, _n, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
        if n_fat > sectors or n_difat > sectors:
            raise _refuse(name, t("bound.chain"))

        def sector(n: int) -> bytes:
            if n >= sectors:
                raise _refuse(name, t("bound.chain"))
            return data[(n + 1) * size:(n + 2) * size].ljust(size, b"\0")

        difat = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _SPECIAL]
        seen: set[int] = set()
        link = first_difat
        while link < _SPECIAL:
            if link in seen or len(seen) >= sectors:
                raise _refuse(name, t("bound.chain"))
            seen.add(link)
            links = struct.unpack(f"<{size // 4}I", sector(link))
            difat += [n for n in links[:-1] if n < _SPECIAL]
            link = links[-1]
        fat: list[int] = []
        for n in difat[:n_fat]:
            fat += struct.unpack(f"<{size // 4}I", sector(n))

        def walk(start: int, table: list[int], limit: int) -> list[int]:
            out: list[int] = []
            visited: set[int] = set()
            while start < _SPECIAL:
                if start >= len(table) or start in visited or len(out) >= limit:
                    raise _refuse(name, t("bound.chain"))
                visited.add(start)
                out.append(start)
                start = table[start]
            return out

        directory = b"".join(sector(n) for n in walk(first_dir, fat, sectors))
        minifat: list[int] = []
        for n in walk(first_minifat, fat, sectors):
            minifat += struct.unpack(f"<{size // 4}I", sector(n))
        for offset in range(0, len(directory) - 127, 128):
            kind = directory[offset + 66]
            start, length = struct.unpack_from("<II", directory, offset + 116)
            if kind == 5 or (kind == 2 and length >= _cutoff):
                walk(start, fat, sectors)
            elif kind == 2:
                walk(start, minifat, len(data) // 64 + 1)
    except struct.error:
        return  # the parser says it is damaged
