"""Show the article's quotations and the course's vignettes in a notebook, with their source.

Notebooks never retype a quotation: they show it from data/excerpts.csv by id, so that every quote
is the verified, verbatim one, with its source type, speaker and section.
"""
from __future__ import annotations

import html
import re

from . import i18n
from .data import Corpus, load_corpus


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
    def translated(self) -> bool:
        """A quotation read in English: the Danish stays the quotation, the course's translation goes beside it."""
        return self.lang != "da" and self.record["kind"] == "quote"

    @property
    def text(self) -> str:
        """The main text: a quotation is always the verbatim Danish; a vignette (the course's words) is in the
        reader's language."""
        if self.lang == "da" or self.translated:
            return self.record["text_da"]
        return self.record.get("text_en") or self.record["text_da"]

    @property
    def translation(self) -> str:
        """The course's translation shown beside a quotation in English ("" in Danish and for vignettes)."""
        return str(self.record.get("text_en") or "").strip() if self.translated else ""

    def _translation_label(self) -> str:
        return i18n.t("course_translation", self.lang)

    @property
    def context(self) -> str:
        return context_text(self.record, self.lang)

    def _context_line(self) -> str:
        return f"{i18n.t('display.context_label', self.lang)}: {self.context}" if self.context else ""

    def _label(self) -> str:
        r = self.record
        kind = i18n.t("kind_" + r["kind"], self.lang)
        source = i18n.t("source_" + r["source"], self.lang) if "source_" + r["source"] in i18n.STRINGS else r["source"]
        speaker = i18n.field(r, "speaker", self.lang)
        # "artiklens fremstilling (artiklens fremstilling)": the source is not repeated when it is the speaker
        who = speaker if str(speaker).strip().casefold() == source.strip().casefold() else f"{speaker} ({source})"
        # A lecturer's own case may have no sections.csv: no empty "Afsnit:" then.
        where = f" · {i18n.t('section', self.lang)}: {self.section}" if str(self.section or "").strip() else ""
        return f"{kind} · {who}{where}"

    def _repr_html_(self) -> str:
        other = ""
        if self.lang == "en" and not self.translated and self.record.get("text_en"):
            other = (f"<details><summary>{html.escape(i18n.t('translation', self.lang))}</summary><p lang=\"da\">{html.escape(self.record['text_da'])}</p></details>")
        # A quotation stays Danish and verbatim (lang="da" for screen readers); the course's translation
        # follows it, labelled as a translation.
        text_lang = ' lang="da"' if self.translated else ""
        translation = (f'<p class="course-translation"><small><b>{html.escape(self._translation_label())}:</b></small> '
                       f'<span style="white-space:pre-wrap">{html.escape(self.translation)}</span></p>'
                       if self.translation else "")
        # <figure>/<figcaption>, not <footer>: a footer in the page is a landmark (axe:
        # landmark-contentinfo-is-top-level). lang marks the block's language for screen readers.
        return (f'<figure class="course-quote" lang="{self.lang}" '
                f'style="margin:0.5em 0;border-left:4px solid #4477AA;padding-left:10px">'
                f'<blockquote style="margin:0"{text_lang}><p style="white-space:pre-wrap">{html.escape(self.text)}</p></blockquote>'
                + translation
                + (f'<p><small><i>{html.escape(self._context_line())}</i></small></p>' if self.context else "")
                + f"<figcaption><small>{html.escape(self._label())} · [{html.escape(self.record['id'])}]</small></figcaption>"
                f"{other}</figure>")

    def _repr_markdown_(self) -> str:
        # Escaped like the HTML view: other front ends and exports render this text.
        body = "\n".join(f"> {line}".rstrip() for line in markdown_escape(self.text).split("\n"))
        if self.translation:
            lines = markdown_escape(self.translation).split("\n")
            lines[0] = f"*{markdown_escape(self._translation_label())}:* {lines[0]}"
            body += "\n>\n" + "\n".join(f"> {line}".rstrip() for line in lines)
        context = f">\n> *{markdown_escape(self._context_line())}*\n" if self.context else ""
        return (f"{body}\n{context}>\n> — *{markdown_escape(self._label())}* "
                f"\\[{markdown_escape(self.record['id'])}\\]")

    def __str__(self) -> str:
        translation = f"\n  {self._translation_label()}: {self.translation}" if self.translation else ""
        context = f"\n  {self._context_line()}" if self.context else ""
        return f"{self.text}{translation}{context}\n  ({self._label()}) [{self.record['id']}]"


def quote(excerpt_id: str, lang: str | None = None, corpus: Corpus | None = None) -> Excerpt:
    """The excerpt ``excerpt_id`` from the corpus, ready to display: ``course.display.quote("pol-q03")``."""
    corpus = corpus or load_corpus()
    lang = lang or i18n.get_language()
    match = corpus.excerpts[corpus.excerpts["id"] == excerpt_id]
    if match.empty:
        raise KeyError(i18n.t("error.no_excerpt", id=excerpt_id, path=corpus.folder / "excerpts.csv"))
    record = match.iloc[0].to_dict()
    sections = corpus.sections.set_index("id")
    section = record["section"]
    if section in sections.index:
        row = sections.loc[section].to_dict()
        section = i18n.field(row, "heading", lang)
    return Excerpt(record, section, lang)


class Paragraphs:
    """Labelled paragraphs of text from the data, shown as HTML (wrapped at words, never mid-word
    as printed text can be, and marked with the notebook's language)."""

    def __init__(self, items, lang: str | None = None):
        self.items = [(str(label), str(text)) for label, text in items]
        self.lang = lang or i18n.get_language()

    def _repr_html_(self) -> str:
        return "".join(f'<p lang="{self.lang}"><b>{html.escape(label)}:</b> {html.escape(text)}</p>'
                       for label, text in self.items)

    def __str__(self) -> str:
        return "\n\n".join(f"{label}: {text}" for label, text in self.items)

    __repr__ = __str__


def paragraphs(items, lang: str | None = None) -> Paragraphs:
    """``paragraphs([("Definition", text), ...])``: labelled paragraphs to display in a notebook."""
    return Paragraphs(items, lang)


# -- tables as the notebooks show them ---------------------------------------------------------------
_EMPTY_TH = re.compile(r"<th(\s[^>]*)?>\s*(&nbsp;)?\s*</th>")


def table_html(frame) -> str:
    """A DataFrame (or Series) as the notebooks show it: pandas' own HTML, with "–" for missing
    values instead of NaN, a Series as a table (not "dtype: int64"), and no empty header cells
    (the corner cells become plain cells; axe: empty-table-header)."""
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    rows, cols = pd.get_option("display.max_rows"), pd.get_option("display.max_columns")
    page = frame.to_html(max_rows=rows, max_cols=cols, show_dimensions=pd.get_option("display.show_dimensions"),
                         na_rep="–", notebook=True, border=0)
    return _EMPTY_TH.sub(lambda m: f"<td{m.group(1) or ''}></td>", page)


def register_formatters() -> bool:
    """Use :func:`table_html` for DataFrames and Series in this notebook, and show an unanswered
    ``...`` as words (not "Ellipsis"). Returns False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import pandas as pd

    html_formatter = shell.display_formatter.formatters["text/html"]
    html_formatter.for_type(pd.DataFrame, table_html)
    html_formatter.for_type(pd.Series, table_html)
    shell.display_formatter.formatters["text/plain"].for_type(
        type(Ellipsis), lambda _obj, printer, _cycle: printer.text(i18n.t("display.not_answered")))
    return True
