"""The coding and move models: every rule, tested without widgets."""
from __future__ import annotations

import json

import pytest

from course import load_corpus
from course.coding import CodingError, CodingSession
from course.data import split_list
from course.moves import MoveError, MoveQuiz
from course.store import Store, save_name


@pytest.fixture
def store(tmp_path, corpus):
    return Store("Ane", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)


def saved(store):
    return json.loads(store.path.read_text(encoding="utf-8"))


# -- coding ------------------------------------------------------------------------------------
def test_navigation_and_case_filter(corpus, store):
    session = CodingSession(corpus, store, case="workshop")
    n = (corpus.excerpts["case"] == "workshop").sum()
    assert session.progress == (1, n)
    session.previous()
    assert session.index == 0
    session.go(n - 1)
    session.next()
    assert session.progress == (n, n)
    session.go("ws-q01")
    assert session.excerpt["id"] == "ws-q01"
    with pytest.raises(CodingError):
        session.go("pol-q01")
    with pytest.raises(CodingError):
        session.set_case("atlantis")


def test_reference_hidden_until_coded_then_first_and_revision_kept(corpus, store):
    session = CodingSession(corpus, store, case="police")
    first = session.excerpt_id
    with pytest.raises(CodingError):
        session.reveal()
    with pytest.raises(CodingError):
        session.comparison()
    session.set_codes(["HOFF_DESIGN", "DEM_ACCESS"])
    assert saved(store)["coding"][first]["first"] == ["HOFF_DESIGN", "DEM_ACCESS"]
    cmp = session.reveal()
    reference = split_list(corpus.excerpts.set_index("id").loc[first, "reference_codes"])
    assert cmp.reference == reference
    assert set(cmp.both) == {"HOFF_DESIGN", "DEM_ACCESS"} & set(reference)
    session.set_codes(reference)
    entry = saved(store)["coding"][first]
    assert entry["first"] == ["HOFF_DESIGN", "DEM_ACCESS"] and entry["revised"] == [c for c in corpus.code_ids if c in reference]
    assert entry["revealed"] is True and entry["revealed_at"]
    assert session.codes() == entry["revised"]


def test_unknown_code_refused(corpus, store):
    session = CodingSession(corpus, store)
    with pytest.raises(CodingError, match="NOPE"):
        session.set_codes(["NOPE"])
    assert not store.path.exists()


def test_toggle_memo_and_markup_kept_as_text(corpus, store):
    session = CodingSession(corpus, store)
    session.toggle("HOFF_FRAMING")
    session.toggle("HON_MANAGEMENT")
    session.toggle("HOFF_FRAMING")
    assert session.codes() == ["HON_MANAGEMENT"]
    session.set_memo("<script>alert(1)</script>")
    assert saved(store)["coding"][session.excerpt_id]["memo"] == "<script>alert(1)</script>"


def test_summary_and_agreement_against_hand_count(corpus, store):
    session = CodingSession(corpus, store)
    reference = corpus.reference_codes()
    ids = corpus.excerpts["id"].tolist()[:4]
    # Code the first excerpt as the reference, the next three with HOFF_DESIGN only.
    session.set_codes(reference[ids[0]], ids[0])
    for e in ids[1:]:
        session.set_codes(["HOFF_DESIGN"], e)
    table = session.agreement().set_index("code")
    assert (table["n"] == 4).all()
    design_truth = [("HOFF_DESIGN" in reference[e]) for e in ids]
    design_mine = [True if e != ids[0] else "HOFF_DESIGN" in reference[ids[0]] for e in ids]
    tp = sum(a and b for a, b in zip(design_mine, design_truth))
    fp = sum(a and not b for a, b in zip(design_mine, design_truth))
    assert table.loc["HOFF_DESIGN", "tp"] == tp and table.loc["HOFF_DESIGN", "fp"] == fp
    summary = session.summary()
    assert set(summary["excerpt"]) == set(ids)
    assert summary["reference"].isna().all(), "the reference stays hidden in the summary until revealed"
    assert list(summary.columns) == ["student", "excerpt", "case", "code", "first", "final", "reference", "revealed", "memo"]


