"""Saved work: one versioned JSON file per student and corpus, written so that nothing is lost.

* Every write is atomic: the new state goes to a temporary file in the same folder, is flushed to
  disk, and then replaces the save file by rename. The previous save is kept as ``<name>.bak``.
* Before it writes, the store merges what is on disk (another notebook of the same student may have
  saved meanwhile): per excerpt and per move, the newer entry wins.
* A file is only accepted after :func:`validate_document` has checked it; a corrupted, foreign or
  oversized file raises :class:`SaveFileError` and the good save stays as it was.

The format (``schema_version`` 1)::

    {
      "format": "samskabelse-course/work",
      "schema_version": 1,
      "student": "Pseudonym",
      "corpus": "article",
      "created": "2026-11-26T20:00:00+00:00",
      "updated": "...",
      "app_version": "0.1.0",
      "data_version": "<12 hex>",        # fingerprint of the tables the work was made with
      "codebook_version": "<12 hex>",
      "coding": {
        "<excerpt id>": {
          "first": ["CODE", ...],       # the student's first coding (set when first saved)
          "first_no_code": false,       # optional: "no code applies" chosen (then "first" is [])
          "first_at": "...",
          "revealed": false,            # has the student seen the reference?
          "revealed_at": null,
          "revised": null | ["CODE", ...],  # a coding changed after the reveal
          "revised_no_code": false,     # optional: the revision is "no code applies"
          "revised_at": null,
          "memo": "",
          "updated": "..."
        }
      },
      "moves": {
        "<move id>": {"attempts": [{"answer": "HOFF_DESIGN", "result": "correct", "at": "..."}],
                       "updated": "..."}
      }
    }
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .paths import work_dir

FORMAT = "samskabelse-course/work"
SCHEMA_VERSION = 1
MAX_SAVE_BYTES = 2_000_000
RESULTS = ("correct", "partial", "wrong")


def _stat(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def name_key(name: str) -> str:
    """The form in which two spellings of a name count as the same student (NFKC, case, spaces)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def slug(name: str) -> str:
    """A file-name-safe form of a student's chosen name (letters of any script are kept)."""
    cleaned = re.sub(r"[^\w]+|_", "-", name_key(name)).strip("-")
    return cleaned[:40] or "student"


class SaveFileError(ValueError):
    """A save file (or an upload) that cannot be used. The message says what is wrong."""

    def __init__(self, source: str, message: str, fix: str = ""):
        self.source = source
        self.reason = message
        text = f"{source}: {message}"
        if fix:
            text += f" {fix}"
        super().__init__(text)


def new_document(student: str, corpus_key: str, data_version: str, codebook_version: str) -> dict[str, Any]:
    from . import __version__

    stamp = now()
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "student": student,
        "corpus": corpus_key,
        "created": stamp,
        "updated": stamp,
        "app_version": __version__,
        "data_version": data_version,
        "codebook_version": codebook_version,
        "coding": {},
        "moves": {},
    }


def _is_codes(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(c, str) and len(c) < 100 for c in value)


def validate_document(doc: Any, source: str = "save file") -> dict[str, Any]:
    """Check that ``doc`` is a save document this version understands; return it or raise."""
    if not isinstance(doc, dict):
        raise SaveFileError(source, "This is not a course save file (it is not a JSON object).")
    if doc.get("format") != FORMAT:
        raise SaveFileError(source, "This is not a course save file (its 'format' field is missing or different).",
                            "Choose the .json file that the course's 'Download' button made.")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise SaveFileError(source, "The save file has no valid schema_version.")
    if version > SCHEMA_VERSION:
        raise SaveFileError(source, f"The save file was made by a newer version of the course (schema {version}).",
                            "Update the course (git pull) and try again.")
    for key in ("student", "corpus", "created", "updated"):
        if not isinstance(doc.get(key), str):
            raise SaveFileError(source, f"The field '{key}' is missing or not text.")
    coding = doc.get("coding")
    moves = doc.get("moves")
    if not isinstance(coding, dict) or not isinstance(moves, dict):
        raise SaveFileError(source, "The fields 'coding' and 'moves' must both be JSON objects.")
    for excerpt_id, entry in coding.items():
        where = f"coding entry '{excerpt_id}'"
        if not isinstance(entry, dict):
            raise SaveFileError(source, f"The {where} is not an object.")
        if not _is_codes(entry.get("first")):
            raise SaveFileError(source, f"The {where} has no list of codes in 'first'.")
        if entry.get("revised") is not None and not _is_codes(entry.get("revised")):
            raise SaveFileError(source, f"The {where} has a 'revised' field that is not a list of codes.")
        if not isinstance(entry.get("memo", ""), str):
            raise SaveFileError(source, f"The {where} has a memo that is not text.")
        if not isinstance(entry.get("revealed", False), bool):
            raise SaveFileError(source, f"The {where} has a 'revealed' field that is not true/false.")
        for flag in ("first_no_code", "revised_no_code"):
            if not isinstance(entry.get(flag, False), bool):
                raise SaveFileError(source, f"The {where} has a '{flag}' field that is not true/false.")
        if not isinstance(entry.get("updated", ""), str):
            raise SaveFileError(source, f"The {where} has an 'updated' field that is not text.")
    for move_id, entry in moves.items():
        where = f"move entry '{move_id}'"
        attempts = entry.get("attempts") if isinstance(entry, dict) else None
        if not isinstance(attempts, list):
            raise SaveFileError(source, f"The {where} has no list of attempts.")
        for attempt in attempts:
            if not (isinstance(attempt, dict) and isinstance(attempt.get("answer"), str)
                    and attempt.get("result") in RESULTS):
                raise SaveFileError(source, f"The {where} holds an attempt that is not understood.")
    return doc


