"""Set-up promises: one source of dependency versions, a wheel that carries the data, CI = README."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.startswith("python=")]
    assert python == ["python=3.11"], "environment.yml pins the Python minor version"
    requires = pyproject()["project"]["requires-python"]
    assert requires == ">=3.11"
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    norm = lambda items: sorted(re.sub(r"\s+", "", i).lower() for i in items)  # noqa: E731
    assert norm(pip) == norm(pyproject()["project"]["dependencies"])
    assert all("==" in d for d in pyproject()["project"]["dependencies"]), "versions are pinned"


def test_postbuild_installs_the_package_and_fails_loudly():
    text = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "set -e" in text and "pip install" in text and " -e ." in text


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tasks.py test" in readme and "python3 tasks.py lab" in readme
    assert ci.strip().splitlines()[-1] == "python3 tasks.py test"


def test_no_tests_collected_is_a_failure(tmp_path):
    """tasks.py turns pytest's exit code 5 (nothing collected) into a failure."""
    sys.path.insert(0, str(ROOT))
    try:
        import tasks
    finally:
        sys.path.remove(str(ROOT))
    calls = []

    def fake_run(*args, **kw):
        calls.append(args)
        return 5
    original_run, original_env = tasks.run, tasks.ensure_env
    tasks.run, tasks.ensure_env = fake_run, lambda extras: None
    try:
        assert tasks.test([]) == 1
    finally:
        tasks.run, tasks.ensure_env = original_run, original_env
    assert "--nbval-lax" in calls[0]


@pytest.mark.slow
def test_wheel_carries_the_data_and_works_from_anywhere(tmp_path):
    """Build the wheel, unpack it elsewhere and load the corpus from the installed layout."""
    out = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(out.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {"course/_data/excerpts.csv", "course/_data/codebook.csv", "course/_data/moves.csv"} <= names
        zf.extractall(tmp_path / "site")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    code = ("import course, course.paths as p; c = course.load_corpus(); "
            "print(course.__file__); print(p.data_dir()); print(len(c.excerpts))")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    module, data, count = run.stdout.split()
    assert module.startswith(str(tmp_path / "site")) and data.endswith("_data") and int(count) > 40


def test_no_language_pack_that_leaves_the_menus_english():
    """jupyterlab-language-pack-da-DK 4.5.post3 translates 58 of ~1,600 strings and no menu: the
    course names menus as they appear (English) with a Danish gloss, and does not promise Danish menus."""
    import json

    import nbformat

    for name in ("pyproject.toml", "environment.yml"):
        assert "language-pack" not in (ROOT / name).read_text(encoding="utf-8"), name
    start = nbformat.read(ROOT / "notebooks" / "00_start.ipynb", as_version=4)
    text = json.dumps([c.source for c in start.cells], ensure_ascii=False)
    assert "Run → Run All Cells" in text and "Kør → Kør alle celler" not in text
    assert "Language → Dansk" not in text


def test_vl_convert_is_for_the_site_and_tests_not_the_runtime():
    """The course's charts draw from the bundle it ships (course/_vendor); vl-convert (84 MB) only
    draws the site's static SVG, so it is in the `site` and `test` extras, not in `dependencies`."""
    project = pyproject()["project"]
    name = lambda req: re.split(r"[=<>!~\[ ]", req, maxsplit=1)[0].lower()  # noqa: E731
    assert "vl-convert-python" not in {name(d) for d in project["dependencies"]}
    for extra in ("site", "test"):
        assert "vl-convert-python" in {name(d) for d in project["optional-dependencies"][extra]}, extra
    assert (ROOT / "course" / "_vendor" / "jupyterchart.js").stat().st_size > 500_000
