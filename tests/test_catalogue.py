"""The interface catalogues (issue 11): gettext .po sources with compiled .mo files beside them,
every key in every language, and a third language is one more catalogue file."""
from __future__ import annotations

import html

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from catalogue_tools import LOCALE, compile_po

from course import i18n
from course import store as st

LANGS = ("da", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_is_up_to_date(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "course.po"
    assert po.with_suffix(".mo").read_bytes() == compile_po(po), \
        "run: .venv/bin/python tests/catalogue_tools.py"


def test_every_key_exists_in_every_language():
    keys = {}
    for lang in LANGS:
        with open(LOCALE / lang / "LC_MESSAGES" / "course.po", "rb") as handle:
            catalog = read_po(handle)
        keys[lang] = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        empty = [m.id for m in catalog if m.id and not m.string]
        assert not empty, f"{lang}: no text for {empty}"
    assert keys["da"] == keys["en"]
    assert set(i18n.STRINGS) == keys["da"]
    assert all({"da", "en"} <= set(entry) for entry in i18n.STRINGS.values())


@pytest.fixture
def swedish(tmp_path):
    """A small Swedish test catalogue, added the way a translator would add one."""
    catalog = Catalog(locale="sv", domain="course")
    texts = {"save_error_empty": "Filen är tom.",
             "upload_refused": "Filen avvisades och ditt arbete är oförändrat: {reason}",
             "previous": "◀ Föregående", "next": "Nästa ▶", "student_label": "Ditt namn eller pseudonym"}
    for key, text in texts.items():
        catalog.add(key, text)
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "course.mo", "wb") as handle:
        write_mo(handle, catalog)
    before = {k: dict(v) for k, v in i18n.STRINGS.items()}, i18n.LANGUAGES, i18n.get_language()
    i18n.add_language("sv", tmp_path)
    yield texts
    strings, i18n.LANGUAGES, lang = before
    i18n.STRINGS.clear()
    i18n.STRINGS.update(strings)
    i18n._current = lang


def test_a_third_language_is_one_catalogue_file(swedish, tmp_path):
    assert "sv" in i18n.LANGUAGES
    with pytest.raises(st.SaveFileError) as caught:
        st.parse_bytes(b" ", "tom.json")
    assert caught.value.message("sv") == "tom.json: Filen är tom."
    assert i18n.t("mode_hands_on", "sv") == i18n.t("mode_hands_on", "da")  # missing keys fall back on Danish

    from course.widgets import ExcerptCoder

    st._OPEN.clear()
    i18n.set_language("sv")
    coder = ExcerptCoder(student="Ane", case="police", folder=tmp_path / "work")
    assert coder.prev_button.description == swedish["previous"]
    coder.savebar.upload.receive("tom.json", b" ")
    shown = html.unescape(coder.savebar.message.value)
    assert "Filen avvisades" in shown and "Filen är tom." in shown
    st._OPEN.clear()
