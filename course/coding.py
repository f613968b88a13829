"""The excerpt coder's model: plain Python, no widgets, so that tests reach every rule.

A student codes one excerpt at a time with any number of codes and a memo, or decides that none of
the codes applies ("Ingen af koderne passer"): an explicit choice, kept in the save file as
``first_no_code`` (or ``revised_no_code`` after the reveal) and exclusive with codes. Such an
excerpt counts as coded, with no code, in every agreement figure. The reference coding stays hidden
until the student has coded the excerpt and asks to compare; after that, changes are kept as a
revision next to the first coding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import agreement, i18n
from .cursor import Cursor
from .data import Corpus, split_list
from .limits import MAX_MEMO_CHARS
from .store import Store, now


class CodingError(ValueError):
    """An action the coder cannot take (an unknown code, comparing before coding, ...)."""


@dataclass(frozen=True)
class Comparison:
    excerpt_id: str
    reference: list[str]
    chosen: list[str]
    both: list[str]
    only_student: list[str]
    only_reference: list[str]
    jaccard: float
    rationale_da: str
    rationale_en: str
    section: str


class CodingSession(Cursor):
    """The state of one student's coding of a corpus, backed by a :class:`Store`."""

    def __init__(self, corpus: Corpus, store: Store, case: str | None = None):
        self._attach(corpus, store)
        self._code_order = tuple(corpus.code_ids)  # the codebook's order, read once (not per tick)
        self._codes = set(self._code_order)
        self._reference = corpus.reference_codes()
        self.set_case(case)

    # -- navigation (course.cursor.Cursor) -------------------------------------------------------
    error = CodingError
    noun = "error.noun_excerpts"  # a catalogue key

    def table(self) -> pd.DataFrame:
        return self.corpus.excerpts

    @property
    def excerpt_id(self) -> str:
        return self.current_id

    @property
    def excerpt(self) -> dict[str, Any]:
        return self._by_id[self.excerpt_id]

    @property
    def coded_count(self) -> int:
        return sum(1 for e in self.ids if self.is_coded(e))

    # -- coding --------------------------------------------------------------------------------
    def entry(self, excerpt_id: str | None = None) -> dict[str, Any] | None:
        return self.store.coding.get(excerpt_id or self.excerpt_id)

    def codes(self, excerpt_id: str | None = None) -> list[str]:
        """The student's current codes for an excerpt (the revision if there is one)."""
        entry = self.entry(excerpt_id)
        if entry is None:
            return []
        return list(entry["revised"] if entry.get("revised") is not None else entry["first"])

    def memo(self, excerpt_id: str | None = None) -> str:
        entry = self.entry(excerpt_id)
        return entry.get("memo", "") if entry else ""

    def is_coded(self, excerpt_id: str | None = None) -> bool:
        """Coded: some code chosen, or "no code applies" chosen (a decision, too)."""
        return entry_is_coded(self.entry(excerpt_id))

    def no_code(self, excerpt_id: str | None = None) -> bool:
        """True when the student's current choice for the excerpt is "no code applies"."""
        entry = self.entry(excerpt_id)
        if entry is None:
            return False
        if entry.get("revised") is not None:
            return bool(entry.get("revised_no_code"))
        return bool(entry.get("first_no_code"))

    def revealed(self, excerpt_id: str | None = None) -> bool:
        entry = self.entry(excerpt_id)
        return bool(entry and entry.get("revealed"))

    def _ensure_entry(self, excerpt_id: str) -> dict[str, Any]:
        entry = self.store.coding.get(excerpt_id)
        if entry is None:
            entry = {"first": [], "first_at": None, "revealed": False, "revealed_at": None,
                     "revised": None, "revised_at": None, "memo": "", "updated": now()}
            self.store.coding[excerpt_id] = entry
        return entry

    def set_codes(self, codes: list[str], excerpt_id: str | None = None) -> None:
        """Set the codes of an excerpt. Before the reveal it is the first coding, after it a revision."""
        excerpt_id = excerpt_id or self.excerpt_id
        unknown = [c for c in codes if c not in self._codes]
        if unknown:
            raise CodingError(i18n.t("error.unknown_codes", unknown=", ".join(unknown), codes=", ".join(self.corpus.code_ids)))
        wanted = set(codes)
        ordered = [c for c in self._code_order if c in wanted]
        self._set(excerpt_id, ordered, no_code=False)

    def set_no_code(self, value: bool = True, excerpt_id: str | None = None) -> None:
        """Choose (or take back) "no code applies" for an excerpt; choosing it clears the codes."""
        excerpt_id = excerpt_id or self.excerpt_id
        if not value:
            if self.no_code(excerpt_id):
                self._set(excerpt_id, [], no_code=False)
            return
        self._set(excerpt_id, [], no_code=True)

    def _set(self, excerpt_id: str, ordered: list[str], no_code: bool) -> None:
        entry = self._ensure_entry(excerpt_id)
        stamp = now()
        if entry.get("revealed"):
            first_same = ordered == entry["first"] and no_code == bool(entry.get("first_no_code"))
            if first_same and entry.get("revised") is None:
                return
            if entry.get("revised") == ordered and bool(entry.get("revised_no_code")) == no_code:
                return
            entry["revised"] = ordered
            entry["revised_no_code"] = no_code
            entry["revised_at"] = stamp
        else:
            if ordered == entry["first"] and bool(entry.get("first_no_code")) == no_code:
                return
            entry["first"] = ordered
            entry["first_no_code"] = no_code
            entry["first_at"] = stamp
        entry["updated"] = stamp
        self.store.save()

    def toggle(self, code: str, excerpt_id: str | None = None) -> None:
        current = self.codes(excerpt_id)
        self.set_codes([c for c in current if c != code] if code in current else [*current, code], excerpt_id)

    def set_memo(self, text: str, excerpt_id: str | None = None) -> None:
        excerpt_id = excerpt_id or self.excerpt_id
        if len(text) > MAX_MEMO_CHARS:  # the store keeps every save readable (course.limits)
            raise CodingError(i18n.t("memo_too_long", n=len(text), limit=MAX_MEMO_CHARS))
        entry = self._ensure_entry(excerpt_id)
        if entry.get("memo", "") == text:
            return
        entry["memo"] = text
        entry["updated"] = now()
        self.store.save()

    def reveal(self, excerpt_id: str | None = None) -> Comparison:
        """Show the reference coding; only once the student has coded the excerpt."""
        excerpt_id = excerpt_id or self.excerpt_id
        if not self.is_coded(excerpt_id):
            raise CodingError(i18n.t("error.compare_first"))
        entry = self._ensure_entry(excerpt_id)
        if not entry.get("revealed"):
            entry["revealed"] = True
            entry["revealed_at"] = entry["updated"] = now()
            self.store.save()
        return self.comparison(excerpt_id)

    def comparison(self, excerpt_id: str | None = None) -> Comparison:
        excerpt_id = excerpt_id or self.excerpt_id
        if not self.revealed(excerpt_id):
            raise CodingError(i18n.t("error.reference_hidden"))
        record = self._by_id[excerpt_id]
        reference = self._reference.get(excerpt_id, [])
        chosen = self.codes(excerpt_id)
        result = agreement.excerpt_agreement(chosen, reference)
        return Comparison(excerpt_id, reference, chosen, result["both"], result["only_student"],
                          result["only_reference"], result["jaccard"], record.get("rationale_da", ""),
                          record.get("rationale_en", ""), record.get("section", ""))

    def resume(self) -> int:
        """Go to where the student left off: the first excerpt in the list not coded yet (the last
        one when all are coded); returns the position. A new student starts at the first."""
        uncoded = [k for k, e in enumerate(self.ids) if not self.is_coded(e)]
        self.index = uncoded[0] if uncoded else len(self.ids) - 1
        return self.index

    # -- summaries -----------------------------------------------------------------------------
    def in_case(self, excerpt_id: str) -> bool:
        """True if the excerpt belongs to the session's case (every excerpt when no case is set)."""
        return excerpt_id in self._by_id and (self.case is None or self._by_id[excerpt_id]["case"] == self.case)

    def codings(self, stage: str = "final") -> dict[str, list[str]]:
        """Excerpt id -> codes, for every coded excerpt of the session's case (all cases when the
        session has none). ``stage``: first or final."""
        out = {}
        for excerpt_id, entry in self.store.coding.items():
            if not self.in_case(excerpt_id) or not entry_is_coded(entry, stage):
                continue
            out[excerpt_id] = list(entry["first"]) if stage == "first" else self.codes(excerpt_id)
        return out

    def summary(self) -> pd.DataFrame:
        """A tidy table: one row per coded excerpt (of the session's case) and code that the student
        or the reference used."""
        rows = []
        for excerpt_id, entry in self.store.coding.items():
            if not self.in_case(excerpt_id) or not entry_is_coded(entry):
                continue
            first, final = set(entry["first"]), set(self.codes(excerpt_id))
            reference = set(self._reference.get(excerpt_id, []))
            for code in [c for c in self.corpus.code_ids if c in first | final | reference]:
                rows.append({
                    "student": self.store.student, "excerpt": excerpt_id,
                    "case": self._by_id[excerpt_id]["case"], "code": code,
                    "first": code in first, "final": code in final,
                    "reference": code in reference if entry.get("revealed") else pd.NA,
                    "revealed": bool(entry.get("revealed")), "memo": entry.get("memo", ""),
                })
        return pd.DataFrame(rows, columns=["student", "excerpt", "case", "code", "first", "final",
                                           "reference", "revealed", "memo"])

    def agreement(self, stage: str = "first") -> pd.DataFrame:
        """Per-code agreement with the reference over the coded excerpts that have one.

        ``stage="first"`` (default) measures the coding made before the reveal; ``"final"``
        includes revisions.
        """
        mine = {e: c for e, c in self.codings(stage).items() if e in self._reference}
        table = agreement.per_code_agreement(mine, self._reference, self.corpus.code_ids)
        labels = self.corpus.codebook.set_index("id")
        table.insert(1, "group", table["code"].map(labels["group"]))
        table.insert(2, "label_da", table["code"].map(labels["label_da"]))
        table.insert(3, "label_en", table["code"].map(labels["label_en"]))
        return table


def entry_is_coded(entry: dict[str, Any] | None, stage: str = "final") -> bool:
    """Whether a save file's coding entry holds a decision at ``stage`` (``first`` or ``final``):
    some code, or "no code applies". An entry with only a memo is not coded."""
    if not entry:
        return False
    first = bool(entry.get("first")) or bool(entry.get("first_no_code"))
    if stage == "first":
        return first
    return first or bool(entry.get("revised")) or bool(entry.get("revised_no_code"))


def reference_table(corpus: Corpus) -> pd.DataFrame:
    """The reference coding as a tidy table (excerpt, case, code)."""
    rows = [{"excerpt": r.id, "case": r.case, "code": code}
            for r in corpus.excerpts.itertuples() for code in split_list(r.reference_codes)]
    return pd.DataFrame(rows, columns=["excerpt", "case", "code"])
