"""The class view: what a whole class coded and classified, from the students' save files.

A lecturer gathers the students' save files (the ``.json`` files that the widgets' download link
makes, or the work folder on a JupyterHub) and gets

* a report of the files that could not be used (file name and reason) — the rest are processed;
* a tidy table of all codings (student, excerpt, case, code, stage ``first``/``final``);
* Krippendorff's alpha per code (nominal, one 0/1 variable per code and excerpt, missing where a
  student did not code the excerpt), with Krippendorff's reading bands;
* the excerpts the class disagreed on most;
* a heatmap of excerpt × code: the share of students who applied each code, the course's reading
  marked;
* the moves the class classified wrong most often (first attempts).

Names can be hidden behind pseudonyms ("Studerende 01") for a projector: new ones every run, the
same ones for a fixed ``seed``, or for the same files with ``seed="content"``. One function,
:func:`pseudonym_list`, makes them, here and in :mod:`course.export`. Students are told apart by
their name up to case, spacing and Unicode form (:func:`name_key`); files without a chosen name
(the store's "student") are each a student of their own.

Everything is a plain function over a :class:`ClassData` (numpy arrays ``students × excerpts ×
codes``); :class:`ClassView` is a thin widget over them. :func:`simulate_class` writes a class of
real save files (made with :func:`course.store.new_document` and checked with
:func:`course.store.validate_document`), with a few broken ones, for tests and the notebook.

Stage ``first`` is the coding a student made before seeing the course's reading; ``final`` includes
revisions made after it. Agreement between students is measured on ``first`` by default: after the
reveal, students converge on the reference and alpha says little about the codebook.
"""
from __future__ import annotations

import hashlib
import html
import json
import math
import re
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import agreement, i18n
from .coding import entry_is_coded
from .data import Corpus, load_corpus, split_list
from .store import (
    MAX_SAVE_BYTES,
    SaveFileError,
    dump_bytes,
    name_key,
    new_document,
    parse_bytes,
    slug,
    validate_document,
)

STAGES = ("first", "final")

#: Interface strings of the class view (Danish first). Kept here so the module stands alone.
#: The module's interface strings: a live view of the catalogue's "classroom.*" keys.
STRINGS = i18n.table("classroom")


def s(key: str, lang: str | None = None, **values) -> str:
    """A class-view string in ``lang`` (default: the notebook's language)."""
    return i18n.lookup(STRINGS, key, lang, **values)


# ---------------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why. ``kind`` is a stable key; :meth:`reason` the text."""

    file: str
    kind: str
    detail: str = ""
    other: str = ""
    values: tuple[tuple[str, Any], ...] = ()
    error: Any = field(default=None, compare=False, repr=False)  # the store's SaveFileError, if any

    def reason(self, lang: str | None = None, hide_files: bool = False) -> str:
        values = dict(self.values)
        if self.error is not None:  # rendered by the store's error, in the reader's language
            values["detail"] = self.error.describe(lang)
        if self.kind == "zip":  # refused by course.handin's zip reader: its message, in i18n's table
            return i18n.t(values.pop("key"), lang, **values)
        if (lang or i18n.get_language()) == "da":  # 2.000.000, as Danish writes thousands
            values.update({k: f"{v:,}".replace(",", ".") for k, v in values.items() if k in ("size", "limit")})
        values.setdefault("detail", self.detail)
        values["other"] = s("other_file", lang) if hide_files else self.other
        return s("skip_" + self.kind, lang, **values)


@dataclass
class _Item:
    name: str
    size: int | None
    read: Any  # () -> bytes


def _file_order(path: Path) -> tuple[str, int, str]:
    """Sort by name, a browser's copy ("name (1).json") right after its original."""
    return re.sub(r" ?\(\d+\)$", "", path.stem), len(path.name), path.name


def _items(sources) -> list[_Item]:
    """Turn folders, paths, (name, bytes) pairs and FileUpload values into readable items."""
    if sources is None:
        return []
    if isinstance(sources, (str, Path)) or isinstance(sources, dict) or (
            isinstance(sources, tuple) and len(sources) == 2 and isinstance(sources[0], str)
            and isinstance(sources[1], (bytes, bytearray, memoryview))):
        sources = [sources]
    from . import handin  # an LMS's "download all submissions" zip (course.handin)

    items: list[_Item] = []
    for source in sources:
        if isinstance(source, dict):  # an ipywidgets FileUpload item
            content = source.get("content", b"")
            if handin.is_zip(source.get("name", "")):
                items.extend(handin.expand(source["name"], content))
                continue
            items.append(_Item(str(source.get("name", "upload")), len(content), lambda c=content: bytes(c)))
        elif isinstance(source, tuple):
            name, content = source
            if handin.is_zip(name):
                items.extend(handin.expand(name, content))
                continue
            items.append(_Item(str(name), len(content), lambda c=content: bytes(c)))
        else:
            path = Path(source).expanduser()
            if path.is_dir():
                files = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".json", ".zip")
                                and not p.name.startswith(".")), key=_file_order)
            else:
                files = [path]
            for p in files:
                if handin.is_zip(p.name):
                    items.extend(handin.expand(p.name, p))
                    continue
                try:
                    size = p.stat().st_size
                except OSError:
                    size = None
                items.append(_Item(p.name, size, p.read_bytes))
    return items


#: The kinds of :class:`course.store.SaveFileError` the class view names itself (its own wording,
#: see ``skip_*``), by the store's ``kind``; any other kind is an ``invalid`` file whose detail the
#: store's error renders in the reader's language.
_SKIP_KINDS = {"oversized": "oversized", "empty": "empty", "not_text": "not_text", "not_json": "not_json",
               "too_deep": "too_deep", "foreign": "foreign", "not_object": "foreign"}


def skip_for(name: str, err: SaveFileError, size: int) -> Skipped:
    """The :class:`Skipped` of a file that :func:`course.store.parse_bytes` refused (by its kind)."""
    kind = _SKIP_KINDS.get(err.kind)
    if kind == "oversized":
        return Skipped(name, kind, values=(("size", size), ("limit", MAX_SAVE_BYTES)))
    if kind == "not_json":
        return Skipped(name, kind, values=(("line", err.values.get("line", "?")), ("col", err.values.get("col", "?"))))
    if kind is not None:
        return Skipped(name, kind)
    return Skipped(name, "invalid", detail=err.describe("en"), error=err)


_skip_for = skip_for  # the older name


def _parse(item: _Item, corpus_key: str) -> tuple[dict[str, Any] | None, Skipped | None]:
    """Read one item with :func:`course.store.parse_bytes`; the document or the reason to skip it."""
    if item.size is not None and item.size > MAX_SAVE_BYTES:  # known from the folder: do not read it
        return None, Skipped(item.name, "oversized", values=(("size", item.size), ("limit", MAX_SAVE_BYTES)))
    try:
        raw = item.read()
    except OSError as err:
        if getattr(err, "message_key", None):  # course.handin.ZipRefused: a zip bomb, an escaping path
            return None, Skipped(item.name, "zip", values=(("key", err.message_key), *err.message_values))
        return None, Skipped(item.name, "unreadable", detail=err.strerror or type(err).__name__)
    try:
        doc = parse_bytes(raw, item.name)
    except SaveFileError as err:
        return None, skip_for(item.name, err, len(raw))
    except Exception as err:  # noqa: BLE001 -- one file never stops the class view
        return None, Skipped(item.name, "invalid", detail=f"{type(err).__name__}: {err}"[:300])
    keys = corpus_key if isinstance(corpus_key, tuple) else (corpus_key,)
    if doc["corpus"] not in keys:
        return None, Skipped(item.name, "other_corpus",
                             values=(("found", doc["corpus"]), ("expected", keys[0])))
    return doc, None


