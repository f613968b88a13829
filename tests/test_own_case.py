"""A lecturer's own case (``examples/own_case``) through every widget, chart and the class view (issue 11).

The example has other ids than the article's everywhere (case ``budget``, codes ``FRAME``/``FACIL``/
``ACCESS`` without ``HOFF_``/``HON_``/``DEM_`` prefixes, moves ``BM01``...), a phase the article's
data does not use (``after``), no timeline, fieldwork or sections, and three codes instead of twelve.
Each test drives the public surface the notebooks and the lecturer use, in both languages, and
checks that the own case's labels (not the article's) reach the screen.
"""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from course import charts, compare, fieldwork, i18n, timeline, vocab
from course import classroom as cl
from course import store as st
from course.data import NONE_CLASS, load_corpus

OWN_CASE = Path(__file__).resolve().parent.parent / "examples" / "own_case"
LANGS = ("da", "en")


@pytest.fixture(scope="module")
def own():
    return load_corpus(OWN_CASE)


@pytest.fixture(autouse=True)
def _fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


def _spec(chart) -> dict:
    """The chart as Vega-Lite (raises if Altair cannot build it)."""
    return chart.to_dict()


# -- the two widgets ------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_excerpt_coder_codes_compares_and_reports_on_the_own_case(own, tmp_path, lang):
    from course.widgets import ALL, ExcerptCoder

    coder = ExcerptCoder(student="Ida", corpus=own, folder=tmp_path, lang=lang)
    label = own.cases.set_index("id").loc["budget", f"label_{lang}"]
    assert [v for _, v in coder.case.options] == [ALL, "budget"]
    assert dict(coder.case.options)[label] == "budget"
    assert html.escape(label) in coder.card.value
    coder.case.value = "budget"
    reference = own.reference_codes()
    for k, excerpt in enumerate(coder.model.ids):
        coder.jump.value = k
        assert excerpt in coder.card.value
        for code in reference[excerpt]:
            coder.boxes[code].value = True
        coder.memo.value = f"memo {excerpt}"
        coder.compare_button.click()
        assert "course-result-good" in coder.feedback.value
        for code in reference[excerpt]:
            assert html.escape(i18n.field(own.code(code), "label", lang)) in coder.feedback.value
    coder.prev_button.click()
    coder.next_button.click()
    assert coder.model.coded_count == len(own.excerpts)
    summary = coder.summary()
    assert set(summary["excerpt"]) == set(own.excerpts["id"]) and set(summary["case"]) == {"budget"}
    agreement = coder.agreement()
    assert set(agreement["code"]) <= set(own.code_ids) and len(agreement)
    assert (agreement["kappa"].dropna() == 1).all()
    text = charts.alt_text(coder.agreement_chart())
    assert text and "HOFF" not in text
    _spec(coder.agreement_chart())
    # The codebook's groups are headed by the catalogue's group labels, in the widget's language.
    shown = coder.codebook_box.children
    assert any(vocab.group_label("hands_off", lang) in getattr(c.children[0], "value", "")
               for c in shown if hasattr(c, "children") and c.children)


