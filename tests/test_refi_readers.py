"""The exports read as real tools read them (issue 16).

QualCoder: its REFI-QDA project importer, ``src/qualcoder/refi.py`` in ccbogel/QualCoder (read at
commit c3204641e0a9, 2026-08-22), reimplemented here minimally without Qt or SQLite:

* ``sub_codes``: a ``Code`` with ``isCodable="false"`` is a category; any other named code is a code
  (``{guid, cid}`` kept in ``self.codes``); code names are unique (a second one is an IntegrityError).
* ``parse_cases``: a ``Case`` with a name becomes a case with its ``Description`` as memo; its
  ``SourceRef`` is NOT read (only name-less cases' SourceRefs, as file variables).
* ``load_text_source`` / ``load_codings_for_text``: per ``PlainTextSelection``, the memo is the
  selection's ``Description``; each ``Coding`` gives a ``code_text`` row (cid, fid, pos0, pos1, owner,
  memo); a selection without Coding gives an ``annotation`` with the Description as memo. A
  ``NoteRef`` inside a selection is not read.
* ``clean_up_case_codes_and_case_text``: a code whose GUID equals a case's GUID is deleted and its
  ``code_text`` rows become ``case_text`` rows of that case: the only way a case gets its text.

Taguette 1.5: ``taguette/import_codebook.py`` in remram44/taguette (``list_tags_csv``): detect the
encoding (chardet; a UTF-8 byte-order mark makes it UTF-8-SIG), csv.reader, lower-cased header, the
path column is whichever ONE of ``tag``/``name``/``path`` exists, ``description`` optional; a row
with too few columns or an empty tag is an error, an empty row is skipped.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile

import pytest
from lxml import etree

from course import classroom as cl
from course import export
from course.coding import CodingSession
from course.store import Store

P = "{urn:QDA-XML:project:1.0}"


def qualcoder_import(qdpx: bytes) -> dict:
    """What QualCoder's importer stores for a .qdpx (see the module docstring)."""
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        users = {u.get("guid"): u.get("name") for u in root.iter(f"{P}User")}
        codes, names, categories = {}, set(), []

        def sub_codes(element):
            if element.get("isCodable") == "false":
                categories.append(element.get("name"))
            elif element.get("name") is not None:
                if element.get("name") in names:
                    raise AssertionError(f"QualCoder refuses a second code named {element.get('name')!r}")
                names.add(element.get("name"))
                codes[element.get("guid")] = element.get("name")
            for child in element.findall(f"{P}Code"):
                sub_codes(child)

        for code in root.find(f"{P}CodeBook/{P}Codes"):
            sub_codes(code)
        cases = {}
        for case in root.iterfind(f"{P}Cases/{P}Case"):
            if case.get("name") is not None:
                cases[case.get("guid")] = {"name": case.get("name"), "memo": case.findtext(f"{P}Description")}
        code_text, annotations, sources = [], [], {}
        for source in root.iterfind(f"{P}Sources/{P}TextSource"):
            path = source.get("plainTextPath").split("internal:/")[1]
            fulltext = archive.read("Sources" + path).decode("utf-8")
            sources[source.get("name")] = fulltext
            for sel in source.findall(f"{P}PlainTextSelection"):
                pos0, pos1 = int(sel.get("startPosition")), int(sel.get("endPosition"))
                owner = users.get(sel.get("creatingUser") or sel.get("modifyingUser"), "default")
                memo = ""
                for el in sel:
                    if el.tag == f"{P}Description" and el.text is not None:
                        memo = el.text
                coded = False
                for el in sel.findall(f"{P}Coding"):
                    coded = True
                    cid = list(el)[0].get("targetGUID")
                    code_text.append({"code": cid if cid in codes else None, "source": source.get("name"),
                                      "pos0": pos0, "pos1": pos1, "owner": owner, "memo": memo,
                                      "seltext": fulltext[pos0:pos1], "selection": sel.get("guid")})
                if not coded:
                    annotations.append({"source": source.get("name"), "pos0": pos0, "pos1": pos1,
                                        "owner": owner, "memo": memo, "selection": sel.get("guid")})
    case_text = []
    for case_guid, case in cases.items():
        if case_guid in codes:
            del codes[case_guid]
            moved = [row for row in code_text if row["code"] == case_guid]
            code_text = [row for row in code_text if row["code"] != case_guid]
            case_text += [dict(row, case=case["name"]) for row in moved]
    return {"users": users, "codes": codes, "categories": categories, "cases": cases, "code_text": code_text,
            "annotations": annotations, "case_text": case_text, "sources": sources}