@dataclass
class ClassData:
    """A class's saved work as arrays (students × excerpts × codes), plus what was skipped.

    ``coded[stage][s, e, c]`` is True when student ``s`` applied code ``c`` to excerpt ``e``;
    ``covered[stage][s, e]`` when the student coded the excerpt at all (else: missing).
    ``moves`` holds the first attempt of every answered move.
    """

    corpus: Corpus
    students: list[str]
    files: list[str]
    docs: list[dict[str, Any]]
    excerpts: list[str]
    excerpt_cases: np.ndarray
    codes: list[str]
    coded: dict[str, np.ndarray]
    covered: dict[str, np.ndarray]
    moves: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    n_files: int = 0
    salt: str = ""

    @property
    def n_students(self) -> int:
        return len(self.students)

    def reference_matrix(self) -> np.ndarray:
        """The course's reading as an (excerpts × codes) boolean array."""
        ref = self.corpus.reference_codes()
        cindex = {c: k for k, c in enumerate(self.codes)}
        matrix = np.zeros((len(self.excerpts), len(self.codes)), dtype=bool)
        for j, excerpt in enumerate(self.excerpts):
            for code in ref.get(excerpt, []):
                if code in cindex:
                    matrix[j, cindex[code]] = True
        return matrix

    def note_texts(self, lang: str | None = None) -> list[str]:
        return [s(key, lang, **values) for key, values in self.notes]


#: The name the store gives work without one. Files carrying it are never taken for one student.
PLACEHOLDER = "student"


def is_placeholder(name: str) -> bool:
    """True for a name the student did not choose (empty, or the store's default "student")."""
    return name_key(name) in ("", PLACEHOLDER)


