"""The sources' own tables, regenerated from the graph alone.

Why: a table in a case study is a summary the authors drew from their material. If the graph
really holds that material, the table must come back out of it with plain SPARQL. Each function
here runs library queries (queries/*.rq, the same ones researchers use, so the tables also
exercise the library) through the `Store` API and arranges the answers like the source:

- `shenzhen-sts`: Table 1 of seed 000, the STS perspective of Shenzhen's e-government by stage
  (technical subsystem, social subsystem, level of interactions, contextual subsystem, joint
  optimisation);
- `collaboration-cases`: Table 5 of seed 002, the four e-government collaboration cases
  (drivers, governance form, duration, government and non-government organisations, products,
  mediating technology);
- `service-platforms`: Table 2 of seed 003, the integrated government service platform and mobile
  application of Shanghai, Zhejiang and Guizhou.

Where the source's cell is the authors' summary (Table 1's social subsystem: "Hardly changed",
"Improve resource integration through ..."), the regenerated cell lists the records behind it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.config import Config
from kg.errors import QueryError, UsageError
from kg.namespaces import ID
from kg.query.library import QueryDef, load_library, run_query
from kg.store.embedded import Store

FORMATS = ("markdown", "csv")


@dataclass
class Table:
    """A regenerated table: header and rows of cells, each cell a list of lines."""

    name: str
    title: str
    source: str
    header: list[str]
    rows: list[list[list[str]]] = field(default_factory=list)

    def cell(self, row: str, column: str) -> list[str]:
        """The lines of one cell, addressed by the text of its first column and its header."""
        for r in self.rows:
            if r[0] and r[0][0] == row:
                return r[self.header.index(column)]
        raise KeyError(row)

    def markdown(self) -> str:
        def md(lines: list[str]) -> str:
            return "<br>".join(x.replace("|", "\\|") for x in lines)

        out = [f"**{self.title}** (regenerated from the graph; source: {self.source})", "",
               "| " + " | ".join(self.header) + " |", "|" + " --- |" * len(self.header)]
        out += ["| " + " | ".join(md(c) for c in r) + " |" for r in self.rows]
        return "\n".join(out) + "\n"

    def csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        for r in self.rows:
            w.writerow(["\n".join(c) for c in r])
        return buf.getvalue()


class _Runner:
    """Runs library queries by name and returns rows as dicts of plain strings ("" when unbound)."""

    def __init__(self, store: Store, queries: Path) -> None:
        self.store = store
        self.library: dict[str, QueryDef] = load_library(queries)

    def rows(self, name: str, **params: str) -> list[dict[str, str]]:
        if name not in self.library:
            raise QueryError(f"the table needs the library query '{name}', which is not in the query folder",
                             f"restore queries/{name}.rq")
        table = run_query(self.store, self.library[name], params)
        return [{v: _text(t) for v, t in zip(table.variables, r, strict=True)} for r in table.rows]


def _text(term: object) -> str:
    if term is None:
        return ""
    s = str(term)
    return s[len(str(ID)):] if s.startswith(str(ID)) else s


def _number(value: str) -> str:
    """2.0 -> "2", 17.68 -> "17.68": figures as the source prints them."""
    try:
        f = float(value)
    except ValueError:
        return value
    return str(int(f)) if f.is_integer() else value


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# ------------------------------------------------------------------------------------- Table 1
_SOCIAL_ORDER = ("structural reform", "process reform", "initiative", "establishment", "merger", "restructuring")


def _technical_lines(techs: list[dict[str, str]], components: set[str]) -> list[str]:
    """Group a stage's technologies like Table 1: key technologies, infrastructure, then by e-government mode."""
    keys = sorted(t["technologyLabel"] for t in techs if t["kind"] == "key technology")
    infra = sorted(t["technologyLabel"] for t in techs if t["kind"] == "infrastructure" and t["technology"] not in components)
    by_mode: dict[str, list[str]] = defaultdict(list)
    for t in techs:
        if t["kind"] in ("key technology", "infrastructure") or t["technology"] in components:
            continue
        modes = ", ".join(sorted(m.strip() for m in t["modes"].split(",") if m.strip()))
        by_mode[modes].append(t["technologyLabel"])
    lines = [", ".join(keys)] if keys else []
    lines += [", ".join(infra)] if infra else []
    for modes in sorted(by_mode, key=lambda m: (m == "", m)):
        labels = ", ".join(sorted(set(by_mode[modes])))
        lines.append(f"{modes}: {labels}" if modes else labels)
    return lines


