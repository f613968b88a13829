"""A made-up model of the Future workshop's dot vote: who is still in the room when the points are given?

**A constructed illustration, not data from the article.** The article reports that the users
gave the ideas points with post-it notes at the end of the day, that the days ran from 10 to 15,
which not every user could manage, and that including the most vulnerable users depends on the
staff's support. It gives no numbers about who left or how anyone voted. This module lets a student
ask "what if?" about those facts with a small, transparent simulation whose assumptions are all
written here, so that they can be criticised:

* A seeded population of ``n_users`` users (default 50), of whom ``vulnerable_share`` (40 %) are
  "the most vulnerable". Each user has a stamina, the hours they can manage: the most vulnerable
  between 2 and 7 hours, the others between 4 and 10 (uniformly).
* Who comes: each of the most vulnerable comes with probability ``turnout``; the others with
  probability ``other_turnout`` (90 %).
* Everyone who comes proposes two or three ideas in the group work early in the day; every idea
  goes on the board (the article's rule). Each idea has an appeal that everyone sees alike.
* The vote is at the end of a day of ``hours`` hours. A user votes if their stamina lasts the day,
  or, if ``early_vote`` is on, before they leave.
* A voter gives one point to each of their ``points`` favourite ideas. How much a voter likes an
  idea is its appeal, plus ``affinity`` (1.5) if the idea comes from a user in the same group (people
  tend to value ideas that meet needs like their own), plus personal taste (random noise).
* The ``winners`` (10) ideas with most points win; ties go to the higher appeal, then the lower id.

The population is drawn from the seed alone, so that changing a rule (turnout, hours, points,
early vote) changes only what the rule changes: comparisons use the same people.

``simulate(hours=3)`` runs the model once; ``sweep("hours", [3, 4, 5, 6])`` averages many
populations; ``chart``, ``compare_chart`` and ``sweep_chart`` draw results with alt text;
``explorer()`` is the interactive view (sliders).
"""
from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from . import i18n
from .charts import TOL_BRIGHT
from .i18n import get_language, lookup, pct

VULNERABLE, OTHER = "vulnerable", "other"
#: Paul Tol's bright red and blue: the two groups in every chart.
GROUP_COLOURS = {VULNERABLE: TOL_BRIGHT[1], OTHER: TOL_BRIGHT[0]}
#: The sweep chart's lines: ideas on the board (grey), winning ideas (red), voters (green).
SERIES_COLOURS = {"share_ideas_vulnerable": TOL_BRIGHT[6], "share_winners_vulnerable": TOL_BRIGHT[1],
                  "share_voters_vulnerable": TOL_BRIGHT[2]}
STAMINA = {VULNERABLE: (2.0, 7.0), OTHER: (4.0, 10.0)}
MAX_IDEAS = 3

#: The module's interface strings: a live view of the catalogue's "dotvote.*" keys.
_TEXT = i18n.table("dotvote")


def _t(key: str, lang: str | None = None, **values) -> str:
    return lookup(_TEXT, key, lang, **values)


def _num(value: float, lang: str | None = None) -> str:
    """5.0 -> '5', 4.5 -> '4,5' in Danish and '4.5' in English."""
    text = f"{float(value):g}"
    return text.replace(".", ",") if (lang or get_language()) == "da" else text


def group_label(group: str, lang: str | None = None) -> str:
    return _t(group, lang)


@dataclass(frozen=True)
class Params:
    """The rules of one run. The first four are the ones a workshop organiser could change."""

    turnout: float = 0.5
    hours: float = 5.0
    points: int = 5
    early_vote: bool = False
    seed: int = 1
    n_users: int = 50
    vulnerable_share: float = 0.4
    other_turnout: float = 0.9
    winners: int = 10
    affinity: float = 1.5

    def __post_init__(self):
        if not 0 <= self.turnout <= 1 or not 0 <= self.other_turnout <= 1:
            raise ValueError(i18n.t("error.turnout_share"))
        if self.hours <= 0:
            raise ValueError(i18n.t("error.hours_positive"))
        if self.points < 1 or self.winners < 1 or self.n_users < 1:
            raise ValueError(i18n.t("error.at_least_one"))
        if not 0 <= self.vulnerable_share <= 1:
            raise ValueError(i18n.t("error.vulnerable_share"))

    def label(self, lang: str | None = None) -> str:
        return _t("scenario", lang, hours=_num(self.hours, lang), turnout=pct(self.turnout, lang), points=self.points,
                  early=_t("early", lang) if self.early_vote else "")