def _digest(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def content_salt(docs: Iterable[dict[str, Any]]) -> str:
    """A pseudonym salt made from a set of save documents, whatever their order.

    The same work gives the same pseudonyms in every run; nobody without all the files can work
    the numbering out from the names. ``load_class(..., seed="content")`` uses it.
    """
    digests = sorted(_digest(doc) for doc in docs)
    return "content:" + hashlib.sha256("\n".join(digests).encode()).hexdigest()[:32]


def unique_names(names: list[str], docs: list[dict[str, Any]]) -> list[str]:
    """The names shown for ``docs``: anonymous files ("student") numbered ("student (2)").

    Each anonymous file is a student of its own; they are numbered in the order of their last
    save (then of their content), so the numbering does not depend on the order of the files.
    Other names are left as they are.
    """
    out = list(names)
    anonymous = [i for i, name in enumerate(names) if is_placeholder(name)]
    if len(anonymous) < 2:
        return out
    taken = {name for i, name in enumerate(names) if i not in set(anonymous)}
    anonymous.sort(key=lambda i: (str(docs[i].get("updated", "")), _digest(docs[i])))
    number = 0
    for i in anonymous:
        number += 1
        while f"{names[i]} ({number})" in taken:
            number += 1
        out[i] = f"{names[i]} ({number})"
        taken.add(out[i])
    return out


def load_class(sources, corpus: Corpus | str | Path | None = None, seed: int | str | None = None) -> ClassData:
    """Read a class's save files; skip (and name) the ones that cannot be used.

    ``sources``: a folder (its ``*.json`` files; hidden files and ``.bak`` backups are left alone),
    a file path, ``(name, bytes)`` pairs, ipywidgets ``FileUpload`` values, or a list mixing them.
    A ``.zip`` (an LMS's "download all submissions", or a folder's zip) is read entry by entry by
    :func:`course.handin.zip_items` (zip bombs and escaping paths refused and named).
    Each file is read by :func:`course.store.parse_bytes`. A file is skipped when it is too large,
    empty, not JSON, not a course save file, invalid, of another corpus, a copy of a file already
    read, or an older save of a student whose newer save is also there ("the same student": the
    same name up to case, spacing and Unicode form, see :func:`name_key`). Files that carry no name
    (the store's default "student") are never merged: each is a student of its own, numbered.

    ``seed`` fixes the pseudonyms: default, new ones every run; a number or text, the same ones for
    the same seed; ``"content"``, a salt made from the files used (:func:`content_salt`), so that
    the same files give the same pseudonyms (and the same export) in every run.
    """
    corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    corpus_key = corpus.key
    items = _items(sources)
    skipped: list[Skipped] = []
    # Files are told apart by their position: two uploads may carry the same file name.
    accepted: list[tuple[int, str, dict[str, Any]]] = []
    for position, item in enumerate(items):
        try:
            doc, skip = _parse(item, (corpus_key, *corpus.legacy_keys))
        except Exception as err:  # noqa: BLE001 -- one file never stops the class view
            doc, skip = None, Skipped(item.name, "invalid", detail=f"{type(err).__name__}: {err}"[:300])
        if skip is not None:
            skipped.append(skip)
        else:
            accepted.append((position, item.name, doc))
    dropped: dict[int, Skipped] = {}
    seen: dict[str, str] = {}
    for position, name, doc in accepted:  # identical content: the same file twice
        digest = _digest(doc)
        if digest in seen:
            dropped[position] = Skipped(name, "duplicate_content", other=seen[digest])
        else:
            seen[digest] = name
    per_student: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
    for position, name, doc in accepted:
        if position not in dropped and not is_placeholder(doc["student"]):
            per_student.setdefault(name_key(doc["student"]), []).append((position, name, doc))
    for group in per_student.values():
        # Of different saves of one student, the newest wins (ties: the later file name, then position).
        newest = max(group, key=lambda entry: (entry[2]["updated"], entry[1], entry[0]))
        for position, name, _ in group:
            if position != newest[0]:
                dropped[position] = Skipped(name, "duplicate_student", other=newest[1])
    chosen = [(name, doc) for position, name, doc in accepted if position not in dropped]
    skipped.extend(dropped[position] for position, _, _ in accepted if position in dropped)
    data = _build(corpus, chosen)
    data.skipped = skipped
    data.n_files = len(items)
    if seed == "content":
        data.salt = content_salt(data.docs)
    else:
        data.salt = str(seed) if seed is not None else secrets.token_hex(8)
    return data


def _build(corpus: Corpus, chosen: list[tuple[str, dict[str, Any]]]) -> ClassData:
    from .moves import MoveQuiz

    excerpts = corpus.excerpts["id"].tolist()
    cases = corpus.excerpts["case"].to_numpy(dtype=object)
    codes = corpus.code_ids
    eindex = {e: j for j, e in enumerate(excerpts)}
    cindex = {c: k for k, c in enumerate(codes)}
    n_s, n_e, n_c = len(chosen), len(excerpts), len(codes)
    hits = {stage: ([], [], []) for stage in STAGES}
    cover = {stage: ([], []) for stage in STAGES}
    unknown_excerpts = 0
    unknown_codes: dict[str, int] = {}
    stale = 0
    no_work = 0
    quiz = MoveQuiz(corpus, store=None)  # judge() only reads the corpus; an empty quiz without moves
    judged: dict[tuple[str, str], str] = {}
    move_case = dict(zip(corpus.moves["id"], corpus.moves["case"]))
    move_rows: list[tuple[int, str, str, str]] = []
    unknown_moves = 0
    unknown_answers: dict[str, int] = {}
    for si, (_, doc) in enumerate(chosen):
        if doc.get("data_version") not in (None, corpus.data_version):
            stale += 1
        if not doc["coding"] and not doc["moves"]:
            no_work += 1
        for excerpt_id, entry in doc["coding"].items():
            first = entry["first"]
            revised = entry.get("revised")
            if not entry_is_coded(entry):
                continue  # an entry with a memo only: not coded ("no code applies" is coded)
            j = eindex.get(excerpt_id)
            if j is None:
                unknown_excerpts += 1
                continue
            final = revised if revised is not None else first
            for code in set(first) | set(final):
                if code not in cindex:
                    unknown_codes[code] = unknown_codes.get(code, 0) + 1
            for stage, chosen_codes in (("first", first), ("final", final)):
                if stage == "first" and not entry_is_coded(entry, "first"):
                    continue
                cover[stage][0].append(si)
                cover[stage][1].append(j)
                rows, cols, ks = hits[stage]
                for code in chosen_codes:
                    k = cindex.get(code)
                    if k is not None:
                        rows.append(si)
                        cols.append(j)
                        ks.append(k)
        for move_id, entry in doc["moves"].items():
            attempts = entry["attempts"]
            if not attempts:
                continue
            answer = attempts[0]["answer"]
            if move_id not in move_case:
                unknown_moves += 1
                continue
            if not quiz.knows(answer):  # an answer of an older version: not wrong, unknown
                unknown_answers[answer] = unknown_answers.get(answer, 0) + 1
                continue
            if (move_id, answer) not in judged:
                judged[move_id, answer] = quiz.judge(move_id, answer).result
            move_rows.append((si, move_id, answer, judged[move_id, answer]))
    coded = {}
    covered = {}
    for stage in STAGES:
        array = np.zeros((n_s, n_e, n_c), dtype=bool)
        rows, cols, ks = hits[stage]
        array[np.asarray(rows, dtype=int), np.asarray(cols, dtype=int), np.asarray(ks, dtype=int)] = True
        coded[stage] = array
        cov = np.zeros((n_s, n_e), dtype=bool)
        cov[np.asarray(cover[stage][0], dtype=int), np.asarray(cover[stage][1], dtype=int)] = True
        covered[stage] = cov
    moves = pd.DataFrame(move_rows, columns=["student_index", "move", "answer", "result"])
    moves["case"] = moves["move"].map(move_case)
    notes: list[tuple[str, dict[str, Any]]] = []
    if stale:
        notes.append(("note_stale", {"n": stale}))
    if unknown_excerpts:
        notes.append(("note_unknown_excerpts", {"n": unknown_excerpts}))
    if unknown_codes:
        notes.append(("note_unknown_codes", {"n": sum(unknown_codes.values()),
                                             "codes": ", ".join(sorted(unknown_codes))}))
    if unknown_moves:
        notes.append(("note_unknown_moves", {"n": unknown_moves}))
    if unknown_answers:
        notes.append(("note_unknown_answers", {"n": sum(unknown_answers.values()),
                                               "answers": ", ".join(sorted(unknown_answers))}))
    if no_work:
        notes.append(("note_no_work", {"n": no_work}))
    names = [doc["student"].strip() or PLACEHOLDER for _, doc in chosen]
    anonymous = sum(is_placeholder(name) for name in names)
    if anonymous:
        notes.append(("note_anonymous", {"n": anonymous}))
    return ClassData(
        corpus=corpus, students=unique_names(names, [doc for _, doc in chosen]),
        files=[name for name, _ in chosen], docs=[doc for _, doc in chosen], excerpts=excerpts,
        excerpt_cases=cases, codes=codes, coded=coded, covered=covered, moves=moves, notes=notes,
    )


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
def pseudonym_list(names: list[str], salt: str, lang: str | None = None,
                   docs: list[dict[str, Any]] | None = None) -> list[str]:
    """Pseudonyms ("Studerende 01") for ``names``, in their order: THE pseudonym function of the
    course (the class view and the REFI-QDA export both use it).

    The numbers follow a salted hash of each name, an order nobody can guess without the salt.
    They are unique even where names repeat: then the content of ``docs`` (the save documents of
    the names), and last the position, decide. The same names, work and salt give the same
    pseudonyms, whatever the order of the input.
    """
    n = len(names)
    width = max(2, len(str(n)))
    ties = [_digest(doc) for doc in docs] if docs is not None and len(set(names)) < n else [""] * n
    order = sorted(range(n), key=lambda i: (hashlib.sha256(f"{salt}:{names[i]}".encode()).hexdigest(), ties[i], i))
    out = [""] * n
    for number, i in enumerate(order, start=1):
        out[i] = s("pseudonym", lang, n=f"{number:0{width}d}")
    return out


def pseudonyms(data: ClassData, lang: str | None = None) -> dict[str, str]:
    """Real name -> "Studerende 01": numbered in an order no one can guess, stable for the salt
    (``load_class``'s ``seed``). ``data.students`` are unique, so the mapping is too."""
    return dict(zip(data.students, display_names(data, True, lang)))


def display_names(data: ClassData, hide: bool = False, lang: str | None = None) -> list[str]:
    """The students' names in ``data.students`` order, or their pseudonyms when ``hide``."""
    if not hide:
        return list(data.students)
    return pseudonym_list(data.students, data.salt, lang, data.docs)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------
def skipped_table(data: ClassData, hide_names: bool = False, lang: str | None = None) -> pd.DataFrame:
    """One row per skipped file: ``file``, ``kind``, ``reason``. ``hide_names`` numbers the files
    instead (file names carry students' names)."""
    rows = []
    width = max(2, len(str(len(data.skipped))))
    for i, item in enumerate(data.skipped, start=1):
        name = s("file_pseudonym", lang, n=f"{i:0{width}d}") if hide_names else item.file
        rows.append({"file": name, "kind": item.kind, "reason": item.reason(lang, hide_files=hide_names)})
    return pd.DataFrame(rows, columns=["file", "kind", "reason"])


def students_table(data: ClassData, hide_names: bool = False, lang: str | None = None) -> pd.DataFrame:
    """One row per student: the file used, excerpts coded (first/final), moves answered."""
    table = pd.DataFrame({
        "student": display_names(data, hide_names, lang),
        "file": [""] * data.n_students if hide_names else data.files,
        "coded_first": data.covered["first"].sum(axis=1),
        "coded_final": data.covered["final"].sum(axis=1),
        "moves_answered": np.bincount(data.moves["student_index"].to_numpy(dtype=int),
                                      minlength=data.n_students) if data.n_students else [],
        "updated": [d["updated"] for d in data.docs],
    })
    if hide_names:
        table = table.drop(columns="file").sort_values("student", ignore_index=True)
    return table


def codings_table(data: ClassData, hide_names: bool = False, stages: Iterable[str] = STAGES,
                  lang: str | None = None) -> pd.DataFrame:
    """All codings, tidy: one row per student, excerpt, code and stage (``first``/``final``)."""
    names = np.asarray(display_names(data, hide_names, lang), dtype=object)
    excerpts = np.asarray(data.excerpts, dtype=object)
    codes = np.asarray(data.codes, dtype=object)
    parts = []
    for stage in stages:
        si, ei, ci = np.nonzero(data.coded[stage])
        parts.append(pd.DataFrame({
            "student": names[si], "excerpt": excerpts[ei], "case": data.excerpt_cases[ei],
            "code": codes[ci], "stage": stage,
        }))
    if not parts:
        return pd.DataFrame(columns=["student", "excerpt", "case", "code", "stage"])
    return pd.concat(parts, ignore_index=True)


def _select(data: ClassData, case: str | None) -> np.ndarray:
    if case is None:
        return np.arange(len(data.excerpts))
    index = np.flatnonzero(data.excerpt_cases == case)
    if not len(index):
        raise ValueError(f"Unknown case '{case}' (or a case without excerpts). Use one of: "
                         f"{', '.join(sorted(set(data.excerpt_cases)))}.")
    return index


def alpha_input(data: ClassData, stage: str = "first", case: str | None = None) -> pd.DataFrame:
    """The tidy input of :func:`course.agreement.krippendorff_alpha_per_code`: one row per
    (coder, excerpt, code applied), plus one row with an empty code per excerpt a coder coded."""
    keep = _select(data, case)
    coded = data.coded[stage][:, keep, :]
    covered = data.covered[stage][:, keep]
    coders = np.arange(data.n_students).astype(str).astype(object)
    excerpts = np.asarray(data.excerpts, dtype=object)[keep]
    si, ei, ci = np.nonzero(coded)
    vi, vj = np.nonzero(covered)
    return pd.DataFrame({
        "coder": np.concatenate([coders[si], coders[vi]]),
        "excerpt": np.concatenate([excerpts[ei], excerpts[vj]]),
        "code": np.concatenate([np.asarray(data.codes, dtype=object)[ci], np.full(len(vi), "", dtype=object)]),
    })


def alpha_table(data: ClassData, stage: str = "first", case: str | None = None,
                lang: str | None = None) -> pd.DataFrame:
    """Krippendorff's alpha per code, with its reading band and how common the code is.

    ``prevalence`` is the share of (student, excerpt) codings that used the code; ``pairs_agree``
    the share of pairs of students, on the same excerpt, who agree on it (observed agreement);
    ``units`` the number of excerpts coded by two or more students (what alpha can use);
    ``reference`` the number of excerpts the course codes with it. For a rare code alpha rests on
    few applications and moves a lot with a handful of students, and a high ``pairs_agree`` can go
    with an alpha near 0: read alpha with its prevalence.
    """
    lang = lang or i18n.get_language()
    keep = _select(data, case)
    table = agreement.krippendorff_alpha_per_code(
        alpha_input(data, stage, case), data.codes, [data.excerpts[j] for j in keep],
        [str(i) for i in range(data.n_students)],
    )
    # A code whose variation lies only in excerpts one student coded has no pairable variation.
    table.loc[table["alpha"].isna() & (table["note"] == ""), "note"] = "no variation"
    codebook = data.corpus.codebook.set_index("id")
    covered_cells = int(data.covered[stage][:, keep].sum())
    table.insert(1, "label", [i18n.field(codebook.loc[c].to_dict(), "label", lang) for c in table["code"]])
    table.insert(2, "group", table["code"].map(codebook["group"]))
    table["prevalence"] = table["applications"] / covered_cells if covered_cells else math.nan
    # Observed agreement: the share of pairs of students (on the same excerpt) who agree on the code.
    n = data.covered[stage][:, keep].sum(axis=0).astype(float)[:, None]
    k = data.coded[stage][:, keep, :].sum(axis=0).astype(float)
    pairs = (n * (n - 1) / 2).sum()
    agree = (k * (k - 1) / 2 + (n - k) * (n - k - 1) / 2).sum(axis=0)
    table["pairs_agree"] = agree / pairs if pairs else math.nan
    table["units"] = int((n >= 2).sum())  # excerpts coded by two or more students
    table["reference"] = data.reference_matrix()[keep].sum(axis=0)

    def reading(row) -> str:
        if row.note == "unused":
            return s("band_unused", lang)
        if row.note:
            return s("band_no_variation", lang)
        return s("band_" + row.band, lang)

    table["reading"] = [reading(r) for r in table.itertuples()]
    return table[["code", "label", "group", "alpha", "band", "reading", "applications", "prevalence",
                  "pairs_agree", "units", "reference", "note"]]


def alpha_overall(data: ClassData, stage: str = "first", case: str | None = None) -> float:
    """Krippendorff's alpha across all codes at once: each student's SET of codes per excerpt
    ("no code applies" is the empty set), MASI distance (Passonneau 2006); see
    :func:`course.agreement.krippendorff_alpha_overall`. nan when nothing can be compared."""
    keep = _select(data, case)
    coded = data.coded[stage][:, keep, :]
    covered = data.covered[stage][:, keep]
    # Each cell's set of codes, found once per distinct pattern of codes (a class repeats them).
    flat = coded.reshape(-1, coded.shape[2])
    if flat.shape[1] <= 62:  # one integer per pattern: a fast unique
        keys = flat.astype(np.int64) @ (np.int64(1) << np.arange(flat.shape[1], dtype=np.int64))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        patterns = flat[first]
    else:
        patterns, inverse = np.unique(flat, axis=0, return_inverse=True)
    found = [frozenset(c for c, on in zip(data.codes, row) if on) for row in patterns]
    cells = np.asarray(inverse).reshape(coded.shape[:2])
    sets = [[found[cells[si, j]] if covered[si, j] else None for j in range(len(keep))]
            for si in range(data.n_students)]
    return agreement.krippendorff_alpha_overall(sets)


def alpha_overall_text(data: ClassData, stage: str = "first", case: str | None = None,
                       lang: str | None = None) -> str:
    """One line for the class view: the overall alpha, its band, and which alpha it is."""
    value = alpha_overall(data, stage, case)
    band = agreement.alpha_band(value)
    reading = s("band_no_variation", lang) if band == "undefined" else s("band_" + band, lang)
    return i18n.t("alpha_overall", lang, alpha=agreement.format_alpha(value), reading=reading)


def excerpt_shares(data: ClassData, stage: str = "first") -> tuple[np.ndarray, np.ndarray]:
    """(coders per excerpt, share applying each code): arrays of shape (E,) and (E, C)."""
    n = data.covered[stage].sum(axis=0)
    k = data.coded[stage].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n[:, None] > 0, k / np.maximum(n, 1)[:, None], np.nan)
    return n, share


