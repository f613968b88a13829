"""The cross-case comparison (course.compare): its numbers equal counts made independently from the
CSV files, its charts describe both cases, and the student's results cope with no save file, an empty
one, a damaged one and one written through the models."""
from __future__ import annotations

import csv
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import course
from course import compare
from course.charts import alt_text
from course.coding import CodingSession
from course.moves import MoveQuiz
from course.paths import data_dir
from course.store import Store

GROUP_OF_PREFIX = {"HOFF": "hands_off", "HON": "hands_on", "DEM": "democratic_anchoring", "NONE": "none"}


def read(name: str) -> list[dict[str, str]]:
    with (data_dir() / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))



@pytest.fixture(scope="module")
def table(corpus):
    return compare.case_comparison(corpus)


# -- the comparison table against the raw CSV files ----------------------------------------------
def test_compares_the_cases_with_moves(table):
    cases_with_moves = {r["case"] for r in read("moves")}
    assert set(table.index) == cases_with_moves
    assert {"police", "workshop"} <= set(table.index)
    assert "general" not in table.index


def test_move_counts_equal_the_csv(table):
    moves = read("moves")
    per_class = Counter((r["case"], r["reference_class"]) for r in moves)
    per_mode = Counter((r["case"], GROUP_OF_PREFIX[r["reference_class"].split("_")[0]]) for r in moves)
    for case in table.index:
        rows = [r for r in moves if r["case"] == case]
        assert table.loc[case, "moves"] == len(rows)
        for cls in {r["reference_class"] for r in moves}:
            assert table.loc[case, f"class_{cls}"] == per_class[(case, cls)], (case, cls)
        for mode in GROUP_OF_PREFIX.values():
            assert table.loc[case, f"mode_{mode}"] == per_mode[(case, mode)], (case, mode)
        classified = len(rows) - per_mode[(case, "none")]
        assert table.loc[case, "classified"] == classified
        for mode in ("hands_off", "hands_on", "democratic_anchoring"):
            assert table.loc[case, f"share_{mode}"] == pytest.approx(per_mode[(case, mode)] / classified)
        shares = [table.loc[case, f"share_{m}"] for m in ("hands_off", "hands_on", "democratic_anchoring")]
        assert sum(shares) == pytest.approx(1)


def test_reference_code_counts_equal_the_csv(table):
    group = {r["id"]: r["group"] for r in read("codebook")}
    excerpts = read("excerpts")
    for case in table.index:
        rows = [r for r in excerpts if r["case"] == case]
        counted = Counter(group[c.strip()] for r in rows for c in r["reference_codes"].split(";") if c.strip())
        for name in ("hands_off", "hands_on", "democratic_anchoring", "dilemma"):
            assert table.loc[case, f"codes_{name}"] == counted[name], (case, name)
        assert table.loc[case, "excerpts"] == len(rows)
        assert table.loc[case, "quotes"] == sum(r["kind"] == "quote" for r in rows)


def test_timeline_span_equals_the_csv(corpus):
    table = compare.case_comparison(corpus, lang="da")
    events = read("timeline")
    for case in table.index:
        rows = sorted((r for r in events if r["case"] == case), key=lambda r: int(r["order"]))
        years = [int(r["year"]) for r in rows if r["year"].strip()]
        assert table.loc[case, "events"] == len(rows)
        if years:
            assert table.loc[case, "first_year"] == min(years)
            assert table.loc[case, "last_year"] == max(years)
        else:
            assert pd.isna(table.loc[case, "first_year"]) and pd.isna(table.loc[case, "last_year"])
        assert table.loc[case, "first_when"] == rows[0]["when_da"]
        assert table.loc[case, "last_when"] == rows[-1]["when_da"]


def test_code_counts_cover_every_case_and_code(corpus):
    counts = compare.code_counts(corpus)
    assert len(counts) == len(corpus.cases) * len(corpus.codebook)
    total = sum(len([c for c in r["reference_codes"].split(";") if c.strip()]) for r in read("excerpts"))
    assert counts["count"].sum() == total


