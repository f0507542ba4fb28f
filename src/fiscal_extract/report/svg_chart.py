"""Bar charts as inline SVG, drawn on the server: no script, no chart library, nothing fetched."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR = 11
GAP = 7
TOP = 26
PLOT = 420


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: list[float | None]
    """One value in [0, 1] per label (``None``: not applicable, no bar)."""


def _text_width(s: str, size: float = 12) -> float:
    wide = sum(1 for ch in s if unicodedata.east_asian_width(ch) in "WF")
    return (len(s) - wide) * size * 0.6 + wide * size * 1.05


def bar_chart(title: str, labels: list[str], series: list[Series]) -> Markup:
    """Horizontal grouped bars, 0-100 %, one group per label, the value printed at each bar's end."""
    left = max([_text_width(x) for x in labels] + [60]) + 14
    group = len(series) * BAR + GAP
    height = TOP + len(labels) * group + 24
    width = left + PLOT + 60
    out = [
        f'<svg class="chart" role="img" width="{width:.0f}" height="{height}" '
        f'viewBox="0 0 {width:.0f} {height}"><title>{escape(title)}</title>'
    ]
    x = left
    for s in series:
        out.append(f'<rect x="{x:.0f}" y="6" width="10" height="10" fill="{escape(s.color)}"/>')
        out.append(f'<text x="{x + 14:.0f}" y="15" class="legend">{escape(s.name)}</text>')
        x += 24 + _text_width(s.name)
    bottom = TOP + len(labels) * group
    for pct in (0, 25, 50, 75, 100):
        gx = left + PLOT * pct / 100
        out.append(f'<line x1="{gx:.1f}" y1="{TOP - 4}" x2="{gx:.1f}" y2="{bottom}" class="grid"/>')
        out.append(f'<text x="{gx:.1f}" y="{bottom + 14}" class="axis" text-anchor="middle">{pct}%</text>')
    for i, label in enumerate(labels):
        y = TOP + i * group
        out.append(
            f'<text x="{left - 8:.0f}" y="{y + group / 2:.1f}" class="label" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
        for k, s in enumerate(series):
            v = s.values[i]
            by = y + k * BAR
            if v is None:
                continue
            w = max(PLOT * min(max(v, 0.0), 1.0), 0.5)
            tip = f"{label} — {s.name}: {v * 100:.1f}%"
            out.append(
                f'<rect class="bar" x="{left:.0f}" y="{by}" width="{w:.1f}" height="{BAR - 2}" '
                f'fill="{escape(s.color)}"><title>{escape(tip)}</title></rect>'
            )
            out.append(
                f'<text x="{left + w + 4:.1f}" y="{by + BAR / 2:.1f}" class="value" '
                f'dominant-baseline="middle">{v * 100:.1f}%</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))
