"""Error cells of a legacy .xls workbook, read from its BIFF records.

calamine reads an error cell (`#N/A`, `#DIV/0!`…) as an empty string, which
a grade sheet reads as "not graded yet". To tell them apart this module
walks the file itself: the OLE compound file holding the `Workbook` stream
(a FAT of sector chains, [MS-CFB]), then that stream's records ([MS-XLS]):
BOUNDSHEET gives each sheet's name and offset, BOOLERR holds a constant
error, FORMULA a formula whose saved value is an error.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
           0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def _stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The first stream of the compound file named one of `names`."""
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    size, mini_size = 1 << shift, 1 << mini_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if start + size > len(data) + size:  # a truncated last sector is padded by readers; more is damage
            raise ValueError("a sector beyond the end of the file")
        return data[start:start + size]

    # Every chain is bounded by the sectors the file holds: a loop is damage, never a hang.
    sectors = len(data) // min(size, mini_size, 64) + 1  # mini sectors (64 bytes) too
    difat = [n for n in struct.unpack_from("<109I", data, 0x4C) if n not in (_END, _FREE)]
    next_difat, seen = first_difat, 0
    while next_difat not in (_END, _FREE) and seen < min(n_difat, sectors):
        links = struct.unpack(f"<{size // 4}I", sector(next_difat))
        difat += [n for n in links[:-1] if n not in (_END, _FREE)]
        next_difat, seen = links[-1], seen + 1
    fat: list[int] = []
    for n in difat[:n_fat]:
        fat += struct.unpack(f"<{size // 4}I", sector(n))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        visited: set[int] = set()
        while start not in (_END, _FREE):
            if start >= len(table) or start in visited or len(out) > min(len(table), sectors):
                raise ValueError("a broken sector chain")
            visited.add(start)
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(first_dir, fat))
    entries: list[tuple[str, int, int, int]] = []
    for offset in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset:offset + max(0, name_len - 2)].decode("utf-16-le", "replace")
        kind = directory[offset + 66]
        start, length = struct.unpack_from("<II", directory, offset + 116)
        entries.append((name, kind, start, length))
    root = entries[0]
    for name, kind, start, length in entries:
        if kind != 2 or name not in names:
            continue
        if length >= cutoff:
            return b"".join(sector(n) for n in chain(start, fat))[:length]
        minifat: list[int] = []
        for n in chain(first_minifat, fat):
            minifat += struct.unpack(f"<{size // 4}I", sector(n))
        ministream = b"".join(sector(n) for n in chain(root[2], fat))
        return b"".join(ministream[n * mini_size:(n + 1) * mini_size] for n in chain(start, minifat))[:length]
    raise ValueError("no Workbook stream")


def xls_layout(data: bytes, sheet: str) -> tuple[frozenset[int], frozenset[int],
                                                tuple[tuple[int, int, int, int], ...]]:
    """The sheet's hidden rows (1-based; ROW records) and columns (0-based;
    COLINFO records), and its merged ranges (MERGEDCELLS records), 0-based
    (first row, first column, last row, last column)."""
    rows: set[int] = set()
    columns: set[int] = set()
    ranges: list[tuple[int, int, int, int]] = []
    for name, kind, body in _records(data):
        if name != sheet:
            continue
        if kind == 0x00E5 and len(body) >= 2:  # MERGEDCELLS
            count = struct.unpack_from("<H", body, 0)[0]
            for i in range(min(count, (len(body) - 2) // 8)):
                r1, r2, c1, c2 = struct.unpack_from("<HHHH", body, 2 + 8 * i)
                ranges.append((r1, c1, r2, c2))
        elif kind == 0x007D and len(body) >= 10:  # COLINFO
            first, last, _, _, flags = struct.unpack_from("<HHHHH", body, 0)
            if flags & 1 and last - first < 1024:
                columns.update(range(first, last + 1))
        elif kind == 0x0208 and len(body) >= 14:  # ROW
            if struct.unpack_from("<H", body, 12)[0] & 0x20:
                rows.add(struct.unpack_from("<H", body, 0)[0] + 1)
    return frozenset(rows), frozenset(columns), tuple(ranges)


def _records(data: bytes) -> Iterator[tuple[str | None, int, bytes]]:
    """(sheet name or None in the globals, record type, record body) of the
    Workbook stream, in order."""
    return _records_of(_stream(data, ("Workbook", "Book")))


def _records_of(stream: bytes) -> Iterator[tuple[str | None, int, bytes]]:
    offsets: dict[int, str] = {}
    sheet: str | None = None
    biff8 = True
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        if kind == 0x0809:  # BOF: a new substream (the globals, or a sheet)
            if len(body) >= 2 and pos == 0:
                biff8 = struct.unpack_from("<H", body, 0)[0] == 0x0600
            sheet = offsets.get(pos)
        elif kind == 0x0085 and len(body) >= 8:  # BOUNDSHEET
            at = struct.unpack_from("<I", body, 0)[0]
            count = body[6]
            if biff8:
                wide = body[7] & 1
                raw = body[8:8 + count * (2 if wide else 1)]
                offsets[at] = raw.decode("utf-16-le" if wide else "latin-1")
            else:
                offsets[at] = body[7:7 + count].decode("cp1252")
        yield sheet, kind, body
        if kind == 0x000A:  # EOF: the substream ends; records up to the next BOF belong to no sheet
            sheet = None
        pos += 4 + length


def xls_errors(data: bytes, sheet_names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, column) 0-based: error text}."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    for sheet, kind, body in _records(data):
        if sheet is None:
            continue
        if kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR, an error
            row, col = struct.unpack_from("<HH", body, 0)
            found.setdefault(sheet, {})[(row, col)] = _ERRORS.get(body[6], "#ERROR")
        elif kind == 0x0006 and len(body) >= 14:  # FORMULA
            value = body[6:14]
            if value[6:8] == b"\xff\xff" and value[0] == 2:
                row, col = struct.unpack_from("<HH", body, 0)
                found.setdefault(sheet, {})[(row, col)] = _ERRORS.get(value[2], "#ERROR")
    return {name: cells for name, cells in found.items() if name in sheet_names}
