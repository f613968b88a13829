"""Hand-in: a student hands in her save file with one button; the class view reads the hand-ins.

* :func:`hand_in` copies the student's current save file into the hand-in folder that the
  lecturer sets: the environment variable ``SAMSKABELSE_HANDIN_DIR`` (on a JupyterHub, point it at
  a shared folder, e.g. ``c.Spawner.environment``), or ``folder=``. The copy is named as the store
  names save files (:func:`course.store.save_path`: ``<corpus>__<name>.json``, with a short hash
  when another student's name gives the same file name), so nobody's hand-in is ever overwritten
  by another student's; a later hand-in of the same student replaces hers atomically (written to a
  temporary file in the folder, then renamed). The file is readable by the lecturer (mode 0644;
  save files themselves are 0600). Work without a chosen name is not handed in (all anonymous
  hand-ins would share one file name).
* :class:`HandIn` is the small widget: ``course.HandIn()`` in a notebook cell.
* :func:`zip_items` reads the "download all submissions" zip of an LMS directly, for the class view
  (:func:`course.classroom.load_class` calls it for a ``.zip``): every ``.json`` at any depth, with
  the student's name taken from the LMS's folder or file name where the save file carries none.
  Layouts recognised (built from the LMSs' documented/observed names; see tests/test_handin.py):

  - Moodle: ``Anna Jensen_123456_assignsubmission_file_/<file>`` (folders) or
    ``Anna Jensen_123456_assignsubmission_file_<file>`` (flat);
  - Canvas: ``jensenanna_123456_7890123_<file>`` and ``jensenanna_LATE_123456_7890123_<file>``;
  - Brightspace (D2L): ``123456-789012 - Anna Jensen - Dec 1, 2026 1019 AM/<file>`` or
    ``123456-789012 - Anna Jensen - Dec 1, 2026 1019 AM - <file>``, beside ``index.html``;
  - itslearning, and any other: the folder that holds the file (below a single top folder).

  A zip is refused as a whole when it looks like a zip bomb (more than :data:`MAX_ENTRIES`
  entries, more than :data:`MAX_TOTAL_BYTES` unpacked, or an entry that packs more than
  :data:`MAX_RATIO` to one); an entry whose path would escape a folder (absolute, ``..``, a drive
  letter) or that is a symbolic link is skipped. Nothing is unpacked to disk; each save file is
  read with a cap of the store's size limit. Every refusal names the zip and the entry, in the
  notebook's language.
"""
from __future__ import annotations

import io
import json
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from . import i18n, limits
from .store import DEFAULT_STUDENT, MAX_SAVE_BYTES, SaveFileError, dump_bytes, name_key, read_save_file, save_path

HANDIN_DIR_ENV = "SAMSKABELSE_HANDIN_DIR"
#: Limits of an LMS zip, from :mod:`course.limits` (here under their older names).
MAX_ENTRIES = limits.MAX_ZIP_ENTRIES
MAX_TOTAL_BYTES = limits.MAX_ZIP_BYTES
MAX_RATIO = limits.MAX_ZIP_RATIO
PLACEHOLDER = DEFAULT_STUDENT  # the name the store gives work without one


class HandInError(ValueError):
    """A hand-in that cannot be made; the message says why, in the notebook's language."""


