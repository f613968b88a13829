"""The widgets, driven headlessly: set .value, call .click(), check state, saved file and output."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import course
from course import i18n
from course import store as st
from course.charts import alt_text
from course.widgets import ExcerptCoder, MoveClassifier

NOW = datetime(2026, 11, 26, tzinfo=UTC)


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "work"


def saved(widget):
    widget.store.flush()  # the widgets save in the background
    return json.loads(widget.store.path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


def test_coder_mouse_flow_saves_and_restores(folder):
    coder = ExcerptCoder(student="Ane", case="police", folder=folder)
    first = coder.model.excerpt_id
    assert coder.position.value == f"1 / {len(coder.model.ids)}"
    coder.compare_button.click()
    assert "Vælg mindst én kode" in coder.feedback.value
    coder.boxes["HOFF_DESIGN"].value = True
    coder.boxes["DIL_EARLY"].value = True
    coder.memo.value = "Direktøren vælger selv."
    coder.compare_button.click()
    assert "Kursets læsning" in coder.feedback.value
    doc = saved(coder)
    assert doc["coding"][first]["first"] == ["HOFF_DESIGN", "DIL_EARLY"]
    assert doc["coding"][first]["memo"] == "Direktøren vælger selv." and doc["coding"][first]["revealed"]
    coder.boxes["HOFF_FRAMING"].value = True  # revision after the reveal
    assert saved(coder)["coding"][first]["revised"] == ["HOFF_DESIGN", "HOFF_FRAMING", "DIL_EARLY"]
    coder.next_button.click()
    assert coder.position.value.startswith("2 /") and not any(b.value for b in coder.boxes.values())
    assert coder.memo.value == "" and coder.feedback.value == ""
    # A kernel restart: a new widget on the same folder finds everything.
    st.flush_all()  # as the kernel's exit does
    st._OPEN.clear()
    again = ExcerptCoder(student="Ane", case="police", folder=folder)
    assert "hentet" in again.notice.value
    # it resumes at the first excerpt not coded yet, and the first one is one click back
    assert again.model.excerpt_id == again.model.ids[1] and again.position.value.startswith("2 /")
    again.prev_button.click()
    assert again.model.excerpt_id == first
    assert again.boxes["HOFF_FRAMING"].value and again.memo.value == "Direktøren vælger selv."
    assert "Kursets læsning" in again.feedback.value and "revideret" in again.feedback.value


def test_coder_jump_filter_and_summary(folder):
    coder = ExcerptCoder(student="Bo", folder=folder)
    n_all = len(coder.model.ids)
    coder.case.value = "workshop"
    assert len(coder.model.ids) < n_all and coder.model.excerpt["case"] == "workshop"
    coder.jump.value = 3
    assert coder.model.index == 3 and coder.position.value.startswith("4 /")
    coder.boxes["DEM_ACCESS"].value = True
    assert "1 af" in coder.done.value
    summary = coder.summary()
    assert summary["code"].tolist() == ["DEM_ACCESS"] or "DEM_ACCESS" in summary["code"].tolist()
    chart = coder.agreement_chart()
    assert "kodede uddrag" in alt_text(chart)


def test_markup_in_data_and_memo_is_escaped(tmp_path, folder):
    case = tmp_path / "case"
    case.mkdir()
    (case / "cases.csv").write_text("id,label_da\nx,<b>Fed</b>\n", encoding="utf-8")
    (case / "codebook.csv").write_text(
        "id,uuid,group,label_da,brief_da,definition_da,use_when_da,dont_use_when_da,colour\n"
        'A,11111111-1111-1111-1111-111111111111,hands_off,<i>kursiv</i>,"<img src=x onerror=alert(1)>",d,u,n,#4477AA\n',
        encoding="utf-8")
    (case / "excerpts.csv").write_text(
        "id,case,kind,source,speaker,section,text_da,reference_codes,rationale_da\n"
        'e1,x,vignette,article,<script>s()</script>,,"<script>alert(""x"")</script> og <img src=x onerror=alert(2)>",A,<b>r</b>\n',
        encoding="utf-8")
    coder = ExcerptCoder(student="Cy", corpus=case, folder=folder)
    html = coder.card.value + coder.codebook_box.children[1].children[2].value
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in coder.card.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    coder.boxes["A"].value = True
    coder.memo.value = "<script>bad()</script>"
    coder.compare_button.click()
    assert "<b>r</b>" not in coder.feedback.value and "&lt;b&gt;r&lt;/b&gt;" in coder.feedback.value
    assert coder.boxes["A"].description == "<i>kursiv</i>"  # shown as text: descriptions are not HTML


def test_upload_refuses_bad_file_and_keeps_work(folder):
    coder = ExcerptCoder(student="Di", folder=folder)
    coder.boxes["HOFF_DESIGN"].value = True
    coder.store.flush()
    before = coder.store.path.read_bytes()
    bad = b'{"format": "samskabelse-course/work", "coding": {'
    coder.savebar.upload.receive("broken.json", bad)
    assert "Filen blev afvist" in coder.savebar.message.value
    coder.store.flush()
    assert coder.store.path.read_bytes() == before
    assert coder.boxes["HOFF_DESIGN"].value
    # A good file restores.
    good = st.new_document("Di", "article", coder.corpus.data_version, coder.corpus.codebook_version)
    good["coding"]["pol-q02"] = {"first": ["DIL_CARE"], "memo": "fra fil", "revealed": False,
                                 "updated": "2999-01-01T00:00:00+00:00"}
    raw = json.dumps(good).encode()
    coder.savebar.upload.receive("good.json", raw)
    assert "Gendannet" in coder.savebar.message.value
    assert saved(coder)["coding"]["pol-q02"]["memo"] == "fra fil"
    assert "HOFF_DESIGN" in saved(coder)["coding"][coder.model.ids[0]]["first"]


def test_download_button_always_delivers_the_current_save(folder):
    coder = ExcerptCoder(student="Ea", folder=folder)
    coder.boxes["DEM_EQUAL"].value = True
    name, data = coder.savebar.download_button.click()
    assert name.startswith("article__ea__") and name.endswith(".json")
    assert st.validate_document(json.loads(data))["coding"][coder.model.excerpt_id]["first"] == ["DEM_EQUAL"]
    # A later change: the same button now delivers the later state (no stale link is left behind).
    coder.boxes["DEM_ACCESS"].value = True
    _, later = coder.savebar.download_button.click()
    assert json.loads(later)["coding"][coder.model.excerpt_id]["first"] == ["DEM_ACCESS", "DEM_EQUAL"]
    assert not hasattr(coder.savebar, "download_link")


def test_name_change_switches_file(folder):
    coder = ExcerptCoder(student="Fie", folder=folder)
    coder.boxes["DEM_EQUAL"].value = True
    coder.savebar.name.value = "Gus"
    assert coder.store.path.name == st.save_name("article", "Gus") and coder.store.path.name.startswith("article__gus-")
    assert not any(b.value for b in coder.boxes.values())
    assert json.loads((folder / "profile.json").read_text(encoding="utf-8"))["student"] == "Gus"


def test_classifier_right_wrong_retry_and_chart(folder):
    clf = MoveClassifier(student="Hu", case="police", folder=folder)
    refs = clf.corpus.moves.set_index("id")["reference_class"]
    move = clf.model.move_id
    clf.answer_button.click()
    assert "Vælg et svar først" in clf.feedback.value
    clf.mode.value = clf.model.mode_of(refs[move])
    clf.tool.value = refs[move]
    clf.answer_button.click()
    assert "Rigtigt." in clf.feedback.value and "1 rigtige" in clf.score.value
    clf.next_button.click()
    second = clf.model.move_id
    wrong = "NONE" if refs[second] != "NONE" else "HOFF_DESIGN"
    clf.choose(wrong)
    if clf.model.mode_of(wrong) == "none":
        assert clf.tool.value == "NONE"
    clf.answer_button.click()
    assert "Ikke kursets læsning." in clf.feedback.value and "1 forkerte" in clf.score.value
    clf.retry_button.click()
    assert clf.model.ids == [second] and clf.position.value == "1 / 1"
    clf.all_button.click()
    assert len(clf.model.ids) > 1
    chart = clf.confusion_chart()
    assert "2 svar" in alt_text(chart)
    assert saved(clf)["moves"][second]["attempts"][0]["result"] == "wrong"


def test_english_interface(folder):
    coder = ExcerptCoder(student="Io", lang="en", folder=folder)
    assert coder.compare_button.description == "Compare with the course's coding"
    assert "Quotation" in coder.card.value or "Vignette" in coder.card.value
    clf = MoveClassifier(student="Io", lang="en", folder=folder)
    assert clf.answer_button.description == "Answer"
    assert i18n.get_language() == "da"


def test_english_coder_keeps_quotes_danish_and_shows_english_speaker_and_actor(folder):
    coder = ExcerptCoder(student="Io", case="police", lang="en", folder=folder)
    excerpts = coder.corpus.excerpts.set_index("id")
    quote = next(i for i in coder.model.ids if excerpts.loc[i, "kind"] == "quote")
    while coder.model.excerpt_id != quote:
        coder.next_button.click()
    row = excerpts.loc[quote]
    card = coder.card.value
    assert "<blockquote" in card and "lang='da'" in card.split("<blockquote", 1)[1].split(">", 1)[0]
    esc = __import__("html").escape
    assert esc(row["text_da"]) in card.split("</blockquote>")[0]
    assert "The course&#x27;s translation" in card and esc(row["text_en"]) in card.split("</blockquote>")[1]
    assert esc(row["speaker_en"]) in card and esc(row["speaker"]) not in card
    assert coder.translation.value == ""  # nothing folded away
    clf = MoveClassifier(student="Io", lang="en", folder=folder)
    move = clf.corpus.moves.set_index("id").loc[clf.model.move["id"]]
    assert esc(move["actor_en"]) in clf.card.value and esc(move["actor"]) not in clf.card.value
    danish = MoveClassifier(student="Io", folder=folder)
    assert esc(move["actor"]) in danish.card.value


def test_every_ui_string_has_both_languages():
    for key, entry in i18n.STRINGS.items():
        assert entry.get("da") and entry.get("en"), key


def test_setup_enables_offline_renderer():
    import altair as alt

    course.setup()
    from course import charts

    assert alt.renderers.active == charts.RENDERER
    widget = charts.chart_widget(alt.Chart().mark_point())
    assert isinstance(widget, alt.JupyterChart) and widget._esm == charts.BUNDLE.read_text(encoding="utf-8")
    course.setup(renderer="svg")
    assert alt.renderers.active == "svg"
    course.setup()


def test_both_widgets_on_the_made_up_example_case(folder):
    example = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples" / "own_case"
    coder = ExcerptCoder(student="Ole", corpus=example, folder=folder)
    assert set(coder.boxes) == {"FRAME", "FACIL", "ACCESS"}
    coder.boxes["FRAME"].value = True
    coder.compare_button.click()
    assert "I begge: Rammesætning" in coder.feedback.value
    clf = MoveClassifier(student="Ole", corpus=example, folder=folder)
    clf.choose("FRAME")
    clf.answer_button.click()
    assert "Rigtigt." in clf.feedback.value
    doc = saved(clf)
    assert doc["corpus"] == "own-case" and "b1" in doc["coding"] and "BM01" in doc["moves"]


def test_save_from_an_older_codebook_is_restored_without_breaking(folder):
    coder = ExcerptCoder(student="Jo", folder=folder)
    old = st.new_document("Jo", "article", "old", "old")
    first = coder.model.ids[0]
    old["coding"][first] = {"first": ["OLD_CODE", "HOFF_DESIGN"], "memo": "", "revealed": True,
                            "updated": "2999-01-01T00:00:00+00:00"}
    old["moves"]["PM01"] = {"attempts": [{"answer": "OLD_CLASS", "result": "wrong", "at": "x"}], "updated": "x"}
    raw = json.dumps(old).encode()
    coder.savebar.upload.receive("old.json", raw)
    message = coder.savebar.message.value
    assert "Gendannet" in message and f"{first}: OLD_CODE" in message and "PM01: OLD_CLASS" in message
    assert "OLD_CODE (findes ikke i kodebogen)" in coder.feedback.value
    assert coder.boxes["HOFF_DESIGN"].value
    st.flush_all()  # as the kernel's exit does
    st._OPEN.clear()
    again = ExcerptCoder(student="Jo", folder=folder)  # reopening works too
    assert again.agreement().set_index("code").loc["HOFF_DESIGN", "n"] >= 1
    clf = MoveClassifier(student="Jo", folder=folder)
    clf.model.go("PM01")
    clf.refresh()
    assert "OLD_CLASS (findes ikke i kodebogen)" in clf.feedback.value


def test_saved_time_is_local_and_jump_marks_coded_at_once(folder, monkeypatch):
    import time

    from course.widgets import local_time

    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    try:
        assert local_time("2026-11-26T21:11:48+00:00") == "22:11:48"  # CET is UTC+1 in November
    finally:
        monkeypatch.undo()
        time.tzset()
    coder = ExcerptCoder(student="Ky", folder=folder)
    coder.boxes["DEM_ACCESS"].value = True
    assert coder.jump.options[0][0].endswith("✓")
    assert coder.savebar.download_button.label == "Hent din fil"


def test_coder_shows_a_short_quotes_context(folder):
    coder = ExcerptCoder(student="Kon", case="police", folder=folder)
    coder.jump.value = coder.model.ids.index("pol-q02")
    context = coder.corpus.excerpts.set_index("id").loc["pol-q02", "context_da"]
    assert context and context in coder.card.value
    coder.jump.value = coder.model.ids.index("pol-q04")  # a long quote without a context note
    assert "Sammenhæng" not in coder.card.value
