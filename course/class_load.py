"""The class view, part 1: reading a class's save files into a :class:`ClassData` (and what was skipped).

:func:`load_class` reads folders, files, uploads and an LMS's zip with the store's reader
(:func:`course.store.parse_bytes`), names every file it cannot use (:class:`Skipped`, a stable
``kind``), keeps one save per student (:func:`course.store.name_key`) and turns the work into
numpy arrays ``students × excerpts × codes``. Plain Python: no widgets, no charts. The analysis is
in :mod:`course.class_analysis`, the widget and HTML in :mod:`course.class_view`;
:mod:`course.classroom` re-exports all of it.

Stage ``first`` is the coding a student made before seeing the course's reading; ``final`` includes
revisions made after it.
"""
from __future__ import annotations

import gc
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import i18n
from .data import Corpus, load_corpus
from .limits import MAX_SAVE_BYTES
from .pseudonyms import PLACEHOLDER, content_salt, is_placeholder, unique_names
from .store import SaveFileError, flush_all, name_key, parse_bytes

STAGES = ("first", "final")

#: The class view's interface strings: a live view of the catalogue's "classroom.*" keys.
STRINGS = i18n.table("classroom")


def s(key: str, lang: str | None = None, **values) -> str:
    """A class-view string in ``lang`` (default: the notebook's language)."""
    return i18n.lookup(STRINGS, key, lang, **values)


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a class is read.

    A class's documents are millions of small objects, none in a cycle; as they pile up, the
    collector would walk them again and again (about a third of the load of 3,000 students).
    Afterwards they go straight to the oldest generation (``gc.freeze`` then ``gc.unfreeze``:
    nothing is walked, nothing stays frozen), which the collector walks only when it has grown by
    a quarter, as it always does.
    """
    enabled = gc.isenabled()
    frozen = gc.get_freeze_count()  # a process that froze objects itself keeps them frozen
    gc.disable()
    try:
        yield
    finally:
        if not frozen:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


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
    flush_all()  # saves this kernel's widgets still hold (they write in the background) are on disk first
    with _no_gc():
        return _load(sources, corpus, seed)


def _load(sources, corpus, seed) -> ClassData:
    corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    keys = (corpus.key, *corpus.legacy_keys)  # properties that resolve paths: read them once
    items = _items(sources)
    skipped: list[Skipped] = []
    # Files are told apart by their position: two uploads may carry the same file name.
    accepted: list[tuple[int, str, dict[str, Any]]] = []
    for position, item in enumerate(items):
        try:
            doc, skip = _parse(item, keys)
        except Exception as err:  # noqa: BLE001 -- one file never stops the class view
            doc, skip = None, Skipped(item.name, "invalid", detail=f"{type(err).__name__}: {err}"[:300])
        if skip is not None:
            skipped.append(skip)
        else:
            accepted.append((position, item.name, doc))
    dropped: dict[int, Skipped] = {}
    # Identical content: the same file twice. Two equal documents have the same student and the
    # same last save, so only those are compared (no document is serialised again to hash it).
    seen: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for position, name, doc in accepted:
        same_save = seen.setdefault((doc["student"], doc["updated"]), [])
        other = next((other for other, earlier in same_save if earlier == doc), None)
        if other is not None:
            dropped[position] = Skipped(name, "duplicate_content", other=other)
        else:
            same_save.append((name, doc))
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
    # Filled student by student (one numpy assignment per student and stage): no list of
    # millions of Python integers for a large class.
    coded = {stage: np.zeros((n_s, n_e, n_c), dtype=bool) for stage in STAGES}
    covered = {stage: np.zeros((n_s, n_e), dtype=bool) for stage in STAGES}
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
    data_version = corpus.data_version  # a property: read it once
    for si, (_, doc) in enumerate(chosen):
        if doc.get("data_version") not in (None, data_version):
            stale += 1
        if not doc["coding"] and not doc["moves"]:
            no_work += 1
        first_cols: list[int] = []
        first_ks: list[int | None] = []
        first_cover: list[int] = []
        final_cols: list[int] = []
        final_ks: list[int | None] = []
        final_cover: list[int] = []
        for excerpt_id, entry in doc["coding"].items():
            first = entry["first"]
            revised = entry.get("revised")
            # course.coding.entry_is_coded, inlined: some code, or "no code applies" (a memo only is not coded)
            first_coded = bool(first) or bool(entry.get("first_no_code"))
            if not (first_coded or revised or entry.get("revised_no_code")):
                continue
            j = eindex.get(excerpt_id)
            if j is None:
                unknown_excerpts += 1
                continue
            final = revised if revised is not None else first
            ks = [cindex.get(code) for code in first]
            final_k = ks if revised is None else [cindex.get(code) for code in final]
            if None in ks or None in final_k:
                for code in set(first) | set(final):
                    if code not in cindex:
                        unknown_codes[code] = unknown_codes.get(code, 0) + 1
                ks = [k for k in ks if k is not None]
                final_k = [k for k in final_k if k is not None]
            if first_coded:
                first_cover.append(j)
                first_cols += [j] * len(ks)
                first_ks += ks
            final_cover.append(j)
            final_cols += [j] * len(final_k)
            final_ks += final_k
        coded["first"][si, first_cols, first_ks] = True
        covered["first"][si, first_cover] = True
        coded["final"][si, final_cols, final_ks] = True
        covered["final"][si, final_cover] = True
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
