"""Agreement between codings.

Against the course's reference (one student): per code, over the excerpts the student has coded,
Cohen's kappa, precision, recall, F1 and percent agreement, each with the code's prevalence in the
reference, so that a rare code's unstable kappa is read for what it is.

Between many coders (a class): Krippendorff's alpha per code, nominal, one 0/1 variable per code
and excerpt, with missing values where a student did not code an excerpt; computed by the kept
``krippendorff`` package. An excerpt coded "no code applies" (Danish "Ingen af koderne passer") is a
decision: 0 on every code, not a missing value. Krippendorff's binary example (2011, "Computing
Krippendorff's Alpha-Reliability", section A: two observers, ten units, one binary variable) gives
alpha = 0.095 this way.

Overall, across codes: :func:`krippendorff_alpha_overall` is Krippendorff's alpha for set-valued
data with the MASI distance (Passonneau 2006, "Measuring agreement on set-valued items (MASI) for
semantic and pragmatic annotation", LREC): each coder's value for an excerpt is the SET of codes
chosen (the empty set for "no code applies"), and two sets differ by
``1 - Jaccard * monotonicity`` (monotonicity 1 for equal sets, 2/3 when one contains the other,
1/3 when they overlap otherwise, 0 when disjoint). With a single code it equals the nominal
per-code alpha.

Reading bands (Krippendorff 2004): alpha is rounded to three decimals, as it is shown, and then
compared with .800 and .667, so that a value shown as "0.667" is never read as "below .667".

The two-by-two statistics are a few lines of arithmetic on pandas' counts; the course does not pull
in scikit-learn (tens of megabytes on Binder) for them. The tests check them against cases worked
out by hand.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

#: Krippendorff's reading bands (Krippendorff 2004).
ALPHA_BANDS = ((0.800, "reliable"), (0.667, "tentative"), (float("-inf"), "revisit"))


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def binary_stats(student: Iterable[bool], reference: Iterable[bool]) -> dict[str, float]:
    """Two-by-two agreement statistics for one code."""
    pairs = list(zip(student, reference, strict=True))
    n = len(pairs)
    tp = sum(1 for s, r in pairs if s and r)
    fp = sum(1 for s, r in pairs if s and not r)
    fn = sum(1 for s, r in pairs if not s and r)
    tn = n - tp - fp - fn
    observed = _ratio(tp + tn, n)
    expected = _ratio((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn), n * n)
    if n == 0:
        kappa = math.nan
    elif expected == 1:
        # Both coders constant and equal: perfect agreement, but kappa is undefined (0/0).
        kappa = math.nan
    else:
        kappa = (observed - expected) / (1 - expected)
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return {
        "n": n, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "kappa": kappa, "precision": precision, "recall": recall, "f1": f1,
        "percent_agreement": observed, "prevalence": _ratio(tp + fn, n),
        "student_rate": _ratio(tp + fp, n),
    }


def per_code_agreement(student: Mapping[str, Iterable[str]], reference: Mapping[str, Iterable[str]],
                       codes: list[str]) -> pd.DataFrame:
    """One row per code: agreement of ``student`` with ``reference`` on the excerpts both cover.

    ``student`` maps excerpt id to the codes chosen; only excerpts present in both mappings count.
    """
    excerpts = [e for e in student if e in reference]
    chosen = {e: set(student[e]) for e in excerpts}
    truth = {e: set(reference[e]) for e in excerpts}
    rows = []
    for code in codes:
        stats = binary_stats([code in chosen[e] for e in excerpts], [code in truth[e] for e in excerpts])
        rows.append({"code": code, **stats})
    return pd.DataFrame(rows, columns=[
        "code", "n", "tp", "fp", "fn", "tn", "kappa", "precision", "recall", "f1",
        "percent_agreement", "prevalence", "student_rate",
    ])


def excerpt_agreement(chosen: Iterable[str], reference: Iterable[str]) -> dict[str, object]:
    """For one excerpt: the codes in both, only the student's, only the reference's; Jaccard."""
    mine, ref = set(chosen), set(reference)
    both = mine & ref
    union = mine | ref
    return {
        "both": sorted(both), "only_student": sorted(mine - ref), "only_reference": sorted(ref - mine),
        "agree": len(both), "union": len(union), "jaccard": _ratio(len(both), len(union)) if union else 1.0,
    }


#: Decimals alpha is shown and judged with: the band is read from the value as shown.
ALPHA_DECIMALS = 3


def shown_alpha(alpha: float) -> float:
    """Alpha rounded as the course shows it (three decimals)."""
    return round(float(alpha), ALPHA_DECIMALS)


def format_alpha(alpha: float) -> str:
    """Alpha as the course shows it ("0.667"); "–" when undefined."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "–"
    return f"{shown_alpha(alpha):.{ALPHA_DECIMALS}f}"


