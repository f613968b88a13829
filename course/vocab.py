"""The course's vocabulary, in one place: cases, move classes and their modes, code groups, names.

Notebooks and widgets ask this module instead of parsing id prefixes (``startswith("DEM_")``) or
retyping labels, so a lecturer's own case with other ids and codes works everywhere: a move class's
mode is the codebook group of its code (``none`` for :data:`course.data.NONE_CLASS`), and every
label comes from the data (cases) or the catalogue (modes, groups) in the reader's language.
Nothing here imports ipywidgets.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .data import NONE_CLASS
from .i18n import STRINGS, field, t
from .store import name_key

if TYPE_CHECKING:
    import pandas as pd

    from .data import Corpus

__all__ = ["MODES", "NONE_CLASS", "case_label", "class_modes", "group_label", "mode_label", "mode_labels",
           "move_modes", "name_key"]

#: The leadership modes, in the order the course shows them (``none``: not metagovernance).
MODES = ("hands_off", "hands_on", "democratic_anchoring", "none")


def class_modes(corpus: Corpus) -> dict[str, str]:
    """Move class -> its mode: the codebook group of its code, ``none`` for NONE."""
    groups = corpus.codebook.set_index("id")["group"].to_dict()
    return {c: ("none" if c == NONE_CLASS else groups[c]) for c in corpus.move_classes}


def move_modes(corpus: Corpus, moves: pd.DataFrame | None = None) -> pd.Series:
    """The mode of each move's reference class (a Series aligned with ``moves``, default all moves)."""
    moves = corpus.moves if moves is None else moves
    return moves["reference_class"].map(class_modes(corpus)).rename("mode")


def mode_label(mode: str, lang: str | None = None) -> str:
    """The reader's name for a mode (``hands_off`` -> ``Hands-off``); an unknown mode as it is."""
    key = f"mode_{mode}"
    return t(key, lang) if key in STRINGS else mode


def mode_labels(corpus: Corpus | None = None, lang: str | None = None) -> dict[str, str]:
    """Mode -> its label, for ``Series.map`` (the modes of ``corpus``'s classes, else all)."""
    modes = MODES if corpus is None else [m for m in MODES if m in set(class_modes(corpus).values())]
    return {m: mode_label(m, lang) for m in modes}


def group_label(group: str, lang: str | None = None) -> str:
    """The reader's name for a codebook group (``dilemma`` -> ``Dilemmaer og udfordringer``)."""
    key = f"group_{group}"
    return t(key, lang) if key in STRINGS else group


def case_label(corpus: Corpus, case: str, lang: str | None = None) -> str:
    """A case's label from the data (``cases.csv``), in ``lang``; the id when the case is unknown."""
    match = corpus.cases[corpus.cases["id"] == case]
    return case if match.empty else field(match.iloc[0].to_dict(), "label", lang)