# A population of 50 users holds about 100 kB (the taste table is a 50 x 150 array); a sweep meets
# each population once (see sweep), and 64 of them keep the cache near 6 MB.
@lru_cache(maxsize=64)
def _population(seed: int, n_users: int, vulnerable_share: float):
    """Everything random about a population, drawn from the seed alone (rules do not touch it)."""
    rng = random.Random(seed)
    n_vulnerable = round(n_users * vulnerable_share)
    users = []
    for i in range(n_users):
        group = VULNERABLE if i < n_vulnerable else OTHER
        low, high = STAMINA[group]
        users.append({
            "user": i, "group": group, "come_draw": rng.random(),
            "stamina": low + (high - low) * rng.random(),
            "n_ideas": 2 + (rng.random() < 0.5),
            "appeal": tuple(rng.gauss(0, 1) for _ in range(MAX_IDEAS)),
        })
    # taste[v][u * MAX_IDEAS + k]: voter v's personal taste for idea k of user u, uniform with
    # standard deviation 1 (cheaper to draw than a normal, and just as good a "taste")
    width = math.sqrt(12)
    taste = np.array([[width * (rng.random() - 0.5) for _ in range(n_users * MAX_IDEAS)] for _ in range(n_users)])
    taste.flags.writeable = False  # shared by every run of this population
    return tuple(users), taste


@dataclass
class Result:
    """One run: the rules, who came and voted, the ideas with their points, and a summary."""

    params: Params
    participants: pd.DataFrame
    ideas: pd.DataFrame
    summary: dict

    def describe(self, label: str | None = None, lang: str | None = None) -> str:
        """The run in one or two sentences (used as alt text)."""
        return _t("summary", lang, label=label or self.params.label(lang), **self.summary)


def _summarise(people: list[dict], ideas: list[dict]) -> dict:
    came = [p for p in people if p["came"]]
    voters = [p for p in people if p["voted"]]
    winners = [i for i in ideas if i["winner"]]

    def vulnerable(rows):
        return sum(1 for r in rows if r["group"] == VULNERABLE)

    def share(part, whole):
        return part / whole if whole else math.nan

    return {
        "attendees": len(came), "vulnerable_attendees": vulnerable(came),
        "voters": len(voters), "vulnerable_voters": vulnerable(voters),
        "left_before_vote": sum(1 for p in came if not p["stayed"]),
        "ideas": len(ideas), "vulnerable_ideas": vulnerable(ideas),
        "winners": len(winners), "vulnerable_winners": vulnerable(winners),
        "share_ideas_vulnerable": share(vulnerable(ideas), len(ideas)),
        "share_winners_vulnerable": share(vulnerable(winners), len(winners)),
        "share_voters_vulnerable": share(vulnerable(voters), len(voters)),
    }


def _run(params: Params) -> tuple[list[dict], list[dict]]:
    """One run without pandas: who came, stayed and voted, and the ideas with their points."""
    users, taste = _population(params.seed, params.n_users, params.vulnerable_share)
    people = []
    for u in users:
        chance = params.turnout if u["group"] == VULNERABLE else params.other_turnout
        came = u["come_draw"] < chance
        stayed = came and u["stamina"] >= params.hours
        people.append({"user": u["user"], "group": u["group"], "stamina": u["stamina"], "came": came,
                       "stayed": stayed, "voted": stayed or (came and params.early_vote)})
    ideas = [{"idea": u["user"] * MAX_IDEAS + k, "author": u["user"], "group": u["group"],
              "appeal": u["appeal"][k], "points": 0}
             for u, person in zip(users, people) if person["came"] for k in range(u["n_ideas"])]
    voters = [p for p in people if p["voted"]]
    if voters and ideas:
        # Every voter's liking of every idea at once: appeal, plus affinity for the voter's own group,
        # plus the voter's taste; each voter gives one point to each of the `points` ideas they like
        # most (ties: the idea earlier on the board), as one sorted list per voter would.
        appeal = np.array([idea["appeal"] for idea in ideas])
        idea_vulnerable = np.array([idea["group"] == VULNERABLE for idea in ideas])
        voter_vulnerable = np.array([v["group"] == VULNERABLE for v in voters])
        affinity = np.where(voter_vulnerable[:, None] == idea_vulnerable[None, :], params.affinity, 0.0)
        row_taste = taste[np.array([v["user"] for v in voters])[:, None], np.array([i["idea"] for i in ideas])[None, :]]
        liking = (appeal[None, :] + affinity) + row_taste
        chosen = np.argsort(-liking, axis=1, kind="stable")[:, : params.points]
        for position, points in enumerate(np.bincount(chosen.ravel(), minlength=len(ideas)).tolist()):
            ideas[position]["points"] = points
    ideas.sort(key=lambda i: (-i["points"], -i["appeal"], i["idea"]))
    for rank, idea in enumerate(ideas, start=1):
        idea["rank"] = rank
        idea["winner"] = rank <= params.winners
    return people, ideas


