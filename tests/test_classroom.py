"""The class view: reading many save files, agreement between students, the tables and chart."""
from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from course import class_load, load_corpus
from course import classroom as cl
from course.data import split_list
from course.moves import MoveQuiz
from course.store import new_document, read_save_file, validate_document


def make_doc(corpus, student, coding=None, moves=None, revised=None, updated="2026-03-01T10:00:00.000+00:00"):
    """A real save document: ``coding`` excerpt -> codes (first), ``revised`` excerpt -> codes,
    ``moves`` move -> list of answers (attempts in order)."""
    doc = new_document(student, corpus.key, corpus.data_version, corpus.codebook_version)
    quiz = MoveQuiz(corpus, store=None)
    for excerpt, codes in (coding or {}).items():
        entry = {"first": list(codes), "first_at": updated, "revealed": False, "revealed_at": None,
                 "revised": None, "revised_at": None, "memo": "", "updated": updated}
        if revised and excerpt in revised:
            entry.update(revealed=True, revealed_at=updated, revised=list(revised[excerpt]), revised_at=updated)
        doc["coding"][excerpt] = entry
    for move, answers in (moves or {}).items():
        doc["moves"][move] = {"attempts": [{"answer": a, "result": quiz.judge(move, a).result, "at": updated}
                                           for a in answers], "updated": updated}
    doc["updated"] = updated
    return validate_document(doc)


def as_upload(doc, name=None):
    return (name or f"{doc['student']}.json", json.dumps(doc, ensure_ascii=False).encode("utf-8"))


# -- Krippendorff's alpha ------------------------------------------------------------------------
def test_alpha_matches_a_case_worked_by_hand(corpus):
    # Two students, four excerpts, one code: A = 1,1,0,0 and B = 1,0,0,0.
    # Coincidences: o00 = 4, o01 = o10 = 1, o11 = 2; n0 = 5, n1 = 3, n = 8.
    # alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 7 / 15 = 8 / 15.
    e = corpus.excerpts["id"].tolist()[:4]
    code, other = corpus.code_ids[0], corpus.code_ids[1]
    a = make_doc(corpus, "A", {e[0]: [code], e[1]: [code], e[2]: [other], e[3]: [other]})
    b = make_doc(corpus, "B", {e[0]: [code], e[1]: [other], e[2]: [other], e[3]: [other]})
    data = cl.load_class([as_upload(a), as_upload(b)], corpus)
    table = cl.alpha_table(data).set_index("code")
    assert table.loc[code, "alpha"] == pytest.approx(8 / 15)
    assert table.loc[code, "band"] == "revisit"
    assert table.loc[code, "applications"] == 3
    assert table.loc[code, "pairs_agree"] == pytest.approx(3 / 4)  # the pairs agree on 3 of 4 excerpts
    # The other code: A = 0,0,1,1 and B = 0,1,1,1: the mirror image, so the same alpha.
    assert table.loc[other, "alpha"] == pytest.approx(8 / 15)


def test_alpha_matches_krippendorff_on_a_matrix_with_missing_values(corpus):
    rng = np.random.default_rng(7)
    excerpts = corpus.excerpts["id"].tolist()[:8]
    codes = corpus.code_ids[:3]
    docs, matrix = [], {c: np.full((5, len(excerpts)), np.nan) for c in codes}
    for i in range(5):
        coding = {}
        for j, excerpt in enumerate(excerpts):
            if rng.random() < 0.25:
                continue  # this student did not code this excerpt: missing
            chosen = [c for c in codes if rng.random() < 0.5] or [codes[0]]
            coding[excerpt] = chosen
            for c in codes:
                matrix[c][i, j] = float(c in chosen)
        docs.append(make_doc(corpus, f"S{i}", coding))
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.alpha_table(data).set_index("code")
    for c in codes:
        expected = krippendorff.alpha(reliability_data=matrix[c], level_of_measurement="nominal")
        assert table.loc[c, "alpha"] == pytest.approx(expected)


