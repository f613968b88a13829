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
import difflib
import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from . import i18n
from .limits import MAX_FIELD_CHARS, MAX_TABLE_BYTES
from .paths import data_dir

#: The corpus id of the article's own tables when data/corpus.csv is absent (older copies).
ARTICLE_CORPUS_ID = "article"

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
        return self.describe()

    def describe(self, lang: str | None = None) -> str:
        """File, row and field, what is wrong and how to fix it, in ``lang`` (default: the notebook's)."""
        where = self.file
        if self.row is not None:
            where += i18n.t("data_where_row", lang, row=self.row)
        if self.field:
            where += i18n.t("data_where_field", lang, field=self.field)
        message, fix = (x.render(lang) if isinstance(x, i18n.Message) and lang else x for x in (self.message, self.fix))
        return i18n.t("data_problem", lang, where=where, message=message, fix=fix)

    @property
    def kind(self) -> str:
        """A stable, machine-readable key of the problem (its catalogue key without ``data_``)."""
        key = getattr(self.message, "key", "")
        return key.removeprefix("data_") or "other"

    @property
    def values(self) -> dict:
        """The problem's details (what its message was rendered with)."""
        return dict(getattr(self.message, "values", {}))

    def render(self, lang: str | None = None) -> str:
        """What is wrong and how to fix it, in ``lang`` (as far as the catalogue has it)."""
        message, fix = (x.render(lang) if isinstance(x, i18n.Message) else x for x in (self.message, self.fix))
        return f"{message} {fix}"


def _problem(file: str, row: int | None, column: str | None, kind: str, /, **values) -> Problem:
    """A problem of ``kind``: its message and fix are the catalogue's ``data_<kind>`` and ``data_<kind>_fix``,
    rendered in the notebook's language (and again in any other with :meth:`Problem.render`)."""
    return Problem(file, row, column, i18n.msg(f"data_{kind}", **values), i18n.msg(f"data_{kind}_fix", **values))


class DataError(ValueError):
    """One or more problems in the course's tables. ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:25])
        more = "\n  " + i18n.t("data_more", n=len(self.problems) - 25) if len(self.problems) > 25 else ""
        super().__init__(i18n.t("data_error", n=len(self.problems)) + f"\n{shown}{more}")


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
    # One row: the corpus's own id, used in save-file names (not the folder's name).
    "corpus": TableSpec(
        "corpus",
        required=("id",),
        optional=("label_da", "label_en"),
        nonempty=("id",),
        must_exist=False,
    ),
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
        optional=("speaker_en", "lines", "text_en", "reference_codes", "rationale_da", "rationale_en", "context_da", "context_en"),
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
        optional=("actor_en", "description_en", "also_accepted", "rationale_en", "lines"),
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


#: Characters that show nothing: a field made only of them counts as empty.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me", "Cs", "Co", "Cn"}
_INVISIBLE_EXTRA = {"\u3164", "\u115f", "\u1160", "\uffa0", "\u2800", "\u180e"}


def is_blank(value: str) -> bool:
    """True when a text shows nothing: empty, spaces, or only zero-width and other invisible characters."""
    return not any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _INVISIBLE_EXTRA
                   for ch in str(value))


#: Characters that make a spreadsheet treat a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A cell for a CSV or spreadsheet that others open: a text starting with = + - @ (or tab/CR)
    gets a leading apostrophe, so Excel, LibreOffice and Sheets show it as text, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) made safe by :func:`spreadsheet_safe`."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_safe)
    out.columns = [spreadsheet_safe(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path, **options) -> None:
    """Write a table as UTF-8 CSV for others to open (cells neutralised; Excel sees the BOM)."""
    spreadsheet_safe_frame(frame).to_csv(path, index=options.pop("index", False),
                                         encoding=options.pop("encoding", "utf-8-sig"), **options)


def _decode(raw: bytes, path: Path, problems: list[Problem]) -> tuple[str | None, bytes]:
    """The file's text, and the bytes that were not UTF-8 (empty when all were)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16, tab-separated
        try:
            return raw.decode("utf-16"), b""
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), b""
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad = raw[err.start:err.end]
    replaced = raw.decode("utf-8-sig", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in replaced):
        # Mostly UTF-8 with a few stray bytes (one pasted Windows-1252 letter): read it as UTF-8
        # and name the rows with bad bytes, rather than re-decoding every æøå in the file wrongly.
        return replaced, bad
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        problems.append(_problem(str(path), line, None, "not_text"))
        return None, b""
    warnings.warn(i18n.msg("data_cp1252_warn", file=str(path), row=line), DataWarning, stacklevel=4)
    return text, b""


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts.values())
    return "," if best == 0 or counts[","] == best else (";" if counts[";"] == best else "\t")


