"""Where the course finds its data and keeps the student's work."""
from __future__ import annotations

import os
from pathlib import Path

from . import i18n

PACKAGE_DIR = Path(__file__).resolve().parent

WORK_DIR_ENV = "SAMSKABELSE_WORK_DIR"


def data_dir() -> Path:
    """The folder with the article's tables.

    An installed wheel carries them as ``course/_data``; a source checkout or an editable install
    reads the repository's top-level ``data/`` folder.
    """
    bundled = PACKAGE_DIR / "_data"
    if (bundled / "excerpts.csv").exists():
        return bundled
    source = PACKAGE_DIR.parent / "data"
    if (source / "excerpts.csv").exists():
        return source
    raise FileNotFoundError(i18n.t("error.no_data_tables", bundled=bundled, source=source))


def work_dir() -> Path:
    """The per-student folder where saved work lives.

    Outside the repository by default (``~/samskabelse-work``), so that ``git pull`` and
    nbgitpuller never touch it; set ``SAMSKABELSE_WORK_DIR`` to move it.
    """
    configured = os.environ.get(WORK_DIR_ENV)
    path = Path(configured).expanduser() if configured else Path.home() / "samskabelse-work"
    return path
