"""Sphinx configuration of the course's website (one build per language).

Build with ``python3 tasks.py site`` (see site/build.py), not with sphinx-build directly: the build
first lays out the sources of one language in ``_site_build/src/<lang>/`` (the course's notebooks and
documents at their paths in the repository, plus the pages generated from the data) and passes the
language in ``SAMSKABELSE_SITE_LANG``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

# --- the settings a course host changes --------------------------------------------------------
#: The repository the launch buttons open (as in the README).
REPOSITORY_URL = "https://github.com/samskabelse-kursus/samskabelse"
REPOSITORY_BRANCH = os.environ.get("SAMSKABELSE_SITE_BRANCH", "main")
#: Your university's JupyterHub (nbgitpuller must be installed there). One setting: change it
#: here or set SAMSKABELSE_HUB_URL when building.
JUPYTERHUB_URL = os.environ.get("SAMSKABELSE_HUB_URL", "https://jupyterhub.example.org")
BINDERHUB_URL = "https://mybinder.org"
# ------------------------------------------------------------------------------------------------

LANG = os.environ.get("SAMSKABELSE_SITE_LANG", "da")
TITLES = {
    "da": "Ledelse af samskabelse med borgere i udsatte positioner",
    "en": "Leading co-creation with citizens in vulnerable positions",
}

project = TITLES[LANG]
html_title = TITLES[LANG]
author = "Kursets forfattere" if LANG == "da" else "The course's authors"
copyright = "2026, " + author + " (CC BY 4.0)"
language = LANG
root_doc = "index"

extensions = ["myst_nb", "course_site"]
#: The languages of this build (site/build.py): every page links to its counterpart in the others.
course_site_languages = os.environ.get("SAMSKABELSE_SITE_LANGS", LANG)
# LICENSE-content.md is included in licences.md, not a page of its own.
exclude_patterns = ["LICENSE-content.md", "**.ipynb_checkpoints"]
templates_path = [str(HERE / "_templates")]
html_static_path = [str(HERE / "_static")]
html_css_files = ["course-site.css"]

# MyST: no dollar maths (a "$" in a text is a dollar) and headings get anchors for links.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# Notebooks run at build time; outputs are cached (keyed by the code cells) so a rebuild is quick.
nb_execution_mode = "cache"
nb_execution_cache_path = os.environ.get("SAMSKABELSE_SITE_CACHE", str(HERE.parent / "_site_build" / "cache"))
nb_execution_timeout = 600
# The exercise notebooks are shown as the student gets them (unanswered), not run.
nb_execution_excludepatterns = ["exercises/*", "exercises/en/*"]
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# No widget JavaScript from a CDN: widgets are shown as a box with launch links (course.static).
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("dirhtml", "application/vnd.jupyter.widget-view+json", None),
]

# No request leaves the site: Sphinx adds MathJax (from a CDN) only to a page with formulas, and
# the course has none (no dollar maths above); tests/site checks that no page asks for it.

html_theme = "sphinx_book_theme"
html_theme_options = {
    "repository_url": REPOSITORY_URL,
    "repository_branch": REPOSITORY_BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "launch_buttons": {
        "binderhub_url": BINDERHUB_URL,
        "jupyterhub_url": JUPYTERHUB_URL,
        "notebook_interface": "jupyterlab",
    },
    # The language switch (site/_templates/course-language.html) next to the sidebar's toggle.
    "article_header_start": ["toggle-primary-sidebar.html", "course-language.html"],
    # The theme's defaults that would fetch from the internet stay off.
    "icon_links": [],
}
html_search_language = LANG
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True
html_permalinks_icon = "#"