def test_a_code_nobody_used_is_reported_not_a_crash(corpus):
    e = corpus.excerpts["id"].tolist()[:3]
    used = corpus.code_ids[0]
    docs = [make_doc(corpus, n, {x: [used] for x in e}) for n in ("A", "B", "C")]
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.alpha_table(data, lang="da").set_index("code")
    unused = [c for c in corpus.code_ids if c != used]
    assert (table.loc[unused, "note"] == "unused").all()
    assert table.loc[unused, "alpha"].isna().all()
    assert (table.loc[unused, "band"] == "undefined").all()
    assert table.loc[unused[0], "reading"].startswith("udefineret")
    # Everybody always used the other code: no variation, also reported.
    assert table.loc[used, "note"] == "no variation"


def test_bands_follow_krippendorff(corpus):
    sim = cl.simulate_class(corpus, 40, seed=5, broken=False)
    table = cl.alpha_table(cl.load_class(sim.folder, corpus))
    for row in table.itertuples():
        if math.isnan(row.alpha):
            continue
        expected = "reliable" if row.alpha >= 0.8 else "tentative" if row.alpha >= 0.667 else "revisit"
        assert row.band == expected
    assert (table["prevalence"].between(0, 1)).all()
    assert table["reference"].tolist() == [
        sum(c in v for v in corpus.reference_codes().values()) for c in corpus.code_ids]


def test_first_and_final_stages_are_kept_apart(corpus):
    e = corpus.excerpts["id"].iloc[0]
    a, b = corpus.code_ids[:2]
    doc = make_doc(corpus, "A", {e: [a]}, revised={e: [b]})
    data = cl.load_class([as_upload(doc)], corpus)
    table = cl.codings_table(data)
    assert set(map(tuple, table[["code", "stage"]].to_numpy())) == {(a, "first"), (b, "final")}
    assert list(table.columns) == ["student", "excerpt", "case", "code", "stage"]
    assert (table["case"] == corpus.excerpts["case"].iloc[0]).all()


# -- robustness ----------------------------------------------------------------------------------
EXPECTED_KIND = {"truncated": "not_json", "foreign": "foreign", "oversized": "oversized",
                 "duplicate": "duplicate_content", "same_student": "duplicate_student",
                 "other_corpus": "other_corpus", "empty": "empty"}


def test_broken_duplicate_and_foreign_files_are_skipped_and_named(corpus):
    sim = cl.simulate_class(corpus, 12, seed=11)
    assert set(sim.broken.values()) == set(cl.BROKEN_KINDS)
    data = cl.load_class(sim.folder, corpus)
    skipped = {item.file: item.kind for item in data.skipped}
    assert skipped == {name: EXPECTED_KIND[kind] for name, kind in sim.broken.items()}
    # ... and the rest are processed: every simulated student, once.
    assert sorted(data.students) == sorted(sim.students)
    assert data.n_files == 12 + len(sim.broken)
    # The copy, not the original, is named as the duplicate; the newer save of a student is kept.
    duplicate = next(n for n, k in sim.broken.items() if k == "duplicate")
    assert "(1)" in duplicate and sim.files[0] in data.files
    assert sim.files[1] in data.files
    report = cl.skipped_table(data, lang="da")
    assert set(report["file"]) == set(sim.broken)
    assert report["reason"].str.len().gt(0).all()
    assert report.set_index("kind").loc["other_corpus", "reason"].count("min-egen-case") == 1


