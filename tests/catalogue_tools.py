"""Compile the interface catalogues (course/locale/<lang>/LC_MESSAGES/course.po -> course.mo) with Babel.

Run ``.venv/bin/python tests/catalogue_tools.py`` after editing a .po file; tests/test_catalogue.py
checks that every committed .mo file is what its .po compiles to.
"""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "course" / "locale"


def compile_po(po: Path) -> bytes:
    with open(po, "rb") as handle:
        catalog = read_po(handle, domain="course")
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def build(locale: Path = LOCALE) -> list[Path]:
    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/course.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
