"""Load and validate the course's tables (data/*.csv).

Every table is read whole and checked before anything is returned: required columns, unique ids,
allowed values, references between tables and non-empty Danish text. A bad file raises
:class:`DataError`, which lists each problem with the file, the row (counted as Excel counts, the
header being row 1) and the field, and says how to fix it. Nothing is loaded half-way.

Text is kept exactly as written: markup such as ``<script>`` stays plain text here, and the views
escape it when they show it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from .paths import data_dir

MAX_TABLE_BYTES = 5_000_000

CODE_GROUPS = ("hands_off", "hands_on", "democratic_anchoring", "dilemma")
#: Groups whose codes can also be the answer to "which tool is this move?".
MOVE_GROUPS = ("hands_off", "hands_on", "democratic_anchoring")
NONE_CLASS = "NONE"
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class DataWarning(UserWarning):
    """A table was read, but something about it deserves the lecturer's attention."""


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message} How to fix: {self.fix}"


class DataError(ValueError):
    """One or more problems in the course's tables. ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:25])
        more = f"\n  ... and {len(self.problems) - 25} more" if len(self.problems) > 25 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the course data:\n{shown}{more}")


@dataclass(frozen=True)
class TableSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    nonempty: tuple[str, ...] = ()
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    integer: tuple[str, ...] = ()
    must_exist: bool = True

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


SPECS: dict[str, TableSpec] = {
    "cases": TableSpec(
        "cases",
        required=("id", "label_da"),
        optional=("label_en", "summary_da", "summary_en"),
        nonempty=("id", "label_da"),
    ),
    "sections": TableSpec(
        "sections",
        required=("id", "order", "heading_da", "part"),
        optional=("heading_en",),
        nonempty=("id", "order", "heading_da", "part"),
        integer=("order",),
        must_exist=False,
    ),
    "codebook": TableSpec(
        "codebook",
        required=(
            "id", "uuid", "group", "label_da", "brief_da", "definition_da",
            "use_when_da", "dont_use_when_da", "colour",
        ),
        optional=(
            "label_en", "brief_en", "definition_en", "use_when_en", "dont_use_when_en",
            "example_excerpt",
        ),
        nonempty=(
            "id", "uuid", "group", "label_da", "brief_da", "definition_da",
            "use_when_da", "dont_use_when_da", "colour",
        ),
        allowed={"group": CODE_GROUPS},
    ),
    "excerpts": TableSpec(
        "excerpts",
        required=("id", "case", "kind", "source", "speaker", "section", "text_da"),
        optional=("lines", "text_en", "reference_codes", "rationale_da", "rationale_en", "context_da", "context_en"),
        nonempty=("id", "case", "kind", "source", "speaker", "text_da"),
        allowed={
            "kind": ("quote", "vignette"),
            "source": ("interview", "observation", "document", "slogan", "article"),
        },
    ),
    "moves": TableSpec(
        "moves",
        required=(
            "id", "case", "actor", "phase", "description_da", "reference_class",
            "explicitness", "rationale_da", "section",
        ),
        optional=("description_en", "also_accepted", "rationale_en", "lines"),
        nonempty=(
            "id", "case", "actor", "phase", "description_da", "reference_class",
            "explicitness", "rationale_da",
        ),
        allowed={
            "phase": ("initiation", "design_framing", "during", "ending", "after"),
            "explicitness": ("explicit", "inferred", "none"),
        },
        must_exist=False,
    ),
    "timeline": TableSpec(
        "timeline",
        required=("id", "case", "order", "when_da", "event_da", "leadership", "section"),
        optional=("year", "when_en", "event_en", "order_end"),
        nonempty=("id", "case", "order", "when_da", "event_da", "leadership"),
        allowed={"leadership": ("hands_off", "hands_on", "both", "none")},
        integer=("order", "year", "order_end"),
        must_exist=False,
    ),
    "fieldwork": TableSpec(
        "fieldwork",
        required=("id", "case", "order", "number_printed", "type", "text_da"),
        optional=("text_en", "dates", "stage"),
        nonempty=("id", "case", "order", "type", "text_da"),
        allowed={
            "type": ("interview", "observation", "participation", "conversation", "presentation"),
        },
        integer=("order",),
        must_exist=False,
    ),
}


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into its items (empty cell: empty list)."""
    return [item.strip() for item in str(value).split(";") if item.strip()]


