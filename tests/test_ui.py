"""What students and lecturers see (issue 14), checked on the plain-Python widgets and helpers.

The browser tests (tests/browser/test_review.py) check the same in JupyterLab; these check the logic.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from course import classroom, display, dotvote, i18n, uikit
from course import store as st
from course.charts import alt_text
from course.widgets import ALL, ExcerptCoder, MoveClassifier, agreement_level


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "work"


@pytest.fixture(autouse=True)
def fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


# -- 15: contrast of every colour pair the widgets use ---------------------------------------------
@pytest.mark.parametrize("kind, fg, bg, what", uikit.COLOURS, ids=[c[3] for c in uikit.COLOURS])
def test_every_colour_pair_has_enough_contrast(kind, fg, bg, what):
    need = 4.5 if kind == "text" else 3.0
    assert uikit.contrast(fg, bg) >= need, f"{what}: {fg} on {bg} is {uikit.contrast(fg, bg):.2f}:1, needs {need}:1"


def test_contrast_formula_matches_known_values():
    assert uikit.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert uikit.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    # the two the review measured: JupyterLab's info button and the accordion title
    assert uikit.contrast("#FFFFFF", "#0097A7") < 4.5


def listed_colours() -> set[str]:
    return {c.upper() for _, fg, bg, _ in uikit.COLOURS for c in (fg, bg)}


def test_the_colours_in_the_widgets_output_are_all_listed(folder):
    """Every colour the widgets write into their HTML and CSS is in a checked pair."""
    coder = ExcerptCoder(student="Ro", case="police", folder=folder)
    coder.boxes["HOFF_DESIGN"].value = True
    coder.compare_button.click()
    clf = MoveClassifier(student="Ro", case="police", folder=folder)
    clf.choose(clf.model.move["reference_class"])
    clf.answer_button.click()
    html = uikit.CSS + coder.card.value + coder.feedback.value + clf.card.value + clf.feedback.value
    html += display.quote("pol-q01", lang="da")._repr_html_()
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", html)}
    assert used and used <= listed_colours(), used - listed_colours()


def test_class_view_band_colours_are_readable():
    for band, colour in classroom.BAND_COLOURS.items():
        assert uikit.contrast(colour, "#F7F7F7") >= 4.5, band
        assert uikit.contrast(colour, "#FFFFFF") >= 4.5, band


# -- 1: one download button, always the current save ------------------------------------------------
def test_download_sends_the_bytes_of_the_moment_to_the_browser(folder):
    coder = ExcerptCoder(student="Bo", folder=folder)
    sent = []
    coder.savebar.download_button.send = lambda content, buffers=None: sent.append((content, buffers))
    coder.boxes["DEM_EQUAL"].value = True
    coder.savebar.download_button._on_message(None, {"type": "download", "request": "r1"}, [])
    coder.boxes["DEM_ACCESS"].value = True
    coder.savebar.download_button._on_message(None, {"type": "download", "request": "r2"}, [])
    (first, [data1]), (second, [data2]) = sent
    assert first["request"] == "r1" and second["request"] == "r2"  # each view downloads only its own
    assert first["filename"].endswith(".json") and first["mime"] == "application/json"
    first_id = coder.model.excerpt_id
    assert json.loads(data1)["coding"][first_id]["first"] == ["DEM_EQUAL"]
    assert json.loads(data2)["coding"][first_id]["first"] == ["DEM_ACCESS", "DEM_EQUAL"]


# -- 2: retry does not give the answer away ----------------------------------------------------------
def test_retry_hides_the_classification_until_answered_again(folder):
    clf = MoveClassifier(student="Cy", case="police", folder=folder)
    wrong = {}
    for _ in range(2):
        move = clf.model.move
        answer = next(c for c in clf.model.classes
                      if clf.model.judge(move["id"], c).result == "wrong")
        wrong[move["id"]] = answer
        clf.choose(answer)
        clf.answer_button.click()
        clf.next_button.click()
    clf.retry_button.click()
    assert clf.model.retrying and clf.model.ids == list(wrong)
    assert "Kursets klassifikation:" not in clf.feedback.value  # the classification stays hidden
    assert "Ny runde" in clf.feedback.value
    assert "0 rigtige, 0 delvis, 0 forkerte af 0 besvarede (2 i alt)" in clf.score.value
    assert "besvaret alle" not in clf.score.value and "svaret på alle" not in clf.score.value
    clf.choose(clf.model.move["reference_class"])
    clf.answer_button.click()
    assert "Rigtigt" in clf.feedback.value
    assert "1 rigtige, 0 delvis, 0 forkerte af 1 besvarede (2 i alt)" in clf.score.value
    clf.next_button.click()
    assert clf.feedback.value == ""  # the second retried move: still hidden
    clf.all_button.click()
    assert not clf.model.retrying and len(clf.model.ids) > 2


# -- 3: summaries follow the notebook's case ---------------------------------------------------------
def test_summaries_follow_the_case_of_the_widget(folder):
    police = ExcerptCoder(student="Di", case="police", folder=folder)
    for code_id in ("HOFF_DESIGN", "DIL_EARLY"):
        police.boxes[code_id].value = True
    pclf = MoveClassifier(student="Di", case="police", folder=folder)
    pclf.choose(pclf.model.move["reference_class"])
    pclf.answer_button.click()
    assert len(police.summary()) > 0 and int(police.agreement()["n"].max()) == 1
    workshop = ExcerptCoder(student="Di", case="workshop", folder=folder)
    assert workshop.summary().empty
    assert int(workshop.agreement()["n"].max()) == 0
    assert "Du har ikke kodet" in alt_text(workshop.agreement_chart()) or workshop.agreement()["n"].max() == 0
    wclf = MoveClassifier(student="Di", case="workshop", folder=folder)
    assert wclf.answers().empty and not pclf.answers().empty
    everything = ExcerptCoder(student="Di", folder=folder)  # no case: all cases
    assert len(everything.summary()) == len(police.summary())


# -- 4: no NaN chart before an answer, "Alle cases" in the dropdown ----------------------------------
def test_confusion_chart_before_any_answer_says_what_to_do(folder):
    clf = MoveClassifier(student="Ea", folder=folder)
    chart = clf.confusion_chart()
    spec = json.dumps(chart.to_dict())
    assert "NaN" not in spec and "ikke svaret" in alt_text(chart)
    assert clf.case.value == ALL and clf.case.label == "Alle cases"
    coder = ExcerptCoder(student="Ea", folder=folder)
    assert coder.case.label == "Alle cases"
    coder.case.value = "workshop"
    assert coder.model.case == "workshop"
    coder.case.value = ALL
    assert coder.model.case is None


# -- 5: resume where the student was; the notice does not go stale ----------------------------------
def test_coder_resumes_at_first_uncoded_and_the_restored_notice_goes_when_work_changes(folder):
    coder = ExcerptCoder(student="Fi", case="police", folder=folder)
    for _ in range(3):
        coder.boxes["HOFF_DESIGN"].value = True
        coder.next_button.click()
    st.flush_all()  # as the kernel's exit does
    st._OPEN.clear()
    again = ExcerptCoder(student="Fi", case="police", folder=folder)
    assert again.model.index == 3 and again.position.value.startswith("4 /")
    assert "hentet" in again.notice.value and "fortsætter" in again.notice.value
    again.boxes["DIL_EARLY"].value = True
    assert "hentet" not in again.notice.value
    clf = MoveClassifier(student="Fi", case="police", folder=folder)
    assert clf.model.index == 0  # no moves answered: the first
    assert "hentet" in clf.notice.value
    clf.choose(clf.model.move["reference_class"])
    clf.answer_button.click()
    assert "hentet" not in clf.notice.value
    st.flush_all()
    st._OPEN.clear()
    assert MoveClassifier(student="Fi", case="police", folder=folder).model.index == 1


# -- 6: all codes visible, definitions expandable -----------------------------------------------------
def test_codebook_shows_every_code_without_an_inner_scroll(folder):
    coder = ExcerptCoder(student="Gu", folder=folder)
    layout = coder.codebook_box.layout
    assert layout.max_height is None and layout.overflow is None
    html = " ".join(child.value for group in coder.codebook_box.children[1:] for row in group.children[1:]
                    for child in getattr(row, "children", [row]) if hasattr(child, "value") and isinstance(child.value, str))
    assert html.count("<details") == len(coder.corpus.codebook)


# -- 8: text students see -----------------------------------------------------------------------------
def test_quote_caption_does_not_repeat_the_source():
    page = "".join(display.quote(e, lang="da")._repr_html_()
                   for e in display.load_corpus().excerpts["id"])
    assert "artiklens fremstilling (artiklens fremstilling)" not in page


def test_not_metagovernance_is_not_explained_twice(folder):
    clf = MoveClassifier(student="Ha", folder=folder)
    move = next(m for m in clf.corpus.moves.to_dict("records") if m["explicitness"] == "none")
    clf.model.go(move["id"])
    clf.refresh()
    clf.choose("NONE")
    clf.answer_button.click()
    assert clf.feedback.value.count("klassificerer det ikke") <= 1


def test_self_check_never_says_ikke_ikke():
    import course
    from course import selfcheck

    corpus = course.load_corpus()
    moves = corpus.moves[corpus.moves["reference_class"] != "NONE"]["id"].tolist()[:5]
    result = selfcheck.classify({m: "NONE" for m in moves}, moves, corpus)
    assert "ikke ikke" not in str(result) and "ikke »ikke metastyring«" in str(result)


def test_upload_refusal_reads_as_one_language(folder):
    coder = ExcerptCoder(student="Ib", folder=folder)
    coder.savebar.upload.receive("stor.json", None, 5_000_000)
    message = coder.savebar.message.value
    assert "Filen blev afvist" in message and "bytes; a save file" not in message and "at most" not in message
    coder.savebar.upload.receive("x.json", b"{not json")
    assert "not valid" not in coder.savebar.message.value and "ikke gyldig JSON" in coder.savebar.message.value


# -- 9: no "(0)" counter ----------------------------------------------------------------------------------
def test_upload_buttons_are_labelled_without_a_counter(folder, tmp_path):
    coder = ExcerptCoder(student="Jo", folder=folder)
    assert coder.savebar.upload.label == "Gendan fra fil"
    assert "(${" not in uikit._UPLOAD_ESM and "length})" not in uikit._UPLOAD_ESM
    view = classroom.ClassView(corpus=coder.corpus)
    assert isinstance(view.upload, uikit.UploadButton) and view.upload.label == "Vælg filer"
    doc = st.new_document("Ane", "article", coder.corpus.data_version, coder.corpus.codebook_version)
    view.upload._on_message(None, {"type": "start", "batch": "b"}, [])
    view.upload._on_message(None, {"type": "file", "batch": "b", "name": "ane.json", "size": 10},
                            [json.dumps(doc).encode()])
    view.upload._on_message(None, {"type": "end", "batch": "b"}, [])
    assert [s["name"] for s in view.sources()] == ["ane.json"]
    assert "1 fil(er) valgt: ane.json" in view.chosen.value


# -- 10: the comparison's colour follows the result -------------------------------------------------------
def test_comparison_colour_and_words_follow_the_agreement(folder):
    assert [agreement_level(j) for j in (0, 0.25, 0.5, 2 / 3, 1)] == ["poor", "partial", "partial", "good", "good"]
    coder = ExcerptCoder(student="Ka", case="police", folder=folder)
    reference = coder.model._reference[coder.model.excerpt_id]
    wrong = next(c for c in coder.boxes if c not in reference)
    coder.boxes[wrong].value = True
    coder.compare_button.click()
    assert uikit.RESULT["poor"] in coder.feedback.value and "Lille eller ingen enighed" in coder.feedback.value
    assert "#228833" not in coder.feedback.value
    coder.boxes[wrong].value = False
    for code in reference:
        coder.boxes[code].value = True
    assert uikit.RESULT["good"] in coder.feedback.value and "God enighed" in coder.feedback.value


# -- 11: the class view for a projector ----------------------------------------------------------------------
def test_class_view_speaks_danish_and_puts_the_disputed_first(corpus):
    sim = classroom.simulate_class(corpus, 12, seed=3, broken=False)
    data = classroom.load_class(sim.folder, corpus)
    page = classroom.render_html(data, lang="da")
    headers = re.findall(r"<th[^>]*>(.*?)</th>", page)
    raw = {"code", "group", "alpha", "reading", "applications", "excerpt", "split_code", "matches_reference",
           "share_wrong", "common_answer", "description", "band", "note", "prevalence", "reference"}
    assert headers and not raw & set(headers), raw & set(headers)
    assert "" not in headers  # no empty header cells
    assert page.index("Krippendorffs α") < page.index("mest uenige") < page.index("oftest klassificerede")
    assert "De 5 uddrag" in page and 'lang="da"' in page
    assert re.search(r"α [\d,–]+ · <span", page)  # the band: α with its reading, compact
    assert "HOFF_" not in page and "DEM_" not in page and "NaN" not in page


# -- 12: the confusion chart ----------------------------------------------------------------------------------
def test_confusion_chart_draws_the_whole_diagonal_and_long_labels(folder):
    clf = MoveClassifier(student="La", folder=folder)
    clf.choose(clf.model.move["reference_class"])
    clf.answer_button.click()
    spec = clf.confusion_chart().to_dict()
    n = len(clf.model.classes)
    values = next(iter(spec["datasets"].values()))
    assert len(values) == n * n and sum(v["match"] for v in values) == n
    layers = spec["layer"]
    assert any(layer["mark"].get("stroke") == "black" for layer in layers if isinstance(layer["mark"], dict))
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] >= 300


# -- 13 and 16: chart menus off, no <footer>, lang ---------------------------------------------------------------
def test_charts_have_no_action_menu_and_quotes_no_footer():
    import altair as alt

    import course

    course.setup()
    assert alt.renderers.options.get("embed_options") == {"actions": False}
    html = display.quote("ws-q07", lang="da")._repr_html_()
    assert "<footer" not in html and "<figcaption" in html and 'lang="da"' in html
    assert 'lang="en"' in display.quote("ws-q07", lang="en")._repr_html_()


def test_widgets_carry_the_lang_marker_and_course_class(folder):
    coder = ExcerptCoder(student="Mo", folder=folder)
    assert isinstance(coder.children[0], uikit.PageMarker) and coder.children[0].lang == "da"
    assert "course-widget" in coder._dom_classes
    english = MoveClassifier(student="Mo", folder=folder, lang="en")
    assert english.marker.lang == "en"
    assert "setAttribute('lang'" in uikit._MARKER_ESM and "aria-label" in uikit._MARKER_ESM


# -- 14: tab order: codes, memo, then compare ----------------------------------------------------------------------
def test_compare_comes_after_the_codebook_and_the_memo(folder):
    coder = ExcerptCoder(student="Ny", folder=folder)
    order = list(coder.children)
    body = next(c for c in order if coder.codebook_box in getattr(c, "children", ()))
    assert order.index(body) < order.index(coder.memo) < order.index(coder.compare_button) < order.index(coder.feedback)
    assert "course-primary" in coder.compare_button._dom_classes and coder.compare_button.button_style == ""
    coder_html = coder.translation.value
    assert coder_html.startswith('<details class="course-translation"><summary>Engelsk oversættelse')


# -- 18: the slow optional import is skipped, and only while Altair is imported ----------------------------------------
def test_altair_is_imported_without_rfc3987_syntax_which_stays_importable():
    code = ("import sys; from course.charts import import_altair; import_altair(); "
            "print('rfc3987_syntax' in sys.modules); import rfc3987_syntax; print('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "ok"]


# -- 19: the dot-vote explorer updates its chart in place -----------------------------------------------------------------
def test_dot_vote_explorer_updates_one_chart_widget_in_place():
    import altair as alt
    import ipywidgets as w

    explorer = dotvote.explorer(runs=3)
    chart = explorer.chart
    assert isinstance(chart, alt.JupyterChart)
    assert not any(isinstance(c, w.Output) for c in explorer.widget.children)
    before = json.dumps(chart.spec, sort_keys=True)
    explorer.hours.value = 3.0
    assert explorer.chart is chart and json.dumps(chart.spec, sort_keys=True) != before
    assert chart.embed_options == {"actions": False}
    assert i18n.get_language() in ("da", "en")


# -- 8 and 13: tables without NaN, "dtype: int64" or empty header cells; "..." in words -------------------
def test_tables_have_no_nan_dtype_line_or_empty_header_cells():
    import pandas as pd

    frame = pd.DataFrame({"a": [1, None]}, index=pd.Index(["x", "y"], name="case"))
    frame.columns.name = "kind"
    page = display.table_html(frame)
    assert "NaN" not in page and "–" in page
    assert not re.search(r"<th[^>]*>\s*</th>", page)
    series = display.table_html(pd.Series([3, 1], index=["right", "wrong"], name="count"))
    assert "dtype" not in series and not re.search(r"<th[^>]*>\s*</th>", series)


def test_paragraphs_are_html_that_wraps_at_words():
    page = display.paragraphs([("Definition", "a <b> text")], lang="da")._repr_html_()
    assert page == '<p lang="da"><b>Definition:</b> a &lt;b&gt; text</p>'


# -- English track: a quotation stays Danish and verbatim, with the course's translation beside it ----------------
def test_english_quote_shows_the_danish_verbatim_and_the_course_translation_labelled():
    import html as _html

    from course.data import load_corpus

    corpus = load_corpus()
    record = corpus.excerpts.set_index("id").loc["pol-q03"]
    da, en = record["text_da"], record["text_en"]
    shown = display.quote("pol-q03", lang="en", corpus=corpus)
    page = shown._repr_html_()
    quotation = re.search(r"<blockquote[^>]*>(.*?)</blockquote>", page, re.S)
    assert 'lang="da"' in quotation.group(0) and _html.escape(da) in quotation.group(1)
    assert _html.escape(en) not in quotation.group(1)
    after = page[quotation.end():]
    assert "The course&#x27;s translation" in after and _html.escape(en) in after
    assert "Danish original" not in page and "<details" not in page  # nothing folded away
    assert record["speaker_en"] in page and record["speaker"] not in page
    markdown = shown._repr_markdown_()
    assert markdown.index(display.markdown_escape(da).split("\n")[0]) < markdown.index("The course's translation")
    assert display.markdown_escape(en).split("\n")[0] in markdown
    text = str(shown)
    assert text.startswith(da) and f"The course's translation: {en}" in text
    # Danish mode is unchanged: the Danish quotation, no translation beside it.
    danish = display.quote("pol-q03", lang="da", corpus=corpus)
    assert "translation" not in danish._repr_html_() and "oversættelse" not in danish._repr_html_()
    assert str(danish).startswith(da) and en not in str(danish) and record["speaker"] in str(danish)
    # A vignette is the course's own words: English mode shows the English directly.
    vignette = corpus.excerpts[corpus.excerpts["kind"] == "vignette"].iloc[0]
    shown = display.quote(vignette["id"], lang="en", corpus=corpus)
    assert str(shown).startswith(vignette["text_en"]) and "The course's translation" not in str(shown)
