"""Show the article's quotations and the course's vignettes in a notebook, with their source.

Notebooks never retype a quotation: they show it from data/excerpts.csv by id, so that every quote
is the verified, verbatim one, with its source type, speaker and section.
"""
from __future__ import annotations

import html
import re

from . import i18n
from .data import Corpus, load_corpus


#: The label before an excerpt's context (who says it, in what situation), in the reader's language.
CONTEXT_LABEL = {"da": "Sammenhæng", "en": "Context"}


def context_text(record: dict, lang: str) -> str:
    """The course's note on an excerpt's context (``context_da``/``context_en``), or "" if it has none."""
    if lang != "da" and record.get("context_en"):
        return str(record["context_en"]).strip()
    return str(record.get("context_da") or "").strip()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown: markup and HTML are shown, never interpreted (one line per line)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
    return "\n".join(line if line.strip() else "" for line in escaped.splitlines()) or ""


class Excerpt:
    """A quotation or vignette, shown as a labelled block quote (text is escaped, never run)."""

    def __init__(self, record: dict, section: str, lang: str):
        self.record, self.section, self.lang = record, section, lang

    @property
    def text(self) -> str:
        return self.record["text_da"] if self.lang == "da" else (self.record.get("text_en") or self.record["text_da"])

    @property
    def context(self) -> str:
        return context_text(self.record, self.lang)

    def _context_line(self) -> str:
        return f"{CONTEXT_LABEL.get(self.lang, CONTEXT_LABEL['en'])}: {self.context}" if self.context else ""

    def _label(self) -> str:
        r = self.record
        kind = i18n.t("kind_" + r["kind"], self.lang)
        source = i18n.t("source_" + r["source"], self.lang) if "source_" + r["source"] in i18n.STRINGS else r["source"]
        return f"{kind} · {r['speaker']} ({source}) · {i18n.t('section', self.lang)}: {self.section}"

    def _repr_html_(self) -> str:
        other = ""
        if self.lang == "en" and self.record.get("text_en"):
            other = (f"<details><summary>Dansk original</summary><p>{html.escape(self.record['text_da'])}</p></details>")
        return (f'<blockquote style="border-left:4px solid #4477AA;padding-left:10px">'
                f'<p style="white-space:pre-wrap">{html.escape(self.text)}</p>'
                + (f'<p><small><i>{html.escape(self._context_line())}</i></small></p>' if self.context else "")
                + f"<footer><small>{html.escape(self._label())} · [{html.escape(self.record['id'])}]</small></footer>"
                f"{other}</blockquote>")

    def _repr_markdown_(self) -> str:
        # Escaped like the HTML view: other front ends and exports render this text.
        body = "\n".join(f"> {line}".rstrip() for line in markdown_escape(self.text).split("\n"))
        context = f">\n> *{markdown_escape(self._context_line())}*\n" if self.context else ""
        return (f"{body}\n{context}>\n> — *{markdown_escape(self._label())}* "
                f"\\[{markdown_escape(self.record['id'])}\\]")

    def __str__(self) -> str:
        context = f"\n  {self._context_line()}" if self.context else ""
        return f"{self.text}{context}\n  ({self._label()}) [{self.record['id']}]"


def quote(excerpt_id: str, lang: str | None = None, corpus: Corpus | None = None) -> Excerpt:
    """The excerpt ``excerpt_id`` from the corpus, ready to display: ``course.display.quote("pol-q03")``."""
    corpus = corpus or load_corpus()
    lang = lang or i18n.get_language()
    match = corpus.excerpts[corpus.excerpts["id"] == excerpt_id]
    if match.empty:
        raise KeyError(f"No excerpt with id '{excerpt_id}' in {corpus.folder / 'excerpts.csv'}.")
    record = match.iloc[0].to_dict()
    sections = corpus.sections.set_index("id")
    section = record["section"]
    if section in sections.index:
        row = sections.loc[section].to_dict()
        section = i18n.field(row, "heading", lang)
    return Excerpt(record, section, lang)
