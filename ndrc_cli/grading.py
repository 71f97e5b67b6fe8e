"""`ndrc grade` without the command line: load, compute, summarise."""

from __future__ import annotations

from .curriculum import load_curriculum
from .model import Curriculum, GradeReport
from .rules import Grader
from .sheets import read_sheet
from .stats import summarize


def grade_sheet(
    path: str,
    curriculum: Curriculum | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> GradeReport:
    curriculum = curriculum or load_curriculum()
    sheet = read_sheet(path, curriculum, delimiter, encoding)
    grader = Grader(curriculum)
    results = tuple(grader.evaluate(s) for s in sheet.students)
    return GradeReport(
        curriculum=curriculum,
        results=results,
        summary=summarize(curriculum, results),
        columns=sheet.columns,
        extra_headers=sheet.extra_headers,
        sources=(sheet.name,),
    )
