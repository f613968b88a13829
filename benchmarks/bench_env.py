"""Benchmark: the course's runtime environment against its floor (prints figures; not a test).

    .venv/bin/python benchmarks/bench_env.py               # two fresh venvs in a temporary folder
    .venv/bin/python benchmarks/bench_env.py --reuse DIR   # keep/reuse the venvs in DIR

course = a venv with pyproject.toml's runtime `dependencies` (what Binder and the hub image install);
floor  = a venv with only jupyterlab + ipywidgets + pandas + altair at the same pins.
Both sizes are the whole venv on disk (files, no symlinks), the venv's own pip included in both.
Lines start with "environment" (benchmarks/bench.py reads them).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = {"jupyterlab", "ipywidgets", "pandas", "altair"}
PY = sys.executable


def runtime_pins() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def make_venv(path: Path, requirements: list[str]) -> Path:
    stamp = path / ".bench-requirements"
    wanted = "\n".join(sorted(requirements))
    if stamp.exists() and stamp.read_text() == wanted:
        return path
    subprocess.run([PY, "-m", "venv", "--clear", str(path)], check=True)
    run = subprocess.run([str(path / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          *requirements], capture_output=True, text=True)
    if run.returncode:
        sys.exit(f"environment: pip install failed in {path}:\n{run.stderr[-3000:]}")
    stamp.write_text(wanted)
    return path


def package_sizes(venv: Path, names: list[str]) -> dict[str, int]:
    site = next((venv / "lib").glob("python3*/site-packages"))
    sizes = {}
    for name in names:
        module = name.replace("-python", "").replace("-", "_")
        paths = [*site.glob(f"{module}"), *site.glob(f"{module}-*"), *site.glob(f"{name.replace('-', '_')}-*")]
        sizes[name] = sum(dir_size(p) if p.is_dir() else p.stat().st_size for p in set(paths))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", type=Path, help="folder for the two venvs, reused when their pins match")
    args = parser.parse_args(argv)
    pins = runtime_pins()
    floor_pins = [p for p in pins if p.split("==")[0].lower() in FLOOR]
    with tempfile.TemporaryDirectory() as tmp:
        base = args.reuse or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        course = make_venv(base / "course", pins)
        floor = make_venv(base / "floor", floor_pins)
        ours, bare = dir_size(course), dir_size(floor)
        extra = [p.split("==")[0] for p in pins if p not in floor_pins]
        sizes = package_sizes(course, extra)
    print(f"environment: runtime {ours / 1e6:.0f} MB vs floor {bare / 1e6:.0f} MB "
          f"(jupyterlab+ipywidgets+pandas+altair); ratio {ours / bare:.2f} (target <= 1.1)")
    print("environment: over the floor " + f"{(ours - bare) / 1e6:.0f} MB; the course's own packages: "
          + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
