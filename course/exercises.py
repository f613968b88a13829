"""Make exercises/ and solutions/ from ONE source notebook each (materials/exercises/*.ipynb).

Markers, nbgrader-style:

* In a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are the
  worked answer. The exercise keeps only the block's ``# STUB:`` lines, uncommented (for example
  ``# STUB: answer = ...``), or a ``# DIT SVAR HER / YOUR ANSWER HERE`` line when there is none.
  The solution keeps the answer and drops the markers and stubs.
* In a markdown cell, the text between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` is
  a model answer (with assessment criteria); the exercise shows an answer prompt instead.
* A cell tagged ``solution-only`` appears only in the solution, ``exercise-only`` only in the
  exercise.

Run ``python tasks.py exercises`` (or ``python -m course.exercises``) after editing a source;
``python -m course.exercises --check`` exits 1 when the generated notebooks have drifted from their
sources, and the test suite runs that check.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, ClearOutputPreprocessor, Preprocessor

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "materials" / "exercises"
BEGIN_CODE, END_CODE = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_MD, END_MD = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
STUB = re.compile(r"^(\s*)# STUB: ?(.*)$")
DEFAULT_STUB = "# DIT SVAR HER / YOUR ANSWER HERE"
ANSWER_PROMPT = "✏️ *Skriv dit svar her (dobbeltklik på cellen). / Write your answer here (double-click the cell).*"
BANNER = {
    "exercise": "<!-- Genereret fra {src}; redigér kilden, ikke denne fil. / Generated from {src}; edit the source, not this file. -->",
    "solution": "<!-- Genereret fra {src}; redigér kilden, ikke denne fil. / Generated from {src}; edit the source, not this file. -->",
}


class SolutionError(ValueError):
    pass


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
            cell.metadata.pop("tags", None) if not [t for t in tags if t not in ("solution-only", "exercise-only")] else None
            keep.append(cell)
        banner = nbformat.v4.new_markdown_cell(BANNER[self.version].format(src=f"materials/exercises/{self.source_name}"))
        nb.cells = [banner, *keep]
        return nb, resources


def render(source: Path, version: str) -> str:
    nb = nbformat.read(source, as_version=4)
    resources: dict = {}
    for pre in (ClearOutputPreprocessor(), ClearMetadataPreprocessor(preserve_cell_metadata_mask={"tags"}),
                SolutionPreprocessor(version, source.name)):
        nb, resources = pre.preprocess(nb, resources)
    for cell in nb.cells:
        cell.pop("id", None)
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nbformat.writes(nb) + "\n"


def targets(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    out = {}
    for source in sorted((root / "materials" / "exercises").glob("*.ipynb")):
        out[root / "exercises" / source.name] = render(source, "exercise")
        out[root / "solutions" / source.name] = render(source, "solution")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the generated notebooks drifted")
    args = parser.parse_args(argv)
    wanted = targets()
    if args.check:
        drifted = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in drifted:
            print(f"out of date: {path.relative_to(ROOT)} (run `python tasks.py exercises`)")
        return 1 if drifted else 0
    for path, text in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
