"""Saved work: one versioned JSON file per student and corpus, written so that nothing is lost.

* Every write is atomic, and a crash at any instant leaves a readable save or a readable backup:
  the previous save is first kept as ``<name>.bak`` (a hard link, or a copy where links are not
  possible), the new state goes to a temporary file ``.tmp-<name>-<random>.json`` in the same folder,
  is flushed to disk (fsync), and then replaces the save by one rename (``os.replace``); the folder
  is flushed too where the system has that. Only one rename ever replaces the save.
* Opening reads the save; if it is missing or damaged, the ``.bak``; then the newest readable
  orphaned temporary file. Readable orphans are merged in (they may hold the last action before a
  crash). It never starts empty while any of them holds work, and says so when it recovered
  (:attr:`Store.recovered_from`). Orphans are removed only after the recovered state is written.
* Saves of one student's file are serialised across processes by a lock file (``filelock``; works
  on Linux, macOS, Windows and NFS home folders). Under the lock the store reads what is on disk and
  merges per entry by a logical clock (``rev``: every change of an entry raises it above what any
  notebook has seen), never by file times; timestamps from the future are clamped to now.
* A save that fails (full disk, read-only folder, no permission, ...) never raises out of a widget:
  :meth:`Store.save` returns False and :attr:`Store.save_error` says what happened; the work stays
  in memory and the next save tries again. :attr:`Store.saved_at` is set only after a write succeeded.
* In a notebook the widgets switch the store to a background writer (:meth:`Store.autosave_in_background`):
  a tick changes the state in memory, :meth:`Store.save` hands a copy of it to one writer thread per
  store and returns at once. The writer coalesces (the latest state wins), writes it by exactly the
  protocol above, and then tells the save bar ("Gemt" or the failure). :meth:`Store.flush` waits for
  it (downloads, hand-ins, tests); the interpreter's exit flushes every store (``atexit``).
* A file is only accepted after :func:`parse_bytes` and :func:`validate_document` have checked it;
  a corrupted, foreign or oversized file raises :class:`SaveFileError` and the good save stays as
  it was. The limits are in :mod:`course.limits`: the store writes nothing it could not read back.
* The file's name is a pure function of the corpus's own id and the student's normalised name:
  ``<corpus>__<name>-<hash>.json`` (:func:`save_name`). Files of the earlier naming are migrated.

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
          "updated": "...",
          "rev": 3                      # logical clock of the entry (absent in older files: 0)
        }
      },
      "moves": {
        "<move id>": {"attempts": [{"answer": "HOFF_DESIGN", "result": "correct", "at": "..."}],
                       "updated": "...", "rev": 1}
      }
    }
"""
from __future__ import annotations

import asyncio
import atexit
import errno
import hashlib
import json
import math
import os
import pickle
import re
import secrets
import shutil
import sys
import threading
import time
import unicodedata
import weakref
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import i18n
from .limits import (
    FUTURE_TOLERANCE_SECONDS,
    LOCK_TIMEOUT_SECONDS,
    MAX_CORPUS_BYTES_IN_FILE_NAME,
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    MAX_MEMO_CHARS,
    MAX_NAME_BYTES_IN_FILE_NAME,
    MAX_SAVE_BYTES,
)
from .paths import work_dir

__all__ = ["FORMAT", "SCHEMA_VERSION", "MAX_SAVE_BYTES", "MAX_MEMO_CHARS", "SaveFileError", "SaveProblem",
           "Store", "open_store", "parse_bytes", "dump_bytes", "validate_document", "merge_documents",
           "save_name", "save_path", "switch_student", "restore_file", "read_save_file"]

FORMAT = "samskabelse-course/work"
SCHEMA_VERSION = 1
RESULTS = ("correct", "partial", "wrong")
#: The name the store gives work whose student has not typed a name.
DEFAULT_STUDENT = "student"
TMP_PREFIX = ".tmp-"
#: A background writer with nothing to write for this long ends (the next save starts one).
WRITER_IDLE_SECONDS = 5.0
#: The background writer writes once the student has paused this long (a burst of ticks becomes
#: one write, and the write does not compete with the tick for the interpreter), at the latest
#: SAVE_MAX_DELAY_SECONDS after the first unsaved change. flush() writes at once.
SAVE_QUIET_SECONDS = 0.05
SAVE_MAX_DELAY_SECONDS = 1.0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def name_key(name: str) -> str:
    """The form in which two spellings of a name count as the same student (NFKC, case, spaces)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def is_default(name: str) -> bool:
    """True for the name the store uses when the student has not typed one."""
    return name_key(name) in ("", DEFAULT_STUDENT)


def _slug_full(name: str) -> str:
    return re.sub(r"[^\w]+|_", "-", name_key(name)).strip("-")


def slug(name: str) -> str:
    """A file-name-safe form of a student's chosen name (letters of any script are kept)."""
    return _slug_full(name)[:40] or "student"


def _bounded(text: str, max_bytes: int) -> str:
    raw = text.encode("utf-8")[:max_bytes]
    return raw.decode("utf-8", "ignore").strip("-")