def handin_dir() -> Path | None:
    """The hand-in folder the lecturer set (``SAMSKABELSE_HANDIN_DIR``), or None."""
    configured = os.environ.get(HANDIN_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else None


def hand_in(source, folder: str | Path | None = None, lang: str | None = None) -> Path:
    """Hand in a save: ``source`` is a :class:`course.store.Store` or the path of a save file.

    Returns the path of the hand-in. Raises :class:`HandInError` when no folder is set, the work
    has no chosen name, there is no saved work yet, or the folder cannot be written.
    """
    target_dir = Path(folder).expanduser() if folder is not None else handin_dir()
    if target_dir is None:
        raise HandInError(i18n.t("handin_no_folder", lang, env=HANDIN_DIR_ENV))
    if hasattr(source, "flush"):
        source.flush()  # a store's background writer: hand in the state as it is now
    path = Path(getattr(source, "path", source))
    if not path.exists():
        raise HandInError(i18n.t("handin_nothing", lang))
    try:
        doc = read_save_file(path)
    except SaveFileError as err:
        raise HandInError(i18n.t("handin_bad_save", lang, file=path.name, reason=err.reason)) from None
    student = doc["student"].strip()
    if name_key(student) in ("", PLACEHOLDER):
        raise HandInError(i18n.t("handin_no_name", lang))
    payload = dump_bytes(doc)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        return _place(target_dir, doc["corpus"], student, payload)
    except OSError as err:
        raise HandInError(i18n.t("handin_failed", lang, folder=target_dir, reason=err.strerror or err)) from None


def _place(folder: Path, corpus_key: str, student: str, payload: bytes) -> Path:
    """Write ``payload`` as the student's hand-in: never over another student's file."""
    fd, tmp = tempfile.mkstemp(prefix=".handin-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # the lecturer's account must read it
        for _ in range(5):
            target = save_path(folder, corpus_key, student)  # another student's file gets another name
            if target.exists():
                os.replace(tmp, target)  # her own earlier hand-in: replaced atomically
                return target
            try:
                os.link(tmp, target)  # a new file: fails if someone created it meanwhile
            except FileExistsError:
                continue
            os.unlink(tmp)
            return target
        raise FileExistsError(i18n.t("error.no_free_name", folder=folder))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class HandIn:
    """One button: hand in the current save of this notebook's student (``course.HandIn()``).

    ``student``: default, the name typed in the coder/classifier (remembered in the work folder);
    ``folder``: default, ``SAMSKABELSE_HANDIN_DIR``.
    """

    def __init__(self, student: str | None = None, corpus=None, folder: str | Path | None = None,
                 work: str | Path | None = None, lang: str | None = None):
        import ipywidgets as w

        from .data import Corpus, load_corpus
        from .paths import work_dir
        from .profile import remembered_name

        self.lang = lang or i18n.get_language()
        self.corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
        self.work = Path(work) if work is not None else work_dir()
        self.student = student
        self.folder = folder
        self._remembered = remembered_name
        self.button = w.Button(description=i18n.t("handin_button", self.lang), icon="paper-plane",
                               button_style="success", tooltip=i18n.t("handin_tip", self.lang),
                               layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.button.on_click(lambda _: self.hand_in())
        self.widget = w.VBox([self.button, self.status])
        self.path: Path | None = None

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def hand_in(self) -> Path | None:
        import html

        from .store import open_store

        student = self.student or self._remembered(self.work)
        store = open_store(student, self.corpus.key, self.corpus.data_version, self.corpus.codebook_version,
                           self.work)
        try:
            self.path = hand_in(store, self.folder, self.lang)
        except HandInError as err:
            self.status.value = f'<span role="alert">⚠ {html.escape(str(err))}</span>'
            return None
        self.status.value = f'<span role="status">✓ {html.escape(i18n.t("handin_done", self.lang, path=self.path))}</span>'
        return self.path


# ---------------------------------------------------------------------------------------------
# LMS "download all submissions" zips
# ---------------------------------------------------------------------------------------------
_MOODLE = re.compile(r"^(?P<name>.+?)_\d+_assign(?:submission|feedback)_[a-z]+_")
_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?:LATE_)?\d+_\d+_")
_BRIGHTSPACE = re.compile(r"^\d+-\d+ - (?P<name>.+?) - ")


@dataclass
class ZipEntry:
    """One save file found in a zip, readable like the class view's other items."""

    name: str
    size: int | None
    read: Callable[[], bytes]


class ZipRefused(OSError):
    """An entry (or a whole zip) that is not read: ``message_key`` in :mod:`course.i18n`'s table with
    ``message_values``; the class view shows it in the user's language (``strerror``: in the
    notebook's language now)."""

    def __init__(self, key: str, **values):
        self.message_key = key
        self.message_values = tuple(values.items())
        super().__init__(i18n.t(key, None, **values))
        self.strerror = str(self)


def lms_name(path: str) -> str:
    """The student's name in an LMS zip path ("" when none can be told)."""
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    for part in parts:
        for pattern in (_MOODLE, _BRIGHTSPACE, _CANVAS):
            found = pattern.match(part)
            if found:
                return found.group("name").strip()
    folders = parts[:-1]
    if len(folders) >= 2:  # a wrapper folder, then one folder per student
        return folders[-1]
    if len(folders) == 1:
        return folders[0]
    return ""


def _escapes(name: str, info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return True
    raw = name.replace("\\", "/")
    return raw.startswith("/") or bool(re.match(r"^[A-Za-z]:", raw)) or ".." in raw.split("/")


def _named(raw: bytes, student: str) -> bytes:
    """The save file with the LMS's name where it carries no chosen name (else unchanged)."""
    if not student:
        return raw
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return raw
    if isinstance(doc, dict) and isinstance(doc.get("student"), str) and name_key(doc["student"]) in ("", PLACEHOLDER):
        doc["student"] = student
        return dump_bytes(doc)
    return raw


def _refused(name: str, key: str, **values) -> ZipEntry:
    def read() -> bytes:
        raise ZipRefused(key, **values)

    return ZipEntry(name, None, read)


def zip_items(zip_name: str, data: bytes | Path) -> list[ZipEntry]:
    """The save files in an LMS zip, as items for :func:`course.classroom.load_class`.

    A refused zip or entry becomes an item whose reading fails with a message naming it, so that
    the class view lists it among the skipped files.
    """
    try:
        archive = zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [_refused(zip_name, "zip_bad", zip=zip_name)]
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            return [_refused(zip_name, "zip_too_many", zip=zip_name, n=len(infos), limit=MAX_ENTRIES)]
        total = sum(info.file_size for info in infos)
        if total > MAX_TOTAL_BYTES:
            return [_refused(zip_name, "zip_too_big", zip=zip_name, size=total, limit=MAX_TOTAL_BYTES)]
        for info in infos:
            if (info.file_size > limits.ZIP_RATIO_FROM_BYTES
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                return [_refused(zip_name, "zip_ratio", zip=zip_name, entry=info.filename,
                                 ratio=info.file_size // max(info.compress_size, 1), limit=MAX_RATIO)]
        items: list[ZipEntry] = []
        budget = [MAX_TOTAL_BYTES]
        for info in sorted(infos, key=lambda i: i.filename):
            name = info.filename
            shown = f"{zip_name}: {name}"
            if _escapes(name, info):
                items.append(_refused(shown, "zip_escape", zip=zip_name, entry=name))
                continue
            if info.is_dir() or not name.lower().endswith(".json"):
                continue  # folders, index.html, notebooks, ...
            base = PurePosixPath(name).name
            if base.startswith(".") or base.endswith(".bak") or "__MACOSX" in name:
                continue
            student = lms_name(name)
            items.append(ZipEntry(shown, info.file_size, _reader(data, info, student, budget)))
        return items


def _reader(data: bytes | Path, info: zipfile.ZipInfo, student: str, budget: list[int]) -> Callable[[], bytes]:
    def read() -> bytes:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(bytes(data))) as archive:
            with archive.open(info) as handle:
                raw = handle.read(MAX_SAVE_BYTES + 1)  # a lying header cannot make us read more
        budget[0] -= len(raw)
        if budget[0] < 0:
            raise ZipRefused("zip_too_big", zip=info.filename, size=MAX_TOTAL_BYTES - budget[0], limit=MAX_TOTAL_BYTES)
        return raw if len(raw) > MAX_SAVE_BYTES else _named(raw, student)

    return read


def is_zip(name: str) -> bool:
    return str(name).lower().endswith(".zip")


def expand(name: str, content: Any) -> list[ZipEntry]:
    """Items of a zip given as bytes or a path (the class view's hook)."""
    return zip_items(Path(str(name)).name, content)
