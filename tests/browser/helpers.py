"""The machinery of the browser tests: a throwaway JupyterLab server and a page helper.

Everything waits explicitly (for a selector, for the kernel to be idle, for a file to appear);
nothing sleeps for a fixed time.
"""
from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips (or, on CI, fails) saying what is missing
    expect = None

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

# Generous limits: CI machines are slow, and a kernel's first cell imports pandas and Altair.
SERVER_START_TIMEOUT = 180  # s
KERNEL_TIMEOUT = 180_000  # ms: a kernel starting and becoming idle
RUN_ALL_TIMEOUT = 600  # s: one notebook, Run All
UI_TIMEOUT = 60_000  # ms: a widget reacting to a click (a round trip to the kernel)
FILE_TIMEOUT = 60  # s: the autosave reaching the disk

# Settings the server starts with: no news or update pop-ups, and no autosave into the copies.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}

ERROR_LINE = re.compile(r"^\s*(Traceback \(most recent call last\)|[A-Za-z_.]*(Error|Exception)\b:?)", re.M)


def wait_until(check, timeout: float = FILE_TIMEOUT, what: str = "condition", interval: float = 0.2):
    """Poll ``check()`` until it returns a truthy value; return that value or fail saying ``what``."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
        except (OSError, ValueError, KeyError, TypeError) as err:  # e.g. a file not there yet
            value, last_error = None, err
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def work_dir_cell(folder: Path) -> str:
    """The test harness's first cell: this kernel saves its work in ``folder``."""
    return f"import os\nos.environ[\"SAMSKABELSE_WORK_DIR\"] = {str(folder)!r}"


def read_csv(name: str, folder: Path = DATA) -> list[dict[str, str]]:
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_header(name: str, folder: Path = DATA) -> list[str]:
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def strings(key: str) -> str:
    """A Danish interface string, as the widgets show it."""
    from course.i18n import STRINGS

    return STRINGS[key]["da"]


