"""A real Jupyter server / JupyterHub on 127.0.0.1 and a scripted student, for tests/hub and hub_load.py.

Everything here talks to real servers over HTTP and the kernel protocol (websocket), as a browser
would: the nbgitpuller link's page, its `git-pull/api` event stream, the sessions API, a kernel's
`channels` websocket. Nothing is mocked.

* :func:`image_python` makes a Python environment like the hub image (hub/Dockerfile): the course's
  dependencies, the kernel configuration from hub/install.py, and no course.
* :class:`JupyterServer`: `jupyter server` with nbgitpuller and a token.
* :class:`Hub`: JupyterHub with configurable-http-proxy, DummyAuthenticator and
  SimpleLocalProcessSpawner (each user's home under a temporary folder).
* :class:`Client`: logs in, pulls through the nbgitpuller link, opens a notebook's kernel.

    python3 benchmarks/hubkit.py install-proxy   # npm-install configurable-http-proxy into .ci/

The module's top level uses the standard library only (.ci/run calls it before .venv exists).
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
PROXY_PREFIX = ROOT / ".ci"
PROXY_BIN = PROXY_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
HOST = "127.0.0.1"


# --------------------------------------------------------------------------- set-up helpers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def find_proxy() -> str | None:
    if PROXY_BIN.exists():
        return str(PROXY_BIN)
    return shutil.which("configurable-http-proxy")


def install_proxy() -> str:
    """npm-install configurable-http-proxy into .ci/node_modules (git-ignored); return its path."""
    found = find_proxy()
    if found:
        return found
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise FileNotFoundError("Node.js and npm are needed for JupyterHub's configurable-http-proxy "
                                "(e.g. `apt-get install nodejs npm`).")
    subprocess.run([npm, "install", "--prefix", str(PROXY_PREFIX), "--no-save", "--no-package-lock",
                    "--no-audit", "--no-fund", "--loglevel=error", PROXY_PACKAGE], check=True)
    return str(PROXY_BIN)


def git(*args: str, cwd: Path | str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Lecturer", GIT_AUTHOR_EMAIL="lecturer@example.org",
               GIT_COMMITTER_NAME="Lecturer", GIT_COMMITTER_EMAIL="lecturer@example.org", LANG="C")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def course_remote(tmp: Path, name: str = "samskabelse", branch: str = "main") -> tuple[Path, Path]:
    """A bare git remote holding the course's tracked files, and a working clone of it (the lecturer's).

    Returns (bare remote, lecturer's clone). The remote has `branch` as its default branch.
    """
    bare = tmp / "remote" / name
    work = tmp / "lecturer-clone"
    bare.parent.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "--bare", "-b", branch, str(bare))
    git("init", "-q", "-b", branch, str(work))
    files = git("ls-files", "-z", cwd=ROOT).split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            dst = work / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "course", cwd=work)
    git("remote", "add", "origin", str(bare), cwd=work)
    git("push", "-q", "origin", branch, cwd=work)
    return bare, work


def image_python(tmp: Path) -> Path:
    """A Python like the hub image: this environment's packages, hub/install.py's kernel config, no course.

    A new virtual environment (its own sys.prefix, so IPython reads the kernel configuration from
    {sys.prefix}/etc/ipython, as in the image) whose site-packages links to every package of this
    environment except the course (its editable install and its installed `course/_data`), so that
    `import course` works only through the kernel configuration.
    """
    import sysconfig
    import venv

    env = tmp / "image-env"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(env)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    ours = Path(sysconfig.get_paths()["purelib"])
    for entry in ours.iterdir():
        name = entry.name.lower()
        if name == "course" or name.startswith(("samskabelse_course", "_editable_impl_samskabelse")):
            continue
        target = purelib / entry.name
        if not target.exists():
            target.symlink_to(entry, target_is_directory=entry.is_dir())
    # Jupyter's own configuration and data (server extensions such as nbgitpuller, kernel specs)
    # live under sys.prefix, as pip puts them in an image.
    for part in ("etc/jupyter", "share/jupyter"):
        if (Path(sys.prefix) / part).exists():
            (env / part).parent.mkdir(parents=True, exist_ok=True)
            (env / part).symlink_to(Path(sys.prefix) / part, target_is_directory=True)
    subprocess.run([str(python), str(ROOT / "hub" / "install.py"), "--config-only"], check=True,
                   capture_output=True, cwd=tmp)
    probe = subprocess.run([str(python), "-c", "import course"], cwd=tmp, capture_output=True, text=True)
    if probe.returncode == 0:
        raise RuntimeError("the image-like environment can import the course without the kernel config")
    return python


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "JPY_", "IPYTHON", "SAMSKABELSE_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), LANG="C.UTF-8", **extra)
    return env


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None, ok=(200,)) -> None:
    import requests

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before {url} answered")
        try:
            r = requests.get(url, timeout=5)
            if r.status_code in ok:
                return
            last = r.status_code
        except requests.RequestException as err:
            last = err
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f} s (last: {last})")


def stop(proc: subprocess.Popen | None, timeout: float = 15) -> None:
    """Stop a process we started, by its PID (SIGTERM, then SIGKILL), and then what it left running.

    Its descendants (single-user servers, kernels) are listed by PID before it stops; the server
    stops them itself, and any still alive afterwards are ended by their PIDs.
    """
    if proc is None or proc.poll() is not None:
        return
    try:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
    except Exception:  # noqa: BLE001 - psutil missing or the process just ended
        children = []
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    for child in children:
        try:
            if child.is_running():
                child.terminate()
                child.wait(5)
        except Exception:  # noqa: BLE001 - already gone
            try:
                child.kill()
            except Exception:  # noqa: BLE001
                pass


def link_query(repo: str, branch: str | None, urlpath: str, targetpath: str | None = None) -> str:
    params = {"repo": repo}
    if branch:
        params["branch"] = branch
    if targetpath:
        params["targetpath"] = targetpath
    params["urlpath"] = urlpath
    return urllib.parse.urlencode(params)


# --------------------------------------------------------------------------- servers

class JupyterServer:
    """`jupyter server` on 127.0.0.1 with nbgitpuller and a token, rooted at `home`."""

    def __init__(self, python: Path, home: Path, log: Path):
        self.python, self.home, self.log_path = python, home, log
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.base = f"http://{HOST}:{self.port}/"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "JupyterServer":
        self.home.mkdir(parents=True, exist_ok=True)
        args = [str(self.python), "-m", "jupyter_server", f"--ServerApp.ip={HOST}", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}", "--ServerApp.open_browser=False",
                f"--ServerApp.root_dir={self.home}",]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        env = clean_env(self.home, JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
                        JUPYTER_RUNTIME_DIR=str(self.home / ".runtime"), JUPYTER_DATA_DIR=str(self.home / ".data"),
                        IPYTHONDIR=str(self.home / ".ipython"))
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, cwd=self.home, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        wait_http(f"{self.base}api/status?token={self.token}", timeout, self.proc)
        return self

    def client(self) -> "Client":
        return Client(self.base, token=self.token)

    def stop(self) -> None:
        stop(self.proc)
        if getattr(self, "_log", None):
            self._log.close()

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


HUB_CONFIG = """
c = get_config()
c.JupyterHub.ip = {host!r}
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = {host!r}
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://{host}:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{tmp}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/home/{{username}}"
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.ip = {host!r}
c.Spawner.environment = {environment!r}
# IPC sockets live in the runtime folder; a short path keeps them under the 107-byte socket limit.
c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = lambda spawner: {runtime!r} + "/" + spawner.user.name
c.Spawner.start_timeout = 1200
c.Spawner.http_timeout = 1200
c.JupyterHub.concurrent_spawn_limit = 200
c.JupyterHub.active_server_limit = 0
c.JupyterHub.last_activity_interval = 3600
"""


class Hub:
    """JupyterHub on 127.0.0.1: configurable-http-proxy, DummyAuthenticator, SimpleLocalProcessSpawner."""

    def __init__(self, tmp: Path, python: Path, proxy: str, environment: dict[str, str] | None = None,
                 password: str = "kursus"):
        self.tmp, self.python, self.proxy, self.password = tmp, python, proxy, password
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}/"
        self.environment = dict(environment or {})
        self.proc: subprocess.Popen | None = None
        self.log_path = tmp / "jupyterhub.log"

    def start(self, timeout: float = 120) -> "Hub":
        (self.tmp / "home").mkdir(parents=True, exist_ok=True)
        # Kernels talk to their server over IPC sockets, not TCP ports: with every user's server on
        # one host, ports picked by many servers at once can collide (seen in a 30-student run:
        # "Invalid Signature" from another user's kernel). In Zero to JupyterHub each user has a
        # pod of their own, where this cannot happen.
        args = ["--KernelManager.transport=ipc"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        import tempfile

        self.runtime = tempfile.mkdtemp(prefix="jrt-", dir="/tmp" if os.path.isdir("/tmp") else None)
        config = HUB_CONFIG.format(runtime=self.runtime, host=HOST, port=self.port, hub_port=free_port(), proxy_api_port=free_port(),
                                   proxy=self.proxy, tmp=self.tmp, password=self.password, python=str(self.python),
                                   args=args, environment={"LANG": "C.UTF-8", **self.environment})
        path = self.tmp / "jupyterhub_config.py"
        path.write_text(config, encoding="utf-8")
        hub_bin = Path(sys.executable).parent / "jupyterhub"
        cmd = [str(hub_bin)] if hub_bin.exists() else [sys.executable, "-m", "jupyterhub"]
        self._log = open(self.log_path, "ab")
        env = clean_env(self.tmp)
        env["PATH"] = os.pathsep.join([str(Path(self.proxy).parent), env.get("PATH", "")])
        self.proc = subprocess.Popen([*cmd, "-f", str(path)], cwd=self.tmp, env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        wait_http(f"{self.base}hub/api/", timeout, self.proc)
        return self

    def client(self, timeout: float = 300) -> "Client":
        return Client(self.base, timeout=timeout)

    def stop(self) -> None:
        stop(self.proc, timeout=60)  # the hub stops the single-user servers it spawned (cleanup_servers)
        if getattr(self, "runtime", None):
            shutil.rmtree(self.runtime, ignore_errors=True)
        if getattr(self, "_log", None):
            self._log.close()

    def log_tail(self, n: int = 80) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


# --------------------------------------------------------------------------- the student's browser

class PullError(RuntimeError):
    pass


_DATA_ATTR = re.compile(r'data-([a-z-]+)="([^"]*)"')


class Client:
    """What a student's browser does: log in, follow the nbgitpuller link, open a notebook's kernel."""

    def __init__(self, base: str, token: str | None = None, timeout: float = 300):
        import requests

        self.base = base
        self.session = requests.Session()
        self.token = token
        self.timeout = timeout
        if token:
            self.session.headers["Authorization"] = f"token {token}"
        self.user_base = base  # /user/<name>/ on a hub

    # -- hub
    def login(self, username: str, password: str) -> None:
        r = self.session.get(f"{self.base}hub/login", timeout=self.timeout)
        r.raise_for_status()
        found = re.search(r'name="_xsrf"\s+value="([^"]+)"', r.text)
        form = {"username": username, "password": password}
        if found:
            form["_xsrf"] = html.unescape(found.group(1))
        r = self.session.post(f"{self.base}hub/login", data=form, timeout=self.timeout)
        r.raise_for_status()
        if "hub/login" in urllib.parse.urlparse(r.url).path:
            raise RuntimeError(f"login of {username} was refused")
        self.user_base = f"{self.base}user/{urllib.parse.quote(username)}/"

    def _get_through_hub(self, url: str, deadline: float):
        """GET a user URL; press "Launch server" when it is not running; wait on the spawn page."""
        r = self.session.get(url, timeout=self.timeout)
        if r.status_code == 424:  # "server not running" page: its button starts the server
            found = re.search(r'href="([^"]*/hub/spawn/[^"]*)"', r.text)
            if not found:
                raise RuntimeError(f"no spawn link on the not-running page of {url}")
            r = self.session.get(urllib.parse.urljoin(r.url, html.unescape(found.group(1))), timeout=self.timeout)
        while "/hub/spawn-pending/" in urllib.parse.urlparse(r.url).path:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server did not start in time for {url}")
            time.sleep(1)
            r = self.session.get(r.url, timeout=self.timeout)
        return r

    # -- nbgitpuller
    def pull(self, query: str, via_hub: bool = False) -> dict:
        """Follow an nbgitpuller link as the browser does; return {"events", "output", "redirect", "seconds"}.

        GET the link's page (`git-pull?...`, or `hub/user-redirect/git-pull?...` on a hub), read the
        parameters its script uses, and stream `git-pull/api` to the end. Raises PullError on an
        error event.
        """
        start = time.monotonic()
        deadline = start + self.timeout
        url = f"{self.base}hub/user-redirect/git-pull?{query}" if via_hub else f"{self.user_base}git-pull?{query}"
        r = self._get_through_hub(url, deadline) if via_hub else self.session.get(url, timeout=self.timeout)
        if r.status_code != 200 or "data-repo" not in r.text:
            raise PullError(f"the nbgitpuller page did not open ({r.status_code} at {r.url}): {r.text[:300]}")
        page_base = r.url.split("git-pull", 1)[0]
        self.user_base = page_base
        attrs = {k: urllib.parse.unquote(html.unescape(v)) for k, v in _DATA_ATTR.findall(r.text)}
        params = {"_xsrf": attrs.get("xsrf", ""), "repo": attrs["repo"], "targetpath": attrs["targetpath"]}
        for key in ("depth", "branch", "backup"):
            if key in attrs:
                params[key] = attrs[key]
        events, output = [], []
        with self.session.get(f"{page_base}git-pull/api", params=params, stream=True, timeout=self.timeout) as api:
            if api.status_code != 200:
                raise PullError(f"git-pull/api answered {api.status_code}")
            for line in api.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:].strip())
                events.append(event)
                if "output" in event:
                    output.append(str(event["output"]))
                if event.get("phase") in ("finished", "error"):
                    break
        last = events[-1] if events else {"phase": "none"}
        result = {"events": events, "output": "".join(output), "redirect": page_base + attrs.get("path", ""),
                  "targetpath": attrs["targetpath"], "seconds": time.monotonic() - start}
        if last.get("phase") != "finished":
            raise PullError(f"nbgitpuller did not finish: {last.get('message', last)}\n{result['output'][-2000:]}")
        return result

    # -- kernels
    def _xsrf_headers(self) -> dict[str, str]:
        """The `_xsrf` cookie of the single-user server (on a hub, the hub has one of its own)."""
        path = urllib.parse.urlparse(self.user_base).path
        best = None
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and path.startswith(cookie.path or "/"):
                if best is None or len(cookie.path or "") > len(best.path or ""):
                    best = cookie
        return {"X-XSRFToken": best.value} if best is not None else {}

    def open_notebook(self, path: str) -> "Kernel":
        """Start a kernel for a notebook (sessions API, as JupyterLab does): its cwd is the notebook's folder."""
        body = {"path": path, "type": "notebook", "name": Path(path).name, "kernel": {"name": "python3"}}
        r = self.session.post(f"{self.user_base}api/sessions", json=body, headers=self._xsrf_headers(),
                              timeout=self.timeout)
        if r.status_code not in (200, 201):
            raise RuntimeError(f"starting a kernel for {path} failed: {r.status_code} {r.text[:300]}")
        info = r.json()
        return Kernel(self, info["kernel"]["id"], info["id"])

    def contents(self, path: str) -> dict:
        r = self.session.get(f"{self.user_base}api/contents/{urllib.parse.quote(path)}", timeout=self.timeout)
        r.raise_for_status()
        return r.json()


class KernelError(RuntimeError):
    def __init__(self, ename: str, evalue: str, traceback: list[str]):
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue, self.traceback = ename, evalue, traceback


class Kernel:
    """A kernel's `channels` websocket (the JSON form of the Jupyter messaging protocol)."""

    def __init__(self, client: Client, kernel_id: str, session_id: str):
        self.client, self.id, self.session_id = client, kernel_id, session_id
        self.msg_session = uuid.uuid4().hex
        self.reconnects = 0
        self.ws = None
        self._connect()

    def _connect(self) -> None:
        import websocket

        client = self.client
        ws_base = client.user_base.replace("http://", "ws://", 1)
        headers = []
        if client.token:
            headers.append(f"Authorization: token {client.token}")
        cookies = "; ".join(f"{c.name}={c.value}" for c in client.session.cookies)
        self.ws = websocket.create_connection(
            f"{ws_base}api/kernels/{self.id}/channels?session_id={self.msg_session}",
            header=headers, cookie=cookies or None, origin=client.base.rstrip("/"), timeout=client.timeout)

    def execute(self, code: str, timeout: float = 300) -> dict:
        """Run code; on a lost websocket, reconnect and send again (as JupyterLab reconnects), at most 3 times."""
        import websocket

        for attempt in range(4):
            try:
                return self._execute(code, timeout)
            except (websocket.WebSocketConnectionClosedException, websocket.WebSocketBadStatusException,
                    ConnectionError):
                if attempt == 3:
                    raise
                self.reconnects += 1
                time.sleep(2)
                try:
                    if self.ws is not None:
                        self.ws.close()
                except Exception:  # noqa: BLE001
                    pass
                try:
                    self._connect()
                except Exception:  # noqa: BLE001 - the next attempt reports it
                    pass
        raise AssertionError("unreachable")

    def _execute(self, code: str, timeout: float = 300) -> dict:
        """Run code; return {"stdout", "stderr", "result", "error"}; raises KernelError on an error reply."""
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "username": "student", "session": self.msg_session,
                          "msg_type": "execute_request", "version": "5.3", "date": ""},
               "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
               "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                           "allow_stdin": False, "stop_on_error": True}}
        self.ws.send(json.dumps(msg))
        out = {"stdout": "", "stderr": "", "result": None, "error": None}
        replied = idle = False
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise TimeoutError("the kernel did not answer in time")
            reply = json.loads(self.ws.recv())
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = reply["header"]["msg_type"], reply.get("content", {})
            if kind == "stream":
                out[content.get("name", "stdout")] = out.get(content.get("name", "stdout"), "") + content.get("text", "")
            elif kind == "execute_result":
                out["result"] = content.get("data", {}).get("text/plain")
            elif kind == "error":
                out["error"] = content
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
        if out["error"]:
            err = out["error"]
            raise KernelError(err.get("ename", ""), err.get("evalue", ""), err.get("traceback", []))
        return out

    def value(self, code: str, timeout: float = 300):
        """Run code whose last stdout line is JSON; return it parsed."""
        out = self.execute(code, timeout)
        lines = [line for line in out["stdout"].splitlines() if line.strip()]
        return json.loads(lines[-1])

    def shutdown(self) -> None:
        try:
            self.ws.close()
        finally:
            self.client.session.delete(f"{self.client.user_base}api/sessions/{self.session_id}",
                                       headers=self.client._xsrf_headers(), timeout=self.client.timeout)


def main(argv: list[str]) -> int:
    if argv[:1] == ["install-proxy"]:
        print(install_proxy())
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
