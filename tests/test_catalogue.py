"""The interface catalogues (issue 11): gettext .po sources with compiled .mo files beside them,
every key in every language, and a third language is one more catalogue file."""
from __future__ import annotations

import ast
import gettext
import html
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from catalogue_tools import LOCALE, compile_po

from course import i18n
from course import store as st
from course.data import DataError, load_corpus

ROOT = Path(__file__).resolve().parent.parent

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
             "previous": "◀ Föregående", "next": "Nästa ▶", "student_label": "Ditt namn eller pseudonym",
             "data_is_folder": "{name} är en mapp, inte en fil.",
             "data_problem": "{where}: {message} Så här rättar du det: {fix}",
             "selfcheck.common.not_answered.text": "Inte besvarad än: byt ut `...` mot ditt svar och kör cellen igen.",
             "selfcheck.common.choice.hint": "Svara med en bokstav: {letters} (som text, t.ex. \"{letters_0}\").",
             "selfcheck.s1.q5.right": "Rätt: samma få aktiva medborgare återkommer i många processer."}
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


def test_a_third_language_switches_the_loaders_problems_and_the_self_checks(swedish, tmp_path):
    from course.selfcheck import heading, session1

    i18n.set_language("sv")
    folder = tmp_path / "data"
    (folder / "codebook.csv").mkdir(parents=True)
    with pytest.raises(DataError) as caught:
        load_corpus(folder)
    problem = next(p for p in caught.value.problems if p.kind == "is_folder")
    assert problem.message == "codebook.csv är en mapp, inte en fil."
    assert "Så här rättar du det:" in str(problem) and problem.describe("sv") == str(problem)
    assert problem.render("en") == i18n.t("data_is_folder", "en", name="codebook.csv") + " " + \
        i18n.t("data_is_folder_fix", "en", name="codebook.csv")
    # The self-checks: Swedish where the catalogue has it, Danish where it has not (a partial translation works).
    assert session1.q5(...).message == swedish["selfcheck.common.not_answered.text"]
    assert session1.q5("z").message == 'Svara med en bokstav: a, b, c, d (som text, t.ex. "a").'
    assert session1.q5("b").message == swedish["selfcheck.s1.q5.right"]
    assert session1.q5("c").message == i18n.t("selfcheck.s1.q5.c", "da", s01=heading("S01"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_a_keys_placeholders_are_the_same_in_every_language():
    """A translation that drops or renames a {placeholder} would fail when the text is filled in."""
    differ = {key: {lang: sorted(_fields(text)) for lang, text in entry.items()}
              for key, entry in i18n.STRINGS.items() if len({frozenset(_fields(t)) for t in entry.values()}) > 1}
    assert not differ, differ


def _selfcheck_keys() -> tuple[set[str], set[str]]:
    """The keys the self-checks name (literals such as "s4.q5.hint1") and the prefixes of the keys they build."""
    keys, prefixes = set(), set()
    pattern = __import__("re").compile(r"^(common|s\d)\.[\w.]+$")
    for path in (ROOT / "course" / "selfcheck").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value) \
                    and id(node) not in pieces:
                keys.add("selfcheck." + node.value)
            elif isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                start = node.values[0].value
                if pattern.match(start.rstrip(".")):
                    prefixes.add("selfcheck." + start)
    return keys, prefixes


def test_every_self_check_key_is_in_the_catalogue_and_every_catalogue_key_is_used():
    keys, prefixes = _selfcheck_keys()
    assert keys and prefixes
    stems = {key for key in keys if any(k.startswith(key + ".") for k in i18n.STRINGS)}
    assert not keys - stems - set(i18n.STRINGS), sorted(keys - stems - set(i18n.STRINGS))
    # A key named in the code may also be the stem of keys a helper builds (choice_question: "<key>.a", ...).
    prefixes |= {key + "." for key in keys}
    unused = [k for k in i18n.STRINGS if k.startswith("selfcheck.") and k not in keys
              and not k.startswith(tuple(prefixes)) and not k.startswith("selfcheck.s4.period.")]
    assert not unused, unused


@pytest.mark.parametrize("lang", LANGS)
def test_the_mo_reader_agrees_with_gettext(lang, tmp_path):
    mo = LOCALE / lang / "LC_MESSAGES" / "course.mo"
    with open(mo, "rb") as handle:
        reference = gettext.GNUTranslations(handle)
    messages = i18n.read_mo(mo)
    assert len(messages) > 500
    assert all(reference.gettext(key) == text for key, text in messages.items())
    with open(LOCALE / lang / "LC_MESSAGES" / "course.po", "rb") as handle:
        assert set(messages) == {m.id for m in read_po(handle) if m.id and m.string}
    # The same catalogue written big-endian (as gettext on such a machine writes it) reads the same.
    raw = bytearray(mo.read_bytes())
    count, hash_size, hash_at = (int.from_bytes(raw[at:at + 4], "little") for at in (8, 20, 24))
    originals, translations = (int.from_bytes(raw[at:at + 4], "little") for at in (12, 16))
    words = [*range(0, 28, 4), *(t + 4 * i for t in (originals, translations) for i in range(2 * count)),
             *(hash_at + 4 * i for i in range(hash_size))]
    for at in words:
        raw[at:at + 4] = raw[at:at + 4][::-1]
    (tmp_path / "big.mo").write_bytes(bytes(raw))
    assert i18n.read_mo(tmp_path / "big.mo") == messages
    (tmp_path / "bad.mo").write_bytes(b"not a catalogue" + bytes(20))
    with pytest.raises(ValueError):
        i18n.read_mo(tmp_path / "bad.mo")
