"""Who is who in a class: the placeholder name, numbering anonymous files, and THE pseudonyms.

:func:`pseudonym_list` is the course's one pseudonym function: the class view
(:mod:`course.classroom`) and the REFI-QDA export (:mod:`course.export`) both call it, so the
projector and the export name a student alike. Plain Python (no widgets).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from . import i18n
from .store import DEFAULT_STUDENT, is_default

if TYPE_CHECKING:
    from .class_load import ClassData


#: The name the store gives work without one. Files carrying it are never taken for one student.
PLACEHOLDER = DEFAULT_STUDENT


#: True for a name the student did not choose (empty, or the store's default "student").
is_placeholder = is_default


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
        out[i] = i18n.t("classroom.pseudonym", lang, n=f"{number:0{width}d}")
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
