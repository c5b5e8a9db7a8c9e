"""The build: YAML -> validated records -> RDF -> SHACL -> HermiT -> build/ files.

Typed config in (kg.config.Config), typed report out (BuildReport): the CLI and
notebooks call this, tests call it, and nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from kg import fileio
from kg.config import Config
from kg.errors import UsageError, ValidationError
from kg.build.load import load_ontology, load_records, new_dataset
from kg.namespaces import EGOV, ONTOLOGY_GRAPH, PREFIXES, RDF, graph_id
from kg.build.reason import ReasonReport, check_consistency
from kg.build.records import Record, read_all
from kg.build.shapes import check_shapes
from kg.build.validate import check_structure


@dataclass
class BuildReport:
    """What a build produced, for people (CLI) and programs (tests, notebooks)."""

    records: int
    triples: int
    graphs: int
    by_class: dict[str, int]
    reason: ReasonReport | None
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_and_check(cfg: Config) -> tuple[list[Record], list[str]]:
    """Read data/ and run the structural pass; raise ValidationError with every problem."""
    if not cfg.data.exists():  # else a mistyped path would "validate" as zero records
        raise UsageError(f"{cfg.data}: no such file or folder", "give a data folder or a YAML file (default: data/)")
    records, problems = read_all(cfg.data, Path.cwd())
    warnings = []
    if not cfg.seeds.is_dir():
        warnings.append(f"seeds folder {cfg.seeds} not found: quotes were not checked (set EGOVKG_SEEDS)")
    problems += check_structure(records, cfg.ontology, cfg.seeds)
    if problems:
        raise ValidationError(problems, "structure")
    return records, warnings


def validate(cfg: Config) -> tuple[Dataset, list[Record], list[str]]:
    """Both validation passes. Returns the loaded dataset (without the ontology)."""
    records, warnings = read_and_check(cfg)
    ds = load_records(records)
    problems = check_shapes(ds, cfg.shapes, cfg.ontology)
    if problems:
        raise ValidationError(problems, "SHACL")
    return ds, records, warnings


def class_counts(ds: Dataset) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for s, _p, o, g in ds.quads((None, RDF.type, None, None)):
        gid = graph_id(g)
        if gid is not None and gid != ONTOLOGY_GRAPH and str(o).startswith(str(EGOV)):
            if (gid, EGOV.describes, s) in ds:
                counts[str(o)[len(str(EGOV)):]] += 1
    return dict(sorted(counts.items()))


def build(cfg: Config | None = None) -> tuple[BuildReport, Dataset]:
    """Validate, load, reason and write build/egov.trig and build/egov.ttl."""
    cfg = cfg or Config()
    data, records, warnings = validate(cfg)
    reason = check_consistency(data, cfg.ontology) if cfg.reason else None
    ds = new_dataset()
    for s, p, o, g in data.quads((None, None, None, None)):
        ds.graph(graph_id(g)).add((s, p, o))
    load_ontology(cfg.ontology, ds)
    fileio.write_text(cfg.trig, ds.serialize(format="trig"))
    merged = Graph()
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    fileio.write_text(cfg.turtle, merged.serialize(format="turtle"))
    graphs = {graph_id(g) for _, _, _, g in ds.quads((None, None, None, None)) if g is not None}
    report = BuildReport(records=len(records), triples=len(ds), graphs=len(graphs),
                         by_class=class_counts(data), reason=reason,
                         outputs=[cfg.trig, cfg.turtle], warnings=warnings)
    return report, ds
