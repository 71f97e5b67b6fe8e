"""What a file is, from its first bytes: a workbook, text, or something to refuse.

A workbook saved as `notes.csv`, or a PDF given by mistake, is recognised
for what it is and named in the message. Import-light: on every sheet's path.
"""

from __future__ import annotations

import io

from ..core.errors import NdrcError
from ..i18n import t

WORKBOOK_KINDS = ("xlsx", "ods", "xls")
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cut_short(data: bytes) -> bool:
    """Whether an OLE compound file names sectors beyond its end ([MS-CFB]:
    its header lists the sectors of its allocation table and its directory)."""
    import struct

    if len(data) < 512:
        return True
    shift: int = struct.unpack_from("<H", data, 0x1E)[0]
    if not 7 <= shift <= 16:
        return True
    size = 1 << shift
    first_dir: int = struct.unpack_from("<I", data, 0x30)[0]
    fat: list[int] = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    last = max([first_dir if first_dir < 0xFFFFFFFA else 0, *fat])
    return (last + 2) * size > len(data) + size  # a last sector cut short is padded by readers


def is_compound(data: bytes) -> bool:
    """Whether bytes begin an OLE compound file (.xls, .doc, an encrypted .xlsx):
    what it holds is told only from the whole file (its directory may lie at the end)."""
    return data.startswith(_OLE)


def identify(data: bytes) -> str:
    """What the bytes are: a workbook kind, 'text', or a kind to refuse
    ('encrypted', 'pdf', 'image', 'word', 'presentation', 'archive', 'binary')."""
    if data.startswith(b"PK\x03\x04"):
        import zipfile  # only for zip files: ~6 ms of imports

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "corrupt"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"  # Excel's binary workbook: rare; its error cells cannot be checked here
        if "mimetype" in names:
            try:  # its first bytes only: a mimetype member may inflate to gigabytes
                with zipfile.ZipFile(io.BytesIO(data)).open("mimetype") as f:
                    mime = f.read(256)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
                return "corrupt"
            except Exception as exc:  # zlib.error, without importing zlib here
                if type(exc).__name__ != "error":
                    raise
                return "corrupt"
            if b"spreadsheet" in mime:
                return "ods"
            if b"text" in mime:
                return "word"
            if b"presentation" in mime:
                return "presentation"
        if "word/document.xml" in names:
            return "word"
        if any(n.startswith("ppt/") for n in names):
            return "presentation"
        return "archive"
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"  # an .xlsx saved with a password
        if "WordDocument".encode("utf-16-le") in data:
            return "word"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        if _cut_short(data):
            return "corrupt"  # a compound file whose sectors lie past its end: an incomplete copy
        return "binary"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return "image"
    if data.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        return "archive"
    if data.startswith(b"{\\rtf"):
        return "word"
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16, with its BOM
    # Control bytes in a text file are rare (a hostile name may hold an ESC,
    # shown visibly later); many of them, or a NUL, are a binary file.
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    if b"\x00" in head or (len(head) > 256 and controls * 20 > len(head)):
        return "binary"
    return "text"


def refuse_kind(kind: str, name: str) -> NdrcError:
    """The error for a file that is not a grade sheet, named for what it is."""
    return NdrcError(t(f"book.kind.{kind}", path=name))
