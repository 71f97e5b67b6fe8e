"""The class charts as inline SVG for the HTML report: no script, no external
asset, every number also in a data-* attribute (what the golden tests and
the browser test read) and a text alternative in <title>/<desc>.

Output is deterministic (integer or one-decimal coordinates) so golden files
can pin it. Every text that comes from a sheet goes through `esc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from html import escape

from ..core.charts import BINS, Histogram, Movement, Thresholds, UnitBar
from ..core.model import Rules
from ..core.numbers import format_exact
from ..i18n import decimal_separator, labelled, t, tn
from .common import mean_grade_text, step_average_text, zone_label

#: Zone colours, each at least 4.5:1 against white (WCAG AA for text too).
FILL = {"fail": "#b3261e", "controle": "#8a5300", "pass": "#1b6e3a"}
INK = "#1a1a1a"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: Fraction | int | float) -> str:
    """A coordinate: an integer, else one decimal."""
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return str(int(value))
    return f"{float(value):.1f}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>',
    ]


def histogram_svg(h: Histogram, title: str | None = None) -> str:
    """Bars of students per point of average, the 8 and 10 thresholds dashed."""
    width, height = 640, 270
    left, right, top, bottom = 40, 620, 24, 214
    step = (right - left) // BINS  # 29
    peak = max((b.students for b in h.bins), default=0)
    counts = {zone: sum(b.students for b in h.bins if b.zone == zone) for zone in FILL}
    desc = "; ".join(zone_label(zone, counts[zone], h.thresholds) for zone in FILL)
    title = title or tn("chart.hist_title", h.total)
    out = _open("histogram", width, height, title, desc)
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    for b in h.bins:
        x = left + step * b.low
        if b.students:
            bar = Fraction(b.students * (bottom - top - 14), peak)
            y = bottom - bar
            label = t("chart.bin", low=b.low, high=b.low + 1, count=b.students)
            out.append(
                f'<rect class="bar {b.zone}" data-low="{b.low}" data-students="{b.students}" x="{x + 2}" '
                f'y="{_n(y)}" width="{step - 4}" height="{_n(bar)}" fill="{FILL[b.zone]}"><title>{esc(label)}</title>'
                f'</rect>')
            out.append(f'<text x="{_n(x + Fraction(step, 2))}" y="{_n(y - 4)}" text-anchor="middle" '
                       f'fill="{INK}">{b.students}</text>')
    for value in range(0, 21, 2):
        x = left + step * value
        out.append(f'<text x="{x}" y="{bottom + 16}" text-anchor="middle" fill="{INK}">{value}</text>')
    for value, zone in ((h.thresholds.controle, "controle"), (h.thresholds.admis, "pass")):
        x = left + step * value
        out.append(f'<line class="threshold" data-threshold="{value}" x1="{x}" y1="{top - 10}" x2="{x}" '
                   f'y2="{bottom}" stroke="{INK}" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x + 3}" y="{top - 12}" fill="{FILL[zone]}" font-weight="bold">{value}</text>')
    x = left
    for zone in FILL:
        text = zone_label(zone, counts[zone], h.thresholds)
        out.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{FILL[zone]}"/>')
        out.append(f'<text x="{x + 16}" y="{height - 12}" fill="{INK}">{esc(text)}</text>')
        x += 26 + 7 * len(text)
    out.append("</svg>")
    return "\n".join(out)


def unit_bars_svg(bars: Sequence[UnitBar], rules: Rules) -> str:
    """One bar per unit: its class mean on 0–20, the 10 line across. A mean
    below the line is never shown at it (the display rule)."""
    d = decimal_separator()
    row = 26
    width, height = 640, 40 + row * len(bars) + 24
    left, right, top = 60, 540, 30
    scale = Fraction(right - left, 20)
    desc = "; ".join(labelled(b.code, mean_grade_text(b.mean, rules, d) or "—") for b in bars)
    mark = bars[0].threshold if bars else 10
    out = _open("unit-means", width, height, t("chart.units_title", threshold=mark), desc)
    for i, b in enumerate(bars):
        y = top + row * i
        out.append(f'<text x="10" y="{y + 16}" fill="{INK}" font-weight="bold">{esc(b.code)}</text>')
        out.append(f'<rect x="{left}" y="{y + 4}" width="{right - left}" height="16" fill="#eeeeee"/>')
        if b.mean is not None:
            zone = "fail" if b.below else "pass"
            length = min(b.mean, Fraction(20)) * scale
            mean = mean_grade_text(b.mean, rules, d)
            out.append(f'<rect class="mean {zone}" data-unit="{esc(b.code)}" '
                       f'data-mean="{esc(mean_grade_text(b.mean, rules, "."))}" '
                       f'data-graded="{b.graded}" x="{left}" y="{y + 4}" width="{_n(length)}" height="16" '
                       f'fill="{FILL[zone]}"><title>{esc(labelled(f"{b.code} {b.name}", mean))}'
                       f'</title></rect>')
            shown = mean + (" ▼" if b.below else "")
            out.append(f'<text x="{right + 8}" y="{y + 16}" fill="{INK}">{esc(shown)}</text>')
        else:
            out.append(f'<text x="{right + 8}" y="{y + 16}" fill="{INK}">—</text>')
    bottom = top + row * len(bars)
    x_mark = left + mark * scale
    out.append(f'<line class="threshold" data-threshold="{mark}" x1="{_n(x_mark)}" y1="{top - 6}" '
               f'x2="{_n(x_mark)}" y2="{bottom}" stroke="{INK}" stroke-width="2"/>')
    for value in sorted({0, 5, mark, 15, 20}):
        x = left + value * scale
        out.append(f'<text x="{_n(x)}" y="{bottom + 16}" text-anchor="middle" fill="{INK}">{value}</text>')
    out.append("</svg>")
    return "\n".join(out)


def movement_svg(moves: Sequence[Movement], steps: Sequence[str], marks: Thresholds, rules: Rules) -> str:
    """Each student's average at each step on a 0–20 line: ○ first, ● latest."""
    d = decimal_separator()
    row = 20
    width, height = 640, 44 + row * len(moves) + 20
    left, right, top = 190, 600, 34
    scale = Fraction(right - left, 20)
    out = _open("movement", width, height, t("chart.moves_title"), _movement_desc(moves, steps))
    for tick in sorted({0, 5, *marks, 15, 20}):
        x = left + tick * scale
        style = f'stroke="{INK}" stroke-dasharray="4 3"' if tick in marks else 'stroke="#bbbbbb"'
        out.append(f'<line x1="{_n(x)}" y1="{top - 8}" x2="{_n(x)}" y2="{top + row * len(moves)}" {style}/>')
        out.append(f'<text x="{_n(x)}" y="{top - 12}" text-anchor="middle" fill="{INK}">{tick}</text>')
    for i, m in enumerate(moves):
        y = top + row * i + row // 2
        name = m.name or m.id
        name = name if len(name) <= 26 else name[:25] + "…"
        known = [(j, a) for j, a in enumerate(m.averages) if a is not None]
        data = " ".join(step_average_text(a, rules, ".", "") for a in m.averages)
        texts = " → ".join(step_average_text(a, rules, d) for a in m.averages)
        out.append(f'<g class="student" data-id="{esc(m.id)}" data-averages="{data}">'
                   f'<title>{esc(labelled(m.name or m.id, texts))}</title>')
        out.append(f'<text x="10" y="{y + 4}" fill="{INK}">{esc(name)}</text>')
        xs = [left + Fraction(a, 100) * scale for _, a in known]
        xs = [min(max(x, Fraction(left)), Fraction(right)) for x in xs]
        if len(xs) > 1:
            points = " ".join(f"{_n(x)},{y}" for x in xs)
            out.append(f'<polyline points="{points}" fill="none" stroke="#555555" stroke-width="1.5"/>')
        for k, x in enumerate(xs):
            filled = k == len(xs) - 1
            out.append(f'<circle cx="{_n(x)}" cy="{y}" r="4" fill="{INK if filled else "#ffffff"}" stroke="{INK}"/>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _movement_desc(moves: Sequence[Movement], steps: Sequence[str]) -> str:
    """The chart in words: how many went up or down, and the largest moves."""
    d = decimal_separator()
    changes = [(m.change, m) for m in moves if m.change is not None]
    up = sum(1 for c, _ in changes if c > 0)
    down = sum(1 for c, _ in changes if c < 0)
    text = " → ".join(steps) + ". " + t("chart.moves_desc", up=up, down=down, same=len(changes) - up - down)
    if changes:
        rise, riser = max(changes, key=lambda cm: cm[0])
        fall, faller = min(changes, key=lambda cm: cm[0])
        if rise > 0:
            text += " " + t("chart.moves_rise", name=riser.name or riser.id, change=format_exact(rise, d))
        if fall < 0:
            text += " " + t("chart.moves_fall", name=faller.name or faller.id, change=format_exact(-fall, d))
    return text