def simulate(params: Params | None = None, **changes) -> Result:
    """Run the model once: ``simulate(hours=3, turnout=0.8)``; unnamed rules keep their defaults."""
    params = replace(params or Params(), **changes)
    people, ideas = _run(params)
    return Result(
        params,
        pd.DataFrame(people, columns=["user", "group", "stamina", "came", "stayed", "voted"]),
        pd.DataFrame(ideas, columns=["idea", "author", "group", "appeal", "points", "rank", "winner"]),
        _summarise(people, ideas),
    )


# A run's summary is a dozen numbers (about 1 kB with its key): 4,096 of them hold every run of the
# course's sweeps and self-checks, so that a second sweep over the same rules and seeds (a self-check
# answered again, a notebook re-run) costs nothing.
@lru_cache(maxsize=4096)
def _summary(params: Params) -> dict:
    people, ideas = _run(params)
    return _summarise(people, ideas)


_SWEPT = ("share_ideas_vulnerable", "share_winners_vulnerable", "share_voters_vulnerable",
          "vulnerable_voters", "voters")


def _mean(values) -> float:
    """The mean of the values that are not NaN (as pandas would take it); NaN when there are none."""
    kept = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    return math.fsum(kept) / len(kept) if kept else math.nan


#: How many constructed populations every average in the course is taken over: the notebook's sweeps,
#: the explorer's "average" line under the sliders, the exercise and the lecturer guide all use this one number.
POPULATIONS = 50


def sweep(param: str, values, runs: int = POPULATIONS, first_seed: int = 1, **fixed) -> pd.DataFrame:
    """Average the model over ``runs`` populations for each value of one rule.

    Every value meets the same populations (seeds ``first_seed`` ... ``first_seed + runs - 1``),
    so that differences come from the rule, not from chance. One row per value, with the mean
    shares of the most vulnerable among the ideas, the winners and the voters.
    """
    if param not in Params.__dataclass_fields__ or param == "seed":
        raise ValueError(i18n.t("error.not_a_rule", param=param))
    base = Params(**fixed)
    values = list(values)
    per_value: list[list[dict]] = [[] for _ in values]
    # Populations outside, rules inside: each population is drawn once and meets every value while
    # it is in the (small) population cache; the summaries are cached for the next sweep.
    for seed in range(first_seed, first_seed + runs):
        for summaries, value in zip(per_value, values):
            summaries.append(_summary(replace(base, **{param: value, "seed": seed})))
    rows = [{param: value, "runs": runs, **{column: _mean(s[column] for s in summaries) for column in _SWEPT}}
            for value, summaries in zip(values, per_value)]
    return pd.DataFrame(rows, columns=[param, "runs", *_SWEPT])


