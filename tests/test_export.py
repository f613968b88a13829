"""REFI-QDA export: schema-valid .qdc and .qdpx, exact offsets, stable GUIDs."""
from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course import classroom as cl
from course import export, load_corpus
from course.coding import CodingSession
from course.store import Store, new_document, validate_document

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT.parent / "shared" / "refi-qda"
PROJECT_XSD = SCHEMAS / "Project-mrt2019.xsd"
CODEBOOK_XSD = SCHEMAS / "Codebook_cleaned.xsd"
NS = {"q": export.PROJECT_NS}

needs_schemas = pytest.mark.skipif(
    not (PROJECT_XSD.exists() and CODEBOOK_XSD.exists()),
    reason=f"the REFI-QDA schemas are not at {SCHEMAS} (they come with ../shared beside the repository)",
)



@pytest.fixture(scope="module")
def klass(corpus, tmp_path_factory):
    sim = cl.simulate_class(corpus, 12, seed=21, folder=tmp_path_factory.mktemp("class"))
    return cl.load_class(sim.folder, corpus, seed=1)


def make_doc(corpus, student, coding=None):
    """A real save document with a first coding (excerpt -> codes)."""
    doc = new_document(student, corpus.key, corpus.data_version, corpus.codebook_version)
    for excerpt, codes in (coding or {}).items():
        doc["coding"][excerpt] = {"first": list(codes), "first_at": doc["created"], "revealed": False,
                                  "revealed_at": None, "revised": None, "revised_at": None, "memo": "",
                                  "updated": doc["created"]}
    return validate_document(doc)


def unzip(qdpx: bytes) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        sources = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("Sources/")}
    return root, sources