def test_uploads_with_bad_bytes_and_invalid_documents(corpus):
    good = make_doc(corpus, "Good", {corpus.excerpts["id"].iloc[0]: [corpus.code_ids[0]]})
    invalid = json.loads(json.dumps(good))
    invalid["student"] = "Bad"
    invalid["coding"][corpus.excerpts["id"].iloc[0]]["first"] = "HOFF_DESIGN"  # not a list
    uploads = [
        {"name": "good.json", "content": memoryview(json.dumps(good).encode())},  # FileUpload item
        ("latin1.json", "ø".encode("latin-1")),
        ("invalid.json", json.dumps(invalid).encode()),
        ("list.json", b"[1, 2, 3]"),
        ("bom.json", b"\xef\xbb\xbf" + json.dumps(dict(good, student="Bom")).encode()),
    ]
    data = cl.load_class(uploads, corpus)
    assert {i.file: i.kind for i in data.skipped} == {
        "latin1.json": "not_text", "invalid.json": "invalid", "list.json": "foreign"}
    assert sorted(data.students) == ["Bom", "Good"]
    assert "first" in next(i for i in data.skipped if i.kind == "invalid").reason("en")


def test_folder_reading_leaves_backups_and_hidden_files_alone(corpus, tmp_path):
    doc = make_doc(corpus, "A", {corpus.excerpts["id"].iloc[0]: [corpus.code_ids[0]]})
    (tmp_path / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "a.json.bak").write_text("{", encoding="utf-8")
    (tmp_path / ".tmp-x.json").write_text("{", encoding="utf-8")
    data = cl.load_class(tmp_path, corpus)
    assert data.students == ["A"] and data.skipped == []


def test_unknown_codes_excerpts_and_moves_are_left_out_with_a_note(corpus):
    e = corpus.excerpts["id"].iloc[0]
    doc = make_doc(corpus, "A", {e: [corpus.code_ids[0]]})
    doc["coding"][e]["first"].append("NOT_A_CODE")
    doc["coding"]["no-such-excerpt"] = dict(doc["coding"][e])
    doc["moves"]["XX99"] = {"attempts": [{"answer": "NONE", "result": "wrong", "at": "x"}], "updated": "x"}
    data = cl.load_class([as_upload(doc)], corpus)
    notes = " ".join(data.note_texts("en"))
    assert "NOT_A_CODE" in notes and "excerpts not in the data" in notes and "moves not in the data" in notes
    assert data.coded["first"].sum() == 1


def test_simulated_files_are_real_save_files_and_seeded(corpus, tmp_path):
    one = cl.simulate_class(corpus, 6, seed=3, folder=tmp_path / "one")
    two = cl.simulate_class(corpus, 6, seed=3, folder=tmp_path / "two")
    for name in one.files:
        assert (one.folder / name).read_bytes() == (two.folder / name).read_bytes()
        doc = read_save_file(one.folder / name)
        assert doc["corpus"] == corpus.key and doc["data_version"] == corpus.data_version
    other = cl.simulate_class(corpus, 6, seed=4, folder=tmp_path / "three", broken=False)
    assert other.broken == {}
    assert (other.folder / other.files[0]).read_bytes() != (one.folder / one.files[0]).read_bytes()


# -- names ---------------------------------------------------------------------------------------
def test_pseudonyms_hide_names_and_are_stable_within_a_run(corpus):
    sim = cl.simulate_class(corpus, 15, seed=2)
    data = cl.load_class(sim.folder, corpus)
    mapping = cl.pseudonyms(data, "da")
    assert mapping == cl.pseudonyms(data, "da")
    assert sorted(mapping) == sorted(sim.students)
    assert len(set(mapping.values())) == 15
    assert all(re.fullmatch(r"Studerende \d{2}", p) for p in mapping.values())
    hidden = cl.codings_table(data, hide_names=True)
    assert not set(hidden["student"]) & set(sim.students)
    shown = cl.codings_table(data)
    assert (hidden["student"] == shown["student"].map(mapping)).all()
    students = cl.students_table(data, hide_names=True)
    assert "file" not in students and not set(students["student"]) & set(sim.students)
    page = cl.render_html(data, hide_names=True, lang="da")
    assert not any(name in page for name in sim.students)
    assert not any(name in page for name in [*sim.files, *sim.broken])
    # Another run (another salt) numbers the students differently; a seed repeats the numbering.
    assert cl.pseudonyms(cl.load_class(sim.folder, corpus, seed=1)) == cl.pseudonyms(
        cl.load_class(sim.folder, corpus, seed=1))


