"""Fixtures for the hub tests: a course-free Python like the hub image, a bare git remote of the course,
a real `jupyter server` with nbgitpuller, and (for the load test) configurable-http-proxy.

Every server binds to 127.0.0.1 only and is stopped by its PID. Only these tests:
``.venv/bin/python -m pytest tests/hub -v``; all but these: ``-m "not hub"``.
"""
from __future__ import annotations

import os
import shutil

import pytest

from benchmarks import hubkit

IN_CI = os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str):
    """Skip on a lecturer's laptop; fail on CI, where the hub tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the hub tests must run on CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def needs_git():
    if shutil.which("git") is None:
        unavailable("git is missing; nbgitpuller needs it.")


@pytest.fixture(scope="package")
def image_python(tmp_path_factory):
    """A Python environment like hub/Dockerfile's image: the dependencies and the kernel config, no course."""
    if os.name == "nt":
        unavailable("The hub tests need Linux or macOS (JupyterHub does not run on Windows).")
    for module in ("nbgitpuller", "jupyterhub", "websocket", "requests"):
        try:
            __import__(module)
        except ImportError:
            unavailable(f"The Python package {module!r} is missing; `python tasks.py test` installs it.")
    if shutil.which("git") is None:
        unavailable("git is missing; nbgitpuller needs it.")
    return hubkit.image_python(tmp_path_factory.mktemp("image"))


@pytest.fixture
def proxy():
    """configurable-http-proxy (npm), installed into .ci/node_modules when npm is there."""
    found = hubkit.find_proxy()
    if found:
        return found
    if shutil.which("npm") is None or shutil.which("node") is None:
        unavailable("Node.js and npm are missing: JupyterHub needs configurable-http-proxy from npm "
                    "(e.g. `apt-get install nodejs npm`).")
    try:
        return hubkit.install_proxy()
    except Exception as err:  # noqa: BLE001 - an npm failure is reported, not hidden
        unavailable(f"`npm install {hubkit.PROXY_PACKAGE}` failed: {err}")