@pytest.mark.parametrize("lang", LANGS)
def test_move_classifier_judges_retries_and_charts_the_own_case(own, tmp_path, lang):
    from course.widgets import MoveClassifier

    quiz = MoveClassifier(student="Ida", corpus=own, folder=tmp_path, lang=lang)
    modes = vocab.class_modes(own)
    # The two questions offer the own case's modes, named from the catalogue.
    assert [v for _, v in quiz.mode.options] == [m for m in vocab.MODES if m in set(modes.values())]
    assert [label for label, _ in quiz.mode.options] == [vocab.mode_label(v, lang) for _, v in quiz.mode.options]
    for cls, mode in modes.items():
        quiz.mode.value = mode
        assert cls in [v for _, v in quiz.tool.options]
    quiz.mode.value = None
    moves = own.moves.set_index("id")
    first = quiz.model.move_id
    wrong = next(c for c in quiz.model.classes
                 if modes[c] != modes[moves.loc[first, "reference_class"]]
                 and c not in str(moves.loc[first, "also_accepted"]).split(";"))
    quiz.choose(wrong)
    quiz.answer_button.click()
    assert quiz.model.last_result(first) == "wrong"
    for _ in range(len(quiz.model.ids) - 1):
        quiz.next_button.click()
        move = quiz.model.move_id
        quiz.choose(moves.loc[move, "reference_class"])
        quiz.answer_button.click()
        assert quiz.model.last_result(move) == "correct"
    quiz.retry_button.click()
    assert quiz.model.move_id == first
    quiz.choose(moves.loc[first, "reference_class"])
    quiz.answer_button.click()
    assert quiz.model.last_result(first) == "correct"
    quiz.all_button.click()
    answers = quiz.answers()
    assert set(answers["move"]) == set(own.moves["id"]) and (answers["result"] == "correct").all()
    chart = quiz.confusion_chart()
    _spec(chart)
    text = charts.alt_text(chart)
    assert text and "HON" not in text
    assert quiz.class_label(NONE_CLASS) == i18n.t("class_NONE", lang)


# -- a class of real saves (from the widgets) and simulated saves, in the class view ---------------
def _class_from_widgets(own, folder: Path, names: list[str]) -> None:
    from course.widgets import ExcerptCoder, MoveClassifier

    reference = own.reference_codes()
    moves = own.moves.set_index("id")
    for k, name in enumerate(names):
        coder = ExcerptCoder(student=name, corpus=own, folder=folder, lang="da")
        for j, excerpt in enumerate(coder.model.ids):
            coder.jump.value = j
            codes = reference[excerpt] if (j + k) % 3 else own.code_ids[:1]
            for code in codes:
                coder.boxes[code].value = True
        quiz = MoveClassifier(student=name, corpus=own, folder=folder, lang="da")
        for j, move in enumerate(quiz.model.ids):
            quiz.model.go(j)
            quiz.choose(moves.loc[move, "reference_class"] if (j + k) % 2 else NONE_CLASS)
            quiz.answer_button.click()
        st.flush_all()  # as the kernel's exit does: the background writer has written it all
        st._OPEN.clear()


