"""Charts drawn on the server as inline SVG: no chart library, no JavaScript, readable by
screen readers through ``role="img"`` + a title, and always shown beside a table with the
same numbers (the table is the accessible version; the chart is decoration on top)."""
from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = "#b4121b"
TEXT = "#1b1f23"
MUTED = "#57606a"


def _fmt(value) -> str:
    """In the page's language: 1.234 and 83,3 in Indonesian, 1,234 and 83.3 in English."""
    if isinstance(value, float):
        return number_format(value, 1)
    return number_format(value, force_grouping=True)


def bar_chart(rows, *, title: str, limit: int = 12, suffix: str = "", max_value=None) -> str:
    """Horizontal bars: ``rows`` are (label, value) pairs. Returns safe SVG markup."""
    rows = [(str(label), value or 0) for label, value in rows][:limit]
    if not rows:
        return ""
    top = max_value or max(v for _l, v in rows) or 1
    # Labels of up to 26 characters fit in label_w at 12px, wide letters included (28 ran
    # off the left edge: "…erjaan Umum dan Penataan…").
    label_w, bar_w, row_h, pad = 200, 260, 26, 6
    width, height = label_w + bar_w + 70, row_h * len(rows) + pad * 2
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        w = max(1, round(bar_w * value / top)) if value else 0
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12" fill="{TEXT}">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{BAR}" rx="2"/>'
            f'<text x="{label_w + w + 5}" y="{y + 17}" font-size="12" fill="{TEXT}">{_fmt(value)}{escape(suffix)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(rows, *, title: str) -> str:
    """Vertical columns over time: ``rows`` are (label, value) pairs in order."""
    rows = [(str(label), value or 0) for label, value in rows]
    if not rows:
        return ""
    top = max(v for _l, v in rows) or 1
    col_w, plot_h, base = 36, 160, 190
    width = max(320, col_w * len(rows) + 20)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {base + 30}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{MUTED}"/>',
    ]
    for i, (label, value) in enumerate(rows):
        x = 14 + i * col_w
        h = round(plot_h * value / top) if value else 0
        parts.append(
            f'<rect x="{x}" y="{base - h}" width="{col_w - 10}" height="{h}" fill="{BAR}" rx="2"/>'
            f'<text x="{x + (col_w - 10) / 2}" y="{base - h - 4}" text-anchor="middle" font-size="11" fill="{TEXT}">{_fmt(value)}</text>'
            f'<text x="{x + (col_w - 10) / 2}" y="{base + 14}" text-anchor="middle" font-size="9" fill="{MUTED}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
