"""The name a student last typed, remembered in the work folder (``profile.json``).

Plain Python (no ipywidgets): the widgets write it, and the student report and the hand-in read it.
"""
from __future__ import annotations

import json
from pathlib import Path

PROFILE = "profile.json"


def remembered_name(folder: Path) -> str:
    """The name the student last typed in ``folder``'s widgets ("student" when none)."""
    try:
        name = json.loads((folder / PROFILE).read_text(encoding="utf-8")).get("student", "")
        return name if isinstance(name, str) and name.strip() else "student"
    except (OSError, ValueError, AttributeError):
        return "student"


def remember_name(folder: Path, name: str) -> None:
    """Remember ``name`` for ``folder``'s next notebook (a failure to write is not an error)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / PROFILE).write_text(json.dumps({"student": name}, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass
