"""Export to REFI-QDA 1.0, so that the course's work opens in NVivo, ATLAS.ti, MAXQDA or QualCoder.

* :func:`codebook_xml` / :func:`write_codebook` — the codebook as a ``.qdc`` file (codebook
  exchange, namespace ``urn:QDA-XML:codebook:1.0``).
* :func:`project_bytes` / :func:`write_project` — one student's or a whole class's coded excerpts
  as a ``.qdpx`` project: a zip of ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and
  ``Sources/<GUID>.txt``.

How the work is laid out in the project:

* **One text source per case** (police, workshop, general), holding that case's excerpts in the
  data's order, joined with a blank line ("\\n\\n"). In a QDA program a case then reads as one
  document, the coding stripes show where the class agrees and splits, and queries per case need
  no set-up. Each excerpt is a span of that text; the source's description lists the spans.
  (One source per excerpt would give 62 one-paragraph documents with no context.)
* The codebook's codes, grouped under one not-codable parent code per group (hands-off,
  hands-on, democratic anchoring, dilemmas). A code's GUID is its ``uuid`` in codebook.csv, its
  colour the codebook's; the description holds the MacQueen fields.
* One ``User`` per student. Each coded excerpt is a ``PlainTextSelection`` (named by the excerpt
  id) made by that user, with one ``Coding`` per code. A memo is the selection's ``Description``
  (QualCoder reads a selection's Description as the memo of its codings, and as an annotation
  when the selection has no coding; ``src/qualcoder/refi.py``, ``load_codings_for_text``), and
  also a ``Note`` that the selection points to with a ``NoteRef`` (QualCoder ignores a NoteRef
  inside a selection). An excerpt coded "no code applies" is a selection without codings whose
  Description says so (with the memo). ``include_reference=True`` adds the course's reading as
  a user of its own ("Kursets læsning"), with the rationale as each selection's description, so
  that a QDA program's coder-comparison can set a student against it.
* Each case is a ``Case`` with a ``SourceRef`` to its text source (the standard's link). QualCoder
  ignores SourceRef in a named case and links a case to text only through a code with the case's
  GUID (``clean_up_case_codes_and_case_text``), so ``case_codes=True`` (default) also adds one
  top-level code per case with the case's GUID ("Case: Politiet") and a selection of the whole
  source coded with it; QualCoder turns both into the case's text, other programs show a code that
  marks the whole case.
* :func:`codebook_csv` writes the codebook as the CSV that Taguette 1.5 imports (``tag`` and
  ``description`` columns; ``taguette/import_codebook.py``), since Taguette reads neither ``.qdc``
  nor ``.qdpx``.

Offsets count Unicode code points in text with "\\n" line endings, start inclusive and end
exclusive (``text[start:end]`` is the excerpt). NVivo counts UTF-16 units, which differ only for
characters outside the Basic Multilingual Plane (emoji); the course's texts have none.

GUIDs are stable from one export to the next: codes use codebook.csv's uuid; everything else is a
uuid5 of a stable name (corpus, case, language, student, excerpt, stage, code). A student's GUID
comes from the name shown; the course's reading has a GUID of its own (no student's name can give
it). Pseudonyms come from :func:`course.pseudonyms.pseudonym_list`, the class view's: a folder, a
file or a list of documents is pseudonymised with a salt made from the work itself
(:func:`course.pseudonyms.content_salt`), so the same files export to the same bytes in every run;
a :class:`~course.classroom.ClassData` keeps its own pseudonyms (see
:func:`course.classroom.load_class`'s ``seed``). The zip's entries carry a fixed date, so the same
work gives the same bytes.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from . import __version__, i18n, vocab
from .charts import GROUP_COLOURS
from .data import Corpus, load_corpus
from .store import Store, validate_document

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"samskabelse-course {__version__}"
#: The namespace of every uuid5 the export makes. Never change it: GUIDs would change with it.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:samskabelse-course:refi-qda")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)
#: uuid5's version (5) and variant (RFC 4122) bits, set in the 128-bit number as uuid.UUID sets them.
_UUID5_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID5_SET = (0x5000 << 64) | (0x8000 << 48)


def guid(*parts: str) -> str:
    """A stable GUID for a name made of ``parts`` (upper case, as codebook.csv writes them).

    Exactly ``str(uuid.uuid5(NAMESPACE, "|".join(parts))).upper()`` (tests/test_export.py checks it),
    made from a SHA-1 already fed the namespace: a class of 300 needs some 50,000 GUIDs, and
    ``uuid.UUID``'s checks and formatting took about twice as long as the hashing.
    """
    sha = _NAMESPACE_SHA1.copy()
    sha.update("|".join(parts).encode("utf-8"))
    number = int.from_bytes(sha.digest()[:16], "big") & _UUID5_CLEAR | _UUID5_SET
    text = f"{number:032X}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def clean(text: Any) -> str:
    """Text as XML 1.0 can hold it, with "\\n" line endings."""
    value = "" if text is None else str(text)
    return _INVALID_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _datetime(value: Any) -> str | None:
    return value if isinstance(value, str) and _DATETIME.match(value) else None


# ---------------------------------------------------------------------------------------------
# Codebook
# ---------------------------------------------------------------------------------------------
def code_description(code: dict[str, str], lang: str = "da") -> str:
    """The MacQueen fields of a code as one plain text."""
    parts = [f"{code['id']}: {i18n.field(code, 'brief', lang)}",
             f"{i18n.t('definition', lang)}: {i18n.field(code, 'definition', lang)}",
             f"{i18n.t('use_when', lang)}: {i18n.field(code, 'use_when', lang)}",
             f"{i18n.t('dont_use_when', lang)}: {i18n.field(code, 'dont_use_when', lang)}"]
    if code.get("example_excerpt"):
        parts.append(f"{i18n.t('example', lang)}: {code['example_excerpt']}")
    return clean("\n\n".join(parts))


def _group_label(group: str, lang: str) -> str:
    return vocab.group_label(group, lang)


def _add_codes(parent: etree._Element, ns: str, corpus: Corpus, lang: str, groups: bool,
               case_codes: list[tuple[str, str]] = ()) -> None:
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    records = corpus.codebook.to_dict("records")
    for case_guid, label in case_codes:  # codes that QualCoder turns into case links (see above)
        etree.SubElement(codes, f"{{{ns}}}Code", guid=case_guid, name=clean(label), isCodable="true")

    def add(into: etree._Element, code: dict[str, str]) -> None:
        element = etree.SubElement(into, f"{{{ns}}}Code", guid=code["uuid"].upper(),
                                   name=clean(i18n.field(code, "label", lang)), isCodable="true",
                                   color=code["colour"].upper())
        etree.SubElement(element, f"{{{ns}}}Description").text = code_description(code, lang)

    if not groups:
        for code in records:
            add(codes, code)
        return
    for group in dict.fromkeys(r["group"] for r in records):
        colour = {"color": GROUP_COLOURS[group].upper()} if group in GROUP_COLOURS else {}
        node = etree.SubElement(codes, f"{{{ns}}}Code", guid=guid("code-group", group),
                                name=clean(_group_label(group, lang)), isCodable="false", **colour)
        for code in records:
            if code["group"] == group:
                add(node, code)


def codebook_xml(corpus: Corpus | None = None, lang: str = "da", groups: bool = True) -> bytes:
    """The codebook as REFI-QDA codebook exchange XML (``.qdc``)."""
    corpus = corpus if corpus is not None else load_corpus()
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    _add_codes(root, CODEBOOK_NS, corpus, lang, groups)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_codebook(path: str | Path, corpus: Corpus | None = None, lang: str = "da", groups: bool = True) -> Path:
    """Write the codebook to ``path`` (``.qdc`` is added when the name has no suffix)."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".qdc")
    path.write_bytes(codebook_xml(corpus, lang, groups))
    return path


