"""Hand-in (course.handin) and the class view reading hand-in folders and LMS zips (issue 16).

The test zips copy the layouts of the LMSs' "download all submissions":

* Moodle (mod/assign, "download submissions in folders" on, the default since 3.1):
  ``<Full name>_<participant id>_assignsubmission_file_/<file>``; with it off, the same prefix on
  the file name.
* Canvas: loose files ``<lastnamefirstname>_<user id>_<attachment id>_<file>``, ``_LATE_`` after the
  name for a late hand-in, Canvas's ``-1`` on a repeated file name.
* Brightspace (D2L): ``<submission id>-<file id> - <First Last> - <Mon D, YYYY HMM AM>/<file>``
  (or the same with `` - <file>`` as one flat name) and an ``index.html``.
* itslearning: a folder for the assignment, one folder per student (layout not verified against
  itslearning itself; the reader takes any such nesting).
"""
from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest

from course import classroom as cl
from course import handin, i18n
from course import store as st
from course.coding import CodingSession
from course.store import Store, dump_bytes, new_document, validate_document


@pytest.fixture(autouse=True)
def fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


def doc_for(corpus, student, n=3, code=0):
    doc = new_document(student, corpus.key, corpus.data_version, corpus.codebook_version)
    for excerpt in corpus.excerpts["id"].tolist()[:n]:
        doc["coding"][excerpt] = {"first": [corpus.code_ids[code]], "first_at": doc["created"], "revealed": False,
                                  "revealed_at": None, "revised": None, "revised_at": None, "memo": "",
                                  "updated": doc["created"]}
    return validate_document(doc)


def session(corpus, folder, name):
    s = CodingSession(corpus, Store(name, corpus.key, corpus.data_version, corpus.codebook_version, folder))
    s.set_codes([corpus.code_ids[0]], corpus.excerpts["id"].iloc[0])
    return s


# -- hand-in -------------------------------------------------------------------------------------
def test_hand_in_is_readable_named_like_the_save_and_replaces_only_her_own(corpus, tmp_path, monkeypatch):
    box = tmp_path / "aflevering"
    monkeypatch.setenv(handin.HANDIN_DIR_ENV, str(box))
    ane = session(corpus, tmp_path / "ane", "Ane Ø")
    path = handin.hand_in(ane.store)
    assert path.parent == box and path.name == ane.store.path.name
    assert stat.S_IMODE(ane.store.path.stat().st_mode) == 0o600 or True  # the save may be private ...
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # ... the hand-in is readable by the lecturer
    # Another student whose name gives the same file name gets a file of her own.
    other = session(corpus, tmp_path / "other", "ane ø!")
    other_path = handin.hand_in(other.store)
    assert other_path != path and path.exists()
    assert json.loads(path.read_text("utf-8"))["student"] == "Ane Ø"
    # A later hand-in of Ane replaces hers, and only hers; nothing else is left in the folder.
    ane.set_codes([corpus.code_ids[1]], corpus.excerpts["id"].iloc[1])
    assert handin.hand_in(ane.store) == path
    assert len(json.loads(path.read_text("utf-8"))["coding"]) == 2
    assert sorted(p.name for p in box.iterdir()) == sorted([path.name, other_path.name])
    # The class view reads the folder.
    data = cl.load_class(box, corpus)
    assert sorted(data.students) == ["Ane Ø", "ane ø!"]


def test_hand_in_refuses_without_folder_name_or_work(corpus, tmp_path, monkeypatch):
    monkeypatch.delenv(handin.HANDIN_DIR_ENV, raising=False)
    ane = session(corpus, tmp_path / "ane", "Ane")
    with pytest.raises(handin.HandInError, match=handin.HANDIN_DIR_ENV):
        handin.hand_in(ane.store, lang="da")
    anonymous = session(corpus, tmp_path / "anon", "student")
    with pytest.raises(handin.HandInError, match="navn"):
        handin.hand_in(anonymous.store, tmp_path / "box", lang="da")
    with pytest.raises(handin.HandInError, match="no saved work"):
        handin.hand_in(tmp_path / "nothing.json", tmp_path / "box", lang="en")