@pytest.mark.parametrize("lang", LANGS)
def test_class_view_reads_the_saves_the_widgets_wrote_for_the_own_case(own, tmp_path, lang):
    names = ["Ida", "Omar", "Sofie"]
    _class_from_widgets(own, tmp_path, names)
    saved = sorted(p.name for p in tmp_path.glob("*.json"))
    assert len(saved) == len(names) and all(p.startswith(own.key + "__") for p in saved)
    data = cl.load_class(tmp_path, own)
    assert data.n_students == len(names) and not data.skipped
    assert data.codes == own.code_ids and data.excerpts == own.excerpts["id"].tolist()
    _check_class_view(own, data, tmp_path, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_class_view_on_a_simulated_class_of_the_own_case(own, tmp_path, lang):
    sim = cl.simulate_class(own, 12, seed=3, folder=tmp_path / "class")
    data = cl.load_class(sim.folder, own)
    assert data.n_students == 12
    assert {s.file for s in data.skipped} == set(sim.broken)
    _check_class_view(own, data, sim.folder, lang)


def _check_class_view(own, data, folder: Path, lang: str) -> None:
    alpha = cl.alpha_table(data, lang=lang)
    assert list(alpha["code"]) == own.code_ids
    assert set(alpha["label"]) == {i18n.field(c, "label", lang) for c in own.codebook.to_dict("records")}
    cl.alpha_overall_text(data, lang=lang)
    cl.alpha_table(data, case="budget", lang=lang)
    cl.disagreement_table(data, lang=lang)
    cl.codings_table(data, hide_names=True, lang=lang)
    cl.students_table(data, hide_names=True, lang=lang)
    cl.skipped_table(data, lang=lang)
    heat = cl.heatmap_chart(data, lang=lang)
    _spec(heat)
    assert charts.alt_text(heat)
    for stage in cl.STAGES:
        _spec(cl.heatmap_chart(data, stage, case="budget", lang=lang))
    wrong = cl.moves_wrong(data, lang=lang)
    assert set(wrong["move"]) <= set(own.moves["id"])
    assert set(wrong["reference"]) <= set(own.move_classes)
    page = cl.render_html(data, lang=lang)
    assert i18n.field(own.codebook.iloc[0].to_dict(), "label", lang) in page
    view = cl.ClassView(folder=folder, corpus=own, lang=lang)
    assert view.analyse() is not None and view.data.n_students == data.n_students


def test_refi_qda_export_of_the_own_case_class(own, tmp_path):
    from course import export

    sim = cl.simulate_class(own, 5, seed=1, folder=tmp_path / "class", broken=False)
    data = cl.load_class(sim.folder, own)
    export.write_codebook(tmp_path / "codebook.qdc", own)
    export.write_codebook_csv(tmp_path / "codebook.csv", own)
    qdpx = export.write_project(tmp_path / "class.qdpx", data, own, hide_names=True, include_reference=True)
    texts = dict(zip(own.excerpts["id"], own.excerpts["text_da"]))
    selections = list(export.selections(qdpx.read_bytes()))
    assert selections and all(s["text"] == texts[s["excerpt"]] for s in selections)


# -- the comparison, the timeline, the fieldwork charts and the quotes ----------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_comparison_and_charts_take_the_own_case(own, lang):
    label = vocab.case_label(own, "budget", lang)
    table = compare.case_comparison(own, lang)
    assert list(table.index) == ["budget"] and table.loc["budget", "label"] == label
    modes = vocab.move_modes(own)
    for mode in vocab.MODES:
        assert table.loc["budget", f"mode_{mode}"] == (modes == mode).sum()
    view = compare.comparison_view(own, lang)
    assert list(view.columns) == [label]
    assert all(str(v).strip() for v in view[label]), "a blank cell in the comparison (use '–')"
    for make in (compare.comparison_chart, compare.code_group_chart, compare.timeline_chart):
        chart = make(own, lang)
        _spec(chart)
        assert label in charts.alt_text(chart) or make is compare.timeline_chart
    assert compare.leadership_switches(own).to_dict() == {"budget": 0}
    early = compare.early_moves(own)
    assert set(early["id"]) == set(own.moves.loc[own.moves["phase"].isin(["initiation", "design_framing"]), "id"])
    chart = timeline.timeline_chart(own, "budget", lang)
    _spec(chart)
    assert label in json.dumps(chart.to_dict(), ensure_ascii=False)
    for make in (fieldwork.fieldwork_by_type, fieldwork.fieldwork_timeline):
        _spec(make(own, lang))


def test_student_report_on_the_own_case(own, tmp_path):
    from course.widgets import ExcerptCoder, MoveClassifier

    coder = ExcerptCoder(student="Ida", corpus=own, folder=tmp_path, lang="en")
    coder.boxes[own.reference_codes()[coder.model.excerpt_id][0]].value = True
    quiz = MoveClassifier(student="Ida", corpus=own, folder=tmp_path, lang="en")
    quiz.choose(own.moves.set_index("id").loc[quiz.model.move_id, "reference_class"])
    quiz.answer_button.click()
    results = compare.student_results(own, "Ida", tmp_path)
    assert len(results)
    report = compare.student_report(results, own, lang="en")
    assert vocab.case_label(own, "budget", "en") in _text(report._repr_html_())


def test_quotes_of_the_own_case_show_without_sections(own):
    from course import display

    for lang in LANGS:
        shown = display.quote("b3", lang=lang, corpus=own)._repr_html_()
        assert "[b3]" in shown and html.escape(own.excerpts.set_index("id").loc["b3", f"text_{lang}"]) in shown


def test_own_case_with_a_timeline_and_fieldwork_of_its_own(tmp_path):
    """A lecturer who adds timeline.csv and fieldwork.csv with their own ids gets those charts too."""
    folder = tmp_path / "own_case"
    shutil.copytree(OWN_CASE, folder)
    (folder / "timeline.csv").write_text(
        "id,case,order,order_end,year,when_da,when_en,event_da,event_en,leadership,section\n"
        "BT01,budget,1,,2025,januar,January,Budgettet fastlægges.,The budget is set.,hands_off,\n"
        "BT02,budget,2,3,,marts,March,Medarbejderen leder møderne.,Staff chair the meetings.,hands_on,\n"
        "BT03,budget,3,,,maj,May,Pengene udbetales.,The money is paid out.,none,\n", encoding="utf-8")
    (folder / "fieldwork.csv").write_text(
        "id,case,order,number_printed,type,text_da,text_en,dates,stage\n"
        "BF01,budget,1,1,interview,Interview med områdeleder,Interview with the area manager,2025-01,\n"
        "BF02,budget,2,2,observation,Observation af beboermøde,Observation of a residents' meeting,,after_meeting\n",
        encoding="utf-8")
    mine = load_corpus(folder)
    assert len(mine.timeline) == 3 and len(mine.fieldwork) == 2
    for lang in LANGS:
        label = vocab.case_label(mine, "budget", lang)
        chart = timeline.timeline_chart(mine, "budget", lang)
        _spec(chart)
        assert vocab.mode_label("hands_on", lang).lower() in charts.alt_text(chart).lower()
        assert label in charts.alt_text(compare.timeline_chart(mine, lang))
        for make in (fieldwork.fieldwork_by_type, fieldwork.fieldwork_timeline):
            chart = make(mine, lang)
            _spec(chart)
            assert label in charts.alt_text(chart)
    assert compare.leadership_switches(mine).to_dict() == {"budget": 1}


# -- an own case without sections.csv: no empty "Section:" on screen --------------------------------
def _text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(markup)).split())


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_section_label_where_the_own_case_has_no_sections(own, tmp_path, lang):
    from course import display
    from course.widgets import ExcerptCoder, MoveClassifier

    assert own.sections.empty and not own.excerpts["section"].any() and not own.moves["section"].any()
    empty = f"{i18n.t('section', lang)}: "
    for excerpt in own.excerpts["id"]:
        shown = display.quote(excerpt, lang=lang, corpus=own)
        for text in (_text(shown._repr_html_()), shown._repr_markdown_().replace("\\", ""), str(shown)):
            assert i18n.t("section", lang) + ":" not in text, text
    coder = ExcerptCoder(student="Ida", corpus=own, folder=tmp_path, lang=lang)
    coder.boxes[own.reference_codes()[coder.model.excerpt_id][0]].value = True
    coder.compare_button.click()
    for markup in (coder.card.value, coder.feedback.value):
        assert empty.strip() not in _text(markup), _text(markup)
    quiz = MoveClassifier(student="Ida", corpus=own, folder=tmp_path, lang=lang)
    quiz.choose(own.moves.set_index("id").loc[quiz.model.move_id, "reference_class"])
    quiz.answer_button.click()
    assert empty.strip() not in _text(quiz.feedback.value), _text(quiz.feedback.value)