def _decode(raw: bytes, path: Path, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            problems.append(Problem(
                str(path), line, None,
                "The file is neither UTF-8 nor Windows-1252 text.",
                "Open it in Excel and save it as 'CSV UTF-8 (Comma delimited)'.",
            ))
            return None
        warnings.warn(
            f"{path}: read as Windows-1252 (an Excel 'CSV' export), not UTF-8; the first "
            f"non-UTF-8 byte is on row {line}. Check that æ, ø and å look right, and save the "
            "file as 'CSV UTF-8 (Comma delimited)' to silence this warning.",
            DataWarning,
            stacklevel=4,
        )
        return text


def read_table(path: Path, spec: TableSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV file and check its own rows (not references to other tables)."""
    problems: list[Problem] = []
    name = str(path)
    if not path.exists():
        if spec.must_exist:
            problems.append(Problem(
                name, None, None, "The file is missing.",
                f"Add {spec.filename} with the columns {', '.join(spec.required)} (see data/README.md).",
            ))
        return None, problems
    raw = path.read_bytes()
    if len(raw) > MAX_TABLE_BYTES:
        problems.append(Problem(
            name, None, None, f"The file is {len(raw):,} bytes; the limit is {MAX_TABLE_BYTES:,}.",
            "Check that this is the right file; split it or remove what does not belong.",
        ))
        return None, problems
    text = _decode(raw, path, problems)
    if text is None:
        return None, problems
    if not text.strip():
        problems.append(Problem(
            name, 1, None, "The file is empty.",
            f"Add a header row ({', '.join(spec.required)}) and at least one data row.",
        ))
        return None, problems
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in spec.required if c not in header]
    for column in missing:
        problems.append(Problem(
            name, 1, column, f"The required column '{column}' is missing from the header.",
            f"Add a column named '{column}' (see data/README.md for what it holds).",
        ))
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    for column in duplicated:
        problems.append(Problem(
            name, 1, column, f"The column '{column}' appears more than once in the header.",
            "Keep one column of that name and delete the other.",
        ))
    if missing or duplicated:
        return None, problems
    records: list[dict[str, str]] = []
    incomplete = False
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as Excel sometimes leaves at the end
        if len(row) != len(header):
            problems.append(Problem(
                name, number, None,
                f"The row has {len(row)} fields but the header has {len(header)}.",
                "A comma or a quote mark inside a text is probably not quoted: put the text in "
                "double quotes, and double any quote mark inside it (\"\").",
            ))
            incomplete = True
            continue
        record = {h: cell.strip() for h, cell in zip(header, row)}
        record["source_row"] = str(number)
        records.append(record)
    if not records and not problems:
        problems.append(Problem(
            name, 2, None, "The file has a header but no data rows.", "Add at least one row.",
        ))
    seen: dict[str, int] = {}
    for record in records:
        number = int(record["source_row"])
        for column in spec.nonempty:
            if not record.get(column, "").strip():
                problems.append(Problem(
                    name, number, column, "This field is empty.",
                    f"Fill in '{column}'; it is required.",
                ))
        for column, allowed in spec.allowed.items():
            value = record.get(column, "").strip()
            if value and value not in allowed:
                problems.append(Problem(
                    name, number, column, f"'{value}' is not an allowed value.",
                    f"Use one of: {', '.join(allowed)}.",
                ))
        for column in spec.integer:
            value = record.get(column, "").strip()
            if value and not value.lstrip("-").isdigit():
                problems.append(Problem(
                    name, number, column, f"'{value}' is not a whole number.",
                    "Write a whole number such as 3 (or leave it empty where that is allowed).",
                ))
        identifier = record.get("id", "").strip()
        if identifier:
            if not ID_PATTERN.match(identifier):
                problems.append(Problem(
                    name, number, "id", f"The id '{identifier}' contains spaces or other characters ids cannot hold.",
                    "Use letters, digits, '-', '_' and '.' only.",
                ))
            if identifier in seen:
                problems.append(Problem(
                    name, number, "id", f"The id '{identifier}' is already used on row {seen[identifier]}.",
                    "Give each row its own id; ids are never reused.",
                ))
            else:
                seen[identifier] = number
    columns = list(dict.fromkeys([*spec.required, *spec.optional, *header]))
    frame = pd.DataFrame.from_records(
        [{c: r.get(c, "") for c in columns} | {"source_row": int(r["source_row"])} for r in records],
        columns=[*columns, "source_row"],
    )
    for column in columns:
        frame[column] = frame[column].fillna("").astype(str)
    frame.attrs["incomplete"] = incomplete
    return frame, problems


@dataclass
class Corpus:
    """The validated tables of one case collection (the article's, or a lecturer's own)."""

    folder: Path
    cases: pd.DataFrame
    sections: pd.DataFrame
    codebook: pd.DataFrame
    excerpts: pd.DataFrame
    moves: pd.DataFrame
    timeline: pd.DataFrame
    fieldwork: pd.DataFrame
    data_version: str
    codebook_version: str

    @property
    def key(self) -> str:
        """A short name for this corpus, used in save-file names."""
        return "article" if self.folder.resolve() == data_dir().resolve() else re.sub(
            r"[^a-z0-9]+", "-", self.folder.name.lower()).strip("-") or "case"

    @property
    def code_ids(self) -> list[str]:
        return self.codebook["id"].tolist()

    @property
    def move_classes(self) -> list[str]:
        """The answers a move can have: the codes of the metagovernance groups, then NONE."""
        ids = self.codebook.loc[self.codebook["group"].isin(MOVE_GROUPS), "id"].tolist()
        return [*ids, NONE_CLASS]

    @cached_property
    def _codes_by_id(self) -> dict[str, dict[str, str]]:
        return {r["id"]: r for r in self.codebook.to_dict("records")}

    @cached_property
    def _sections_by_id(self) -> dict[str, dict[str, str]]:
        return {r["id"]: r for r in self.sections.to_dict("records")}

    def code(self, code_id: str) -> dict[str, str]:
        """The codebook row of ``code_id`` as a dict."""
        return self._codes_by_id[code_id]

    def section(self, section_id: str) -> dict[str, str] | None:
        """The sections row of ``section_id`` as a dict (None if unknown)."""
        return self._sections_by_id.get(section_id)

    def reference_codes(self) -> dict[str, list[str]]:
        """Excerpt id -> the reference coding (possibly empty)."""
        return {r.id: split_list(r.reference_codes) for r in self.excerpts.itertuples()}


def _check_references(tables: dict[str, pd.DataFrame | None], folder: Path) -> list[Problem]:
    problems: list[Problem] = []

    def ids(name: str) -> set[str]:
        table = tables.get(name)
        return set() if table is None else set(table["id"])

    cases, sections, codes, excerpts = ids("cases"), ids("sections"), ids("codebook"), ids("excerpts")
    codebook = tables.get("codebook")
    move_classes = set()
    if codebook is not None:
        move_classes = set(codebook.loc[codebook["group"].isin(MOVE_GROUPS), "id"]) | {NONE_CLASS}

    def where(name: str) -> str:
        return str(folder / f"{name}.csv")

    for name in ("excerpts", "moves", "timeline", "fieldwork"):
        table = tables.get(name)
        if table is None:
            continue
        for r in table.itertuples():
            if tables.get("cases") is not None and r.case and r.case not in cases:
                problems.append(Problem(
                    where(name), r.source_row, "case", f"The case '{r.case}' is not in cases.csv.",
                    f"Use one of: {', '.join(sorted(cases))}, or add the case to cases.csv.",
                ))
            section = getattr(r, "section", "")
            if section and tables.get("sections") is not None and section not in sections:
                problems.append(Problem(
                    where(name), r.source_row, "section", f"The section '{section}' is not in sections.csv.",
                    "Use a section id from sections.csv (S01 ...), or add the section there.",
                ))
    table = tables.get("excerpts")
    if table is not None and codebook is not None:
        for r in table.itertuples():
            listed = split_list(r.reference_codes)
            for code in listed:
                if code not in codes:
                    problems.append(Problem(
                        where("excerpts"), r.source_row, "reference_codes",
                        f"The code '{code}' is not in the codebook.",
                        f"Use codes from codebook.csv ({', '.join(sorted(codes))}), separated by ';'.",
                    ))
            if len(set(listed)) != len(listed):
                problems.append(Problem(
                    where("excerpts"), r.source_row, "reference_codes", "A code is listed twice.",
                    "List each code once.",
                ))
            if listed and not r.rationale_da.strip():
                problems.append(Problem(
                    where("excerpts"), r.source_row, "rationale_da",
                    "The excerpt has a reference coding but no rationale.",
                    "Say in rationale_da why these codes apply, with the section it rests on.",
                ))
    if codebook is not None:
        for r in codebook.itertuples():
            if r.example_excerpt and tables.get("excerpts") is not None and r.example_excerpt not in excerpts:
                problems.append(Problem(
                    where("codebook"), r.source_row, "example_excerpt",
                    f"The excerpt '{r.example_excerpt}' does not exist.",
                    "Use an id from excerpts.csv or leave the field empty.",
                ))
            if r.colour and not HEX_COLOUR.match(r.colour):
                problems.append(Problem(
                    where("codebook"), r.source_row, "colour", f"'{r.colour}' is not a colour like #4477AA.",
                    "Write the colour as # followed by six hexadecimal digits.",
                ))
        uuids = codebook["uuid"].str.upper()
        for r, dup in zip(codebook.itertuples(), uuids.duplicated()):
            if dup:
                problems.append(Problem(
                    where("codebook"), r.source_row, "uuid", "This UUID is used by another code.",
                    "Give every code its own UUID (python -c 'import uuid; print(uuid.uuid4())').",
                ))
            if not re.match(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", r.uuid):
                problems.append(Problem(
                    where("codebook"), r.source_row, "uuid", f"'{r.uuid}' is not a UUID.",
                    "Write a UUID such as 3F2504E0-4F89-11D3-9A0C-0305E82C3301.",
                ))
    moves = tables.get("moves")
    if moves is not None and codebook is not None:
        for r in moves.itertuples():
            if r.reference_class and r.reference_class not in move_classes:
                problems.append(Problem(
                    where("moves"), r.source_row, "reference_class",
                    f"'{r.reference_class}' is not a metagovernance code or NONE.",
                    f"Use one of: {', '.join(sorted(move_classes))}.",
                ))
            for extra in split_list(r.also_accepted):
                if extra not in move_classes or extra == r.reference_class:
                    problems.append(Problem(
                        where("moves"), r.source_row, "also_accepted",
                        f"'{extra}' is not another allowed class.",
                        "List other metagovernance codes (or NONE), not the reference class itself.",
                    ))
    events = tables.get("timeline")
    if events is not None:
        for r in events.itertuples():
            start, end = r.order.strip(), r.order_end.strip()
            if start.lstrip("-").isdigit() and end.lstrip("-").isdigit() and int(end) <= int(start):
                problems.append(Problem(
                    where("timeline"), r.source_row, "order_end",
                    f"The span ends at {end}, which is not after its start (order {start}).",
                    "Give order_end the order of the event where the activity stops (larger than order), "
                    "or leave it empty for an event at one point in time.",
                ))
    fieldwork = tables.get("fieldwork")
    if fieldwork is not None:
        for r in fieldwork.itertuples():
            for date in split_list(r.dates):
                if not YEAR_MONTH.match(date):
                    problems.append(Problem(
                        where("fieldwork"), r.source_row, "dates", f"'{date}' is not a YYYY-MM date.",
                        "Write dates as 2016-02, separated by ';'.",
                    ))
    return problems


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _empty(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in (*spec.required, *spec.optional)} | {"source_row": pd.Series(dtype=int)})


@lru_cache(maxsize=8)
def _load(folder: str, stamp: tuple) -> Corpus:
    root = Path(folder)
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame | None] = {}
    for name, spec in SPECS.items():
        frame, found = read_table(root / spec.filename, spec)
        problems.extend(found)
        # A table that lost rows (ragged lines) is left out of the cross-table checks, so that one
        # broken codebook does not also report every code in excerpts.csv as unknown.
        tables[name] = None if frame is None or frame.attrs.get("incomplete") else frame
    problems.extend(_check_references(tables, root))
    if problems:
        raise DataError(problems)
    frames = {name: (tables[name] if tables[name] is not None else _empty(spec)) for name, spec in SPECS.items()}
    for name in ("sections", "timeline", "fieldwork"):
        frames[name] = frames[name].assign(order=pd.to_numeric(frames[name]["order"]).astype("Int64"))
    frames["timeline"] = frames["timeline"].assign(
        order_end=pd.to_numeric(frames["timeline"]["order_end"], errors="coerce").astype("Int64"))
    return Corpus(
        folder=root,
        **frames,
        data_version=_fingerprint([root / s.filename for s in SPECS.values()]),
        codebook_version=_fingerprint([root / "codebook.csv"]),
    )


def load_corpus(folder: str | Path | None = None) -> Corpus:
    """Load and validate the tables in ``folder`` (default: the article's data).

    Raises :class:`DataError` naming every bad file, row and field. Results are cached until a
    file changes.
    """
    root = Path(folder).expanduser().resolve() if folder is not None else data_dir().resolve()
    if not root.is_dir():
        raise DataError([Problem(str(root), None, None, "The folder does not exist.",
                                 "Give the path of a folder holding excerpts.csv, codebook.csv and cases.csv.")])
    stamp = tuple(
        (s.filename, p.stat().st_mtime_ns, p.stat().st_size) if (p := root / s.filename).exists() else (s.filename,)
        for s in SPECS.values()
    )
    return _load(str(root), stamp)
