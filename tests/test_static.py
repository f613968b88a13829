"""course.static: the website's static charts (inline SVG with the alt text) and the widget box."""
from __future__ import annotations

import altair as alt
import pytest

import course
from course import static


@pytest.fixture
def restore_renderer():
    before, options = alt.renderers.active, dict(alt.renderers.options or {})
    yield
    alt.renderers.enable(before, **options)  # with its embed options (e.g. no action menu)


def test_svg_html_carries_the_alt_text(corpus):
    chart = course.timeline.timeline_chart(corpus, "police")
    markup = static.svg_html(chart)
    alt_text = course.charts.alt_text(chart)
    assert alt_text
    assert markup.startswith('<figure class="course-chart"><svg role="img" aria-label="')
    assert f"<title>{alt_text}</title>" in markup
    assert "<script" not in markup and "https://" not in markup.replace("http://www.w3.org", "")
    assert markup.count('aria-hidden="true"') >= 1


def test_alt_text_is_escaped_in_the_label():
    markup = static._label('<svg xmlns="http://www.w3.org/2000/svg"><g></g></svg>', 'a "quoted" <b>text</b>')
    assert 'aria-label="a &quot;quoted&quot; &lt;b&gt;text&lt;/b&gt;"' in markup
    assert "<b>" not in markup


def test_setup_selects_the_static_renderer_only_when_asked(monkeypatch, restore_renderer):
    monkeypatch.delenv(static.ENV_VAR, raising=False)
    course.setup()
    assert alt.renderers.active == course.charts.RENDERER  # interactive, offline
    monkeypatch.setenv(static.ENV_VAR, "1")
    course.setup()
    assert alt.renderers.active == static.RENDERER
    bundle = static._render_chart({"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
                                   "description": "Tre søjler", "data": {"values": [{"x": 1}, {"x": 2}]},
                                   "mark": "bar", "encoding": {"x": {"field": "x", "type": "ordinal"}}})
    assert set(bundle) == {"text/html", "text/plain"}
    assert 'aria-label="Tre søjler"' in bundle["text/html"] and bundle["text/plain"] == "Tre søjler"


def test_widget_box_names_the_widget_and_has_launch_placeholders(work_dir):
    coder = course.ExcerptCoder(case="police")
    box = static.widget_box(coder)
    assert "Åbn i JupyterLab for at kode uddragene" in box
    assert "koder artiklens uddrag" in box
    assert 'href="#launch-binder"' in box and 'href="#launch-hub"' in box
    english = static.widget_box(course.MoveClassifier(case="police", lang="en"))
    assert "Open in JupyterLab to classify the moves" in english and "classifying leadership moves" in english


def test_widgets_get_the_box_as_html_in_a_static_kernel(monkeypatch, work_dir, restore_renderer):
    """In IPython, a widget's display gains the box as text/html (what the website shows)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        monkeypatch.setenv(static.ENV_VAR, "1")
        course.setup()
        data, _ = shell.display_formatter.format(course.ExcerptCoder(case="workshop"))
        assert "application/vnd.jupyter.widget-view+json" in data
        assert "course-widget-box" in data["text/html"]
    finally:
        InteractiveShell.clear_instance()