def parse_bytes(raw: bytes, source: str = "upload") -> dict[str, Any]:
    """Parse and validate the bytes of a save file (e.g. an upload)."""
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveFileError(source, f"The file is {len(raw):,} bytes; a save file is at most {MAX_SAVE_BYTES:,}.",
                            "Choose the .json file that the course's 'Download' button made.")
    if not raw.strip():
        raise SaveFileError(source, "The file is empty.")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise SaveFileError(source, "The file is nested too deeply to be a course save file.",
                            "Choose the .json file that the course's 'Download' button made.") from None
    except UnicodeDecodeError:
        raise SaveFileError(source, "The file is not text (it is not UTF-8 JSON).",
                            "Choose the .json file that the course's 'Download' button made.") from None
    except json.JSONDecodeError as err:
        raise SaveFileError(source, f"The file is not valid JSON (line {err.lineno}, column {err.colno}): "
                            "it may be cut off or damaged.") from None
    return validate_document(doc, source)


def dump_bytes(doc: dict[str, Any]) -> bytes:
    # No indent: json's fast C encoder only runs without one (an autosave stays well under 5 ms).
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _newer(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, Any] | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if str(b.get("updated", "")) >= str(a.get("updated", "")) else a


def merge_documents(disk: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """Merge two documents of the same student: per entry, the newer one wins."""
    merged = dict(mine)
    for part in ("coding", "moves"):
        keys = set(disk.get(part, {})) | set(mine.get(part, {}))
        merged[part] = {k: _newer(disk.get(part, {}).get(k), mine.get(part, {}).get(k)) for k in sorted(keys)}
    merged["created"] = min(disk.get("created", mine["created"]), mine["created"])
    return merged


def save_path(folder: str | Path, corpus_key: str, student: str) -> Path:
    """Where the save file of ``student`` for ``corpus_key`` lives in ``folder``.

    ``<corpus>__<slug>.json``; if that file belongs to another student whose name has the same
    slug, a short hash of the name keeps the two apart (nobody's work is overwritten).
    """
    folder = Path(folder)
    student = student.strip() or "student"
    path = folder / f"{corpus_key}__{slug(student)}.json"
    if path.exists():
        try:
            other = json.loads(path.read_bytes().decode("utf-8-sig")).get("student")
        except (OSError, ValueError, AttributeError, RecursionError):
            other = None
        if isinstance(other, str) and name_key(other) != name_key(student):
            digest = hashlib.sha1(name_key(student).encode("utf-8")).hexdigest()[:6]
            path = folder / f"{corpus_key}__{slug(student)}-{digest}.json"
    return path


class Store:
    """The save file of one student for one corpus."""

    def __init__(self, student: str, corpus_key: str, data_version: str, codebook_version: str,
                 folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else work_dir()
        self.student = student.strip() or "student"
        self.corpus_key = corpus_key
        self.data_version = data_version
        self.codebook_version = codebook_version
        self.path = self._path_for(self.student)
        self.backup_path = self.path.with_suffix(".json.bak")
        self.load_error: SaveFileError | None = None
        self._written: tuple | None = None
        self.doc = self._read_existing()
        self.made_with = self.doc.get("data_version")

    def _path_for(self, student: str) -> Path:
        return save_path(self.folder, self.corpus_key, student)

    # -- reading -------------------------------------------------------------------------------
    def _read_file(self, path: Path) -> dict[str, Any]:
        return parse_bytes(path.read_bytes(), str(path))

    def _read_existing(self) -> dict[str, Any]:
        fresh = new_document(self.student, self.corpus_key, self.data_version, self.codebook_version)
        if not self.path.exists():
            return fresh
        try:
            return self._read_file(self.path)
        except SaveFileError as err:
            # Keep the damaged file aside (never delete it) and fall back on the backup.
            self.load_error = err
            kept = self.path.with_name(self.path.name + f".damaged-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(self.path, kept)
            if self.backup_path.exists():
                try:
                    doc = self._read_file(self.backup_path)
                    self._write(doc)
                    return doc
                except SaveFileError:
                    pass
            return fresh

    # -- writing -------------------------------------------------------------------------------
    def _write(self, doc: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = dump_bytes(doc)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if self.path.exists():
                os.replace(self.path, self.backup_path)
            os.replace(tmp, self.path)
            self._written = _stat(self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def save(self) -> None:
        """Write the current state, merged with whatever another notebook saved meanwhile."""
        self.doc["updated"] = now()
        self.doc["data_version"] = self.data_version
        self.doc["codebook_version"] = self.codebook_version
        if self.path.exists() and _stat(self.path) != self._written:
            try:
                disk = self._read_file(self.path)
                if disk.get("student") == self.doc.get("student"):
                    self.doc = merge_documents(disk, self.doc)
            except SaveFileError:
                pass  # a damaged file on disk is replaced by good state; the .bak keeps the previous one
        self._write(self.doc)

    def export_bytes(self) -> bytes:
        """The save file as bytes, for a download."""
        return dump_bytes(self.doc)

    def restore(self, raw: bytes, source: str = "upload") -> dict[str, Any]:
        """Replace the state with an uploaded save file, after checking it.

        Raises :class:`SaveFileError` for a bad file; then nothing changes. A good upload is
        merged with the current state (newer entries win) and the previous file stays as .bak.
        """
        doc = parse_bytes(raw, source)
        if doc.get("corpus") != self.corpus_key:
            raise SaveFileError(source, f"This save file belongs to another case collection ('{doc.get('corpus')}', "
                                f"not '{self.corpus_key}').", "Upload it in the notebook of that case.")
        doc = dict(doc, student=self.student)
        self.doc = merge_documents(self.doc, doc)
        self.save()
        return self.doc

    # -- entries -------------------------------------------------------------------------------
    @property
    def coding(self) -> dict[str, dict[str, Any]]:
        return self.doc["coding"]

    @property
    def moves(self) -> dict[str, dict[str, Any]]:
        return self.doc["moves"]

    @property
    def stale(self) -> bool:
        """True when the work was made with other data than is loaded now."""
        return self.made_with not in (None, self.data_version)


def unknown_references(doc: dict[str, Any], corpus) -> list[str]:
    """Entries of a save document that the loaded corpus does not know (made with other data).

    Returned as short texts such as ``"pol-q01: OLD_CODE"``; the models ignore such entries, so
    they are kept in the file but not shown.
    """
    codes, classes = set(corpus.code_ids), set(corpus.move_classes)
    excerpts, moves = set(corpus.excerpts["id"]), set(corpus.moves["id"])
    found = []
    for excerpt_id, entry in doc.get("coding", {}).items():
        if excerpt_id not in excerpts:
            found.append(excerpt_id)
            continue
        for code in [*entry.get("first", []), *(entry.get("revised") or [])]:
            if code not in codes:
                found.append(f"{excerpt_id}: {code}")
    for move_id, entry in doc.get("moves", {}).items():
        if move_id not in moves:
            found.append(move_id)
            continue
        for attempt in entry.get("attempts", []):
            if attempt["answer"] not in classes:
                found.append(f"{move_id}: {attempt['answer']}")
    return sorted(set(found))


_OPEN: dict[tuple[str, str, str], Store] = {}


def open_store(student: str, corpus_key: str, data_version: str, codebook_version: str,
               folder: str | Path | None = None) -> Store:
    """The one Store of this student and corpus in this kernel (widgets share it)."""
    folder_path = Path(folder) if folder is not None else work_dir()
    key = (str(folder_path.resolve()), corpus_key, name_key(student))
    store = _OPEN.get(key)
    if store is None:
        store = Store(student, corpus_key, data_version, codebook_version, folder_path)
        _OPEN[key] = store
    return store


def read_save_file(path: str | Path) -> dict[str, Any]:
    """Read and validate one save file (used by the class view)."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), str(path))