# -- heatmap, disagreement, moves ----------------------------------------------------------------
def test_heatmap_shares_and_reference(corpus):
    e0, e1 = corpus.excerpts["id"].iloc[:2]
    a, b = corpus.code_ids[:2]
    docs = [make_doc(corpus, "A", {e0: [a, b]}), make_doc(corpus, "B", {e0: [a]}),
            make_doc(corpus, "C", {e0: [b], e1: [a]})]
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.heatmap_data(data).set_index(["excerpt", "code"])
    assert len(table) == len(corpus.excerpts) * len(corpus.code_ids)
    assert table.loc[(e0, a), "share"] == pytest.approx(2 / 3)
    assert table.loc[(e0, b), "share"] == pytest.approx(2 / 3)
    assert table.loc[(e0, corpus.code_ids[2]), "share"] == 0
    assert table.loc[(e1, a), "share"] == 1 and table.loc[(e1, a), "coders"] == 1
    nobody = corpus.excerpts["id"].iloc[5]
    assert np.isnan(table.loc[(nobody, a), "share"])
    reference = corpus.reference_codes()
    for (excerpt, code), row in table.iterrows():
        assert row["reference"] == (code in reference[excerpt])
    chart = cl.heatmap_chart(data, lang="da")
    spec = chart.to_dict()
    assert "hvid prik" in spec["description"]
    assert spec["layer"][1]["mark"]["type"] == "point"


def test_disagreement_ranks_split_excerpts_first(corpus):
    e0, e1 = corpus.excerpts["id"].iloc[:2]
    a, b = corpus.code_ids[:2]
    docs = [make_doc(corpus, "A", {e0: [a], e1: [a]}), make_doc(corpus, "B", {e0: [a], e1: [b]})]
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.disagreement_table(data, top=None)
    assert table["excerpt"].tolist() == [e1, e0]
    # e1: two students split on two codes: per code k(n-k)/(n(n-1)/2) = 1; the mean over codes = 2/12.
    assert table.iloc[0]["disagreement"] == pytest.approx(2 / len(corpus.code_ids))
    assert table.iloc[1]["disagreement"] == 0
    assert table.iloc[0]["split_share"] == pytest.approx(0.5)


def test_moves_most_often_wrong_use_first_attempts(corpus):
    quiz = MoveQuiz(corpus, store=None)
    record = corpus.moves.iloc[0]
    accepted = {record["reference_class"], *split_list(record["also_accepted"])}
    wrong = next(c for c in corpus.move_classes if quiz.judge(record["id"], c).result == "wrong")
    easy = corpus.moves.iloc[1]
    docs = [
        make_doc(corpus, "A", moves={record["id"]: [wrong, record["reference_class"]],
                                     easy["id"]: [easy["reference_class"]]}),
        make_doc(corpus, "B", moves={record["id"]: [wrong], easy["id"]: [easy["reference_class"]]}),
        make_doc(corpus, "C", moves={record["id"]: [record["reference_class"]]}),
    ]
    assert wrong not in accepted
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.moves_wrong(data, top=None).set_index("move")
    assert table.index[0] == record["id"]
    row = table.loc[record["id"]]
    assert (row["answered"], row["wrong"], row["correct"]) == (3, 2, 1)
    assert row["share_wrong"] == pytest.approx(2 / 3)
    assert row["common_answer"] == wrong and row["common_share"] == pytest.approx(2 / 3)
    assert table.loc[easy["id"], "wrong"] == 0 and table.loc[easy["id"], "common_answer"] == ""


