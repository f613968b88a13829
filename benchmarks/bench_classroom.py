"""The class view at scale, beside its floor (issue 15): load + all tables + heatmap vs parsing the files.

Run: ``.venv/bin/python benchmarks/bench_classroom.py [--students 3000,300] [--runs 5]``.

It writes a simulated class of real save files per size to a temporary folder
(:func:`course.classroom.simulate_class`, the broken files included), then runs, in turn, whole
processes of

* **course**: ``load_class(folder)``, the projector HTML (``render_html``: alpha per code and
  overall, the disputed excerpts, the moves most often wrong, the skipped files), the heatmap
  (its data and Vega-Lite spec, without Altair's schema validation, which costs the same for any
  class size), and the codings and students tables;
* **floor**: reading every file and parsing it with the store's reader
  (:func:`course.store.parse_bytes`, which the class view must call for each file anyway),
  keeping the documents. For reference: the same with the garbage collector off (the class view
  turns it off while it loads; the floor as Python runs it by default spends a third of its time
  there at 3,000 students), and with a bare ``json.loads``.

Both processes import ``course`` and Altair and load the corpus before the clock starts (a
lecturer's kernel has them after ``course.setup()``). Time is the work's wall time, memory the process's peak resident set; the figures are
medians over ``--runs`` A/B pairs (the machine may be loaded). Lines start with ``class view`` so
``benchmarks/bench.py`` can run this as a subprocess and pass them on. ``--detail`` adds the older
in-process split (files → tables, bytes → tables, tables only, chart, REFI-QDA export).

Not a test: timings depend on the machine. Goal (issue 15): ratios <= 1.2 at 3,000 students, and
the time per student growing from 300 to 3,000 no faster than the floor's (linear).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def tables(cl, data) -> None:
    cl.students_table(data)
    cl.skipped_table(data)
    cl.codings_table(data)
    cl.alpha_table(data)
    cl.alpha_overall(data)
    cl.disagreement_table(data)
    cl.heatmap_data(data)
    cl.moves_wrong(data)


def child(mode: str, folder: str) -> None:
    """One measured process: prints {"seconds": ..., "peak_mib": ..., "gc_seconds": ...}."""
    import gc

    import altair  # noqa: F401 -- course.setup(), the first cell of every notebook, has imported it

    from course import classroom as cl
    from course import load_corpus
    from course.store import parse_bytes

    corpus = load_corpus()
    in_gc = [0.0, 0.0]

    def clock(phase, info):  # time spent in the garbage collector
        if phase == "start":
            in_gc[1] = time.perf_counter()
        else:
            in_gc[0] += time.perf_counter() - in_gc[1]

    gc.callbacks.append(clock)
    start = time.perf_counter()
    if mode == "course":
        data = cl.load_class(folder, corpus)
        cl.render_html(data)  # alpha per code (band) and overall, disagreement, moves, skipped files
        cl.heatmap_chart(data).to_dict(validate=False)  # the heatmap's data and spec
        cl.codings_table(data)
        cl.students_table(data)
    else:
        if mode == "nogc":
            gc.disable()
        docs = []
        for path in sorted(Path(folder).iterdir()):
            raw = path.read_bytes()
            try:
                docs.append(json.loads(raw) if mode == "json" else parse_bytes(raw, path.name))
            except Exception:  # noqa: BLE001 -- the broken files of the simulated class
                pass
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib(), "gc_seconds": in_gc[0]}))


def peak_mib() -> float:
    """This process's peak resident memory. VmHWM, not ``ru_maxrss``: Linux carries ru_maxrss over
    from the parent across fork and exec, so a child would report at least its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_child(mode: str, folder: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--folder", folder],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int, runs: int, seed: int) -> dict[str, dict[str, float]]:
    from course import classroom as cl
    from course import load_corpus

    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        cl.simulate_class(load_corpus(), n, seed=seed, folder=folder)
        found: dict[str, list[dict[str, float]]] = {"course": [], "floor": [], "nogc": [], "json": []}
        for _ in range(runs):  # A/B in turn
            for mode in found:
                found[mode].append(run_child(mode, folder))
    return {mode: {key: statistics.median(r[key] for r in results) for key in ("seconds", "peak_mib", "gc_seconds")}
            for mode, results in found.items()}


def detail(n: int, runs: int, seed: int) -> None:
    from course import classroom as cl
    from course import export, load_corpus

    def median_time(func) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    corpus = load_corpus()
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        cl.simulate_class(corpus, n, seed=seed, folder=folder)
        in_memory = [(p.name, p.read_bytes()) for p in sorted(Path(folder).glob("*.json"))]
        data = cl.load_class(folder, corpus)
        tables(cl, data)
        results = {
            "files → tables": median_time(lambda: tables(cl, cl.load_class(folder, corpus))),
            "bytes → tables": median_time(lambda: tables(cl, cl.load_class(in_memory, corpus))),
            "tables only": median_time(lambda: tables(cl, data)),
            "chart": median_time(lambda: cl.heatmap_chart(data).to_dict()),
            "REFI-QDA export": median_time(lambda: export.project_bytes(data, corpus)),
        }
    for name, seconds in results.items():
        print(f"class view detail, {n:,} students: {name:<16} {seconds:6.3f} s")


def main(argv: list[str] | None = None) -> dict[int, dict[str, dict[str, float]]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="3000,300", help="class sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--child", choices=("course", "floor", "nogc", "json"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.folder)
        return {}
    sizes = [int(n) for n in args.students.split(",") if n.strip()]
    out = {}
    for n in sizes:
        r = out[n] = measure(n, args.runs, args.seed)
        c, f, g, j = r["course"], r["floor"], r["nogc"], r["json"]
        print(f"class view, {n:,} students: {c['seconds']:.2f} s vs floor {f['seconds']:.2f} s; "
              f"ratio {c['seconds'] / f['seconds']:.2f} (target <= 1.2)", flush=True)
        print(f"class view memory, {n:,} students: {c['peak_mib']:.0f} MiB vs floor {f['peak_mib']:.0f} MiB; "
              f"ratio {c['peak_mib'] / f['peak_mib']:.2f} (target <= 1.2)", flush=True)
        print(f"class view, {n:,} students, for reference: garbage collection {c['gc_seconds']:.2f} s in the "
              f"course, {f['gc_seconds']:.2f} s in the floor; the floor without it {g['seconds']:.2f} s "
              f"(course ratio {c['seconds'] / g['seconds']:.2f}); bare json.loads {j['seconds']:.2f} s, "
              f"{j['peak_mib']:.0f} MiB (medians of {args.runs} runs, A/B in turn)", flush=True)
        if args.detail:
            detail(n, args.runs, args.seed)
    if len(sizes) > 1:
        big, small = max(sizes), min(sizes)
        per = {(mode, n): out[n][mode]["seconds"] / n for n in (big, small) for mode in ("course", "floor")}
        grow = {mode: per[mode, big] / per[mode, small] for mode in ("course", "floor")}
        print(f"class view linearity: {per['course', big] * 1000:.2f} ms per student at {big:,} vs "
              f"{per['course', small] * 1000:.2f} ms at {small:,}, x{grow['course']:.2f}; the floor's "
              f"x{grow['floor']:.2f}; ratio {grow['course'] / grow['floor']:.2f} (linear like the floor: <= 1)")
    return out


if __name__ == "__main__":
    main()
