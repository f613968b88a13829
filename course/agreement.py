"""Agreement between codings.

Against the course's reference (one student): per code, over the excerpts the student has coded,
Cohen's kappa, precision, recall, F1 and percent agreement, each with the code's prevalence in the
reference, so that a rare code's unstable kappa is read for what it is.

Between many coders (a class): Krippendorff's alpha per code, nominal, one 0/1 variable per code
and excerpt, with missing values where a student did not code an excerpt; computed by the kept
``krippendorff`` package.

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


def alpha_band(alpha: float) -> str:
    """'reliable' (>= .800), 'tentative' (.667-.800), 'revisit' (< .667) or 'undefined'."""
    if alpha is None or (isinstance(alpha, float) and math.isnan(alpha)):
        return "undefined"
    for floor, name in ALPHA_BANDS:
        if alpha >= floor:
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
