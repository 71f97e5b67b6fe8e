"""Simulation results: JSON contract `ndrc/simulate/v1`, CSV, Markdown, Rich."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from ..app.simulate import OPEN_SPREAD_FACTOR, YOU, Outlook, SimulationReport
from ..core.model import Rules
from ..core.montecarlo import MAX_DRAWS, TARGET_SE
from ..core.numbers import format_exact, format_hundredths, format_points, json_number
from ..core.spreads import MIN_PAIRS
from ..i18n import decimal_separator, t
from .common import (
    average_text,
    decision_label,
    exact_json,
    grade_text,
    neutralise,
    points_json,
    professional_text,
    sheet_number,
)

SCHEMA = "ndrc/simulate/v1"


def _p(value: float) -> float:
    return round(value, 4)


def _needed(value: int | None, d: str) -> str:
    return t("sim.impossible") if value is None else format_hundredths(value, d)


def _assume_text(report: SimulationReport, d: str) -> str:
    a = report.settings.assume
    return t("sim.assume_mean") if isinstance(a, str) else format_exact(a, d)


def model_json(report: SimulationReport) -> dict[str, Any]:
    s = report.settings
    spreads = {u.code: s.spreads.get(u.code, s.spread) for u in report.curriculum.units}
    return {
        "distribution": "normal, clipped to [0, 20], rounded to 0.01, independent between units",
        "spread": spreads,
        # --spread auto: each unit's spread learnt from the mocks, or null (too few
        # students graded twice: the default), with the number of pairs it rests on.
        "learnt_spread": ({ls.unit: {"spread": ls.spread, "pairs": ls.pairs} for ls in s.learnt}
                          if s.auto else None),
        "open_units": {"mean": "student_mean" if isinstance(s.assume, str) else exact_json(s.assume),
                       "spread_factor": OPEN_SPREAD_FACTOR},
        "combine": s.combine,
        "seed": s.seed,
        "method": "conditional Monte Carlo over the largest-coefficient unit",
        "controle": ("a draw at controle takes the orals grade advises (controle_plan), each drawn around the "
                     "projected grade with the unit's spread; the better grade counts"),
        "target_stderr": TARGET_SE,
        "max_stderr": round(report.stderr, 5),
        "max_draws": MAX_DRAWS,
    }


def outlook_json(o: Outlook, rules: Rules) -> dict[str, Any]:
    p = o.projection
    r = p.projected
    return {
        "id": p.student.id,
        "name": p.student.name,
        "projected_average": points_json(r.average),
        "professional_average": points_json(r.professional_average),
        # The averages as a person must read them beside `decision` (the display
        # rule: never rounded across a threshold), with '.' in every language.
        "projected_average_text": average_text(r.average, rules) or None,
        "professional_average_text": professional_text(r.professional_average, rules) or None,
        "decision": r.decision.value,
        "open_units": list(p.open_units),
        "assumed": exact_json(p.assumed),
        "needed": {
            "admis": None if p.needed_admis is None else json_number(p.needed_admis),
            "controle": None if p.needed_controle is None else json_number(p.needed_controle),
        },
        "probabilities": {"diploma": _p(o.outcome.diploma), "admis": _p(o.outcome.admis),
                          "controle": _p(o.outcome.controle),
                          "ajourne": _p(1 - _p(o.outcome.admis) - _p(o.outcome.controle))},
        "stderr": round(o.outcome.stderr, 5),
        "draws": o.outcome.draws,
        "trend": [exact_json(v) for v in o.trend],
        "units": {u.code: {"grade": exact_json(u.grade), "status": u.mark.value} for u in r.units},
    }


def report_json(report: SimulationReport) -> dict[str, Any]:
    expected, low, high = report.expected_admis
    return {
        "schema": SCHEMA,
        "model": model_json(report),
        "sources": list(report.sources),
        "unit": report.settings.unit,
        "students": [outlook_json(o, report.curriculum.rules) for o in report.outlooks],
        "summary": {
            "count": len(report.outlooks),
            "expected_admis": round(expected, 2),
            "expected_admis_interval": [low, high],
            "at_risk": [o.projection.student.id for o in report.at_risk],
            "unit_losses": {code: points_json(lost) for code, lost in report.losses},
        },
    }


def write_json(report: SimulationReport, out: TextIO) -> None:
    json.dump(report_json(report), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(report: SimulationReport, out: TextIO, excel: bool = False) -> None:
    d = "," if excel else "."
    w = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
    w.writerow(["id", "name", "projected_average", "decision", "p_diploma", "p_admis", "p_controle", "p_ajourne",
                "needed_admis", "needed_controle", "open_units"])
    rules = report.curriculum.rules
    for o in report.outlooks:
        p = o.projection
        probs = [f"{_p(x):.4f}".replace(".", d)
                 for x in (o.outcome.diploma, o.outcome.admis, o.outcome.controle, o.outcome.ajourne)]
        w.writerow([neutralise(p.student.id), neutralise(p.student.name),
                    sheet_number(average_text(p.projected.average, rules, d)),
                    p.projected.decision.value, *probs,
                    "" if p.needed_admis is None else format_hundredths(p.needed_admis, d),
                    "" if p.needed_controle is None else format_hundredths(p.needed_controle, d),
                    " ".join(p.open_units)])


def _percent(value: float, d: str) -> str:
    return t("fmt.percent", value=f"{value * 100:.1f}".replace(".", d))


def model_lines(report: SimulationReport) -> list[str]:
    d = decimal_separator()
    s = report.settings
    custom = ", ".join(f"{k} {v:g}".replace(".", d) for k, v in sorted(s.spreads.items()))
    lines = [
        t("sim.model", spread=f"{s.spread:g}".replace(".", d), custom=f" ({custom})" if custom else "",
          assume=_assume_text(report, d), factor=f"{OPEN_SPREAD_FACTOR:g}"),
    ]
    if s.auto:
        learnt = ", ".join(f"{ls.unit} {ls.spread:.2f}".replace(".", d) + f" ({ls.pairs})"
                           for ls in s.learnt if ls.spread is not None)
        kept = ", ".join(ls.unit for ls in s.learnt if ls.spread is None)
        lines.append(t("sim.learnt", learnt=learnt or "—", kept=kept or "—",
                       default=f"{s.spread:g}".replace(".", d), minimum=MIN_PAIRS))
    lines.append(t("sim.orals"))  # the model always goes through the contrôle
    return lines + [
        t("sim.method", seed=s.seed, target=f"{TARGET_SE:g}".replace(".", d),
          stderr=f"{report.stderr:.4f}".replace(".", d)),
    ]


def _columns(report: SimulationReport) -> tuple[bool, bool]:
    """Show the needed-grade columns / the trend column only when they say something."""
    needed = report.settings.unit is not None or any(o.projection.open_units for o in report.outlooks)
    trend = any(len(o.trend) > 1 for o in report.outlooks)
    return needed, trend


def _rows(report: SimulationReport, d: str) -> list[list[str]]:
    show_needed, show_trend = _columns(report)
    rules = report.curriculum.rules
    rows = []
    for o in report.outlooks:
        p = o.projection
        trend = ""
        if len(o.trend) > 1 and o.trend[0] is not None and o.trend[-1] is not None:
            delta = o.trend[-1] - o.trend[0]
            trend = ("+" if delta >= 0 else "−") + format_exact(delta if delta >= 0 else -delta, d)
        row = [
            t("sim.you") if p.student.id == YOU else p.student.id, p.student.name,
            average_text(p.projected.average, rules, d), decision_label(p.projected.decision),
            _percent(o.outcome.diploma, d), _percent(o.outcome.admis, d), _percent(o.outcome.controle, d),
            _percent(o.outcome.ajourne, d),
        ]
        if show_needed:
            relevant = p.open_units or report.settings.unit
            row += [_needed(p.needed_admis, d) if relevant else "", _needed(p.needed_controle, d) if relevant else ""]
        if show_trend:
            row.append(trend)
        rows.append(row)
    return rows


def _headers(report: SimulationReport) -> list[str]:
    show_needed, show_trend = _columns(report)
    unit = report.settings.unit or ""
    headers = [t("col.id"), t("col.name"), t("sim.col.projected"), t("col.decision"), t("sim.col.p_diploma"),
               t("sim.col.p_admis"), t("sim.col.p_controle"), t("sim.col.p_ajourne")]
    if show_needed:
        headers += [" ".join(t("sim.col.need_admis", unit=unit).split()),
                    " ".join(t("sim.col.need_controle", unit=unit).split())]
    if show_trend:
        headers.append(t("sim.col.trend"))
    return headers


def _summary_lines(report: SimulationReport, d: str) -> list[str]:
    if len(report.outlooks) == 1:  # one student's own question: no class view
        p = report.outlooks[0].projection
        if not p.open_units:
            return []
        assumed = grade_text(p.assumed or 0, report.curriculum.rules, d)
        return [t("sim.open_units", units=", ".join(p.open_units), assumed=assumed)]
    expected, low, high = report.expected_admis
    lines = [t("sim.expected", expected=f"{expected:.1f}".replace(".", d), low=low, high=high,
               count=len(report.outlooks))]
    risky = report.at_risk
    # Who is at risk, by name (the id when the sheet has no name).
    names = ", ".join(f"{o.projection.student.name or o.projection.student.id} ({_percent(o.outcome.admis, d)})"
                      for o in risky)
    lines.append(t("sim.at_risk_list", count=len(risky), students=names) if risky else t("sim.at_risk", count=0))
    losses = [f"{code} {format_points(lost, d)}" for code, lost in report.losses if lost > 0]
    lines.append(t("sim.losses", losses=", ".join(losses) or "—"))
    return lines


def write_markdown(report: SimulationReport, out: TextIO) -> None:
    from .common import md_escape

    d = decimal_separator()
    out.write(f"# {t('sim.title')}\n\n")
    headers = _headers(report)
    out.write("| " + " | ".join(md_escape(h) for h in headers) + " |\n")
    out.write("|" + "|".join(["---", "---", "---:", "---"] + ["---:"] * (len(headers) - 4)) + "|\n")
    for row in _rows(report, d):
        out.write("| " + " | ".join(md_escape(c) for c in row) + " |\n")
    out.write("\n")
    for line in _summary_lines(report, d) + model_lines(report):
        out.write(f"- {md_escape(line)}\n")


def _table(headers: list[str], rows: list[list[str]], indices: list[int], table_type: Any, box: Any,
           text_type: Any) -> Any:
    table = table_type(title=t("sim.title"), box=box.SIMPLE_HEAD, pad_edge=False, padding=0)
    for header, i in zip(headers, indices):
        if i == 1:  # the name gives way first
            table.add_column(header, min_width=8, max_width=24, overflow="ellipsis", no_wrap=True)
        else:
            table.add_column(header, justify="left" if i in (0, 3) else "right", no_wrap=True, overflow="fold")
    for row in rows:
        table.add_row(*(text_type(c) for c in row))
    return table


def print_report(report: SimulationReport, console: Any, chart: bool = True) -> None:
    from rich import box
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    d = decimal_separator()
    headers, rows = _headers(report), _rows(report, d)
    # The richest table that fits, one line per student and no number cut:
    # everything; then without the needed grades and the trend; then
    # P(diploma) and P(admis) as the only probabilities; then P(diploma)
    # alone; then without the name.
    chosen: list[int] = []
    for keep in (range(len(headers)), range(8), (0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 4), (0, 2, 3, 4), (0, 2, 3)):
        chosen = list(keep)
        widest = [max([headers[i], *(row[i] for row in rows)], key=len) for i in chosen]
        shrink = max(0, len(widest[1]) - 8) if 1 in chosen else 0  # the name may shrink to 8, with an ellipsis
        probe = _table([headers[i] for i in chosen], [widest], chosen, Table, box, Text)
        if Measurement.get(console, console.options.update_width(10_000), probe).maximum - shrink <= console.width:
            break
    table = _table([headers[i] for i in chosen], [[row[i] for i in chosen] for row in rows], chosen, Table, box, Text)
    # Exact widths: every column as wide as its widest cell, the name cut to what is left.
    widths = [len(max([headers[i], *(row[i] for row in rows)], key=len)) for i in chosen]
    for column, i, width in zip(table.columns, chosen, widths):
        if i == 1:
            # the others, a space between columns, and the table's two edges
            column.width = max(8, min(width, console.width - (sum(widths) - width) - (len(chosen) - 1) - 2))
        else:
            column.min_width = column.max_width = width
    console.print(table)
    for line in _summary_lines(report, d):
        console.print(Text(line))
    console.print()
    for line in model_lines(report):
        console.print(Text(line, style="italic"))
    if chart and report.sources:  # a class, not one student's own question (--set only)
        print_charts(report, console)


def print_charts(report: SimulationReport, console: Any) -> None:
    """The projected class: averages around 8 and 10, unit means, and each
    student's movement when there are several mock exams."""
    from ..core.charts import histogram, movements, thresholds, unit_bars
    from ..core.stats import summarize
    from .termchart import histogram_chart, movement_chart, unit_chart

    projected = [o.projection.projected for o in report.outlooks]
    console.print()
    marks = thresholds(report.curriculum.rules)
    console.print(histogram_chart(histogram(projected, marks), console.width, projected=True))
    console.print()
    console.print(unit_chart(unit_bars(report.curriculum, summarize(report.curriculum, projected)), console.width,
                             report.curriculum.rules))
    if len(report.sources) > 1 and report.outlooks and report.outlooks[0].trend:
        steps = [{o.projection.student.id: o.trend[i] for o in report.outlooks} for i in range(len(report.sources))]
        ids = [(o.projection.student.id, o.projection.student.name) for o in report.outlooks]
        labels = [_step_label(i, name) for i, name in enumerate(report.sources)]
        console.print()
        console.print(movement_chart(movements(ids, steps), labels, console.width, marks, report.curriculum.rules,
                                     limit=50))


def _step_label(index: int, source: str) -> str:
    from ..core.charts import step_label

    name = step_label(source)
    return name if len(name) <= 16 else f"#{index + 1}"  # a terminal line has no room for more
