"""HermiT (owlready2, Java) finds ontology plus real data consistent, and catches a wrong link."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from kg.build.reason import check_consistency
from kg.errors import InconsistentError
from kg.namespaces import EGOV, GRAPH, ID


def test_real_data_is_consistent(real_build):
    cfg, report, _ = real_build
    assert report.reason is not None and report.reason.consistent
    assert report.reason.triples_checked > 1000


def test_wrong_link_makes_it_inconsistent(real_build):
    cfg, _, ds = real_build
    bad = Dataset(default_union=True)
    for q in ds.quads((None, None, None, None)):
        bad.add(q)
    # a city cannot be a stage: egov:duringStage's range (Stage) is disjoint with AdministrativeArea
    bad.graph(GRAPH["bad"]).add((ID["shenzhen"], EGOV.duringStage, ID["shanghai"]))
    with pytest.raises(InconsistentError):
        check_consistency(bad, cfg.ontology)