def test_view_has_a_column_per_case_and_readable_rows(corpus, table):
    view = compare.comparison_view(corpus, lang="da")
    assert list(view.columns) == [compare.case_label(corpus, c, "da") for c in table.index]
    assert "Greb i alt" in view.index
    shares = [i for i in view.index if i.startswith("Andel")]
    assert len(shares) == 3 and all(v.endswith("%") for i in shares for v in view.loc[i])
    english = compare.comparison_view(corpus, lang="en")
    assert "Moves in all" in english.index


def test_early_moves_and_switches(corpus):
    early = compare.early_moves(corpus)
    phases = {r["id"] for r in read("moves") if r["phase"] in ("initiation", "design_framing")}
    assert set(early["id"]) == phases
    switches = compare.leadership_switches(corpus)
    events = read("timeline")
    for case in switches.index:
        sequence = [r["leadership"] for r in sorted(events, key=lambda r: int(r["order"]))
                    if r["case"] == case and r["leadership"] in ("hands_off", "hands_on")]
        assert switches[case] == sum(a != b for a, b in zip(sequence, sequence[1:]))


# -- charts --------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("make", [compare.comparison_chart, compare.code_group_chart, compare.timeline_chart])
def test_charts_have_alt_text_naming_both_cases(corpus, table, make, lang):
    chart = make(corpus, lang=lang)
    text = alt_text(chart)
    for case in table.index:
        assert compare.case_label(corpus, case, lang) in text
    assert any(ch.isdigit() for ch in text)
    chart.to_dict()  # a valid Vega-Lite specification


def test_comparison_alt_text_gives_the_table_numbers(corpus, table):
    text = compare.comparison_alt_text(corpus, lang="da")
    for case in table.index:
        assert f"{int(table.loc[case, 'moves'])} greb" in text
        assert f"de {int(table.loc[case, 'classified'])} klassificerede" in text


def test_charts_use_paul_tol_colours(corpus):
    from course.charts import GROUP_COLOURS, MODE_COLOURS, TOL_BRIGHT

    allowed = {c.upper() for c in [*TOL_BRIGHT, *MODE_COLOURS.values(), *GROUP_COLOURS.values()]}
    for make in (compare.comparison_chart, compare.code_group_chart, compare.timeline_chart):
        spec = json.dumps(make(corpus).to_dict())
        used = {s.upper() for s in __import__("re").findall(r"#[0-9A-Fa-f]{6}", spec)}
        assert used and used <= allowed, used - allowed


# -- the student's own results -------------------------------------------------------------------
def test_no_save_file_is_fine(corpus, tmp_path):
    results = compare.student_results(corpus, student="Nobody", folder=tmp_path)
    assert not results.attrs["has_work"]
    assert list(results.index) == compare.compared_cases(corpus)
    assert (results["coded"] == 0).all() and (results["answered"] == 0).all()
    assert results["mean_jaccard"].isna().all()
    assert not list(tmp_path.iterdir()), "reading results must not write a file"
    text = compare.student_report(results, corpus, lang="da")._repr_html_()
    assert "ingen gemte" in text and "helt i orden" in text
    assert "ExcerptCoder" in text


def test_default_name_and_folder(corpus, work_dir):
    results = compare.student_results(corpus)
    assert results.attrs["student"] == "student"
    assert Path(results.attrs["path"]).parent == work_dir
    (work_dir).mkdir(parents=True, exist_ok=True)
    (work_dir / "profile.json").write_text(json.dumps({"student": "Mira"}), encoding="utf-8")
    assert compare.student_results(corpus).attrs["student"] == "Mira"


