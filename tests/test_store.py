"""Saved work: atomic writes, backups, merging, and refusing bad files without losing good work."""
from __future__ import annotations

import json

import pytest

from course import store as st


def make(folder, student="Ane"):
    return st.Store(student, "article", "v1", "c1", folder)


def test_new_store_writes_versioned_file_and_backup(tmp_path):
    s = make(tmp_path)
    assert not s.path.exists()
    s.coding["pol-q01"] = {"first": ["HOFF_DESIGN"], "revised": None, "memo": "", "revealed": False,
                           "updated": st.now()}
    s.save()
    doc = json.loads(s.path.read_text(encoding="utf-8"))
    assert doc["format"] == st.FORMAT and doc["schema_version"] == st.SCHEMA_VERSION
    assert doc["student"] == "Ane" and doc["data_version"] == "v1" and doc["codebook_version"] == "c1"
    assert not s.backup_path.exists()
    s.coding["pol-q01"]["memo"] = "ny"
    s.coding["pol-q01"]["updated"] = st.now()
    s.save()
    assert json.loads(s.backup_path.read_text(encoding="utf-8"))["coding"]["pol-q01"]["memo"] == ""
    assert not list(tmp_path.glob(".tmp-*")), "temporary files are cleaned up"


def test_reopening_restores_state(tmp_path):
    s = make(tmp_path)
    s.moves["PM01"] = {"attempts": [{"answer": "HOFF_DESIGN", "result": "correct", "at": st.now()}], "updated": st.now()}
    s.save()
    again = make(tmp_path)
    assert again.moves["PM01"]["attempts"][0]["answer"] == "HOFF_DESIGN"
    assert again.load_error is None


def test_damaged_save_is_set_aside_and_backup_used(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = {"first": ["X"], "memo": "", "revealed": False, "updated": "1"}
    s.save()
    s.coding["b"] = {"first": ["Y"], "memo": "", "revealed": False, "updated": "2"}
    s.save()  # backup holds only "a"
    s.path.write_text('{"format": "samskabelse-course/work", "coding": {', encoding="utf-8")
    again = make(tmp_path)
    assert again.load_error is not None and "not valid JSON" in str(again.load_error)
    assert set(again.coding) == {"a"}
    kept = list(tmp_path.glob("*.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8").startswith('{"format"')


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"),
    (b"\xff\xfe\x00garbage", "not text"),
    (b'{"format": "samskabelse-course/work", "coding": {', "not valid JSON"),
    (b'{"name": "some other app", "cells": []}', "not a course save file"),
    (b"[1, 2, 3]", "not a JSON object"),
    (b'{"format": "samskabelse-course/work", "schema_version": 99, "student": "x", "corpus": "article",'
     b' "created": "", "updated": "", "coding": {}, "moves": {}}', "newer version"),
    (b'{"format": "samskabelse-course/work", "schema_version": 1, "student": "x", "corpus": "article",'
     b' "created": "", "updated": "", "coding": {"a": {"first": "HOFF"}}, "moves": {}}', "no list of codes"),
    (b"{" + b" " * (st.MAX_SAVE_BYTES + 1) + b"}", "at most"),
])
def test_bad_upload_is_refused_and_good_work_untouched(tmp_path, payload, reason):
    s = make(tmp_path)
    s.coding["pol-q01"] = {"first": ["HOFF_DESIGN"], "memo": "mit memo", "revealed": False, "updated": st.now()}
    s.save()
    before = s.path.read_bytes()
    with pytest.raises(st.SaveFileError, match=reason):
        s.restore(payload, "upload.json")
    assert s.path.read_bytes() == before
    assert s.coding["pol-q01"]["memo"] == "mit memo"


def test_upload_of_other_corpus_is_refused(tmp_path):
    other = st.Store("Ane", "my-case", "v", "c", tmp_path / "other")
    other.save()
    s = make(tmp_path)
    with pytest.raises(st.SaveFileError, match="another case collection"):
        s.restore(other.path.read_bytes(), "other.json")


def test_good_upload_merges_newer_entries(tmp_path):
    s = make(tmp_path)
    s.coding["a"] = {"first": ["X"], "memo": "old", "revealed": False, "updated": "2026-01-01T00:00:00"}
    s.coding["b"] = {"first": ["Y"], "memo": "keep", "revealed": False, "updated": "2026-01-01T00:00:00"}
    s.save()
    upload = st.new_document("Ane", "article", "v1", "c1")
    upload["coding"]["a"] = {"first": ["X", "Z"], "memo": "new", "revealed": True, "updated": "2026-06-01T00:00:00"}
    s.restore(json.dumps(upload).encode(), "mine.json")
    assert s.coding["a"]["memo"] == "new" and s.coding["b"]["memo"] == "keep"
    assert json.loads(s.path.read_text(encoding="utf-8"))["coding"]["a"]["first"] == ["X", "Z"]


def test_two_notebooks_saving_do_not_clobber_each_other(tmp_path):
    one, two = make(tmp_path), make(tmp_path)
    one.coding["a"] = {"first": ["X"], "memo": "", "revealed": False, "updated": st.now()}
    one.save()
    two.moves["PM01"] = {"attempts": [{"answer": "NONE", "result": "wrong", "at": st.now()}], "updated": st.now()}
    two.save()
    doc = st.read_save_file(one.path)
    assert "a" in doc["coding"] and "PM01" in doc["moves"]


def test_slug_and_stale():
    assert st.slug("  Ane Ø. Hansen ") == "ane-ø-hansen"
    assert st.slug("../../etc") == "etc"


def test_stale_flag(tmp_path):
    s = make(tmp_path)
    s.save()
    newer = st.Store("Ane", "article", "v2", "c1", tmp_path)
    assert newer.stale and newer.made_with == "v1"
    assert not make(tmp_path).stale


def test_bom_and_deep_nesting(tmp_path):
    s = make(tmp_path)
    good = st.new_document("Ane", "article", "v1", "c1")
    good["coding"]["a"] = {"first": ["X"], "memo": "bom", "revealed": False, "updated": "2999-01-01"}
    s.restore(b"\xef\xbb\xbf" + json.dumps(good).encode(), "bom.json")
    assert s.coding["a"]["memo"] == "bom"
    with pytest.raises(st.SaveFileError, match="nested too deeply"):
        s.restore(b"[" * 200000, "deep.json")


def test_names_in_any_script_and_colliding_slugs_keep_work_apart(tmp_path):
    assert st.slug("Σοφία") == "σοφία" and st.slug("Γιάννης") != st.slug("Σοφία")
    assert st.slug("   ") == "student" and st.name_key("ZOË ") == st.name_key("Zoë")
    one = st.Store("Ada L.", "article", "v", "c", tmp_path)
    one.coding["a"] = {"first": ["X"], "memo": "Ada L.", "revealed": False, "updated": st.now()}
    one.save()
    two = st.Store("Ada-L", "article", "v", "c", tmp_path)  # same slug, another student
    assert two.path != one.path and two.coding == {}
    two.save()
    assert st.read_save_file(one.path)["coding"]["a"]["memo"] == "Ada L."
    assert st.Store("ada l.", "article", "v", "c", tmp_path).path == one.path  # same student
