"""Self-checks for the exercises: feedback that teaches, never a crash on an unanswered question.

An exercise notebook calls ``check.<name>(answer)`` right after a question. An answer left as
``...`` (the stub) is reported as not answered yet, so an unanswered notebook runs top to bottom.
Each session's checks live in their own module (``session1`` ...). Expected values are computed
from the course's data, never typed in by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import get_language


@dataclass
class Result:
    status: str  # "unanswered", "right", "not_yet"
    message: str

    def _repr_markdown_(self) -> str:
        icon = {"unanswered": "⏳", "right": "✅", "not_yet": "💡"}[self.status]
        return f"{icon} {self.message}"

    def __repr__(self) -> str:
        return self._repr_markdown_()

    @property
    def ok(self) -> bool:
        return self.status == "right"


def unanswered(value) -> bool:
    """True for the stub value ``...`` (or None)."""
    return value is Ellipsis or value is None


def say(da: str, en: str) -> str:
    return da if get_language() == "da" else en


def not_answered() -> Result:
    return Result("unanswered", say("Ikke besvaret endnu: erstat `...` med dit svar og kør cellen igen.",
                                    "Not answered yet: replace `...` with your answer and run the cell again."))


def right(da: str, en: str) -> Result:
    return Result("right", say(da, en))


def hint(da: str, en: str) -> Result:
    return Result("not_yet", say(da, en))
