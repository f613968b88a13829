"""Sphinx extension of the course's website.

Widgets cannot run on a static page; in the site's build ``course.static`` shows a box with two
placeholder links instead (``#launch-binder``, ``#launch-hub``). This extension points them at the
same Binder and JupyterHub (nbgitpuller) addresses as the theme's launch buttons for that page.

It also gives every page a language switch (``_templates/course-language.html`` in the article's
header): a link to the corresponding page of the other language (``site/build.py: counterpart``),
or to its start page when there is none. Only when the other language is part of the build.
"""
from __future__ import annotations

import importlib.util
import posixpath
from pathlib import Path
from urllib.parse import urlencode

from docutils import nodes
from sphinx.application import Sphinx

PLACEHOLDERS = ('href="#launch-binder"', 'href="#launch-hub"')


def launch_urls(app: Sphinx, docname: str) -> dict[str, str]:
    """Binder and JupyterHub addresses that open ``docname``'s notebook in JupyterLab."""
    options = app.config.html_theme_options
    launch = options.get("launch_buttons", {})
    repo_url = options["repository_url"].rstrip("/")
    org, repo = repo_url.split("/")[-2:]
    branch = options.get("repository_branch", "main")
    prefix = options.get("path_to_docs", "").strip("/")
    source = Path(app.env.doc2path(docname)).suffix or ".ipynb"
    path = f"{prefix + '/' if prefix else ''}{docname}{source}"
    binder = launch.get("binderhub_url", "").rstrip("/")
    hub = launch.get("jupyterhub_url", "").rstrip("/")
    params = urlencode({"repo": repo_url, "urlpath": f"lab/tree/{repo}/{path}", "branch": branch}, safe="/")
    return {
        "binder": f"{binder}/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{path}",
        "hub": f"{hub}/hub/user-redirect/git-pull?{params}",
    }


def fill_launch_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    urls = None
    for node in doctree.findall(nodes.raw):
        text = node.astext()
        if not any(p in text for p in PLACEHOLDERS):
            continue
        urls = urls or launch_urls(app, docname)
        text = text.replace(PLACEHOLDERS[0], f'href="{urls["binder"]}"')
        text = text.replace(PLACEHOLDERS[1], f'href="{urls["hub"]}"')
        node.children = [nodes.Text(text)]


_BUILD = None


def _build_module():
    global _BUILD
    if _BUILD is None:
        spec = importlib.util.spec_from_file_location("course_site_builder", Path(__file__).resolve().parents[1] / "build.py")
        _BUILD = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_BUILD)
    return _BUILD


def language_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``course_languages`` in the page's context: the other languages' corresponding pages."""
    lang = app.config.language
    langs = [code for code in app.config.course_site_languages.split(",") if code]
    build = _build_module()
    links = []
    for other in langs:
        if other == lang or other not in build.LANGUAGES:
            continue
        target = build.counterpart(pagename, lang, other)
        # from this page up to the site's root (_site/<lang>/...), then down into the other language
        href = posixpath.relpath(f"{other}/{target}.html", posixpath.dirname(f"{lang}/{pagename}"))
        links.append({"lang": other, "name": build.LANGUAGES[other]["name"], "href": href})
    context["course_languages"] = links


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", fill_launch_links)
    # The languages of the build (a config value, so that a build with other languages writes every
    # page again instead of keeping pages whose switch is missing or extra).
    app.add_config_value("course_site_languages", "", "html", types=[str])
    app.connect("html-page-context", language_switch)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
