""""Ingen af koderne passer" / "No code applies": an explicit decision that every agreement figure
counts, and the overall alpha across codes (issue 16)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from course import agreement
from course import classroom as cl
from course import store as st
from course.coding import CodingError, CodingSession
from course.store import Store, read_save_file
from course.widgets import ExcerptCoder

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A (binary data, two
# observers Meg and Owen, no missing data): ten units, Meg codes 1 on units 2 and 9, Owen on units
# 1, 2, 3 and 6. Coincidences o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20;
# alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 19 * 4 / 84 = 0.095.
BINARY_A = (0, 1, 0, 0, 0, 0, 0, 0, 1, 0)
BINARY_B = (1, 1, 1, 0, 0, 1, 0, 0, 0, 0)
BINARY_ALPHA = 1 - 19 * 4 / (14 * 6)


@pytest.fixture(autouse=True)
def fresh_stores():
    st._OPEN.clear()
    yield
    st._OPEN.clear()


def code_as_students(corpus, folder, pattern, name, code, excerpts):
    session = CodingSession(corpus, Store(name, corpus.key, corpus.data_version, corpus.codebook_version, folder))
    for excerpt, applies in zip(excerpts, pattern):
        if applies:
            session.set_codes([code], excerpt)
        else:
            session.set_no_code(True, excerpt)
    return session


def test_krippendorffs_binary_example_reproduces_alpha_0_095(corpus, tmp_path):
    excerpts = corpus.excerpts["id"].tolist()[:10]
    code = corpus.code_ids[0]
    code_as_students(corpus, tmp_path, BINARY_A, "Meg", code, excerpts)
    code_as_students(corpus, tmp_path, BINARY_B, "Owen", code, excerpts)
    data = cl.load_class(tmp_path, corpus)
    assert data.n_students == 2 and data.covered["first"].sum() == 20  # every "absent" is a decision
    table = cl.alpha_table(data).set_index("code")
    assert table.loc[code, "alpha"] == pytest.approx(BINARY_ALPHA)
    assert agreement.format_alpha(table.loc[code, "alpha"]) == "0.095"
    # With one code in use, the overall (set-valued, MASI) alpha is the same figure.
    assert cl.alpha_overall(data) == pytest.approx(BINARY_ALPHA)
    assert agreement.format_alpha(table.loc[code, "alpha"], "da") == "0,095"  # a decimal comma in Danish
    assert "0,095" in cl.alpha_overall_text(data, lang="da") and "0.095" in cl.alpha_overall_text(data, lang="en")
    assert "MASI" in cl.render_html(data, lang="en")


def test_no_code_is_saved_exclusive_and_can_be_compared(corpus, tmp_path):
    session = CodingSession(corpus, Store("Ane", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path))
    excerpt = session.excerpt_id
    with pytest.raises(CodingError):
        session.reveal()
    session.set_codes([corpus.code_ids[0]])
    session.set_no_code(True)
    assert session.codes() == [] and session.no_code() and session.is_coded()
    doc = read_save_file(session.store.path)  # saved, and the store's validation accepts it
    assert doc["coding"][excerpt]["first_no_code"] is True and doc["coding"][excerpt]["first"] == []
    comparison = session.reveal()  # no longer refused
    assert comparison.chosen == []
    # The one-student agreement counts it as a decision: n includes the excerpt.
    table = session.agreement().set_index("code")
    if excerpt in corpus.reference_codes():
        assert table["n"].iloc[0] == 1
    # A code after the reveal is a revision that takes "no code applies" back.
    session.toggle(corpus.code_ids[1])
    assert not session.no_code() and session.codes() == [corpus.code_ids[1]]
    assert session.entry()["first_no_code"] is True  # the first decision is kept
    session.set_no_code(True)
    assert session.no_code() and session.entry()["revised"] == [] and session.entry()["revised_no_code"]
    again = CodingSession(corpus, Store("Ane", corpus.key, corpus.data_version, corpus.codebook_version, tmp_path))
    assert again.no_code(excerpt) and again.codings("first")[excerpt] == []


def test_a_bad_no_code_flag_is_refused_by_the_store(corpus):
    doc = st.new_document("Ane", corpus.key, corpus.data_version, corpus.codebook_version)
    doc["coding"]["x"] = {"first": [], "first_no_code": "yes", "memo": ""}
    with pytest.raises(st.SaveFileError, match="first_no_code"):
        st.validate_document(doc)


def test_the_coder_offers_one_exclusive_no_code_choice(tmp_path):
    coder = ExcerptCoder(student="Ane", case="police", folder=tmp_path)
    excerpt = coder.model.excerpt_id
    coder.boxes["HOFF_DESIGN"].value = True
    coder.no_code_box.value = True
    assert not any(box.value for box in coder.boxes.values())
    coder.store.flush()
    assert json.loads(coder.store.path.read_text("utf-8"))["coding"][excerpt]["first_no_code"] is True
    coder.compare_button.click()
    assert "Kursets læsning" in coder.feedback.value or "referencekodning" in coder.feedback.value
    coder.boxes["HOFF_FRAMING"].value = True
    assert not coder.no_code_box.value and coder.model.codes() == ["HOFF_FRAMING"]
    assert coder.no_code_box.description == "Ingen af koderne passer"


def test_alpha_bands_read_the_value_as_shown():
    assert agreement.format_alpha(2 / 3) == "0.667" and agreement.alpha_band(2 / 3) == "tentative"
    assert agreement.alpha_band(0.79996) == "reliable" and agreement.format_alpha(0.79996) == "0.800"
    assert agreement.alpha_band(0.6664) == "revisit" and agreement.format_alpha(0.6664) == "0.666"
    assert agreement.format_alpha(float("nan")) == "–"


def test_overall_alpha_with_masi_by_hand():
    # Two coders, three excerpts: {A}/{A}, {A,B}/{A}, {}/{B} ("no code applies" against B).
    # MASI: {A,B}-{A} = 1 - 1/2 * 2/3 = 2/3; disjoint sets 1. Pairable values: {A} x3, {A,B}, {}, {B}.
    # Do = (2 * 2/3 + 2 * 1) / 6 = 5/9. De = 2 * (3*2/3 + 3 + 3 + 1 + 2/3 + 1) / (6 * 5) = 32/45.
    # alpha = 1 - (5/9) / (32/45) = 7/32.
    a, b, empty = frozenset("A"), frozenset("B"), frozenset()
    sets = [[a, a | b, empty], [a, a, b]]
    assert agreement.krippendorff_alpha_overall(sets) == pytest.approx(7 / 32)
    # A coder missing an excerpt leaves it out; one set for everybody has no alpha.
    assert agreement.krippendorff_alpha_overall([[a, None], [a, b]]) != agreement.krippendorff_alpha_overall([[a, a], [a, b]])
    assert math.isnan(agreement.krippendorff_alpha_overall([[a, a], [a, a]]))


def test_overall_alpha_equals_nominal_alpha_for_one_code():
    import krippendorff

    rng = np.random.default_rng(3)
    matrix = rng.integers(0, 2, (4, 15)).astype(float)
    matrix[rng.random((4, 15)) < 0.2] = np.nan
    sets = [[None if np.isnan(v) else (frozenset("K") if v else frozenset()) for v in row] for row in matrix]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert agreement.krippendorff_alpha_overall(sets) == pytest.approx(expected)


def test_overall_alpha_equals_the_krippendorff_package_with_the_masi_metric():
    import krippendorff

    rng = np.random.default_rng(5)
    codes = "ABCD"
    sets = [[None if rng.random() < 0.15 else frozenset(c for c in codes if rng.random() < 0.35)
             for _ in range(20)] for _ in range(6)]
    values = sorted({v for row in sets for v in row if v is not None}, key=lambda v: (len(v), sorted(v)))
    index = {v: i for i, v in enumerate(values)}
    matrix = np.array([[np.nan if v is None else index[v] for v in row] for row in sets])
    table = np.array([[agreement.masi_distance(a, b) for b in values] for a in values])
    assert np.allclose(agreement.masi_matrix(values), table)

    def masi(v1, v2, i1, i2, n_v, dtype=np.float64):
        return table[np.asarray(i1, dtype=int), np.asarray(i2, dtype=int)].astype(dtype)

    expected = krippendorff.alpha(reliability_data=matrix, value_domain=list(range(len(values))),
                                  level_of_measurement=masi)
    assert agreement.krippendorff_alpha_overall(sets) == pytest.approx(expected)


def test_alpha_is_written_with_a_decimal_comma_in_danish():
    assert agreement.format_alpha(2 / 3, "da") == "0,667" and agreement.format_alpha(2 / 3, "en") == "0.667"
    import os

    from course import classroom

    data = classroom.load_class(os.fspath(classroom.simulate_class(n_students=4, seed=1, broken=False)))
    value = agreement.format_alpha(classroom.alpha_overall(data))
    assert value.replace(".", ",") in classroom.alpha_overall_text(data, lang="da")
    assert value in classroom.alpha_overall_text(data, lang="en")