# -- charts ------------------------------------------------------------------------------------
def _panel(result: Result, title: str, top: int, lang: str):
    import altair as alt

    data = result.ideas.head(top).copy()
    data["label"] = data.apply(lambda r: f"{_t('idea', lang)} {int(r['idea'])}", axis=1)
    data["group_label"] = data["group"].map(lambda g: group_label(g, lang))
    data["winner_label"] = data["winner"].map(lambda w: _t("yes" if w else "no", lang))
    order = [group_label(g, lang) for g in (VULNERABLE, OTHER)]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=_t("idea", lang)),
        x=alt.X("points:Q", title=_t("points", lang)),
        color=alt.Color("group_label:N", title=_t("author", lang), sort=order,
                        scale=alt.Scale(domain=order, range=[GROUP_COLOURS[VULNERABLE], GROUP_COLOURS[OTHER]])),
        opacity=alt.Opacity("winner_label:N", title=_t("winner", lang),
                            sort=[_t("yes", lang), _t("no", lang)],
                            scale=alt.Scale(domain=[_t("yes", lang), _t("no", lang)], range=[1.0, 0.35])),
        tooltip=[alt.Tooltip("label:N", title=_t("idea", lang)), alt.Tooltip("points:Q", title=_t("points", lang)),
                 alt.Tooltip("group_label:N", title=_t("author", lang)),
                 alt.Tooltip("winner_label:N", title=_t("winner", lang))],
    ).properties(title=title, width=260, height=16 * len(data) + 10)


def compare_chart(results: dict[str, Result] | Result, top: int = 15, lang: str | None = None):
    """Bars of the ``top`` ideas per scenario, coloured by whose idea it was; winners solid.

    ``results`` maps a scenario's name to a :class:`Result` (or is one Result). The alt text
    summarises each scenario from its data and says that the example is constructed.
    """
    import altair as alt

    lang = lang or get_language()
    if isinstance(results, Result):
        results = {results.params.label(lang): results}
    panels = [_panel(r, f"{name}", top, lang) for name, r in results.items()]
    summaries = " ".join(r.describe(name, lang) for name, r in results.items())
    description = _t("bar_alt", lang, disclaimer=_t("disclaimer", lang), summaries=summaries)
    return alt.hconcat(*panels).resolve_scale(x="shared").properties(
        title=alt.Title(_t("chart_title", lang, top=top), subtitle=_t("disclaimer", lang)),
        description=description,
    )


def chart(result: Result, top: int = 15, lang: str | None = None):
    """One run as a chart (see :func:`compare_chart`)."""
    return compare_chart(result, top=top, lang=lang)


def _value(value, lang: str | None = None) -> str:
    if isinstance(value, (bool,)) or str(value) in ("True", "False"):
        return _t("yes" if str(value) == "True" else "no", lang)
    return _num(value, lang)


def sweep_chart(table: pd.DataFrame, param: str = "hours", lang: str | None = None):
    """Lines: the most vulnerable's share of ideas, winners and voters against one rule."""
    import altair as alt

    lang = lang or get_language()
    series = {"share_ideas_vulnerable": _t("series_ideas", lang),
              "share_winners_vulnerable": _t("series_winners", lang),
              "share_voters_vulnerable": _t("series_voters", lang)}
    long = table.melt(id_vars=[param], value_vars=list(series), var_name="measure", value_name="share")
    long["measure_label"] = long["measure"].map(series)
    x_title = _t(f"param_{param}", lang)
    first, last = table.iloc[0], table.iloc[-1]
    runs = int(table["runs"].iloc[0]) if "runs" in table else 0
    description = _t("sweep_alt", lang, disclaimer=_t("disclaimer", lang), runs=runs, x=x_title,
                     first=_value(first[param], lang), last=_value(last[param], lang),
                     **{key: pct(row[column], lang) for key, row, column in (
                         ("w0", first, "share_winners_vulnerable"), ("w1", last, "share_winners_vulnerable"),
                         ("i0", first, "share_ideas_vulnerable"), ("i1", last, "share_ideas_vulnerable"),
                         ("v0", first, "share_voters_vulnerable"), ("v1", last, "share_voters_vulnerable"))})
    names = list(series.values())
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X(f"{param}:Q", title=x_title),
        y=alt.Y("share:Q", title=_t("sweep_y", lang), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("measure_label:N", title=_t("measure", lang), sort=names,
                        scale=alt.Scale(domain=names, range=[SERIES_COLOURS[k] for k in series])),
        strokeDash=alt.StrokeDash("measure_label:N", title=_t("measure", lang), sort=names,
                                  scale=alt.Scale(domain=names, range=[[2, 2], [1, 0], [6, 3]])),
        tooltip=[alt.Tooltip(f"{param}:Q", title=x_title), alt.Tooltip("measure_label:N", title=_t("measure", lang)),
                 alt.Tooltip("share:Q", format=".0%")],
    ).properties(title=alt.Title(_t("sweep_title", lang, runs=runs), subtitle=_t("disclaimer", lang)),
                 width=420, height=240, description=description)


