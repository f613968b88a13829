"""The article's tables load, validate and cover the article; bad tables fail clearly and whole."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import course
from course import i18n
from course.data import DataError, DataWarning, load_corpus, split_list

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
ARTICLE = SHARED / "source" / "article.txt"



@pytest.fixture
def case_dir(tmp_path):
    """A copy of the article's tables to break."""
    target = tmp_path / "case"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def rewrite(path: Path, edit):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    rows, fields = edit(rows, fields)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def problems(folder):
    with pytest.raises(DataError) as info:
        load_corpus(folder)
    return info.value.problems


# -- the article's data ------------------------------------------------------------------------
def test_tables_load_with_expected_sizes(corpus):
    counts = corpus.excerpts.groupby("case").size()
    assert counts["police"] >= 20 and counts["workshop"] >= 20
    assert len(corpus.codebook) == 12
    assert 45 <= len(corpus.moves) <= 60
    fieldwork = corpus.fieldwork.groupby("case").size()
    assert fieldwork["police"] == 27 and fieldwork["workshop"] == 13
    assert set(corpus.timeline["case"]) == {"police", "workshop"}


def test_every_quote_is_verbatim_by_the_shared_checker():
    if not (SHARED / "tools" / "check_quotes.py").exists():
        pytest.skip("../shared/tools/check_quotes.py is not beside the project")
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "check_quotes.py")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert " 0 not found" in result.stdout


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_quotations_in_the_article_are_all_covered(corpus):
    """Every informant/observation/document quotation block of the article is in the excerpts."""
    if not ARTICLE.exists():
        pytest.skip("the article is not beside the project")
    quotes = [_fold(q) for q in corpus.excerpts.loc[corpus.excerpts["kind"] == "quote", "text_da"]]
    # Anchors: the opening words of each direct quotation the article attributes to an informant,
    # an observation, a document or a slogan (found by reading the article).
    anchors = [
        "sammen skaber vi velfærden", "hvis kommune og borger hjælper hinanden", "os mod dem", "klodset",
        "færdigheder, alt det hun havde arbejdet med", "førhen var der mange ting", "vi er alles politi",
        "vi fører dialog med de velfungerende borgere", "vi skelner mellem stærk religiøsitet",
        "oplevede mine folk fra beredskabet", "det var en stor fordel, at det var mig", "alles politi",
        "en kvindelig deltager udtrykker", "vi bad dem ikke om det", "selv får lov til at dagsordensætte",
        "den bløde indsats", "ud i strakt arm", "jeg ved ikke, hvad der sker", "nedbryde barrierer",
        "i løsningen af de problemer", "jeg nedtoner faktisk dialogprojektet", "jamen det var jo faktisk min idé",
        "det var også derfor det skulle være en udefra", "hvordan skal værestedstilbuddet se ud",
        "det var ok, at vi havde den rolle", "nej, altså. det er vejen frem", "kostet",
        "det er en forandringskultur",
    ]
    missing = [a for a in anchors if not any(q.startswith(a) or a in q for q in quotes)]
    assert not missing, f"quotations not in data/excerpts.csv: {missing}"


def test_references_and_rationales(corpus):
    codes = set(corpus.code_ids)
    for row in corpus.excerpts.itertuples():
        listed = split_list(row.reference_codes)
        assert listed and set(listed) <= codes, row.id
        assert row.rationale_da.strip() and row.rationale_en.strip(), row.id
        assert row.text_en.strip(), row.id
    for row in corpus.moves.itertuples():
        assert row.rationale_da.strip() and row.rationale_en.strip() and row.description_en.strip(), row.id
    assert set(corpus.moves["reference_class"]) <= set(corpus.move_classes)
    # Every code is used by the reference coding, and every move class occurs.
    used = {c for r in corpus.excerpts.reference_codes for c in split_list(r)}
    assert used == codes
    assert set(corpus.moves["reference_class"]) == set(corpus.move_classes)


def test_speaker_and_actor_translated(corpus):
    """English mode shows who speaks and who acts in English: every excerpt has ``speaker_en`` and every move
    ``actor_en``; one Danish role has one English translation, and pseudonyms stay as they are."""
    from course import i18n
    pairs = list(zip(corpus.excerpts["speaker"], corpus.excerpts["speaker_en"])) + \
        list(zip(corpus.moves["actor"], corpus.moves["actor_en"]))
    assert all(str(en).strip() for _, en in pairs), [da for da, en in pairs if not str(en).strip()]
    english = {}
    for da, en in pairs:
        english.setdefault(da, set()).add(en)
    assert {da: ens for da, ens in english.items() if len(ens) > 1} == {}
    for name in ("Kurt", "Bodil", "Rolf"):
        assert all(name in en for da, en in pairs if name in da), name
    assert english["politidirektør"] == {"police director"}
    assert english["værestedsleder Kurt"] == {"drop-in centre manager Kurt"}
    row = corpus.excerpts.iloc[0].to_dict()
    assert i18n.field(row, "speaker", "en") == row["speaker_en"]
    assert i18n.field(row, "speaker", "da") == row["speaker"]
    assert i18n.field(dict(row, speaker_en=""), "speaker", "en") == row["speaker"]