# -- the server ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """JupyterLab on 127.0.0.1 with its own folders, serving a temporary copy of the course."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "root"  # the server's root_dir
        self.work = base / "work"  # SAMSKABELSE_WORK_DIR of the course notebooks
        self.log_path = base / "server.log"
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def api(self, method: str, path: str, body=None, timeout: float = 30):
        """The server's REST API, with the token."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"

    def prepare(self) -> None:
        self.root.mkdir(parents=True)
        skip = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        shutil.copytree(ROOT / "notebooks", self.root / "notebooks", ignore=skip)
        # What notebooks may reach by a relative path (the package itself is installed editable).
        for name in ("data", "materials", "exercises", "solutions"):
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, self.root / name, ignore=skip)
        self.work.mkdir()
        for name in ("config", "runtime", "data", "ipython", "workspaces", "settings"):
            (self.base / name).mkdir()
        for rel, value in LAB_SETTINGS.items():
            target = self.base / "settings" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(value), encoding="utf-8")

    def start(self) -> None:
        env = dict(os.environ)
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.base / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.base / "runtime"),
            "JUPYTER_DATA_DIR": str(self.base / "data"),  # none of the user's kernelspecs or extensions
            "IPYTHONDIR": str(self.base / "ipython"),  # none of the user's IPython start-up files
            "JUPYTERLAB_SETTINGS_DIR": str(self.base / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.base / "workspaces"),
            "SAMSKABELSE_WORK_DIR": str(self.work),
            "PYTHONUNBUFFERED": "1",
        })
        env.pop("JUPYTER_PATH", None)
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               f"--LabApp.user_settings_dir={self.base / 'settings'}",
               f"--LabApp.workspaces_dir={self.base / 'workspaces'}",
               "--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: commands and live models
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")

    def shutdown_kernels(self) -> None:
        """End every kernel session (each test starts with none running)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
        except (urllib.error.URLError, OSError):
            pass

    def stop(self) -> None:
        """Stop the server by its PID: terminate, then kill. Its kernels end with it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.shutdown_kernels()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


# -- the page --------------------------------------------------------------------------------------
# Finds the notebook panel of a path; prefixed to every script that the Lab helper runs in the page.
FIND_PANEL = """
const findPanel = (path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
};
"""


class Lab:
    """One test's view of JupyterLab: a page and helpers that wait explicitly."""

    def __init__(self, server: LabServer, context, page, tmp_path: Path):
        self.server = server
        self.context = context
        self.page = page
        self.tmp_path = tmp_path
        self.blocked: list[str] = []  # requests that tried to leave 127.0.0.1
        self.console: list[str] = []
        self.page_errors: list[str] = []

    @property
    def root(self) -> Path:
        return self.server.root

    # -- files -------------------------------------------------------------------------------------
    def write_notebook(self, name: str, sources: list[str]) -> str:
        """Write a notebook of code cells into the server's root; return its path there."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
        target = self.root / "scratch" / name
        target.parent.mkdir(exist_ok=True)
        nbformat.write(nb, target)
        return f"scratch/{name}"

    # -- scripts in the page -------------------------------------------------------------------------
    def js(self, body: str, arg=None):
        return self.page.evaluate(f"(arg) => {{ {FIND_PANEL} {body} }}", arg)

    def wait_js(self, body: str, arg=None, timeout: float = KERNEL_TIMEOUT):
        return self.page.wait_for_function(f"(arg) => {{ {FIND_PANEL} {body} }}", arg=arg, timeout=timeout,
                                           polling=250)

    # -- JupyterLab ----------------------------------------------------------------------------------
    def open(self, path: str) -> None:
        """Open a notebook in a new, empty workspace and wait until its kernel is idle."""
        workspace = f"t{uuid.uuid4().hex[:12]}"
        quoted = urllib.parse.quote(path)
        self.page.goto(f"{self.server.url}/lab/workspaces/{workspace}/tree/{quoted}?reset&token={self.server.token}",
                       wait_until="domcontentloaded", timeout=120_000)
        self.wait_ready(path)

    def wait_ready(self, path: str) -> None:
        """JupyterLab has started, the notebook is open and its kernel idle."""
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000, polling=250)
        self.page.evaluate("async () => { await window.jupyterapp.restored; }")
        self.wait_js("const p = findPanel(arg); return p !== null && p.context.isReady;", path, timeout=120_000)
        self.wait_kernel_idle(path)

    def wait_kernel_idle(self, path: str, timeout: float = KERNEL_TIMEOUT) -> None:
        """The kernel is connected and idle, and the notebook's kernel indicator shows it."""
        self.wait_js(
            """const p = findPanel(arg);
            if (!p) return false;
            const s = p.sessionContext;
            const k = s.session && s.session.kernel;
            if (!s.isReady || !k || k.status !== 'idle' || k.connectionStatus !== 'connected') return false;
            const indicator = p.node.querySelector('.jp-Notebook-ExecutionIndicator');
            return !indicator || indicator.getAttribute('data-status') === 'idle';""",
            path, timeout=timeout)

    def command(self, path: str, command: str) -> None:
        """Run a JupyterLab command (what a menu item does) on the notebook."""
        self.js("""const p = findPanel(arg.path);
            window.jupyterapp.shell.activateById(p.id);
            return window.jupyterapp.commands.execute(arg.command);""", {"path": path, "command": command})

    def run_all(self, path: str, timeout: float = RUN_ALL_TIMEOUT) -> None:
        """Run All, once the kernel is idle; wait until every cell has run (or one has failed)."""
        self.wait_kernel_idle(path)
        self.command(path, "notebook:clear-all-cell-outputs")
        self.wait_js("""const p = findPanel(arg);
            return p.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount === null);""",
                     path, timeout=30_000)
        self.command(path, "notebook:run-all-cells")
        deadline = time.monotonic() + timeout
        stable = 0
        while stable < 3:  # finished, and still finished on the next two polls
            if time.monotonic() > deadline:
                raise AssertionError(f"Run All on {path} did not finish within {timeout} s: {self.progress(path)}")
            state = self.progress(path)
            finished = state["idle"] and not state["pending"] and (state["not_run"] == 0 or state["errors"] > 0)
            stable = stable + 1 if finished else 0
            self.page.wait_for_timeout(300)  # the polling interval
        self.wait_kernel_idle(path)

    def progress(self, path: str) -> dict:
        return self.js(
            """const p = findPanel(arg);
            const cells = p.content.widgets.filter(c => c.model.type === 'code');
            const k = p.sessionContext.session && p.sessionContext.session.kernel;
            const hasError = c => { const o = c.model.outputs;
              for (let i = 0; i < o.length; i++) { if (o.get(i).type === 'error') return true; } return false; };
            return {
              idle: !!k && k.status === 'idle',
              pending: cells.filter(c => ((c.promptNode && c.promptNode.textContent) || '').includes('*')).length,
              not_run: cells.filter(c => c.model.executionCount === null && c.model.sharedModel.getSource().trim()).length,
              errors: cells.filter(hasError).length,
              cells: cells.length,
            };""", path)

    def cells(self, path: str) -> list[dict]:
        """The code cells as the live model holds them: index, source, execution count, outputs."""
        return self.js(
            """const p = findPanel(arg);
            const out = [];
            p.content.widgets.forEach((c, i) => {
              if (c.model.type !== 'code') return;
              out.push({index: i, source: c.model.sharedModel.getSource(),
                        execution_count: c.model.executionCount, outputs: c.model.outputs.toJSON()});
            });
            return out;""", path)

    def panel(self, path: str):
        """A locator for the notebook's panel."""
        panel_id = self.js("const p = findPanel(arg); return p ? p.id : null;", path)
        assert panel_id, f"no open notebook panel for {path}"
        return self.page.locator(f"[id='{panel_id}']")

    def problems(self, path: str) -> list[str]:
        """What a student would see go wrong after Run All: errors, cells not run, broken widgets."""
        cells = self.cells(path)
        found = [f"cell {c['index']} raised {o.get('ename')}: {o.get('evalue')}"
                 for c in cells for o in c["outputs"] if o.get("output_type") == "error"]
        found += [f"cell {c['index']} was not run" for c in cells
                  if c["execution_count"] is None and c["source"].strip()]
        panel = self.panel(path)
        stderr = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        found += [f"error output shown: {t[:600]}" for t in stderr.all_text_contents() if ERROR_LINE.search(t)]
        found += [f"traceback shown: {t[:600]}" for t in panel.locator(".jp-RenderedText").all_text_contents()
                  if "Traceback" in t and not ERROR_LINE.search(t)]
        found += [f"a widget did not draw: {t[:200]}" for t in panel.locator(".jp-OutputArea-output").all_text_contents()
                  if "Error displaying widget" in t or "Error rendering" in t]
        return found

    def run_clean(self, path: str) -> None:
        """Open a notebook, Run All, and assert that nothing went wrong."""
        self.open(path)
        self.run_all(path)
        problems = self.problems(path)
        assert not problems, f"{path}:\n" + "\n".join(problems)