def alpha_band(alpha: float) -> str:
    """'reliable' (shown α ≥ .800), 'tentative' (.667 ≤ shown α < .800), 'revisit' (shown α < .667)
    or 'undefined'. The band is read from alpha rounded to three decimals, the value shown."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    value = shown_alpha(alpha)
    for floor, name in ALPHA_BANDS:
        if value >= floor:
            return name
    return "revisit"


def krippendorff_alpha_per_code(codings: pd.DataFrame, codes: list[str], excerpts: list[str],
                                coders: list[str]) -> pd.DataFrame:
    """Krippendorff's alpha (nominal) per code among many coders.

    ``codings`` is tidy: one row per coder, excerpt and code applied, with columns ``coder``,
    ``excerpt`` and ``code``, plus rows with ``code`` empty for an excerpt a coder coded with no
    code. A coder who did not code an excerpt leaves it missing. A code with no variation (nobody
    used it, or everybody always did) has no defined alpha and is reported, not an error.
    """
    import numpy as np
    import krippendorff

    coder_index = {c: i for i, c in enumerate(coders)}
    excerpt_index = {e: j for j, e in enumerate(excerpts)}
    covered = np.zeros((len(coders), len(excerpts)), dtype=bool)
    if len(codings):
        ci = codings["coder"].map(coder_index)
        ei = codings["excerpt"].map(excerpt_index)
        ok = ci.notna() & ei.notna()
        covered[ci[ok].astype(int).to_numpy(), ei[ok].astype(int).to_numpy()] = True
    rows = []
    for code in codes:
        matrix = np.full((len(coders), len(excerpts)), np.nan)
        matrix[covered] = 0.0
        hits = codings[codings["code"] == code] if len(codings) else codings
        if len(hits):
            hi = hits["coder"].map(coder_index)
            he = hits["excerpt"].map(excerpt_index)
            ok = hi.notna() & he.notna()
            matrix[hi[ok].astype(int).to_numpy(), he[ok].astype(int).to_numpy()] = 1.0
        used = int(np.nansum(matrix))
        # Only excerpts coded by two or more coders enter alpha; variation elsewhere does not count.
        paired = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
        values = set(np.unique(paired[~np.isnan(paired)]).tolist())
        if used == 0:
            alpha, note = math.nan, "unused"
        elif len(values) < 2:
            alpha, note = math.nan, "no variation"
        else:
            alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
            note = ""
        rows.append({"code": code, "alpha": alpha, "band": alpha_band(alpha) if not note else "undefined",
                     "applications": used, "note": note})
    return pd.DataFrame(rows, columns=["code", "alpha", "band", "applications", "note"])


def masi_distance(a: frozenset, b: frozenset) -> float:
    """MASI distance between two sets of codes (Passonneau 2006): ``1 - Jaccard * monotonicity``.

    Two empty sets ("no code applies" twice) agree: distance 0.
    """
    if a == b:
        return 0.0
    union = len(a | b)
    jaccard = len(a & b) / union
    if a <= b or b <= a:
        monotonicity = 2 / 3
    elif a & b:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1.0 - jaccard * monotonicity


def krippendorff_alpha_overall(sets: "list[list[frozenset | None]]") -> float:
    """Krippendorff's alpha across all codes at once: set-valued data, MASI distance.

    ``sets[coder][excerpt]`` is the set of codes the coder chose (empty for "no code applies") or
    ``None`` when the coder did not code the excerpt. Computed by the ``krippendorff`` package with
    the MASI distance as its distance metric; nan when there is nothing to compare (fewer than two
    coders on every excerpt, or one set for everybody).
    """
    import numpy as np
    import krippendorff

    values = sorted({v for row in sets for v in row if v is not None}, key=lambda v: (len(v), sorted(v)))
    index = {v: i for i, v in enumerate(values)}
    if not sets or len(values) < 2:
        return math.nan
    matrix = np.array([[np.nan if v is None else index[v] for v in row] for row in sets], dtype=float)
    if not (np.sum(~np.isnan(matrix), axis=0) >= 2).any():
        return math.nan
    paired = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
    if len(np.unique(paired[~np.isnan(paired)])) < 2:
        return math.nan
    table = np.array([[masi_distance(a, b) for b in values] for a in values])

    def metric(v1, v2, i1, i2, n_v, dtype=np.float64):
        # The package calls the metric with the value domain broadcast (v1, v2) and its indices.
        return table[np.asarray(i1, dtype=int), np.asarray(i2, dtype=int)].astype(dtype)

    return float(krippendorff.alpha(reliability_data=matrix, value_domain=list(range(len(values))),
                                     level_of_measurement=metric))