def test_no_moves_gives_an_empty_table(corpus):
    doc = make_doc(corpus, "A", {corpus.excerpts["id"].iloc[0]: [corpus.code_ids[0]]})
    data = cl.load_class([as_upload(doc)], corpus)
    assert cl.moves_wrong(data).empty


def test_simulated_class_has_hard_moves_and_contested_excerpts(corpus):
    sim = cl.simulate_class(corpus, 60, seed=8, broken=False)
    data = cl.load_class(sim.folder, corpus)
    moves = cl.moves_wrong(data, top=None)
    assert moves["share_wrong"].iloc[0] > 2 * moves["share_wrong"].median()
    table = cl.disagreement_table(data, top=None)
    assert table["disagreement"].is_monotonic_decreasing


# -- the widget ----------------------------------------------------------------------------------
def test_class_view_analyses_a_folder(corpus):
    sim = cl.simulate_class(corpus, 8, seed=1)
    view = cl.ClassView(folder=sim.folder, corpus=corpus, lang="da")
    assert view.analyse() is not None
    assert view.data.n_students == 8 and len(view.data.skipped) == len(sim.broken)
    empty = cl.ClassView(corpus=corpus)
    assert empty.analyse() is None
    missing = cl.ClassView(folder=sim.folder / "nowhere", corpus=corpus)
    assert missing.analyse() is None


def test_empty_class_does_not_crash(corpus, tmp_path):
    data = cl.load_class(tmp_path, corpus)
    assert data.n_students == 0
    assert cl.codings_table(data).empty
    assert cl.moves_wrong(data).empty
    assert isinstance(cl.render_html(data), str)
    assert isinstance(cl.students_table(data), pd.DataFrame)
    assert (cl.alpha_table(data)["note"] == "unused").all()


def test_a_class_without_noise_agrees_perfectly(corpus):
    sim = cl.simulate_class(corpus, 10, seed=4, noise=0.0, broken=False)
    data = cl.load_class(sim.folder, corpus)
    table = cl.alpha_table(data)
    assert np.allclose(table["alpha"], 1.0) and (table["band"] == "reliable").all()
    assert (cl.moves_wrong(data, top=None)["wrong"] == 0).all()
    heat = cl.heatmap_data(data).dropna(subset=["share"])
    assert ((heat["share"] == 1) == heat["reference"]).all()


# -- review fixes ----------------------------------------------------------------------------------
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "own_case"


@pytest.fixture(scope="module")
def own():
    return load_corpus(EXAMPLE)


def test_own_case_without_moves_csv_loads_and_simulates(tmp_path):
    # A lecturer's own case may have no moves.csv: the class view works, with empty move parts.
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    (folder / "moves.csv").unlink()
    nomoves = load_corpus(folder)
    assert nomoves.moves.empty
    sim = cl.simulate_class(nomoves, 5, seed=3, folder=tmp_path / "class")
    data = cl.load_class(sim.folder, nomoves, seed=1)
    assert data.n_students == 5 and data.moves.empty
    assert cl.moves_wrong(data).empty
    assert (cl.students_table(data)["moves_answered"] == 0).all()
    assert len(cl.codings_table(data)) > 0
    assert isinstance(cl.render_html(data, lang="en"), str)
    cl.heatmap_chart(data, lang="en").to_dict()