def _social_lines(reforms: list[dict[str, str]]) -> list[str]:
    def key(r: dict[str, str]) -> tuple[str, int, str]:
        kind = r["kind"]
        return (r["date"] or "9999", _SOCIAL_ORDER.index(kind) if kind in _SOCIAL_ORDER else 99, r["reformLabel"])

    return _unique([f"{r['reformLabel']} ({r['kind']}, {r['date']})" if r["date"] else f"{r['reformLabel']} ({r['kind']})"
                    for r in sorted(reforms, key=key)])


def sts_shenzhen(store: Store, place: str = "shenzhen", queries: Path | None = None) -> Table:
    """Table 1 of seed 000: the STS perspective of e-government development in a place, stage by stage."""
    run = _Runner(store, queries or Config().queries)
    stages = run.rows("coevolution-by-stage", place=place)
    if not stages:
        raise UsageError(f"no stages recorded for place '{place}'", "give a place whose data has Stage records")
    part_of = {(r["system"], r["other"]) for r in run.rows("technology-dependencies", place=place)
               if r["relation"] == "part of"}
    table = Table("shenzhen-sts", "STS Perspective of E-Government Development in Shenzhen",
                  "seed 000 (Zhai & Gao), Table 1",
                  [""] + [s["stageLabel"] for s in stages])
    technical: list[list[str]] = [["Technical subsystem"]]
    social: list[list[str]] = [["Social subsystem"]]
    level: list[list[str]] = [["Level of interactions"]]
    context: list[list[str]] = [["Contextual subsystem"]]
    joint: list[list[str]] = [["Joint optimisation"]]
    for s in stages:
        techs = run.rows("technologies-by-stage", place=place, stage=s["stage"])
        here = {t["technology"] for t in techs}
        # a component is shown within its whole when the whole belongs to the same stage (as Table 1 does)
        parts = {part for part, whole in part_of if part in here and whole in here}
        technical.append(_technical_lines(techs, parts))
        social.append(_social_lines(run.rows("reforms-by-stage", place=place, stage=s["stage"])))
        lvl = s["interactionLevel"]
        level.append([lvl[:1].upper() + lvl[1:]] if lvl else [])
        context.append(sorted(_unique([f["factorLabel"] for f in run.rows("contextual-factors", stage=s["stage"])])))
        joint.append([s["jointOptimisation"]] if s["jointOptimisation"] else [])
    table.rows = [technical, social, level, context, joint]
    return table


# ------------------------------------------------------------------------------------- Table 5
_TABLE5_CASES = """
PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?case ?caseNumber
WHERE {
  ?g egov:describes ?case ; egov:citation ?c .
  ?case a egov:CollaborationCase .
  ?c egov:section "Table 5" .
  OPTIONAL { ?case skos:altLabel ?alt . FILTER(REGEX(STR(?alt), "^Case [0-9]+$")) }
  BIND(STR(?alt) AS ?caseNumber)
}
"""


_NON_GOVERNMENT = re.compile(r"\bnon-government organi[sz]ations\b", re.IGNORECASE)
_GOVERNMENT = re.compile(r"(?<!non-)\bgovernment organi[sz]ations\b", re.IGNORECASE)


def _count(quantities: list[dict[str, str]], case: str, government: bool) -> str:
    """The reported number of (non-)government organisations of a case, with the source's hedge ("14 +")."""
    wanted = _GOVERNMENT if government else _NON_GOVERNMENT
    for q in quantities:
        if q["about"] == case and (wanted.search(q["measure"]) or wanted.search(q["unit"])):
            value, qual = _number(q["value"]), q["qualifier"]
            return f"{value} {qual}" if qual == "+" else (f"{qual} {value}" if qual else value)
    return ""