def codebook_csv(corpus: Corpus | None = None, lang: str = "da") -> bytes:
    """The codebook as the CSV Taguette imports ("Import codebook"): columns ``tag`` and
    ``description``, one row per code. Taguette's reader (``taguette/import_codebook.py``) finds the
    ``tag`` column by name, takes ``description`` if present, and guesses the encoding with chardet;
    the file is UTF-8 with a byte-order mark so that the guess is certain. Tag names are the code
    labels with the group in front ("Hands-off metastyring: Design"); a dot would nest tags in
    Taguette, so none is written.
    """
    corpus = corpus if corpus is not None else load_corpus()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["tag", "description"])
    for code in corpus.codebook.to_dict("records"):
        tag = f"{_group_label(code['group'], lang)}: {i18n.field(code, 'label', lang)}"
        writer.writerow([clean(tag).replace(".", ""), code_description(code, lang)])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def write_codebook_csv(path: str | Path, corpus: Corpus | None = None, lang: str = "da") -> Path:
    """Write :func:`codebook_csv` to ``path`` (``.csv`` is added when the name has no suffix)."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".csv")
    path.write_bytes(codebook_csv(corpus, lang))
    return path


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseText:
    """One case's excerpts as one text, and where each excerpt sits in it."""

    case: str
    guid: str
    name: str
    text: str
    spans: dict[str, tuple[int, int]]

    @property
    def filename(self) -> str:
        return f"{self.guid}.txt"


