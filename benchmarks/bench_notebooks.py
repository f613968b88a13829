"""Benchmark: each course notebook against its floor, under nbclient and under nbval (figures, not a test).

    .venv/bin/python benchmarks/bench_notebooks.py                    # every notebook, 3 rounds
    .venv/bin/python benchmarks/bench_notebooks.py --repeat 5 --only lecturer,05
    .venv/bin/python benchmarks/bench_notebooks.py --no-nbval         # nbclient only

floor = a one-cell notebook that imports the course and runs ``course.setup()`` (what every course
notebook's first cell does). Each measurement is a whole process (a fresh kernel), the course
notebook and the floor in turn (A, B, A, B ...), so that a busy machine slows both alike; the
figure is the median of ``--repeat`` rounds. nbclient: the notebook executed as Run All does;
nbval: `pytest --nbval-lax` on it (as `python3 tasks.py test` runs the notebooks).
Lines start with "notebooks" (benchmarks/bench.py reads them). Targets (issue 15): nbclient <= 1.15x
in total and no notebook above 1.3x; nbval <= 1.35x.
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

FLOOR = {
    "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": "import course\ncourse.setup()"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 4,
}

NBCLIENT = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return elapsed


def nbclient_cmd(path: Path) -> list[str]:
    return [PY, "-c", NBCLIENT, str(path), str(path.parent)]


def nbval_cmd(path: Path) -> list[str]:
    return [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
            "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
            "--rootdir", str(ROOT), "-o", "testpaths=", str(path)]


def pair(course_nb: Path, floor_nb: Path, make, repeat: int, env: dict) -> tuple[float, float]:
    ours, floor = [], []
    for _ in range(repeat):
        ours.append(timed(make(course_nb), env))
        floor.append(timed(make(floor_nb), env))
    return statistics.median(ours), statistics.median(floor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per notebook (median); default 3")
    parser.add_argument("--only", default="", help="comma-separated parts of notebook names (e.g. lecturer,05)")
    parser.add_argument("--no-nbval", action="store_true", help="only nbclient")
    parser.add_argument("--folder", default="notebooks", help="folder of the notebooks (default notebooks)")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / args.folder).glob("*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if any(part in p.name for part in args.only.split(","))]
    runners = [("nbclient", nbclient_cmd)] + ([] if args.no_nbval else [("nbval", nbval_cmd)])
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        env = dict(os.environ, SAMSKABELSE_WORK_DIR=str(Path(tmp) / "work"), PYTHONHASHSEED="0")
        env.pop("SAMSKABELSE_STATIC", None)
        floor_nb = Path(tmp) / "floor.ipynb"  # imports the installed course (or PYTHONPATH's)
        floor_nb.write_text(json.dumps(FLOOR), encoding="utf-8")
        try:
            for name, make in runners:
                timed(make(floor_nb), env)  # warm the disk cache and bytecode once
                total_ours = total_floor = 0.0
                worst = (0.0, "")
                for nb in notebooks:
                    ours, floor = pair(nb, floor_nb, make, args.repeat, env)
                    total_ours, total_floor = total_ours + ours, total_floor + floor
                    worst = max(worst, (ours / floor, nb.stem))
                    print(f"notebooks {name} {nb.stem}: {ours:.2f} s vs floor {floor:.2f} s; "
                          f"ratio {ours / floor:.2f}", flush=True)
                target = "<= 1.15, none > 1.3" if name == "nbclient" else "<= 1.35"
                print(f"notebooks {name} total ({len(notebooks)} notebooks, median of {args.repeat}): "
                      f"{total_ours:.1f} s vs floor {total_floor:.1f} s; ratio {total_ours / total_floor:.2f} "
                      f"(target {target}); highest {worst[1]} {worst[0]:.2f}", flush=True)
        finally:
            floor_nb.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
