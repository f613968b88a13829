"""Benchmark: where the first chart's time goes after Run All. Prints figures; never a timed test.

    .venv/bin/python benchmarks/bench_first_chart.py            # kernel side, 3 fresh kernels
    .venv/bin/python benchmarks/bench_first_chart.py --browser  # also Run All in JupyterLab + Chromium

Kernel side (a fresh kernel per run, warm disk cache, the vega bundle already in ~/.cache):
  kernel ready       starting the kernel until it answers
  setup cell         `import course; course.setup()`, split into its parts, each measured in a
                     fresh interpreter: pandas, altair (with and without jsonschema's optional
                     rfc3987_syntax, which the course now skips), anywidget, the offline bundle
  chart cell         building a chart and its widget until the kernel has sent the display
Browser (--browser): Run All on a two-cell notebook (setup + a bar chart) in JupyterLab until the
chart's marks are in the page; the kernel is started (and warm) before Run All, as for a student
who opens a notebook and then runs it.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

SETUP = "import course\ncourse.setup()"
CHART = ("import altair as alt, pandas as pd\n"
         "chart = alt.Chart(pd.DataFrame({'case': ['politi', 'workshop'], 'n': [30, 32]})).mark_bar()"
         ".encode(x='n:Q', y='case:N').properties(description='Søjlediagram')\nchart")

PARTS = {
    "import pandas": "import pandas",
    "import altair (as before: with rfc3987_syntax)": "import altair",
    "import altair (as the course does now)": "from course.charts import import_altair; import_altair()",
    "import anywidget + ipywidgets": "import anywidget, ipywidgets",
    "import course": "import course",
    "course.setup() (everything)": "import course; course.setup()",
}


def fresh(code: str) -> float:
    """Seconds a fresh interpreter needs for ``code`` (interpreter start-up subtracted)."""
    def run(source):
        start = time.perf_counter()
        subprocess.run([PY, "-c", source], check=True, cwd=ROOT)
        return time.perf_counter() - start
    return run(code) - run("pass")


def kernel_side(runs: int) -> None:
    from jupyter_client.manager import start_new_kernel

    ready, setup, chart = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT))
        try:
            ready.append(time.perf_counter() - start)
            for code, bucket in ((SETUP, setup), (CHART, chart)):
                t0 = time.perf_counter()
                reply = client.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", reply["content"]
                bucket.append(time.perf_counter() - t0)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    print(f"kernel ready            median {statistics.median(ready):.2f} s  (runs: {', '.join(f'{v:.2f}' for v in ready)})")
    print(f"setup cell              median {statistics.median(setup):.2f} s  (runs: {', '.join(f'{v:.2f}' for v in setup)})")
    print(f"first chart cell        median {statistics.median(chart):.2f} s  (runs: {', '.join(f'{v:.2f}' for v in chart)})")
    print(f"setup + first chart     median {statistics.median(a + b for a, b in zip(setup, chart)):.2f} s (kernel side)")


def parts(runs: int) -> None:
    for name, code in PARTS.items():
        values = [fresh(code) for _ in range(runs)]
        print(f"  {name:<48} median {statistics.median(values):.2f} s")


def browser(runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    import tempfile

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, find_chromium
    from tests.browser.helpers import Lab, LabServer

    base = Path(tempfile.mkdtemp(prefix="bench-chart-"))
    server = LabServer(base)
    server.prepare()
    server.start()
    figures = []
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True)
            for k in range(runs):
                context = chromium.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                lab = Lab(server, context, page, base)
                path = lab.write_notebook(f"first_chart_{k}.ipynb", [SETUP, CHART])
                lab.open(path)
                lab.wait_kernel_idle(path)
                start = time.perf_counter()
                lab.command(path, "notebook:run-all-cells")
                seen: dict[str, float] = {}
                while "drawn" not in seen and time.perf_counter() - start < 120:
                    state = lab.js("""const p = findPanel(arg);
                        const cells = p.content.widgets;
                        return {setup: cells[0].model.executionCount !== null,
                                output: cells[1].model.outputs.length > 0,
                                drawn: p.node.querySelectorAll('.vega-embed svg .mark-rect path').length > 0};""", path)
                    for key, done in state.items():
                        if done and key not in seen:
                            seen[key] = time.perf_counter() - start
                    time.sleep(0.05)
                figures.append(seen)
                context.close()
                server.shutdown_kernels()
            chromium.close()
    finally:
        server.stop()
    for key, what in (("setup", "setup cell done"), ("output", "chart output in the notebook"),
                      ("drawn", "first chart drawn")):
        values = [f[key] for f in figures if key in f]
        print(f"Run All -> {what:<30} median {statistics.median(values):.2f} s "
              f"(runs: {', '.join(f'{v:.2f}' for v in values)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--browser-only", action="store_true")
    parser.add_argument("--as-before", action="store_true",
                        help="import jsonschema (and so rfc3987_syntax) first, as Altair did before the fix")
    args = parser.parse_args()
    if args.as_before:
        global SETUP
        SETUP = "import jsonschema\n" + SETUP
        print("(as before: jsonschema with rfc3987_syntax imported in the setup cell)")
    if args.browser_only:
        browser(args.runs)
        return
    print("Parts of course.setup(), each in a fresh interpreter:")
    parts(args.runs)
    print("In a kernel:")
    kernel_side(args.runs)
    if args.browser:
        browser(args.runs)


if __name__ == "__main__":
    main()
