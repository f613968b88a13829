"""Fixtures for the real-browser tests: a throwaway JupyterLab server and a headless Chromium.

* ``browser`` (once for tests/browser): Chromium driven by Playwright. Without Chromium the tests
  skip with a message, except with ``CI=true``, where a missing browser is a failure.
* ``lab_server`` (once): JupyterLab on 127.0.0.1, a free port and a random token, with its own
  config, runtime, data, settings and workspace folders, serving a temporary copy of the course's
  notebooks and data (see :class:`helpers.LabServer`). Stopped by its PID at the end.
* ``lab`` (per test): a new browser context whose requests may only go to 127.0.0.1, a page, and
  the :class:`helpers.Lab` helpers. On failure a screenshot and the logs are kept in
  ``tests/artifacts/``. Every kernel is shut down after each test.

Only these tests: ``.venv/bin/python -m pytest tests/browser -v``; all but these: ``-m "not browser"``.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .helpers import ROOT, UI_TIMEOUT, Lab, LabServer

ARTIFACTS = ROOT / "tests" / "artifacts"
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: real-browser tests (Chromium + JupyterLab); leave them out with -m 'not browser'")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # read by the lab fixture to keep a screenshot
    return report


def unavailable(reason: str):
    """Skip on a developer's machine; fail on CI, where the browser tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run on CI)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("COURSE_CHROMIUM", ""), CHROMIUM,
                      shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="package")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The Python package 'playwright' is missing; `python tasks.py test` installs it.")
    path = find_chromium()
    if path is None:
        unavailable(f"Chromium was not found ({CHROMIUM}); install it (e.g. `apt-get install chromium`) "
                    "to run the browser tests.")
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT)  # assertions wait for the kernel's round trip, not 5 s
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True,
                                                  timeout=120_000)
        except Exception as err:  # a browser that is there but does not start is a real problem
            pytest.fail(f"Chromium at {path} did not start under Playwright: {err}", pytrace=False)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="package")
def lab_server(tmp_path_factory, browser):
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"))
    server.prepare()
    try:
        server.start()
    except RuntimeError as err:
        server.stop()
        pytest.fail(str(err), pytrace=False)
    yield server
    server.stop()


def _safe(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[-150:]


@pytest.fixture
def lab(request, lab_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="da-DK",
                                  timezone_id="Europe/Copenhagen")
    context.set_default_timeout(UI_TIMEOUT)
    page = context.new_page()
    helper = Lab(lab_server, context, page, tmp_path)
    local = (f"http://127.0.0.1:{lab_server.port}/", f"ws://127.0.0.1:{lab_server.port}/")

    def gate(route):
        if route.request.url.startswith(local):
            route.continue_()
        else:  # no network: everything the course needs is served by the local server
            helper.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", gate)
    page.on("console", lambda message: helper.console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: helper.page_errors.append(str(error)))
    # Leaving a notebook with unsaved outputs asks "leave the page?": yes (a reload must reload).
    page.on("dialog", lambda dialog: dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())
    yield helper
    if any(getattr(getattr(request.node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTIFACTS / _safe(request.node.nodeid)
        try:
            page.screenshot(path=f"{stem}.png", full_page=True, timeout=30_000)
        except Exception as err:  # the page may be gone; the logs still help
            helper.console.append(f"(no screenshot: {err})")
        Path(f"{stem}.log").write_text(
            "blocked requests:\n" + "\n".join(helper.blocked)
            + "\n\npage errors:\n" + "\n".join(helper.page_errors)
            + "\n\nbrowser console:\n" + "\n".join(helper.console)
            + "\n\nserver log (end):\n" + lab_server.log_tail(200), encoding="utf-8")
    context.close()
    lab_server.shutdown_kernels()