def test_coder_works_on_a_small_made_up_case(tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "cases.csv").write_text("id,label_da\nown,Egen case\n", encoding="utf-8")
    (folder / "codebook.csv").write_text(
        "id,uuid,group,label_da,brief_da,definition_da,use_when_da,dont_use_when_da,colour\n"
        "A,11111111-1111-1111-1111-111111111111,hands_off,Ramme,kort,lang,når,ikke når,#4477AA\n"
        "B,22222222-2222-2222-2222-222222222222,hands_on,Møde,kort,lang,når,ikke når,#228833\n",
        encoding="utf-8")
    (folder / "excerpts.csv").write_text(
        "id,case,kind,source,speaker,section,text_da,reference_codes,rationale_da\n"
        "e1,own,vignette,article,leder,,Lederen sætter rammen.,A,Fordi.\n"
        "e2,own,vignette,article,medarbejder,,Medarbejderen leder mødet.,B,Fordi.\n", encoding="utf-8")
    corpus = load_corpus(folder)
    store = Store("Bo", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path / "work")
    session = CodingSession(corpus, store)
    session.set_codes(["A"])
    session.next()
    session.set_codes(["A"])
    table = session.agreement().set_index("code")
    assert table.loc["A", "tp"] == 1 and table.loc["A", "fp"] == 1 and table.loc["B", "fn"] == 1
    assert store.path.name == save_name(corpus.key, "Bo") and "own" not in corpus.key  # not the folder's name


# -- moves -------------------------------------------------------------------------------------
def test_answers_correct_partial_wrong_and_defensible(corpus, store):
    quiz = MoveQuiz(corpus, store)
    moves = corpus.moves.set_index("id")
    move = moves.index[0]
    reference = moves.loc[move, "reference_class"]
    assert quiz.answer(reference, move).result == "correct"
    same_mode = [c for c in quiz.classes_for(quiz.mode_of(reference))
                 if c != reference and c not in split_list(moves.loc[move, "also_accepted"])]
    if same_mode:
        assert quiz.answer(same_mode[0], move).result == "partial"
    other_mode = next(c for c in quiz.classes if quiz.mode_of(c) != quiz.mode_of(reference)
                      and c not in split_list(moves.loc[move, "also_accepted"]))
    fb = quiz.answer(other_mode, move)
    assert fb.result == "wrong" and fb.rationale_da
    with_alt = next(m for m in moves[moves["also_accepted"] != ""].index if m != move)
    alt = split_list(moves.loc[with_alt, "also_accepted"])[0]
    fb = quiz.answer(alt, with_alt)
    assert fb.result == "correct" and fb.defensible
    doc = saved(store)
    assert [a["result"] for a in doc["moves"][move]["attempts"]][0] == "correct"
    assert len(doc["moves"][move]["attempts"]) == (3 if same_mode else 2)


def test_score_retry_and_confusion(corpus, store):
    quiz = MoveQuiz(corpus, store, case="workshop")
    refs = corpus.moves.set_index("id")["reference_class"]
    first, second, third = quiz.ids[:3]
    quiz.answer(refs[first], first)
    quiz.answer("NONE" if refs[second] != "NONE" else "HOFF_DESIGN", second)
    score = quiz.score()
    assert score["correct"] == 1 and score["answered"] == 2 and score["n"] == len(quiz.ids)
    assert quiz.retry_wrong() == [second] and quiz.ids == [second]
    quiz.answer(refs[second])
    assert quiz.score()["correct"] == 1 and quiz.to_retry() == []
    conf = quiz.confusion("first")
    assert conf["count"].sum() == 2
    assert quiz.confusion("last").set_index(["reference", "answer"])["count"].sum() == 2
    with pytest.raises(MoveError):
        quiz.answer("NOT_A_CLASS")


def test_modes_cover_all_classes(corpus, store):
    quiz = MoveQuiz(corpus, store)
    assert quiz.modes() == ["hands_off", "hands_on", "democratic_anchoring", "none"]
    assert sorted(c for m in quiz.modes() for c in quiz.classes_for(m)) == sorted(quiz.classes)
    assert quiz.classes_for("none") == ["NONE"]


def test_quiz_on_a_corpus_without_moves(tmp_path):
    example = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples" / "own_case"
    folder = tmp_path / "nomoves"
    __import__("shutil").copytree(example, folder)
    (folder / "moves.csv").unlink()
    corpus = load_corpus(folder)
    quiz = MoveQuiz(corpus, Store("x", corpus.key, "v", "c", tmp_path / "w"))
    assert quiz.ids == [] and quiz.score()["n"] == 0 and quiz.knows("FRAME") and not quiz.knows("OLD")
    with pytest.raises(MoveError):
        quiz.set_case("budget")
