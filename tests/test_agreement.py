"""Agreement figures against cases worked out by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from course import agreement


def test_binary_stats_by_hand():
    # 10 excerpts: TP 3, FP 1, FN 2, TN 4.
    student = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    reference = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]
    s = agreement.binary_stats(map(bool, student), map(bool, reference))
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (3, 1, 2, 4)
    # po = .7; pe = (4*5 + 6*5) / 100 = .5; kappa = (.7 - .5) / .5 = .4
    assert s["percent_agreement"] == pytest.approx(0.7)
    assert s["kappa"] == pytest.approx(0.4)
    assert s["precision"] == pytest.approx(0.75)
    assert s["recall"] == pytest.approx(0.6)
    assert s["f1"] == pytest.approx(2 / 3)
    assert s["prevalence"] == pytest.approx(0.5)


def test_kappa_undefined_when_both_constant_and_rare_code_reads_right():
    s = agreement.binary_stats([False] * 5, [False] * 5)
    assert s["percent_agreement"] == 1 and math.isnan(s["kappa"]) and math.isnan(s["f1"])
    # A rare code: one miss out of 20 gives 95 % agreement but kappa 0 -- hence the prevalence column.
    s = agreement.binary_stats([False] * 20, [True] + [False] * 19)
    assert s["percent_agreement"] == pytest.approx(0.95)
    assert s["kappa"] == pytest.approx(0.0)
    assert s["prevalence"] == pytest.approx(0.05)


def test_perfect_and_opposite():
    assert agreement.binary_stats([True, False, True], [True, False, True])["kappa"] == pytest.approx(1)
    assert agreement.binary_stats([True, False], [False, True])["kappa"] == pytest.approx(-1)


def test_per_code_only_counts_excerpts_in_both():
    student = {"a": ["X"], "b": ["X", "Y"], "z": ["Y"]}  # z has no reference: left out
    reference = {"a": ["X"], "b": ["Y"], "c": ["X"]}  # c not coded by the student: left out
    table = agreement.per_code_agreement(student, reference, ["X", "Y"]).set_index("code")
    assert table.loc["X", "n"] == 2 and table.loc["X", "tp"] == 1 and table.loc["X", "fp"] == 1
    assert table.loc["Y", "tp"] == 1 and table.loc["Y", "tn"] == 1


def test_excerpt_agreement():
    result = agreement.excerpt_agreement(["A", "B"], ["B", "C"])
    assert result["both"] == ["B"] and result["only_student"] == ["A"] and result["only_reference"] == ["C"]
    assert result["jaccard"] == pytest.approx(1 / 3)


def test_krippendorff_alpha_by_hand_and_missing_values():
    # Two coders, four excerpts, one code: A = 1,1,0,0; B = 1,0,0,0.
    # Coincidences o00 = 4, o01 = o10 = 1, o11 = 2; n = 8, n0 = 5, n1 = 3.
    # alpha = 1 - (n - 1) * (o01 + o10) / (2 * n0 * n1) = 1 - 7 * 2 / 30 = 8/15.
    rows = [("A", "e1", "K"), ("A", "e2", "K"), ("A", "e3", ""), ("A", "e4", ""),
            ("B", "e1", "K"), ("B", "e2", ""), ("B", "e3", ""), ("B", "e4", ""),
            # C coded only e1: a unit with a missing value for the others must not count them.
            ("C", "e1", "K")]
    codings = pd.DataFrame(rows, columns=["coder", "excerpt", "code"])
    table = agreement.krippendorff_alpha_per_code(codings, ["K", "UNUSED"], ["e1", "e2", "e3", "e4"], ["A", "B"])
    k = table.set_index("code")
    assert k.loc["K", "alpha"] == pytest.approx(8 / 15)
    assert k.loc["K", "band"] == "revisit"
    assert math.isnan(k.loc["UNUSED", "alpha"]) and k.loc["UNUSED", "note"] == "unused"


def test_alpha_bands():
    assert agreement.alpha_band(0.85) == "reliable"
    assert agreement.alpha_band(0.70) == "tentative"
    assert agreement.alpha_band(0.5) == "revisit"
    assert agreement.alpha_band(float("nan")) == "undefined"


def test_variation_only_in_single_coder_excerpts_is_no_variation():
    rows = [("A", "e1", ""), ("B", "e1", ""), ("A", "e2", "K")]  # e2 coded by A only
    codings = pd.DataFrame(rows, columns=["coder", "excerpt", "code"])
    k = agreement.krippendorff_alpha_per_code(codings, ["K"], ["e1", "e2"], ["A", "B"]).set_index("code")
    assert math.isnan(k.loc["K", "alpha"]) and k.loc["K", "note"] == "no variation"


def test_pct_formats():
    from course.i18n import pct

    assert pct(0.554, "da") == "55 %" and pct(0.554, "en") == "55%" and pct(float("nan"), "da") == "–"
