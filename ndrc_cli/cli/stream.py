"""`ndrc grade -f csv` on a cohort: the streamed results into their output.

The application streams (`app.stream`: read, grade, write row by row, in
the CSV renderer's dialect); this module gives it the output — a file put in
place only if the whole sheet was valid, or stdout, spooled first so that an
invalid sheet writes nothing at all.
"""

from __future__ import annotations

import io
import os
from typing import TextIO

from ..app.stream import CsvDialect, Fallback, stream_csv
from ..core.model import Curriculum, Decision


def _dialect(excel: bool) -> CsvDialect:
    from ..render.common import MARK_CODES, neutralise
    from ..render.csvout import decision_cell, header_row, number_cell

    return CsvDialect(
        header=lambda extra, units: header_row(extra, units, excel),
        text=neutralise,
        marks=dict(MARK_CODES),
        decisions={d: decision_cell(d, excel) for d in Decision},
        number=number_cell,
    )


#: Sheets smaller than this (bytes) are spooled in memory when streamed to stdout.
_SPOOL_IN_MEMORY = 4 << 20


def write_streamed(path: str, curriculum: Curriculum, output: str, excel: bool, delimiter: str | None,
                   encoding: str | None, worksheet: str | None = None) -> bool:
    """Stream `path` to `output` ('-' = stdout). False if the ordinary path must
    run instead (a problem in the sheet, or something this path leaves to it)."""
    import stat

    from .atomic import open_output
    from .terminal import stdout_text

    dialect = _dialect(excel)

    try:  # an unreadable input is for the ordinary path to report
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a pipe (`<(cat sheet.csv)`) can be read once only: by the ordinary path
        open(path, "rb").close()
    except OSError:
        return False
    if output != "-":
        try:
            with open_output(output, encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
                stream_csv(path, curriculum, out, excel, delimiter, encoding, dialect, worksheet)
        except Fallback:
            return False
        return True
    # stdout: spool first, so that an invalid sheet writes nothing at all; in
    # memory for a class (tempfile's import alone is ~5 ms), on disk for a cohort.
    spool: TextIO
    if os.path.getsize(path) < _SPOOL_IN_MEMORY:
        spool = io.StringIO()
    else:
        import tempfile

        spool = tempfile.TemporaryFile("w+", encoding="utf-8-sig" if excel else "utf-8", newline="")
    with spool:
        try:
            stream_csv(path, curriculum, spool, excel, delimiter, encoding, dialect, worksheet)
        except Fallback:
            return False
        spool.seek(0)
        target, wrapper = stdout_text("utf-8-sig" if excel else "utf-8", "")
        try:
            while chunk := spool.read(1 << 20):
                target.write(chunk)
            target.flush()
        finally:
            wrapper.detach()
    return True