def case_texts(corpus: Corpus, lang: str = "da") -> list[CaseText]:
    """The text source of every case that has excerpts (excerpts joined with "\\n\\n")."""
    out = []
    cases = corpus.cases.set_index("id")
    for case in corpus.cases["id"]:
        rows = corpus.excerpts[corpus.excerpts["case"] == case]
        if rows.empty:
            continue
        pieces, spans, position = [], {}, 0
        for record in rows.to_dict("records"):
            text = clean(i18n.field(record, "text", lang))
            if pieces:
                position += 2  # the "\n\n" between excerpts
            spans[record["id"]] = (position, position + len(text))
            pieces.append(text)
            position += len(text)
        label = i18n.field(cases.loc[case].to_dict(), "label", lang)
        out.append(CaseText(case, guid("source", corpus.key, case, lang), clean(label), "\n\n".join(pieces), spans))
    return out


# ---------------------------------------------------------------------------------------------
# The students' work
# ---------------------------------------------------------------------------------------------
def _corpus_for(work, corpus: Corpus | None) -> Corpus:
    """The corpus of an export: a ClassData's own unless one is given (which must be the same)."""
    from .class_load import ClassData

    if isinstance(work, ClassData):
        if corpus is None:
            return work.corpus
        if corpus.key != work.corpus.key:
            raise ValueError(i18n.t("error.class_other_collection", read=work.corpus.key, given=corpus.key))
        return corpus
    return corpus if corpus is not None else load_corpus()