def test_names_in_any_script_are_told_apart_and_normalised(own):
    e = own.excerpts["id"].iloc[0]
    early, late = "2026-01-01T10:00:00.000+00:00", "2026-01-01T11:00:00.000+00:00"
    docs = [make_doc(own, "Σοφία", {e: ["FRAME"]}, updated=early),
            make_doc(own, "Γιάννης", {e: ["FACIL"]}, updated=late),
            make_doc(own, "Zoë", {e: ["FRAME"]}, updated=early),
            make_doc(own, "Zoe", {e: ["FACIL"]}, updated=late),
            # The same name up to Unicode form (decomposed ë), case and spacing: one student, the newer kept.
            make_doc(own, "  ZOE\u0308 ", {e: ["ACCESS"]}, updated=late)]
    data = cl.load_class([as_upload(d, f"f{i}.json") for i, d in enumerate(docs)], own, seed=1)
    assert sorted(data.students) == sorted(["Σοφία", "Γιάννης", "Zoe", "  ZOE\u0308 ".strip()])
    assert [(s.file, s.kind, s.other) for s in data.skipped] == [("f2.json", "duplicate_student", "f4.json")]
    assert cl.name_key("  ZOE\u0308  x ") == cl.name_key("zoë x") != cl.name_key("zoe x")


def test_the_placeholder_name_is_never_merged(own):
    e = own.excerpts["id"].iloc[0]
    docs = [make_doc(own, "student", {e: ["FRAME"]}, updated="2026-01-01T10:00:00.000+00:00"),
            make_doc(own, "Student", {e: ["FACIL"]}, updated="2026-01-01T11:00:00.000+00:00"),
            make_doc(own, "", {e: ["ACCESS"]}, updated="2026-01-01T12:00:00.000+00:00")]
    data = cl.load_class([as_upload(d, f"f{i}.json") for i, d in enumerate(docs)], own, seed=1)
    assert data.skipped == [] and data.n_students == 3
    assert data.students == ["student (1)", "Student (2)", "student (3)"]  # numbered by last save
    assert "3 file(s) carry no name" in " ".join(data.note_texts("en"))
    assert len(set(cl.display_names(data, hide=True))) == 3
    # The numbering does not depend on the order of the files.
    again = cl.load_class([as_upload(d, f"f{i}.json") for i, d in reversed(list(enumerate(docs)))], own, seed=1)
    assert sorted(again.students) == sorted(data.students)
    assert cl.pseudonyms(again) == cl.pseudonyms(data)


def test_files_with_the_same_name_are_told_apart_by_position(own):
    e = own.excerpts["id"].iloc[0]
    name = "article__student.json"
    one = make_doc(own, "student", {e: ["FRAME"]}, updated="2026-01-01T10:00:00.000+00:00")
    two = make_doc(own, "student", {e: ["FACIL"]}, updated="2026-01-01T11:00:00.000+00:00")
    data = cl.load_class([as_upload(one, name), as_upload(two, name)], own, seed=1)
    assert data.n_students == 2 and data.skipped == []
    hidden = cl.display_names(data, hide=True)
    assert len(set(hidden)) == 2 and len(set(data.students)) == 2
    # Two saves of one named student under one file name: the newer is kept, the older skipped.
    old = make_doc(own, "Ada", {e: ["FRAME"]}, updated="2026-01-01T10:00:00.000+00:00")
    new = make_doc(own, "Ada", {e: ["FACIL"]}, updated="2026-01-01T11:00:00.000+00:00")
    data = cl.load_class([as_upload(new, "a.json"), as_upload(old, "a.json")], own)
    assert data.students == ["Ada"] and data.docs == [new]
    assert [s.kind for s in data.skipped] == ["duplicate_student"]
    # The same file twice under one name: one is kept.
    data = cl.load_class([as_upload(old, "a.json"), as_upload(old, "a.json")], own)
    assert data.students == ["Ada"] and [s.kind for s in data.skipped] == ["duplicate_content"]