def disagreement_table(data: ClassData, stage: str = "first", top: int | None = 10, min_coders: int = 2,
                       lang: str | None = None) -> pd.DataFrame:
    """The excerpts the class disagreed on most.

    ``disagreement`` is, averaged over the codes, the share of pairs of students who disagree on
    whether the code applies: for a code that ``k`` of ``n`` students used, ``k(n-k) / (n(n-1)/2)``
    (0 = everybody agrees; .5 for a code half the class used). ``split_code`` is the code the
    class was most divided on; ``matches_reference`` the share of students whose coding equals
    the course's reading exactly.
    """
    lang = lang or i18n.get_language()
    n, share = excerpt_shares(data, stage)
    k = data.coded[stage].sum(axis=0).astype(float)
    nn = n.astype(float)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pairwise = np.where(nn >= 2, 2 * k * (nn - k) / (nn * (nn - 1)), np.nan)
    score = pairwise.mean(axis=1)
    split = np.nan_to_num(share * (1 - share), nan=-1.0)
    split_index = split.argmax(axis=1)
    reference = data.reference_matrix()
    exact = (data.coded[stage] == reference[None, :, :]).all(axis=2) & data.covered[stage]
    with np.errstate(invalid="ignore", divide="ignore"):
        matches = np.where(n > 0, exact.sum(axis=0) / np.maximum(n, 1), np.nan)
    codes = np.asarray(data.codes, dtype=object)
    table = pd.DataFrame({
        "excerpt": data.excerpts, "case": data.excerpt_cases, "coders": n, "disagreement": score,
        "split_code": codes[split_index], "split_share": share[np.arange(len(data.excerpts)), split_index],
        "matches_reference": matches,
        "reference": [";".join(codes[reference[j]]) for j in range(len(data.excerpts))],
    })
    table = table[table["coders"] >= min_coders].sort_values(
        ["disagreement", "excerpt"], ascending=[False, True], ignore_index=True)
    return table.head(top) if top else table


