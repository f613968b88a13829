"""Sphinx extension of the course's website.

Widgets cannot run on a static page; in the site's build ``course.static`` shows a box with two
placeholder links instead (``#launch-binder``, ``#launch-hub``). This extension points them at the
same Binder and JupyterHub (nbgitpuller) addresses as the theme's launch buttons for that page.
"""
from __future__ import annotations

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


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", fill_launch_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
