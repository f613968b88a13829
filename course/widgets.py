"""The two teaching widgets, as thin ipywidgets views over the plain-Python models.

* :class:`ExcerptCoder` — code excerpts with the codebook, memo, compare with the reference.
* :class:`MoveClassifier` — classify leadership moves, with feedback and a running score.

Everything the data or a student wrote is shown as text: it is escaped before it reaches an HTML
widget, and widget descriptions are plain text (ipywidgets 8 does not render them as HTML).
"""
from __future__ import annotations

import html
import threading
from datetime import datetime
from pathlib import Path

import ipywidgets as w

from . import i18n
from .coding import CodingError, CodingSession
from .data import ARTICLE_CORPUS_ID, NONE_CLASS, Corpus, load_corpus
from .i18n import t
from .limits import MAX_MEMO_CHARS, MAX_SAVE_BYTES
from .moves import MoveQuiz
from .paths import work_dir
from .profile import PROFILE, remember_name, remembered_name  # noqa: F401 -- the older home of these names
from .store import SaveFileError, Store, open_store, restore_file, slug, switch_student, unknown_references
from .uikit import RESULT, DownloadButton, PageMarker, UploadButton

#: The largest file the restore button takes: what the store itself reads back (course.limits).
MAX_UPLOAD_BYTES = MAX_SAVE_BYTES



def esc(value) -> str:
    """Escape a text for an HTML widget (markup in data or memos is shown, never run)."""
    return html.escape("" if value is None else str(value), quote=True)


def source_label(source: str, lang: str) -> str:
    """The source type in the interface language (unknown values are shown as they are)."""
    key = "source_" + source
    return t(key, lang) if key in i18n.STRINGS else source


