"""A position in a case-filtered list of ids: the navigation both teaching models share."""
from __future__ import annotations

import pandas as pd

from . import i18n


class Cursor:
    """Navigation over the rows of ``table()`` (excerpts or moves), optionally one case only.

    Subclasses set ``error`` (the exception to raise), ``noun`` (for messages) and ``table()``.
    """

    error: type[ValueError] = ValueError
    noun = "error.noun_items"  # a catalogue key

    def table(self) -> pd.DataFrame:
        raise NotImplementedError

    def _attach(self, corpus, store) -> None:
        """The model's corpus and store, its rows by id, and an empty list (``set_case`` fills it)."""
        self.corpus = corpus
        self.store = store
        self._by_id = {r["id"]: r for r in self.table().to_dict("records")}
        self.case: str | None = None
        self.ids: list[str] = []
        self.index = 0

    def set_case(self, case: str | None) -> None:
        """Show only the rows of ``case`` (None: all cases); back to the first row."""
        cases = self.corpus.cases["id"]
        if case is not None and case not in set(cases):
            raise self.error(i18n.t("error.unknown_case", case=case, cases=", ".join(cases)))
        table = self.table()
        if case is not None:
            table = table[table["case"] == case]
        if table.empty:
            raise self.error(i18n.t("error.case_empty", case=case, noun=i18n.t(self.noun)))
        self.case = case
        self.ids = table["id"].tolist()
        self.index = 0

    def go(self, target: int | str) -> None:
        """Go to a position (0-based) or an id in the current list."""
        if isinstance(target, str):
            if target not in self.ids:
                raise self.error(i18n.t("error.not_in_list", target=target))
            self.index = self.ids.index(target)
        else:
            if not 0 <= target < len(self.ids):
                raise self.error(i18n.t("error.position_outside", position=target, last=len(self.ids) - 1))
            self.index = target

    def next(self) -> None:
        self.index = min(self.index + 1, len(self.ids) - 1)

    def previous(self) -> None:
        self.index = max(self.index - 1, 0)

    @property
    def current_id(self) -> str:
        return self.ids[self.index]

    @property
    def progress(self) -> tuple[int, int]:
        """(position counted from 1, length of the list)."""
        return self.index + 1, len(self.ids)
