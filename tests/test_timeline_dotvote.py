"""The case timelines (course.timeline) and the constructed dot-vote model (course.dotvote).

Timeline: the chart draws exactly the case's events in order, in Paul Tol's colours, and its alt text
is computed from the data (so it changes when the data do). Dot vote: deterministic for a seed, the
population does not depend on the rules, and the model moves the way notebook 5 says it does.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import course
from course import dotvote, i18n, timeline
from course.charts import MODE_COLOURS, TOL_BRIGHT, alt_text


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict(validate=False).get("datasets", {}).values())


# -- timeline ------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["police", "workshop"])
def test_timeline_table_is_the_case_in_order(corpus, case):
    table = timeline.timeline_table(corpus, case)
    expected = corpus.timeline[corpus.timeline["case"] == case].sort_values("order")
    assert table["id"].tolist() == expected["id"].tolist()
    assert table["order"].is_monotonic_increasing
    assert all(step.startswith(f"{o} · ") and step.endswith(w)
               for step, o, w in zip(table["step"], table["order"], table["when"]))
    assert set(table["leadership"]) <= set(timeline.LEADERSHIP_ORDER)


@pytest.mark.parametrize("case", ["police", "workshop"])
def test_chart_draws_every_event_with_tol_colours(corpus, case):
    chart = timeline.timeline_chart(corpus, case)
    spec = chart.to_dict(validate=False)
    data = max(_datasets(chart), key=len)
    expected = corpus.timeline[corpus.timeline["case"] == case].sort_values("order")
    assert [row["id"] for row in data] == expected["id"].tolist()
    colours = [layer["encoding"]["color"]["scale"]["range"] for layer in spec["layer"] if "color" in layer["encoding"]]
    assert colours and all(c in MODE_COLOURS.values() and c in TOL_BRIGHT for c in colours[0])
    # the x axis keeps the article's order and labels every event with its step
    table = timeline.timeline_table(corpus, case)
    x = spec["layer"][-1]["encoding"]["x"]
    assert x["field"] == "order" and x["axis"]["values"] == table["order"].tolist()
    assert all(step in x["axis"]["labelExpr"] for step in table["step"])


def test_police_spans_run_past_the_change_of_director(corpus):
    """The coordinator's facilitation and the dialogue meetings last until 2018; the director's own part ends at the change."""
    table = timeline.timeline_table(corpus, "police")
    change = table.loc[table["when"] == "halvvejs", "order"].item()
    end = table.loc[table["year"].astype(str) == "2018", "order"].item()
    lasting = timeline.spans(table)
    assert set(lasting["leadership"]) == {"hands_on"}
    assert (lasting["order"] < change).all()
    assert sorted(lasting["order_end"].tolist()) == [change, end, end]
    assert set(timeline.active(table, change + 1)["leadership"]) >= {"hands_on", "hands_off"}
    spec = timeline.timeline_chart(corpus, "police").to_dict(validate=False)
    bars = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    assert len(bars) == 1 and bars[0]["encoding"]["x2"]["field"] == "order_end"
    assert [row["id"] for row in spec["datasets"][bars[0]["data"]["name"]]] == lasting["id"].tolist()
    text = alt_text(timeline.timeline_chart(corpus, "police"))
    assert f"nr. {lasting['order'].iloc[0]}–{change} (hands-on)" in text


def test_workshop_has_no_spans(corpus):
    spec = timeline.timeline_chart(corpus, "workshop").to_dict(validate=False)
    assert not [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]


def test_police_alt_text_is_computed_from_the_data(corpus):
    table = timeline.timeline_table(corpus, "police")
    text = alt_text(timeline.timeline_chart(corpus, "police"))
    assert f"{len(table)} begivenheder" in text
    assert table.iloc[0]["when"] in text and table.iloc[-1]["when"] in text
    for mode, count in table["leadership"].value_counts().items():
        assert f"{timeline.mode_label(mode)} {count} begivenhed" in text
    assert "2013" in text and "2018" in text
    # the sequence names the runs in order: hands-on comes before the later hands-off run
    assert text.index("hands-on (") < text.rindex("hands-off (")


def test_workshop_alt_text_says_there_are_no_years(corpus):
    text = alt_text(timeline.timeline_chart(corpus, "workshop"))
    assert "ingen årstal" in text


def test_alt_text_follows_changed_data(tmp_path, corpus):
    folder = tmp_path / "own"
    shutil.copytree(course.paths.data_dir(), folder, ignore=shutil.ignore_patterns("_parts", "README.md"))
    table = pd.read_csv(folder / "timeline.csv", dtype=str, keep_default_na=False)
    police = table["case"] == "police"
    table.loc[police, "leadership"] = "hands_on"
    table.to_csv(folder / "timeline.csv", index=False)
    own = course.load_corpus(folder)
    text = alt_text(timeline.timeline_chart(own, "police"))
    assert f"Hands-on {int(police.sum())} begivenheder" in text
    assert "Hands-off" not in text
    data = max(_datasets(timeline.timeline_chart(own, "police")), key=len)
    assert {row["leadership"] for row in data} == {"hands_on"}


def test_english_and_unknown_case(corpus):
    text = alt_text(timeline.timeline_chart(corpus, "police", lang="en"))
    assert text.startswith("Timeline of") and "events" in text
    data = max(_datasets(timeline.timeline_chart(corpus, "police", lang="en")), key=len)
    english = corpus.timeline.set_index("id")["when_en"]
    assert all(row["when"] == english[row["id"]] for row in data if english[row["id"]])
    with pytest.raises(ValueError) as caught:
        timeline.timeline_chart(corpus, "nowhere")
    assert str(caught.value) == i18n.t("error.unknown_case", case="nowhere", cases=", ".join(corpus.cases["id"]))


def test_runs_and_ranges():
    table = pd.DataFrame({"order": [1, 2, 3, 4, 5], "leadership": ["none", "hands_off", "hands_off", "hands_on", "hands_off"]})
    assert timeline.runs(table) == [("none", 1, 1), ("hands_off", 2, 3), ("hands_on", 4, 4), ("hands_off", 5, 5)]
    assert timeline._ranges([4, 5, 6, 9, 11, 12]) == "4–6, 9, 11–12"


# -- dot vote: the model -------------------------------------------------------------------------
def test_deterministic_with_a_seed():
    a, b = dotvote.simulate(seed=7, hours=4), dotvote.simulate(seed=7, hours=4)
    pd.testing.assert_frame_equal(a.ideas, b.ideas)
    pd.testing.assert_frame_equal(a.participants, b.participants)
    assert a.summary == b.summary
    c = dotvote.simulate(seed=8, hours=4)
    assert not a.participants["stamina"].equals(c.participants["stamina"])


def test_population_does_not_depend_on_the_rules():
    short, long = dotvote.simulate(seed=3, hours=3), dotvote.simulate(seed=3, hours=7, points=2, early_vote=True)
    pd.testing.assert_series_equal(short.participants["stamina"], long.participants["stamina"])
    pd.testing.assert_series_equal(short.participants["came"], long.participants["came"])
    # the board is the same: who proposed what does not depend on the day's length
    assert sorted(short.ideas["idea"]) == sorted(long.ideas["idea"])


@pytest.mark.parametrize("seed", range(1, 11))
def test_a_longer_day_only_removes_voters(seed):
    voters = [set(dotvote.simulate(seed=seed, hours=h).participants.query("voted")["user"]) for h in (2, 3, 4, 5, 6, 7)]
    assert all(later <= earlier for earlier, later in zip(voters, voters[1:]))


def test_votes_and_winners_add_up():
    result = dotvote.simulate(seed=2, points=4, hours=3)
    s = result.summary
    assert result.ideas["points"].sum() == s["voters"] * 4
    assert result.ideas["winner"].sum() == s["winners"] == 10
    assert result.ideas["rank"].tolist() == list(range(1, len(result.ideas) + 1))
    assert result.ideas["points"].is_monotonic_decreasing
    assert s["vulnerable_ideas"] == (result.ideas["group"] == dotvote.VULNERABLE).sum()
    assert s["attendees"] == s["voters"] + s["left_before_vote"]
    early = dotvote.simulate(seed=2, points=4, hours=3, early_vote=True).summary
    assert early["voters"] == early["attendees"]


def test_the_model_moves_as_notebook_5_claims():
    by_hours = dotvote.sweep("hours", [2, 3, 4, 5, 6], runs=60)
    winners = by_hours["share_winners_vulnerable"]
    assert winners.is_monotonic_decreasing and winners.iloc[-1] < winners.iloc[0]
    assert by_hours["share_ideas_vulnerable"].round(9).nunique() == 1
    assert by_hours["share_voters_vulnerable"].is_monotonic_decreasing
    assert winners.iloc[0] < by_hours["share_ideas_vulnerable"].iloc[0]
    early = dotvote.sweep("early_vote", [False, True], runs=60)["share_winners_vulnerable"]
    assert early.iloc[1] > early.iloc[0]
    turnout = dotvote.sweep("turnout", [0.3, 0.5, 0.7, 0.9], runs=60)["share_winners_vulnerable"]
    assert turnout.is_monotonic_increasing


def test_edge_cases_and_validation():
    nobody = dotvote.simulate(turnout=0.0, other_turnout=0.0)
    assert nobody.summary["ideas"] == 0 and pd.isna(nobody.summary["share_winners_vulnerable"])
    assert dotvote.simulate(turnout=0.0).summary["vulnerable_ideas"] == 0
    for bad in ({"turnout": 1.5}, {"hours": 0}, {"points": 0}):
        with pytest.raises(ValueError):
            dotvote.simulate(**bad)
    with pytest.raises(ValueError) as caught:
        dotvote.sweep("seed", [1, 2])
    assert str(caught.value) == i18n.t("error.not_a_rule", param="seed") and "not a rule" in i18n.t("error.not_a_rule", "en")


# -- dot vote: charts and the explorer -----------------------------------------------------------
def test_compare_chart_alt_text_from_the_runs():
    a, b = dotvote.simulate(hours=3), dotvote.simulate(hours=5)
    chart = dotvote.compare_chart({"A": a, "B": b})
    text = alt_text(chart)
    assert "Konstrueret eksempel" in text and "ikke data fra artiklen" in text
    for name, result in (("A", a), ("B", b)):
        s = result.summary
        assert f"{name}: {s['attendees']} brugere kom" in text
        assert f"{s['vulnerable_winners']} af de {s['winners']} vindende idéer" in text
    datasets = _datasets(chart)
    assert len(datasets) == 2 and all(len(d) == 15 for d in datasets)
    english = alt_text(dotvote.chart(a, lang="en"))
    assert "not data from the article" in english


def test_sweep_chart_alt_text_from_the_table():
    table = dotvote.sweep("hours", [3, 5], runs=20)
    text = alt_text(dotvote.sweep_chart(table, "hours"))
    first, last = table.iloc[0], table.iloc[-1]
    assert f"fra {first['share_winners_vulnerable'] * 100:.0f} % til {last['share_winners_vulnerable'] * 100:.0f} %" in text
    assert "20 befolkninger" in text and "Konstrueret eksempel" in text


def test_explorer_sliders_change_the_result():
    ex = dotvote.explorer(runs=10)
    assert "ikke data fra artiklen" in ex.note.value
    first = ex.result.summary
    ex.hours.value = 8.0
    assert ex.result.params.hours == 8.0
    assert ex.result.summary["voters"] < first["voters"]
    ex.early_vote.value = True
    assert ex.result.summary["voters"] == ex.result.summary["attendees"]
    ex.turnout.value = 1.0
    assert ex.result.summary["vulnerable_attendees"] > first["vulnerable_attendees"]
    before = ex.result.summary
    ex.points.value = 1
    assert ex.result.params.points == 1 and ex.result.ideas["points"].sum() == ex.result.summary["voters"]
    ex.seed.value = 5
    assert ex.result.params.seed == 5 and ex.result.summary != before
    assert ex.average["runs"] == 10 and "Gennemsnit over 10 befolkninger" in ex.text.value


# -- a case without events, shared palettes, the cache ---------------------------------------------
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_case_without_events_gives_an_empty_chart(lang):
    own = course.load_corpus(course.paths.data_dir().parent / "examples" / "own_case")
    assert own.timeline.empty
    assert timeline.timeline_table(own, "budget", lang).empty
    chart = timeline.timeline_chart(own, "budget", lang)
    chart.to_dict()
    text = alt_text(chart)
    assert ("ingen begivenheder" if lang == "da" else "no events") in text
    assert own.cases.iloc[0]["label_" + lang] in text


def test_leadership_switches_are_counted_from_the_runs(corpus):
    from course import compare

    switches = compare.leadership_switches(corpus)
    for case, n in switches.items():
        table = timeline.timeline_table(corpus, case)
        kept = table[table["leadership"].isin(["hands_off", "hands_on"])]
        assert n == max(len(timeline.runs(kept)) - 1, 0)


def test_dotvote_colours_come_from_the_course_palette():
    assert set(dotvote.GROUP_COLOURS.values()) <= set(TOL_BRIGHT)
    table = dotvote.sweep("hours", [3, 5], runs=5)
    spec = dotvote.sweep_chart(table, "hours").to_dict()
    assert set(spec["encoding"]["color"]["scale"]["range"]) <= set(TOL_BRIGHT)


def test_population_cache_is_small():
    assert dotvote._population.cache_info().maxsize <= 64


def test_a_sweep_draws_each_population_once_and_a_second_sweep_reuses_the_runs():
    """100 seeds x 3 values with a 64-entry population cache: seeds outside, values inside."""
    dotvote._population.cache_clear()
    dotvote._summary.cache_clear()
    first = dotvote.sweep("hours", [2.5, 3.5, 4.5], runs=100, first_seed=901)
    assert dotvote._population.cache_info().misses == 100
    before = dotvote._population.cache_info()
    again = dotvote.sweep("hours", [2.5, 3.5, 4.5], runs=100, first_seed=901)
    assert dotvote._population.cache_info() == before  # no run is made again
    assert dotvote._summary.cache_info().hits >= 300
    pd.testing.assert_frame_equal(first, again)
    # the cached summaries are those of simulate()
    assert dotvote._summary(dotvote.Params(hours=3.5, seed=950)) == dotvote.simulate(hours=3.5, seed=950).summary


def test_sweep_means_skip_runs_without_winners():
    # with nobody else coming, some runs have no ideas at all: their shares are empty, not zero
    table = dotvote.sweep("turnout", [0.0, 0.1], runs=30, other_turnout=0.0)
    summaries = [dotvote.simulate(turnout=0.1, other_turnout=0.0, seed=s).summary for s in range(1, 31)]
    frame = pd.DataFrame(summaries)
    assert frame["share_winners_vulnerable"].isna().any()
    row = table.iloc[1]
    for column in ("share_ideas_vulnerable", "share_winners_vulnerable", "share_voters_vulnerable",
                   "vulnerable_voters", "voters"):
        assert row[column] == pytest.approx(frame[column].mean())
    assert pd.isna(table.iloc[0]["share_winners_vulnerable"])
    assert list(table.columns) == ["turnout", "runs", "share_ideas_vulnerable", "share_winners_vulnerable",
                                   "share_voters_vulnerable", "vulnerable_voters", "voters"]