def _looks_like_row(line: str, delimiter: str, width: int) -> bool:
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    return width > 2 and len(cells) >= width - 1 and bool(ID_PATTERN.match(cells[0].strip()))


def read_table(path: Path, spec: TableSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV file and check its own rows (not references to other tables)."""
    problems: list[Problem] = []
    name = str(path)
    if path.is_dir():
        problems.append(Problem(name, None, None, i18n.msg("data_is_folder", name=spec.filename),
                                i18n.msg("data_is_folder_fix", name=spec.filename)))
        return None, problems
    if not path.exists():
        if spec.must_exist:
            problems.append(_problem(name, None, None, "missing_file", name=spec.filename,
                                     columns=", ".join(spec.required)))
        return None, problems
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.append(Problem(name, None, None, i18n.msg("data_unreadable", detail=err.strerror or type(err).__name__),
                                i18n.msg("data_unreadable_fix")))
        return None, problems
    if len(raw) > MAX_TABLE_BYTES:
        problems.append(_problem(name, None, None, "too_big", size=len(raw), limit=MAX_TABLE_BYTES))
        return None, problems
    text, bad_bytes = _decode(raw, path, problems)
    if text is None:
        return None, problems
    if not text.strip():
        problems.append(_problem(name, 1, None, "empty_file", columns=", ".join(spec.required)))
        return None, problems
    first_line = text.splitlines()[0]
    found_sep = re.fullmatch(r'"?sep=(.)"?[,;\t]*', first_line.rstrip("\r\n "))
    if found_sep:  # Excel's "sep=;" first line names the separator; Excel does not show it as a row
        delimiter = found_sep.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if not text.strip():
            problems.append(_problem(name, 2, None, "no_header_after_sep", columns=", ".join(spec.required)))
            return None, problems
    else:
        delimiter = _delimiter(first_line)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as err:
        number = len(rows) + 1
        if "field larger than field limit" in str(err):
            problems.append(Problem(name, number, None, i18n.msg("data_field_too_long", limit=f"{MAX_FIELD_CHARS:,}"),
                                    i18n.msg("data_field_too_long_fix")))
        else:
            problems.append(Problem(name, number, None, i18n.msg("data_csv_error", detail=str(err)),
                                    i18n.msg("data_csv_error_fix")))
        return None, problems
    header = [h.strip() for h in rows[0]]
    known = (*spec.required, *spec.optional)
    for column in header:
        if not column or column in known or column == "source_row":
            continue
        close = [c for c in difflib.get_close_matches(column, known, n=1, cutoff=0.75) if c not in header]
        if close:
            problems.append(Problem(name, 1, column, i18n.msg("data_unknown_column", column=column),
                                    i18n.msg("data_unknown_column_fix", suggestion=close[0])))
        else:
            warnings.warn(i18n.msg("data_unknown_column_warn", file=name, column=column, known=", ".join(known)),
                          DataWarning, stacklevel=4)
    missing = [c for c in spec.required if c not in header]
    for column in missing:
        problems.append(_problem(name, 1, column, "missing_column", column=column))
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    for column in duplicated:
        problems.append(_problem(name, 1, column, "duplicate_column", column=column))
    if missing or duplicated:
        return None, problems
    records: list[dict[str, str]] = []
    incomplete = False
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as Excel sometimes leaves at the end
        if len(row) != len(header):
            problems.append(_problem(name, number, None, "ragged_row", fields=len(row), header=len(header)))
            incomplete = True
            continue
        swallowed = []
        for column, cell in zip(header, row):
            if "\n" in cell:
                inner = [line for line in cell.split("\n")[1:] if line.strip()]
                if any(_looks_like_row(line, delimiter, len(header)) for line in inner):
                    swallowed.append((column, len(inner)))
        if swallowed:
            column, count = swallowed[0]
            problems.append(Problem(name, number, column,
                                    i18n.msg("data_unbalanced_quote", field=column, first=number + 1, last=number + count),
                                    i18n.msg("data_unbalanced_quote_fix")))
            incomplete = True
            continue
        record = {h: cell.strip() for h, cell in zip(header, row)}
        record["source_row"] = str(number)
        if bad_bytes:
            for column, cell in zip(header, row):
                if "\ufffd" in cell:
                    problems.append(Problem(name, number, column,
                                            i18n.msg("data_bad_bytes", bytes=" ".join(f"0x{b:02X}" for b in bad_bytes)),
                                            i18n.msg("data_bad_bytes_fix")))
        records.append(record)
    if not records and not problems:
        problems.append(_problem(name, 2, None, "no_rows"))
    seen: dict[str, int] = {}
    for record in records:
        number = int(record["source_row"])
        for column in spec.nonempty:
            value = record.get(column, "")
            if not value.strip():
                problems.append(_problem(name, number, column, "empty_field", column=column))
            elif is_blank(value):
                problems.append(Problem(name, number, column, i18n.msg("data_invisible_only"),
                                        i18n.msg("data_invisible_only_fix", column=column)))
        for column, allowed in spec.allowed.items():
            value = record.get(column, "").strip()
            if value and value not in allowed:
                problems.append(_problem(name, number, column, "not_allowed", value=value, allowed=", ".join(allowed)))
        for column in spec.integer:
            value = record.get(column, "").strip()
            if value and not value.lstrip("-").isdigit():
                problems.append(_problem(name, number, column, "not_integer", value=value))
        identifier = record.get("id", "").strip()
        if identifier:
            if not ID_PATTERN.match(identifier):
                problems.append(_problem(name, number, "id", "bad_id", id=identifier))
            if identifier in seen:
                problems.append(_problem(name, number, "id", "duplicate_id", id=identifier, first_row=seen[identifier]))
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
    corpus_id: str = ""

    @property
    def key(self) -> str:
        """The corpus's own id, used in save-file names: from corpus.csv, never from the folder's name.

        Without corpus.csv: "article" for the course's own tables, else an id made from the case
        ids in cases.csv (add corpus.csv to choose one).
        """
        if self.corpus_id:
            return self.corpus_id
        if self.folder.resolve() == data_dir().resolve():
            return ARTICLE_CORPUS_ID
        cases = "\n".join(sorted(self.cases["id"]))
        return "case-" + hashlib.sha256(cases.encode("utf-8")).hexdigest()[:10]

    @property
    def legacy_keys(self) -> tuple[str, ...]:
        """The keys earlier versions used (from the folder's name), so that their save files are found."""
        old = "article" if self.folder.resolve() == data_dir().resolve() else re.sub(
            r"[^a-z0-9]+", "-", self.folder.name.lower()).strip("-") or "case"
        return (old,) if old != self.key else ()

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
                problems.append(_problem(where(name), r.source_row, "case", "unknown_case", case=r.case,
                                         cases=", ".join(sorted(cases))))
            section = getattr(r, "section", "")
            if section and tables.get("sections") is not None and section not in sections:
                problems.append(_problem(where(name), r.source_row, "section", "unknown_section", section=section))
    table = tables.get("excerpts")
    if table is not None and codebook is not None:
        for r in table.itertuples():
            listed = split_list(r.reference_codes)
            for code in listed:
                if code not in codes:
                    problems.append(_problem(where("excerpts"), r.source_row, "reference_codes", "unknown_code",
                                             code=code, codes=", ".join(sorted(codes))))
            if len(set(listed)) != len(listed):
                problems.append(_problem(where("excerpts"), r.source_row, "reference_codes", "code_twice"))
            if listed and not r.rationale_da.strip():
                problems.append(_problem(where("excerpts"), r.source_row, "rationale_da", "no_rationale"))
    if codebook is not None:
        for r in codebook.itertuples():
            if r.example_excerpt and tables.get("excerpts") is not None and r.example_excerpt not in excerpts:
                problems.append(_problem(where("codebook"), r.source_row, "example_excerpt", "unknown_excerpt",
                                         excerpt=r.example_excerpt))
            if r.colour and not HEX_COLOUR.match(r.colour):
                problems.append(_problem(where("codebook"), r.source_row, "colour", "bad_colour", colour=r.colour))
        uuids = codebook["uuid"].str.upper()
        for r, dup in zip(codebook.itertuples(), uuids.duplicated()):
            if dup:
                problems.append(_problem(where("codebook"), r.source_row, "uuid", "duplicate_uuid"))
            if not re.match(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", r.uuid):
                problems.append(_problem(where("codebook"), r.source_row, "uuid", "bad_uuid", uuid=r.uuid))
    moves = tables.get("moves")
    if moves is not None and codebook is not None:
        for r in moves.itertuples():
            if r.reference_class and r.reference_class not in move_classes:
                problems.append(_problem(where("moves"), r.source_row, "reference_class", "unknown_class",
                                         value=r.reference_class, classes=", ".join(sorted(move_classes))))
            for extra in split_list(r.also_accepted):
                if extra not in move_classes or extra == r.reference_class:
                    problems.append(_problem(where("moves"), r.source_row, "also_accepted", "bad_also_accepted",
                                             value=extra))
    events = tables.get("timeline")
    if events is not None:
        for r in events.itertuples():
            start, end = r.order.strip(), r.order_end.strip()
            if start.lstrip("-").isdigit() and end.lstrip("-").isdigit() and int(end) <= int(start):
                problems.append(_problem(where("timeline"), r.source_row, "order_end", "span_order", end=end, start=start))
    fieldwork = tables.get("fieldwork")
    if fieldwork is not None:
        for r in fieldwork.itertuples():
            for date in split_list(r.dates):
                if not YEAR_MONTH.match(date):
                    problems.append(_problem(where("fieldwork"), r.source_row, "dates", "bad_date", date=date))
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
    meta_table = tables.get("corpus")
    if meta_table is not None and len(meta_table) > 1:
        problems.append(_problem(str(root / "corpus.csv"), int(meta_table["source_row"].iloc[1]), "id", "several_corpora"))
    if problems:
        raise DataError(problems)
    frames = {name: (tables[name] if tables[name] is not None else _empty(spec)) for name, spec in SPECS.items()}
    meta = frames.pop("corpus")
    for name in ("sections", "timeline", "fieldwork"):
        frames[name] = frames[name].assign(order=pd.to_numeric(frames[name]["order"]).astype("Int64"))
    frames["timeline"] = frames["timeline"].assign(
        order_end=pd.to_numeric(frames["timeline"]["order_end"], errors="coerce").astype("Int64"))
    return Corpus(
        folder=root,
        **frames,
        data_version=_fingerprint([root / s.filename for s in SPECS.values() if s.name != "corpus"]),
        codebook_version=_fingerprint([root / "codebook.csv"]),
        corpus_id=str(meta["id"].iloc[0]) if len(meta) else "",
    )


def load_corpus(folder: str | Path | None = None) -> Corpus:
    """Load and validate the tables in ``folder`` (default: the article's data).

    Raises :class:`DataError` naming every bad file, row and field. Results are cached until a
    file changes.
    """
    root = Path(folder).expanduser().resolve() if folder is not None else data_dir().resolve()
    if not root.is_dir():
        raise DataError([_problem(str(root), None, None, "no_folder")])
    stamp = tuple(
        (s.filename, p.stat().st_mtime_ns, p.stat().st_size) if (p := root / s.filename).exists() else (s.filename,)
        for s in SPECS.values()
    )
    return _load(str(root), stamp)
