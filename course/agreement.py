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
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import numpy as np

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


def format_alpha(alpha: float, lang: str | None = None) -> str:
    """Alpha as the course shows it ("0.667"; with ``lang="da"`` a decimal comma, "0,667"); "–" when undefined."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "–"
    text = f"{shown_alpha(alpha):.{ALPHA_DECIMALS}f}"
    return text.replace(".", ",") if lang == "da" else text


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

    coder_index = {c: i for i, c in enumerate(coders)}
    excerpt_index = {e: j for j, e in enumerate(excerpts)}
    code_index = {c: k for k, c in enumerate(codes)}
    covered = np.zeros((len(coders), len(excerpts)), dtype=bool)
    coded = np.zeros((len(coders), len(excerpts), len(codes)), dtype=bool)
    if len(codings):
        ci = codings["coder"].map(coder_index)
        ei = codings["excerpt"].map(excerpt_index)
        ok = ci.notna() & ei.notna()
        covered[ci[ok].astype(int).to_numpy(), ei[ok].astype(int).to_numpy()] = True
        ki = codings["code"].map(code_index)
        hit = ok & ki.notna()
        coded[ci[hit].astype(int).to_numpy(), ei[hit].astype(int).to_numpy(), ki[hit].astype(int).to_numpy()] = True
    return krippendorff_alpha_per_code_arrays(coded, covered, codes)


def krippendorff_alpha_per_code_arrays(coded, covered, codes: list[str]) -> pd.DataFrame:
    """:func:`krippendorff_alpha_per_code` on arrays: ``coded[coder, excerpt, code]`` (bool) and
    ``covered[coder, excerpt]`` (the coder coded the excerpt; else missing). The class view's way
    in: no tidy table of every coding is built and taken apart again."""
    import krippendorff
    import numpy as np

    coded = np.asarray(coded, dtype=bool) & np.asarray(covered, dtype=bool)[:, :, None]
    paired_units = covered.sum(axis=0) >= 2  # only these enter alpha; variation elsewhere does not count
    used_all = coded.sum(axis=(0, 1))
    used_paired = coded[:, paired_units, :].sum(axis=(0, 1))
    cells_paired = int(covered[:, paired_units].sum())
    rows = []
    for k, code in enumerate(codes):
        used = int(used_all[k])
        if used == 0:
            alpha, note = math.nan, "unused"
        elif used_paired[k] in (0, cells_paired):  # one value among the paired units
            alpha, note = math.nan, "no variation"
        else:
            matrix = np.where(covered, coded[:, :, k], np.nan)
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


def masi_matrix(sets: list[frozenset]) -> np.ndarray:
    """The MASI distances between every two of ``sets`` at once (numpy; :func:`masi_distance`)."""
    member, size = _members(sets)
    return _masi_rows(member, size, 0, len(sets))


def _members(sets: list[frozenset]):
    """(set × item) 0/1 matrix and the sets' sizes."""
    import numpy as np

    items = sorted({c for v in sets for c in v})
    where = {c: k for k, c in enumerate(items)}
    member = np.zeros((len(sets), len(items)), dtype=float)
    for i, v in enumerate(sets):
        member[i, [where[c] for c in v]] = 1.0
    return member, member.sum(axis=1)


def _masi_rows(member, size, start: int, stop: int):
    """Rows ``start:stop`` of the MASI distance matrix."""
    import numpy as np

    inter = member[start:stop] @ member.T
    mine = size[start:stop, None]
    union = mine + size[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    smaller = np.minimum(mine, size[None, :])
    larger = np.maximum(mine, size[None, :])
    monotonicity = np.where((inter == smaller) & (inter == larger), 1.0,
                            np.where(inter == smaller, 2 / 3, np.where(inter > 0, 1 / 3, 0.0)))
    return 1.0 - jaccard * monotonicity


def krippendorff_alpha_overall(sets: list[list[frozenset | None]]) -> float:
    """Krippendorff's alpha across all codes at once: set-valued data, MASI distance.

    ``sets[coder][excerpt]`` is the set of codes the coder chose (empty for "no code applies") or
    ``None`` when the coder did not code the excerpt. Alpha = 1 - D_o / D_e with Krippendorff's
    coincidence formulas (2011): D_o = (1/n) sum over units u of sum_ck n_uc n_uk d_ck / (m_u - 1),
    D_e = sum_ck n_c n_k d_ck / (n (n - 1)), over the units with two or more values; d is the MASI
    distance. Computed with numpy on the (units x distinct sets) counts, since a class has hundreds
    of distinct sets (the ``krippendorff`` package took seconds); the tests check it against the
    package. nan when there is nothing to compare (fewer than two coders on every excerpt, or one
    set for everybody).
    """
    import numpy as np

    if not sets:
        return math.nan
    values = sorted({v for row in sets for v in row if v is not None}, key=lambda v: (len(v), sorted(v)))
    index = {v: i for i, v in enumerate(values)}
    n_units = max(len(row) for row in sets)
    counts = np.zeros((n_units, len(values)))
    for row in sets:
        for j, v in enumerate(row):
            if v is not None:
                counts[j, index[v]] += 1
    return krippendorff_alpha_overall_counts(counts, values)


def krippendorff_alpha_overall_counts(counts, values: list[frozenset]) -> float:
    """:func:`krippendorff_alpha_overall` from ``counts[unit, v]``: how many coders chose the set
    ``values[v]`` for the unit (the class view counts them with numpy)."""
    import numpy as np

    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    counts = counts[m >= 2]
    m = m[m >= 2]
    totals = counts.sum(axis=0)
    n = totals.sum()
    if n == 0 or np.count_nonzero(totals) < 2:
        return math.nan
    # counts @ delta and totals @ delta, the distance matrix made a block of rows at a time: a large
    # class has thousands of distinct sets, and the whole matrix (and its temporaries) would not be small.
    member, size = _members(values)
    by_unit = np.zeros_like(counts)
    by_total = np.zeros(len(values))
    for start in range(0, len(values), 256):
        stop = min(start + 256, len(values))
        delta = _masi_rows(member, size, start, stop)
        by_unit += counts[:, start:stop] @ delta
        by_total += totals[start:stop] @ delta
    observed = float(np.sum((by_unit * counts).sum(axis=1) / (m - 1)) / n)
    expected = float(by_total @ totals / (n * (n - 1)))
    return 1.0 - observed / expected
