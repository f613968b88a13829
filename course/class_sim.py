"""A simulated class of real save files, for tests, benchmarks, the lecturer's notebook and the export.

:func:`simulate_class` writes save files made with :func:`course.store.new_document` and checked
with :func:`course.store.validate_document`, with seeded noise, and a few broken files the class
view must skip (:data:`BROKEN_KINDS`). Plain Python (no widgets).
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from . import i18n
from .data import Corpus, load_corpus, split_list
from .limits import MAX_SAVE_BYTES
from .store import dump_bytes, new_document, slug, validate_document

BROKEN_KINDS = ("truncated", "foreign", "oversized", "duplicate", "same_student", "other_corpus", "empty")

_MEMOS = (
    "Usikker: er det design eller framing?",
    "Her tales der om, hvem der får adgang.",
    "Jeg læser det som et dilemma om afslutning.",
    "Minder om uddraget før; samme aktør.",
    "Svært at afgøre uden mere kontekst.",
)


@dataclass
class SimulatedClass:
    """Where :func:`simulate_class` wrote its files, and which are broken (file -> kind)."""

    folder: Path
    students: list[str]
    files: list[str]
    broken: dict[str, str]

    def __fspath__(self) -> str:
        return str(self.folder)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def simulate_class(corpus: Corpus | None = None, n_students: int = 30, seed: int = 0, noise: float = 0.15,
                   broken: bool | Iterable[str] = True, folder: str | Path | None = None,
                   moves: bool = True) -> SimulatedClass:
    """Write a simulated class's save files into ``folder`` (default: a new temporary folder).

    Each student's first coding is the course's reading with seeded noise: codes dropped and
    added (some codes and some excerpts are harder than others, some students more careless), and
    some excerpts skipped. About half of the excerpts are compared with the reference, and some
    of those revised towards it. Moves are answered with a per-move difficulty and a typical
    mistake, so that some moves go wrong for many. ``broken`` adds files that must be skipped
    (all of :data:`BROKEN_KINDS`, or the kinds listed). The same seed gives the same files.
    """
    from .moves import MoveQuiz

    corpus = corpus if corpus is not None else load_corpus()
    if not 0 <= noise <= 1:
        raise ValueError(i18n.t("error.noise_share"))
    rng = np.random.default_rng(seed)
    target = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="class-sim-"))
    target.mkdir(parents=True, exist_ok=True)
    excerpts = corpus.excerpts["id"].tolist()
    codes = corpus.code_ids
    ref = corpus.reference_codes()
    reference = np.array([[c in ref.get(e, []) for c in codes] for e in excerpts], dtype=bool)
    n_e, n_c = reference.shape
    width = max(3, len(str(n_students)))
    names = [f"Testelev {i:0{width}d}" for i in range(1, n_students + 1)]

    # Difficulty: per code, per excerpt (a few contested ones), per student.
    code_diff = rng.uniform(0.3, 2.0, n_c)
    excerpt_diff = rng.uniform(0.5, 1.3, n_e)
    contested = rng.choice(n_e, size=min(5, n_e), replace=False)
    excerpt_diff[contested] = rng.uniform(2.5, 3.5, len(contested))
    care = rng.uniform(0.5, 1.5, n_students)
    p_drop = np.clip(noise * care[:, None, None] * code_diff[None, None, :] * excerpt_diff[None, :, None], 0, 0.9)
    p_add = np.clip(p_drop * 0.15, 0, 0.5)
    draw = rng.random((n_students, n_e, n_c))
    first = np.where(reference[None], draw >= p_drop, draw < p_add)
    # Skipping: most students skip little; some skip a lot.
    p_skip = np.where(rng.random(n_students) < 0.25, rng.uniform(0.2, 0.5, n_students), noise * 0.2)
    covered = rng.random((n_students, n_e)) >= p_skip[:, None]
    covered[np.arange(n_students), rng.integers(0, n_e, n_students)] = True
    # A student always picks at least one code: an empty coding gets one random code.
    empty = covered & ~first.any(axis=2)
    ei_s, ei_e = np.nonzero(empty)
    first[ei_s, ei_e, rng.integers(0, n_c, len(ei_s))] = True
    revealed = covered & (rng.random((n_students, n_e)) < 0.5)
    revise = revealed & (rng.random((n_students, n_e)) < 0.5) & (first != reference[None]).any(axis=2)
    memo_pick = np.where(covered & (rng.random((n_students, n_e)) < 0.08),
                         rng.integers(0, len(_MEMOS), (n_students, n_e)), -1)

    # Moves: difficulty per move and a typical wrong answer.
    quiz = MoveQuiz(corpus, store=None)
    move_ids = corpus.moves["id"].tolist()
    move_refs = corpus.moves["reference_class"].tolist()
    classes = corpus.move_classes
    move_diff = rng.uniform(0.2, 1.0, len(move_ids))
    move_diff[rng.choice(len(move_ids), size=min(4, len(move_ids)), replace=False)] = rng.uniform(
        2.5, 3.5, min(4, len(move_ids)))
    distractor = []
    for record in corpus.moves.itertuples():
        options = [c for c in classes if c != record.reference_class and c not in split_list(record.also_accepted)]
        distractor.append(options[int(rng.integers(0, len(options)))])
    p_error = np.clip(noise * 1.6 * care[:, None] * move_diff[None, :], 0, 0.9)
    answered = rng.random((n_students, len(move_ids))) >= (p_skip[:, None] if moves else 1.1)
    errs = rng.random((n_students, len(move_ids))) < p_error
    typical = rng.random((n_students, len(move_ids))) < 0.7
    random_class = rng.integers(0, len(classes), (n_students, len(move_ids)))
    retry = rng.random((n_students, len(move_ids))) < 0.7

    base = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    files: list[str] = []
    docs: list[dict[str, Any]] = []
    for si, name in enumerate(names):
        doc = new_document(name, corpus.key, corpus.data_version, corpus.codebook_version)
        clock = base + timedelta(minutes=int(rng.integers(0, 600)))
        doc["created"] = _stamp(clock)
        for j in np.flatnonzero(covered[si]):
            clock += timedelta(seconds=int(rng.integers(20, 200)))
            chosen = [codes[k] for k in np.flatnonzero(first[si, j])]
            entry = {"first": chosen, "first_at": _stamp(clock), "revealed": False, "revealed_at": None,
                     "revised": None, "revised_at": None, "memo": "", "updated": _stamp(clock)}
            if memo_pick[si, j] >= 0:
                entry["memo"] = _MEMOS[memo_pick[si, j]]
            if revealed[si, j]:
                clock += timedelta(seconds=int(rng.integers(5, 60)))
                entry["revealed"], entry["revealed_at"], entry["updated"] = True, _stamp(clock), _stamp(clock)
                if revise[si, j]:
                    clock += timedelta(seconds=int(rng.integers(5, 60)))
                    entry["revised"] = [codes[k] for k in np.flatnonzero(reference[j])]
                    entry["revised_at"] = entry["updated"] = _stamp(clock)
            doc["coding"][excerpts[j]] = entry
        for mi in np.flatnonzero(answered[si]):
            move_id = move_ids[mi]
            record_ref = move_refs[mi]
            if errs[si, mi]:
                answer = distractor[mi] if typical[si, mi] else classes[random_class[si, mi]]
            else:
                answer = record_ref
            clock += timedelta(seconds=int(rng.integers(10, 90)))
            result = quiz.judge(move_id, answer).result
            attempts = [{"answer": answer, "result": result, "at": _stamp(clock)}]
            if result != "correct" and retry[si, mi]:
                clock += timedelta(seconds=int(rng.integers(10, 60)))
                attempts.append({"answer": record_ref, "result": "correct", "at": _stamp(clock)})
            doc["moves"][move_id] = {"attempts": attempts, "updated": _stamp(clock)}
        doc["updated"] = _stamp(clock)
        validate_document(doc, name)
        filename = f"{corpus.key}__{slug(name)}__{clock:%Y%m%d-%H%M}.json"
        (target / filename).write_bytes(dump_bytes(doc))
        files.append(filename)
        docs.append(doc)

    kinds = BROKEN_KINDS if broken is True else (() if broken is False else tuple(broken))
    unknown = set(kinds) - set(BROKEN_KINDS)
    if unknown:
        raise ValueError(i18n.t("error.unknown_broken_kinds", unknown=", ".join(sorted(unknown)),
                                kinds=", ".join(BROKEN_KINDS)))
    bad: dict[str, str] = {}
    extra = iter(range(n_students + 1, n_students + 100))

    def extra_doc() -> dict[str, Any]:
        name = f"Testelev {next(extra):0{width}d}"
        doc = new_document(name, corpus.key, corpus.data_version, corpus.codebook_version)
        doc["created"] = doc["updated"] = _stamp(base)
        if docs:
            doc["coding"] = json.loads(json.dumps(docs[0]["coding"]))
        return doc

    for kind in kinds:
        if kind == "truncated":
            doc = extra_doc()
            raw = dump_bytes(doc)
            filename = f"{corpus.key}__{slug(doc['student'])}__20260202-1200.json"
            (target / filename).write_bytes(raw[: max(1, len(raw) // 2)])
        elif kind == "foreign":
            filename = "aflevering-opgave-3.json"
            (target / filename).write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                       "nbformat_minor": 5}), encoding="utf-8")
        elif kind == "oversized":
            doc = extra_doc()
            key = next(iter(doc["coding"]), None)
            if key is None:
                doc["coding"]["x"] = {"first": ["X"], "memo": ""}
                key = "x"
            doc["coding"][key]["memo"] = "x" * (MAX_SAVE_BYTES + 1000)
            filename = f"{corpus.key}__{slug(doc['student'])}__20260202-1300.json"
            (target / filename).write_bytes(dump_bytes(doc))
        elif kind == "duplicate":
            if not files:
                continue
            filename = files[0].replace(".json", " (1).json")
            (target / filename).write_bytes((target / files[0]).read_bytes())
        elif kind == "same_student":
            if len(docs) < 2:
                continue
            older = json.loads(json.dumps(docs[1]))
            keep = list(older["coding"])[: len(older["coding"]) // 2]
            older["coding"] = {k: older["coding"][k] for k in keep}
            older["moves"] = {}
            older["updated"] = older["created"]
            validate_document(older)
            filename = f"{corpus.key}__{slug(older['student'])}__tidligere.json"
            (target / filename).write_bytes(dump_bytes(older))
        elif kind == "other_corpus":
            doc = extra_doc()
            doc["corpus"] = "min-egen-case"
            filename = f"min-egen-case__{slug(doc['student'])}.json"
            (target / filename).write_bytes(dump_bytes(doc))
        elif kind == "empty":
            filename = "tom.json"
            (target / filename).write_bytes(b"")
        bad[filename] = kind
    return SimulatedClass(target, names, files, bad)