def _work(work, corpus: Corpus, hide_names: bool, lang: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(name shown, save document) pairs from a document, a Store, ClassData, a path or a list."""
    from .class_load import ClassData, load_class
    from .pseudonyms import PLACEHOLDER, content_salt, display_names, pseudonym_list, unique_names

    if isinstance(work, (str, Path)):
        work = load_class(work, corpus, seed="content")  # the same files, the same pseudonyms
    if isinstance(work, ClassData):
        _corpus_for(work, corpus)
        return list(zip(display_names(work, hide_names, lang), work.docs))
    if isinstance(work, (dict, Store)):
        work = [work]
    docs = []
    corpus_key = corpus.key
    for number, item in enumerate(work, start=1):
        doc = item.doc if isinstance(item, Store) else item
        validate_document(doc, f"work {number}")
        if doc["corpus"] != corpus_key:
            raise ValueError(i18n.t("error.work_other_collection", student=doc["student"], corpus=doc["corpus"],
                                    expected=corpus_key))
        docs.append(doc)
    names = unique_names([doc["student"].strip() or PLACEHOLDER for doc in docs], docs)
    if hide_names:
        names = pseudonym_list(names, content_salt(docs), lang, docs)
    return list(zip(names, docs))


def _no_code_at(entry: dict[str, Any], stage: str) -> bool:
    """Whether the entry's coding at ``stage`` is "no code applies"."""
    if stage == "first" or entry.get("revised") is None:
        return bool(entry.get("first_no_code"))
    return bool(entry.get("revised_no_code"))


def _codes_at(entry: dict[str, Any], stage: str) -> tuple[list[str], str | None]:
    if stage == "first":
        return list(entry.get("first") or []), _datetime(entry.get("first_at"))
    if entry.get("revised") is not None:
        return list(entry["revised"]), _datetime(entry.get("revised_at")) or _datetime(entry.get("first_at"))
    return list(entry.get("first") or []), _datetime(entry.get("first_at"))


def project_xml(corpus: Corpus | None, work, stage: str = "final", lang: str = "da", hide_names: bool = False,
                include_reference: bool = False, name: str | None = None,
                groups: bool = True, case_codes: bool = True) -> tuple[bytes, list[CaseText]]:
    """The ``project.qde`` XML and the case texts it refers to. See :func:`project_bytes`."""
    if stage not in ("first", "final"):
        raise ValueError(i18n.t("error.export_stage"))
    P = f"{{{PROJECT_NS}}}"
    corpus = _corpus_for(work, corpus)
    corpus_key = corpus.key  # a property that resolves paths: read it once
    pairs = _work(work, corpus, hide_names, lang)
    texts = case_texts(corpus, lang)
    where = {e: (t, span) for t in texts for e, span in t.spans.items()}
    code_guid = {r["id"]: r["uuid"].upper() for r in corpus.codebook.to_dict("records")}
    excerpt_order = corpus.excerpts["id"].tolist()

    attributes = {"name": clean(name or ("Samskabelse – " + (pairs[0][0] if len(pairs) == 1 else corpus_key))),
                  "origin": ORIGIN}
    created = sorted(d for d in (_datetime(doc.get("created")) for _, doc in pairs) if d)
    updated = sorted(d for d in (_datetime(doc.get("updated")) for _, doc in pairs) if d)
    if created:
        attributes["creationDateTime"] = created[0]
    if updated:
        attributes["modifiedDateTime"] = updated[-1]
    root = etree.Element(f"{P}Project", nsmap={None: PROJECT_NS}, **attributes)

    users: list[tuple[str, str]] = []
    seen_users: set[str] = set()
    for shown, _ in pairs:
        user = guid("user", corpus_key, shown)
        if user in seen_users:
            raise ValueError(i18n.t("error.same_name", name=shown))
        seen_users.add(user)
        users.append((user, shown))
    reference_user = guid("reference-user", corpus_key)  # a tag of its own: no student's name gives it
    if include_reference:
        users.append((reference_user, i18n.t("export.reference_user", lang)))
    if users:
        users_el = etree.SubElement(root, f"{P}Users")
        for user, shown in users:
            etree.SubElement(users_el, f"{P}User", guid=user, name=clean(shown))

    codebook = etree.SubElement(root, f"{P}CodeBook")
    case_guid = {text.case: guid("case", corpus_key, text.case) for text in texts}
    linked = [(case_guid[text.case], i18n.t("case_code", lang, case=text.name)) for text in texts] if case_codes else []
    _add_codes(codebook, PROJECT_NS, corpus, lang, groups, linked)

    cases_el = etree.SubElement(root, f"{P}Cases")
    summaries = corpus.cases.set_index("id")
    for text in texts:
        case_el = etree.SubElement(cases_el, f"{P}Case", guid=case_guid[text.case], name=text.name)
        summary = i18n.field(summaries.loc[text.case].to_dict(), "summary", lang)
        if summary:
            etree.SubElement(case_el, f"{P}Description").text = clean(summary)
        etree.SubElement(case_el, f"{P}SourceRef", targetGUID=text.guid)

    # Selections, per source: every student's coded excerpts in the data's order.
    selections: dict[str, list[etree._Element]] = {t.guid: [] for t in texts}
    if case_codes:  # the whole source, coded with its case's code: QualCoder's case link
        for text in texts:
            whole = etree.Element(f"{P}PlainTextSelection", guid=guid("case-selection", corpus_key, text.case, lang),
                                  name=text.name, startPosition="0", endPosition=str(len(text.text)))
            coding_el = etree.SubElement(whole, f"{P}Coding", guid=guid("case-coding", corpus_key, text.case, lang))
            etree.SubElement(coding_el, f"{P}CodeRef", targetGUID=case_guid[text.case])
            selections[text.guid].append(whole)
    notes: list[etree._Element] = []
    rationale = {r["id"]: i18n.field(r, "rationale", lang) for r in corpus.excerpts.to_dict("records")}
    work_items: list[tuple[str, str, dict[str, dict[str, Any]]]] = [
        (user, shown, doc["coding"]) for (user, shown), (_, doc) in zip(users, pairs)]
    if include_reference:
        reference = corpus.reference_codes()
        work_items.append((reference_user, i18n.t("export.reference_user", lang),
                           {e: {"first": c, "memo": ""} for e, c in reference.items() if c}))
    for user, shown, coding in work_items:
        for excerpt in excerpt_order:
            entry = coding.get(excerpt)
            if not entry or excerpt not in where:
                continue
            codes, stamp = _codes_at(entry, stage)
            codes = [c for c in dict.fromkeys(codes) if c in code_guid]
            memo = clean(entry.get("memo", "")).strip()
            no_code = _no_code_at(entry, stage) and not codes
            if not codes and not memo and not no_code:
                continue
            text, (start, end) = where[excerpt]
            key = ("selection", corpus_key, user, excerpt, lang, stage)
            stamps = {"creatingUser": user}
            if stamp:
                stamps["creationDateTime"] = stamp
            selection = etree.Element(f"{P}PlainTextSelection", guid=guid(*key), name=excerpt,
                                      startPosition=str(start), endPosition=str(end), **stamps)
            if user == reference_user and include_reference:
                description = rationale.get(excerpt, "")
            else:  # the student's memo: QualCoder reads it from here (see the module's docstring)
                description = "\n\n".join(part for part in (i18n.t("no_code", lang) if no_code else "", memo) if part)
            if description:
                etree.SubElement(selection, f"{P}Description").text = clean(description)
            for code in codes:
                coding_el = etree.SubElement(selection, f"{P}Coding", guid=guid(*key, code), **stamps)
                etree.SubElement(coding_el, f"{P}CodeRef", targetGUID=code_guid[code])
            if memo:
                note_guid = guid("note", corpus_key, user, excerpt)
                etree.SubElement(selection, f"{P}NoteRef", targetGUID=note_guid)
                note_stamp = {"creatingUser": user}
                if _datetime(entry.get("updated")):
                    note_stamp["creationDateTime"] = entry["updated"]
                note = etree.Element(f"{P}Note", guid=note_guid, name=clean(f"Memo {excerpt} – {shown}"),
                                     **note_stamp)
                etree.SubElement(note, f"{P}PlainTextContent").text = memo
                notes.append(note)
            selections[text.guid].append(selection)

    sources_el = etree.SubElement(root, f"{P}Sources")
    for text in texts:
        source = etree.SubElement(sources_el, f"{P}TextSource", guid=text.guid, name=text.name,
                                  plainTextPath=f"internal://{text.filename}")
        listing = "; ".join(f"{e} {a}-{b}" for e, (a, b) in text.spans.items())
        etree.SubElement(source, f"{P}Description").text = clean(listing)
        source.extend(selections[text.guid])
    if notes:
        notes_el = etree.SubElement(root, f"{P}Notes")
        notes_el.extend(notes)
    etree.SubElement(root, f"{P}Description").text = clean(
        f"{ORIGIN}; corpus {corpus_key}, data {corpus.data_version}, codebook {corpus.codebook_version}; "
        f"stage {stage}; language {lang}.")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), texts