def heatmap_data(data: ClassData, stage: str = "first", case: str | None = None,
                 lang: str | None = None) -> pd.DataFrame:
    """One row per excerpt and code: ``share`` of the students who coded the excerpt that applied
    the code, ``applied``, ``coders``, and ``reference`` (the course's reading)."""
    lang = lang or i18n.get_language()
    keep = _select(data, case)
    n, share = excerpt_shares(data, stage)
    k = data.coded[stage].sum(axis=0)
    reference = data.reference_matrix()
    n_e, n_c = len(keep), len(data.codes)
    codebook = data.corpus.codebook.set_index("id")
    labels = [i18n.field(codebook.loc[c].to_dict(), "label", lang) for c in data.codes]
    return pd.DataFrame({
        "excerpt": np.repeat(np.asarray(data.excerpts, dtype=object)[keep], n_c),
        "case": np.repeat(data.excerpt_cases[keep], n_c),
        "code": np.tile(np.asarray(data.codes, dtype=object), n_e),
        "label": np.tile(np.asarray(labels, dtype=object), n_e),
        "share": share[keep].ravel(),
        "applied": k[keep].ravel(),
        "coders": np.repeat(n[keep], n_c),
        "reference": reference[keep].ravel(),
    })


def heatmap_chart(data: ClassData, stage: str = "first", case: str | None = None, lang: str | None = None):
    """Altair heatmap of excerpt × code (share of students), the course's reading as white dots."""
    import altair as alt

    lang = lang or i18n.get_language()
    table = heatmap_data(data, stage, case, lang)
    stage_name = s("stage_" + stage, lang)
    on = table.loc[table["reference"], "share"].mean()
    off = table.loc[~table["reference"], "share"].mean()
    size = {"e": table["excerpt"].nunique(), "c": len(data.codes), "s": data.n_students, "stage": stage_name}
    if table["share"].isna().all():  # nobody coded anything (yet): no share to average
        described = s("heat_alt_empty", lang, **size)
    else:
        described = s("heat_alt", lang, **size)
        if not pd.isna(on) and not pd.isna(off):
            described += s("heat_alt_both", lang, on=i18n.pct(on, lang), off=i18n.pct(off, lang))
        elif not pd.isna(on):
            described += s("heat_alt_on", lang, on=i18n.pct(on, lang))
        elif not pd.isna(off):
            described += s("heat_alt_off", lang, off=i18n.pct(off, lang))
    missed = table[table["reference"]].dropna(subset=["share"]).nsmallest(3, "share")
    if len(missed):
        described += s("heat_alt_missed", lang, cells="; ".join(
            f"{r.excerpt} {r.code} {i18n.pct(r.share, lang)}" for r in missed.itertuples()))
    extra = table[~table["reference"]].dropna(subset=["share"]).nlargest(3, "share")
    if len(extra):
        described += s("heat_alt_extra", lang, cells="; ".join(
            f"{r.excerpt} {r.code} {i18n.pct(r.share, lang)}" for r in extra.itertuples()))
    table["marker"] = s("reference_marker", lang)
    order_e = list(dict.fromkeys(table["excerpt"]))
    order_c = list(dict.fromkeys(table["label"]))
    title_code = i18n.t("code", lang)
    base = alt.Chart(table).encode(
        x=alt.X("label:N", title=title_code, sort=order_c, axis=alt.Axis(labelAngle=-45, labelLimit=200)),
        y=alt.Y("excerpt:N", title=s("excerpt", lang), sort=order_e),
    )
    tooltip = [alt.Tooltip("excerpt:N", title=s("excerpt", lang)), alt.Tooltip("label:N", title=title_code),
               alt.Tooltip("share:Q", title=s("share", lang), format=".0%"),
               alt.Tooltip("coders:Q", title=s("coders", lang)),
               alt.Tooltip("reference:N", title=s("reference_marker", lang))]
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", title=s("share", lang), scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format=".0%")),
        tooltip=tooltip,
    )
    marks = base.transform_filter(alt.datum.reference).mark_point(
        filled=True, fill="white", stroke="black", strokeWidth=1, size=36,
    ).encode(
        shape=alt.Shape("marker:N", title=None, scale=alt.Scale(range=["circle"])),
        tooltip=tooltip,
    )
    return (cells + marks).properties(
        title=s("heat_title", lang, stage=stage_name), width=max(240, 26 * len(data.codes)),
        height=max(120, 13 * table["excerpt"].nunique()), description=described,
    )


def moves_wrong(data: ClassData, top: int | None = 10, lang: str | None = None) -> pd.DataFrame:
    """The moves the class most often classified wrong on the first attempt.

    ``wrong`` counts answers of another mode (or not metagovernance where the course sees
    metagovernance), ``partial`` the right mode but another tool; ``common_answer`` is the most
    frequent answer that was not counted correct, and ``common_share`` its share of all answers.
    Answers are judged against the moves table loaded now (as the classifier judges them), so a
    change to ``moves.csv`` after the class worked is taken into account.
    """
    lang = lang or i18n.get_language()
    columns = ["move", "case", "reference", "answered", "wrong", "partial", "correct", "share_wrong",
               "share_partial", "common_answer", "common_share", "description"]
    table = data.moves
    if table.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(table["move"], table["result"]).reindex(columns=["correct", "partial", "wrong"],
                                                                  fill_value=0)
    counts["answered"] = counts.sum(axis=1)
    missed = table[table["result"] != "correct"]
    common = missed.groupby(["move", "answer"]).size().reset_index(name="n").sort_values(
        ["move", "n", "answer"], ascending=[True, False, True]).drop_duplicates("move")
    common_answer = dict(zip(common["move"], common["answer"]))
    common_count = dict(zip(common["move"], common["n"]))
    moves = data.corpus.moves.set_index("id")
    out = counts.reset_index()
    out["case"] = out["move"].map(moves["case"])
    out["reference"] = out["move"].map(moves["reference_class"])
    out["share_wrong"] = out["wrong"] / out["answered"]
    out["share_partial"] = out["partial"] / out["answered"]
    out["common_answer"] = [common_answer.get(m, "") for m in out["move"]]
    out["common_share"] = [common_count.get(m, 0) for m in out["move"]] / out["answered"]
    out["description"] = [i18n.field(moves.loc[m].to_dict(), "description", lang) for m in out["move"]]
    out = out.sort_values(["share_wrong", "share_partial", "move"], ascending=[False, False, True],
                          ignore_index=True)
    out = out[columns]
    out.columns.name = None
    return out.head(top) if top else out


