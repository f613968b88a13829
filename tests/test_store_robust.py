"""Saved work that survives anything: crashes, failed writes, two notebooks, odd files and names.

Each test reproduces a finding of issue 10 and fails against the store before it was fixed.
"""
from __future__ import annotations

import errno
import json
import os
import stat
import sys

import pytest

from course import i18n, limits
from course import store as st
from course.coding import CodingError, CodingSession

sys.path.insert(0, os.path.dirname(__file__))
import store_stress  # noqa: E402

posix_only = pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def make(folder, student="Ane"):
    return st.Store(student, "article", "v1", "c1", folder)


def entry(memo="", updated=None, codes=("X",)):
    return {"first": list(codes), "memo": memo, "revealed": False, "updated": updated or st.now()}


# -- crashes ---------------------------------------------------------------------------------------
@posix_only
def test_killing_the_writer_at_random_moments_loses_no_saved_entry(tmp_path):
    result = store_stress.kill_drill(tmp_path, kills=20, seed=10, max_delay=0.2)
    assert result["confirmed"] > 0
    assert result["lost"] == 0 and result["empty_opens"] == 0, result


def test_a_crash_between_the_old_two_renames_is_recovered_from_bak_and_tmp(tmp_path):
    """What a kill left behind with two renames: no save, a .bak and an orphan tmp."""
    s = make(tmp_path)
    s.coding["a"] = entry("first")
    s.save()
    s.coding["b"] = entry("second")
    s.save()
    newest = json.loads(s.path.read_bytes())
    newest["coding"]["c"] = dict(entry("third"), rev=1)
    s.path.replace(s.backup_path)  # the first rename happened ...
    (tmp_path / ".tmp-abc123xy.json").write_bytes(json.dumps(newest).encode())  # ... the second did not
    again = make(tmp_path)
    assert set(again.coding) == {"a", "b", "c"}
    assert again.recovered_from in ("backup", "tmp")
    assert again.path.exists() and not list(tmp_path.glob(".tmp-*")), "orphans go once the work is safe"
    assert st.read_save_file(again.path)["coding"]["c"]["memo"] == "third"


def test_an_orphan_tmp_alone_is_enough_to_recover(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = entry("only in tmp")
    payload = st.dump_bytes(s.doc)
    (tmp_path / f".tmp-{s.path.name}-0123456789ab.json").write_bytes(payload)
    again = make(tmp_path)
    assert again.coding["a"]["memo"] == "only in tmp" and again.recovered_from == "tmp"
    assert "midlertidige fil" in i18n.t("recovered_tmp", "da")


def test_the_save_is_replaced_by_one_rename_and_bak_exists_before_it(tmp_path, monkeypatch):
    s = make(tmp_path)
    s.coding["a"] = entry()
    s.save()
    renames = []
    real = os.replace

    def spy(src, dst):
        renames.append((os.path.basename(src), os.path.basename(dst), os.path.exists(s.backup_path)))
        return real(src, dst)

    monkeypatch.setattr(st.os, "replace", spy)
    s.coding["b"] = entry()
    assert s.save()
    onto_save = [r for r in renames if r[1] == s.path.name]
    assert len(onto_save) == 1 and onto_save[0][2], renames  # one rename; the .bak was already there
    assert not any(src == s.path.name for src, _, _ in renames), "the save itself is never moved away"


def test_orphans_of_other_students_are_left_alone(tmp_path):
    other = make(tmp_path, "Bo")
    other.coding["z"] = entry()
    orphan = tmp_path / ".tmp-zzzzzzzz.json"
    orphan.write_bytes(st.dump_bytes(other.doc))
    make(tmp_path, "Ane").save()
    make(tmp_path, "Ane")
    assert orphan.exists()


# -- failed writes ---------------------------------------------------------------------------------
FAILURES = [
    (errno.ENOSPC, "disk_full", "disken er fuld"),
    (errno.EROFS, "read_only", "kan kun læses"),
    (errno.EACCES, "no_permission", "ikke lov"),
]


@pytest.mark.parametrize("code, kind, words", FAILURES)
def test_a_failed_write_is_reported_kept_in_memory_and_retried(tmp_path, monkeypatch, code, kind, words):
    s = make(tmp_path)
    s.coding["a"] = entry("saved")
    assert s.save()
    before = s.path.read_bytes()

    def fail(path, payload):
        raise OSError(code, os.strerror(code), str(path))

    real = st._write_new_file
    monkeypatch.setattr(st, "_write_new_file", fail)
    s.coding["b"] = entry("in memory")
    saved_at = s.saved_at
    assert s.save() is False  # nothing raised
    assert s.save_error.kind == kind and s.pending and s.saved_at == saved_at
    assert s.path.read_bytes() == before and not list(tmp_path.glob(".tmp-*"))
    message = s.save_error.message("da", path=tmp_path)
    assert words in message and "hukommelsen" in message and "Hent din fil" in message
    assert "download" in s.save_error.message("en", path=tmp_path).lower()
    monkeypatch.setattr(st, "_write_new_file", real)
    assert s.retry() and s.save_error is None and not s.pending
    assert set(st.read_save_file(s.path)["coding"]) == {"a", "b"}


def test_a_work_folder_under_a_regular_file_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    s = make(blocker / "work")
    s.coding["a"] = entry()
    assert s.save() is False and s.save_error.kind == "not_a_folder"


def test_a_folder_that_vanishes_mid_save_is_retried(tmp_path, monkeypatch):
    s = make(tmp_path)
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(src))
        return real(src, dst)

    monkeypatch.setattr(st.os, "replace", flaky)
    s.coding["a"] = entry()
    assert s.save() and s.save_error is None
    assert "a" in st.read_save_file(s.path)["coding"]


