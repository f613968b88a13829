"""Interface strings in Danish (default) and English, from gettext catalogues. No UI text lives in the logic.

The catalogues are ``course/locale/<lang>/LC_MESSAGES/course.po`` (the sources translators edit;
the msgid is a stable key, the msgstr the text), read at runtime from the compiled
``course.mo`` beside each by :func:`read_mo`, a short reader of the documented gettext format
(``tests/catalogue_tools.py`` compiles them; a test checks they are up to date). A new interface language is one more catalogue:
:func:`add_language` reads one from another folder (a test shows it with a Swedish catalogue).
:func:`t` is the one accessor; :data:`STRINGS` (key -> {lang: text}) is the same content as a table.
"""
from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "course"
LANGUAGES: tuple[str, ...] = ("da", "en")
_current = "da"

#: key -> {language: text}, read from the compiled catalogues.
STRINGS: dict[str, dict[str, str]] = {}


_MO_MAGIC = 0x950412DE


def read_mo(path: str | Path) -> dict[str, str]:
    """The messages of a compiled gettext catalogue (msgid -> msgstr), without the header.

    The stdlib's :mod:`gettext` looks messages up one by one and keeps the whole table private (``_catalog``);
    the course needs every key (to list them and to add a language), so it reads the file itself. The format
    (GNU gettext manual, "The Format of GNU MO Files"): a magic number that also gives the byte order, a
    revision, the number of strings N, and the offsets of two tables of N (length, offset) pairs, the msgids
    and their msgstrs. The course's catalogues are UTF-8 and use no plural forms or contexts (those entries,
    holding NUL or EOT, are left out). A test checks it against :mod:`gettext` for every key.
    """
    data = Path(path).read_bytes()
    for order in "<>":
        magic, revision, count, originals, translations = struct.unpack_from(order + "5I", data)
        if magic == _MO_MAGIC:
            break
    else:
        raise ValueError(f"{path} is not a compiled gettext catalogue (.mo)")
    if revision >> 16 > 1:
        raise ValueError(f"{path}: unknown .mo revision {revision >> 16}")

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack_from(order + "2I", data, table + 8 * index)
        return data[offset:offset + length].decode("utf-8")

    messages = {}
    for index in range(count):
        key = string(originals, index)
        if key and "\x00" not in key and "\x04" not in key:
            messages[key] = string(translations, index)
    return messages


def _catalogue(lang: str, localedir: Path) -> dict[str, str]:
    """The messages of one compiled catalogue (msgid -> msgstr), without the header."""
    return read_mo(Path(localedir) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo")


def add_language(lang: str, localedir: str | Path = LOCALE_DIR) -> None:
    """Make ``lang`` an interface language from ``localedir/<lang>/LC_MESSAGES/course.mo``.

    A key the catalogue lacks falls back on the Danish text (see :func:`t`).
    """
    global LANGUAGES
    for key, text in _catalogue(lang, Path(localedir)).items():
        STRINGS.setdefault(key, {})[lang] = text
    if lang not in LANGUAGES:
        LANGUAGES = (*LANGUAGES, lang)


for _lang in LANGUAGES:
    add_language(_lang)


class _Table(Mapping):
    """The catalogue's keys ``<prefix>.<key>`` as a module's table (key -> {lang: text}), read live."""

    def __init__(self, prefix: str):
        self.prefix = prefix + "."

    def __getitem__(self, key: str) -> dict[str, str]:
        return STRINGS[self.prefix + key]

    def __iter__(self):
        return (k[len(self.prefix):] for k in STRINGS if k.startswith(self.prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def table(prefix: str) -> Mapping[str, dict[str, str]]:
    """A module's strings (``classroom``, ``compare``, ...), kept in the one catalogue under ``prefix.``."""
    return _Table(prefix)


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language '{lang}'; use one of {LANGUAGES}.")
    _current = lang


def get_language() -> str:
    return _current


def t(key: str, lang: str | None = None, **values) -> str:
    """The interface string ``key`` in ``lang`` (default: the notebook's language)."""
    entry = STRINGS[key]
    text = entry.get(lang or _current) or entry["da"]
    return text.format(**values) if values else text


class Message(str):
    """A rendered catalogue string that remembers its ``key`` and ``values`` (to render it again)."""

    key: str
    values: dict

    def render(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.values)


def msg(key: str, lang: str | None = None, **values) -> Message:
    """``t``, as a :class:`Message` that keeps its key and values (typed errors carry them)."""
    text = Message(t(key, lang, **values))
    text.key, text.values = key, values
    return text


def lookup(table: dict[str, dict[str, str]], key: str, lang: str | None = None, **values) -> str:
    """``t`` for a module's own string table (same shape as STRINGS): falls back on Danish."""
    entry = table[key]
    text = entry.get(lang or _current) or entry["da"]
    return text.format(**values) if values else text


def number(value: int, lang: str | None = None) -> str:
    """A whole number with thousands separators: "2.000.000" in Danish, "2,000,000" in English."""
    text = f"{value:,}"
    return text.replace(",", ".") if (lang or _current) == "da" else text


def pct(share: float, lang: str | None = None, digits: int = 0) -> str:
    """A share as a percentage: "55 %" in Danish, "55%" in English; "–" when undefined."""
    if share is None or share != share:  # None or NaN
        return "–"
    number = f"{100 * share:.{digits}f}"
    if (lang or _current) == "da":
        return number.replace(".", ",") + " %"
    return number + "%"


def field(record, name: str, lang: str | None = None) -> str:
    """``record[name_<lang>]``, falling back on the Danish text when the translation is empty (the Danish
    text is ``name_da``, or plain ``name`` for a column such as ``speaker`` whose translation is ``speaker_en``)."""
    lang = lang or _current
    get = record.get if hasattr(record, "get") else lambda k, d="": getattr(record, k, d)
    value = get(f"{name}_{lang}", "") or ""
    return value if str(value).strip() else (get(f"{name}_da", "") or get(name, "") or "")