def save_name(corpus_key: str, student: str) -> str:
    """The save file's name: a pure function of the corpus id and the student's normalised name.

    ``<corpus>__<name>-<hash>.json``. The readable parts are bounded in length (the whole name
    stays far below the 255 bytes file systems allow); the hash of the normalised name keeps two
    names apart that differ only in what the readable part drops ("Ane Ø" and "Ane-Ø").
    """
    student = student.strip() or DEFAULT_STUDENT
    digest = hashlib.sha256(f"{name_key(corpus_key)}\n{name_key(student)}".encode()).hexdigest()[:8]
    corpus_part = _bounded(_slug_full(corpus_key), MAX_CORPUS_BYTES_IN_FILE_NAME) or "case"
    name_part = _bounded(_slug_full(student), MAX_NAME_BYTES_IN_FILE_NAME) or "student"
    return f"{corpus_part}__{name_part}-{digest}.json"


def save_path(folder: str | Path, corpus_key: str, student: str) -> Path:
    """Where the save file of ``student`` for ``corpus_key`` lives in ``folder`` (see :func:`save_name`)."""
    return Path(folder) / save_name(corpus_key, student)


def legacy_paths(folder: str | Path, corpus_keys, student: str) -> list[Path]:
    """Where earlier versions of the course kept this student's save (``<corpus>__<slug>[-<sha1>].json``)."""
    folder = Path(folder)
    student = student.strip() or DEFAULT_STUDENT
    digest = hashlib.sha1(name_key(student).encode("utf-8")).hexdigest()[:6]
    found = []
    for key in dict.fromkeys(corpus_keys):
        found += [folder / f"{key}__{slug(student)}.json", folder / f"{key}__{slug(student)}-{digest}.json"]
    return found


# -- errors --------------------------------------------------------------------------------------
class SaveFileError(ValueError):
    """A save file (or an upload) that cannot be used.

    ``kind`` is a stable, machine-readable key (``empty``, ``not_json``, ``oversized``, ...) and
    ``values`` its details (numbers stay numbers); :meth:`message` renders it from the catalogue in
    the user's language. ``str(err)`` is the English text, for logs and developers. A message
    given without a kind (an older caller's) is kept as it is, with kind ``invalid``.
    """

    kind = "invalid"

    def __init__(self, source: str, message: str = "", fix: str = "", kind: str | None = None,
                 values: dict[str, Any] | None = None):
        self.source = source
        if kind is not None:
            self.kind = kind
        self.values = dict(values or {})
        self._text, self._fix = message, fix
        self.reason = self.describe("en")
        text = f"{source}: {self.reason}"
        if self.fix_text("en"):
            text += f" {self.fix_text('en')}"
        super().__init__(text)

    def describe(self, lang: str | None = None) -> str:
        """What is wrong, in ``lang`` (without the file's name or the fix)."""
        if self._text:
            return self._text
        key = "save_error_" + self.kind
        if key not in i18n.STRINGS:
            return str(self.values.get("detail", self.kind))
        values = {k: i18n.number(v, lang) if isinstance(v, int) and not isinstance(v, bool) and k != "version"
                  else v for k, v in self.values.items()}
        if "part" in values:
            values["where"] = i18n.t("save_where_" + values.pop("part"), lang, id=values.pop("id", ""))
        return i18n.t(key, lang, **values)

    def fix_text(self, lang: str | None = None) -> str:
        if self._fix or self._text:
            return self._fix
        fix = _FIXES.get(self.kind)
        return i18n.t(fix, lang) if fix else ""

    def message(self, lang: str | None = None) -> str:
        """The whole message in ``lang``: the file, what is wrong and how to fix it."""
        fix = self.fix_text(lang)
        return f"{self.source}: {self.describe(lang)}" + (f" {fix}" if fix else "")


_FIXES = {kind: "save_fix_download" for kind in ("oversized", "not_text", "invalid", "too_deep", "unsavable",
                                                 "foreign", "bad_number", "long_number", "huge_number")}
_FIXES.update(newer="save_fix_update", other_corpus="save_fix_other_case")


_ERRNO_KINDS = {
    errno.ENOSPC: "disk_full", getattr(errno, "EDQUOT", -1): "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "no_permission", errno.EPERM: "no_permission",
    errno.ENOTDIR: "not_a_folder", errno.EEXIST: "not_a_folder",
    errno.ENOENT: "vanished",
    errno.ENAMETOOLONG: "name_too_long",
}


class SaveProblem:
    """Why the last save failed; :meth:`message` says it in the student's language."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind, self.detail = kind, detail

    @classmethod
    def from_exception(cls, err: BaseException) -> SaveProblem:
        from filelock import Timeout

        if isinstance(err, Timeout):
            return cls("busy", str(err))
        if isinstance(err, SaveFileError):
            kind = err.kind if "save_failed_" + err.kind in i18n.STRINGS else "invalid"
            return cls(kind, err.describe())
        if isinstance(err, OSError):
            return cls(_ERRNO_KINDS.get(err.errno, "other"), f"{err.strerror or type(err).__name__}"
                       + (f": {err.filename}" if err.filename else ""))
        if isinstance(err, ValueError):
            return cls("invalid", f"{type(err).__name__}: {err}")
        return cls("other", f"{type(err).__name__}: {err}")

    def message(self, lang: str | None = None, path: str | Path = "") -> str:
        what = i18n.t("save_failed_" + self.kind, lang, path=path, detail=self.detail)
        return i18n.t("save_failed", lang, what=what)

    def __repr__(self) -> str:
        return f"SaveProblem({self.kind!r}, {self.detail!r})"


# -- reading -------------------------------------------------------------------------------------
class _BadNumber(ValueError):
    """A number JSON's grammar allows but a save file never holds; becomes a typed SaveFileError."""

    def __init__(self, kind: str, **values: Any):
        super().__init__(kind)
        self.kind, self.values = kind, values