def test_a_damaged_save_in_a_read_only_folder_still_opens(tmp_path, monkeypatch):
    s = make(tmp_path)
    s.coding["a"] = entry()
    s.save()
    s.coding["b"] = entry()
    s.save()
    s.path.write_bytes(b"{damaged")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(st, "atomic_write", read_only)
    monkeypatch.setattr(st, "_keep_copy", read_only)
    again = make(tmp_path)  # does not raise
    assert set(again.coding) == {"a"} and again.load_error is not None
    assert again.save_error is not None and again.save_error.kind == "read_only"


# -- two notebooks ---------------------------------------------------------------------------------
@posix_only
def test_two_processes_saving_one_students_file_lose_nothing(tmp_path):
    result = store_stress.two_writers(tmp_path, n=40)
    assert result["exit_codes"] == [0, 0]
    assert result["lost_entries"] == 0 and result["lost_attempts"] == 0, result


def test_merging_follows_the_logical_clock_not_file_stat(tmp_path, monkeypatch):
    one, two = make(tmp_path), make(tmp_path)
    for i in range(30):
        one.coding[f"one-{i}"] = entry()
        one.save()
        two.coding[f"two-{i}"] = entry()
        two.save()
    # the same entry edited in turn by both notebooks: the later edit wins whatever the clocks say
    one.coding["shared"] = entry("from one", updated="2999-01-01T00:00:00+00:00")
    one.save()
    two.coding.setdefault("shared", entry())["memo"] = "from two, later"
    two.coding["shared"]["updated"] = "2000-01-01T00:00:00+00:00"
    two.save()
    doc = st.read_save_file(one.path)
    assert {f"one-{i}" for i in range(30)} | {f"two-{i}" for i in range(30)} <= set(doc["coding"])
    assert doc["coding"]["shared"]["memo"] == "from two, later"


