"""tasks.py: the `lab` command serves the repository root and opens the start notebook."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_tasks():
    spec = importlib.util.spec_from_file_location("course_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lab_serves_the_repository_root_and_opens_the_start_notebook():
    tasks = load_tasks()
    command = tasks.lab_command([])
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert "notebooks/00_start.ipynb" in command
    assert (ROOT / "notebooks/00_start.ipynb").exists()
    english = tasks.lab_command(["--en"])
    assert "notebooks/en/00_start.ipynb" in english and "--en" not in english
    assert (ROOT / "notebooks/en/00_start.ipynb").exists()


def test_jupyter_server_accepts_the_root_and_the_start_file():
    """The server resolves the start notebook inside the root (not the root moved to notebooks/)."""
    from jupyter_server.serverapp import ServerApp

    app = ServerApp(root_dir=str(ROOT), file_to_run="notebooks/00_start.ipynb")
    assert Path(app.root_dir) == ROOT
    assert app._resolve_file_to_run_and_root_dir() == "notebooks/00_start.ipynb"
