"""Item 19: the dot-vote explorer never leaves a headless client waiting.

nbclient (as nbval and a website build run notebooks) executed notebook 05 in 125 s instead of 6 s
in 1 of 8 runs: a chart displayed inside an ipywidgets Output after clear_output(wait=True) left the
client waiting for its timeout (5 of 25 runs). The explorer now updates one chart widget in place.
This runs the explorer, with slider changes, many times under nbclient with a short timeout per
cell: in a few fresh kernels, each running the explorer cells several times (the stall came from
a cell's display, not from the kernel's start: 3 kernels x 4 rounds = 12 explorer runs with 36
slider changes, against 10 single runs in 10 kernels before, at a third of the time).
"""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

RUNS = 3  # fresh kernels
ROUNDS = 4  # explorer runs in each kernel
CELL_TIMEOUT = 20  # s: a stalled run waited ~120 s; a good one needs a few seconds


def explorer_notebook(rounds: int = ROUNDS):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import course\nimport course.dotvote\ncourse.setup()")]
    for r in range(rounds):
        nb.cells += [
            nbformat.v4.new_code_cell("e = course.dotvote.explorer(runs=5)\ne"),
            nbformat.v4.new_code_cell(f"for h in (3, 4, 6):\n    e.hours.value = h\ne.seed.value = {2 + r}"),
            nbformat.v4.new_code_cell("course.dotvote.explorer(runs=5)"),
        ]
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_explorer_runs_headless_without_stalling(tmp_path, run):
    nb = explorer_notebook()
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellTimeoutError if a cell waits longer than CELL_TIMEOUT
    outputs = [o for c in nb.cells for o in c.outputs]
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs) == 2 * ROUNDS