def memos_shown(imported: dict) -> set[str]:
    """Selections whose memo QualCoder shows: on their codings, or as an annotation."""
    return {row["selection"] for row in imported["code_text"] + imported["annotations"] if row["memo"]}


@pytest.fixture(scope="module")
def klass(corpus, tmp_path_factory):
    sim = cl.simulate_class(corpus, 30, seed=16, folder=tmp_path_factory.mktemp("class"))
    return cl.load_class(sim.folder, corpus, seed=1)


def student_memos(klass, stage="final"):
    return sum(1 for doc in klass.docs for e in doc["coding"].values() if e.get("memo", "").strip())


def test_qualcoder_reads_every_student_memo(corpus, klass):
    imported = qualcoder_import(export.project_bytes(klass, corpus))
    expected = student_memos(klass)
    assert expected > 50
    shown = memos_shown(imported)
    print(f"QualCoder importer logic: {len(shown)} of {expected} student memos read back")
    assert len(shown) == expected
    # The memo is on every coding of its selection, with the student's name as owner.
    rows = [r for r in imported["code_text"] if r["memo"]]
    assert {r["owner"] for r in rows} <= set(klass.students)
    # Every coding still lands on its code with the right text (nothing lost on the way).
    assert all(r["code"] is not None for r in imported["code_text"])
    assert len(imported["code_text"]) == int(klass.coded["final"].sum())


def test_qualcoder_links_each_case_to_its_source(corpus, klass):
    imported = qualcoder_import(export.project_bytes(klass, corpus))
    texts = {t.name: t.text for t in export.case_texts(corpus)}
    linked = {(row["case"], row["source"]) for row in imported["case_text"]}
    assert linked == {(name, name) for name in texts}
    for row in imported["case_text"]:
        assert (row["pos0"], row["pos1"]) == (0, len(texts[row["source"]]))
    # The case codes are gone from the codebook QualCoder keeps: only the course's codes remain.
    assert sorted(imported["codes"]) == sorted(corpus.codebook["uuid"].str.upper())
    # Without case codes, QualCoder would keep the cases but link no text (its importer ignores SourceRef).
    assert qualcoder_import(export.project_bytes(klass, corpus, case_codes=False))["case_text"] == []


def test_qualcoder_shows_no_code_applies_and_its_memo(corpus, tmp_path):
    session = CodingSession(corpus, Store("Ada", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path))
    excerpt = session.excerpt_id
    session.set_no_code(True)
    session.set_memo("Ingen kode rammer det.")
    imported = qualcoder_import(export.project_bytes(session.store, corpus))
    [note] = [a for a in imported["annotations"] if a["owner"] == "Ada"]
    assert note["memo"].startswith("Ingen af koderne passer") and "Ingen kode rammer det." in note["memo"]
    assert imported["sources"][note["source"]][note["pos0"]:note["pos1"]] == \
        corpus.excerpts.set_index("id").loc[excerpt, "text_da"]


def taguette_list_tags(raw: bytes) -> list[dict]:
    """Taguette's ``list_tags_csv`` (see the module docstring); the BOM stands in for chardet."""
    charset = "UTF-8-SIG" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    reader = csv.reader(io.StringIO(raw.decode(charset)))
    header = [cell.lower() for cell in next(reader)]
    expected = ("tag" in header) + ("name" in header) + ("path" in header)
    assert expected == 1, "Taguette: 'Not sure which column to use' or 'No tag column'"
    col_path = header.index("tag") if "tag" in header else header.index("name") if "name" in header else header.index("path")
    col_description = header.index("description") if "description" in header else None
    needed = max(n + 1 for n in (col_path, col_description) if n is not None)
    tags = []
    for row in reader:
        assert len(row) >= needed, "Taguette: Not enough columns"
        if not any(row):
            continue
        path = row[col_path].strip()
        assert path, "Taguette: Empty tag name"
        tags.append({"path": path, "description": row[col_description].strip() if col_description is not None else ""})
    return tags


@pytest.mark.parametrize("lang", ["da", "en"])
def test_taguette_reads_the_codebook_csv(corpus, lang, tmp_path):
    path = export.write_codebook_csv(tmp_path / "kodebog", corpus, lang)
    assert path.suffix == ".csv"
    tags = taguette_list_tags(path.read_bytes())
    assert len(tags) == len(corpus.codebook) == len({t["path"] for t in tags})
    assert all("." not in t["path"] for t in tags)  # a dot would nest tags in Taguette
    first = corpus.codebook.iloc[0]
    assert tags[0]["description"].startswith(first["id"] + ":")
    assert ("Definition" in tags[0]["description"])
