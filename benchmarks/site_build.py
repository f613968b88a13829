"""Print how long the course's website takes to build: cold (empty work folder) and warm (again).

    .venv/bin/python benchmarks/site_build.py        # needs the site's tools: python3 tasks.py site

Cold runs every notebook; warm reuses the notebooks' cached outputs and Sphinx's environment.
Wall-clock and CPU seconds are printed (on a shared machine the wall clock depends on the load).
"""
from __future__ import annotations

import importlib.util
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    spec = importlib.util.spec_from_file_location("site_build", ROOT / "site" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        work, out = Path(tmp) / "work", Path(tmp) / "site"
        for label in ("cold", "warm"):
            wall, cpu0 = time.perf_counter(), cpu()
            build.build(out, work=work, quiet=True)
            print(f"site build, {label}: {time.perf_counter() - wall:.1f} s wall, {cpu() - cpu0:.1f} s CPU", flush=True)


if __name__ == "__main__":
    main()
