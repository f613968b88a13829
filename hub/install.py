#!/usr/bin/env python3
"""Prepare a Python environment as a JupyterHub single-user image for the course.

    python hub/install.py                # pip-install the pinned dependencies + the kernel config
    python hub/install.py --config-only  # only the kernel config (the dependencies are there)

Installs the course's pinned runtime dependencies (`dependencies` in pyproject.toml) and the hub
extras (`optional-dependencies.hub`: nbgitpuller and the JupyterHub single-user server), but NOT the
course itself; then copies hub/ipython_kernel_config.py to {sys.prefix}/etc/ipython/, where IPython
reads it for every kernel of this Python. Each kernel then imports the course from the student's
pulled folder (see hub/README.md). Run it with the image's Python (hub/Dockerfile does).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "ipython_kernel_config.py"


def requirements(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["hub"]]


def install_config(prefix: Path | None = None) -> Path:
    target = Path(prefix or sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CONFIG, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-only", action="store_true", help="only install the kernel configuration")
    parser.add_argument("--pyproject", type=Path, default=HERE.parent / "pyproject.toml")
    args = parser.parse_args(argv)
    if not args.config_only:
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
                        *requirements(args.pyproject)], check=True)
    print(f"kernel configuration: {install_config()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
