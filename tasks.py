#!/usr/bin/env python3
"""Set up the course and open it, or run its tests. Needs only Python 3.11+ (Linux, macOS, Windows).

    python tasks.py lab     # create .venv, install the course, open JupyterLab on the start notebook
    python tasks.py lab --en  # the same, on the English start notebook
    python tasks.py test    # create .venv, install the course and its test tools, run every test

(On macOS/Linux `python3`; on Windows `py`.) The first run downloads the packages (a few minutes);
later runs reuse .venv and reinstall only when pyproject.toml has changed.
Other commands: `generate` makes the Danish and English notebooks, exercises, solutions and the
lecturer's guide from their sources in materials/ (`generate --check` says whether they drifted;
`exercises` is an alias);
`bench` prints the benchmark figures; `site` builds the course's website into _site/ (preview it
with `python3 -m http.server -d _site`).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-installed"


def run(*args: str, **kw) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT, **kw)


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"The course needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in have:
        return
    code = run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", f".[{extras}]" if extras else ".")
    if code:
        sys.exit(f"Installing the course failed (exit {code}); see the messages above.")
    STAMP.write_text("\n".join({*have, wanted}))


START = "notebooks/00_start.ipynb"
START_EN = "notebooks/en/00_start.ipynb"  # `python3 tasks.py lab --en`


def lab_command(extra: list[str]) -> list[str]:
    """JupyterLab serving the whole repository (notebooks/, exercises/, solutions/ in its file
    browser), opening the start notebook. Without root_dir, JupyterLab would serve only the start
    notebook's folder. `--en` opens the English start notebook."""
    start = START_EN if "--en" in extra else START
    extra = [e for e in extra if e != "--en"]
    jupyter = BIN / ("jupyter-lab.exe" if os.name == "nt" else "jupyter-lab")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        extra = [*extra, "--allow-root"]  # e.g. inside a container; JupyterLab refuses root otherwise
    return [str(jupyter), f"--ServerApp.root_dir={ROOT}", start, *extra]


def lab(extra: list[str]) -> int:
    ensure_env("")
    return run(*lab_command(extra))


def test(extra: list[str]) -> int:
    ensure_env("test,site")  # the site's tests (tests/site) build the website
    args = [PY, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
            "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-p", "no:cacheprovider", *extra]
    code = run(*args)
    if code == 5:
        print("pytest collected no tests: that is a failure, not a pass.", file=sys.stderr)
        return 1
    return code


def generate(extra: list[str]) -> int:
    ensure_env("")
    return run(PY, "materials/generate.py", *extra)


def bench(extra: list[str]) -> int:
    ensure_env("test")
    return run(PY, "benchmarks/bench.py", *extra)


def site(extra: list[str]) -> int:
    ensure_env("site")
    return run(PY, "site/build.py", *extra)


COMMANDS = {"lab": lab, "test": test, "generate": generate, "exercises": generate, "bench": bench, "site": site}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
