"""One student's computation, line by line, in plain words (`--explain ID`)."""

from __future__ import annotations

from fractions import Fraction

from ..core.model import Curriculum, Decision, Exact, Mark, StudentResult
from ..core.numbers import format_coefficient, format_exact, format_points, short_decimal
from ..i18n import decimal_separator, t, tn
from .common import (
    after_text,
    average_text,
    decision_label,
    grade_text,
    note_text,
    plan_text,
    professional_text,
)


def _decimal(value: Fraction, decimal: str, places: int = 4) -> str:
    """An exact value to `places` decimals, truncated, with … when inexact."""
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    q, r = divmod(whole, 10**places)
    text = f"{q}{decimal}{r:0{places}d}"
    return text if scaled.denominator == 1 else text + "…"


def _points(value: Exact, decimal: str) -> str:
    """Points of the computation (a product, a total) as they are: exact when
    a grade with more decimals makes them so (9.9951 × 3 = 29.9853), so that
    each line's arithmetic holds; rounded half up when longer."""
    return short_decimal(value, decimal) or format_exact(value, decimal)


def explain(result: StudentResult, curriculum: Curriculum, width: int | None = None) -> list[str]:
    """The computation, line by line; after contrôle orals, the first group
    then the orals and the recomputed average. With a `width` (a terminal's),
    unit names are shortened with … and long lines wrap under their indent:
    a number is never cut."""
    lines = _lines(result, curriculum, width)
    return lines if width is None else [piece for line in lines for piece in _wrap(line, width)]


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    import textwrap

    indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
    # Words are never broken, nor at hyphens: "9,00" and "E4-E6" stay whole.
    return textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def _lines(result: StudentResult, curriculum: Curriculum, width: int | None) -> list[str]:
    if result.controle is None:
        return _explain(result, curriculum, width)
    d = decimal_separator()
    rules = curriculum.rules
    # The first group's blocs are superseded by the final ones, shown last.
    lines = _explain(result.controle.before._replace(blocs=()), curriculum, width)
    lines.append(t("explain.controle"))
    for code, first_grade, oral, counted in result.controle.units:
        lines.append("  " + t("explain.controle_unit", unit=code, first=grade_text(first_grade, rules, d),
                              oral=grade_text(oral, rules, d), counted=grade_text(counted, rules, d)))
    after = after_text(result.average, rules, d)
    lines.append(t("explain.after", total=_points(result.total, d),
                   divisor=format_coefficient(result.divisor, d), rounded=after))
    lines.append(t("explain.decision", decision=decision_label(result.decision), reason=(
        t("reason.admis", average=after, threshold=format_exact(rules.pass_threshold, d))
        if result.decision is Decision.ADMIS else
        t("reason.ajourne_after", average=after, threshold=format_exact(rules.pass_threshold, d)))))
    lines.extend(_bloc_lines(result, curriculum, d))
    return lines


def _optional_rule(curriculum: Curriculum, coef: str) -> str:
    """How the curriculum counts an optional unit's points, in words."""
    rule = curriculum.rules.optional
    how = t("explain.multiplied", coef=coef) if rule.multiply_by_coefficient and coef else t("explain.not_multiplied")
    divisor = t("explain.divisor_added", coef=coef) if rule.add_to_divisor and coef else t("explain.divisor_same")
    return f"{how}, {divisor}"


def _bloc_lines(result: StudentResult, curriculum: Curriculum, d: str) -> list[str]:
    if not result.blocs:
        return []
    lines = [t("explain.blocs")]
    for b in result.blocs:
        until = ", " + t("explain.valid_until", year=b.valid_until) if b.valid_until else ""
        lines.append(f"  {b.bloc} {b.name} ({b.unit} {grade_text(b.grade, curriculum.rules, d)}{until})")
    return lines


