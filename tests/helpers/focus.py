"""The focus indicator as the browser draws it (issue 22, WCAG 1.4.11): for every focusable element
of a page, focus it and read the computed outline, then sample what lies under the ring on each of
its four sides (document.elementsFromPoint, outside the element) and that point's own background.
The ring must be drawn, at least 2 px wide, and at least 3:1 against every background found."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"

_PROBE = """(selector) => {
  const opaque = (c) => c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c);
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (opaque(c)) return c;
    }
    return 'rgb(255, 255, 255)';  // the canvas
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.hp')) continue;  // the honeypot is out of reach on purpose
    el.scrollIntoView({block: 'center', inline: 'center'});
    el.focus();
    if (document.activeElement !== el) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) { el.blur(); continue; }
    const s = getComputedStyle(el);
    const d = (parseFloat(s.outlineOffset) || 0) + (parseFloat(s.outlineWidth) || 0) / 2;
    const points = [[r.left + r.width / 2, r.top - d], [r.left + r.width / 2, r.bottom + d],
                    [r.left - d, r.top + r.height / 2], [r.right + d, r.top + r.height / 2]];
    const behind = [];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const under = document.elementsFromPoint(x, y).find((e) => e !== el && !el.contains(e));
      behind.push(under ? bgOf(under) : 'rgb(255, 255, 255)');
    }
    const name = el.id || el.getAttribute('name') || (el.textContent || '').trim().slice(0, 30);
    out.push({element: el.tagName.toLowerCase() + ' ' + name, style: s.outlineStyle,
              width: parseFloat(s.outlineWidth) || 0, color: s.outlineColor, behind});
    el.blur();
  }
  return out;
}"""


@dataclass(frozen=True)
class Ring:
    element: str
    style: str
    width: float
    color: str
    behind: tuple[str, ...]

    @property
    def contrast(self) -> float:
        """The lowest contrast of the ring against what lies under it."""
        return min((contrast(self.color, b) for b in self.behind), default=0.0)


def rgb(css: str) -> tuple[float, float, float]:
    parts = re.findall(r"[\d.]+", css)
    if len(parts) < 3:
        raise ValueError(f"not an rgb() colour: {css}")
    r, g, b = (float(p) for p in parts[:3])
    return r, g, b


def hex_rgb(value: str) -> tuple[float, float, float]:
    v = value.lstrip("#")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str | tuple[float, float, float], b: str | tuple[float, float, float]) -> float:
    la, lb = (luminance(rgb(c) if isinstance(c, str) else c) for c in (a, b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def focus_rings(page: Page) -> list[Ring]:
    rows = page.evaluate(_PROBE, FOCUSABLE)
    return [
        Ring(r["element"], r["style"], r["width"], r["color"], tuple(r["behind"])) for r in rows
    ]


def weak_rings(page: Page, minimum: float = 3.0) -> list[str]:
    """Every focusable element whose ring is missing, thin or below `minimum`:1 somewhere."""
    rings = focus_rings(page)
    assert rings, "no focusable element found"
    return [
        f"{r.element}: {r.style} {r.width}px {r.color} on {set(r.behind)} = {r.contrast:.2f}:1"
        for r in rings
        if r.style == "none" or r.width < 2 or not r.behind or r.contrast < minimum
    ]
