"""Small browser-side pieces the widgets need that ipywidgets lacks, as tiny anywidgets.

* :class:`DownloadButton` — one button that, when pressed, asks the kernel for the current bytes
  (the save file as it is *now*) and hands them to the browser as a download (a Blob and a
  temporary ``<a download>``). Nothing goes over the network beyond the kernel's own connection,
  so it works offline and on Binder.
* :class:`UploadButton` — a labelled button that opens the file picker and sends the chosen files'
  bytes to the kernel; it shows no "(0)" counter. ``.files`` holds what was received.
* :class:`PageMarker` — marks the widget it sits in as Danish (or English) for screen readers
  (``lang="da"``) and carries the course's widget CSS: a visible focus ring and colours with enough
  contrast (the pairs are listed in :data:`COLOURS` and checked by the tests).

Each is a plain Python object in the tests: ``DownloadButton.click()`` returns what a press
delivers; ``UploadButton.receive(name, data)`` is what a chosen file does.
"""
from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

#: Colours the widgets set themselves, as (foreground, background) pairs with what they are.
#: The focus ring is drawn 2px outside the element (outline-offset), so it always lies on the page's
#: white, whichever the button's own colour.
#: ``text`` pairs need 4.5:1 (WCAG 1.4.3), ``ui`` pairs (focus ring, borders that carry meaning)
#: 3:1 (WCAG 1.4.11). tests/test_widgets.py computes every pair.
WHITE = "#FFFFFF"
BUTTON_GREY = "#EEEEEE"  # JupyterLab's default button background (--jp-layout-color2, light theme)
FOCUS = "#1F4E8C"
PRIMARY = "#1F5A99"
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"
RESULT = {"good": "#1E7A2E", "partial": "#8A6A00", "poor": "#B8321A"}
QUOTE_BORDER = "#4477AA"
CARD_BORDER = {"excerpt": "#4477AA", "move": "#AA3377"}

COLOURS: list[tuple[str, str, str, str]] = [
    # (kind, foreground, background, what)
    ("text", WHITE, PRIMARY, "primary button (Sammenlign, Svar, Hent): white on blue"),
    ("text", TEXT, BUTTON_GREY, "ordinary button text"),
    ("text", TEXT, WHITE, "widget text"),
    ("text", MUTED, WHITE, "small print (where the work is saved)"),
    ("text", RESULT["good"], WHITE, "result word: agreement / right"),
    ("text", RESULT["partial"], WHITE, "result word: partial"),
    ("text", RESULT["poor"], WHITE, "result word: little agreement / wrong"),
    ("ui", FOCUS, WHITE, "focus ring on the page"),
    ("ui", FOCUS, BUTTON_GREY, "focus ring around an ordinary button"),
    ("ui", RESULT["good"], WHITE, "border of a good result"),
    ("ui", RESULT["partial"], WHITE, "border of a partial result"),
    ("ui", RESULT["poor"], WHITE, "border of a poor result"),
    ("ui", QUOTE_BORDER, WHITE, "border of a quotation and an excerpt card"),
    ("ui", CARD_BORDER["move"], WHITE, "border of a move card"),
]


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


CSS = f"""
.course-widget :focus-visible, .course-widget summary:focus-visible {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px !important;
}}
.course-widget .jupyter-button:focus-visible, .course-widget .course-file-button:focus-visible {{
  box-shadow: 0 0 0 2px {WHITE} !important;
}}
.course-widget .jupyter-button.course-primary, .course-widget .course-file-button {{
  background-color: {PRIMARY} !important; color: {WHITE} !important;
}}
.course-widget .course-file-button {{
  border: 0; border-radius: 2px; padding: 0 12px; height: var(--jp-widgets-inline-height, 28px);
  font-size: var(--jp-widgets-font-size, 13px); cursor: pointer; margin: 2px;
}}
.course-widget .course-file-button[disabled] {{ opacity: .6; cursor: default; }}
.course-widget summary {{ cursor: pointer; }}
.course-widget .course-small {{ color: {MUTED}; }}
.course-widget details.course-translation > summary {{ color: {TEXT}; font-weight: 600; padding: 4px 0; }}
"""

_MARKER_ESM = """
function render({ model, el }) {
  const apply = () => {
    const host = el.closest('.course-widget') || el.closest('.jp-OutputArea-output') || el.parentElement;
    if (host) host.setAttribute('lang', model.get('lang'));
  };
  // ipywidgets' sliders are divs with role="slider" and no accessible name: give each the text
  // of its own label (axe: aria-input-field-name).
  const nameSliders = (host) => {
    host.querySelectorAll('.widget-slider, .jupyter-widget-slider').forEach((box) => {
      const label = box.querySelector('.widget-label, label');
      const text = label && label.textContent.trim();
      box.querySelectorAll('[role="slider"]').forEach((handle) => {
        if (text && !handle.getAttribute('aria-label')) handle.setAttribute('aria-label', text);
      });
    });
  };
  let observer = null;
  const attach = () => {
    apply();
    const host = el.closest('.course-widget');
    if (host) {
      nameSliders(host);
      if (!observer) {
        observer = new MutationObserver(() => nameSliders(host));
        observer.observe(host, { childList: true, subtree: true });
      }
    }
  };
  // The marker is drawn before it is placed in its widget (and, far down a long notebook, well
  // before JupyterLab attaches the cell): try until the widget is found, then observe it.
  attach();
  let tries = 0;
  const timer = setInterval(() => {
    tries += 1;
    attach();
    if (observer || tries > 600) clearInterval(timer);  // found, or given up after 5 minutes
  }, 500);
  model.on('change:lang', apply);
  el.style.display = 'none';
  return () => { clearInterval(timer); if (observer) observer.disconnect(); };
}
export default { render };
"""