def project_bytes(work, corpus: Corpus | None = None, stage: str = "final", lang: str = "da",
                  hide_names: bool = False, include_reference: bool = False, name: str | None = None,
                  groups: bool = True, case_codes: bool = True) -> bytes:
    """A ``.qdpx`` project (zip bytes) of ``work``.

    ``work``: one save document, a :class:`course.store.Store`, a list of documents, a
    :class:`course.classroom.ClassData`, or a folder/file of save files. ``corpus``: the case
    collection (default: a ClassData's own, else the article's); for a ClassData it must be the
    one the class was read with. ``stage``: ``final`` (the revision where there is one; default)
    or ``first``. ``lang``: the language of the texts, code names and pseudonyms. ``hide_names``
    exports pseudonyms (:func:`course.pseudonyms.pseudonym_list`) instead of names. ``case_codes``
    adds the per-case codes that let QualCoder link each case to its source (module docstring).
    """
    corpus = _corpus_for(work, corpus)
    xml, texts = project_xml(corpus, work, stage, lang, hide_names, include_reference, name, groups, case_codes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        def put(filename: str, payload: bytes) -> None:
            info = zipfile.ZipInfo(filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)

        put("project.qde", xml)
        for text in texts:
            put(f"Sources/{text.filename}", text.text.encode("utf-8"))
    return buffer.getvalue()


def write_project(path: str | Path, work, corpus: Corpus | None = None, **options) -> Path:
    """Write :func:`project_bytes` to ``path`` (``.qdpx`` is added when the name has no suffix)."""
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".qdpx")
    path.write_bytes(project_bytes(work, corpus, **options))
    return path


def selections(qdpx: bytes) -> Iterable[dict[str, Any]]:
    """Read back a .qdpx made here: every selection with its user, codes and selected text.

    A check and a teaching aid (what a QDA program will see), not a general REFI-QDA reader.
    """
    with zipfile.ZipFile(io.BytesIO(qdpx)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        ns = {"q": PROJECT_NS}
        cases = {c.get("guid") for c in root.iterfind("q:Cases/q:Case", ns)}
        for source in root.iterfind("q:Sources/q:TextSource", ns):
            path = source.get("plainTextPath", "")
            text = archive.read("Sources/" + path.removeprefix("internal://")).decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                refs = [c.get("targetGUID") for c in selection.iterfind("q:Coding/q:CodeRef", ns)]
                if refs and set(refs) <= cases:
                    continue  # a whole case's text marked for QualCoder (case_codes), not an excerpt
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                yield {
                    "source": source.get("name"), "excerpt": selection.get("name"),
                    "user": selection.get("creatingUser"), "start": start, "end": end,
                    "text": text[start:end],
                    "codes": [c.get("targetGUID") for c in selection.iterfind("q:Coding/q:CodeRef", ns)],
                    "notes": [n.get("targetGUID") for n in selection.iterfind("q:NoteRef", ns)],
                }