def selected_texts(qdpx: bytes) -> list[tuple[str, str]]:
    """(excerpt id, the text the selection's offsets select in the source file in the zip)."""
    root, sources = unzip(qdpx)
    out = []
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = sources["Sources/" + path.removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            out.append((selection.get("name"), text[start:end]))
    return out


def guids(root: etree._Element) -> list[str]:
    return [value for el in root.iter() for key, value in el.attrib.items()
            if key in ("guid", "targetGUID", "creatingUser")]


# -- schema validation ---------------------------------------------------------------------------
@needs_schemas
def test_codebook_is_valid_qdc(corpus):
    schema = etree.XMLSchema(etree.parse(str(CODEBOOK_XSD)))
    for groups in (True, False):
        root = etree.fromstring(export.codebook_xml(corpus, groups=groups))
        assert schema.validate(root), schema.error_log
    codes = {c.get("name"): c for c in root.iter(f"{{{export.CODEBOOK_NS}}}Code")}
    assert len(codes) == len(corpus.codebook)
    for record in corpus.codebook.to_dict("records"):
        code = codes[record["label_da"]]
        assert code.get("guid") == record["uuid"].upper()
        assert code.get("color").upper() == record["colour"].upper()
        assert code.findtext(f"{{{export.CODEBOOK_NS}}}Description").startswith(record["id"])


@needs_schemas
@pytest.mark.parametrize("options", [
    {}, {"stage": "first"}, {"include_reference": True}, {"lang": "en"}, {"hide_names": True, "groups": False},
])
def test_class_project_is_valid_qde(corpus, klass, options):
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    root, sources = unzip(export.project_bytes(klass, corpus, **options))
    assert schema.validate(root), schema.error_log
    assert len(sources) == corpus.excerpts["case"].nunique()


@needs_schemas
def test_one_students_store_exports_valid_with_memo_notes(corpus, tmp_path):
    store = Store("Ada", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path)
    session = CodingSession(corpus, store)
    first, second = corpus.excerpts["id"].iloc[:2]
    session.set_codes([corpus.code_ids[0]], first)
    session.set_memo("Hvorfor <netop> denne kode? & hvorfor ikke en anden", first)  # markup stays text
    session.reveal(first)
    session.set_codes([corpus.code_ids[1]], first)  # a revision after the reveal
    session.set_codes([corpus.code_ids[2], corpus.code_ids[3]], second)
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    path = export.write_project(tmp_path / "ada", store, corpus)
    assert path.suffix == ".qdpx"
    root, _ = unzip(path.read_bytes())
    assert schema.validate(root), schema.error_log
    assert [u.get("name") for u in root.iterfind("q:Users/q:User", NS)] == ["Ada"]
    notes = root.findall("q:Notes/q:Note", NS)
    assert len(notes) == 1
    memo = "Hvorfor <netop> denne kode? & hvorfor ikke en anden"
    assert notes[0].findtext("q:PlainTextContent", namespaces=NS) == memo
    selection = root.find(f".//q:PlainTextSelection[@name='{first}']", NS)
    assert selection.find("q:NoteRef", NS).get("targetGUID") == notes[0].get("guid")
    uuid = corpus.codebook.set_index("id")["uuid"].str.upper()
    final = [c.get("targetGUID") for c in selection.iterfind("q:Coding/q:CodeRef", NS)]
    assert final == [uuid[corpus.code_ids[1]]]
    root_first, _ = unzip(export.project_bytes(store, corpus, stage="first"))
    selection = root_first.find(f".//q:PlainTextSelection[@name='{first}']", NS)
    assert [c.get("targetGUID") for c in selection.iterfind("q:Coding/q:CodeRef", NS)] == [uuid[corpus.code_ids[0]]]


# -- offsets -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_selection_selects_exactly_its_excerpt(corpus, klass, lang):
    texts = corpus.excerpts.set_index("id")
    qdpx = export.project_bytes(klass, corpus, lang=lang, include_reference=True, case_codes=False)
    found = selected_texts(qdpx)
    assert len(found) > len(corpus.excerpts)
    for excerpt, text in found:
        expected = texts.loc[excerpt, "text_da"] if lang == "da" else (
            texts.loc[excerpt, "text_en"] or texts.loc[excerpt, "text_da"])
        assert text == expected


def test_offsets_count_code_points_on_newline_text(corpus):
    # Texts with Windows or old Mac line endings and characters beyond ASCII (and beyond the BMP).
    table = corpus.excerpts.copy()
    table.loc[0, "text_da"] = "Første linje\r\nanden linje 😀 og æøå"
    table.loc[1, "text_da"] = "Før\rbagefter"
    own = dataclasses.replace(corpus, excerpts=table)
    ids = own.excerpts["id"]
    coding = {e: [own.code_ids[0]] for e in ids.iloc[:3]}
    qdpx = export.project_bytes(make_doc(own, "Bo", coding), own)
    _, sources = unzip(qdpx)
    assert not any("\r" in text for text in sources.values())
    found = dict(selected_texts(qdpx))
    assert found[ids.iloc[0]] == "Første linje\nanden linje 😀 og æøå"
    assert found[ids.iloc[1]] == "Før\nbagefter"
    assert found[ids.iloc[2]] == own.excerpts["text_da"].iloc[2]


# -- stable GUIDs --------------------------------------------------------------------------------
def test_guids_are_identical_across_two_exports(corpus, klass):
    one = export.project_bytes(klass, corpus, include_reference=True)
    two = export.project_bytes(klass, corpus, include_reference=True)
    root_one, _ = unzip(one)
    root_two, _ = unzip(two)
    assert guids(root_one) == guids(root_two)
    assert one == two  # and the bytes too (fixed zip dates)
    cases = {c.get("guid") for c in root_one.iterfind("q:Cases/q:Case", NS)}
    codes = {c.get("guid") for c in root_one.iter(f"{{{export.PROJECT_NS}}}Code") if c.get("isCodable") == "true"}
    assert codes - cases == set(corpus.codebook["uuid"].str.upper())
    assert export.codebook_xml(corpus) == export.codebook_xml(corpus)


def declared_guids(root: etree._Element) -> list[str]:
    """Every declared GUID, less the case codes that share their case's GUID (QualCoder's case link)."""
    cases = {c.get("guid") for c in root.iterfind("q:Cases/q:Case", NS)}
    return [el.get("guid") for el in root.iter() if el.get("guid")
            and not (el.tag == f"{{{export.PROJECT_NS}}}Code" and el.get("guid") in cases)]


def test_guids_are_unique_and_references_resolve(corpus, klass):
    root, _ = unzip(export.project_bytes(klass, corpus, include_reference=True))
    declared = declared_guids(root)
    assert len(declared) == len(set(declared))
    users = {u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    notes = {n.get("guid") for n in root.iterfind("q:Notes/q:Note", NS)}
    codes = {c.get("guid") for c in root.iter(f"{{{export.PROJECT_NS}}}Code")}
    sources = {s.get("guid") for s in root.iterfind("q:Sources/q:TextSource", NS)}
    assert all(el.get("creatingUser") in users for el in root.iter() if el.get("creatingUser"))
    assert all(r.get("targetGUID") in notes for r in root.iter(f"{{{export.PROJECT_NS}}}NoteRef"))
    assert all(r.get("targetGUID") in codes for r in root.iter(f"{{{export.PROJECT_NS}}}CodeRef"))
    assert all(r.get("targetGUID") in sources for r in root.iter(f"{{{export.PROJECT_NS}}}SourceRef"))
    assert notes, "the simulated class writes some memos"


def test_the_export_holds_every_coding_of_the_class(corpus, klass):
    root, _ = unzip(export.project_bytes(klass, corpus, stage="first", case_codes=False))
    exported = len(root.findall(".//q:PlainTextSelection/q:Coding", NS))
    assert exported == int(klass.coded["first"].sum()) == len(cl.codings_table(klass, stages=["first"]))
    names = [u.get("name") for u in root.iterfind("q:Users/q:User", NS)]
    assert names == klass.students


def test_pseudonymised_export_carries_no_names(corpus, klass):
    qdpx = export.project_bytes(klass, corpus, hide_names=True)
    root, _ = unzip(qdpx)
    xml = etree.tostring(root, encoding="unicode")
    assert not any(name in xml for name in klass.students)
    assert {u.get("name") for u in root.iterfind("q:Users/q:User", NS)} == set(cl.pseudonyms(klass).values())


def test_foreign_work_is_refused(corpus):
    doc = make_doc(corpus, "A")
    doc["corpus"] = "other"
    with pytest.raises(ValueError, match="other"):
        export.project_bytes(doc, corpus)


# -- review fixes ----------------------------------------------------------------------------------
EXAMPLE = ROOT / "examples" / "own_case"


@pytest.fixture(scope="module")
def own_class(tmp_path_factory):
    own = load_corpus(EXAMPLE)
    sim = cl.simulate_class(own, 4, seed=5, broken=False, folder=tmp_path_factory.mktemp("own"))
    return own, sim, cl.load_class(sim.folder, own, seed=1)


def test_a_class_exports_with_its_own_corpus(corpus, own_class):
    own, _, data = own_class
    default = export.project_bytes(data)  # no corpus: the class's own, not the article's
    assert default == export.project_bytes(data, own)
    assert len(list(export.selections(default))) == int(data.coded["final"].any(axis=2).sum()) > 0
    with pytest.raises(ValueError, match="'own-case'.*'article'"):
        export.project_bytes(data, corpus)


def test_a_pseudonymised_export_of_a_folder_is_the_same_every_run(own_class):
    own, sim, _ = own_class
    one = export.project_bytes(sim.folder, own, hide_names=True)
    two = export.project_bytes(str(sim.folder), own, hide_names=True)
    assert one == two
    # ... and equal to the class view's pseudonyms with seed="content".
    root, _ = unzip(one)
    data = cl.load_class(sim.folder, own, seed="content")
    assert {u.get("name") for u in root.iterfind("q:Users/q:User", NS)} == set(cl.pseudonyms(data).values())


def test_a_list_of_documents_gets_the_class_views_pseudonyms(own_class):
    own, sim, _ = own_class
    docs = [validate_document(json.loads((sim.folder / f).read_text("utf-8"))) for f in sim.files]
    expected = cl.pseudonyms(cl.load_class(sim.folder, own, seed="content"))

    def users(work):
        root, _ = unzip(export.project_bytes(work, own, hide_names=True, case_codes=False))
        by_guid = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
        return {(s.get("name"), by_guid[s.get("creatingUser")],
                 tuple(c.get("targetGUID") for c in s.iterfind("q:Coding/q:CodeRef", NS)))
                for s in root.iter(f"{{{export.PROJECT_NS}}}PlainTextSelection")}

    forward, backward = users(docs), users(list(reversed(docs)))
    assert forward == backward  # the input order does not decide who is "Studerende 01"
    assert {name for _, name, _ in forward} == set(expected.values())


@needs_schemas
def test_a_student_named_reference_is_not_the_course(corpus):
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    e = corpus.excerpts["id"].iloc[0]
    docs = [make_doc(corpus, "reference", {e: [corpus.code_ids[0]]}),
            make_doc(corpus, "Ada", {e: [corpus.code_ids[1]]})]
    root, _ = unzip(export.project_bytes(docs, corpus, include_reference=True))
    assert schema.validate(root), schema.error_log
    declared = declared_guids(root)
    assert len(declared) == len(set(declared))
    assert len(root.findall("q:Users/q:User", NS)) == 3


@needs_schemas
def test_anonymous_students_with_one_file_name_export(corpus):
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    e = corpus.excerpts["id"].iloc[0]
    one = make_doc(corpus, "student", {e: [corpus.code_ids[0]]})
    two = make_doc(corpus, "student", {e: [corpus.code_ids[1]]})
    two["updated"] = "2099-01-01T00:00:00+00:00"
    uploads = [("article__student.json", json.dumps(d).encode()) for d in (one, two)]
    data = cl.load_class(uploads, corpus, seed=1)
    for hide in (False, True):
        root, _ = unzip(export.project_bytes(data, hide_names=hide))
        assert schema.validate(root), schema.error_log
        assert len({u.get("name") for u in root.iterfind("q:Users/q:User", NS)}) == 2


def test_code_groups_carry_the_course_colours(corpus):
    from course.charts import GROUP_COLOURS

    root = etree.fromstring(export.codebook_xml(corpus))
    parents = root.findall(f"{{{export.CODEBOOK_NS}}}Codes/{{{export.CODEBOOK_NS}}}Code")
    assert [p.get("color") for p in parents] == [GROUP_COLOURS[g].upper()
                                                 for g in dict.fromkeys(corpus.codebook["group"])]


def test_guid_is_the_uuid5_of_its_name_so_ids_stay_stable():
    """guid() is computed without uuid.UUID (speed) but gives exactly the uuid5 the export always gave."""
    import uuid

    names = [("selection", "corpus", f"student {i}", f"ex-{i % 60:03d}", "stage", "kode æøå")
             for i in range(3000)] + [("case", "c"), ("",), ("user", "Åse", "🙂")]
    for parts in names:
        assert export.guid(*parts) == str(uuid.uuid5(export.NAMESPACE, "|".join(parts))).upper()
    assert uuid.UUID(export.guid("x")).version == 5