def local_time(stamp: str) -> str:
    """HH:MM:SS of an ISO timestamp, in the machine's time zone (saves are stamped in UTC)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%H:%M:%S")
    except (TypeError, ValueError):
        return ""


class SaveBar(w.VBox):
    """Name, where the work is saved, download and restore: shared by both widgets."""

    def __init__(self, owner, lang: str):
        self.owner = owner
        self.lang = lang
        self.name = w.Text(value=owner.store.student, description=t("student_label", lang),
                           continuous_update=False, style={"description_width": "initial"},
                           layout=w.Layout(width="420px"))
        self.where = w.HTML()
        self.status = w.HTML()
        # One button that always delivers the save as it is at the moment of the press (an
        # anywidget: the kernel sends the bytes, the browser saves them; works offline and on Binder).
        self.download_button = DownloadButton(self.download_payload, label=t("download", lang),
                                              hint=t("download_tip", lang))
        self.upload = UploadButton(self._on_upload, label=t("upload", lang), hint=t("upload", lang),
                                   max_bytes=MAX_UPLOAD_BYTES)
        self.message = w.HTML()
        self.problem = w.HTML()  # a failed save: what happened, that the work is in memory, what to do
        self.problem.add_class("course-save-problem")
        self._quiet = False
        self._status_lock = threading.RLock()  # the writer thread and the kernel both show the status
        self.name.observe(self._on_name, names="value")
        super().__init__([
            w.HBox([self.name, self.status]), self.problem, self.where,
            w.HBox([self.download_button, self.upload]), self.message,
        ])
        self.refresh()

    def refresh(self) -> None:
        store = self.owner.store
        # A tick only changes the state in memory; the store's background writer writes it and
        # then calls _written (from its thread), which shows "Gemt" or the failure.
        store.autosave_in_background(self._written)
        store.retry()  # a save that failed is tried again at the student's next action
        self.where.value = f"<small class='course-small'>{esc(t('saved_to', self.lang, path=store.path))}</small>"
        self.show_status()

    def _written(self) -> None:
        self.show_status()

    def show_status(self) -> None:
        """Show "Gemmer ..." while a save is on its way, then "Gemt <time>" or the failure (any thread)."""
        with self._status_lock:
            store = self.owner.store
            if store.save_error is not None:
                self.status.value = f"<small>{esc(t('not_saved', self.lang))}</small>"
                self.problem.value = (f'<div role="alert" style="border-left:4px solid #EE6677;padding:4px 10px">'
                                      f"{esc(store.save_error.message(self.lang, path=store.folder))}</div>")
                return
            self.problem.value = ""
            if getattr(store, "saving", False):
                self.status.value = f"<small>{esc(t('saving', self.lang))}</small>"
                return
            # "Gemt" only for a write that succeeded: this session's last save, or the file found on opening.
            updated = store.saved_at or (store.doc.get("updated", "") if store.path.exists() else "")
            self.status.value = (f"<small>{esc(t('saved_at', self.lang, time=local_time(updated)))}</small>"
                                 if updated else "")

    def _on_name(self, change) -> None:
        name = change["new"].strip() or "student"
        remember_name(self.owner.folder, name)
        if not self._quiet:
            self.owner.switch_student(name)
        self.refresh()

    def download_payload(self) -> tuple[str, bytes]:
        """The file a press of the download button delivers: the save as it is now."""
        store = self.owner.store
        filename = f"{store.corpus_key}__{slug(store.student)}__{datetime.now():%Y%m%d-%H%M}.json"
        return filename, store.export_bytes()

    def _refusal(self, name: str, err: SaveFileError, size: int) -> str:
        """Why a file was refused, in the interface language (rendered from the error's kind)."""
        return err.message(self.lang)

    def _on_upload(self, name: str, content: bytes | None, size: int) -> None:
        adopted = ""
        try:
            if content is None or size > MAX_UPLOAD_BYTES:
                raise SaveFileError(name, kind="oversized", values={"size": size, "limit": MAX_UPLOAD_BYTES})
            store, brought = restore_file(self.owner.store, bytes(content), name)
            if store is not self.owner.store:  # the file's own name is adopted
                self._quiet = True
                try:
                    self.name.value = store.student
                finally:
                    self._quiet = False
                self.owner.use_store(store, brought)
                adopted = " " + t("adopted_name", self.lang, name=store.student)
        except SaveFileError as err:
            reason = self._refusal(name, err, size)
            self.message.value = f'<span role="alert">⚠ {esc(t("upload_refused", self.lang, reason=reason))}</span>'
        else:
            note = ""
            unknown = unknown_references(self.owner.store.doc, self.owner.corpus)
            if unknown:
                note = " " + t("upload_unknown", self.lang, items=", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else ""))
            self.message.value = f"✓ {esc(t('upload_ok', self.lang, name=name) + adopted + note)}"
            self.owner.refresh()
        finally:
            self.upload.clear()
        self.refresh()


#: The case filter's value for "all cases".
ALL = "__all__"


def case_value(case: str | None) -> str:
    return ALL if case is None else case


def case_of(value: str | None) -> str | None:
    return None if value in (None, ALL) else value


class _Base(w.VBox):
    def _setup(self, student, corpus, folder, lang):
        self.lang = lang or i18n.get_language()
        self.corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
        self.folder = Path(folder) if folder is not None else work_dir()
        self.student = student or remembered_name(self.folder)
        self.store = self._open(self.student)
        self.notice = w.HTML(self._load_notice())
        # lang="da" on the widget (screen readers), and the course's focus ring and colours
        self.marker = PageMarker(lang=self.lang)

    def _finish(self, css_class: str) -> None:
        """Classes every course widget carries (the CSS and the lang marker find it by them)."""
        self.add_class("course-widget")
        self.add_class(css_class)

    def _work_changed(self) -> None:
        """The student changed something: "your earlier work has been restored" is no longer news."""
        if self._restored_note:
            self._restored_note = False
            self.notice.value = self._load_notice(restored=False)

    def _open(self, student: str) -> Store:
        return open_store(student, self.corpus.key, self.corpus.data_version,
                          self.corpus.codebook_version, self.folder, self.corpus.legacy_keys)

    def switch_student(self, name: str) -> None:
        """Work under another name; work done under the default "student" comes along."""
        store, brought = switch_student(self.store, name)
        self.use_store(store, brought)

    def _load_notice(self, brought: int = 0, restored: bool = True) -> str:
        self._restored_note = False
        notes = []
        store = self.store
        if brought:
            notes.append(t("brought_along", self.lang, n=brought, name=store.student))
        if store.recovered_from == "backup":
            notes.append(t("recovered_backup", self.lang, name=store.backup_path.name))
        elif store.recovered_from == "tmp":
            notes.append(t("recovered_tmp", self.lang))
        elif store.recovered_from == "legacy":
            notes.append(t("recovered_legacy", self.lang, old=getattr(store.migrated_from, "name", ""),
                           new=store.path.name))
        if self.store.load_error is not None:
            notes.append(t("damaged_on_load", self.lang, kept=self.store.path.name + ".damaged-…",
                           detail=self.store.load_error.describe(self.lang)))
        if self.store.stale:
            notes.append(t("stale", self.lang))
        if restored and self.store.path.exists() and (self.store.coding or self.store.moves):
            notes.append(t("restored", self.lang, n=len(self.store.coding), m=len(self.store.moves)))
            self._restored_note = True
        return "<br>".join(f"<small>{esc(n)}</small>" for n in notes)

    def case_options(self, table):
        """The case filter's choices: all, then each case that has rows in ``table``.

        "All cases" is the value ``ALL`` (a Dropdown shows None as an empty choice)."""
        present = set(table["case"])
        options = [(t("all_cases", self.lang), ALL)]
        options += [(i18n.field(r, "label", self.lang), r["id"])
                    for r in self.corpus.cases.to_dict("records") if r["id"] in present]
        return options

    def section_heading(self, section_id: str) -> str:
        row = self.corpus.section(section_id)
        return i18n.field(row, "heading", self.lang) if row else section_id

    def section_label(self, section_id: str, before: str = "", after: str = "") -> str:
        """``before`` + "Afsnit: <heading>" (escaped) + ``after``; "" without a section (an own case)."""
        heading = self.section_heading(section_id) if str(section_id or "").strip() else ""
        return f"{before}{esc(t('section', self.lang))}: {esc(heading)}{after}" if heading else ""

    # -- navigation: the case filter, "previous"/"next", the position and the progress bar -----
    def _navigation(self, table, case: str | None) -> list:
        """The navigation both widgets show over ``self.model`` (a :class:`course.cursor.Cursor`)
        and its handlers; returns the widgets of the navigation bar, in their order."""
        lang = self.lang
        self.case = w.Dropdown(options=self.case_options(table), value=case_value(case),
                               description=t("case_filter", lang))
        self.prev_button = w.Button(description=t("previous", lang), tooltip=t("previous", lang))
        self.next_button = w.Button(description=t("next", lang), tooltip=t("next", lang))
        self.position = w.Label()
        self.bar = w.IntProgress(min=0, max=1, value=0, description=t("progress_label", lang),
                                 layout=w.Layout(width="240px"))
        self.prev_button.on_click(lambda _: self._move(self.model.previous))
        self.next_button.on_click(lambda _: self._move(self.model.next))
        self.case.observe(self._on_case, names="value")
        return [self.case, self.prev_button, self.position, self.bar, self.next_button]

    def _show_position(self) -> None:
        """The navigation bar at the model's position."""
        model = self.model
        i, n = model.progress
        self.position.value = t("progress", self.lang, i=i, n=n)
        self.bar.max, self.bar.value = n, i
        self.prev_button.disabled = model.index == 0
        self.next_button.disabled = model.index == n - 1

    def _move(self, step) -> None:
        step()
        self.refresh()

    def _on_case(self, change) -> None:
        if not self._updating:
            self.model.set_case(case_of(change["new"]))
            self.refresh()


def agreement_level(jaccard: float) -> str:
    """good (at least 2/3 of the codes shared), partial (some) or poor (none): the comparison's colour."""
    if jaccard >= 2 / 3:
        return "good"
    return "partial" if jaccard > 0 else "poor"


class ExcerptCoder(_Base):
    """Code the corpus's excerpts, one at a time, with the codebook beside them.

    ``ExcerptCoder(case="police")`` shows one case; ``lang="en"`` the English interface;
    ``corpus="path/to/folder"`` a lecturer's own tables; ``student`` a name or pseudonym.
    """

    def __init__(self, student: str | None = None, case: str | None = None, lang: str | None = None,
                 corpus: Corpus | str | Path | None = None, folder: str | Path | None = None):
        self._setup(student, corpus, folder, lang)
        self.model = CodingSession(self.corpus, self.store, case)
        self.model.resume()  # back where the student left off: the first excerpt not coded yet
        lang = self.lang
        self.savebar = SaveBar(self, lang)
        navigation = self._navigation(self.corpus.excerpts, case)
        self.done = w.Label()
        self.jump = w.Dropdown(description=t("jump", lang), layout=w.Layout(width="320px"))
        # excerpt
        self.card = w.HTML()
        # The translation is a <details> (reachable with Tab, its summary in full-contrast text)
        self.translation = w.HTML()
        # codebook
        self.boxes: dict[str, w.Checkbox] = {}
        groups = []
        for group, table in self.corpus.codebook.groupby("group", sort=False):
            rows = []
            for code in table.to_dict("records"):
                box = w.Checkbox(value=False, description=i18n.field(code, "label", lang), indent=False,
                                 layout=w.Layout(width="auto"))
                box.code = code["id"]
                box.observe(self._on_box, names="value")
                self.boxes[code["id"]] = box
                rows.append(w.HBox([w.HTML(self._swatch(code)), box]))
                rows.append(w.HTML(self._definition(code)))
            groups.append(w.VBox([w.HTML(f"<b>{esc(t('group_' + group, lang) if 'group_' + group in i18n.STRINGS else group)}</b>"), *rows]))
        # All codes visible, no scroll box inside the scrolling notebook; each definition opens on demand.
        # display=block: as a flex column the box squeezed its rows (found by tests/browser).
        self.codebook_box = w.VBox([w.HTML(f"<h4>{esc(t('codebook', lang))}</h4>"), *groups],
                                   layout=w.Layout(width="46%", display="block"))
        self.codebook_box.add_class("course-codebook")
        # memo and compare
        self.memo = w.Textarea(placeholder=t("memo_placeholder", lang), description=t("memo", lang),
                               continuous_update=False, style={"description_width": "initial"},
                               layout=w.Layout(width="98%", height="90px"))
        self.compare_button = w.Button(description=t("compare", lang), tooltip=t("compare", lang),
                                       layout=w.Layout(width="auto", align_self="flex-start"))
        self.compare_button.add_class("course-primary")
        self.feedback = w.HTML()
        # "Ingen af koderne passer": an explicit decision, exclusive with the codes (course.coding).
        self.no_code_box = w.Checkbox(value=False, description=t("no_code", lang), tooltip=t("no_code_tip", lang),
                                      indent=False, layout=w.Layout(width="auto"))
        self.no_code_box.observe(self._on_no_code, names="value")
        left = w.VBox([self.card, self.translation, self.no_code_box], layout=w.Layout(width="52%"))
        self.jump.observe(self._on_jump, names="value")
        self.memo.observe(self._on_memo, names="value")
        self.compare_button.on_click(self._on_compare)
        self._updating = False
        # Tab order follows the work: the excerpt, the codes, the memo, then "compare" and its result.
        super().__init__([
            self.marker, self.savebar, self.notice,
            w.HBox([*navigation, self.done]),
            self.jump, w.HBox([left, self.codebook_box]), self.memo, self.compare_button, self.feedback,
        ])
        self._finish("course-excerpt-coder")
        if self.model.index > 0:
            self.notice.value += f"<br><small>{esc(t('resumed', lang))}</small>"
        self.refresh()

    # -- rendering -----------------------------------------------------------------------------
    @staticmethod
    def _swatch(code) -> str:
        return (f'<span aria-hidden="true" style="display:inline-block;width:12px;height:12px;'
                f'margin-top:10px;background:{esc(code["colour"])}"></span>')

    def _definition(self, code) -> str:
        lang = self.lang
        example = ""
        if code.get("example_excerpt"):
            example = f"<p><i>{esc(t('example', lang))}:</i> {esc(code['example_excerpt'])}</p>"
        return (
            f'<details style="margin-left:22px"><summary>{esc(i18n.field(code, "brief", lang))}</summary>'
            f"<p><i>{esc(t('definition', lang))}:</i> {esc(i18n.field(code, 'definition', lang))}</p>"
            f"<p><i>{esc(t('use_when', lang))}:</i> {esc(i18n.field(code, 'use_when', lang))}</p>"
            f"<p><i>{esc(t('dont_use_when', lang))}:</i> {esc(i18n.field(code, 'dont_use_when', lang))}</p>"
            f"{example}</details>"
        )

    def _context_html(self, excerpt: dict) -> str:
        """The course's note on who says the excerpt and in what situation (empty if it has none)."""
        from .display import context_text
        note = context_text(excerpt, self.lang)
        label = t("display.context_label", self.lang)
        return f"<p><small><i>{esc(label)}: {esc(note)}</i></small></p>" if note else ""

    def _label(self, code_id: str) -> str:
        if code_id not in self.boxes:  # e.g. restored from a save made with an older codebook
            return t("unknown_code", self.lang, code=code_id)
        return i18n.field(self.corpus.code(code_id), "label", self.lang)

    def refresh(self) -> None:
        self._updating = True
        try:
            model, lang = self.model, self.lang
            excerpt = model.excerpt
            self._show_position()
            self.done.value = t("done_count", lang, k=model.coded_count, n=len(model.ids))
            self._refresh_jump()
            kind = t("kind_" + excerpt["kind"], lang)
            case_label = self.corpus.cases.set_index("id").loc[excerpt["case"]]
            case_name = case_label.get(f"label_{lang}") or case_label["label_da"]
            # A quotation stays Danish and verbatim in English too, with the course's translation below it,
            # labelled as such; a vignette (the course's own words) is shown in the reader's language.
            quoted = lang != "da" and excerpt["kind"] == "quote"
            main = excerpt["text_da"] if lang == "da" or quoted or not excerpt.get("text_en") else excerpt["text_en"]
            other = excerpt.get("text_en", "") if lang == "da" else ("" if quoted else excerpt["text_da"])
            beside = str(excerpt.get("text_en") or "").strip() if quoted else ""
            quote_lang = " lang='da'" if quoted else ""
            self.card.value = (
                f'<div class="course-card" style="border-left:4px solid #4477AA;padding:4px 10px">'
                f"<p><b>{esc(excerpt['id'])}</b> · {esc(kind)} · {esc(t('case', lang))}: {esc(case_name)}</p>"
                f"<p><small>{esc(t('source', lang))}: {esc(source_label(excerpt['source'], lang))} · {esc(t('speaker', lang))}: "
                f"{esc(i18n.field(excerpt, 'speaker', lang))}{self.section_label(excerpt['section'], ' · ')}"
                f"</small></p><blockquote style='white-space:pre-wrap;font-size:1.05em'{quote_lang}>"
                f"{esc(main)}</blockquote>"
                + (f"<p class='course-translation'><small><b>{esc(t('course_translation', lang))}:</b></small> "
                   f"<span style='white-space:pre-wrap'>{esc(beside)}</span></p>" if beside else "")
                + self._context_html(excerpt) + "</div>"
            )
            other_lang = "en" if lang == "da" else "da"
            self.translation.value = (
                f'<details class="course-translation"><summary>{esc(t("translation", lang))}</summary>'
                f"<p lang='{other_lang}' style='white-space:pre-wrap'>{esc(other)}</p></details>" if other else "")
            chosen = set(model.codes())
            for code, box in self.boxes.items():
                box.value = code in chosen
            self.no_code_box.value = model.no_code()
            self.memo.value = model.memo()
            self.feedback.value = self._comparison_html() if model.revealed() else ""
            self.savebar.refresh()
        finally:
            self._updating = False

    def _refresh_jump(self) -> None:
        model = self.model
        was, self._updating = self._updating, True
        try:
            options = [(f"{k + 1}. {e} {'✓' if model.is_coded(e) else ''}", k) for k, e in enumerate(model.ids)]
            if options != getattr(self, "_jump_options", None):  # a tick that changes no mark sends nothing
                self.jump.options = self._jump_options = options
            if self.jump.value != model.index:
                self.jump.value = model.index
        finally:
            self._updating = was

    def _comparison_html(self) -> str:
        lang = self.lang
        cmp = self.model.comparison()
        rationale = cmp.rationale_da if lang == "da" or not cmp.rationale_en else cmp.rationale_en
        if not cmp.reference:
            return f"<p>{esc(t('no_reference', lang))}</p>"

        def names(codes):
            return ", ".join(esc(self._label(c)) for c in codes) or "–"

        entry = self.model.entry()
        revised = entry.get("revised") is not None and entry["revised"] != entry["first"]
        level = agreement_level(cmp.jaccard)
        colour = RESULT[level]
        return (
            f'<div role="status" class="course-result-{level}" style="border-left:4px solid {colour};padding:4px 10px">'
            f"<p><b>{esc(t('reference', lang))}</b> · <b style='color:{colour}'>{esc(t('agreement_' + level, lang))}</b></p>"
            f"<p>{esc(t('agreement_line', lang, agree=len(cmp.both), n=len(set(cmp.both) | set(cmp.only_student) | set(cmp.only_reference)), pct=100 * cmp.jaccard))}</p>"
            f"<ul><li>{esc(t('both', lang))}: {names(cmp.both)}</li>"
            f"<li>{esc(t('only_you', lang))}: {names(cmp.only_student)}</li>"
            f"<li>{esc(t('only_reference', lang))}: {names(cmp.only_reference)}</li></ul>"
            f"<p>{esc(rationale)}</p>{self.section_label(cmp.section, '<p><small>', '</small></p>')}"
            + (f"<p><i>{esc(t('revised_note', lang))}</i></p>" if revised else "")
            + "</div>"
        )

    # -- events --------------------------------------------------------------------------------
    def _on_jump(self, change) -> None:
        if not self._updating and change["new"] is not None:
            self.model.go(change["new"])
            self.refresh()

    def _on_box(self, change) -> None:
        if self._updating:
            return
        chosen = [code for code, box in self.boxes.items() if box.value]
        self.model.set_codes(chosen)
        self._after_choice()

    def _on_no_code(self, change) -> None:
        if self._updating:
            return
        self.model.set_no_code(change["new"])
        self._after_choice()

    def _after_choice(self) -> None:
        """Show the model's choice: a code and "no code applies" exclude each other."""
        self._updating = True
        try:
            chosen = set(self.model.codes())
            for code, box in self.boxes.items():
                box.value = code in chosen
            self.no_code_box.value = self.model.no_code()
        finally:
            self._updating = False
        self._work_changed()
        self.done.value = t("done_count", self.lang, k=self.model.coded_count, n=len(self.model.ids))
        self._refresh_jump()
        if self.model.revealed():
            self.feedback.value = self._comparison_html()
        self.savebar.refresh()

    def _on_memo(self, change) -> None:
        if not self._updating:
            if len(change["new"]) > MAX_MEMO_CHARS:
                self._memo_warning = (f'<span role="alert">⚠ '
                                      f'{esc(t("memo_too_long", self.lang, n=len(change["new"]), limit=MAX_MEMO_CHARS))}</span>')
                self.savebar.message.value = self._memo_warning
                return
            if self.savebar.message.value == getattr(self, "_memo_warning", None):
                self.savebar.message.value = ""
            self.model.set_memo(change["new"])
            self._work_changed()
            self.savebar.refresh()

    def _on_compare(self, _=None) -> None:
        try:
            self.model.reveal()
        except CodingError:
            self.feedback.value = f'<span role="alert">{esc(t("compare_first", self.lang))}</span>'
            return
        self.feedback.value = self._comparison_html()
        self.savebar.refresh()

    def use_store(self, store: Store, brought: int = 0) -> None:
        case = self.model.case
        self.store = store
        index = self.model.index
        self.model = CodingSession(self.corpus, self.store, case)
        # Stay on this excerpt when the work now open has coded it; else go to the first uncoded one.
        if index < len(self.model.ids) and self.model.is_coded(self.model.ids[index]):
            self.model.go(index)
        else:
            self.model.resume()
        self.notice.value = self._load_notice(brought)
        self.refresh()

    # -- results -------------------------------------------------------------------------------
    def summary(self):
        """A tidy DataFrame of the student's codings."""
        return self.model.summary()

    def agreement(self, stage: str = "first"):
        """Per-code agreement with the course's reference coding."""
        return self.model.agreement(stage)

    def agreement_chart(self, stage: str = "first"):
        from .charts import agreement_chart

        return agreement_chart(self.model.agreement(stage), self.lang)


class MoveClassifier(_Base):
    """Classify the leadership moves: hands-off or hands-on, which tool, or democratic anchoring."""

    def __init__(self, student: str | None = None, case: str | None = None, lang: str | None = None,
                 corpus: Corpus | str | Path | None = None, folder: str | Path | None = None):
        self._setup(student, corpus, folder, lang)
        self.model = MoveQuiz(self.corpus, self.store, case)
        self.model.resume()
        lang = self.lang
        self.savebar = SaveBar(self, lang)
        if self.corpus.moves.empty:
            raise ValueError(t("error.no_moves", lang, path=self.corpus.folder / "moves.csv"))
        navigation = self._navigation(self.corpus.moves, case)
        self.card = w.HTML()
        self.mode = w.RadioButtons(options=[(t("mode_" + m, lang), m) for m in self.model.modes()], value=None,
                                   description=t("mode_question", lang), style={"description_width": "initial"},
                                   layout=w.Layout(width="45%", margin="0 24px 0 0"))
        self.tool = w.RadioButtons(options=[], value=None, description=t("tool_question", lang),
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="50%", visibility="hidden"))
        self.answer_button = w.Button(description=t("answer", lang), tooltip=t("answer", lang))
        self.answer_button.add_class("course-primary")
        self.feedback = w.HTML()
        self.score = w.HTML()
        self.retry_button = w.Button(description=t("retry_wrong", lang), layout=w.Layout(width="auto"))
        self.all_button = w.Button(description=t("show_all", lang), layout=w.Layout(width="auto"))
        self.mode.observe(self._on_mode, names="value")
        self.answer_button.on_click(self._on_answer)
        self.retry_button.on_click(self._on_retry)
        self.all_button.on_click(self._on_all)
        self._updating = False
        super().__init__([
            self.marker, self.savebar, self.notice,
            w.HBox(navigation),
            self.card, w.HBox([self.mode, self.tool]), self.answer_button, self.feedback, self.score,
            w.HBox([self.retry_button, self.all_button]),
        ])
        self._finish("course-move-classifier")
        self.refresh()

    def class_label(self, cls: str) -> str:
        if cls == NONE_CLASS:
            return t("class_NONE", self.lang)
        if cls not in self.model.classes:  # e.g. restored from a save made with older data
            return t("unknown_code", self.lang, code=cls)
        return i18n.field(self.corpus.code(cls), "label", self.lang)

    def refresh(self) -> None:
        self._updating = True
        try:
            model, lang = self.model, self.lang
            move = model.move
            self._show_position()
            case_row = self.corpus.cases.set_index("id").loc[move["case"]]
            case_name = case_row.get(f"label_{lang}") or case_row["label_da"]
            phase = t("phase_" + move["phase"], lang) if "phase_" + move["phase"] in i18n.STRINGS else move["phase"]
            self.card.value = (
                f'<div class="course-card" style="border-left:4px solid #AA3377;padding:4px 10px">'
                f"<p><b>{esc(move['id'])}</b> · {esc(t('case', lang))}: {esc(case_name)} · "
                f"{esc(t('actor', lang))}: {esc(i18n.field(move, 'actor', lang))} · {esc(t('phase', lang))}: {esc(phase)}</p>"
                f"<p style='font-size:1.05em'>{esc(i18n.field(move, 'description', lang))}</p></div>"
            )
            self.mode.value = None
            self.tool.options, self.tool.value = [], None
            self.tool.layout.visibility = "hidden"
            last = model.last_feedback()
            self.feedback.value = self._feedback_html(last) if last else ""
            self._score()
            self.savebar.refresh()
        finally:
            self._updating = False

    def _score(self) -> None:
        s = self.model.score()
        text = t("score", self.lang, **s)
        if s["answered"] == s["n"] and s["n"]:
            text += " · " + t("finished_retry" if self.model.retrying else "finished", self.lang)
        self.score.value = f'<p role="status">{esc(text)}</p>'

    def _feedback_html(self, fb) -> str:
        lang = self.lang
        colour = RESULT[{"correct": "good", "partial": "partial", "wrong": "poor"}[fb.result]]
        if fb.defensible:
            verdict = t("result_also", lang, ref=self.class_label(fb.reference))
        else:
            verdict = t("result_" + fb.result, lang)
        rationale = fb.rationale_da if lang == "da" or not fb.rationale_en else fb.rationale_en
        return (
            f'<div role="status" style="border-left:4px solid {colour};padding:4px 10px">'
            f"<p><b style='color:{colour}'>{esc(verdict)}</b> ({esc(t('answer', lang))}: {esc(self.class_label(fb.answer))})</p>"
            f"<p>{esc(t('reference_class', lang, ref=self.class_label(fb.reference), explicitness=t(self._explicitness_key(fb.explicitness), lang)))}</p>"
            f"<p>{esc(rationale)}</p>{self.section_label(fb.section, '<p><small>', '</small></p>')}</div>"
        )

    def _explicitness_key(self, explicitness: str) -> str:
        """Who says so: the article (the course's own data) or a lecturer's own case's source."""
        own = "" if self.corpus.key == ARTICLE_CORPUS_ID else "own_"
        return f"explicitness_{own}{explicitness}"

    def _on_mode(self, change) -> None:
        mode = change["new"]
        if mode is None:
            return
        classes = self.model.classes_for(mode)
        self.tool.options = [(self.class_label(c), c) for c in classes]
        self.tool.value = classes[0] if len(classes) == 1 else None
        self.tool.layout.visibility = "visible"

    def choose(self, cls: str) -> None:
        """Select an answer in the controls (what a click on the two questions does)."""
        self.mode.value = self.model.mode_of(cls)
        self.tool.value = cls

    def _on_answer(self, _=None) -> None:
        if self.tool.value is None:
            self.feedback.value = f'<span role="alert">{esc(t("choose_first", self.lang))}</span>'
            return
        fb = self.model.answer(self.tool.value)
        self._work_changed()
        self.feedback.value = self._feedback_html(fb)
        self._score()
        self.savebar.refresh()

    def _on_retry(self, _=None) -> None:
        if not self.model.retry_wrong():
            self.feedback.value = f"<p>{esc(t('nothing_to_retry', self.lang))}</p>"
            return
        self.refresh()
        self.feedback.value = f"<p>{esc(t('retry_round', self.lang))}</p>"

    def _on_all(self, _=None) -> None:
        self.model.set_case(case_of(self.case.value))
        self.refresh()

    def use_store(self, store: Store, brought: int = 0) -> None:
        case = self.model.case
        self.store = store
        self.model = MoveQuiz(self.corpus, self.store, case)
        self.model.resume()
        self.notice.value = self._load_notice(brought)
        self.refresh()

    # -- results -------------------------------------------------------------------------------
    def answers(self, attempt: str = "last"):
        return self.model.answers(attempt)

    def confusion_chart(self, attempt: str = "first"):
        from .charts import confusion_chart

        labels = {c: self.class_label(c) for c in self.model.classes}
        return confusion_chart(self.model.confusion(attempt), self.model.classes, labels, self.lang)