def _refuse_constant(name: str):
    raise _BadNumber("bad_number", number=name)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _BadNumber("long_number", digits=len(text.lstrip("-")))
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber("huge_number", number=text[:20])
    return value


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _is_codes(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(c, str) and len(c) < 100 for c in value)


def validate_document(doc: Any, source: str = "save file") -> dict[str, Any]:
    """Check that ``doc`` is a save document this version understands; return it or raise."""
    if not isinstance(doc, dict):
        raise SaveFileError(source, kind="not_object")
    if doc.get("format") != FORMAT:
        raise SaveFileError(source, kind="foreign")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SaveFileError(source, kind="no_schema")
    if version > SCHEMA_VERSION:
        raise SaveFileError(source, kind="newer", values={"version": version})
    for key in ("student", "corpus", "created", "updated"):
        if not isinstance(doc.get(key), str):
            raise SaveFileError(source, kind="field_not_text", values={"field": key})
    coding = doc.get("coding")
    moves = doc.get("moves")
    if not isinstance(coding, dict) or not isinstance(moves, dict):
        raise SaveFileError(source, kind="parts_not_objects")
    for excerpt_id, entry in coding.items():
        where = {"part": "coding", "id": excerpt_id}
        if not isinstance(entry, dict):
            raise SaveFileError(source, kind="entry_not_object", values=where)
        if not _is_codes(entry.get("first")):
            raise SaveFileError(source, kind="entry_no_codes", values=where)
        if entry.get("revised") is not None and not _is_codes(entry.get("revised")):
            raise SaveFileError(source, kind="entry_bad_revised", values=where)
        if not isinstance(entry.get("memo", ""), str):
            raise SaveFileError(source, kind="entry_bad_memo", values=where)
        if not isinstance(entry.get("revealed", False), bool):
            raise SaveFileError(source, kind="entry_not_bool", values={**where, "field": "revealed"})
        for flag in ("first_no_code", "revised_no_code"):
            if not isinstance(entry.get(flag, False), bool):
                raise SaveFileError(source, kind="entry_not_bool", values={**where, "field": flag})
        if not isinstance(entry.get("updated", ""), str):
            raise SaveFileError(source, kind="entry_bad_updated", values=where)
        if not _is_rev(entry.get("rev", 0)):
            raise SaveFileError(source, kind="entry_bad_rev", values=where)
    for move_id, entry in moves.items():
        where = {"part": "move", "id": move_id}
        attempts = entry.get("attempts") if isinstance(entry, dict) else None
        if not isinstance(attempts, list):
            raise SaveFileError(source, kind="entry_no_attempts", values=where)
        for attempt in attempts:
            if not (isinstance(attempt, dict) and isinstance(attempt.get("answer"), str)
                    and attempt.get("result") in RESULTS):
                raise SaveFileError(source, kind="entry_bad_attempt", values=where)
        if not _is_rev(entry.get("rev", 0)):
            raise SaveFileError(source, kind="entry_bad_rev", values=where)
    return doc


def _is_rev(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_bytes(raw: bytes, source: str = "upload") -> dict[str, Any]:
    """Parse and validate the bytes of a save file (e.g. an upload).

    Every malformed input raises :class:`SaveFileError` (never another exception): too large,
    empty, not UTF-8, not JSON, NaN/Infinity, integers of absurd length, nesting deeper than a
    save file has, or a document the course does not understand. Timestamps from the future are
    clamped to now.
    """
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveFileError(source, kind="oversized", values={"size": len(raw), "limit": MAX_SAVE_BYTES})
    if not raw.strip():
        raise SaveFileError(source, kind="empty")
    try:
        text = bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SaveFileError(source, kind="not_text") from None
    try:
        doc = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_refuse_constant)
    except RecursionError:
        doc = None
    except json.JSONDecodeError as err:
        raise SaveFileError(source, kind="not_json", values={"line": err.lineno, "col": err.colno}) from None
    except _BadNumber as err:
        raise SaveFileError(source, kind=err.kind, values=err.values) from None
    except (ValueError, TypeError, OverflowError, MemoryError) as err:
        raise SaveFileError(source, kind="invalid", values={"detail": str(err)}) from None
    if doc is None or not _depth_ok(doc):
        raise SaveFileError(source, kind="too_deep")
    doc = validate_document(doc, source)
    try:
        dump_bytes(doc)  # what the store reads it can write back (no lone surrogates)
    except (ValueError, UnicodeEncodeError) as err:
        raise SaveFileError(source, kind="unsavable", values={"detail": type(err).__name__}) from None
    _clamp_future(doc)
    return doc


def dump_bytes(doc: dict[str, Any]) -> bytes:
    # No indent: json's fast C encoder only runs without one (an autosave stays well under 5 ms).
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


# -- clocks and merging --------------------------------------------------------------------------
def _clamp_stamp(stamp: Any, limit: datetime) -> Any:
    if not isinstance(stamp, str):
        return stamp
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return now() if moment > limit else stamp