def test_vignettes_and_pseudonyms(corpus):
    vignettes = corpus.excerpts[corpus.excerpts["kind"] == "vignette"]
    text = " ".join(vignettes["text_da"])
    for name in ("Bodil", "Laura", "Kurt"):
        assert name in text
    # No invented names: capitalised first names in the course's own texts are the article's.
    article = ARTICLE.read_text(encoding="utf-8") if ARTICLE.exists() else ""
    if article:
        for name in set(re.findall(r"\b(Bodil|Laura|Kurt|Rolf|[A-ZÆØÅ][a-zæøå]+sen)\b", text)):
            assert name in article, name


def test_codebook_fields(corpus):
    book = corpus.codebook
    assert list(book["group"].unique()) == ["hands_off", "hands_on", "democratic_anchoring", "dilemma"]
    assert book["uuid"].is_unique and book["colour"].is_unique
    for column in ("definition_en", "use_when_en", "dont_use_when_en", "example_excerpt"):
        assert (book[column].str.len() > 0).all(), column


def test_versions_are_fingerprints(corpus):
    assert re.fullmatch(r"[0-9a-f]{12}", corpus.data_version)
    assert corpus.key == "article"


# -- malformed inputs ---------------------------------------------------------------------------
def test_missing_column_names_file_and_column(case_dir):
    rewrite(case_dir / "excerpts.csv", lambda rows, f: ([{k: v for k, v in r.items() if k != "speaker"} for r in rows],
                                                       [c for c in f if c != "speaker"]))
    found = problems(case_dir)
    assert any(p.file.endswith("excerpts.csv") and p.field == "speaker" and p.row == 1 for p in found)
    assert "How to fix" in found[0].describe("en") and str(found[0]) == found[0].describe()
    assert i18n.t("data_missing_column_fix", column="speaker") in str(found[0])


def test_duplicate_id_names_both_rows(case_dir):
    def edit(rows, fields):
        rows[3]["id"] = rows[1]["id"]
        return rows, fields
    rewrite(case_dir / "moves.csv", edit)
    found = problems(case_dir)
    hit = [p for p in found if p.field == "id" and p.file.endswith("moves.csv")]
    assert hit and hit[0].row == 5 and hit[0].kind == "duplicate_id" and hit[0].values["first_row"] == 3
    assert "row 3" in hit[0].render("en") and hit[0].message == i18n.t("data_duplicate_id", **hit[0].values)


def test_unknown_code_is_named(case_dir):
    def edit(rows, fields):
        rows[0]["reference_codes"] = "HOFF_DESIGN;NO_SUCH_CODE"
        return rows, fields
    rewrite(case_dir / "excerpts.csv", edit)
    found = problems(case_dir)
    assert any(p.row == 2 and p.field == "reference_codes" and "NO_SUCH_CODE" in p.message for p in found)


def test_unknown_allowed_value_and_reference_class(case_dir):
    def edit(rows, fields):
        rows[0]["phase"] = "sometime"
        rows[1]["reference_class"] = "DIL_CARE"  # a dilemma code is not a move class
        return rows, fields
    rewrite(case_dir / "moves.csv", edit)
    found = problems(case_dir)
    assert any(p.row == 2 and p.field == "phase" for p in found)
    assert any(p.row == 3 and p.field == "reference_class" for p in found)


def test_empty_file(case_dir):
    (case_dir / "codebook.csv").write_bytes(b"")
    found = problems(case_dir)
    assert any(p.file.endswith("codebook.csv") and p.kind == "empty_file" and "empty" in p.render("en") for p in found)


def test_header_only_and_missing_required_file(case_dir):
    (case_dir / "cases.csv").write_text("id,label_da\n", encoding="utf-8")
    (case_dir / "excerpts.csv").unlink()
    found = problems(case_dir)
    assert any(p.file.endswith("cases.csv") and p.kind == "no_rows" and "no data rows" in p.render("en") for p in found)
    assert any(p.file.endswith("excerpts.csv") and p.kind == "missing_file" and "missing" in p.render("en") for p in found)


def test_empty_danish_text(case_dir):
    def edit(rows, fields):
        rows[2]["text_da"] = "   "
        return rows, fields
    rewrite(case_dir / "excerpts.csv", edit)
    found = problems(case_dir)
    assert any(p.row == 4 and p.field == "text_da" for p in found)


def test_ragged_row_is_reported_not_half_loaded(case_dir):
    with (case_dir / "cases.csv").open("a", encoding="utf-8") as fh:
        fh.write("extra,Ekstra, with, too, many, fields\n")
    found = problems(case_dir)
    assert any(p.file.endswith("cases.csv") and p.kind == "ragged_row" and "fields but the header has" in p.render("en")
               for p in found)