def summary(data: ClassData, lang: str | None = None) -> str:
    return s("summary", lang, files=data.n_files, students=data.n_students, skipped=len(data.skipped))


# ---------------------------------------------------------------------------------------------
# A simulated class of real save files
# ---------------------------------------------------------------------------------------------
BROKEN_KINDS = ("truncated", "foreign", "oversized", "duplicate", "same_student", "other_corpus", "empty")

_MEMOS = (
    "Usikker: er det design eller framing?",
    "Her tales der om, hvem der får adgang.",
    "Jeg læser det som et dilemma om afslutning.",
    "Minder om uddraget før; samme aktør.",
    "Svært at afgøre uden mere kontekst.",
)


@dataclass
class SimulatedClass:
    """Where :func:`simulate_class` wrote its files, and which are broken (file -> kind)."""

    folder: Path
    students: list[str]
    files: list[str]
    broken: dict[str, str]

    def __fspath__(self) -> str:
        return str(self.folder)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def simulate_class(corpus: Corpus | None = None, n_students: int = 30, seed: int = 0, noise: float = 0.15,
                   broken: bool | Iterable[str] = True, folder: str | Path | None = None,
                   moves: bool = True) -> SimulatedClass:
    """Write a simulated class's save files into ``folder`` (default: a new temporary folder).

    Each student's first coding is the course's reading with seeded noise: codes dropped and
    added (some codes and some excerpts are harder than others, some students more careless), and
    some excerpts skipped. About half of the excerpts are compared with the reference, and some
    of those revised towards it. Moves are answered with a per-move difficulty and a typical
    mistake, so that some moves go wrong for many. ``broken`` adds files that must be skipped
    (all of :data:`BROKEN_KINDS`, or the kinds listed). The same seed gives the same files.
    """
    from .moves import MoveQuiz

    corpus = corpus if corpus is not None else load_corpus()
    if not 0 <= noise <= 1:
        raise ValueError("noise must lie between 0 and 1.")
    rng = np.random.default_rng(seed)
    target = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="class-sim-"))
    target.mkdir(parents=True, exist_ok=True)
    excerpts = corpus.excerpts["id"].tolist()
    codes = corpus.code_ids
    ref = corpus.reference_codes()
    reference = np.array([[c in ref.get(e, []) for c in codes] for e in excerpts], dtype=bool)
    n_e, n_c = reference.shape
    width = max(3, len(str(n_students)))
    names = [f"Testelev {i:0{width}d}" for i in range(1, n_students + 1)]

    # Difficulty: per code, per excerpt (a few contested ones), per student.
    code_diff = rng.uniform(0.3, 2.0, n_c)
    excerpt_diff = rng.uniform(0.5, 1.3, n_e)
    contested = rng.choice(n_e, size=min(5, n_e), replace=False)
    excerpt_diff[contested] = rng.uniform(2.5, 3.5, len(contested))
    care = rng.uniform(0.5, 1.5, n_students)
    p_drop = np.clip(noise * care[:, None, None] * code_diff[None, None, :] * excerpt_diff[None, :, None], 0, 0.9)
    p_add = np.clip(p_drop * 0.15, 0, 0.5)
    draw = rng.random((n_students, n_e, n_c))
    first = np.where(reference[None], draw >= p_drop, draw < p_add)
    # Skipping: most students skip little; some skip a lot.
    p_skip = np.where(rng.random(n_students) < 0.25, rng.uniform(0.2, 0.5, n_students), noise * 0.2)
    covered = rng.random((n_students, n_e)) >= p_skip[:, None]
    covered[np.arange(n_students), rng.integers(0, n_e, n_students)] = True
    # A student always picks at least one code: an empty coding gets one random code.
    empty = covered & ~first.any(axis=2)
    ei_s, ei_e = np.nonzero(empty)
    first[ei_s, ei_e, rng.integers(0, n_c, len(ei_s))] = True
    revealed = covered & (rng.random((n_students, n_e)) < 0.5)
    revise = revealed & (rng.random((n_students, n_e)) < 0.5) & (first != reference[None]).any(axis=2)
    memo_pick = np.where(covered & (rng.random((n_students, n_e)) < 0.08),
                         rng.integers(0, len(_MEMOS), (n_students, n_e)), -1)

    # Moves: difficulty per move and a typical wrong answer.
    quiz = MoveQuiz(corpus, store=None)
    move_ids = corpus.moves["id"].tolist()
    move_refs = corpus.moves["reference_class"].tolist()
    classes = corpus.move_classes
    move_diff = rng.uniform(0.2, 1.0, len(move_ids))
    move_diff[rng.choice(len(move_ids), size=min(4, len(move_ids)), replace=False)] = rng.uniform(
        2.5, 3.5, min(4, len(move_ids)))
    distractor = []
    for record in corpus.moves.itertuples():
        options = [c for c in classes if c != record.reference_class and c not in split_list(record.also_accepted)]
        distractor.append(options[int(rng.integers(0, len(options)))])
    p_error = np.clip(noise * 1.6 * care[:, None] * move_diff[None, :], 0, 0.9)
    answered = rng.random((n_students, len(move_ids))) >= (p_skip[:, None] if moves else 1.1)
    errs = rng.random((n_students, len(move_ids))) < p_error
    typical = rng.random((n_students, len(move_ids))) < 0.7
    random_class = rng.integers(0, len(classes), (n_students, len(move_ids)))
    retry = rng.random((n_students, len(move_ids))) < 0.7

    base = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    files: list[str] = []
    docs: list[dict[str, Any]] = []
    for si, name in enumerate(names):
        doc = new_document(name, corpus.key, corpus.data_version, corpus.codebook_version)
        clock = base + timedelta(minutes=int(rng.integers(0, 600)))
        doc["created"] = _stamp(clock)
        for j in np.flatnonzero(covered[si]):
            clock += timedelta(seconds=int(rng.integers(20, 200)))
            chosen = [codes[k] for k in np.flatnonzero(first[si, j])]
            entry = {"first": chosen, "first_at": _stamp(clock), "revealed": False, "revealed_at": None,
                     "revised": None, "revised_at": None, "memo": "", "updated": _stamp(clock)}
            if memo_pick[si, j] >= 0:
                entry["memo"] = _MEMOS[memo_pick[si, j]]
            if revealed[si, j]:
                clock += timedelta(seconds=int(rng.integers(5, 60)))
                entry["revealed"], entry["revealed_at"], entry["updated"] = True, _stamp(clock), _stamp(clock)
                if revise[si, j]:
                    clock += timedelta(seconds=int(rng.integers(5, 60)))
                    entry["revised"] = [codes[k] for k in np.flatnonzero(reference[j])]
                    entry["revised_at"] = entry["updated"] = _stamp(clock)
            doc["coding"][excerpts[j]] = entry
        for mi in np.flatnonzero(answered[si]):
            move_id = move_ids[mi]
            record_ref = move_refs[mi]
            if errs[si, mi]:
                answer = distractor[mi] if typical[si, mi] else classes[random_class[si, mi]]
            else:
                answer = record_ref
            clock += timedelta(seconds=int(rng.integers(10, 90)))
            result = quiz.judge(move_id, answer).result
            attempts = [{"answer": answer, "result": result, "at": _stamp(clock)}]
            if result != "correct" and retry[si, mi]:
                clock += timedelta(seconds=int(rng.integers(10, 60)))
                attempts.append({"answer": record_ref, "result": "correct", "at": _stamp(clock)})
            doc["moves"][move_id] = {"attempts": attempts, "updated": _stamp(clock)}
        doc["updated"] = _stamp(clock)
        validate_document(doc, name)
        filename = f"{corpus.key}__{slug(name)}__{clock:%Y%m%d-%H%M}.json"
        (target / filename).write_bytes(dump_bytes(doc))
        files.append(filename)
        docs.append(doc)

    kinds = BROKEN_KINDS if broken is True else (() if broken is False else tuple(broken))
    unknown = set(kinds) - set(BROKEN_KINDS)
    if unknown:
        raise ValueError(f"Unknown broken kind(s) {', '.join(sorted(unknown))}; use {', '.join(BROKEN_KINDS)}.")
    bad: dict[str, str] = {}
    extra = iter(range(n_students + 1, n_students + 100))

    def extra_doc() -> dict[str, Any]:
        name = f"Testelev {next(extra):0{width}d}"
        doc = new_document(name, corpus.key, corpus.data_version, corpus.codebook_version)
        doc["created"] = doc["updated"] = _stamp(base)
        if docs:
            doc["coding"] = json.loads(json.dumps(docs[0]["coding"]))
        return doc

    for kind in kinds:
        if kind == "truncated":
            doc = extra_doc()
            raw = dump_bytes(doc)
            filename = f"{corpus.key}__{slug(doc['student'])}__20260202-1200.json"
            (target / filename).write_bytes(raw[: max(1, len(raw) // 2)])
        elif kind == "foreign":
            filename = "aflevering-opgave-3.json"
            (target / filename).write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                       "nbformat_minor": 5}), encoding="utf-8")
        elif kind == "oversized":
            doc = extra_doc()
            key = next(iter(doc["coding"]), None)
            if key is None:
                doc["coding"]["x"] = {"first": ["X"], "memo": ""}
                key = "x"
            doc["coding"][key]["memo"] = "x" * (MAX_SAVE_BYTES + 1000)
            filename = f"{corpus.key}__{slug(doc['student'])}__20260202-1300.json"
            (target / filename).write_bytes(dump_bytes(doc))
        elif kind == "duplicate":
            if not files:
                continue
            filename = files[0].replace(".json", " (1).json")
            (target / filename).write_bytes((target / files[0]).read_bytes())
        elif kind == "same_student":
            if len(docs) < 2:
                continue
            older = json.loads(json.dumps(docs[1]))
            keep = list(older["coding"])[: len(older["coding"]) // 2]
            older["coding"] = {k: older["coding"][k] for k in keep}
            older["moves"] = {}
            older["updated"] = older["created"]
            validate_document(older)
            filename = f"{corpus.key}__{slug(older['student'])}__tidligere.json"
            (target / filename).write_bytes(dump_bytes(older))
        elif kind == "other_corpus":
            doc = extra_doc()
            doc["corpus"] = "min-egen-case"
            filename = f"min-egen-case__{slug(doc['student'])}.json"
            (target / filename).write_bytes(dump_bytes(doc))
        elif kind == "empty":
            filename = "tom.json"
            (target / filename).write_bytes(b"")
        bad[filename] = kind
    return SimulatedClass(target, names, files, bad)


# ---------------------------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------------------------
def _frame_html(frame: pd.DataFrame, formats: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> str:
    """A table as escaped HTML (names, file names and memos are never run as markup).

    ``formats``: column -> a format spec (``".3f"``) or a function of the value (``i18n.pct``);
    ``headers``: column -> the heading shown (only these columns, in this order, when given)."""
    formats = formats or {}
    shown = frame.copy()
    for column, fmt in formats.items():
        if column in shown:
            shown[column] = shown[column].map(
                lambda v, f=fmt: "–" if pd.isna(v) else f(v) if callable(f) else format(v, f))
    if headers:
        shown = shown[[c for c in headers if c in shown]].rename(columns=headers)
    shown.columns.name = None
    return shown.to_html(index=False, escape=True, na_rep="–", border=0, classes="course-table")


#: The projector layout's strings are the catalogue's "classroom.*" keys too (see STRINGS).

#: Colours of the α bands (the words carry the reading too); each has 4.5:1 on white.
BAND_COLOURS = {"reliable": "#1E7A2E", "tentative": "#8A6A00", "revisit": "#B8321A", "undefined": "#4D4D4D"}

_VIEW_CSS = """<style>
.course-classview { overflow-x: auto; font-size: 14px; }
.course-classview table.course-table { border-collapse: collapse; table-layout: auto; width: auto; }
.course-classview table.course-table th { text-align: left; vertical-align: bottom; padding: 2px 8px; }
.course-classview table.course-table td { vertical-align: top; padding: 2px 8px; white-space: normal;
  max-width: 60ch; overflow-wrap: anywhere; }
.course-classview .course-band { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 4px 0; padding: 0; list-style: none; }
.course-classview .course-band li { border-left: 5px solid; padding: 1px 6px; background: #F7F7F7; color: #1A1A1A; }
.course-classview h4 { margin: 10px 0 4px; }
</style>"""


def _band_key(row) -> str:
    return "undefined" if row.note or pd.isna(row.alpha) else row.band


def _code_label(data: ClassData, code: str, lang: str) -> str:
    codebook = data.corpus.codebook.set_index("id")
    if code == "NONE":
        return s("none_class", lang)
    if code in codebook.index:
        return i18n.field(codebook.loc[code].to_dict(), "label", lang)
    return code


def _case_label(data: ClassData, case: str, lang: str) -> str:
    cases = data.corpus.cases.set_index("id")
    return i18n.field(cases.loc[case].to_dict(), "label", lang) if case in cases.index else case


def render_band(data: ClassData, stage: str = "first", lang: str | None = None) -> str:
    """α per code as a compact band: one chip per code with its label, α and reading (words and colour)."""
    lang = lang or i18n.get_language()
    table = alpha_table(data, stage, lang=lang)
    chips = []
    for row in table.itertuples():
        key = _band_key(row)
        alpha = "–" if pd.isna(row.alpha) else f"{row.alpha:.2f}".replace(".", "," if lang == "da" else ".")
        chips.append(f'<li style="border-left-color:{BAND_COLOURS[key]}" title="{html.escape(row.reading)}">'
                     f"<b>{html.escape(str(row.label))}</b> α {alpha} · "
                     f'<span style="color:{BAND_COLOURS[key]}">{html.escape(s("band_short_" + key, lang))}</span></li>')
    return (f"<h4>{html.escape(s('h_band', lang))}</h4><ul class='course-band'>{''.join(chips)}</ul>"
            f"<p><small>{html.escape(s('band_legend', lang))}</small></p>")


def render_top(data: ClassData, stage: str = "first", lang: str | None = None, top: int = 5) -> str:
    """The ``top`` excerpts the class disagreed on most, with Danish headings and code names."""
    lang = lang or i18n.get_language()
    table = disagreement_table(data, stage, top=top, lang=lang).copy()
    table["case"] = table["case"].map(lambda c: _case_label(data, c, lang))
    table["split_code"] = table["split_code"].map(lambda c: _code_label(data, c, lang))
    table["reference"] = table["reference"].map(
        lambda codes: ", ".join(_code_label(data, c, lang) for c in codes.split(";") if c) or "–")
    pct0 = partial(i18n.pct, lang=lang)
    headers = {"excerpt": s("col_excerpt", lang), "case": s("col_case", lang), "coders": s("col_coders", lang),
               "disagreement": s("col_disagreement", lang), "split_code": s("col_split_code", lang),
               "split_share": s("col_split_share", lang), "matches_reference": s("col_matches", lang),
               "reference": s("col_reference", lang)}
    return (f"<h4>{html.escape(s('h_top', lang, n=len(table)))}</h4>"
            + _frame_html(table, {"disagreement": ".2f", "split_share": pct0, "matches_reference": pct0}, headers))


def _short(text: str, limit: int = 150) -> str:
    """A move's description cut at a word for the projector (the full text is in moves.csv)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render_moves(data: ClassData, lang: str | None = None, top: int = 5) -> str:
    lang = lang or i18n.get_language()
    table = moves_wrong(data, top=top, lang=lang).copy()
    if table.empty:
        return ""
    table["case"] = table["case"].map(lambda c: _case_label(data, c, lang))
    table["description"] = table["description"].map(_short)
    for column in ("reference", "common_answer"):
        table[column] = table[column].map(lambda c: _code_label(data, c, lang) if c else "–")
    pct0 = partial(i18n.pct, lang=lang)
    headers = {"move": s("col_move", lang), "description": s("col_description", lang),
               "reference": s("col_ref_class", lang), "answered": s("col_answered", lang),
               "share_wrong": s("col_wrong", lang), "share_partial": s("col_partial", lang),
               "common_answer": s("col_common", lang), "common_share": s("col_common_share", lang)}
    return (f"<h4>{html.escape(s('h_top_moves', lang, n=len(table)))}</h4>"
            + _frame_html(table, {"share_wrong": pct0, "share_partial": pct0, "common_share": pct0}, headers))


def render_notes(data: ClassData, hide_names: bool = True, lang: str | None = None) -> str:
    """What was left out: notes, then the skipped files and why."""
    lang = lang or i18n.get_language()
    parts = []
    notes = data.note_texts(lang)
    if notes:
        parts.append(f"<h4>{html.escape(s('h_notes', lang))}</h4><ul>"
                     + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append(f"<h4>{html.escape(s('h_skipped', lang))}</h4>")
    skipped = skipped_table(data, hide_names, lang)
    if len(skipped):
        headers = {c: s("col_file", lang) if c == "file" else s("col_reason", lang) if c == "reason" else c
                   for c in skipped.columns}
        parts.append(_frame_html(skipped, headers=headers))
    else:
        parts.append(f"<p>{html.escape(s('none_skipped', lang))}</p>")
    return "\n".join(parts)


def _wrap(body: str, lang: str) -> str:
    return f'{_VIEW_CSS}<div class="course-classview" lang="{lang}">{body}</div>'


class ClassView:
    """Thin widget: a folder path and/or uploaded files, a pseudonym switch, "Analysér", output.

    ``ClassView(folder="aflevering")``; after a click, ``view.data`` holds the :class:`ClassData`.
    All analysis is done by this module's functions.
    """

    def __init__(self, folder: str | Path | None = None, corpus: Corpus | str | Path | None = None,
                 lang: str | None = None, stage: str = "first", hide_names: bool = True):
        import ipywidgets as w

        self.lang = lang or i18n.get_language()
        self.corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
        self.data: ClassData | None = None
        if folder is None:  # the hand-in folder, when the lecturer set one (course.handin)
            from .handin import handin_dir
            folder = handin_dir()
        self.folder = w.Text(value="" if folder is None else str(folder), description=s("folder", self.lang),
                             style={"description_width": "initial"}, layout=w.Layout(width="520px"))
        from .uikit import PageMarker, UploadButton

        # A labelled button without FileUpload's "(0)" counter; the chosen files are named beside it.
        self.upload = UploadButton(label=s("upload", self.lang), hint=s("upload", self.lang), multiple=True,
                                   accept=".json,application/json,.zip",
                                   max_bytes=0)
        self.chosen = w.HTML()
        self.upload.observe(lambda _: self._show_chosen(), names="batches")
        self.hide = w.Checkbox(value=hide_names, description=s("pseudonyms", self.lang), indent=False)
        self.stage = w.ToggleButtons(options=[(s("stage_first", self.lang), "first"),
                                              (s("stage_final", self.lang), "final")], value=stage)
        self.button = w.Button(description=s("analyse", self.lang), icon="table")
        self.button.add_class("course-primary")
        self.output = w.Output()
        self.button.on_click(lambda _: self.analyse())
        self.widget = w.VBox([PageMarker(lang=self.lang), w.HBox([self.folder, self.upload, self.chosen]),
                              w.HBox([self.hide, self.stage]), self.button, self.output])
        self.widget.add_class("course-widget")
        self.widget.add_class("course-class-view")

    def _show_chosen(self) -> None:
        names = [f["name"] for f in self.upload.files]
        self.chosen.value = (f"<small>{html.escape(s('chosen', self.lang, n=len(names)))}: "
                             f"{html.escape(', '.join(names[:5]) + (' …' if len(names) > 5 else ''))}</small>"
                             if names else "")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def sources(self) -> list:
        found: list = []
        path = self.folder.value.strip()
        if path:
            found.append(Path(path).expanduser())
        found.extend(self.upload.files)
        return found

    def analyse(self) -> ClassData | None:
        """Read the files and show the view a lecturer puts on a projector: the summary, α per
        code as a band, the heatmap, the five most disputed excerpts, the moves, then what was
        left out."""
        from IPython.display import HTML, display

        lang = self.lang
        self.output.clear_output()
        with self.output:
            sources = self.sources()
            missing = [p for p in sources if isinstance(p, Path) and not p.exists()]
            if missing:
                display(HTML(f'<p role="alert" lang="{lang}">{html.escape(s("no_folder", lang, path=missing[0]))}</p>'))
                return None
            if not sources:
                display(HTML(f"<p lang='{lang}'>{html.escape(s('nothing', lang))}</p>"))
                return None
            self.data = data = load_class(sources, self.corpus)
            stage = self.stage.value
            head = f"<p><b>{html.escape(summary(data, lang))}</b></p>"
            if not data.n_students:
                display(HTML(_wrap(head + render_notes(data, self.hide.value, lang), lang)))
                return self.data
            display(HTML(_wrap(head + render_band(data, stage, lang), lang)))
            chart = heatmap_chart(data, stage, lang=lang)
            display(chart)
            display(HTML(_wrap(f"<p><small>{html.escape(s('alt', lang))}: "
                               f"{html.escape(chart.to_dict(validate=False).get('description', ''))}</small></p>"
                               + render_top(data, stage, lang) + render_moves(data, lang)
                               + render_notes(data, self.hide.value, lang), lang)))
        return self.data


def render_html(data: ClassData, stage: str = "first", hide_names: bool = True, lang: str | None = None) -> str:
    """The class view as one escaped HTML block (the widget's output, without the chart)."""
    lang = lang or i18n.get_language()
    parts = [f"<p><b>{html.escape(summary(data, lang))}</b></p>"]
    if data.n_students:
        parts += [render_band(data, stage, lang),
                  f"<p>{html.escape(alpha_overall_text(data, stage, lang=lang))}</p>", render_top(data, stage, lang), render_moves(data, lang)]
    parts.append(render_notes(data, hide_names, lang))
    return _wrap("\n".join(parts), lang)
