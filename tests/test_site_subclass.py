"""An analyst's subclass shows up in the site wherever its parent class does (issue 10/11)."""

from __future__ import annotations

from kg.site.model import read_model
from tests.workbench import make_workbench


def test_subclass_is_drawn_and_grouped_like_its_parent(tmp_path):
    """tests/workbench.py adds egov:CityInformationSystem below InformationSystem and one system of
    that class: the site model puts it in the technical subsystem and the technology family, as it
    does the mini fixture's Platform."""
    cfg, store = make_workbench(tmp_path)
    model = read_model(store.dataset, cfg.ontology)
    system = model.entities["shenzhen-electronic-bidding-system"]
    platform = model.entities["shenzhen-online-approval-platform"]
    assert (system.subsystem, system.family) == ("technical", "technology")
    assert (platform.subsystem, platform.family) == ("technical", "technology")
