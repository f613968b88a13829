"""Build the course's website: ``python3 tasks.py site`` (runs this file in the course's .venv).

    python3 tasks.py site                  # build into _site/ (Danish at _site/da/)
    python3 tasks.py site --out DIR        # somewhere else
    python3 -m http.server -d _site        # preview at http://127.0.0.1:8000/

Layout: one Sphinx build per language, ``_site/<lang>/``, and ``_site/index.html`` leads to the
languages. Each language's sources are laid out in ``_site_build/src/<lang>/`` at the same paths as
in the repository (so the notebooks' links between each other, to ``../exercises/`` and to
``../data/README.md`` work unchanged), together with the pages generated from the data (codebook,
timeline and fieldwork). The English track joins by adding an entry to ``LANGUAGES``.

Notebooks are executed by MyST-NB with ``SAMSKABELSE_STATIC=1`` (charts as SVG, widgets as a
box with launch links, see ``course/static.py``) and cached in ``_site_build/cache/<hash>`` (MyST-NB
keys the cache by the code cells; the hash of ``course/`` and ``data/`` names the folder, so a
change there runs the notebooks again): the second build reuses the outputs. Sphinx warnings are
errors.
"""
from __future__ import annotations

import argparse
import filecmp
import hashlib
import html
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "_site"
WORK = ROOT / "_site_build"

#: Per language: repository files copied into the source tree (glob patterns, repository paths kept)
#: and the folder with the language's own pages (start page, licences).
LANGUAGES: dict[str, dict] = {
    "da": {
        "name": "Dansk",
        "pages": "site/da",
        "files": ["notebooks/*.ipynb", "docs/lecturer_guide.md", "data/README.md", "exercises/*.ipynb",
                  "LICENSE", "LICENSE-content.md"],
    },
    "en": {
        "name": "English",
        "pages": "site/en",
        "files": ["notebooks/en/*.ipynb", "docs/en/lecturer_guide.md", "data/README.md", "exercises/en/*.ipynb",
                  "LICENSE", "LICENSE-content.md"],
        # Links in the English guide to files the English site does not have: the Danish guide (the
        # language switch leads there) and a solution notebook (not on the site, as in Danish).
        "rewrite": {"docs/en/lecturer_guide.md": [
            ("[Danish version](../lecturer_guide.md)", "Danish version: the language switch at the top of the page"),
            ("[`solutions/en/06_cross_case_discussion.ipynb`](../../solutions/en/06_cross_case_discussion.ipynb)",
             "`solutions/en/06_cross_case_discussion.ipynb`"),
        ]},
    },
}

#: Where a language keeps its copy of a course file (repository paths without the suffix): the
#: Danish at the top, the English in an ``en/`` folder. Pages of ``site/<lang>/`` and the generated
#: pages have the same name in both languages.
LANGUAGE_FOLDERS = {"da": "", "en": "en/"}
_COUNTERPART_DIRS = ("notebooks/", "exercises/", "docs/")


def docnames(lang: str) -> set[str]:
    """The pages (Sphinx docnames) a language's site has, from the repository."""
    spec = LANGUAGES[lang]
    names = {str(path.relative_to(ROOT).with_suffix("")) for pattern in spec["files"]
             for path in ROOT.glob(pattern) if path.suffix in (".md", ".ipynb")}
    pages = ROOT / spec["pages"]
    names |= {str(path.relative_to(pages).with_suffix("")) for path in pages.rglob("*.md")}
    names |= {Path(name).stem for name in GENERATED} | {"search", "genindex"}
    return names - {"LICENSE-content"}


def counterpart(docname: str, lang: str, other: str) -> str:
    """The page of ``other`` that corresponds to ``docname`` of ``lang``: the same notebook, exercise
    or document in the other language, else the other language's start page."""
    name = docname
    for folder in _COUNTERPART_DIRS:
        if docname.startswith(folder + LANGUAGE_FOLDERS[lang]):
            name = folder + LANGUAGE_FOLDERS[other] + docname[len(folder + LANGUAGE_FOLDERS[lang]):]
            break
    return name if name in docnames(other) else "index"


