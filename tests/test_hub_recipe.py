"""The hub image recipe: what hub/Dockerfile and hub/install.py install, and where the kernel config goes.

The behaviour (a kernel that imports the pulled course) is tested against a real server in tests/hub.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hub"))
import install  # noqa: E402  (hub/install.py)

sys.path.remove(str(ROOT / "hub"))


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_image_installs_the_dependencies_and_the_hub_extras_but_not_the_course():
    reqs = install.requirements(ROOT / "pyproject.toml")
    assert reqs == project()["dependencies"] + project()["optional-dependencies"]["hub"]
    assert all("==" in r for r in reqs), "the image's versions are pinned"
    names = {re.split(r"[=<>\[]", r)[0].lower() for r in reqs}
    assert {"nbgitpuller", "jupyterhub"} <= names and "samskabelse-course" not in names


def test_the_hub_pins_are_the_ones_the_tests_use():
    extras = project()["optional-dependencies"]
    assert set(extras["hub"]) <= set(extras["test"])


def test_the_dockerfile_runs_install_py_and_never_installs_the_course():
    text = (ROOT / "hub" / "Dockerfile").read_text(encoding="utf-8")
    assert "hub/install.py" in text and "hub/ipython_kernel_config.py" in text
    assert "pyproject.toml" in text
    assert not re.search(r"pip install[^\n]*(\s\.(\s|$)|-e\s+\.)", text), "the course is not installed in the image"
    assert "jupyterhub-singleuser" in text


def test_install_py_puts_the_kernel_config_where_ipython_reads_it(tmp_path):
    target = install.install_config(tmp_path)
    assert target == tmp_path / "etc" / "ipython" / "ipython_kernel_config.py"
    assert target.read_bytes() == (ROOT / "hub" / "ipython_kernel_config.py").read_bytes()
    # IPython reads {sys.prefix}/etc/ipython for every kernel of that Python.
    out = subprocess.run([sys.executable, "-c", "import sys; from IPython.core.application import ENV_CONFIG_DIRS;"
                          "print(ENV_CONFIG_DIRS)"], capture_output=True, text=True, check=True).stdout
    assert str(Path(sys.prefix) / "etc" / "ipython") in out
