"""Benchmark: prints figures; never a timed test.

    python tasks.py bench              # everything
    python tasks.py bench --only widgets,import

Figures:
  (a) notebooks: running every course notebook against the floor (as many notebooks that only
      import pandas, Altair and ipywidgets and run course.setup()), as a ratio (target <= 1.3)
  (b) widgets: median and 95th percentile of a coding action, a move answer, and building the
      summary + chart on the full corpus, through the widgets (autosave included; target <= 5 ms)
  (c) import: `import course` against importing its dependencies (pandas) alone, as a ratio
  (d) class view: 300 students x 60 excerpts x 12 codes (when course.classroom exists)
  (e) environment: size of .venv against a bare JupyterLab + ipywidgets + pandas + Altair + nbval
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def bench_widgets(repeat: int = 200) -> None:
    os.environ["SAMSKABELSE_WORK_DIR"] = tempfile.mkdtemp(prefix="bench-work-")
    import course
    from course.widgets import ExcerptCoder, MoveClassifier

    course.setup()
    coder = ExcerptCoder(student="bench")
    codes = list(coder.boxes)
    times = []
    for i in range(repeat):
        coder.model.go(i % len(coder.model.ids))
        box = coder.boxes[codes[i % len(codes)]]
        start = time.perf_counter()
        box.value = not box.value
        times.append(time.perf_counter() - start)
    print(f"(b) coding action (tick a code, autosave): median {ms(statistics.median(times))}, p95 {ms(pct(times, .95))}  [n={repeat}]")
    nav = []
    for _ in range(repeat // 2):
        start = time.perf_counter()
        coder.next_button.click() if coder.model.index < len(coder.model.ids) - 1 else coder.model.go(0)
        nav.append(time.perf_counter() - start)
    print(f"(b) coding navigation (next excerpt, redraw):  median {ms(statistics.median(nav))}, p95 {ms(pct(nav, .95))}")
    clf = MoveClassifier(student="bench")
    refs = clf.corpus.moves.set_index("id")["reference_class"]
    answers = []
    for i in range(repeat):
        clf.model.go(i % len(clf.model.ids))
        clf.choose(refs[clf.model.move_id])
        start = time.perf_counter()
        clf.answer_button.click()
        answers.append(time.perf_counter() - start)
    print(f"(b) move answer (judge, feedback, autosave):   median {ms(statistics.median(answers))}, p95 {ms(pct(answers, .95))}")
    for i, excerpt in enumerate(coder.model.ids):  # code everything once for a full summary
        coder.model.set_codes([codes[i % len(codes)]], excerpt)
    summary = []
    for _ in range(20):
        start = time.perf_counter()
        coder.summary()
        chart = coder.agreement_chart()
        chart.to_dict()
        summary.append(time.perf_counter() - start)
    print(f"(b) summary + agreement chart, full corpus:    median {ms(statistics.median(summary))}, p95 {ms(pct(summary, .95))}")


def bench_import(repeat: int = 5) -> None:
    def run(code):
        out = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([PY, "-c", code], check=True, cwd=tempfile.gettempdir())
            out.append(time.perf_counter() - start)
        return statistics.median(out)
    floor = run("import pandas")
    ours = run("import course")
    bare = run("pass")
    print(f"(c) import course: {ours:.2f} s vs import pandas {floor:.2f} s (interpreter {bare:.2f} s); "
          f"ratio {ours / floor:.2f}, over the dependency {(ours - floor) * 1000:.0f} ms")


FLOOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import pandas, altair, ipywidgets\nimport course\ncourse.setup()"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 4,
}


def bench_notebooks() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        floors = []
        for i in range(len(notebooks)):
            path = Path(tmp) / f"floor_{i}.ipynb"
            path.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
            floors.append(str(path))
        env = dict(os.environ, SAMSKABELSE_WORK_DIR=tempfile.mkdtemp(prefix="bench-nb-"))

        def run(paths):
            start = time.perf_counter()
            subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
                            "--rootdir", str(ROOT), "-o", "testpaths=", *paths],
                           cwd=ROOT, env=env, check=True, capture_output=True)
            return time.perf_counter() - start
        ours = run([str(p) for p in notebooks])
        floor = run(floors)
    print(f"(a) {len(notebooks)} course notebooks: {ours:.1f} s vs floor {floor:.1f} s; ratio {ours / floor:.2f} (target <= 1.3)")


def bench_classroom() -> None:
    try:
        from benchmarks import bench_classroom  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(ROOT))
        try:
            import benchmarks.bench_classroom as bench_classroom  # noqa: F811
        except ImportError:
            print("(d) class view: course.classroom is not there yet")
            return
    bench_classroom.main([])


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def bench_env() -> None:
    venv = Path(sys.prefix)
    ours = dir_size(venv)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare"
        subprocess.run([PY, "-m", "venv", str(bare)], check=True)
        pins = {"jupyterlab", "ipywidgets", "pandas", "altair", "nbval"}
        deps = [d for d in _pins() if d.split("==")[0].lower() in pins]
        subprocess.run([str(bare / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *deps],
                       check=True, capture_output=True)
        floor = dir_size(bare)
    print(f"(e) environment: {ours / 1e6:.0f} MB vs bare {floor / 1e6:.0f} MB; ratio {ours / floor:.2f} "
          "(.venv includes the test tools; Binder installs only the runtime set)")


def _pins():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"] + project["optional-dependencies"]["test"]


PARTS = {"widgets": bench_widgets, "import": bench_import, "notebooks": bench_notebooks,
         "classroom": bench_classroom, "env": bench_env}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(PARTS))
    args = parser.parse_args()
    for name in args.only.split(","):
        PARTS[name.strip()]()


if __name__ == "__main__":
    main()
