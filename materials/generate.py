#!/usr/bin/env python3
"""Generate the course's Danish and English files from their ONE source each.

Sources (authors edit only these; format: docs/CONVENTIONS.md, "One source, two languages"):

* ``materials/notebooks/NN_name.ipynb`` -> ``notebooks/NN_name.ipynb`` and ``notebooks/en/NN_name.ipynb``
* ``materials/exercises/NN_name.ipynb`` -> ``exercises/``, ``solutions/``, ``exercises/en/``, ``solutions/en/``
* ``materials/guide/lecturer_guide.ipynb`` -> ``docs/lecturer_guide.md`` and ``docs/en/lecturer_guide.md``

Languages. A markdown cell's ``source`` is the Danish; ``metadata["en"] = {"source": <English>,
"da_sha": <first 12 hex of sha256 of the Danish>}`` is its English. Code cells are shared: the only
switch is the literal ``lang="da"``, which becomes ``lang="en"`` in English; a comment line
``# da: ...`` is kept (as ``# ...``) only in Danish, ``# en: ...`` only in English. A source with no
English at all yet is generated in Danish only (its translation is pending). The generator never
changes ``da_sha``: the staleness test (tests/test_translations.py) says when a translation is stale.

Solution markers in exercises, nbgrader-style:

* In a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are the
  worked answer. The exercise keeps only the block's ``# STUB:`` lines, uncommented (for example
  ``# STUB: answer = ...``), or a ``# DIT SVAR HER / YOUR ANSWER HERE`` line when there is none.
  The solution keeps the answer and drops the markers and stubs.
* In a markdown cell, the text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` is
  a model answer (with assessment criteria); the exercise shows an answer prompt instead.
* A cell tagged ``solution-only`` appears only in the solution, ``exercise-only`` only in the
  exercise.

Run ``python3 tasks.py generate`` (alias ``python3 tasks.py exercises``) after editing a source;
``--check`` exits 1 when a generated file has drifted from its source (the test suite runs it).
This is an authoring tool: it runs from a checkout of the course's repository, not from an
installed package.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor, Preprocessor

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("da", "en")
BEGIN_CODE, END_CODE = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_MD, END_MD = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
STUB = re.compile(r"^(\s*)# STUB: ?(.*)$")
LANG_COMMENT = re.compile(r"^(\s*)# (da|en): ?(.*)$")
DEFAULT_STUB = "# DIT SVAR HER / YOUR ANSWER HERE"
ANSWER_PROMPT = "✏️ *Skriv dit svar her (dobbeltklik på cellen). / Write your answer here (double-click the cell).*"
BANNER = {
    "da": "<!-- Genereret fra {src}; redigér kilden, ikke denne fil. / Generated from {src}; edit the source, not this file. -->",
    "en": "<!-- Generated from {src} by materials/generate.py; edit the source, not this file. -->",
}
KERNEL = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}


class SolutionError(ValueError):
    pass


class TranslationError(ValueError):
    pass


def da_sha(text: str) -> str:
    """The short hash an English passage records of the Danish it translates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def has_english(nb) -> bool:
    """True when the source has started its English track (any markdown cell carries English)."""
    return any(c.cell_type == "markdown" and "en" in c.get("metadata", {}) for c in nb.cells)


def _split_code(source: str, version: str, where: str) -> str:
    out: list[str] = []
    inside = False
    stubs: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_CODE:
            if inside:
                raise SolutionError(f"{where}: '{BEGIN_CODE}' inside another solution block.")
            inside, stubs = True, []
            indent = line[: len(line) - len(line.lstrip())]
            continue
        if stripped == END_CODE:
            if not inside:
                raise SolutionError(f"{where}: '{END_CODE}' without '{BEGIN_CODE}'.")
            inside = False
            if version == "exercise":
                out.extend(stubs or [indent + DEFAULT_STUB])
            continue
        if inside:
            match = STUB.match(line)
            if match:
                stubs.append(match.group(1) + match.group(2))
            elif version == "solution":
                out.append(line)
        else:
            out.append(line)
    if inside:
        raise SolutionError(f"{where}: '{BEGIN_CODE}' is never closed.")
    return "\n".join(out)


