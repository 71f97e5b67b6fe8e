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

from ..charts import ADMIS_FROM, BINS, CONTROLE_FROM, Histogram, Movement, UnitBar
from ..i18n import decimal_separator, t
from ..numbers import format_hundredths, format_points

#: Bars of the histogram, by zone: the glyph alone tells the zone apart.
GLYPHS = {"fail": "░", "controle": "▒", "pass": "█"}
COLOURS = {"fail": "red", "controle": "yellow", "pass": "green"}
ZONE_KEYS = {"fail": "chart.zone_fail", "controle": "chart.zone_controle", "pass": "chart.zone_pass"}
RULE = "┊"
HEIGHT = 8


def histogram_chart(h: Histogram, width: int = 80, projected: bool = False) -> Group:
    """Vertical bars, one per point of average, 2 columns each (42 + axis)."""
    peak = max((b.students for b in h.bins), default=0)
    rows = min(HEIGHT, peak) or 1
    label_width = len(str(peak))
    title = t("chart.hist_projected", count=h.total) if projected else t("chart.hist_title", count=h.total)
    lines = [Text(title, style="bold")]
    for level in range(rows, 0, -1):
        # A bar reaches this row if it is at least this tall once scaled;
        # any student at all shows at least one row.
        line = Text(f"{peak if level == rows else '':>{label_width}} │")
        for b in h.bins:
            height = 0 if not b.students else max(1, (2 * b.students * rows + peak) // (2 * peak))
            line.append(GLYPHS[b.zone] if height >= level else " ", style=COLOURS[b.zone])
            line.append(RULE if b.low + 1 in (CONTROLE_FROM, ADMIS_FROM) else " ", style="dim")
        lines.append(line)
    lines.append(Text(f"{0:>{label_width}} └" + "─" * (2 * BINS)))
    ticks = [" "] * (2 * BINS + 2)
    for value in (0, 4, CONTROLE_FROM, ADMIS_FROM, 12, 16, 20):
        for i, ch in enumerate(str(value)):
            col = 2 * value + i - (1 if value == 20 else 0)
            if col < len(ticks):
                ticks[col] = ch
    lines.append(Text(" " * (label_width + 2) + "".join(ticks).rstrip()))
    counts = {zone: sum(b.students for b in h.bins if b.zone == zone) for zone in GLYPHS}
    entries = []
    for zone in GLYPHS:
        entry = Text(GLYPHS[zone], style=COLOURS[zone])
        entry.append(" " + t(ZONE_KEYS[zone], count=counts[zone]))
        entries.append(entry)
    if sum(e.cell_len + 2 for e in entries) - 2 <= width:
        lines.append(Text("  ").join(entries))
    else:  # one per line rather than wrapped mid-entry
        lines.extend(entries)
    return Group(*lines)


def _bar(value: Fraction, width: int) -> Text:
    """A bar on a 0–20 scale: `width` cells for 0–10, the 10 mark, `width`
    cells for 10–20. The mark is ┃ when the bar reaches 10, │ when it does not."""
    value = max(Fraction(0), min(value, Fraction(20)))

    def half(part: Fraction) -> list[str]:  # part in [0, 10]
        scaled = part * width / 10
        full = int(scaled)
        cells = ["█"] * full + (["▌"] if scaled - full >= Fraction(1, 2) and full < width else [])
        return cells + ["·"] * (width - len(cells))

    if value < ADMIS_FROM:
        return Text("".join(half(value)) + "│" + "·" * width)
    return Text("█" * width + "┃" + "".join(half(value - ADMIS_FROM)))


def unit_chart(bars: Sequence[UnitBar], width: int) -> Group:
    """One horizontal bar per unit: its class mean against 10."""
    d = decimal_separator()
    code_width = max(len(b.code) for b in bars) if bars else 2
    # code, bar (two halves and the mark), " 10.52", " ▼ below 10": one line
    half_width = max(5, min(20, (width - code_width - 8 - 3 - len(t("chart.below_ten"))) // 2))
    bar_width = 2 * half_width + 1
    lines = [Text(t("chart.units_title"), style="bold")]
    for b in bars:
        line = Text(f"{b.code:<{code_width}} ")
        if b.mean is None:
            line.append("·" * bar_width + "   —")
        else:
            line.append_text(_bar(b.mean, half_width))
            line.stylize("red" if b.below else "green", code_width + 1)
            line.append(f" {format_points(b.mean, d):>5}")
            if b.below:
                line.append(" ▼ " + t("chart.below_ten"), style="bold")
        lines.append(line)
    lines.append(Text(" " * (code_width + 1) + "0" + " " * (half_width - 1) + "10" + " " * (half_width - 3) + "20"))
    return Group(*lines)


def _track(m: Movement, width: int) -> Text:
    """A 0–20 strip: ○ the first known average, ● the last, ─ between."""
    known = [a for a in m.averages if a is not None]
    cells = ["·"] * width
    cells[width // 2] = "│"
    if not known:
        return Text("".join(cells))

    def col(hundredths: int) -> int:
        return max(0, min(width - 1, round(Fraction(hundredths, 100) * (width - 1) / 20)))

    first, last = col(known[0]), col(known[-1])
    for c in range(min(first, last) + 1, max(first, last)):
        cells[c] = "─"
    cells[first] = "○"
    cells[last] = "●"
    return Text("".join(cells))


def movement_chart(moves: Sequence[Movement], steps: Sequence[str], width: int, limit: int | None = None) -> Group:
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
        line.append_text(_track(m, track))
        line.append(" " + " ".join(f"{format_hundredths(a, d) if a is not None else '—':>5}" for a in m.averages))
        change = m.change
        if change is not None:
            arrow, style = ("↗", "green") if change > 0 else ("↘", "red") if change < 0 else ("→", "")
            sign = "+" if change > 0 else "−" if change < 0 else "±"
            line.append(f" {arrow} {sign}{format_hundredths(abs(change), d)}", style=style)
        lines.append(line)
    if limit is not None and len(moves) > limit:
        lines.append(Text(t("chart.moves_more", count=len(moves) - limit), style="italic"))
    lines.append(Text(t("chart.moves_legend"), style="dim"))
    return Group(*lines)