def _clamp_future(doc: dict[str, Any]) -> None:
    """Clamp timestamps from the future (a wrong clock) to now, so they cannot beat later edits."""
    limit = datetime.now(UTC) + timedelta(seconds=FUTURE_TOLERANCE_SECONDS)
    doc["updated"] = _clamp_stamp(doc.get("updated"), limit)
    for part in ("coding", "moves"):
        for entry in doc.get(part, {}).values():
            if isinstance(entry, dict) and "updated" in entry:
                entry["updated"] = _clamp_stamp(entry["updated"], limit)


def _rev(entry: dict[str, Any] | None) -> int:
    value = (entry or {}).get("rev", 0)
    return value if _is_rev(value) else 0


def _pick(a: dict[str, Any] | None, b: dict[str, Any] | None, by: str = "clock") -> dict[str, Any] | None:
    """Of two versions of one entry, the one that wins (``b`` on a tie)."""
    if a is None:
        return b
    if b is None:
        return a
    clock_a, clock_b = _rev(a), _rev(b)
    time_a, time_b = str(a.get("updated", "")), str(b.get("updated", ""))
    key_a, key_b = ((clock_a, time_a), (clock_b, time_b)) if by == "clock" else ((time_a, clock_a), (time_b, clock_b))
    return b if key_b >= key_a else a


def _merge_moves(a: dict[str, Any] | None, b: dict[str, Any] | None, by: str) -> dict[str, Any] | None:
    winner = _pick(a, b, by)
    if a is None or b is None:
        return winner
    seen, attempts = set(), []
    for attempt in sorted([*a.get("attempts", []), *b.get("attempts", [])], key=lambda x: str(x.get("at", ""))):
        key = json.dumps(attempt, sort_keys=True)
        if key not in seen:
            seen.add(key)
            attempts.append(attempt)
    if len(attempts) == len(winner.get("attempts", [])):
        return winner
    return dict(winner, attempts=attempts)