def _split_markdown(source: str, version: str, where: str) -> str:
    pattern = re.compile(re.escape(BEGIN_MD) + r"(.*?)" + re.escape(END_MD), re.S)
    if source.count(BEGIN_MD) != source.count(END_MD):
        raise SolutionError(f"{where}: unbalanced solution markers in a markdown cell.")
    if version == "solution":
        return pattern.sub(lambda m: m.group(1).strip("\n"), source)
    return pattern.sub(ANSWER_PROMPT, source)


def code_for(source: str, lang: str) -> str:
    """A shared code cell in one language: `# da:`/`# en:` comment lines filtered, lang="da" switched."""
    lines = []
    for line in source.splitlines():
        match = LANG_COMMENT.match(line)
        if match:
            if match.group(2) == lang:
                lines.append(f"{match.group(1)}# {match.group(3)}")
            continue
        lines.append(line)
    text = "\n".join(lines)
    return text.replace('lang="da"', f'lang="{lang}"') if lang != "da" else text


class LanguagePreprocessor(Preprocessor):
    """One language's version of a source: markdown from metadata.en in English, code shared."""

    def __init__(self, lang: str, source_name: str, **kw):
        super().__init__(**kw)
        if lang not in LANGS:
            raise ValueError(lang)
        self.lang, self.source_name = lang, source_name

    def preprocess(self, nb, resources):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                english = cell.metadata.pop("en", None)
                if self.lang == "en":
                    if not english or "source" not in english:
                        first = " ".join(cell.source.split())[:60]
                        raise TranslationError(f"{self.source_name}, cell {index + 1}: no English ({first!r}).")
                    cell.source = english["source"]
            elif cell.cell_type == "code":
                cell.source = code_for(cell.source, self.lang)
        return nb, resources


class SolutionPreprocessor(Preprocessor):
    """Turn a source notebook into its exercise or its solution version."""

    def __init__(self, version: str, source_name: str, **kw):
        super().__init__(**kw)
        if version not in ("exercise", "solution"):
            raise ValueError(version)
        self.version = version
        self.source_name = source_name

    def preprocess(self, nb, resources):
        keep = []
        drop_tag = "exercise-only" if self.version == "solution" else "solution-only"
        for index, cell in enumerate(nb.cells):
            tags = cell.get("metadata", {}).get("tags", [])
            if drop_tag in tags:
                continue
            where = f"{self.source_name}, cell {index + 1}"
            if cell.cell_type == "code":
                cell.source = _split_code(cell.source, self.version, where)
            elif cell.cell_type == "markdown":
                cell.source = _split_markdown(cell.source, self.version, where)
            if not [t for t in tags if t not in ("solution-only", "exercise-only")]:
                cell.metadata.pop("tags", None)
            keep.append(cell)
        nb.cells = keep
        return nb, resources


class BannerPreprocessor(Preprocessor):
    """Put the 'generated from its source' banner first."""

    def __init__(self, lang: str, source_rel: str, **kw):
        super().__init__(**kw)
        self.text = BANNER[lang].format(src=source_rel)

    def preprocess(self, nb, resources):
        nb.cells = [nbformat.v4.new_markdown_cell(self.text), *nb.cells]
        return nb, resources


def _source_rel(source: Path, kind: str) -> str:
    try:
        return source.resolve().relative_to(ROOT).as_posix()
    except ValueError:  # a source outside the checkout (the generator's tests)
        return f"materials/{kind}/{source.name}"


