"""The query library: queries/*.rq with headers, parameters bound safely.

A query file starts with a comment header:

    # title: Technologies by stage
    # question: Which technologies were adopted in each stage of a place?
    # param: place id optional  The place, e.g. shenzhen
    # param: from year optional First year to include
    # columns: stage, stageLabel, technology, technologyLabel

Parameters are never pasted into query text as strings. Each value is checked
against its declared type (an id must match the id pattern, a year must be a
year, a class must be an ontology class), turned into an RDF term, serialised
by rdflib, and bound with a SPARQL VALUES block placed first in the outermost
WHERE group. VALUES is standard SPARQL 1.1, so the same text runs on the
embedded store and on any remote endpoint.

Before running, `run_query` looks every id, class and property value up in the graph
(kg.query.params): a name that names nothing is an error with the closest names, not zero rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from kg.build.validate import ID_RX
from kg.errors import ParameterError, QueryError
from kg.namespaces import EGOV, ID, XSD
from kg.store.embedded import ResultTable, Store

PARAM_TYPES = ("id", "year", "text", "class")
_HEADER = re.compile(r"^#\s*(title|question|param|columns|note)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(?:\s+(optional|required))?\s*(.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    doc: str


@dataclass
class QueryDef:
    """One library query: its file, header fields and SPARQL text."""

    name: str
    path: Path
    title: str
    question: str
    sparql: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ordered(self) -> bool:
        return bool(re.search(r"\bORDER\s+BY\b", self.sparql, re.IGNORECASE))


def parse_query_file(path: Path) -> QueryDef:
    """Read a .rq file and its header; raise QueryError naming what is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc})", "give a UTF-8 .rq file") from exc
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            fields.setdefault(m[1], []).append(m[2].strip())
    for req in ("title", "question", "columns"):
        if req not in fields:
            raise QueryError(f"{path}: header lacks '# {req}:'", "add it to the comment header at the top of the file")
    params = []
    for spec in fields.get("param", []):
        m = _PARAM.match(spec)
        if not m or m[2] not in PARAM_TYPES:
            raise QueryError(f"{path}: bad '# param: {spec}'",
                             f"write '# param: NAME TYPE [optional|required] description', TYPE one of {PARAM_TYPES}")
        params.append(Param(m[1], m[2], m[3] != "optional", m[4].strip()))
    if params and not _WHERE.search(text):
        raise QueryError(f"{path}: a query with parameters needs an explicit 'WHERE {{'", "add the WHERE keyword")
    return QueryDef(name=path.stem, path=path, title=fields["title"][0], question=" ".join(fields["question"]),
                    sparql=text, params=params,
                    columns=[c.strip() for c in ",".join(fields["columns"]).split(",") if c.strip()],
                    notes=fields.get("note", []))


def load_library(folder: Path) -> dict[str, QueryDef]:
    """All queries in a folder, by name (file stem), sorted."""
    return {q.name: q for q in (parse_query_file(p) for p in sorted(Path(folder).glob("*.rq")))}


def find_query(name_or_file: str, folder: Path) -> QueryDef:
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return parse_query_file(path)
    candidate = Path(folder) / f"{name_or_file}.rq"
    if candidate.exists():
        return parse_query_file(candidate)
    import difflib

    names = [p.stem for p in Path(folder).glob("*.rq")]
    close = difflib.get_close_matches(name_or_file, names, n=1)
    raise QueryError(f"no query named '{name_or_file}'",
                     f"did you mean '{close[0]}'?" if close else "run 'egovkg queries' to list the library")


def to_term(param: Param, value: str) -> URIRef | Literal:
    """Turn a user-supplied string into a checked RDF term, or refuse it."""
    if param.type == "id":
        if not ID_RX.match(value):
            raise ParameterError(f"parameter '{param.name}': '{value}' is not an id",
                                 "ids are lowercase words joined by hyphens, e.g. shenzhen or shenzhen-stage-2")
        return ID[value]
    if param.type == "class":
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", value):
            raise ParameterError(f"parameter '{param.name}': '{value}' is not a class name",
                                 "give an ontology class such as Agency or Platform")
        return EGOV[value]
    if param.type == "year":
        if not re.fullmatch(r"\d{4}", value) or not 1900 <= int(value) <= 2100:
            raise ParameterError(f"parameter '{param.name}': '{value}' is not a year", "give four digits, e.g. 2009")
        return Literal(int(value), datatype=XSD.integer)
    if len(value) > 200 or any(ord(c) < 32 for c in value):
        raise ParameterError(f"parameter '{param.name}': text too long or has control characters",
                             "give a short plain text")
    return Literal(value)