def collaboration_cases(store: Store, queries: Path | None = None) -> Table:
    """Table 5 of seed 002: the collaboration cases cited from that table, one row per case."""
    run = _Runner(store, queries or Config().queries)
    listed = {_text(r[0]): _text(r[1]) for r in store.select(_TABLE5_CASES).rows}
    cases = [r for r in run.rows("collaboration-cases") if r["case"] in listed]
    order = sorted({r["case"] for r in cases},
                   key=lambda c: (int(listed[c].split()[-1]) if listed[c] else 99, c))
    drivers = run.rows("collaboration-drivers")
    people = run.rows("collaboration-participants")
    techs = run.rows("collaboration-technologies")
    quantities = run.rows("quantities-for-entity")
    table = Table("collaboration-cases", "Overview of the characteristics of the four cases",
                  "seed 002 (doctoral thesis, section 4.4), Table 5",
                  ["Case", "Drivers", "Organizational form", "Duration", "Government organizations",
                   "Non-government organizations", "Platforms/products", "Mediating technology"])
    for c in order:
        rows = [r for r in cases if r["case"] == c]
        first = rows[0]
        number = f"{listed[c]} " if listed[c] else ""
        years = _number(first["durationYears"])
        span = f"{first['start']}-{first['end']}" if first["end"] else first["start"]
        duration = f"{years} year{'s' if years != '1' else ''} ({span})" if years else span
        gov = [p["participantLabel"] for p in people if p["case"] == c and p["sector"] == "government"]
        non_gov = [f"{p['participantLabel']} ({p['sector']})" for p in people if p["case"] == c and p["sector"] != "government"]
        mediating = _unique([t["technologyLabel"] for t in techs if t["case"] == c and t["relation"] == "mediating technology"])
        table.rows.append([
            [number + first["caseLabel"]],
            _unique([d["text"] for d in drivers if d["case"] == c and d["aspect"] == "driver"]),
            sorted(_unique([r["governanceForm"] for r in rows])),
            [duration],
            _unique([_count(quantities, c, True)] + sorted(gov)),
            _unique([_count(quantities, c, False)] + sorted(non_gov)),
            sorted(_unique([t["technologyLabel"] for t in techs if t["case"] == c and t["relation"] == "produced"])),
            mediating or ["N/A"],
        ])
    return table


# ------------------------------------------------------------------------------------- Table 2
def service_platforms(store: Store, queries: Path | None = None) -> Table:
    """Table 2 of seed 003: integrated government service platform and mobile application per place."""
    run = _Runner(store, queries or Config().queries)
    table = Table("service-platforms", "Service platform and mobile application construction in the three places",
                  "seed 003 (Wu, ICPDI 2022), Table 2",
                  ["Provincial/ City", "integrated government service platform", "mobile applications"])
    by_place: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in run.rows("integrated-service-platforms"):
        by_place[r["placeLabel"]].append(r)
    for place, rows in by_place.items():
        table.rows.append([[place], _unique([r["platformLabel"] for r in rows]), _unique([r["appLabel"] for r in rows])])
    return table


# ------------------------------------------------------------------------------------- registry
TABLES: dict[str, tuple[str, Callable[..., Table]]] = {
    "shenzhen-sts": ("Table 1 of seed 000: STS perspective of Shenzhen's e-government by stage", sts_shenzhen),
    "collaboration-cases": ("Table 5 of seed 002: the four e-government collaboration cases", collaboration_cases),
    "service-platforms": ("Table 2 of seed 003: service platform and mobile app of Shanghai, Zhejiang, Guizhou",
                          service_platforms),
}
ALIASES = {"table1-shenzhen": "shenzhen-sts", "table5-collaboration": "collaboration-cases",
           "table2-platforms": "service-platforms"}


def regenerate(name: str, store: Store, queries: Path | None = None) -> Table:
    """The named source table, rebuilt from the graph; unknown names are a usage error with a suggestion."""
    key = ALIASES.get(name, name)
    if key not in TABLES:
        import difflib

        close = difflib.get_close_matches(name, [*TABLES, *ALIASES], n=1)
        raise UsageError(f"no table named '{name}'",
                         f"did you mean '{close[0]}'?" if close else f"choose one of {', '.join(TABLES)}")
    return TABLES[key][1](store, queries=queries)


def render(table: Table, fmt: str) -> str:
    if fmt == "markdown":
        return table.markdown()
    if fmt == "csv":
        return table.csv()
    raise UsageError(f"unknown table format '{fmt}'", f"use one of {', '.join(FORMATS)}")