@pytest.mark.parametrize("lang", LANGS)
def test_the_articles_excerpts_still_name_their_section(lang, tmp_path):
    from course import display
    from course.widgets import ExcerptCoder, MoveClassifier

    article = load_corpus()
    record = article.excerpts.iloc[0]
    heading = i18n.field(article.sections.set_index("id").loc[record["section"]].to_dict(), "heading", lang)
    label = f"{i18n.t('section', lang)}: {heading}"
    assert label in _text(display.quote(record["id"], lang=lang, corpus=article)._repr_html_())
    coder = ExcerptCoder(student="Ida", corpus=article, folder=tmp_path, lang=lang)
    assert i18n.t("section", lang) + ": " in _text(coder.card.value)
    quiz = MoveClassifier(student="Ida", corpus=article, folder=tmp_path, lang=lang)
    quiz.choose(article.moves.set_index("id").loc[quiz.model.move_id, "reference_class"])
    quiz.answer_button.click()
    assert i18n.t("section", lang) + ": " in _text(quiz.feedback.value)


# -- the sources ask course.vocab: no id-prefix parses or retyped mode/group names ----------------
_PARSES = re.compile(r"""startswith\(\s*["'](HOFF|HON|DEM)_|str\.split\(\s*["']_["']\s*\)\.str\[0\]"""
                     r"""|["'](HOFF|HON|DEM)["']\s*:|["']hands_on["']\s*:\s*["']Hands-on metastyring""")


