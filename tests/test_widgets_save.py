"""The save bar tells the truth: a failed save is shown (in the student's language) and retried,
"Gemt" appears only after a write succeeded, and a name typed or restored keeps the work."""
from __future__ import annotations

import errno
import json
import os

import pytest

from course import i18n, limits
from course import store as st
from course.widgets import ExcerptCoder, MoveClassifier


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "work"


@pytest.fixture(autouse=True)
def fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


def saved(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("code, words_da, words_en", [
    (errno.ENOSPC, "disken er fuld", "disk is full"),
    (errno.EROFS, "kan kun læses", "read-only"),
    (errno.EACCES, "ikke lov", "not allowed"),
])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_failed_save_shows_in_the_save_bar_and_is_retried(folder, monkeypatch, code, words_da, words_en, lang):
    coder = ExcerptCoder(student="Ane", case="police", folder=folder, lang=lang)
    coder.boxes["HOFF_DESIGN"].value = True
    coder.store.flush()  # the widgets save in the background
    assert coder.savebar.problem.value == ""
    ok_status = coder.savebar.status.value
    assert i18n.t("saved_at", lang, time="")[:4] in ok_status
    real = st._write_new_file

    def fail(path, payload):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(st, "_write_new_file", fail)
    first = coder.model.excerpt_id
    coder.boxes["HON_MANAGEMENT"].value = True  # raises nothing
    coder.store.flush()
    problem = coder.savebar.problem.value
    assert 'role="alert"' in problem and (words_da if lang == "da" else words_en) in problem
    assert i18n.t("download", lang) in problem  # what to do: download it now
    assert i18n.t("not_saved", lang) in coder.savebar.status.value
    assert i18n.t("saved_at", lang, time="")[:4] not in coder.savebar.status.value
    assert saved(coder.store.path)["coding"][first]["first"] == ["HOFF_DESIGN"]  # the file is untouched
    monkeypatch.setattr(st, "_write_new_file", real)
    coder.next_button.click()  # the next action retries
    coder.store.flush()
    assert coder.savebar.problem.value == ""
    assert i18n.t("saved_at", lang, time="")[:4] in coder.savebar.status.value
    assert set(saved(coder.store.path)["coding"][first]["first"]) == {"HOFF_DESIGN", "HON_MANAGEMENT"}


def test_a_work_folder_that_became_a_file_is_shown_not_raised(folder):
    import shutil

    clf = MoveClassifier(student="Bo", case="police", folder=folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("a file where the folder was")
    refs = clf.corpus.moves.set_index("id")["reference_class"]
    clf.choose(refs[clf.model.move_id])
    clf.answer_button.click()
    assert "Rigtigt." in clf.feedback.value  # the feedback still comes
    clf.store.flush()
    assert "ikke en mappe" in clf.savebar.problem.value
    folder.unlink()
    clf.next_button.click()
    clf.store.flush()
    assert clf.savebar.problem.value == "" and saved(clf.store.path)["moves"]


def test_typing_a_name_brings_the_default_students_work_along(folder):
    coder = ExcerptCoder(student="student", case="police", folder=folder)
    coder.boxes["HOFF_DESIGN"].value = True
    coder.savebar.name.value = "Ane Ø"
    assert coder.store.student == "Ane Ø"
    assert coder.model.coded_count == 1 and coder.boxes["HOFF_DESIGN"].value
    assert "student" in coder.notice.value and "Ane Ø" in coder.notice.value
    assert saved(coder.store.path)["coding"][coder.model.excerpt_id]["first"] == ["HOFF_DESIGN"]


def test_restoring_a_file_adopts_its_name_and_shows_the_work(folder, tmp_path):
    maker = ExcerptCoder(student="Ane", case="police", folder=tmp_path / "elsewhere")
    maker.boxes["DEM_EQUAL"].value = True
    raw = maker.store.export_bytes()
    st._OPEN.clear()
    coder = ExcerptCoder(student="student", case="police", folder=folder)
    coder.savebar.upload.receive("ane.json", raw)  # what choosing the file in the browser does
    assert coder.savebar.name.value == "Ane" and coder.store.student == "Ane"
    assert coder.done.value.startswith("1 af") and coder.boxes["DEM_EQUAL"].value
    assert "Ane" in coder.savebar.message.value
    coder.savebar.name.value = "Ane"  # typing it again changes nothing
    assert coder.model.coded_count == 1
    assert json.loads((folder / "profile.json").read_text(encoding="utf-8"))["student"] == "Ane"


def test_a_too_long_memo_is_refused_with_a_message(folder):
    coder = ExcerptCoder(student="Ane", case="police", folder=folder)
    coder.memo.value = "x" * (limits.MAX_MEMO_CHARS + 1)
    assert "grænsen" in coder.savebar.message.value
    assert not coder.store.coding.get(coder.model.excerpt_id, {}).get("memo")
    coder.memo.value = "kortere"
    assert coder.savebar.message.value == "" and coder.store.coding[coder.model.excerpt_id]["memo"] == "kortere"


@pytest.mark.parametrize("lang, words", [("da", "midlertidige fil"), ("en", "temporary file")])
def test_the_coder_says_when_it_recovered_work(folder, lang, words):
    store = st.Store("Ane", "article", "v", "c", folder)
    store.coding["pol-q01"] = {"first": ["HOFF_DESIGN"], "memo": "", "revealed": False, "updated": st.now()}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f".tmp-{store.path.name}-0123456789ab.json").write_bytes(st.dump_bytes(store.doc))
    coder = ExcerptCoder(student="Ane", folder=folder, lang=lang)
    assert words in coder.notice.value and coder.model.is_coded("pol-q01")
    assert not list(folder.glob(".tmp-*"))
