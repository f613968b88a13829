"""Charts draw offline from the bundle that ships with the course; vl-convert is not needed to take it."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import altair as alt
import pytest
from IPython.core.formatters import MimeBundleFormatter

import course
from course import charts, static

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_bundle_is_made_for_the_installed_altair_and_is_a_self_contained_module():
    text = charts.BUNDLE.read_text(encoding="utf-8")
    head = text[:2000]
    assert f"altair=={alt.__version__} " in head
    assert f"vega-lite=={alt.SCHEMA_VERSION.lstrip('v')} " in head
    assert "BSD-3-Clause" in head and (charts.BUNDLE.parent / "THIRD_PARTY_LICENSES.md").exists()
    assert len(text) > 500_000  # Vega, Vega-Lite and vega-embed, minified
    assert "export{__default as default}" in text  # anywidget's module: a default export with render()
    body = text[head.index("*/") + 2:].lstrip()
    assert not body.startswith("import") and "cdn.jsdelivr" not in text


@pytest.mark.skipif(importlib.util.find_spec("vl_convert") is None, reason="the site/test extra brings vl-convert")
def test_the_bundle_is_what_the_build_script_makes_from_the_pins():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_chart_bundle
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert build_chart_bundle.build() == charts.BUNDLE.read_text(encoding="utf-8"), \
        "run tools/build_chart_bundle.py after changing the Altair or vl-convert pin"


def _chart():
    return charts.agreement_chart(__import__("pandas").DataFrame(
        {"code": ["A", "B"], "label_da": ["Anker", "Greb"], "kappa": [0.5, 0.2], "f1": [0.6, 0.4],
         "prevalence": [0.3, 0.1], "n": [10, 10]}), lang="da")


def test_a_chart_is_shown_as_an_offline_widget_that_keeps_its_alt_text(monkeypatch):
    formatter = MimeBundleFormatter()
    monkeypatch.setattr(charts, "_formatter", lambda: formatter)
    made = []
    original = charts.chart_widget
    monkeypatch.setattr(charts, "chart_widget", lambda c, **kw: made.append(original(c, **kw)) or made[-1])
    course.setup()
    chart = _chart()
    data = formatter(chart)
    data = data[0] if isinstance(data, tuple) else data
    assert WIDGET_VIEW in data, "the chart is displayed as a chart widget, not through Altair's renderer"
    [widget] = made
    assert data[WIDGET_VIEW]["model_id"] == widget.model_id
    assert "course.charts.CourseJupyterChart object" in data["text/plain"]  # the browser test's chart_kind
    assert isinstance(widget, alt.JupyterChart) and widget._esm == charts.BUNDLE.read_text(encoding="utf-8")
    assert widget.spec["description"] == charts.alt_text(chart) != ""  # vega-embed: aria-label
    assert widget.embed_options == {"actions": False}
    assert not alt.JupyterChart._is_offline, "Altair's own class is left as it is"
    charts.enable_offline("svg") if importlib.util.find_spec("vl_convert") else charts.show_as_widgets(False)
    data = formatter(chart)
    assert WIDGET_VIEW not in (data[0] if isinstance(data, tuple) else data)  # Altair's svg renderer
    course.setup()


def test_the_renderer_fallback_also_gives_the_offline_widget():
    course.setup()
    bundle = alt.renderers.get()(_chart().to_dict())
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert WIDGET_VIEW in data


def test_the_interactive_course_runs_without_vl_convert():
    code = ("import sys; sys.modules['vl_convert'] = None\n"
            "import course, altair as alt; from course import charts\n"
            "course.setup()\n"
            "w = charts.chart_widget(alt.Chart(alt.Data(values=[{'x': 1}])).mark_point().encode(x='x:Q'))\n"
            "print(type(w).__name__, len(w._esm) > 500000)\n"
            "try:\n    course.setup(renderer='svg')\nexcept ImportError as e:\n    print('svg:', e)\n"
            "try:\n    course.static.svg_html(alt.Chart().mark_point())\nexcept ImportError as e:\n    print('static:', e)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert lines[0] == "CourseJupyterChart True"
    assert lines[1].startswith("svg: course.setup(renderer='svg'): Statiske diagrammer") and "vl-convert-python" in lines[1]
    assert lines[2].startswith("static: course.static:") and "pip install" in lines[2]


def test_static_output_still_draws_svg_with_alt_text(monkeypatch):
    pytest.importorskip("vl_convert")
    monkeypatch.setenv(static.ENV_VAR, "1")
    course.setup()
    try:
        html = static.svg_html(_chart())
        assert html.startswith('<figure class="course-chart"><svg role="img" aria-label="Søjlediagram')
    finally:
        monkeypatch.delenv(static.ENV_VAR)
        course.setup()