def render_notebook(source: Path, lang: str = "da", version: str | None = None) -> str:
    """The generated notebook's text: `version` None for a course notebook, else exercise/solution."""
    nb = nbformat.read(source, as_version=4)
    resources: dict = {}
    steps = [ClearOutputPreprocessor(), LanguagePreprocessor(lang, source.name),
             ClearMetadataPreprocessor(preserve_cell_metadata_mask={"tags"})]
    if version:
        steps.append(SolutionPreprocessor(version, source.name))
    steps.append(BannerPreprocessor(lang, _source_rel(source, "exercises" if version else "notebooks")))
    for pre in steps:
        nb, resources = pre.preprocess(nb, resources)
    for cell in nb.cells:
        cell.pop("id", None)
    nb.metadata = nbformat.from_dict(KERNEL)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nbformat.writes(nb) + "\n"


def render(source: Path, version: str, lang: str = "da") -> str:
    """An exercise notebook's exercise or solution version (kept for the generator's tests)."""
    return render_notebook(source, lang, version)


def render_guide(source: Path, lang: str = "da") -> str:
    """The lecturer's guide as markdown: its cells joined by blank lines, banner first."""
    nb = nbformat.read(source, as_version=4)
    nb, _ = LanguagePreprocessor(lang, source.name).preprocess(nb, {})
    parts = [c.source.strip("\n") for c in nb.cells if c.cell_type == "markdown"]
    return BANNER[lang].format(src=_source_rel(source, "guide")) + "\n\n" + "\n\n".join(parts) + "\n"


def check_checkout(root: Path = ROOT) -> None:
    """Refuse loudly to run anywhere but in a checkout of the course (e.g. from an installed wheel)."""
    missing = [p for p in ("tasks.py", "course/__init__.py", "materials") if not (root / p).exists()]
    if missing:
        raise SystemExit(f"materials/generate.py is an authoring tool for a checkout of the course; "
                         f"{root} lacks {', '.join(missing)}. Clone the repository and run "
                         f"`python3 tasks.py generate` there.")


def sources(root: Path = ROOT) -> dict[str, list[Path]]:
    return {kind: sorted((root / "materials" / kind).glob("*.ipynb")) for kind in ("notebooks", "exercises", "guide")}


def targets(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    out: dict[Path, str] = {}
    found = sources(root)
    for source in found["notebooks"]:
        english = has_english(nbformat.read(source, as_version=4))
        for lang in LANGS if english else ("da",):
            sub = "en" if lang == "en" else ""
            out[root / "notebooks" / sub / source.name] = render_notebook(source, lang)
    for source in found["exercises"]:
        english = has_english(nbformat.read(source, as_version=4))
        for lang in LANGS if english else ("da",):
            sub = "en" if lang == "en" else ""
            out[root / "exercises" / sub / source.name] = render_notebook(source, lang, "exercise")
            out[root / "solutions" / sub / source.name] = render_notebook(source, lang, "solution")
    for source in found["guide"]:
        english = has_english(nbformat.read(source, as_version=4))
        for lang in LANGS if english else ("da",):
            sub = "en" if lang == "en" else ""
            out[root / "docs" / sub / f"{source.stem}.md"] = render_guide(source, lang)
    return out


def orphans(wanted: dict[Path, str], root: Path = ROOT) -> list[Path]:
    """Generated-looking English files whose source is gone (English exists only as generated)."""
    english: list[Path] = []
    for folder in ("notebooks", "exercises", "solutions"):
        english.extend((root / folder / "en").glob("*.ipynb"))
    english.extend((root / "docs" / "en").glob("*.md"))
    return sorted(p for p in english if p not in wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file drifted from its source")
    args = parser.parse_args(argv)
    check_checkout()
    wanted = targets()
    if not wanted:
        raise SystemExit(f"no sources found under {ROOT / 'materials'}")
    if args.check:
        drifted = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in drifted:
            print(f"out of date: {path.relative_to(ROOT)} (run `python3 tasks.py generate`)")
        stray = orphans(wanted)
        for path in stray:
            print(f"no source: {path.relative_to(ROOT)} (delete it or add its source under materials/)")
        return 1 if drifted or stray else 0
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
