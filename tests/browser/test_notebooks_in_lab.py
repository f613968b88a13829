"""Every course notebook, opened in JupyterLab in a real browser and run with Run All.

What a student sees: no cell shows an error, every widget draws, every chart draws (an svg or a
canvas inside .vega-embed), and the page makes no request beyond the local server. The notebooks
are listed from notebooks/ when the tests are collected, so a new notebook is covered at once.
"""
from __future__ import annotations

import re

import pytest

from .helpers import ROOT

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
PARAMS = NOTEBOOKS or [pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ holds no notebook yet"))]

CHART_MIME = re.compile(r"^application/vnd\.vega(lite)?\.v\d+\+json$")
STATIC = ("image/svg+xml", "image/png")
MARKS = ", ".join(f"svg .mark-{m}" for m in ("rect", "symbol", "line", "area", "text", "rule", "arc", "image",
                                             "trail", "shape", "group")) + ", canvas"


def chart_kind(output: dict) -> str | None:
    """'live' for a chart drawn in the page by vega-embed, 'static' for an image, else None."""
    data = output.get("data") or {}
    plain = data.get("text/plain", "")
    plain = "".join(plain) if isinstance(plain, list) else str(plain)
    chart = ("JupyterChart" in plain or plain.startswith("alt.") or any(CHART_MIME.match(k) for k in data)
             or "vegaEmbed" in str(data.get("text/html", "")))
    if not chart:
        return None
    return "static" if any(k in data for k in STATIC) else "live"


def count_in_panel(lab, panel_id: str, selector: str, n: int) -> None:
    lab.page.wait_for_function(
        "([id, selector, n]) => document.getElementById(id).querySelectorAll(selector).length >= n",
        arg=[panel_id, selector, n], timeout=120_000, polling=250)


@pytest.mark.parametrize("notebook", PARAMS, ids=lambda p: p.removeprefix("notebooks/") if p else "none")
def test_notebook_runs_clean_in_jupyterlab(lab, notebook):
    lab.run_clean(notebook)  # no error, every cell run, no traceback or broken widget on the page
    cells = lab.cells(notebook)
    panel = lab.panel(notebook)
    panel_id = panel.get_attribute("id")

    widgets = sum(1 for c in cells for o in c["outputs"]
                  if "application/vnd.jupyter.widget-view+json" in (o.get("data") or {}))
    if widgets:  # every widget view is on the page (a chart is a widget too)
        count_in_panel(lab, panel_id, ".jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output .vega-embed",
                       widgets)

    kinds = [chart_kind(o) for c in cells for o in c["outputs"]]
    live, static = kinds.count("live"), kinds.count("static")
    if live:
        count_in_panel(lab, panel_id, ".jp-OutputArea-output .vega-embed", live)
    if static:
        count_in_panel(lab, panel_id, ".jp-OutputArea-output :is(.jp-RenderedSVG svg, .jp-RenderedImage img)",
                       static)
    embeds = panel.locator(".jp-OutputArea-output .vega-embed")
    for k in range(embeds.count()):
        embed = embeds.nth(k)
        embed.scroll_into_view_if_needed()
        embed.locator("svg, canvas").first.wait_for(state="attached", timeout=120_000)
        # (vega-embed without its action menu draws no .chart-wrapper: the label is on the svg)
        label = embed.locator(".chart-wrapper, svg, canvas").first.get_attribute("aria-label") or f"chart {k + 1}"
        assert embed.locator(MARKS).count() > 0, f"{notebook}: '{label[:80]}' has an svg but nothing drawn in it"
    assert embeds.count() >= live, f"{notebook}: {live} charts made, {embeds.count()} drawn"
    print(f"{notebook}: {len(cells)} code cells, {widgets} widget views, {embeds.count()} charts drawn, "
          f"{static} static charts")
    assert not lab.blocked, f"{notebook}: the page tried to reach the network: {lab.blocked[:5]}"
    assert not lab.page_errors, f"{notebook}: JavaScript errors in the page: {lab.page_errors[:3]}"