def test_files_are_read_by_the_store(corpus, monkeypatch):
    # Every verdict on the bytes is store.parse_bytes's: a rule it adds reaches the class view.
    from course.store import SaveFileError, parse_bytes

    good = make_doc(corpus, "Good", {corpus.excerpts["id"].iloc[0]: [corpus.code_ids[0]]})
    uploads = [("deep.json", b"[" * 200_000), ("cut.json", json.dumps(good).encode()[:40]),
               ("empty.json", b" \n"), ("good.json", json.dumps(good).encode())]
    data = cl.load_class(uploads, corpus)
    assert {i.file: i.kind for i in data.skipped} == {"deep.json": "too_deep", "cut.json": "not_json",
                                                      "empty.json": "empty"}
    assert "line 1, column" in next(i for i in data.skipped if i.kind == "not_json").reason("en")
    assert "dybt" in next(i for i in data.skipped if i.kind == "too_deep").reason("da")

    def stricter(raw, source="upload"):
        doc = parse_bytes(raw, source)
        if doc["student"] == "Good":
            raise SaveFileError(source, "A rule the store added.")
        return doc

    monkeypatch.setattr(class_load, "parse_bytes", stricter)
    data = cl.load_class(uploads[-1:], corpus)
    assert [(i.kind, i.detail) for i in data.skipped] == [("invalid", "A rule the store added.")]

    class Kinded(SaveFileError):
        kind = "foreign"

    def kinded(raw, source="upload"):
        raise Kinded(source, "Whatever the words.")

    monkeypatch.setattr(class_load, "parse_bytes", kinded)
    assert [i.kind for i in cl.load_class(uploads[-1:], corpus).skipped] == ["foreign"]


def test_heatmap_alt_text_says_when_nothing_was_coded(corpus):
    for data in (cl.load_class([], corpus),
                 cl.load_class([as_upload(make_doc(corpus, "A", moves={corpus.moves["id"].iloc[0]: ["NONE"]}))],
                               corpus)):
        for lang, words in (("en", "has coded anything yet"), ("da", "har kodet noget endnu")):
            text = cl.heatmap_chart(data, lang=lang).to_dict()["description"]
            assert words in text and "0%" not in text and "0 %" not in text


def test_percentages_follow_the_language(corpus):
    sim = cl.simulate_class(corpus, 6, seed=9, broken=False)
    data = cl.load_class(sim.folder, corpus, seed=1)
    danish, english = cl.render_html(data, lang="da"), cl.render_html(data, lang="en")
    assert re.search(r">\d+ %<", danish)  # the projector view shows whole percentages
    assert not re.search(r"\d%", danish)
    assert re.search(r">\d+%<", english) and not re.search(r"\d %", english)
    assert re.search(r"gennemsnit \d+ %", cl.heatmap_chart(data, lang="da").to_dict()["description"])


def test_answers_unknown_to_the_loaded_data_are_left_out(corpus):
    move = corpus.moves.iloc[0]
    docs = [make_doc(corpus, "A", moves={move["id"]: [move["reference_class"]]}),
            make_doc(corpus, "B", moves={move["id"]: [move["reference_class"]]})]
    docs[1]["moves"][move["id"]]["attempts"][0]["answer"] = "OLD_CLASS"  # a class of an older version
    docs[1]["moves"][move["id"]]["attempts"][0]["result"] = "correct"
    data = cl.load_class([as_upload(d) for d in docs], corpus)
    table = cl.moves_wrong(data, top=None).set_index("move")
    assert (table.loc[move["id"], "answered"], table.loc[move["id"], "wrong"]) == (1, 0)
    assert "OLD_CLASS" not in table["common_answer"].tolist()
    assert "OLD_CLASS" in " ".join(data.note_texts("en"))


def test_reading_a_class_does_not_walk_its_documents_with_the_garbage_collector(corpus, tmp_path):
    """Issue 15: the collector used to take a third of the load of a large class. The documents are
    read with it off and then moved to the oldest generation; nothing is left frozen or switched off."""
    import gc

    sim = cl.simulate_class(corpus, 40, seed=3, folder=tmp_path)
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        data = cl.load_class(sim.folder, corpus)
    finally:
        gc.callbacks.remove(count)
    assert data.n_students == 40 and collections == []
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()  # a caller who turned it off keeps it off
    try:
        cl.load_class(sim.folder, corpus)
        assert not gc.isenabled()
    finally:
        gc.enable()
