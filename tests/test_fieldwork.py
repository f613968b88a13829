"""The fieldwork tables and charts (course/fieldwork.py): counts right, alt text computed from the data."""
from __future__ import annotations

import csv
import shutil

import pytest

import course
from course import fieldwork as fw
from course.charts import TOL_BRIGHT, alt_text
from course.data import split_list
from course.paths import data_dir


def test_the_article_lists_27_and_13_items(corpus):
    counts = fw.fieldwork_counts(corpus)
    assert counts.sum(axis=1).to_dict() == {"police": 27, "workshop": 13}
    assert counts.loc["police", "interview"] == 12
    assert counts.loc["police", "observation"] == 15
    assert counts.to_numpy().sum() == len(corpus.fieldwork)


def test_counts_agree_with_the_raw_table(corpus):
    counts = fw.fieldwork_counts(corpus)
    for (case, kind), n in corpus.fieldwork.groupby(["case", "type"]).size().items():
        assert counts.loc[case, kind] == n
    assert list(counts.columns) == [t for t in fw.TYPE_ORDER if t in set(corpus.fieldwork["type"])]


def test_a_two_date_item_counts_in_both_months(corpus):
    dates = fw.fieldwork_dates(corpus)
    expected = sum(len(split_list(d)) for d in corpus.fieldwork["dates"])
    assert len(dates) == expected
    police = dates[dates["case"] == "police"]
    assert police["id"].nunique() == 27
    doubles = police.loc[police["n_dates"] == 2, "id"].unique().tolist()
    assert doubles == ["F-P01", "F-P06", "F-P08", "F-P12", "F-P19", "F-P23"]
    assert set(dates.loc[dates["id"] == "F-P01", "month"]) == {"2016-01", "2017-11"}
    assert (dates["date"].dt.day == 1).all()


def test_months_are_in_time_order_and_sum_to_the_dates(corpus):
    months = fw.fieldwork_months(corpus, case="police")
    assert list(months.index) == sorted(months.index)
    assert months.sum() == len(fw.fieldwork_dates(corpus).query("case == 'police'"))
    assert months.index[0] == "2016-01" and months.index[-1] == "2020-05"


def test_workshop_items_are_placed_by_stage_in_process_order(corpus):
    stages = fw.fieldwork_stages(corpus)
    assert set(stages["case"]) == {"workshop"}
    assert stages["items"].sum() == 13
    order = [fw.STAGE_ORDER.index(s) for s in stages["stage"]]
    assert order == sorted(order)


def test_by_type_chart_data_and_alt_text(corpus):
    chart = fw.fieldwork_by_type(corpus, lang="da")
    spec = chart.to_dict()
    text = alt_text(chart)
    assert spec["description"] == text
    counts = fw.fieldwork_counts(corpus)
    assert f"{int(counts.to_numpy().sum())} poster i alt" in text
    assert "Politiets dialoginitiativ (27): 12 interview, 15 observation" in text
    assert "Fremtidsworkshoppen (13)" in text
    assert "3 deltagelse" in text and "2 oplæg" in text
    rows = chart.data
    assert rows["items"].sum() == 40
    assert spec["encoding"]["color"]["scale"]["range"] == TOL_BRIGHT[:2]


def test_timeline_alt_text_is_computed_from_the_dates(corpus):
    chart = fw.fieldwork_timeline(corpus, lang="da")
    text = alt_text(chart)
    months = fw.fieldwork_months(corpus, case="police")
    assert "27 daterede poster med 33 datoer" in text
    assert "6 poster har mere end én dato" in text
    assert "fra januar 2016 til maj 2020" in text
    assert f"fordelt på {len(months)} måneder" in text
    busiest = [fw.month_label(m, "da") for m in months.index[months == months.max()]]
    assert f"flest datoer ({months.max()})" in text
    assert all(label in text for label in busiest)
    assert "Intet feltarbejde mellem april 2018 og maj 2020" in text
    assert "13 udaterede poster" in text
    assert "før 1. workshop: 4" in text and "efter 2. workshop: 5" in text
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 2
    colours = spec["vconcat"][0]["encoding"]["color"]["scale"]["range"]
    assert set(colours) <= set(TOL_BRIGHT)


def test_english_alt_texts(corpus):
    assert "40 items in all" in alt_text(fw.fieldwork_by_type(corpus, lang="en"))
    text = alt_text(fw.fieldwork_timeline(corpus, lang="en"))
    assert "from January 2016 to May 2020" in text and "13 undated items" in text


def test_labels():
    assert fw.month_label("2016-02", "da") == "februar 2016"
    assert fw.month_label("2020-05", "en") == "May 2020"
    assert fw.type_label("participation", "da") == "deltagelse"
    assert fw.type_label("something-new", "da") == "something-new"


def _copy_data(tmp_path, edit):
    folder = tmp_path / "case"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md"))
    path = folder / "fieldwork.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    return course.load_corpus(folder)


def test_alt_text_follows_the_data_of_another_corpus(tmp_path):
    def edit(rows):
        kept = [r for r in rows if r["case"] == "police"][:3]
        kept[0]["dates"] = "2019-03"
        kept[1]["dates"] = "2019-03;2019-04"
        kept[2]["dates"] = "2019-04"
        return kept

    corpus = _copy_data(tmp_path, edit)
    by_type = alt_text(fw.fieldwork_by_type(corpus, lang="da"))
    assert "3 poster i alt" in by_type and "Fremtidsworkshoppen" not in by_type
    timeline = fw.fieldwork_timeline(corpus, lang="da")
    text = alt_text(timeline)
    assert "3 daterede poster med 4 datoer" in text
    assert "fra marts 2019 til april 2019" in text
    assert "flest datoer (2) i marts 2019 og april 2019" in text
    assert "Intet feltarbejde" not in text and "udaterede" not in text
    assert "vconcat" not in timeline.to_dict()


def test_no_fieldwork_gives_an_empty_chart_with_alt_text(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md", "fieldwork.csv"))
    corpus = course.load_corpus(folder)
    assert fw.fieldwork_counts(corpus).empty
    assert "Ingen feltarbejdsposter" in alt_text(fw.fieldwork_timeline(corpus, lang="da"))
    assert "ingen feltarbejdsposter" in alt_text(fw.fieldwork_by_type(corpus, lang="da"))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_fieldwork_by_type_says_so_plainly(tmp_path, lang):
    folder = tmp_path / "case"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md", "fieldwork.csv"))
    corpus = course.load_corpus(folder)
    chart = fw.fieldwork_by_type(corpus, lang=lang)
    chart.to_dict()
    text = alt_text(chart)
    assert ". ." not in text and not text.endswith(" .")
    assert ("ingen feltarbejdsposter" if lang == "da" else "no fieldwork items") in text.lower()
    assert "0 " not in text
