"""The move classifier's model: classify a leadership move, get feedback, keep score.

An answer is a class: a code of the hands-off, hands-on or democratic-anchoring group, or ``NONE``
(not metagovernance). The result is ``correct`` (the course's class, or another class the data
accepts as defensible), ``partial`` (the right mode, another tool) or ``wrong``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import i18n
from .cursor import Cursor
from .data import Corpus, split_list
from .store import Store, now
from .vocab import MODES, class_modes


class MoveError(ValueError):
    """An answer the classifier cannot take."""


@dataclass(frozen=True)
class Feedback:
    move_id: str
    answer: str
    result: str  # correct | partial | wrong
    defensible: bool  # the answer is in also_accepted rather than the reference class
    reference: str
    also_accepted: list[str]
    explicitness: str
    rationale_da: str
    rationale_en: str
    section: str


class MoveQuiz(Cursor):
    """One student's classification of the corpus's moves, backed by a :class:`Store`."""

    def __init__(self, corpus: Corpus, store: Store, case: str | None = None):
        self._attach(corpus, store)
        self.classes = corpus.move_classes
        self._mode = class_modes(corpus)
        #: During "retry the ones you missed": each move's number of attempts when the round began
        #: (only later attempts count in the round); None outside a retry round.
        self.retry_base: dict[str, int] | None = None
        self.set_case(case)

    # -- navigation (course.cursor.Cursor) -------------------------------------------------------
    error = MoveError
    noun = "error.noun_moves"  # a catalogue key

    def table(self) -> pd.DataFrame:
        return self.corpus.moves

    def set_case(self, case: str | None) -> None:
        # A corpus without moves (a lecturer's own case may have none) gives an empty quiz that can
        # still judge nothing; asking for one case that has no moves is an error.
        self.retry_base = None
        if case is None and self.corpus.moves.empty:
            self.case, self.ids, self.index = None, [], 0
            return
        super().set_case(case)

    def resume(self) -> int:
        """Go to the first move in the list not answered yet (the last when all are); returns it."""
        open_ = [k for k, m in enumerate(self.ids) if self.last_result(m) is None]
        self.index = open_[0] if open_ else max(len(self.ids) - 1, 0)
        return self.index

    def knows(self, answer: str) -> bool:
        """True if ``answer`` is a class of the loaded data (an old save may hold others)."""
        return answer in self._mode

    # -- structure of the answers --------------------------------------------------------------
    def mode_of(self, cls: str) -> str:
        return self._mode[cls]

    def modes(self) -> list[str]:
        return [m for m in MODES if any(self._mode[c] == m for c in self.classes)]

    def classes_for(self, mode: str) -> list[str]:
        return [c for c in self.classes if self._mode[c] == mode]

    @property
    def move_id(self) -> str:
        return self.current_id

    @property
    def move(self) -> dict[str, Any]:
        return self._by_id[self.move_id]

    # -- answering -----------------------------------------------------------------------------
    def judge(self, move_id: str, answer: str) -> Feedback:
        record = self._by_id[move_id]
        reference = record["reference_class"]
        also = split_list(record.get("also_accepted", ""))
        if answer == reference or answer in also:
            result = "correct"
        elif self._mode.get(answer) == self._mode[reference]:
            result = "partial"
        else:
            result = "wrong"
        return Feedback(move_id, answer, result, answer != reference and answer in also, reference, also,
                        record["explicitness"], record["rationale_da"], record.get("rationale_en", ""),
                        record.get("section", ""))

    def answer(self, answer: str, move_id: str | None = None) -> Feedback:
        """Record an answer for a move and return the feedback."""
        move_id = move_id or self.move_id
        if move_id not in self._by_id:
            raise MoveError(i18n.t("error.unknown_move", move=move_id))
        if answer not in self._mode:
            raise MoveError(i18n.t("error.not_an_answer", answer=answer, classes=", ".join(self.classes)))
        feedback = self.judge(move_id, answer)
        stamp = now()
        entry = self.store.moves.setdefault(move_id, {"attempts": [], "updated": stamp})
        entry["attempts"].append({"answer": answer, "result": feedback.result, "at": stamp})
        entry["updated"] = stamp
        self.store.save()
        return feedback

    def last_result(self, move_id: str) -> str | None:
        entry = self.store.moves.get(move_id)
        return entry["attempts"][-1]["result"] if entry and entry["attempts"] else None

    def _round_result(self, move_id: str) -> str | None:
        """The latest result, or during a retry round only an answer given in this round."""
        if self.retry_base is None:
            return self.last_result(move_id)
        entry = self.store.moves.get(move_id)
        if not entry or len(entry["attempts"]) <= self.retry_base.get(move_id, 0):
            return None
        return entry["attempts"][-1]["result"]

    def last_feedback(self, move_id: str | None = None) -> Feedback | None:
        """The feedback on the latest answer; None before an answer, and during a retry round
        before the move is answered again (the course's classification stays hidden)."""
        move_id = move_id or self.move_id
        entry = self.store.moves.get(move_id)
        if not entry or not entry["attempts"] or self._round_result(move_id) is None:
            return None
        return self.judge(move_id, entry["attempts"][-1]["answer"])

    @property
    def retrying(self) -> bool:
        return self.retry_base is not None

    def score(self) -> dict[str, int]:
        """Counts of the latest result per move in the current list (in a retry round: this round's)."""
        results = [self._round_result(m) for m in self.ids]
        return {
            "correct": results.count("correct"), "partial": results.count("partial"),
            "wrong": results.count("wrong"), "answered": sum(r is not None for r in results),
            "n": len(self.ids),
        }

    def to_retry(self) -> list[str]:
        """Moves in the current list whose latest answer was not correct."""
        return [m for m in self.ids if self.last_result(m) in ("partial", "wrong")]

    def retry_wrong(self) -> list[str]:
        """Narrow the list to the moves answered wrongly or partly; returns them."""
        retry = self.to_retry()
        if retry:
            self.ids = retry
            self.index = 0
            self.retry_base = {m: len(self.store.moves[m]["attempts"]) for m in retry}
        return retry

    def answers(self, attempt: str = "last") -> pd.DataFrame:
        """A tidy table of answers (``attempt``: first or last) against the reference, for the
        classifier's case (all cases when it has none)."""
        rows = []
        for move_id, entry in self.store.moves.items():
            if move_id not in self._by_id or not entry["attempts"]:
                continue
            if self.case is not None and self._by_id[move_id]["case"] != self.case:
                continue  # the summaries follow the case the classifier was opened on
            chosen = entry["attempts"][0 if attempt == "first" else -1]
            record = self._by_id[move_id]
            rows.append({
                "student": self.store.student, "move": move_id, "case": record["case"],
                "answer": chosen["answer"], "reference": record["reference_class"],
                "result": chosen["result"], "attempts": len(entry["attempts"]),
            })
        return pd.DataFrame(rows, columns=["student", "move", "case", "answer", "reference", "result", "attempts"])

    def confusion(self, attempt: str = "first") -> pd.DataFrame:
        """Counts of (reference, answer) pairs: the data behind the confusion chart."""
        table = self.answers(attempt)
        if table.empty:
            return pd.DataFrame(columns=["reference", "answer", "count"])
        return table.groupby(["reference", "answer"]).size().reset_index(name="count")