# -- the interactive view ----------------------------------------------------------------------
class Explorer:
    """Sliders for the rules, a chart of the vote and a summary; ``explorer()`` makes one.

    The current run is ``.result``; ``.average`` is the mean over ``runs`` populations with the
    same rules. Changing a slider runs the model again.
    """

    def __init__(self, turnout: float = 0.5, hours: float = 5.0, points: int = 5, early_vote: bool = False,
                 seed: int = 1, runs: int = POPULATIONS, lang: str | None = None):
        import ipywidgets as w

        self.lang = lang = lang or get_language()
        self.runs = runs
        style = {"description_width": "initial"}
        layout = w.Layout(width="460px")
        self.turnout = w.FloatSlider(value=turnout, min=0.0, max=1.0, step=0.1, readout_format=".0%",
                                     description=_t("param_turnout", lang), style=style, layout=layout,
                                     continuous_update=False)
        self.hours = w.FloatSlider(value=hours, min=2.0, max=8.0, step=0.5, readout_format=".1f",
                                   description=_t("param_hours", lang), style=style, layout=layout,
                                   continuous_update=False)
        self.points = w.IntSlider(value=points, min=1, max=10, description=_t("param_points", lang),
                                  style=style, layout=layout, continuous_update=False)
        self.early_vote = w.Checkbox(value=early_vote, description=_t("param_early_vote", lang), indent=False)
        self.seed = w.IntSlider(value=seed, min=1, max=30, description=_t("param_seed", lang), style=style,
                                layout=layout, continuous_update=False)
        from .charts import chart_widget
        from .uikit import PageMarker

        self.note = w.HTML(f"<p><b>⚠ {_t('disclaimer', lang)}</b></p>")
        self.text = w.HTML()
        self.result: Result | None = None
        self.average: dict | None = None
        self._compute()
        # The chart is one widget, updated in place (its spec changes; nothing is cleared and
        # re-displayed inside an Output, which could leave a headless client waiting).
        self.chart = chart_widget(chart(self.result, lang=self.lang))  # offline, no action menu
        for control in (self.turnout, self.hours, self.points, self.early_vote, self.seed):
            control.observe(lambda _change: self.update(), names="value")
        # PageMarker: lang on the view, and names for the sliders (screen readers read the label)
        self.widget = w.VBox([PageMarker(lang=lang), self.note, self.turnout, self.hours, self.points,
                              self.early_vote, self.seed, self.text, self.chart])
        self.widget.add_class("course-widget")
        self.widget.add_class("course-dotvote")

    @property
    def params(self) -> Params:
        return Params(turnout=round(float(self.turnout.value), 2), hours=float(self.hours.value),
                      points=int(self.points.value), early_vote=bool(self.early_vote.value),
                      seed=int(self.seed.value))

    def update(self) -> None:
        """Run the model with the sliders' rules and update the text and the chart in place."""
        self._compute()
        self.chart.chart = chart(self.result, lang=self.lang)

    def _compute(self) -> None:
        params = self.params
        self.result = simulate(params)
        rules = {k: v for k, v in asdict(params).items() if k in ("turnout", "hours", "points", "early_vote")}
        row = sweep("hours", [params.hours], runs=self.runs, **{k: v for k, v in rules.items() if k != "hours"})
        self.average = row.iloc[0].to_dict()
        self.text.value = (f"<p>{self.result.describe(lang=self.lang)}</p><p><i>"
                           + _t("average", self.lang, runs=self.runs,
                                w=pct(self.average["share_winners_vulnerable"], self.lang),
                                i=pct(self.average["share_ideas_vulnerable"], self.lang)) + "</i></p>")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def explorer(**kwargs) -> Explorer:
    """The interactive view: ``course.dotvote.explorer()`` (a constructed example, not the article's data)."""
    return Explorer(**kwargs)