def _name_width(curriculum: Curriculum, width: int | None, texts: list[str]) -> int:
    """The unit-name column: as wide as the longest name, or what a terminal
    leaves once the code and the (unwrapped) computations have their room."""
    widest = max(len(u.name) for u in curriculum.units)
    if width is None:
        return widest
    room = width - 2 - 5 - 2 - max((len(text) for text in texts if len(text) < width // 2), default=0)
    return max(0, min(widest, room))


def _shorten(name: str, width: int) -> str:
    return name if len(name) <= width else (name[: width - 1].rstrip() + "…" if width > 1 else "")


def _explain(result: StudentResult, curriculum: Curriculum, width: int | None = None) -> list[str]:
    d = decimal_separator()
    kept = dict(result.kept)
    rules = curriculum.rules
    s = result.student
    title = f"{s.id} — {s.name}" if s.name else s.id
    lines = [title, t("explain.source_line", line=s.line) if s.line else ""]
    lines = [line for line in lines if line]
    rows: list[tuple[str, str, str]] = []  # code, name, computation
    parts_lines: dict[int, str] = {}
    for unit, u in zip(curriculum.units, result.units):
        coef = format_coefficient(unit.coefficient, d) if unit.coefficient is not None else ""
        if unit.mandatory:
            if u.mark is Mark.GRADE and u.grade is not None:
                product = _points(u.points, d)
                text = f"{grade_text(u.grade, rules, d)} × {coef} = {product}"
                if unit.code in kept:
                    text += " (" + t("explain.kept", session=kept[unit.code]) + ")"
            elif u.mark is Mark.JUSTIFIED:
                text = t("explain.justified", coef=coef, zero=format_exact(0, d))
            elif u.mark is Mark.ABSENT:
                text = t("explain.absent", coef=coef)
            elif u.mark is Mark.EXEMPT:
                text = t("explain.exempt")
            else:
                text = t("explain.missing")
        else:
            above = format_exact(rules.optional.counts_above, d)
            if u.code in result.left_out and u.grade is not None:
                text = t("explain.optional_left_out", grade=grade_text(u.grade, rules, d), bonus=_points(u.bonus, d))
            elif u.mark is Mark.GRADE and u.grade is not None:
                text = t("explain.optional", grade=grade_text(u.grade, rules, d), above=above,
                         bonus=_points(u.bonus, d), rule=_optional_rule(curriculum, coef))
            else:
                text = t("explain.optional_none")
        rows.append((unit.code, unit.name, text))
        if u.parts:
            parts = ", ".join(
                f"{code} {format_exact(c.grade, d) if c.grade is not None else (c.raw or '—')} × {p.weight}"
                for (code, c), p in zip(u.parts, unit.parts)
            )
            parts_lines[len(rows) - 1] = t("explain.parts", parts=parts)
    names = _name_width(curriculum, width, [text for _, _, text in rows])
    for i, (code, name, text) in enumerate(rows):
        label = f"  {code:<4} {_shorten(name, names):<{names}}  " if names else f"  {code:<4} "
        lines.append(label + text)
        if i in parts_lines:
            lines.append(" " * (len(label)) + parts_lines[i])

    lines.append("")
    lines.append(t("explain.points", points=_points(result.points, d), bonus=_points(result.bonus, d),
                   total=_points(result.total, d)))
    lines.append(t("explain.divisor", divisor=format_coefficient(result.divisor, d)))
    avg = result.average
    avg_text = average_text(avg, rules, d)
    if avg is not None:
        # Rounded half up, unless that would carry it across a threshold
        # (the display rule): then the line says why it has more digits.
        key = "explain.average" if avg_text == format_points(avg, d) else "explain.average_unrounded"
        lines.append(t(key, total=_points(result.total, d), divisor=format_coefficient(result.divisor, d),
                       exact=_decimal(avg, d), rounded=avg_text))
    pro = result.professional_average
    pro_text = professional_text(pro, rules, d) or "—"
    if pro is not None:
        lines.append(t("explain.professional", units=", ".join(rules.professional_units), value=pro_text))

    pass_ = format_exact(rules.pass_threshold, d)
    low = format_exact(rules.controle_min, d)
    pro_min = format_exact(rules.professional_threshold, d)
    reason = {
        Decision.INCOMPLET: lambda: tn("reason.incomplet", len(result.missing), units=", ".join(result.missing)),
        Decision.ABSENT: lambda: t("reason.absent", units=", ".join(result.absent)),
        Decision.ADMIS: lambda: t("reason.admis", average=avg_text, threshold=pass_),
        Decision.CONTROLE: lambda: t("reason.controle", average=avg_text, low=low, threshold=pass_,
                                     pro=pro_text, pro_min=pro_min),
        Decision.AJOURNE: lambda: (
            t("reason.ajourne_low", average=avg_text, low=low) if result.reason == "below_controle"
            else t("reason.ajourne_pro", average=avg_text, threshold=pass_, pro=pro_text, pro_min=pro_min)
        ),
    }[result.decision]()
    lines.append(t("explain.decision", decision=decision_label(result.decision), reason=reason))
    if result.plans:  # every allowed set of orals, best first (core/orals.py)
        lines.append(t("explain.plans"))
        lines.extend("  " + plan_text(plan, d) for plan in result.plans)
    lines.extend(_bloc_lines(result, curriculum, d))
    lines.extend(note_text(n, rules) for n in result.notes)
    return lines
