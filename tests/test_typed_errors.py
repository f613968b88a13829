"""Typed errors (issue 11): a save file's and a data table's problems carry a kind and values, are
rendered from the catalogue in the reader's language, and the class view reads the kind, never the text."""
from __future__ import annotations

import html
import json

import pytest

from course import classroom as cl
from course import i18n
from course import store as st
from course.data import DataError, load_corpus

BAD = [
    (b" \n", "empty", {}),
    (b"\xff\xfe\x00garbage", "not_text", {}),
    (b'{"format": "samskabelse-course/work", "coding": {', "not_json", {"line": 1, "col": 50}),
    (b"[1, 2, 3]", "not_object", {}),
    (b'{"name": "other app"}', "foreign", {}),
    (b"[" * 200_000, "too_deep", {}),
    (b'{"format": "samskabelse-course/work", "schema_version": 99}', "newer", {"version": 99}),
    (b'{"format": "samskabelse-course/work", "schema_version": 1, "student": "x", "corpus": "article",'
     b' "created": "", "updated": "", "coding": {"a": {"first": "HOFF"}}, "moves": {}}', "entry_no_codes",
     {"part": "coding", "id": "a"}),
]


@pytest.mark.parametrize("raw, kind, values", BAD)
def test_a_save_file_error_has_a_kind_values_and_both_languages(raw, kind, values):
    with pytest.raises(st.SaveFileError) as caught:
        st.parse_bytes(raw, "min-fil.json")
    err = caught.value
    assert err.kind == kind and err.values == values
    danish, english = err.message("da"), err.message("en")
    assert danish.startswith("min-fil.json: ") and danish != english
    shown = dict(values)
    if "part" in shown:
        shown["where"] = i18n.t("save_where_" + shown.pop("part"), "da", id=shown.pop("id"))
    assert i18n.t("save_error_" + kind, "da", **shown) in danish
    assert str(err).startswith(english)  # str() stays the English text, for logs


def test_the_class_view_reads_the_kind_not_the_words():
    err = st.SaveFileError("x.json", "Words nobody matches.", kind="not_json", values={"line": 3, "col": 9})
    skipped = cl.skip_for("x.json", err, 10)
    assert skipped.kind == "not_json" and "linje 3, kolonne 9" in skipped.reason("da")
    assert cl.skip_for("x.json", st.SaveFileError("x.json", kind="not_object"), 1).kind == "foreign"


def test_an_invalid_files_detail_is_in_the_readers_language():
    corpus = load_corpus()
    raw = BAD[-1][0].replace(b'"article"', json.dumps(corpus.key).encode())
    data = cl.load_class([("a.json", raw)], corpus)
    skipped = data.skipped[0]
    assert skipped.kind == "invalid"
    where = i18n.t("save_where_coding", "da", id="a")
    assert i18n.t("save_error_entry_no_codes", "da", where=where) in skipped.reason("da")
    assert "no list of codes in 'first'" in skipped.reason("en")


def test_the_upload_refusal_is_in_the_widgets_language(tmp_path):
    from course.widgets import ExcerptCoder

    st._OPEN.clear()
    for lang in ("da", "en"):
        coder = ExcerptCoder(student="Ane", case="police", folder=tmp_path / lang, lang=lang)
        coder.savebar.upload.receive("tom.json", b" ")
        shown = html.unescape(coder.savebar.message.value)
        assert i18n.t("save_error_empty", lang) in shown and "tom.json" in shown
    st._OPEN.clear()


def test_a_data_problem_has_a_kind_and_renders_in_both_languages(tmp_path):
    folder = tmp_path / "data"
    (folder / "codebook.csv").mkdir(parents=True)
    with pytest.raises(DataError) as caught:
        load_corpus(folder)
    problem = next(p for p in caught.value.problems if p.kind == "is_folder")
    assert problem.values == {"name": "codebook.csv"}
    assert problem.render("da") != problem.render("en")
    assert i18n.t("data_is_folder", "en", name="codebook.csv") in problem.render("en")


def test_every_problem_the_loader_finds_has_a_kind_and_both_languages(tmp_path):
    """Break a lecturer's own case in many ways at once: each problem is typed (never "other") and its message and fix
    come from the catalogue in Danish and English, naming the file, row and field as before."""
    import csv
    import shutil
    from pathlib import Path

    folder = tmp_path / "case"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "own_case", folder,
                    ignore=shutil.ignore_patterns("*.md"))
    (folder / "cases.csv").write_text("id,label_da,label_da\nown,Egen,Egen\n", encoding="utf-8")  # duplicate column
    (folder / "corpus.csv").write_text("id\none\ntwo\n", encoding="utf-8")  # more than one corpus
    with open(folder / "codebook.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0].update(colour="blue", uuid="not-a-uuid")
    with open(folder / "codebook.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (folder / "timeline.csv").write_text("id,case,order,when_da,event_da,leadership,section\n"
                                         "t 1,own,x,nu,Noget sker,sometimes,\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_corpus(folder)
    problems = caught.value.problems
    kinds = {p.kind for p in problems}
    assert {"duplicate_column", "bad_colour", "bad_uuid", "bad_id", "not_integer", "not_allowed"} <= kinds, kinds
    assert "other" not in kinds
    for problem in problems:
        danish, english = problem.render("da"), problem.render("en")
        assert danish != english
        assert danish.startswith(i18n.t(f"data_{problem.kind}", "da", **problem.values))
        assert english.startswith(i18n.t(f"data_{problem.kind}", "en", **problem.values))
        assert problem.file.startswith(str(folder)) and problem.row is not None
    colour = next(p for p in problems if p.kind == "bad_colour")
    assert colour.values == {"colour": "blue"} and colour.field == "colour" and colour.row == 2
    assert ", row 2, field 'colour': 'blue' is not a colour like #4477AA. How to fix:" in colour.describe("en")
    assert ", række 2, felt 'colour': 'blue' er ikke en farve som #4477AA. Sådan retter du det:" in colour.describe("da")


@pytest.mark.parametrize("raw, kind", [
    (b'{"a": NaN}', "bad_number"), (b'{"a": Infinity}', "bad_number"),
    (b'{"a": ' + b"9" * 5000 + b"}", "long_number"), (b'{"a": 1e999}', "huge_number"),
])
def test_numbers_a_save_never_holds_are_typed_and_speak_the_students_language(raw, kind):
    """Before: kind 'invalid' with an English detail inside the Danish sentence."""
    from course.store import SaveFileError, parse_bytes

    with pytest.raises(SaveFileError) as caught:
        parse_bytes(raw, "min-fil.json")
    err = caught.value
    assert err.kind == kind
    assert err.describe("da") == i18n.t("save_error_" + kind, "da", **{
        k: (i18n.number(v, "da") if isinstance(v, int) else v) for k, v in err.values.items()})
    assert not any(word in err.describe("da") for word in ("number", "digits", "allows", "large"))
