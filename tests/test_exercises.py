"""The exercise generator: one source, two versions, markers handled, mistakes refused."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "materials" / "generate.py"


def load_generator():
    """The generator is an authoring tool in materials/, not part of the student package."""
    spec = importlib.util.spec_from_file_location("course_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ex = load_generator()


def make_source(tmp_path):
    nb = nbformat.v4.new_notebook()
    solution_md = nbformat.v4.new_markdown_cell(
        "**Opgave.** Forklar.\n\n<!-- BEGIN SOLUTION -->\nModelsvar: fordi.\n<!-- END SOLUTION -->")
    solution_code = nbformat.v4.new_code_cell(
        "import course\ncourse.setup()\n### BEGIN SOLUTION\n# STUB: answer = ...\nanswer = 42\n### END SOLUTION\nprint(answer)")
    only_solution = nbformat.v4.new_code_cell("assert answer == 42")
    only_solution.metadata["tags"] = ["solution-only"]
    only_exercise = nbformat.v4.new_markdown_cell("Tip: se afsnittet.")
    only_exercise.metadata["tags"] = ["exercise-only"]
    no_stub = nbformat.v4.new_code_cell("    ### BEGIN SOLUTION\n    x = 1\n    ### END SOLUTION")
    solution_code.outputs = [nbformat.v4.new_output("stream", text="42\n")]
    solution_code.execution_count = 3
    nb.cells = [solution_code, solution_md, only_solution, only_exercise, no_stub]
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_exercise_version(tmp_path):
    nb = nbformat.reads(ex.render(make_source(tmp_path), "exercise"), as_version=4)
    sources = [c.source for c in nb.cells]
    assert "Genereret fra materials/exercises/01_demo.ipynb" in sources[0]
    assert sources[1] == "import course\ncourse.setup()\nanswer = ...\nprint(answer)"
    assert "Modelsvar" not in sources[2] and "Skriv dit svar her" in sources[2]
    assert not any("assert answer" in s for s in sources)
    assert "Tip: se afsnittet." in sources
    assert sources[-1] == "    " + ex.DEFAULT_STUB
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_solution_version(tmp_path):
    nb = nbformat.reads(ex.render(make_source(tmp_path), "solution"), as_version=4)
    sources = [c.source for c in nb.cells]
    assert sources[1] == "import course\ncourse.setup()\nanswer = 42\nprint(answer)"
    assert "Modelsvar: fordi." in sources[2] and "BEGIN SOLUTION" not in sources[2]
    assert "assert answer == 42" in sources and "Tip: se afsnittet." not in sources


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION\nx = 1",
    "x = 1\n### END SOLUTION",
    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
])
def test_broken_markers_are_refused(source):
    with pytest.raises(ex.SolutionError):
        ex._split_code(source, "exercise", "demo, cell 1")


def test_unbalanced_markdown_markers_refused():
    with pytest.raises(ex.SolutionError):
        ex._split_markdown("<!-- BEGIN SOLUTION --> svar", "exercise", "demo, cell 2")