def bind(qdef: QueryDef, params: dict[str, str], also: dict[str, list[URIRef]] | None = None) -> str:
    """The query text with parameters bound by a VALUES block (or unchanged).

    `also` adds further values for a parameter (the areas within a place, see run_query)."""
    declared = {p.name: p for p in qdef.params}
    for name in params:
        if name not in declared:
            raise ParameterError(f"query '{qdef.name}' has no parameter '{name}'",
                                 f"its parameters are: {', '.join(declared) or 'none'}")
    for p in qdef.params:
        if p.required and p.name not in params:
            raise ParameterError(f"query '{qdef.name}' needs parameter '{p.name}'",
                                 f"add --param {p.name}=VALUE ({p.type}: {p.doc})")
    if not params:
        return qdef.sparql
    # One single-variable VALUES block per parameter: the same meaning as one multi-variable row, and
    # the form Virtuoso 7.2 evaluates correctly in every library query.
    also = also or {}
    values = "".join(f"VALUES ?{n} {{ {' '.join([to_term(declared[n], v).n3(), *(x.n3() for x in also.get(n, []))])} }}\n  "
                     for n, v in params.items())
    m = _WHERE.search(qdef.sparql)
    assert m is not None  # checked when parsing
    return qdef.sparql[: m.end()] + "\n  " + values + qdef.sparql[m.end():].lstrip("\n")


def run_query(store: Store, qdef: QueryDef, params: dict[str, str] | None = None, *,
              check: bool = True) -> ResultTable:
    """Run a library query with bound parameters on any store.

    With `check` (the default) every id, class and property parameter is first looked up in the
    graph, so a misspelt name is an error naming the closest match rather than zero silent rows."""
    from kg.query.params import areas_within, check_params

    params = params or {}
    bind(qdef, params)  # refuses malformed values before anything is asked of the store
    if check and params:
        check_params(store, {p.name: p.type for p in qdef.params}, params)
    also: dict[str, list[URIRef]] = {}
    if "place" in params and "withinArea" not in qdef.sparql:
        # `place` always means the place and every area within it. A query that walks
        # egov:withinArea itself gets the place alone; one that matches ?place directly (a stage's
        # place, a thing's place) gets the areas too, as further VALUES rows.
        place = ID[params["place"]]
        also["place"] = sorted(areas_within(store, place) - {place})
    return store.select(bind(qdef, params, also))


def to_dataframe(table: ResultTable, *, short_ids: bool = True) -> pandas.DataFrame:  # type: ignore[name-defined]  # noqa: F821
    """A result table as a pandas DataFrame (needs the `[pandas]` extra).

    Cells become Python values: numbers and years as numbers, dates as strings, ids (IRIs under
    the project's id namespace) as their short id when `short_ids`, other IRIs in full."""
    try:
        import pandas as pd
    except ImportError as exc:  # optional extra
        raise QueryError("pandas is not installed", "pip install 'egov-kg[pandas]'") from exc

    def value(t: object) -> object:
        if t is None:
            return None
        if isinstance(t, URIRef):
            s = str(t)
            return s[len(str(ID)):] if short_ids and s.startswith(str(ID)) else s
        if isinstance(t, Literal):
            v = t.toPython()
            return v if isinstance(v, (int, float, bool)) and not isinstance(v, Literal) else str(t)
        return str(t)

    frame = pd.DataFrame([[value(t) for t in row] for row in table.rows], columns=table.variables)
    return frame.convert_dtypes()  # a year column with gaps stays integer (Int64 with <NA>), not float


def query_dataframe(store: Store, name: str, params: dict[str, str] | None = None,
                    folder: Path | None = None) -> pandas.DataFrame:  # type: ignore[name-defined]  # noqa: F821
    """One call from a library query to a DataFrame: `query_dataframe(store, "reforms-by-stage", {"place": "shenzhen"})`."""
    from kg.config import Config

    return to_dataframe(run_query(store, find_query(name, folder or Config().queries), params))