def _code_cells():
    import nbformat

    root = OWN_CASE.parent.parent / "materials"
    for path in sorted(root.glob("*/*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code":
                yield f"{path.relative_to(root.parent)}, cell {index}", cell.source


def test_notebook_sources_do_not_parse_id_prefixes_or_retype_the_vocabulary():
    found = [where for where, source in _code_cells() if _PARSES.search(source)]
    assert not found, f"ask course.vocab instead (class_modes, move_modes, mode_label, group_label): {found}"


def test_own_case_hand_in_and_a_zip_of_the_hand_ins_reach_the_class_view(own, tmp_path, monkeypatch):
    import zipfile

    from course.handin import HANDIN_DIR_ENV, HandIn

    handin = tmp_path / "handin"
    monkeypatch.setenv(HANDIN_DIR_ENV, str(handin))
    names = ["Ida", "Omar"]
    for name in names:
        work = tmp_path / f"work-{name}"
        _class_from_widgets(own, work, [name])
        button = HandIn(student=name, corpus=own, work=work, lang="en")
        button.button.click()
        assert button.path is not None and button.path.parent == handin, button.status.value
    view = cl.ClassView(corpus=own, lang="en")
    assert view.folder.value == str(handin)
    assert view.analyse().n_students == len(names)
    bundle = tmp_path / "submissions.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for path in sorted(handin.glob("*.json")):
            archive.write(path, f"{path.stem}_123_assignsubmission_file_/{path.name}")
    data = cl.load_class(bundle, own)
    assert data.n_students == len(names) and not data.skipped


def test_the_course_package_does_not_parse_id_prefixes():
    """The logic (self-checks included) asks course.vocab too; only docstrings may name the old way."""
    import ast

    package = OWN_CASE.parent.parent / "course"
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith":
                args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if any(re.fullmatch(r"(HOFF|HON|DEM|DIL)_", a) for a in args):
                    found.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    assert not found, f"ask course.vocab (class_modes, move_modes) instead of parsing id prefixes: {found}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_classifiers_feedback_credits_the_own_cases_source_not_the_article(own, tmp_path, lang):
    """Who classifies a move: the article for the course's own data, the source for an own case."""
    from course.widgets import MoveClassifier

    article_words = {i18n.t(f"explicitness_{k}", lang) for k in ("explicit", "inferred", "none")}
    for corpus, should_say_article in ((own, False), (load_corpus(), True)):
        quiz = MoveClassifier(student="Ida", corpus=corpus, folder=tmp_path / corpus.key, lang=lang)
        quiz.choose(corpus.moves.set_index("id").loc[quiz.model.move_id, "reference_class"])
        quiz.answer_button.click()
        text = _text(quiz.feedback.value)
        assert any(w in text for w in article_words) is should_say_article, text