def _write(path: Path, text: str) -> None:
    """Write only when the text changed (Sphinx rebuilds what changed, by modification time)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def stage(lang: str, src: Path) -> list[Path]:
    """Lay out the sources of ``lang`` in ``src``; return the files written or kept."""
    spec = LANGUAGES[lang]
    wanted: dict[Path, Path] = {}
    for pattern in spec["files"]:
        for path in sorted(ROOT.glob(pattern)):
            wanted[src / path.relative_to(ROOT)] = path
    pages = ROOT / spec["pages"]
    for path in sorted(pages.rglob("*")):
        if path.is_file():
            wanted[src / path.relative_to(pages)] = path
    rewrites = spec.get("rewrite", {})
    for target, origin in wanted.items():
        key = str(origin.relative_to(ROOT))
        if key in rewrites:
            text = origin.read_text(encoding="utf-8")
            for before, after in rewrites[key]:
                if before not in text:
                    raise RuntimeError(f"{key}: the text to rewrite for the site is gone: {before!r}")
                text = text.replace(before, after)
            _write(target, text)
        elif not (target.exists() and filecmp.cmp(target, origin, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    generated = generate_pages(lang, src)
    keep = set(wanted) | set(generated)
    for path in sorted(src.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sorted(keep)


# --- pages generated from the data ------------------------------------------------------------

def _static_env() -> None:
    os.environ["SAMSKABELSE_STATIC"] = "1"


GENERATED = ("codebook.md", "timeline.md")


def _inputs_stamp(*, with_builder: bool = True) -> str:
    """A hash of what the outputs are made from: the data, the course package (and this file)."""
    digest = hashlib.sha256()
    files = [*ROOT.glob("data/*.csv"), *ROOT.glob("course/**/*.py")] + ([Path(__file__)] if with_builder else [])
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generate_pages(lang: str, src: Path) -> list[Path]:
    """The codebook and the timeline/fieldwork pages, made from data/*.csv at every build.

    Skipped when neither the data nor the course package changed since the last build (making the
    charts costs seconds: Altair and vl-convert load).
    """
    paths = [src / name for name in GENERATED]
    stamp_file = src.parent / f".generated-{lang}"
    stamp = _inputs_stamp()
    if all(p.exists() for p in paths) and stamp_file.exists() and stamp_file.read_text() == stamp:
        return paths
    sys.path.insert(0, str(ROOT))
    import course
    from course import i18n

    i18n.set_language(lang)
    corpus = course.load_corpus()
    _write(paths[0], codebook_page(corpus, lang))
    _write(paths[1], timeline_page(corpus, lang))
    stamp_file.write_text(stamp)
    return paths


TEXT = {
    "da": {
        "codebook": "Kodebog",
        "codebook_intro": (
            "Kursets kodebog med alle {n} koder i {g} grupper, som widgetten til kodning af uddrag bruger. "
            "Siden laves ud fra `data/codebook.csv`, hver gang sitet bygges, og er beregnet til at blive "
            "udskrevet: hver kodegruppe begynder på en ny side. Definitionerne og eksemplernes kodning er "
            "kursets læsning af artiklen og kan diskuteres."),
        "definition": "Definition", "use": "Hvornår koden bruges", "dont": "Hvornår koden ikke bruges",
        "example": "Eksempel", "code": "Kode",
        "timeline": "Tidslinje og feltarbejde",
        "timeline_intro": (
            "Begivenhederne i de to cases i artiklens rækkefølge og det feltarbejde, artiklen bygger "
            "på. Siden laves ud fra `data/timeline.csv` og `data/fieldwork.csv`, hver gang sitet bygges. "
            "Ledelsesformen for hver begivenhed er kursets læsning af artiklen."),
        "fieldwork": "Feltarbejdet", "events": "Begivenheder", "no": "nr.", "when": "hvornår",
        "event": "begivenhed", "mode": "ledelsesform", "type": "type", "alt": "Alt-tekst",
    },
    "en": {
        "codebook": "Codebook",
        "codebook_intro": (
            "The course's codebook, all {n} codes in {g} groups, as used by the excerpt-coding widget. "
            "The page is made from `data/codebook.csv` at every build and is meant to be printed: each "
            "code group starts on a new page. Definitions and the examples' coding are the course's "
            "reading of the article, open to discussion."),
        "definition": "Definition", "use": "When to use", "dont": "When not to use",
        "example": "Example", "code": "Code",
        "timeline": "Timeline and fieldwork",
        "timeline_intro": (
            "The events of the two cases in the article's order and the fieldwork the article builds on, "
            "made from `data/timeline.csv` and `data/fieldwork.csv` at every build. The leadership mode "
            "of each event is the course's reading of the article."),
        "fieldwork": "The fieldwork", "events": "Events", "no": "no.", "when": "when",
        "event": "event", "mode": "leadership", "type": "type", "alt": "Alt text",
    },
}


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _field(row: dict, name: str, lang: str) -> str:
    return row.get(f"{name}_{lang}") or row.get(f"{name}_da") or ""


def codebook_page(corpus, lang: str) -> str:
    from course import compare, display
    from course.data import CODE_GROUPS

    t = TEXT[lang]
    book = corpus.codebook
    groups = [g for g in CODE_GROUPS if (book["group"] == g).any()]
    out = [f"# {t['codebook']}", "", t["codebook_intro"].format(n=len(book), g=len(groups)), "",
           '<div class="course-codebook-marker"></div>', ""]
    for group in groups:
        out += [f"## {compare.group_label(group, lang)}", ""]
        for row in book[book["group"] == group].to_dict("records"):
            out += [f"### {_field(row, 'label', lang)}", ""]
            example = ""
            if row.get("example_excerpt"):
                example = display.quote(row["example_excerpt"], lang=lang, corpus=corpus)._repr_html_()
            body = (
                f'<div class="course-code">'
                f'<p class="course-code-id">{_e(t["code"])}: <code>{_e(row["id"])}</code> · {_e(_field(row, "brief", lang))}</p>'
                f'<p><strong>{_e(t["definition"])}.</strong> {_e(_field(row, "definition", lang))}</p>'
                f'<p><strong>{_e(t["use"])}.</strong> {_e(_field(row, "use_when", lang))}</p>'
                f'<p><strong>{_e(t["dont"])}.</strong> {_e(_field(row, "dont_use_when", lang))}</p>'
                + (f'<div class="course-code-example"><p><strong>{_e(t["example"])}.</strong></p>{example}</div>'
                   if example else "")
                + "</div>")
            out += [body.replace("\n", " "), ""]
    return "\n".join(out)


def _chart(chart, alt_label: str) -> str:
    from course import static
    from course.charts import alt_text

    return static.svg_html(chart) + f'\n<p class="course-alt"><small>{_e(alt_label)}: {_e(alt_text(chart))}</small></p>'


def timeline_page(corpus, lang: str) -> str:
    from course import fieldwork, timeline

    t = TEXT[lang]
    out = [f"# {t['timeline']}", "", t["timeline_intro"], ""]
    for case in ("police", "workshop"):
        rows = corpus.cases[corpus.cases["id"] == case].to_dict("records")
        if not rows:
            continue
        label = _field(rows[0], "label", lang)
        table = timeline.timeline_table(corpus, case, lang)
        out += [f"## {label}", "", _chart(timeline.timeline_chart(corpus, case, lang), t["alt"]).replace("\n", " "), ""]
        cells = "".join(
            f"<tr><td>{_e(r.order)}</td><td>{_e(r.when)}</td><td>{_e(r.event)}</td><td>{_e(r.leadership_label)}</td></tr>"
            for r in table.itertuples())
        out += [f'<div class="course-table"><table class="table"><caption>{_e(t["events"])}: {_e(label)}</caption>'
                f'<thead><tr><th scope="col">{_e(t["no"])}</th><th scope="col">{_e(t["when"])}</th>'
                f'<th scope="col">{_e(t["event"])}</th><th scope="col">{_e(t["mode"])}</th></tr></thead>'
                f"<tbody>{cells}</tbody></table></div>", ""]
    out += [f"## {t['fieldwork']}", ""]
    for chart in (fieldwork.fieldwork_by_type(corpus, lang), fieldwork.fieldwork_timeline(corpus, lang)):
        out += [_chart(chart, t["alt"]).replace("\n", " "), ""]
    counts = fieldwork.fieldwork_counts(corpus)
    head = "".join(f'<th scope="col">{_e(fieldwork.type_label(c, lang))}</th>' for c in counts.columns)
    labels = dict(zip(corpus.cases["id"], corpus.cases[f"label_{lang}"].where(corpus.cases[f"label_{lang}"] != "",
                                                                               corpus.cases["label_da"])))
    body = "".join(f'<tr><th scope="row">{_e(labels.get(case, case))}</th>'
                   + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for case, row in counts.iterrows())
    out += [f'<div class="course-table"><table class="table"><caption>{_e(t["fieldwork"])}</caption>'
            f'<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table></div>', ""]
    return "\n".join(out)


# --- the build ---------------------------------------------------------------------------------

def language_page(langs: list[str]) -> str:
    first = langs[0]
    links = "".join(f'<li><a href="{lang}/index.html" lang="{lang}">{_e(LANGUAGES[lang]["name"])}</a></li>'
                    for lang in langs)
    title = "Ledelse af samskabelse med borgere i udsatte positioner"
    return (f'<!DOCTYPE html>\n<html lang="{first}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="refresh" content="0; url={first}/index.html">'
            f"<title>{_e(title)}</title></head><body><main><h1>{_e(title)}</h1>"
            f'<nav aria-label="Sprog / Language"><ul>{links}</ul></nav></main></body></html>\n')


def notebook_cache(work: Path) -> tuple[Path, bool]:
    """The execution cache for the present course package and data, and whether it is new (no
    build with it has finished yet).

    MyST-NB's cache is keyed by a notebook's code cells only; the outputs also depend on
    ``course/`` and ``data/``, so each state of those gets a cache of its own (older ones go).
    """
    base = work / "cache"
    cache = base / _inputs_stamp(with_builder=False)[:16]
    new = not (cache / ".built").exists()
    if base.exists():
        for old in base.iterdir():
            if old != cache:
                shutil.rmtree(old, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    return cache, new


def sphinx(lang: str, src: Path, html_dir: Path, doctrees: Path, cache: Path, quiet: bool,
           fresh: bool = False, langs: list[str] | None = None) -> int:
    env = dict(os.environ)
    env.update(SAMSKABELSE_SITE_LANG=lang, SAMSKABELSE_STATIC="1", SAMSKABELSE_SITE_CACHE=str(cache),
               # the languages of this build: each page links to its counterpart in the others
               SAMSKABELSE_SITE_LANGS=",".join(langs or [lang]),
               # the widgets' save folder during the build: never a student's real work folder
               SAMSKABELSE_WORK_DIR=str(WORK / "work"), PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", str(HERE),
            "-d", str(doctrees), str(src), str(html_dir)]
    if quiet:
        args.insert(3, "-q")
    if fresh:  # the notebooks' outputs changed although their sources did not: read everything again
        args.insert(3, "-E")
    print("+", " ".join(args), flush=True)
    return subprocess.call(args, env=env, cwd=ROOT)


def build(out: Path = OUT, work: Path = WORK, langs: list[str] | None = None, quiet: bool = False) -> Path:
    """Build every language into ``out``; raise RuntimeError when Sphinx fails (warnings included)."""
    langs = langs or list(LANGUAGES)
    _static_env()
    out = Path(out)
    cache, fresh = notebook_cache(work)
    for lang in langs:
        started = time.perf_counter()
        src = work / "src" / lang
        stage(lang, src)
        html_dir = work / "html" / lang
        code = sphinx(lang, src, html_dir, work / "doctrees" / lang, cache, quiet, fresh, langs)
        if code:
            raise RuntimeError(f"Sphinx failed for '{lang}' (exit {code}); see the messages above.")
        target = out / lang
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(html_dir, target, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
        print(f"Built {target} in {time.perf_counter() - started:.1f} s", flush=True)
    (cache / ".built").write_text("")
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(language_page(langs), encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve _static/ as it is
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the course's website.")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: _site)")
    parser.add_argument("--lang", action="append", choices=sorted(LANGUAGES), help="only this language")
    parser.add_argument("-q", "--quiet", action="store_true")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        out = build(options.out, langs=options.lang, quiet=options.quiet)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"The site is in {out} ({time.perf_counter() - started:.1f} s). "
          f"Preview: python3 -m http.server -d {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
