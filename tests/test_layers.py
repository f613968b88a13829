"""Nothing below the widgets imports ipywidgets (issue 11): the models, the store, the vocabulary,
the catalogue, the student report and the class view's loading, analysis, pseudonyms, simulator and
HTML (everything but the ClassView widget) work in a Python without it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODELS = ["course.data", "course.store", "course.i18n", "course.vocab", "course.limits", "course.coding",
          "course.moves", "course.agreement", "course.profile", "course.compare", "course.timeline",
          "course.fieldwork", "course.handin", "course.selfcheck", "course.report", "course.pseudonyms",
          "course.class_load", "course.class_analysis", "course.class_sim", "course.classroom", "course.export"]

SCRIPT = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("ipywidgets", "anywidget"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
import importlib, tempfile
from pathlib import Path
for name in {MODELS!r}:
    importlib.import_module(name)
from course import classroom, compare, report
report.student_results(student=None, folder=Path(tempfile.mkdtemp()))
assert compare.student_results is report.student_results  # the old name still works
# The class view below its widget: a class simulated, loaded, analysed, rendered and exported.
sim = classroom.simulate_class(n_students=3, folder=tempfile.mkdtemp())
data = classroom.load_class(sim.folder)
classroom.alpha_table(data), classroom.heatmap_data(data), classroom.render_html(data)
from course import export
export.project_bytes(data, hide_names=True)
print("ok")
"""


def test_the_models_import_and_run_without_ipywidgets():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]
