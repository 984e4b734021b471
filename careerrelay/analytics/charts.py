"""Small server-rendered SVG charts (no script, no external assets; strict CSP allows them).

Each chart carries a <title> and <desc> for screen readers; the page also shows the numbers
as a table. Text is escaped; labels come from our own data and the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 240, 40


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None


def line_chart(points: list[Point], *, key: str, title: str, description: str, percent: bool = False) -> SafeString:
    known = [p.value for p in points if p.value is not None]
    top = max(known, default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD)

    path = " ".join(
        f"{'M' if index == 0 else 'L'}{PAD + index * step:.1f},{y(p.value):.1f}"
        for index, p in enumerate(points)
        if p.value is not None
    )
    dots = "".join(
        f'<circle cx="{PAD + i * step:.1f}" cy="{y(p.value):.1f}" r="3"><title>{escape(p.label)}: '
        f"{_fmt(p.value, percent)}</title></circle>"
        for i, p in enumerate(points)
        if p.value is not None
    )
    ticks = "".join(
        f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - PAD + 16}" text-anchor="middle" class="tick">'
        f"{escape(p.label)}</text>"
        for i, p in enumerate(points)
        if len(points) <= 12 or i % max(len(points) // 12, 1) == 0
    )
    axis = (
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>'
        f'<text x="{PAD - 6}" y="{PAD}" text-anchor="end" class="tick">{_fmt(top, percent)}</text>'
        f'<text x="{PAD - 6}" y="{HEIGHT - PAD}" text-anchor="end" class="tick">0</text>'
    )
    return _svg(key, title, description, axis + f'<path d="{path}" class="series"/>' + dots + ticks)


def bar_chart(bars: list[Point], *, key: str, title: str, description: str, percent: bool = False) -> SafeString:
    top = max((b.value or 0 for b in bars), default=0) or 1
    row = (HEIGHT - 2 * PAD) / max(len(bars), 1)
    label_width = 150
    body = ""
    for index, bar in enumerate(bars):
        width = (bar.value or 0) / top * (WIDTH - PAD - label_width - 60)
        y = PAD + index * row
        body += (
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" class="tick">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{label_width}" y="{y + 4:.1f}" width="{width:.1f}" '
            f'height="{max(row - 8, 4):.1f}" class="bar">'
            f"<title>{escape(bar.label)}: {_fmt(bar.value, percent)}</title></rect>"
            f'<text x="{label_width + width + 6:.1f}" y="{y + row / 2 + 4:.1f}" class="tick">'
            f"{_fmt(bar.value, percent)}</text>"
        )
    return _svg(key, title, description, body)


def _fmt(value: float | None, percent: bool) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if percent else f"{value:,.0f}"


def _svg(key: str, title: str, description: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every piece of text above is escaped
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{key}-t {key}-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{key}-t">{escape(title)}</title>'
        f'<desc id="{key}-d">{escape(description)}</desc>{body}</svg>'
    )
