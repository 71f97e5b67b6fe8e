"""Finding one student from what a person types: `--explain`, `attestation`,
`simulate --student`.

An id is matched as written, then ignoring case and surrounding spaces
(`ndrc2505`); failing that, a name: the full name, the last or the first
name, case and accents ignored (`Martin`, `lea`). Several students by that
name is an error that lists them, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.errors import NdrcError
from ..core.folding import fold
from ..core.model import Student
from ..i18n import t


def find_student(students: Sequence[Student], query: str, where: str) -> Student:
    """The one student `query` names in `students` (read from `where`)."""
    wanted = query.strip()
    for key in (str, str.strip, lambda text: text.strip().casefold()):  # as written, then more and more loosely
        target = key(query)
        found = [s for s in students if key(s.id) == target]
        if len(found) == 1:
            return found[0]
    folded = fold(wanted)
    named = [s for s in students if folded and folded in (fold(s.name), fold(s.last_name), fold(s.first_name),
                                                           fold(f"{s.first_name} {s.last_name}"))]
    if len(named) == 1:
        return named[0]
    if named:
        raise NdrcError(t("err.ambiguous_student", query=query,
                          students=", ".join(f"{s.id} ({s.name})" for s in named)))
    raise NdrcError(t("err.unknown_student", id=query, sheet=where))