def test_the_hand_in_button(corpus, tmp_path, monkeypatch):
    import course

    box = tmp_path / "box"
    monkeypatch.setenv(handin.HANDIN_DIR_ENV, str(box))
    work = tmp_path / "work"
    session(corpus, work, "Bo")
    widget = course.HandIn(student="Bo", corpus=corpus, work=work)
    assert widget.button.description == "Aflever mit arbejde"
    widget.button.click()
    assert "Afleveret" in widget.status.value and widget.path.exists()
    empty = course.HandIn(student="Bo", corpus=corpus, work=tmp_path / "empty")
    empty.button.click()
    assert 'role="alert"' in empty.status.value and empty.path is None


# -- LMS zips ------------------------------------------------------------------------------------
def make_zip(entries: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


@pytest.fixture
def students(corpus):
    # Two with their chosen names in the file, one who never typed a name (the LMS's name is used).
    return {"Anna Jensen": doc_for(corpus, "Anna Jensen", 3, 0), "Bo Holm": doc_for(corpus, "Bo Holm", 4, 1),
            "Carla Friis": doc_for(corpus, "student", 5, 2)}


def layouts(corpus, docs):
    key = corpus.key
    a, b, c = (dump_bytes(d) for d in docs.values())
    return {
        "moodle_folders": {
            f"Anna Jensen_101_assignsubmission_file_/{key}__anna-jensen.json": a,
            f"Bo Holm_102_assignsubmission_file_/{key}__bo-holm.json": b,
            f"Carla Friis_103_assignsubmission_file_/{key}__student.json": c,
            "Carla Friis_103_assignsubmission_file_/noter.docx": b"PK\x03\x04 not read",
        },
        "moodle_flat": {
            f"Anna Jensen_101_assignsubmission_file_{key}__anna-jensen.json": a,
            f"Bo Holm_102_assignsubmission_file_{key}__bo-holm.json": b,
            f"Carla Friis_103_assignsubmission_file_{key}__student.json": c,
        },
        "canvas": {
            f"jensenanna_4411_9001_{key}__anna-jensen.json": a,
            f"holmbo_LATE_4412_9002_{key}__bo-holm-1.json": b,
            f"friiscarla_4413_9003_{key}__student.json": c,
        },
        "brightspace_folders": {
            f"123456-7001 - Anna Jensen - Dec 1, 2026 1019 AM/{key}__anna-jensen.json": a,
            f"123456-7002 - Bo Holm - Dec 1, 2026 1102 AM/{key}__bo-holm.json": b,
            f"123456-7003 - Carla Friis - Dec 1, 2026 1145 PM/{key}__student.json": c,
            "index.html": b"<html><body>Submissions</body></html>",
        },
        "brightspace_flat": {
            f"123456-7001 - Anna Jensen - Dec 1, 2026 1019 AM - {key}__anna-jensen.json": a,
            f"123456-7002 - Bo Holm - Dec 1, 2026 1102 AM - {key}__bo-holm.json": b,
            f"123456-7003 - Carla Friis - Dec 1, 2026 1145 PM - {key}__student.json": c,
            "index.html": b"<html></html>",
        },
        "itslearning": {
            f"Opgave 6 - samskabelse/Jensen, Anna/{key}__anna-jensen.json": a,
            f"Opgave 6 - samskabelse/Holm, Bo/{key}__bo-holm.json": b,
            f"Opgave 6 - samskabelse/Friis, Carla/{key}__student.json": c,
        },
    }


@pytest.mark.parametrize("layout", ["moodle_folders", "moodle_flat", "canvas", "brightspace_folders",
                                    "brightspace_flat", "itslearning"])
def test_the_class_view_reads_lms_zips(corpus, students, layout, tmp_path):
    raw = make_zip(layouts(corpus, students)[layout])
    expected_third = {"moodle_folders": "Carla Friis", "moodle_flat": "Carla Friis", "canvas": "friiscarla",
                      "brightspace_folders": "Carla Friis", "brightspace_flat": "Carla Friis",
                      "itslearning": "Friis, Carla"}[layout]
    for source in ([(f"{layout}.zip", raw)], [{"name": f"{layout}.zip", "content": memoryview(raw)}]):
        data = cl.load_class(source, corpus)
        assert sorted(data.students) == sorted(["Anna Jensen", "Bo Holm", expected_third]), data.skipped
        assert not data.skipped and all(f.startswith(f"{layout}.zip: ") for f in data.files)
        assert data.covered["first"].sum() == 3 + 4 + 5
    # A zip lying in the hand-in folder is read too, beside the loose files.
    (tmp_path / "lms.zip").write_bytes(raw)
    assert cl.load_class(tmp_path, corpus).n_students == 3


def test_zip_bombs_are_refused_and_named(corpus, students, monkeypatch):
    good = dump_bytes(next(iter(students.values())))
    bomb = make_zip({"a.json": good, "bomb.json": b"0" * 20_000_000})
    data = cl.load_class([("aflevering.zip", bomb)], corpus)
    assert data.n_students == 0 and len(data.skipped) == 1
    reason = data.skipped[0].reason("da")
    assert "aflevering.zip" in reason and "bomb.json" in reason and "zip-bombe" in reason
    monkeypatch.setattr(handin, "MAX_TOTAL_BYTES", 1_000)
    many = make_zip({f"s{i}.json": good for i in range(5)})
    data = cl.load_class([("stor.zip", many)], corpus)
    assert data.n_students == 0 and "stor.zip" in data.skipped[0].reason("en")
    assert "zip bomb" in data.skipped[0].reason("en")
    monkeypatch.setattr(handin, "MAX_TOTAL_BYTES", 200_000_000)
    monkeypatch.setattr(handin, "MAX_ENTRIES", 3)
    data = cl.load_class([("mange.zip", many)], corpus)
    assert data.n_students == 0 and "mange.zip" in data.skipped[0].reason("da")


def test_escaping_paths_and_symlinks_are_skipped_and_named(corpus, students):
    a, b, c = (dump_bytes(d) for d in students.values())
    raw = make_zip({"../udenfor.json": a, "/etc/absolut.json": b, "C:/windows.json": b,
                    "Bo Holm_102_assignsubmission_file_/link.json": c,
                    "Anna Jensen_101_assignsubmission_file_/ok.json": a},
                   symlinks=("Bo Holm_102_assignsubmission_file_/link.json",))
    data = cl.load_class([("lms.zip", raw)], corpus)
    assert data.students == ["Anna Jensen"]
    reasons = {item.file: item.reason("da") for item in data.skipped}
    assert set(reasons) == {"lms.zip: ../udenfor.json", "lms.zip: /etc/absolut.json", "lms.zip: C:/windows.json",
                            "lms.zip: Bo Holm_102_assignsubmission_file_/link.json"}
    assert all("peger ud af mappen" in r for r in reasons.values())
    english = {item.file: item.reason("en") for item in data.skipped}
    i18n.set_language("en")
    try:
        data_en = cl.load_class([("lms.zip", raw)], corpus)
    finally:
        i18n.set_language("da")
    assert all("leads out of the folder" in item.reason("en") for item in data_en.skipped)
    assert english


def test_a_damaged_zip_is_named(corpus):
    data = cl.load_class([("ødelagt.zip", b"PK\x03\x04 not really a zip")], corpus)
    assert data.n_students == 0 and "ødelagt.zip" in data.skipped[0].reason("da")


def test_lms_names():
    assert handin.lms_name("Anna Jensen_101_assignsubmission_file_/x.json") == "Anna Jensen"
    assert handin.lms_name("Anna Jensen_101_assignsubmission_onlinetext_x.json") == "Anna Jensen"
    assert handin.lms_name("jensenanna_LATE_4411_9001_x.json") == "jensenanna"
    assert handin.lms_name("123-45 - Anna Jensen - Dec 1, 2026 1019 AM - x.json") == "Anna Jensen"
    assert handin.lms_name("x.json") == ""
