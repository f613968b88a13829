"""Benchmark: every figure of issue 15 beside its floor, from one run. Prints figures; never a timed test.

    python tasks.py bench                      # everything (about 10 minutes on 2 cores)
    python tasks.py bench --only tick,import   # some of it
    python tasks.py bench --list               # the parts and what each measures

Each line starts with the figure's name, gives the course's figure, its floor, the ratio and the
goal. A part whose script another branch writes says "not available" until that script exists.

  import      `import course` vs `import pandas` (fresh interpreters, medians)        goal ~1.0
  notebooks   benchmarks/bench_notebooks.py: notebooks under nbclient and nbval vs a
              one-cell import+setup floor notebook each      goal nbclient <= 1.15 (each <= 1.3), nbval <= 1.35
  chart       benchmarks/bench_first_chart.py --browser-only: Run All until the first chart is
              drawn in JupyterLab + Chromium (only when Chromium is there)           goal < 2 s
  tick        benchmarks/bench_tick.py: a checkbox tick in a real kernel, autosave included, vs a
              hand-written atomic write (tmp + os.replace)     goal median <= 2 ms, p95 <= 3 ms
  classview   benchmarks/bench_classroom.py --students 3000: lines starting "class view"
                                                               goal time and memory <= 1.2x parse-only
  env         benchmarks/bench_env.py: the runtime environment vs jupyterlab+ipywidgets+pandas+altair
                                                               goal <= 1.1
  suite       `pytest -m "not browser and not site and not hub"` (the README's command without the
              browser, site and hub tests) vs nbval over as many floor notebooks as the suite runs
              notebooks (each a one-cell import+setup notebook): what the suite costs beyond running
              that many notebooks at all                      goal <= 1.5
  widgets     (not in the default run) the widgets' actions in plain Python, no kernel
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
    print(f"widgets: coding action (tick a code, autosave): median {ms(statistics.median(times))}, p95 {ms(pct(times, .95))}  [n={repeat}]")
    nav = []
    for _ in range(repeat // 2):
        start = time.perf_counter()
        coder.next_button.click() if coder.model.index < len(coder.model.ids) - 1 else coder.model.go(0)
        nav.append(time.perf_counter() - start)
    print(f"widgets: coding navigation (next excerpt, redraw):  median {ms(statistics.median(nav))}, p95 {ms(pct(nav, .95))}")
    clf = MoveClassifier(student="bench")
    refs = clf.corpus.moves.set_index("id")["reference_class"]
    answers = []
    for i in range(repeat):
        clf.model.go(i % len(clf.model.ids))
        clf.choose(refs[clf.model.move_id])
        start = time.perf_counter()
        clf.answer_button.click()
        answers.append(time.perf_counter() - start)
    print(f"widgets: move answer (judge, feedback, autosave):   median {ms(statistics.median(answers))}, p95 {ms(pct(answers, .95))}")
    for i, excerpt in enumerate(coder.model.ids):  # code everything once for a full summary
        coder.model.set_codes([codes[i % len(codes)]], excerpt)
    summary = []
    for _ in range(20):
        start = time.perf_counter()
        coder.summary()
        chart = coder.agreement_chart()
        chart.to_dict()
        summary.append(time.perf_counter() - start)
    print(f"widgets: summary + agreement chart, full corpus:    median {ms(statistics.median(summary))}, p95 {ms(pct(summary, .95))}")


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
    print(f"import: import course {ours:.2f} s vs floor import pandas {floor:.2f} s (interpreter {bare:.2f} s); "
          f"ratio {ours / floor:.2f}, over the dependency {(ours - floor) * 1000:.0f} ms (goal ~1.0)")


FLOOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import pandas, altair, ipywidgets\nimport course\ncourse.setup()"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 4,
}
NBVAL = ["--nbval-lax", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
SUITE_MARKERS = "not browser and not site and not hub"


def script(name: str, prefix: str, args: list[str], timeout: float = 3600, what: str = "") -> list[str] | None:
    """Run benchmarks/<name> and print its lines that start with ``prefix``; None when it is not there."""
    path = ROOT / "benchmarks" / name
    if not path.exists():
        print(f"{prefix}: not available (benchmarks/{name} is not in this tree{what})")
        return None
    proc = subprocess.run([PY, str(path), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(prefix)]
    for line in lines:
        print(line)
    if proc.returncode or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"{prefix}: benchmarks/{name} exited {proc.returncode} with no '{prefix}' figure: {' | '.join(tail)}")
    return lines


def bench_notebooks() -> None:
    script("bench_notebooks.py", "notebooks", [], what="; goal nbclient <= 1.15x, each <= 1.3x, nbval <= 1.35x")


def bench_chart() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from tests.browser.conftest import find_chromium

        chromium = find_chromium()
    except Exception:  # noqa: BLE001 -- no Playwright or no Chromium: the figure is not available
        chromium = None
    if not chromium:
        print("first chart: not available (no Chromium for Playwright on this machine; goal < 2 s)")
        return
    proc = subprocess.run([PY, str(ROOT / "benchmarks" / "bench_first_chart.py"), "--browser-only"],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    found = False
    for line in proc.stdout.splitlines():
        if line.startswith("Run All ->"):
            print(f"first chart: {line}")
            if "first chart drawn" in line:
                seconds = float(line.split("median", 1)[1].split()[0])
                print(f"first chart: Run All -> first chart drawn {seconds:.2f} s vs goal 2 s; "
                      f"ratio to the goal {seconds / 2:.2f} (goal < 2 s on a warm machine)")
                found = True
    if not found:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"first chart: benchmarks/bench_first_chart.py gave no figure (exit {proc.returncode}): {' | '.join(tail)}")


def bench_tick() -> None:
    script("bench_tick.py", "tick", [])


def bench_classview() -> None:
    lines = script("bench_classroom.py", "class view", ["--students", "3000"])
    if lines == []:
        print("class view: not available (bench_classroom.py does not print 'class view' figures yet; "
              "goal <= 1.2x its parse-only floor in time and memory)")


def bench_env() -> None:
    script("bench_env.py", "environment", [], what="; goal <= 1.1x jupyterlab+ipywidgets+pandas+altair")


def suite_notebooks() -> list[Path]:
    """The notebooks the suite runs under nbval (its testpaths), checkpoints aside."""
    found = []
    for folder in ("notebooks", "exercises", "solutions"):
        found += [p for p in sorted((ROOT / folder).rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
    return found


def suite_commands(floor_dir: Path, count: int) -> tuple[list[str], list[str]]:
    """The suite's command and its floor's: nbval over ``count`` floor notebooks (written here)."""
    floors = []
    for i in range(count):
        path = floor_dir / f"floor_{i:02d}.ipynb"
        path.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
        floors.append(str(path))
    base = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NBVAL]
    suite = [*base, "-m", SUITE_MARKERS]
    floor = [*base, "--rootdir", str(ROOT), "-o", "testpaths=", *floors]
    return suite, floor


def bench_suite() -> None:
    count = len(suite_notebooks())
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        suite, floor = suite_commands(Path(tmp), count)
        env = dict(os.environ, SAMSKABELSE_WORK_DIR=tempfile.mkdtemp(prefix="bench-suite-work-"))

        def run(command):
            start = time.perf_counter()
            proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            summary = (proc.stdout.strip().splitlines() or [""])[-1]
            return time.perf_counter() - start, proc.returncode, summary
        floor_s, floor_code, _ = run(floor)
        ours, code, summary = run(suite)
    state = "" if code == 0 else f"  [the suite FAILED: {summary}]"
    print(f"suite: pytest -m \"{SUITE_MARKERS}\" {ours:.0f} s ({summary}) vs floor nbval over {count} "
          f"one-cell import+setup notebooks {floor_s:.0f} s; ratio {ours / floor_s:.2f} (goal <= 1.5){state}"
          + ("" if floor_code == 0 else "  [the floor run failed]"))


PARTS = {"import": bench_import, "notebooks": bench_notebooks, "chart": bench_chart, "tick": bench_tick,
         "classview": bench_classview, "env": bench_env, "suite": bench_suite}
EXTRA = {"widgets": bench_widgets}  # not in the default run
ALIASES = {"classroom": "classview", "environment": "env", "first_chart": "chart", "tests": "suite"}


def parts(only: str | None) -> list[str]:
    """The parts to run: all of issue 15's by default; unknown names are an error."""
    if not only:
        return list(PARTS)
    names = [ALIASES.get(n.strip(), n.strip()) for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in PARTS and n not in EXTRA]
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join([*PARTS, *EXTRA])}")
    return names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated parts: " + ", ".join([*PARTS, *EXTRA]))
    parser.add_argument("--list", action="store_true", help="print the parts and stop")
    args = parser.parse_args(argv)
    if args.list:
        print(__doc__)
        return
    for name in parts(args.only):
        {**PARTS, **EXTRA}[name]()


if __name__ == "__main__":
    main()
