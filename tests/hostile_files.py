"""Hostile workbooks of a few KB each, built byte by byte (tests/test_hostile.py)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def xlsx(sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A one-sheet .xlsx ("Notes") whose worksheet XML is `sheet_xml`."""
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_R_NS}><sheets><sheet name="Notes" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    members.update(extra or {})
    return _zip(members)


def sheet_xml(cells: str, dimension: str | None = None, before: str = "", after: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{dim}{before}<sheetData>{cells}'
            f'</sheetData>{after}</worksheet>').encode()


HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>E4</t></is></c></row>')


def far_cell(ref: str) -> bytes:
    """A sheet with a header and one number cell at `ref` (XFD1048576: the last cell)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return xlsx(sheet_xml(HEADER_ROW + f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>', f"A1:{ref}"))


def far_dimension(ref: str) -> bytes:
    """A sheet of two cells that declares a used range up to `ref`."""
    return xlsx(sheet_xml(HEADER_ROW, f"A1:{ref}"))


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
           'xmlns:office-version="1.2"')


def ods(body: str, mimetype: bytes = b"application/vnd.oasis.opendocument.spreadsheet",
        extra: dict[str, bytes] | None = None) -> bytes:
    """An .ods whose <office:spreadsheet> holds `body`."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f'<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>').encode()
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                b'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                b'"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                b'"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            z.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


ODS_ROW = ('<table:table-row><table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Nom'
           '</text:p></table:table-cell><table:table-cell office:value-type="string" calcext:value-type="string">'
           '<text:p>E4</text:p></table:table-cell></table:table-row>')


def ods_unclosed_table() -> bytes:
    """An .ods whose table never ends (`</table:table>` missing)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="Notes">{ODS_ROW}').encode()
    book = ods("")
    z = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as w:
        for info in z.infolist():
            w.writestr(info, content if info.filename == "content.xml" else z.read(info.filename))
    return out.getvalue()


def ods_repeated(cells_repeat: int, rows_repeat: int, marker: str) -> bytes:
    """An .ods of 1 KB whose repeated cells cover `cells_repeat` x `rows_repeat`
    cells; `marker` makes ndrc's own scanners read it (an error value, a
    hidden column)."""
    if marker == "error":
        cell = (f'<table:table-cell table:number-columns-repeated="{cells_repeat}" office:value-type="float" '
                'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>')
        columns = ""
    else:
        cell = f'<table:table-cell table:number-columns-repeated="{cells_repeat}"/>'
        columns = f'<table:table-column table:visibility="collapse" table:number-columns-repeated="{cells_repeat}"/>'
    rows = f'<table:table-row table:number-rows-repeated="{rows_repeat}">{cell}</table:table-row>'
    return ods(f'<table:table table:name="Notes">{columns}{ODS_ROW}{rows}</table:table>')


# -- .xls: an OLE compound file ---------------------------------------------

_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = _FREE) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    entry = raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
    entry += struct.pack("<III", _FREE, _FREE, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
    entry += struct.pack("<III", start, size, 0)
    assert len(entry) == 128, len(entry)
    return entry


def xls_cycle(stream_sectors: int = 16, loop_to: int = 2, directory_loop: bool = False) -> bytes:
    """An .xls (CFB) whose Workbook stream's sector chain loops back on itself
    (or its directory's chain, on its own sector)."""
    size = 512
    n = 2 + stream_sectors  # FAT, directory, stream
    fat = [_FATSECT, _END] + [i + 1 for i in range(2, n - 1)] + [loop_to]
    fat += [_FREE] * (size // 4 - len(fat))
    if directory_loop:
        fat[1] = 1
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header += b"\0" * 6 + struct.pack("<IIII", 0, 1, 1, 0)  # dir sectors, FAT sectors, first dir, txn
    header += struct.pack("<IIIII", 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", 0, *([_FREE] * 108))
    assert len(header) == 512, len(header)
    directory = _dir_entry("Root Entry", 5, _END, 0, child=1) + _dir_entry("Workbook", 2, 2, 64 * size)
    directory = directory.ljust(size, b"\0")
    bof = struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005) + b"\0" * 12
    stream = bof.ljust(stream_sectors * size, b"\0")
    return header + struct.pack(f"<{size // 4}I", *fat) + directory + stream


def _bomb_member(unit: bytes, repeat: int, head: bytes = b"", tail: bytes = b"") -> tuple[bytes, int, int]:
    """head + unit * repeat + tail, deflated without compressing it all: `unit`
    deflated once after a full flush (so that it stands alone), repeated.
    Returns (deflated, crc32, size)."""
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = block.compress(unit) + block.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(repeat):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    return start + body * repeat + end, crc, len(head) + len(unit) * repeat + len(tail)


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, data as stored, crc32, size, method) members, written by hand."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size, method in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(raw), 0)
        out += raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def zip_bomb(kind: str) -> bytes:
    """A workbook of ~1 MB holding ~1 GB once inflated: `space` (whitespace in
    the sheet), `rows` (empty rows), `string` (a 500 MB shared string),
    `mimetype` (a 1 GB .ods mimetype)."""
    book = zipfile.ZipFile(io.BytesIO(xlsx(sheet_xml(HEADER_ROW))))
    members = [(i.filename, book.read(i.filename)) for i in book.infolist()]
    small = [(name, data, zlib.crc32(data), len(data), 0) for name, data in members
             if name != "xl/worksheets/sheet1.xml"]
    mib = 1 << 20
    if kind == "space":
        head, tail = sheet_xml(HEADER_ROW).split(b"</sheetData>")
        return _raw_zip([*small, ("xl/worksheets/sheet1.xml", *_bomb_member(b" " * mib, 1024, head + b"</sheetData>",
                                                                             tail), 8)])
    if kind == "rows":
        head, tail = sheet_xml(HEADER_ROW).split(b"</sheetData>")
        return _raw_zip([*small, ("xl/worksheets/sheet1.xml", *_bomb_member(b"<row/>" * (mib // 6 * 6 // 6), 1024,
                                                                             head, b"</sheetData>" + tail), 8)])
    if kind == "string":
        sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
        head = f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="1" uniqueCount="1"><si><t>'.encode()
        return _raw_zip([*small, ("xl/worksheets/sheet1.xml", sheet, zlib.crc32(sheet), len(sheet), 0),
                         ("xl/sharedStrings.xml", *_bomb_member(b"x" * mib, 500, head, b"</t></si></sst>"), 8)])
    if kind == "mimetype":
        real = zipfile.ZipFile(io.BytesIO(ods(ODS_ROW)))
        rest = [(i.filename, real.read(i.filename)) for i in real.infolist() if i.filename != "mimetype"]
        return _raw_zip([("mimetype", *_bomb_member(b" " * mib, 1024, b"application/vnd.oasis.opendocument."
                                                                        b"spreadsheet"), 8),
                         *[(name, data, zlib.crc32(data), len(data), 0) for name, data in rest]])
    raise ValueError(kind)


def nested(depth: int = 4_000_000) -> bytes:
    """An .ods whose content nests `depth` elements in a cell."""
    return ods(f'<table:table table:name="Notes">{ODS_ROW}<table:table-row><table:table-cell '
               'office:value-type="string" calcext:value-type="error"><text:p>' + "<text:span>" * depth
               + "</text:span>" * depth + '</text:p></table:table-cell></table:table-row></table:table>')
