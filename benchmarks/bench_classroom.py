"""How long the class view takes for a large class: 300 students × the course's excerpts × 12 codes.

Run: ``.venv/bin/python benchmarks/bench_classroom.py [--students 300] [--runs 5]``.

It writes a simulated class of real save files to a temporary folder (course.classroom
.simulate_class, the broken files included), then reports the median of a few runs of

* ``files → tables``: reading and validating every file, plus every table the class view shows
  (codings, alpha per code, disagreement, heatmap data, moves most often wrong);
* ``bytes → tables``: the same from files already in memory (as after an upload);
* ``tables only``: the analysis on a loaded class;
* ``chart``: building the heatmap's Vega-Lite spec;
* ``REFI-QDA export``: the whole class as a .qdpx.

Not a test: timings depend on the machine. The target is about a second for ``files → tables``.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from course import classroom as cl  # noqa: E402
from course import export, load_corpus  # noqa: E402


def tables(data: cl.ClassData) -> None:
    cl.codings_table(data)
    cl.alpha_table(data)
    cl.alpha_overall(data)
    cl.disagreement_table(data)
    cl.heatmap_data(data)
    cl.moves_wrong(data)


def median_time(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    corpus = load_corpus()
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        start = time.perf_counter()
        sim = cl.simulate_class(corpus, args.students, seed=args.seed, folder=folder)
        simulate = time.perf_counter() - start
        files = sorted(Path(folder).glob("*.json"))
        in_memory = [(p.name, p.read_bytes()) for p in files]
        size = sum(len(raw) for _, raw in in_memory)
        data = cl.load_class(folder, corpus)
        tables(data)  # warm up imports and caches
        cl.heatmap_chart(data).to_dict()
        results = {
            "files → tables": median_time(lambda: tables(cl.load_class(folder, corpus)), args.runs),
            "bytes → tables": median_time(lambda: tables(cl.load_class(in_memory, corpus)), args.runs),
            "tables only": median_time(lambda: tables(data), args.runs),
            "chart": median_time(lambda: cl.heatmap_chart(data).to_dict(), args.runs),
            "REFI-QDA export": median_time(lambda: export.project_bytes(data, corpus), args.runs),
        }
    print(f"Class: {data.n_students} students × {len(data.excerpts)} excerpts × {len(data.codes)} codes; "
          f"{len(files)} files ({size / 1e6:.1f} MB), {len(sim.broken)} broken and skipped "
          f"({len(data.skipped)} reported).")
    print(f"Simulating the class took {simulate:.2f} s (once).")
    print(f"Median of {args.runs} runs:")
    for name, seconds in results.items():
        print(f"  {name:<18} {seconds:6.3f} s")
    return results


if __name__ == "__main__":
    main()