def test_timestamps_from_the_future_are_clamped(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = entry(updated="2999-01-01T00:00:00+00:00")
    s.save()
    doc = st.read_save_file(s.path)
    assert doc["coding"]["a"]["updated"] < "2100"
    upload = st.new_document("Ane", "article", "v1", "c1")
    upload["coding"]["b"] = entry("upload from a wrong clock", updated="2998-01-01T00:00:00+00:00")
    s.restore(json.dumps(upload).encode(), "old.json")
    assert s.coding["b"]["updated"] < "2100"
    other = make(tmp_path)  # another notebook edits the entry later: its edit wins
    other.coding["b"]["memo"] = "later edit"
    other.coding["b"]["updated"] = st.now()
    other.save()
    s.coding["a"]["memo"] = "unrelated edit"
    s.coding["a"]["updated"] = st.now()
    s.save()
    assert st.read_save_file(s.path)["coding"]["b"]["memo"] == "later edit"
    assert s.coding["b"]["memo"] == "later edit"


# -- limits ------------------------------------------------------------------------------------------
def test_what_the_store_writes_it_reads_back(tmp_path):
    s = make(tmp_path)
    for i in range(6000):
        s.coding[f"e{i:05d}"] = entry("memo " * 70)
    assert s.save()
    assert s.path.stat().st_size > 2_000_000
    again = make(tmp_path)
    assert again.load_error is None and len(again.coding) == 6000


def test_a_save_over_the_limit_is_refused_before_writing(tmp_path, monkeypatch):
    s = make(tmp_path)
    s.coding["a"] = entry()
    s.save()
    monkeypatch.setattr(st, "MAX_SAVE_BYTES", 500)
    s.coding["b"] = entry("x" * 1000)
    assert s.save() is False and s.save_error.kind == "too_big"
    monkeypatch.undo()
    assert make(tmp_path).coding.keys() == {"a"}


def test_a_memo_has_a_length_limit_with_a_message(tmp_path, corpus):
    s = st.Store("Ane", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    session = CodingSession(corpus, s)
    with pytest.raises(CodingError, match=f"{limits.MAX_MEMO_CHARS}"):
        session.set_memo("x" * (limits.MAX_MEMO_CHARS + 1))
    session.set_memo("x" * limits.MAX_MEMO_CHARS)
    assert len(make(tmp_path).coding[session.excerpt_id]["memo"]) == limits.MAX_MEMO_CHARS


def _doc_with(value_text: str) -> bytes:
    return ('{"format": "samskabelse-course/work", "schema_version": 1, "student": "x", "corpus": "article",'
            ' "created": "", "updated": "", "moves": {}, "coding": {"a": {"first": [], "memo": "",'
            f' "updated": "", "extra": {value_text}}}}}}}').encode()


@pytest.mark.parametrize("value", ["1" * 5000, "NaN", "Infinity", "-Infinity", "1e999",
                                   "[" * 60 + "]" * 60, '"\\ud800"'])
def test_parse_bytes_turns_every_malformed_input_into_a_save_file_error(value):
    with pytest.raises(st.SaveFileError):
        st.parse_bytes(_doc_with(value), "odd.json")


def test_the_class_view_never_fails_on_one_file(corpus):
    from course import classroom as cl

    good = st.new_document("Ane", corpus.key, corpus.data_version, corpus.codebook_version)
    good["coding"][corpus.excerpts["id"].iloc[0]] = entry(codes=[corpus.code_ids[0]])
    files = [("huge.json", _doc_with("1" * 5000)), ("nan.json", _doc_with("NaN")),
             ("good.json", json.dumps(good).encode())]
    data = cl.load_class(files, corpus, seed=1)
    assert data.n_students == 1 and {s.file for s in data.skipped} == {"huge.json", "nan.json"}


def test_nan_is_never_written(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = dict(entry(), score=float("nan"))
    assert s.save() is False  # refused, not written as non-standard JSON
    assert not s.path.exists() or b"NaN" not in s.path.read_bytes()


# -- identity --------------------------------------------------------------------------------------------
def test_the_file_name_is_a_pure_function_of_corpus_and_name(tmp_path):
    first = make(tmp_path, "Ane Ø")
    first.coding["a"] = entry("Ane Ø")
    first.save()
    second_path = st.save_path(tmp_path, "article", "Ane-Ø")
    assert second_path != first.path
    first.path.unlink()
    first.backup_path.unlink(missing_ok=True)
    assert st.save_path(tmp_path, "article", "Ane-Ø") == second_path  # no dependence on other files
    assert st.save_path(tmp_path, "article", "  ane ø ") == first.path
    long = st.save_name("x" * 250, "y" * 300)
    assert len(long.encode()) < 150 and len(st.save_name("a", "Σ" * 200).encode()) < 150


def test_a_lecturers_case_in_a_folder_named_article_has_its_own_id(tmp_path):
    from course import load_corpus

    folder = tmp_path / "article"
    folder.mkdir()
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "examples" / "own_case"
    for name in ("cases.csv", "codebook.csv", "excerpts.csv"):
        (folder / name).write_bytes((example / name).read_bytes())
    assert load_corpus(folder).key != "article"
    (folder / "corpus.csv").write_text("id\nmy-course-2027\n", encoding="utf-8")
    assert load_corpus(folder).key == "my-course-2027"
    deep = tmp_path / ("d" * 250)
    deep.mkdir()
    for name in ("cases.csv", "codebook.csv", "excerpts.csv"):
        (deep / name).write_bytes((example / name).read_bytes())
    corpus = load_corpus(deep)
    s = st.Store("Ane", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path / "work")
    s.coding["a"] = entry()
    assert s.save()


def test_old_named_save_files_are_migrated(tmp_path):
    old = st.new_document("Ane Ø", "article", "v1", "c1")
    old["coding"]["a"] = entry("old work")
    legacy = tmp_path / "article__ane-ø.json"
    legacy.write_bytes(json.dumps(old).encode())
    s = make(tmp_path, "Ane Ø")
    assert s.coding["a"]["memo"] == "old work" and s.recovered_from == "legacy"
    assert s.path.exists() and not legacy.exists() and legacy.with_name(legacy.name + ".migrated").exists()
    assert make(tmp_path, "ane ø").coding["a"]["memo"] == "old work"
    other = make(tmp_path, "Ane-Ø")  # another student whose old slug was the same
    assert other.coding == {}


def test_typing_a_name_after_working_as_student_brings_the_work_along(tmp_path):
    default = st.open_store("student", "article", "v1", "c1", tmp_path)
    default.coding["a"] = entry("before the name")
    default.save()
    named, brought = st.switch_student(default, "Ane")
    assert brought == 1 and named.coding["a"]["memo"] == "before the name"
    assert st.read_save_file(named.path)["coding"]["a"]["memo"] == "before the name"
    assert make(tmp_path, "student").coding == {}  # the default's file was set aside, not deleted
    assert list(tmp_path.glob("*.adopted"))


def test_restoring_a_file_adopts_the_name_inside_it(tmp_path):
    mine = st.new_document("Ane", "article", "v1", "c1")
    mine["coding"]["a"] = entry("Ane's work")
    default = st.open_store("student", "article", "v1", "c1", tmp_path)
    target, _ = st.restore_file(default, json.dumps(mine).encode(), "ane.json")
    assert target.student == "Ane" and target.coding["a"]["memo"] == "Ane's work"
    assert target.path == st.save_path(tmp_path, "article", "Ane")
    assert st.read_save_file(target.path)["coding"]["a"]["memo"] == "Ane's work"


def test_save_files_are_readable_by_a_lecturer(tmp_path):
    old = os.umask(0o022)
    try:
        s = make(tmp_path)
        s.coding["a"] = entry()
        s.save()
        s.coding["b"] = entry()
        s.save()
    finally:
        os.umask(old)
    if os.name == "posix":
        assert stat.S_IMODE(s.path.stat().st_mode) == 0o644
        assert stat.S_IMODE(s.backup_path.stat().st_mode) == 0o644


def test_a_save_with_a_huge_integer_is_set_aside_and_the_backup_used(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = entry("good")
    s.save()
    s.coding["b"] = entry()
    s.save()
    s.path.write_bytes(_doc_with("9" * 5000))
    again = make(tmp_path)  # no ValueError escapes
    assert again.load_error is not None and again.coding["a"]["memo"] == "good"
    kept = list(tmp_path.glob("*.damaged-*"))
    assert len(kept) == 1 and b"9999" in kept[0].read_bytes()
    assert st.read_save_file(again.path)["coding"]["a"]["memo"] == "good"
