"""The class charts in the terminal, drawn with Rich Text.

Readable without colour (NO_COLOR, a printout): each zone has its own
glyph and every threshold is drawn, colour only repeats what the glyphs
say. Everything fits 60 columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from rich.console import Group
from rich.text import Text

from ..core.charts import BINS, Histogram, Movement, Thresholds, UnitBar
from ..core.model import Exact, Rules
from ..core.numbers import format_exact
from ..i18n import decimal_separator, t, tn
from .common import mean_grade_text, step_average_text, zone_label

#: Bars of the histogram, by zone: the glyph alone tells the zone apart.
GLYPHS = {"fail": "░", "controle": "▒", "pass": "█"}
COLOURS = {"fail": "red", "controle": "yellow", "pass": "green"}
RULE = "┊"
HEIGHT = 8


def histogram_chart(h: Histogram, width: int = 80, projected: bool = False) -> Group:
    """Vertical bars, one per point of average, 2 columns each (42 + axis)."""
    peak = max((b.students for b in h.bins), default=0)
    rows = min(HEIGHT, peak) or 1
    label_width = len(str(peak))
    title = tn("chart.hist_projected", h.total) if projected else tn("chart.hist_title", h.total)
    lines = [Text(title, style="bold")]
    for level in range(rows, 0, -1):
        # A bar reaches this row if it is at least this tall once scaled;
        # any student at all shows at least one row.
        line = Text(f"{peak if level == rows else '':>{label_width}} │")
        for b in h.bins:
            height = 0 if not b.students else max(1, (2 * b.students * rows + peak) // (2 * peak))
            line.append(GLYPHS[b.zone] if height >= level else " ", style=COLOURS[b.zone])
            line.append(RULE if b.low + 1 in h.thresholds else " ", style="dim")
        lines.append(line)
    lines.append(Text(f"{0:>{label_width}} └" + "─" * (2 * BINS)))
    ticks = [" "] * (2 * BINS + 2)
    for value in sorted({0, 4, *h.thresholds, 12, 16, 20}):
        for i, ch in enumerate(str(value)):
            col = 2 * value + i - (1 if value == 20 else 0)
            if col < len(ticks):
                ticks[col] = ch
    lines.append(Text(" " * (label_width + 2) + "".join(ticks).rstrip()))
    counts = {zone: sum(b.students for b in h.bins if b.zone == zone) for zone in GLYPHS}
    entries = []
    for zone in GLYPHS:
        entry = Text(GLYPHS[zone], style=COLOURS[zone])
        entry.append(" " + zone_label(zone, counts[zone], h.thresholds))
        entries.append(entry)
    if sum(e.cell_len + 2 for e in entries) - 2 <= width:
        lines.append(Text("  ").join(entries))
    else:  # one per line rather than wrapped mid-entry
        lines.extend(entries)
    return Group(*lines)


def _bar(value: Fraction, cells: int, mark: int) -> Text:
    """A bar on a 0–20 scale of `cells` cells, with the `mark` (the pass mark,
    in points) as a column of its own: ┃ when the bar reaches it, │ when not."""
    value = max(Fraction(0), min(value, Fraction(20)))
    at = mark * cells // 20

    def part(points: Fraction, size: int) -> list[str]:
        scaled = points * cells / 20
        full = min(size, int(scaled))
        out = ["█"] * full + (["▌"] if scaled - full >= Fraction(1, 2) and full < size else [])
        return out + ["·"] * (size - len(out))

    if value < mark:
        return Text("".join(part(value, at)) + "│" + "·" * (cells - at))
    return Text("█" * at + "┃" + "".join(part(value - mark, cells - at)))


def unit_chart(bars: Sequence[UnitBar], width: int, rules: Rules) -> Group:
    """One horizontal bar per unit: its class mean against the pass mark (a
    mean below it is never shown at it: the display rule)."""
    d = decimal_separator()
    code_width = max(len(b.code) for b in bars) if bars else 2
    mark = bars[0].threshold if bars else 10
    below = t("chart.below", threshold=mark)
    # code, bar (its cells and the mark), " 10.52", " ▼ below 10": one line
    cells = max(10, min(40, width - code_width - 8 - 3 - len(below))) // 2 * 2
    bar_width = cells + 1
    lines = [Text(t("chart.units_title", threshold=mark), style="bold")]
    for b in bars:
        line = Text(f"{b.code:<{code_width}} ")
        if b.mean is None:
            line.append("·" * bar_width + "   —")
        else:
            line.append_text(_bar(b.mean, cells, b.threshold))
            line.stylize("red" if b.below else "green", code_width + 1)
            line.append(f" {mean_grade_text(b.mean, rules, d):>5}")
            if b.below:
                line.append(" ▼ " + below, style="bold")
        lines.append(line)
    at = mark * cells // 20
    lines.append(Text(" " * (code_width + 1) + f"{0:<{at}}{mark:<{cells - at - 1}}20"))
    return Group(*lines)


def _track(m: Movement, width: int, mark: int) -> Text:
    """A 0–20 strip: ○ the first known average, ● the last, ─ between, │ the pass mark."""
    known = [a for a in m.averages if a is not None]
    cells = ["·"] * width
    cells[mark * (width - 1) // 20] = "│"
    if not known:
        return Text("".join(cells))

    def col(hundredths: Exact) -> int:
        return max(0, min(width - 1, round(Fraction(hundredths, 100) * (width - 1) / 20)))

    first, last = col(known[0]), col(known[-1])
    for c in range(min(first, last) + 1, max(first, last)):
        cells[c] = "─"
    cells[first] = "○"
    cells[last] = "●"
    return Text("".join(cells))


def movement_chart(moves: Sequence[Movement], steps: Sequence[str], width: int, marks: Thresholds, rules: Rules,
                   limit: int | None = None) -> Group:
    """Each student's average from one mock exam to the next."""
    d = decimal_separator()
    lines = [Text(t("chart.moves_title"), style="bold"), Text(" → ".join(steps), style="dim")]
    shown = moves if limit is None else moves[:limit]
    track = 21
    numbers = 6 * len(steps) + 9
    name_width = max(8, min(22, width - track - numbers - 2))
    for m in shown:
        name = (m.name or m.id)
        name = name if len(name) <= name_width else name[: name_width - 1] + "…"
        line = Text(f"{name:<{name_width}} ")
        line.append_text(_track(m, track, marks.admis))
        line.append(" " + " ".join(f"{step_average_text(a, rules, d):>5}" for a in m.averages))
        change = m.change
        if change is not None:
            arrow, style = ("↗", "green") if change > 0 else ("↘", "red") if change < 0 else ("→", "")
            sign = "+" if change > 0 else "−" if change < 0 else "±"
            line.append(f" {arrow} {sign}{format_exact(-change if change < 0 else change, d)}", style=style)
        lines.append(line)
    if limit is not None and len(moves) > limit:
        lines.append(Text(tn("chart.moves_more", len(moves) - limit), style="italic"))
    lines.append(Text(t("chart.moves_legend", threshold=marks.admis), style="dim"))
    return Group(*lines)
