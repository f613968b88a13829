"""The table loaders never half-read: every odd file Excel users make is read or named clearly."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from course import display, i18n
from course.data import (
    DataError,
    DataWarning,
    is_blank,
    load_corpus,
    spreadsheet_safe,
    spreadsheet_safe_frame,
    write_csv,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "own_case"
HEADER = "id,case,kind,source,speaker,section,text_da,reference_codes,rationale_da,rationale_en"


def rows(n=8):
    return [f"b{i},budget,vignette,article,leder,,Lederen gør ting nummer {i} på Ærø,FRAME,Fordi {i}.,Because {i}."
            for i in range(1, n + 1)]


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("*.md", "moves.csv"))
    return folder


def write(folder, lines, encoding="utf-8", sep=","):
    text = "\n".join(line.replace(",", sep) for line in [HEADER, *lines]) + "\n"
    (folder / "excerpts.csv").write_bytes(text.encode(encoding))


def problems(folder):
    with pytest.raises(DataError) as info:
        load_corpus(folder)
    return info.value.problems


def test_an_unclosed_quote_in_the_last_field_names_the_row_instead_of_swallowing_rows(case):
    lines = rows()
    lines[2] = lines[2].rsplit(",", 1)[0] + ',"Because the quote is never closed'
    write(case, lines)
    found = problems(case)
    assert any(p.row == 4 and p.field == "rationale_en" and "5-9" in p.message for p in found), found


def test_a_misspelt_optional_column_is_named_with_the_closest_known_one(case):
    write(case, rows())
    text = (case / "excerpts.csv").read_text(encoding="utf-8").replace("reference_codes", "reference_code", 1)
    (case / "excerpts.csv").write_text(text, encoding="utf-8")
    found = problems(case)
    assert any(p.field == "reference_code" and "reference_codes" in p.fix for p in found), found


def test_an_unknown_column_without_a_near_name_is_a_warning(case):
    write(case, rows())
    text = (case / "excerpts.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",my_notes", *(line + ",x" for line in text[1:])]
    (case / "excerpts.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.warns(DataWarning, match="my_notes"):
        load_corpus(case)


def test_a_field_longer_than_the_csv_limit_names_file_row_and_fix(case):
    lines = rows()
    lines[1] = lines[1].replace("Because 2.", "x" * 140_000)
    write(case, lines)
    found = problems(case)
    assert len(found) == 1 and found[0].row == 3 and "excerpts.csv" in found[0].file and "131" in found[0].message
    assert found[0].fix


@pytest.mark.parametrize("encoding, sep", [("utf-16", "\t"), ("utf-8", "\t"), ("utf-8-sig", ";")])
def test_excels_other_text_formats_are_read(case, encoding, sep):
    write(case, rows(), encoding=encoding, sep=sep)
    corpus = load_corpus(case)
    assert len(corpus.excerpts) == 8 and corpus.excerpts["text_da"].iloc[0].endswith("Ærø")


def test_a_sep_line_names_the_separator(case):
    write(case, rows(), sep=";")
    raw = (case / "excerpts.csv").read_bytes()
    (case / "excerpts.csv").write_bytes(b"sep=;\n" + raw)
    corpus = load_corpus(case)
    assert len(corpus.excerpts) == 8 and corpus.excerpts["source_row"].tolist()[0] == 2


def test_one_stray_windows_byte_is_reported_and_the_rest_stays_utf8(case):
    lines = rows()
    write(case, lines)
    raw = (case / "excerpts.csv").read_bytes().replace(b"Fordi 5.", "F\xf8rdi 5.".encode("cp1252"))
    (case / "excerpts.csv").write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # no whole-file re-decoding
        found = problems(case)
    assert [(p.row, p.field) for p in found] == [(6, "rationale_da")], found
    assert "0xF8" in found[0].message


def test_text_of_invisible_characters_only_counts_as_empty(case):
    lines = rows()
    lines[0] = lines[0].replace("Lederen gør ting nummer 1 på Ærø", "\u200b\u200d\ufeff\u2060")
    write(case, lines)
    found = problems(case)
    assert [(p.row, p.field) for p in found] == [(2, "text_da")]
    assert is_blank("\u3164 \u200b") and not is_blank("æ")


def test_excerpts_csv_being_a_folder_is_a_clear_message(case):
    (case / "excerpts.csv").unlink()
    (case / "excerpts.csv").mkdir()
    found = problems(case)
    assert any("excerpts.csv" in p.file and ("mappe" in p.message or "folder" in p.message) for p in found)


def test_the_quotes_markdown_is_escaped(corpus):
    excerpt = display.quote(corpus.excerpts["id"].iloc[0], corpus=corpus)
    excerpt.record = dict(excerpt.record, text_da="<script>alert(1)</script> **fed** [link](javascript:x)\n# Overskrift")
    markdown = excerpt._repr_markdown_()
    assert "<script>" not in markdown and "**fed**" not in markdown and "](javascript" not in markdown
    assert "\n> \\# Overskrift" in markdown and all(line.startswith(">") for line in markdown.splitlines())


def test_cells_that_spreadsheets_would_run_are_neutralised(tmp_path):
    assert [spreadsheet_safe(v) for v in ("=1+1", "+45", "-2", "@SUM(A1)", "ok", 3)] == \
        ["'=1+1", "'+45", "'-2", "'@SUM(A1)", "ok", 3]
    frame = pd.DataFrame({"memo": ["=HYPERLINK(\"x\")", "fine"], "n": [1, 2]})
    write_csv(frame, tmp_path / "out.csv")
    back = pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")
    assert back["memo"].tolist() == ["'=HYPERLINK(\"x\")", "fine"] and back["n"].tolist() == [1, 2]
    assert spreadsheet_safe_frame(frame)["memo"].iloc[0].startswith("'")


def test_messages_follow_the_language(case):
    (case / "excerpts.csv").unlink()
    (case / "excerpts.csv").mkdir()
    i18n.set_language("en")
    try:
        assert any("is a folder" in p.message for p in problems(case))
    finally:
        i18n.set_language("da")
