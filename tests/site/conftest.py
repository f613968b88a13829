"""Fixtures for the website's tests: the built site, a local static server and headless Chromium.

* ``site_dir`` (once per session): ``site/build.py`` builds the site into a temporary folder
  (notebook outputs come from the build's cache in ``_site_build/cache`` when the code cells did
  not change). A failed build (a Sphinx warning included) fails the tests.
* ``site_server``: Python's static file server on 127.0.0.1 and a free port, serving that folder.
* ``chromium``: Debian's Chromium through Playwright. Without Chromium (or Playwright, or Sphinx)
  the tests skip with a message, except under ``CI=true``, where that is a failure.
* ``visit``: opens a page in a new browser context in which every request that is not to the
  local server is blocked and recorded (``visit.blocked``), with the page's errors.

Only these tests: ``.venv/bin/python -m pytest tests/site -v``; all but these: ``-m "not site"``.
"""
from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 120_000  # ms for a page to load or an element to appear (generous: the machine is shared)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


def unavailable(reason: str):
    """Skip on a developer's machine; fail on CI, where the site's tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the site's tests must run on CI)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("COURSE_CHROMIUM", ""), CHROMIUM,
                      shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def load_build_module():
    spec = importlib.util.spec_from_file_location("course_site_build", ROOT / "site" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site_build():
    """site/build.py as a module (skips when Sphinx, MyST-NB or the theme is missing)."""
    for package in ("sphinx", "myst_nb", "sphinx_book_theme"):
        if importlib.util.find_spec(package) is None:
            unavailable(f"The package '{package}' is missing; `python3 tasks.py test` installs the site's tools.")
    return load_build_module()


@pytest.fixture(scope="session")
def site_dir(site_build, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    # The build runs in this process and turns on static output (an environment variable and Altair's
    # renderer); put both back afterwards so later tests see the ordinary interactive course.
    import altair as alt

    env_before = os.environ.get("SAMSKABELSE_STATIC")
    renderer_before, options_before = alt.renderers.active, dict(alt.renderers.options or {})
    try:
        site_build.build(out, quiet=True)
    except RuntimeError as err:
        pytest.fail(f"The site did not build: {err}", pytrace=False)
    finally:
        if env_before is None:
            os.environ.pop("SAMSKABELSE_STATIC", None)
        else:
            os.environ["SAMSKABELSE_STATIC"] = env_before
        alt.renderers.enable(renderer_before, **options_before)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_server(site_dir):
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The Python package 'playwright' is missing; `python3 tasks.py test` installs it.")
    path = find_chromium()
    if path is None:
        unavailable(f"Chromium was not found ({CHROMIUM}); install it (e.g. `apt-get install chromium`) "
                    "to run the site's browser tests.")
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True,
                                                 timeout=120_000)
        except Exception as err:
            pytest.fail(f"Chromium at {path} did not start under Playwright: {err}", pytrace=False)
        yield browser
        browser.close()
    finally:
        playwright.stop()


class Visitor:
    """Opens site pages with every non-local request blocked and recorded."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.contexts = []

    def open(self, path: str, width: int = 1280, height: int = 900):
        self.close()  # one page at a time: a shared 2-core machine slows down with many open tabs
        context = self.browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
        context.set_default_timeout(TIMEOUT)
        self.contexts.append(context)

        def gate(route):
            if route.request.url.startswith(self.base):
                route.continue_()
            else:
                self.blocked.append(f"{path}: {route.request.url}")
                route.abort("blockedbyclient")

        context.route("**/*", gate)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{path}: {error}"))
        response = page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path} did not load: {response and response.status}"
        return page

    def close(self):
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.fixture
def visit(chromium, site_server):
    visitor = Visitor(chromium, site_server)
    yield visitor
    visitor.close()
