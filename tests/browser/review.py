"""Helpers for the review tests: axe-core on the course's output, colours and focus as the browser computes them."""
from __future__ import annotations

import re

from course.uikit import contrast

SERIOUS = ("serious", "critical")

# The first non-transparent background behind an element, and its own colours and outline.
STYLE_JS = """(el) => {
  const bg = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const s = getComputedStyle(el);
  return {color: s.color, background: bg(el), outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
          outlineColor: s.outlineColor, behind: bg(el.parentElement)};
}"""


def hex_of(rgb: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def colour_contrast(a: str, b: str) -> float:
    return contrast(hex_of(a), hex_of(b))


def axe_serious(page, scope_selector: str) -> list[str]:
    """Serious and critical axe-core violations inside ``scope_selector`` (the course's output areas)."""
    from axe_playwright_python.sync_playwright import Axe

    if page.locator(scope_selector).count() == 0:
        return []
    results = Axe().run(page, context={"include": [[scope_selector]]},
                        options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") not in SERIOUS:
            continue
        for node in violation.get("nodes", []):
            found.append(f"{violation['id']} ({violation['impact']}): {node.get('target')} "
                         f"{node.get('html', '')[:160]}")
    return found


def output_scope(lab, path: str) -> str:
    panel_id = lab.js("const p = findPanel(arg); return p ? p.id : null;", path)
    return f"[id='{panel_id}'] .jp-OutputArea-output"