#: The labelled button both file widgets draw (its text, title and aria-label follow the model);
#: ``also`` runs at every relabelling.
_FILE_BUTTON_JS = """
function fileButton(model, arrow, also) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'course-file-button';
  const label = () => {
    button.textContent = arrow + ' ' + model.get('label');
    button.title = model.get('hint');
    button.setAttribute('aria-label', model.get('label'));
    if (also) also();
  };
  label();
  model.on('change:label', label);
  model.on('change:hint', label);
  return button;
}
"""

_DOWNLOAD_ESM = _FILE_BUTTON_JS + """
function render({ model, el }) {
  const button = fileButton(model, '⬇');
  let pending = null;
  button.addEventListener('click', () => {
    pending = Math.random().toString(36).slice(2);
    model.send({ type: 'download', request: pending });
  });
  model.on('msg:custom', (msg, buffers) => {
    if (!msg || msg.type !== 'file' || msg.request !== pending) return;
    pending = null;
    const blob = new Blob(buffers, { type: msg.mime || 'application/octet-stream' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = msg.filename;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  });
  el.appendChild(button);
}
export default { render };
"""

_UPLOAD_ESM = _FILE_BUTTON_JS + """
function render({ model, el }) {
  const input = document.createElement('input');
  input.type = 'file';
  input.hidden = true;
  input.tabIndex = -1;
  input.setAttribute('aria-hidden', 'true');
  const button = fileButton(model, '⬆', () => {
    input.accept = model.get('accept');
    input.multiple = model.get('multiple');
  });
  button.addEventListener('click', () => { input.value = ''; input.click(); });
  input.addEventListener('change', async () => {
    const files = Array.from(input.files || []);
    const limit = model.get('max_bytes');
    const batch = Math.random().toString(36).slice(2);
    model.send({ type: 'start', batch, count: files.length });
    for (const file of files) {
      if (limit && file.size > limit) {  // refused in the kernel by its size, without its bytes
        model.send({ type: 'file', batch, name: file.name, size: file.size, too_large: true });
        continue;
      }
      const data = await file.arrayBuffer();
      model.send({ type: 'file', batch, name: file.name, size: file.size }, undefined, [data]);
    }
    model.send({ type: 'end', batch });
  });
  el.appendChild(button);
  el.appendChild(input);
}
export default { render };
"""


class PageMarker(anywidget.AnyWidget):
    """Invisible: sets ``lang`` on the course widget it sits in, and brings the course's CSS."""

    _esm = _MARKER_ESM
    _css = CSS
    lang = traitlets.Unicode("da").tag(sync=True)


class DownloadButton(anywidget.AnyWidget):
    """A button that downloads ``payload()`` — a (filename, bytes) pair made at the moment of the press."""

    _esm = _DOWNLOAD_ESM
    _css = CSS
    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)  # the title; not 'tooltip', which ipywidgets' view reads with a description

    def __init__(self, payload: Callable[[], tuple[str, bytes]], mime: str = "application/json", **kwargs):
        super().__init__(**kwargs)
        self._payload = payload
        self.mime = mime
        self.delivered: tuple[str, bytes] | None = None
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "download":
            self.click(content.get("request"))

    def click(self, request: str | None = None) -> tuple[str, bytes]:
        """What a press does: make the file now and send it to the browser; returns (name, bytes)."""
        filename, data = self._payload()
        self.delivered = (filename, bytes(data))
        self.send({"type": "file", "request": request, "filename": filename, "mime": self.mime},
                  buffers=[bytes(data)])
        return self.delivered


class UploadButton(anywidget.AnyWidget):
    """A button that opens the file picker; each chosen file goes to ``on_file(name, bytes | None, size)``.

    ``bytes`` is None for a file larger than ``max_bytes`` (the browser does not send it).
    ``.files`` keeps the last batch as FileUpload-like dicts (name, size, content).
    """

    _esm = _UPLOAD_ESM
    _css = CSS
    label = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)  # the title; not 'tooltip', which ipywidgets' view reads with a description
    accept = traitlets.Unicode(".json,application/json").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    max_bytes = traitlets.Int(0).tag(sync=True)
    #: the number of files in the last complete batch (observe it to act once per batch)
    batches = traitlets.Int(0)

    def __init__(self, on_file: Callable[[str, bytes | None, int], None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self._on_file = on_file
        self.files: list[dict] = []
        self._batch: str | None = None
        self.on_msg(self._on_message)

    def _on_message(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "start":
            self._batch, self.files = content.get("batch"), []
        elif kind == "file" and content.get("batch") == self._batch:
            data = None if content.get("too_large") or not buffers else bytes(buffers[0])
            self.receive(str(content.get("name", "upload")), data, int(content.get("size") or 0))
        elif kind == "end" and content.get("batch") == self._batch:
            self.batches += 1

    def receive(self, name: str, data: bytes | None, size: int | None = None) -> None:
        """What choosing a file does (also for tests): keep it and hand it on."""
        size = len(data) if size is None and data is not None else (size or 0)
        if data is not None:
            self.files.append({"name": name, "size": size, "content": memoryview(data)})
        if self._on_file is not None:
            self._on_file(name, data, size)

    def clear(self) -> None:
        self.files = []
