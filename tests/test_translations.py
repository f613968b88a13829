"""The English track (docs/CONVENTIONS.md, "One source, two languages"): every English passage is
present and fresh, its solution markers match the Danish, its links resolve, its code is English.

A translation is *stale* when the Danish it was made from has changed since: each English passage
records ``da_sha``, a short hash of the Danish it translates, and the test names the file, the cell
and the Danish passage's first words when the hash no longer matches. After re-translating, the
translator sets ``da_sha`` anew (the generator never does). A source with no English at all yet
(its translation is pending on another branch) is skipped with its name.
"""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    """The generator is an authoring tool in materials/, not part of the student package."""
    spec = importlib.util.spec_from_file_location("course_generate", ROOT / "materials" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = load_generator()
SOURCES = sorted(p for kind in ("notebooks", "exercises", "guide") for p in (ROOT / "materials" / kind).glob("*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def translation_problems(path: Path) -> list[str]:
    """Every markdown cell has English, made from the current Danish, with the same solution markers."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        first = " ".join(cell.source.split())[:60]
        english = cell.metadata.get("en")
        if not english or not english.get("source") or "da_sha" not in english:
            problems.append(f"{rel(path)}, cell {index + 1}: no English for {first!r}")
            continue
        if english["da_sha"] != gen.da_sha(cell.source):
            problems.append(f"{rel(path)}, cell {index + 1}: the English is stale; the Danish has changed: {first!r}")
        for marker in (gen.BEGIN_MD, gen.END_MD):
            if cell.source.count(marker) != english["source"].count(marker):
                problems.append(f"{rel(path)}, cell {index + 1}: solution markers differ from the Danish ({first!r})")
        order = lambda text: re.findall(re.escape(gen.BEGIN_MD) + "|" + re.escape(gen.END_MD), text)  # noqa: E731
        if order(cell.source) != order(english["source"]):
            problems.append(f"{rel(path)}, cell {index + 1}: solution markers in another order ({first!r})")
    return problems


def translated(path: Path) -> bool:
    return gen.has_english(nbformat.read(path, as_version=4))


def pending(path: Path):
    if not translated(path):
        pytest.skip(f"{rel(path)}: English not written yet (no cell has metadata.en)")


def test_there_are_translated_sources():
    assert any(translated(p) for p in SOURCES), "no source under materials/ carries English yet"


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_every_passage_translated_and_fresh(path):
    pending(path)
    problems = translation_problems(path)
    assert not problems, "\n".join(problems)


def test_changed_danish_passage_is_named(tmp_path):
    """Change one Danish passage in a copy of a source: the check now fails and names it."""
    source = ROOT / "materials" / "notebooks" / "00_start.ipynb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    assert translation_problems(copy) == []
    nb = nbformat.read(copy, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Her gemmes"))
    nb.cells[index].source = nb.cells[index].source.replace("med det samme", "straks")
    nbformat.write(nb, copy)
    problems = translation_problems(copy)
    assert problems == [f"00_start.ipynb, cell {index + 1}: the English is stale; the Danish has changed: "
                        f"'## Her gemmes dit arbejde Når du koder et uddrag eller svare'"]


def english_outputs() -> list[Path]:
    return sorted(p for p in gen.targets() if "en" in p.relative_to(ROOT).parts)


def counterpart_pending(target: Path) -> bool:
    """An English file that the generator will make once its source's translation has arrived."""
    parts = target.relative_to(ROOT).parts
    if "en" not in parts:
        return False
    danish = ROOT.joinpath(*[p for p in parts if p != "en"])
    kind = {"notebooks": "notebooks", "exercises": "exercises", "solutions": "exercises", "docs": "guide"}.get(parts[0])
    stem = danish.stem
    source = ROOT / "materials" / (kind or "") / f"{stem}.ipynb"
    return danish.exists() and (not source.exists() or not translated(source))


@pytest.mark.parametrize("path", english_outputs(), ids=rel)
def test_english_links_resolve(path):
    text = path.read_text(encoding="utf-8")
    missing, waiting = [], []
    for target in LINK.findall(text):
        target = target.strip("<>").split("#")[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, mailto:, ...
            continue
        resolved = (path.parent / target).resolve()
        if resolved.exists():
            continue
        (waiting if resolved.is_relative_to(ROOT) and counterpart_pending(resolved) else missing).append(target)
    assert not missing, f"{rel(path)}: links to files that do not exist: {missing}"
    if waiting:
        print(f"{rel(path)}: links waiting for their translation: {waiting}")


@pytest.mark.parametrize("path", [p for p in english_outputs() if p.suffix == ".ipynb"], ids=rel)
def test_english_code_has_no_danish_switch(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert 'lang="da"' not in cell.source, f"{rel(path)}, cell {index + 1}: lang=\"da\" in English"
            assert "# da:" not in cell.source, f"{rel(path)}, cell {index + 1}: a Danish-only comment in English"
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert 'course.setup(lang="en")' in first.source, f"{rel(path)}: the first code cell sets up English"


def test_generator_fails_loudly_outside_a_checkout(tmp_path):
    # In this process (nbconvert is imported already: a fresh interpreter spent its time importing
    # it), the copy's own main() as `python generate.py --check` runs it: SystemExit with the text
    # Python prints to stderr, and so a non-zero exit.
    lone = tmp_path / "materials" / "generate.py"
    lone.parent.mkdir()
    shutil.copy(ROOT / "materials" / "generate.py", lone)
    spec = importlib.util.spec_from_file_location("course_generate_lone", lone)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.ROOT == tmp_path
    with pytest.raises(SystemExit) as exit_:
        module.main(["--check"])
    message = str(exit_.value.code)
    assert exit_.value.code not in (0, None)
    assert "authoring tool for a checkout" in message and "tasks.py generate" in message


def test_check_reports_an_orphaned_english_file(tmp_path):
    """An English file left behind after its source was removed counts as drift."""
    kept, stray = tmp_path / "notebooks" / "en" / "00_start.ipynb", tmp_path / "exercises" / "en" / "99_gone.ipynb"
    for path in (kept, stray):
        path.parent.mkdir(parents=True)
        path.write_text("{}", encoding="utf-8")
    assert gen.orphans({kept: "{}"}, tmp_path) == [stray]


def test_english_says_learning_goals_throughout():
    """One English name for the "Læringsmål" heading (the course had both "goals" and "objectives")."""
    found = [rel(path) for path in english_outputs()
             if re.search(r"learning objectives", path.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert not found, f"'Learning objectives' in {found}: the course says 'Learning goals'"
