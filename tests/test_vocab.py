"""One vocabulary (issue 11): class -> mode, labels and name_key in course.vocab, used by every
module, and a lecturer's own case with other ids works through the widgets and the class view."""
from __future__ import annotations

from pathlib import Path

import pytest

from course import classroom as cl
from course import compare, i18n, vocab
from course import store as st
from course.data import load_corpus
from course.moves import MoveQuiz
from course.selfcheck import class_modes as selfcheck_modes

OWN_CASE = Path(__file__).resolve().parent.parent / "examples" / "own_case"


@pytest.fixture(scope="module")
def own():
    return load_corpus(OWN_CASE)


@pytest.fixture(scope="module")
def article():
    return load_corpus()


def test_one_class_to_mode_mapping_everywhere(article, own):
    for corpus in (article, own):
        modes = vocab.class_modes(corpus)
        assert compare.class_mode(corpus) == modes == selfcheck_modes(corpus)
        quiz = MoveQuiz(corpus, store=None)
        assert {c: quiz.mode_of(c) for c in quiz.classes} == modes
        assert set(modes.values()) <= set(vocab.MODES)


def test_own_case_modes_come_from_the_codebook_not_id_prefixes(own):
    # The example case's classes (FRAME, FACIL, ACCESS, ...) carry no HOFF_/HON_/DEM_ prefix.
    modes = vocab.class_modes(own)
    assert modes["FRAME"] == "hands_off" and modes["FACIL"] == "hands_on" and modes["ACCESS"] == "democratic_anchoring"
    by_move = vocab.move_modes(own)
    assert by_move.notna().all() and len(by_move) == len(own.moves)
    labels = vocab.mode_labels(own, "en")
    assert labels["hands_on"] == i18n.t("mode_hands_on", "en")
    assert vocab.case_label(own, own.cases["id"].iloc[0], "en") == own.cases["label_en"].iloc[0]


def test_group_and_mode_labels_follow_the_language():
    for lang in ("da", "en"):
        assert vocab.group_label("dilemma", lang) == i18n.t("group_dilemma", lang) == compare.group_label("dilemma", lang)
        assert vocab.mode_label("democratic_anchoring", lang) == i18n.t("mode_democratic_anchoring", lang)


@pytest.mark.parametrize("a, b", [("ﬁona", "FIONA"), ("Ǆemal", "ǆemal"), ("Zoë", " ZOË ")])
def test_one_name_key_for_store_and_class_view(a, b):
    assert cl.name_key is st.name_key is vocab.name_key
    assert st.name_key(a) == st.name_key(b)


def test_own_case_runs_through_every_widget_and_the_class_view(own, tmp_path):
    from course.widgets import ExcerptCoder, MoveClassifier

    st._OPEN.clear()
    coder = ExcerptCoder(student="Ida", corpus=own, folder=tmp_path / "work", lang="en")
    coder.boxes[own.codebook["id"].iloc[0]].value = True
    assert coder.model.coded_count == 1
    quiz = MoveClassifier(student="Ida", corpus=own, folder=tmp_path / "work", lang="en")
    move = quiz.model.move_id
    reference = own.moves.set_index("id").loc[move, "reference_class"]
    quiz.mode.value = vocab.class_modes(own)[reference]
    quiz.tool.value = reference
    quiz._on_answer()
    assert quiz.model.last_result(move) == "correct"
    st.flush_all()
    st._OPEN.clear()
    sim = cl.simulate_class(own, 4, seed=2, folder=tmp_path / "class")
    view = cl.ClassView(folder=sim.folder, corpus=own, lang="en")
    data = view.analyse()
    assert data is not None and data.n_students >= 4
    assert isinstance(cl.render_html(data, lang="en"), str)


def test_no_second_name_normalisation_in_the_package():
    """Every module that knows ``name_key`` has the store's, and only store.py normalises names itself."""
    import importlib
    import pkgutil

    import course

    package = Path(course.__file__).parent
    for info in pkgutil.walk_packages([str(package)], "course."):
        module = importlib.import_module(info.name)
        assert getattr(module, "name_key", st.name_key) is st.name_key, info.name
    normalising = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                         if "unicodedata.normalize(" in p.read_text(encoding="utf-8"))
    assert normalising == ["store.py"], normalising