def test_results_from_a_save_written_through_the_models(corpus, tmp_path):
    store = Store("Ada", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    coder = CodingSession(corpus, store)
    reference = corpus.reference_codes()
    police = [e for e in corpus.excerpts.query("case == 'police'")["id"] if reference[e]][:2]
    workshop = [e for e in corpus.excerpts.query("case == 'workshop'")["id"] if reference[e]][:1]
    coder.set_codes(reference[police[0]], police[0])          # identical: overlap 1
    coder.set_codes([reference[police[1]][0]], police[1])     # one of the reference codes
    wrong = next(c for c in corpus.code_ids if c not in reference[workshop[0]])
    coder.set_codes([wrong], workshop[0])                     # no overlap
    quiz = MoveQuiz(corpus, store)
    moves = corpus.moves.set_index("id")
    pm = moves.index[moves["case"] == "police"][:2]
    quiz.answer(moves.loc[pm[0], "reference_class"], pm[0])   # right
    modes = compare.class_mode(corpus)
    off = next(c for c in corpus.move_classes if modes[c] != modes[moves.loc[pm[1], "reference_class"]])
    quiz.answer(off, pm[1])                                   # wrong
    quiz.answer(moves.loc[pm[1], "reference_class"], pm[1])   # second attempt does not count

    results = compare.student_results(corpus, student="Ada", folder=tmp_path)
    assert results.attrs["has_work"] and results.attrs["student"] == "Ada"
    p, w = results.loc["police"], results.loc["workshop"]
    assert p["coded"] == 2 and w["coded"] == 1
    second = 1 / len(reference[police[1]])
    assert p["mean_jaccard"] == pytest.approx((1 + second) / 2)
    assert p["precision"] == 1
    assert p["recall"] == pytest.approx((len(reference[police[0]]) + 1)
                                        / (len(reference[police[0]]) + len(reference[police[1]])))
    assert w["mean_jaccard"] == 0 and w["precision"] == 0
    assert p["answered"] == 2 and p["correct"] == 1 and p["wrong"] == 1 and p["share_correct"] == 0.5
    assert w["answered"] == 0 and math.isnan(w["share_correct"])
    assert (results.loc[["police", "workshop"], "moves"]
            == compare.case_comparison(corpus).loc[["police", "workshop"], "moves"]).all()
    report = compare.student_report(results, corpus, lang="da")._repr_html_()
    assert "Ada" in report and "<td>Politiets dialoginitiativ</td>" in report


def test_hands_on_shares_compare_the_same_moves(corpus, tmp_path):
    store = Store("Bo", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    quiz = MoveQuiz(corpus, store)
    modes = compare.class_mode(corpus)
    moves = corpus.moves[corpus.moves["case"] == "police"]
    off = moves[moves["reference_class"].map(modes) == "hands_off"]["id"].tolist()[:2]
    for move in off:
        quiz.answer("HON_MANAGEMENT", move)                    # sees hands-on where the course sees hands-off
    r = compare.student_results(corpus, student="Bo", folder=tmp_path).loc["police"]
    assert r["you_hands_on"] == 1 and r["ref_hands_on"] == 0


def test_a_general_excerpt_adds_its_case(corpus, tmp_path):
    general = corpus.excerpts.query("case == 'general'")["id"].tolist()
    if not general:
        pytest.skip("no general excerpts")
    store = Store("Cy", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    CodingSession(corpus, store).set_codes(["HOFF_FRAMING"], general[0])
    results = compare.student_results(corpus, student="Cy", folder=tmp_path)
    assert "general" in results.index and results.loc["general", "coded"] == 1


def test_a_damaged_save_file_does_not_crash(corpus, tmp_path):
    (tmp_path / f"{corpus.key}__dee.json").write_text("{not json", encoding="utf-8")
    results = compare.student_results(corpus, student="Dee", folder=tmp_path)
    assert not results.attrs["has_work"] and results.attrs["load_error"]
    assert "kunne ikke læses" in compare.student_report(results, corpus, lang="da").message()


def test_the_report_escapes_what_the_student_typed(corpus, tmp_path):
    store = Store("<b>x</b>", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    CodingSession(corpus, store).set_codes(["HOFF_DESIGN"], corpus.excerpts["id"].iloc[0])
    results = compare.student_results(corpus, student="<b>x</b>", folder=tmp_path)
    text = compare.student_report(results, corpus)._repr_html_()
    assert "<b>" not in text and "&lt;b&gt;" in text


def test_english_report(corpus, tmp_path):
    results = compare.student_results(corpus, student="Eve", folder=tmp_path)
    assert "quite all right" in repr(compare.student_report(results, corpus, lang="en"))


def test_works_with_a_lecturers_own_case(tmp_path):
    """The comparison runs on any valid corpus, e.g. the made-up example case (no timeline)."""
    folder = Path(__file__).resolve().parent.parent / "examples" / "own_case"
    if not (folder / "moves.csv").exists():
        pytest.skip("the example case is not there")
    own = course.load_corpus(folder)
    table = compare.case_comparison(own)
    assert table["moves"].sum() == len(own.moves)
    assert (table["events"] == 0).all() or len(own.timeline)
    for make in (compare.comparison_chart, compare.code_group_chart, compare.timeline_chart):
        chart = make(own, lang="da")
        chart.to_dict()
        assert alt_text(chart)
    results = compare.student_results(own, student="x", folder=tmp_path)
    assert not results.attrs["has_work"] and list(results.index) == list(table.index)


# -- corpora without moves or timeline, read-only results, escaping, language ----------------------
OWN_CASE = Path(__file__).resolve().parent.parent / "examples" / "own_case"


def _own_case_copy(tmp_path, drop=("moves.csv",)):
    folder = tmp_path / "own_case"
    shutil.copytree(OWN_CASE, folder)
    for name in drop:
        (folder / name).unlink(missing_ok=True)
    return course.load_corpus(folder)


def test_student_results_on_a_corpus_without_moves(tmp_path):
    own = _own_case_copy(tmp_path)
    assert own.moves.empty
    work = tmp_path / "work"
    store = Store("Ida", own.key, own.data_version, own.codebook_version, work)
    CodingSession(own, store).set_codes(["FRAME"], own.excerpts["id"].iloc[0])
    results = compare.student_results(own, student="Ida", folder=work)
    assert results.attrs["has_work"] and results["coded"].sum() == 1 and results["answered"].sum() == 0
    nobody = compare.student_results(own, student="nobody", folder=tmp_path / "empty")
    assert not nobody.attrs["has_work"]
    assert "quite all right" in repr(compare.student_report(nobody, own, lang="en"))


def test_no_moves_and_no_timeline_gives_an_empty_comparison(tmp_path):
    own = _own_case_copy(tmp_path)
    assert own.moves.empty and own.timeline.empty
    table = compare.case_comparison(own)
    assert table.empty and table.index.name == "case"
    assert {"label", "moves", "share_hands_on", "codes_dilemma", "first_when"} <= set(table.columns)
    view = compare.comparison_view(own, lang="en")
    assert view.shape[1] == 0 and "Moves in all" in view.index
    for lang, words in (("da", "intet at sammenligne"), ("en", "nothing to compare")):
        for make in (compare.comparison_chart, compare.code_group_chart, compare.timeline_chart):
            chart = make(own, lang=lang)
            chart.to_dict()
            assert words in alt_text(chart).lower(), (make.__name__, alt_text(chart))
    assert compare.leadership_switches(own).empty


def test_reading_results_leaves_a_damaged_file_alone(corpus, tmp_path):
    damaged = b'{"format": "samskabelse-course/work", "schema_version": 1, "coding": {"<img src=x'
    path = tmp_path / f"{corpus.key}__dee.json"
    path.write_bytes(damaged)
    before = sorted(p.name for p in tmp_path.iterdir())
    results = compare.student_results(corpus, student="Dee", folder=tmp_path)
    assert results.attrs["load_error"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert path.read_bytes() == damaged


def test_a_damaged_file_with_a_good_backup_shows_the_backup_without_writing(corpus, tmp_path):
    store = Store("Fay", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    excerpt = corpus.excerpts["id"].iloc[0]
    CodingSession(corpus, store).set_codes(["HOFF_DESIGN"], excerpt)
    CodingSession(corpus, store).set_codes(["HOFF_DESIGN", "HON_MANAGEMENT"], excerpt)  # makes the .bak
    assert store.backup_path.exists()
    store.path.write_bytes(b"{broken")
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    results = compare.student_results(corpus, student="Fay", folder=tmp_path)
    assert results.attrs["load_error"] and results.attrs["has_work"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_report_escapes_the_save_file_and_the_name(corpus, tmp_path, lang):
    # a key from a damaged save file ends up in the load error
    bad = {"format": "samskabelse-course/work", "schema_version": 1, "student": "x", "corpus": corpus.key,
           "created": "a", "updated": "b", "moves": {}, "coding": {"<img src=x onerror=alert(1)>": 5}}
    (tmp_path / f"{corpus.key}__x.json").write_text(json.dumps(bad), encoding="utf-8")
    damaged = compare.student_results(corpus, student="x", folder=tmp_path)
    assert "<img" in damaged.attrs["load_error"]
    # a name that Markdown would turn into a link
    name = "[x](javascript:alert(1))"
    store = Store(name, corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    CodingSession(corpus, store).set_codes(["HOFF_DESIGN"], corpus.excerpts["id"].iloc[0])
    named = compare.student_results(corpus, student=name, folder=tmp_path)
    assert named.attrs["has_work"]
    for results, shown in ((damaged, "&lt;img src=x onerror=alert(1)&gt;"), (named, name)):
        report = compare.student_report(results, corpus, lang=lang)
        assert getattr(report, "_repr_markdown_", None) is None, "Markdown would render the name as a link"
        text = report._repr_html_()
        assert shown in text, text
        assert "<img" not in text and "href" not in text and "<a " not in text


def test_the_html_report_shows_the_table_and_code(corpus, tmp_path):
    store = Store("<b>Gry</b>", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    CodingSession(corpus, store).set_codes(["HOFF_DESIGN"], corpus.excerpts["id"].iloc[0])
    text = compare.student_report(compare.student_results(corpus, student="<b>Gry</b>", folder=tmp_path),
                                  corpus, lang="da")._repr_html_()
    assert "<table" in text and "&lt;b&gt;Gry&lt;/b&gt;" in text and "<b>Gry" not in text
    empty = compare.student_report(compare.student_results(corpus, student="Hal", folder=tmp_path / "no"),
                                   corpus, lang="en")._repr_html_()
    assert "<code>course.ExcerptCoder()</code>" in empty and "<table" not in empty


def test_the_english_comparison_is_in_english(corpus):
    table = compare.case_comparison(corpus, lang="en")
    events = corpus.timeline.sort_values("order")
    for case in table.index:
        mine = events[events["case"] == case]
        first = mine["when_en"].iloc[0] or mine["when_da"].iloc[0]
        assert table.loc[case, "first_when"] == first
        assert table.loc[case, "label"] == compare.case_label(corpus, case, "en")
    assert table.loc["police", "first_when"] != compare.case_comparison(corpus, lang="da").loc["police", "first_when"]
    view = compare.comparison_view(corpus, lang="en")
    police = compare.case_label(corpus, "police", "en")
    assert view.loc["The timeline begins", police] == table.loc["police", "first_when"]


def test_alt_text_of_a_case_without_moves_and_of_tied_classes(tmp_path):
    own = course.load_corpus(OWN_CASE)
    counts = own.moves["reference_class"].value_counts()
    tied = counts[counts == counts.max()].index
    assert len(tied) > 1, "the example case should have a tie"
    text = compare.comparison_alt_text(own, lang="en")
    for cls in tied:
        assert compare.class_label(own, cls, "en") in text
    # a case with a timeline but no moves: no "largest class" of zero moves
    folder = tmp_path / "timeline_only"
    shutil.copytree(OWN_CASE, folder)
    (folder / "moves.csv").unlink()
    (folder / "timeline.csv").write_text(
        "id,case,order,when_da,event_da,leadership,section\n"
        "t1,budget,1,foråret,Budget fastlagt,hands_off,\nt2,budget,2,maj,Møde,hands_on,\n", encoding="utf-8")
    only = course.load_corpus(folder)
    for lang in ("da", "en"):
        text = compare.comparison_alt_text(only, lang=lang)
        assert "(0)" not in text and "largest" not in text and "største" not in text
        assert ("ingen greb" if lang == "da" else "no moves") in text
        compare.comparison_chart(only, lang=lang).to_dict()
    assert compare.leadership_switches(only)["budget"] == 1


def test_one_none_label_and_shared_palettes(corpus):
    from course import timeline
    from course.charts import GROUP_COLOURS

    none = {compare.class_label(corpus, "NONE", "da"), compare.mode_label("none", "da"),
            timeline.mode_label("none", "da")}
    assert len(none) == 1
    spec = json.dumps(compare.code_group_chart(corpus).to_dict())
    for group in ("hands_off", "hands_on", "democratic_anchoring", "dilemma"):
        assert GROUP_COLOURS[group] in spec