def test_cp1252_excel_export_with_danish_letters_and_semicolons(case_dir):
    text = (case_dir / "cases.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    rows[1][1] = "Politiets dialoginitiativ – æøå ÆØÅ"
    out = "\r\n".join(";".join(f'"{c}"' if ";" in c or '"' in c else c for c in row) for row in rows) + "\r\n"
    (case_dir / "cases.csv").write_bytes(out.encode("cp1252"))
    with pytest.warns(DataWarning, match="Windows-1252"):
        corpus = load_corpus(case_dir)
    assert corpus.cases.loc[corpus.cases["id"] == "police", "label_da"].item() == "Politiets dialoginitiativ – æøå ÆØÅ"


def test_markup_survives_as_plain_text(case_dir):
    payload = '<script>alert("x")</script> <img src=x onerror="alert(1)">'

    def edit(rows, fields):
        rows[0]["text_da"] = payload
        rows[0]["kind"] = "vignette"
        return rows, fields
    rewrite(case_dir / "excerpts.csv", edit)
    corpus = load_corpus(case_dir)
    assert corpus.excerpts.iloc[0]["text_da"] == payload


def test_bad_cross_references(case_dir):
    def edit(rows, fields):
        rows[0]["case"] = "nowhere"
        rows[1]["section"] = "S99"
        return rows, fields
    rewrite(case_dir / "timeline.csv", edit)
    found = problems(case_dir)
    assert any(p.field == "case" and "nowhere" in p.message for p in found)
    assert any(p.field == "section" and "S99" in p.message for p in found)


def test_all_problems_reported_at_once(case_dir):
    def edit(rows, fields):
        rows[0]["kind"] = "poem"
        rows[1]["source"] = "rumour"
        return rows, fields
    rewrite(case_dir / "excerpts.csv", edit)
    found = problems(case_dir)
    assert {("kind", 2), ("source", 3)} <= {(p.field, p.row) for p in found}


def test_a_minimal_own_case_loads(tmp_path):
    """A lecturer's own case needs only cases, codebook and excerpts."""
    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(DATA / "codebook.csv", folder)

    def only_first(rows, fields):
        for r in rows:
            r["example_excerpt"] = ""
        return rows, fields
    rewrite(folder / "codebook.csv", only_first)
    (folder / "cases.csv").write_text("id,label_da\nown,Egen case\n", encoding="utf-8")
    (folder / "excerpts.csv").write_text(
        "id,case,kind,source,speaker,section,text_da,reference_codes,rationale_da\n"
        "e1,own,vignette,article,leder,,En leder inviterer alle.,DEM_ACCESS,Fordi alle inviteres.\n",
        encoding="utf-8")
    corpus = course.load_corpus(folder)
    # The corpus id comes from the data (the case ids), not from the folder's name ("own").
    assert corpus.key.startswith("case-") and len(corpus.excerpts) == 1 and corpus.moves.empty
    assert corpus.legacy_keys == ("own",)


def test_a_broken_codebook_does_not_cascade(case_dir):
    with (case_dir / "codebook.csv").open("a", encoding="utf-8") as fh:
        fh.write("BROKEN,row,with,too,few\n")
    text = (case_dir / "codebook.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1] + ",an extra field"
    (case_dir / "codebook.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    found = problems(case_dir)
    assert {p.file.rsplit("/", 1)[-1] for p in found} == {"codebook.csv"}
    assert {p.row for p in found} == {2, len(text)}


def test_a_span_must_end_after_it_starts(case_dir):
    def edit(rows, fields):
        rows[0]["order_end"] = rows[0]["order"]
        rows[1]["order_end"] = "soon"
        return rows, fields
    rewrite(case_dir / "timeline.csv", edit)
    found = problems(case_dir)
    assert any(p.field == "order_end" and p.row == 2 and "not after its start" in p.render("en") for p in found)
    assert any(p.field == "order_end" and p.row == 3 and "whole number" in p.render("en") for p in found)


def test_ongoing_activities_are_spans_and_short_quotes_have_context(corpus):
    spans = corpus.timeline[corpus.timeline["order_end"].notna()]
    assert {"T-P08", "T-P18"} <= set(spans["id"])  # the dialogue meetings and the coordinator's facilitation
    assert (spans["order_end"] > spans["order"]).all()
    quotes = corpus.excerpts[corpus.excerpts["kind"] == "quote"]
    short = quotes[quotes["text_da"].str.split().str.len() <= 6]
    assert len(short) >= 5 and (short["context_da"].str.strip() != "").all()
    from course.display import quote
    shown = quote("pol-q02", corpus=corpus)
    assert short.set_index("id").loc["pol-q02", "context_da"] in shown._repr_html_()