def merge_documents(disk: dict[str, Any], mine: dict[str, Any], by: str = "clock",
                    keep_mine: set[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """Merge two documents of the same student per entry.

    ``by="clock"``: the entry with the higher logical clock (``rev``) wins, then the later time;
    ``by="time"`` (a restored file, whose clocks count another history): the later time wins.
    Ties go to ``mine``; entries named in ``keep_mine`` (changed here since the last save) always
    come from ``mine``. The attempts of a move are the union of both versions.
    """
    merged = dict(mine)
    for part in ("coding", "moves"):
        ours, theirs = mine.get(part, {}), disk.get(part, {})
        out = {}
        for key in sorted(set(ours) | set(theirs)):
            if (part, key) in keep_mine and key in ours:
                if part == "moves" and key in theirs:
                    out[key] = dict(_merge_moves(theirs[key], ours[key], by), **{
                        k: v for k, v in ours[key].items() if k != "attempts"})
                else:
                    out[key] = ours[key]
            elif part == "moves":
                out[key] = _merge_moves(theirs.get(key), ours.get(key), by)
            else:
                out[key] = _pick(theirs.get(key), ours.get(key), by)
        merged[part] = out
    merged["created"] = min(str(disk.get("created", mine["created"])), str(mine["created"]))
    return merged


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


def _entry_text(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _content_text(entry: Any) -> str:
    """An entry's text without its logical clock: what the student changed, not what the store stamped."""
    if isinstance(entry, dict) and "rev" in entry:
        entry = {k: v for k, v in entry.items() if k != "rev"}
    return _entry_text(entry)


def _copy(value: Any) -> Any:
    """A deep copy of plain JSON data (pickle is the fastest deep copy the standard library has)."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


# -- writing -------------------------------------------------------------------------------------
def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk where the system allows it (POSIX; not Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new_file(path: Path, payload: bytes) -> None:
    # 0o666 less the umask: a lecturer can read a copied save (mkstemp would make it 0600).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def _keep_copy(source: Path, target: Path, tmp: Path) -> None:
    """Make ``target`` a copy of ``source`` (hard link, else a copy) without a moment without one."""
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
    os.replace(tmp, target)


def atomic_write(path: Path, payload: bytes, backup: Path | None = None) -> None:
    """Replace ``path`` by ``payload`` so that a crash at any instant leaves the old or the new file.

    With ``backup``, the current file is first kept there (hard link or copy). Then the payload is
    written to a temporary file beside it, flushed, and moved over ``path`` by the one rename.
    """
    folder = path.parent
    token = secrets.token_hex(6)
    tmp = folder / f"{TMP_PREFIX}{path.name}-{token}.json"
    made = []
    try:
        if backup is not None and path.exists():
            made.append(folder / f"{TMP_PREFIX}{path.name}-{token}.bak")
            _keep_copy(path, backup, made[-1])
        made.append(tmp)
        _write_new_file(tmp, payload)
        os.replace(tmp, path)
        _fsync_folder(folder)
    except BaseException:
        for leftover in made:
            try:
                os.unlink(leftover)
            except OSError:
                pass
        raise


class Store:
    """The save file of one student for one corpus."""

    def __init__(self, student: str, corpus_key: str, data_version: str, codebook_version: str,
                 folder: str | Path | None = None, legacy_keys: tuple[str, ...] = ()):
        self.folder = Path(folder) if folder is not None else work_dir()
        self.student = student.strip() or DEFAULT_STUDENT
        self.corpus_key = corpus_key
        self.legacy_keys = tuple(k for k in legacy_keys if k and k != corpus_key)
        self.data_version = data_version
        self.codebook_version = codebook_version
        self.path = save_path(self.folder, corpus_key, self.student)
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.load_error: SaveFileError | None = None
        self.recovered_from: str | None = None  # "backup", "tmp" or "legacy" when opening recovered work
        self.migrated_from: Path | None = None
        self.save_error: SaveProblem | None = None
        self.saved_at: str | None = None
        self.pending = False
        self._base: dict[tuple[str, str], str] = {}  # content (no clock) of each entry as last written
        self._shadow: dict[str, Any] = {}  # the document as last written (with the entries' clocks)
        self._written: bytes | None = None  # sha256 of what this store last wrote
        self._last_write: tuple[set[tuple[str, str]], bool] = (set(), False)  # its changed entries, merged?
        # The background writer (see autosave_in_background): the state waiting to be written (the
        # latest wins), whether a write is under way, what the main thread still has to take in.
        self.background = False
        self._cv = threading.Condition()
        self._queued: dict[str, Any] | None = None
        self._busy = False
        self._telling = False  # the listeners are being told of the last write
        self._hurry = 0  # threads waiting in flush(): write without waiting for a pause
        self._first_save = self._last_save = 0.0  # when the unsaved state began, when it last changed
        self._writer: threading.Thread | None = None
        self._absorb_queue: list[tuple[str, str, str | None, dict[str, Any]]] = []
        self._listeners: list[weakref.WeakMethod | Any] = []
        self._io = threading.Lock()  # one write at a time: the writer thread's or a synchronous one
        self.doc = self._open()
        self.made_with = self.doc.get("data_version")

    # -- reading -------------------------------------------------------------------------------
    def _read_file(self, path: Path) -> dict[str, Any]:
        return parse_bytes(path.read_bytes(), str(path))

    def _try_read(self, path: Path) -> tuple[dict[str, Any] | None, SaveFileError | OSError | None]:
        try:
            return self._read_file(path), None
        except FileNotFoundError:
            return None, None
        except (SaveFileError, OSError) as err:
            return None, err

    def _mine(self, doc: dict[str, Any]) -> bool:
        return (doc.get("corpus") in (self.corpus_key, *self.legacy_keys)
                and name_key(doc.get("student", "")) == name_key(self.student))

    def _orphans(self) -> list[tuple[Path, dict[str, Any] | None]]:
        """Temporary files left by a crash: this save's, and earlier versions' that hold this work."""
        found = []
        try:
            entries = [p for p in self.folder.iterdir() if p.name.startswith(TMP_PREFIX)]
        except OSError:
            return []
        own_prefix = f"{TMP_PREFIX}{self.path.name}-"
        for path in entries:
            own = path.name.startswith(own_prefix)
            legacy = re.fullmatch(r"\.tmp-[A-Za-z0-9_]{6,12}\.json", path.name) is not None
            if not (own or legacy):
                continue
            try:
                size = path.stat().st_size
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            doc = None
            if 0 < size <= MAX_SAVE_BYTES:
                doc, _ = self._try_read(path)
            if doc is not None and not self._mine(doc):
                continue
            if doc is None and not own:
                continue  # an unreadable file of unknown owner is left alone
            found.append((mtime, path, doc))
        found.sort(key=lambda x: x[0], reverse=True)
        return [(p, d) for _, p, d in found]

    def _open(self) -> dict[str, Any]:
        fresh = new_document(self.student, self.corpus_key, self.data_version, self.codebook_version)
        main, err = self._try_read(self.path)
        main_damaged = err is not None
        if isinstance(err, SaveFileError):
            self.load_error = err
        elif err is not None:
            self.load_error = SaveFileError(str(self.path), kind="unreadable",
                                            values={"detail": err.strerror or type(err).__name__})
        doc, backup_ok = main, main is not None
        if doc is None:
            doc, _ = self._try_read(self.backup_path)
            if doc is not None:
                self.recovered_from = "backup"
        orphans = self._orphans()
        for _path, orphan in orphans:
            if orphan is None:
                continue
            if doc is None:
                doc, self.recovered_from = orphan, "tmp"
                continue
            merged = merge_documents(orphan, doc)
            if _entry_text(merged["coding"]) != _entry_text(doc["coding"]) or \
                    _entry_text(merged["moves"]) != _entry_text(doc["moves"]):
                doc, self.recovered_from = merged, self.recovered_from or "tmp"
        legacy = None
        if doc is None and not main_damaged:
            for path in legacy_paths(self.folder, (self.corpus_key, *self.legacy_keys), self.student):
                found, _ = self._try_read(path)
                if found is None:
                    found, _ = self._try_read(path.with_name(path.name + ".bak"))
                if found is not None and self._mine(found):
                    doc, legacy, self.recovered_from = found, path, "legacy"
                    self.migrated_from = path
                    break
        if doc is None:
            doc = fresh
            if not (main_damaged or orphans):
                return doc
        doc = dict(doc, student=self.student if doc is fresh else doc["student"], corpus=self.corpus_key)
        self.doc = doc
        self._snapshot()  # recovered entries keep their clocks: only later edits count as changes
        if self.recovered_from or main_damaged or orphans:
            # Write the recovered state; only then set the damaged file aside and clean the orphans.
            if self._commit(backup=backup_ok, damaged=main_damaged):
                for path, _ in orphans:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
                if legacy is not None and legacy.exists():
                    try:
                        os.replace(legacy, legacy.with_name(legacy.name + ".migrated"))
                    except OSError:
                        pass
        return self.doc

    # -- writing -------------------------------------------------------------------------------
    def _lock(self):
        from filelock import FileLock

        return FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS)

    def _snapshot(self, doc: dict[str, Any] | None = None) -> None:
        """Remember ``doc`` (default: the state) as what is written: its entries' content and clocks."""
        self._shadow = self.doc if doc is None else doc
        self._base = {(part, key): _content_text(entry)
                      for part in ("coding", "moves") for key, entry in self._shadow[part].items()}

    def _dirty(self, doc: dict[str, Any]) -> set[tuple[str, str]]:
        """The entries of ``doc`` changed since the last write (by content; clocks are the store's)."""
        return {(part, key) for part in ("coding", "moves") for key, entry in doc[part].items()
                if self._base.get((part, key)) != _content_text(entry)}

    def _save_once(self, state: dict[str, Any], backup: bool = True,
                   damaged: bool = False) -> dict[str, Any] | None:
        """Write ``state`` merged with the file under the lock; the document written (None: nothing to do).

        ``state`` is never changed: it is the live state in a synchronous save, a copy made by
        :meth:`save` for the background writer.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        dirty = self._dirty(state)
        with self._lock():
            disk, err, raw = None, None, None
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                pass
            except OSError as problem:
                err = problem
            # Unchanged since this store wrote it (compared by content, never by file stat): no merge.
            unchanged = raw is not None and hashlib.sha256(raw).digest() == self._written
            if unchanged and not dirty and not damaged:
                return None  # the file holds exactly this state already: nothing to write
            if raw is not None and not unchanged:
                try:
                    disk = parse_bytes(raw, str(self.path))
                except SaveFileError as problem:
                    err = problem
            if err is not None:
                damaged = True
                if self.path.exists():
                    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                    try:
                        _keep_copy(self.path, self.path.with_name(f"{self.path.name}.damaged-{stamp}"),
                                   self.folder / f"{TMP_PREFIX}{self.path.name}-{secrets.token_hex(6)}.bak")
                    except OSError:
                        pass
            # Unchanged entries as last written (with their clocks); a changed entry's clock goes
            # above what any notebook has seen of it.
            parts = {}
            for part in ("coding", "moves"):
                known, theirs = self._shadow.get(part, {}), (disk or {}).get(part, {})
                out = dict(known)  # what is written stays written, also if the state has not taken it in yet
                for key, entry in state[part].items():
                    if (part, key) in dirty:
                        out[key] = dict(entry, rev=max(_rev(known.get(key)), _rev(entry), _rev(theirs.get(key))) + 1)
                    else:
                        out[key] = known.get(key, entry)
                parts[part] = out
            doc = dict(state, **parts)
            if disk is not None and self._mine(disk):
                doc = merge_documents(disk, doc, keep_mine=dirty)
            doc = dict(doc, updated=now(), data_version=self.data_version,
                       codebook_version=self.codebook_version, student=self.student, corpus=self.corpus_key)
            payload = dump_bytes(doc)
            if len(payload) > MAX_SAVE_BYTES:
                raise SaveFileError(str(self.path), kind="too_big", values={"size": len(payload), "limit": MAX_SAVE_BYTES})
            keep = backup and not damaged and (disk is not None or unchanged)
            atomic_write(self.path, payload, self.backup_path if keep else None)
            self._written = hashlib.sha256(payload).digest()
            self._last_write = (dirty, disk is not None)
            self._snapshot(doc)
            return doc

    def _attempt(self, state: dict[str, Any], backup: bool = True,
                 damaged: bool = False) -> tuple[bool, dict[str, Any] | None]:
        """One save of ``state`` (tried twice if the folder vanished); sets the outcome's attributes."""
        from filelock import Timeout

        for _attempt in range(2):
            try:
                doc = self._save_once(state, backup, damaged)
            except FileNotFoundError as err:  # the folder vanished between two steps: try once more
                problem = err
                continue
            except (OSError, SaveFileError, Timeout, ValueError) as err:  # ValueError: NaN, bad text
                problem = err
                break
            self.save_error, self.pending, self.saved_at = None, False, now()
            return True, doc
        self.save_error, self.pending = SaveProblem.from_exception(problem), True
        return False, None

    def _commit(self, backup: bool = True, damaged: bool = False) -> bool:
        """Write the live state now, in this thread (after whatever the background writer holds)."""
        self.flush()
        with self._io:
            ok, doc = self._attempt(self.doc, backup, damaged)
            if doc is not None:
                # The merged document becomes the state (a copy in background mode: the writer's
                # record of what is written must not change when the student changes the state).
                self.doc = _copy(doc) if self.background else doc
        return ok

    def save(self) -> bool:
        """Write the current state, merged with whatever another notebook saved meanwhile.

        Returns True when it was written. On failure the work stays in memory, :attr:`save_error`
        says why, and the next call tries again; nothing is raised. In background mode
        (:meth:`autosave_in_background`) it hands a copy of the state to the writer and returns
        True at once; the outcome follows in :attr:`saved_at` / :attr:`save_error` and the listeners.
        """
        if not self.background:
            return self._commit()
        self._absorb()
        state = _copy(self.doc)
        with self._cv:
            self._last_save = time.monotonic()
            first = self._queued is None
            if first:
                self._first_save = self._last_save
            self._queued = state  # a state not yet written is replaced: the latest one wins
        if first:  # a writer waiting for a pause needs no wake-up: it looks at the clock itself
            _after_this_message(self._wake)
        return True

    def _wake(self) -> None:
        """Start the writer, or wake it, for the state waiting in the queue."""
        with self._cv:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_loop, name=f"course-save-{self.path.name}",
                                                daemon=True)
                self._writer.start()
            self._cv.notify_all()

    def save_now(self) -> bool:
        """Write the current state in this thread and say whether it was written (also in background mode)."""
        self._absorb()
        return self._commit()

    def retry(self) -> bool:
        """Save again if the last save failed (called on the student's next action)."""
        if self.pending and not self.saving:
            return self.save()
        return True

    # -- the background writer -----------------------------------------------------------------
    def autosave_in_background(self, listener=None) -> None:
        """Let :meth:`save` hand the writing to a background thread (the widgets do this).

        ``listener`` (a bound method is held weakly) is called from the writer thread after each
        write or failed write, e.g. to show "Gemt" or the failure in a save bar.
        """
        if not self.background:
            with self._io:
                self._shadow = _copy(self._shadow)  # the writer's record, apart from the live state
                self.background = True
            _BACKGROUND.add(self)
        if listener is not None:
            ref = weakref.WeakMethod(listener) if hasattr(listener, "__self__") else listener
            with self._cv:
                if ref not in self._listeners:
                    self._listeners.append(ref)

    @property
    def saving(self) -> bool:
        """True while a save is waiting for the background writer or being written."""
        return self._queued is not None or self._busy

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every save handed to the background writer is written or has failed.

        Returns True when nothing is left unsaved (:attr:`save_error` says why otherwise).
        """
        if threading.current_thread() is self._writer:
            return self.save_error is None
        with self._cv:
            state = None
            if self._queued is not None and (self._writer is None or not self._writer.is_alive()):
                state, self._queued, self._busy = self._queued, None, True  # no writer: write it here
        if state is not None:
            self._write_state(state)
        with self._cv:
            self._hurry += 1  # no waiting for a pause
            self._cv.notify_all()
            try:
                done = self._cv.wait_for(lambda: self._queued is None and not (self._busy or self._telling), timeout)
            finally:
                self._hurry -= 1
        self._absorb()
        return done and self.save_error is None

    wait = flush

    def _write_loop(self) -> None:
        while True:
            with self._cv:
                idle = time.monotonic()
                # Woken after the tick's message, and also looking by itself once a second (in
                # case the kernel runs a long cell that changes the state in a loop).
                while self._queued is None:
                    if time.monotonic() - idle > WRITER_IDLE_SECONDS:
                        self._writer = None  # idle: the next save starts a new writer
                        return
                    self._cv.wait(SAVE_MAX_DELAY_SECONDS)
                while not self._hurry:  # wait for a pause in the student's ticks
                    clock = time.monotonic()
                    left = min(self._last_save + SAVE_QUIET_SECONDS, self._first_save + SAVE_MAX_DELAY_SECONDS) - clock
                    if left <= 0:
                        break
                    self._cv.wait(left)
                state, self._queued = self._queued, None
                self._busy = True
            self._write_state(state)

    def _write_state(self, state: dict[str, Any]) -> None:
        """Write a state taken from the queue (``_busy`` is set), then tell the listeners."""
        try:
            with self._io:
                _ok, doc = self._attempt(state)
                if doc is not None:
                    self._note_changes(state, doc)
        except BaseException as err:  # never let the thread die with work held only in memory
            self.save_error, self.pending = SaveProblem.from_exception(err), True
        finally:
            with self._cv:
                self._busy, self._telling = False, True
                self._cv.notify_all()
        try:
            self._tell_listeners()
        finally:
            with self._cv:
                self._telling = False
                self._cv.notify_all()

    def _note_changes(self, state: dict[str, Any], doc: dict[str, Any]) -> None:
        """What the write changed against the state it was given (new clocks, another notebook's
        entries): the main thread takes these into the live state at its next save or flush."""
        dirty, merged = self._last_write
        changes = []
        for part in ("coding", "moves"):
            before = state[part]
            for key, entry in doc[part].items():
                old = before.get(key)
                if old is None or (part, key) in dirty:
                    changed = True
                elif merged:  # another notebook's version may have won
                    changed = _entry_text(old) != _entry_text(entry)
                else:  # unchanged content: only the clock can differ
                    changed = _rev(old) != _rev(entry)
                if changed:
                    changes.append((part, key, None if old is None else _content_text(old), _copy(entry)))
        with self._cv:
            self._absorb_queue.extend(changes)

    def _absorb(self) -> None:
        """Take what the writer learnt into the live state (in the thread that changes the state).

        An entry the student changed since the copy was made keeps her change (it is written next).
        """
        if not self._absorb_queue:
            return
        with self._cv:
            changes, self._absorb_queue = self._absorb_queue, []
        for part, key, before, entry in changes:
            current = self.doc[part].get(key)
            if current is None:
                if before is None:
                    self.doc[part][key] = entry
            elif before is not None and _content_text(current) == before:
                current.clear()
                current.update(entry)  # in place: a reference the models hold stays the entry

    def _tell_listeners(self) -> None:
        for ref in list(self._listeners):
            listener = ref() if isinstance(ref, weakref.WeakMethod) else ref
            if listener is None:
                self._listeners.remove(ref)
                continue
            try:
                listener()
            except Exception:  # a closed widget must not stop the writer
                pass

    def export_bytes(self) -> bytes:
        """The save file as bytes, for a download: the state as it is now (saved or not)."""
        self.flush()
        return dump_bytes(self.doc)

    def check_upload(self, raw: bytes, source: str = "upload") -> dict[str, Any]:
        """Parse an uploaded save file and check that it belongs to this corpus (else raise)."""
        doc = parse_bytes(raw, source)
        if doc.get("corpus") not in (self.corpus_key, *self.legacy_keys):
            raise SaveFileError(source, kind="other_corpus", values={"found": doc.get("corpus"), "expected": self.corpus_key})
        return doc

    def restore(self, raw: bytes, source: str = "upload") -> dict[str, Any]:
        """Merge an uploaded save file into the state, after checking it.

        Raises :class:`SaveFileError` for a bad file; then nothing changes. A good upload is
        merged with the current state (per entry the later one wins) and the previous file stays
        as .bak.
        """
        doc = self.check_upload(raw, source)
        doc = dict(doc, student=self.student, corpus=self.corpus_key)
        self._absorb()
        self.doc = merge_documents(self.doc, doc, by="time")
        self.save()
        return self.doc

    def adopt(self, other: Store) -> int:
        """Bring the work of ``other`` (the default "student") into this store; the number of entries.

        The other file is set aside (``.adopted``) only after this store's save succeeded.
        """
        count = len(other.coding) + len(other.moves)
        if not count or other is self:
            return 0
        other.flush()  # the other store's writer must not write its file after it is set aside
        incoming = dict(other.doc, student=self.student, corpus=self.corpus_key)
        self._absorb()
        self.doc = merge_documents(self.doc, incoming, by="time")
        if self.save_now():
            for path in (other.path, other.backup_path):
                try:
                    os.replace(path, path.with_name(path.name + ".adopted"))
                except OSError:
                    pass
            other.doc = new_document(other.student, other.corpus_key, other.data_version, other.codebook_version)
            other._snapshot()
            _OPEN.pop(other._key(), None)
        return count

    def _key(self) -> tuple[str, str, str]:
        return (str(self.folder.resolve()), self.corpus_key, name_key(self.student))

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

    @property
    def has_work(self) -> bool:
        return bool(self.coding or self.moves)


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


def _after_this_message(callback) -> None:
    """Run ``callback`` once the kernel has finished the message it is handling (a click), else now.

    Waking the writer thread in the middle of a tick would make the tick wait for the interpreter
    lock (and, on a busy machine, for the operating system to schedule the kernel again).
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    # Only a kernel's own loop is sure to turn again after the message; a loop some other library
    # left marked as running in this thread (a test runner's, a notebook runner's) may never run
    # the callback, and the save would wait for the exit.
    if loop is None or not _in_kernel():
        callback()
    else:
        loop.call_soon(callback)


def _in_kernel() -> bool:
    """True in a running IPython kernel (where the widgets' clicks arrive as messages)."""
    app = sys.modules.get("ipykernel.kernelapp")
    try:
        return bool(app is not None and app.IPKernelApp.initialized())
    except Exception:  # an unexpected ipykernel: do not defer
        return False
_BACKGROUND: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def flush_all(timeout: float = LOCK_TIMEOUT_SECONDS + 10) -> bool:
    """Wait for every background writer (run when the kernel exits); True when all is written."""
    return all([store.flush(timeout) for store in list(_BACKGROUND)])


def open_store(student: str, corpus_key: str, data_version: str, codebook_version: str,
               folder: str | Path | None = None, legacy_keys: tuple[str, ...] = ()) -> Store:
    """The one Store of this student and corpus in this kernel (widgets share it)."""
    folder_path = Path(folder) if folder is not None else work_dir()
    key = (str(folder_path.resolve()), corpus_key, name_key(student.strip() or DEFAULT_STUDENT))
    store = _OPEN.get(key)
    if store is None:
        store = Store(student, corpus_key, data_version, codebook_version, folder_path, legacy_keys)
        _OPEN[key] = store
    return store


def switch_student(current: Store, name: str) -> tuple[Store, int]:
    """The store of ``name`` (same corpus and folder) and how many entries came along.

    When ``current`` is the default "student" and holds work, that work comes along into the
    named store: a student who worked before typing her name keeps it.
    """
    target = open_store(name, current.corpus_key, current.data_version, current.codebook_version,
                        current.folder, current.legacy_keys)
    brought = 0
    if target is not current and is_default(current.student) and current.has_work:
        brought = target.adopt(current)
    return target, brought


def restore_file(current: Store, raw: bytes, source: str = "upload") -> tuple[Store, int]:
    """Restore an uploaded file, adopting the name inside it; the store now in use, entries brought along.

    A bad file raises :class:`SaveFileError` and nothing changes.
    """
    doc = current.check_upload(raw, source)
    target, brought = current, 0
    if not is_default(doc["student"]) and name_key(doc["student"]) != name_key(current.student):
        target, brought = switch_student(current, doc["student"])
    target.restore(raw, source)
    return target, brought


def read_save_file(path: str | Path) -> dict[str, Any]:
    """Read and validate one save file (used by the class view)."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), str(path))
