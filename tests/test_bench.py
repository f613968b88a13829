"""benchmarks/bench.py (`python3 tasks.py bench`): the wiring only -- every figure of issue 15 has a
part, --only picks parts, a script another branch has not written yet says "not available", the
suite's floor runs as many notebooks as the suite. Nothing heavy runs here (no timings)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench():
    spec = importlib.util.spec_from_file_location("course_bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_default_run_has_every_figure_of_issue_15(bench):
    assert bench.parts("") == ["import", "notebooks", "chart", "tick", "classview", "env", "suite"]
    assert "widgets" not in bench.parts("")  # plain-Python figures only on request


def test_only_picks_parts_and_refuses_unknown_names(bench):
    assert bench.parts("tick, import") == ["tick", "import"]
    assert bench.parts("classroom,environment,widgets") == ["classview", "env", "widgets"]
    with pytest.raises(SystemExit, match="unknown part"):
        bench.parts("tick,speed")


def test_main_runs_only_the_chosen_parts(bench, monkeypatch):
    ran = []
    monkeypatch.setattr(bench, "PARTS", {name: (lambda name=name: ran.append(name)) for name in bench.PARTS})
    bench.main(["--only", "env,tick"])
    assert ran == ["env", "tick"]


def test_a_missing_script_is_not_available_and_a_present_one_gives_its_figures(bench, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    assert bench.script("bench_env.py", "environment", []) is None
    assert "environment: not available" in capsys.readouterr().out
    (tmp_path / "benchmarks" / "bench_env.py").write_text(
        "print('noise')\nprint('environment: 400 MB vs floor 380 MB; ratio 1.05')\n", encoding="utf-8")
    assert bench.script("bench_env.py", "environment", []) == ["environment: 400 MB vs floor 380 MB; ratio 1.05"]
    out = capsys.readouterr().out
    assert "ratio 1.05" in out and "noise" not in out
    (tmp_path / "benchmarks" / "bench_env.py").write_text("import sys\nsys.exit('broken')\n", encoding="utf-8")
    assert bench.script("bench_env.py", "environment", []) == []
    assert "no 'environment' figure" in capsys.readouterr().out


def test_the_suite_floor_runs_as_many_notebooks_as_the_suite(bench, tmp_path):
    count = len(bench.suite_notebooks())
    assert count >= 20 and all(p.suffix == ".ipynb" for p in bench.suite_notebooks())
    suite, floor = bench.suite_commands(tmp_path, count)
    assert suite[suite.index("-m", 3) + 1] == "not browser and not site and not hub"
    floors = [a for a in floor if a.endswith(".ipynb")]
    assert len(floors) == count and len(list(tmp_path.glob("*.ipynb"))) == count
    cell = json.loads(Path(floors[0]).read_text(encoding="utf-8"))["cells"][0]["source"]
    assert "course.setup()" in cell
    assert all(flag in suite and flag in floor for flag in ("--nbval-lax", "--nbval-current-env"))
    assert suite[0] == floor[0] == sys.executable
