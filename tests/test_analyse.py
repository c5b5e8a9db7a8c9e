"""Co-evolution analytics on the real graph (networkx)."""

from __future__ import annotations

import subprocess
import sys

from kg.analyse.graph import coevolution_links, cross_subsystem_share, most_connected, to_networkx


def test_graph_has_every_entity_but_bibliography(real_build):
    _, report, ds = real_build
    g = to_networkx(ds)
    hidden = report.by_class.get("SourceDocument", 0) + report.by_class.get("CitedWork", 0)
    assert g.number_of_nodes() == report.records - hidden
    assert g.nodes["shenzhen-city-brain"]["subsystem"] == "technical"
    assert g.nodes["shenzhen-city-brain"]["year"] == 2019


def test_coevolution_links_carry_years_and_lag(real_build):
    g = to_networkx(real_build[2])
    links = coevolution_links(g)
    # seed 000, 4.2: after the 2009 structure reform the portal could serve as a one-stop service
    portal = [r for r in links if r["link"] == "enabled" and r["target"] == "shenzhen-government-online"
              and r["sourceYear"] == 2009]
    assert portal, [r["target"] for r in links]
    assert all(r["lag"] == r["targetYear"] - r["sourceYear"] for r in links if r["lag"] is not None)
    assert {r["link"] for r in links} == {"enabled", "prompted"}
    undated = [n for n, a in g.nodes(data=True) if a["yearBasis"] == "stage start"]
    assert undated and all(g.nodes[n]["stages"] for n in undated)


def test_share_per_stage_and_hubs(real_build):
    g = to_networkx(real_build[2])
    share = cross_subsystem_share(g)
    assert {"shenzhen-stage-1", "shenzhen-stage-2", "shenzhen-stage-3"} <= set(share)
    assert all(0.0 <= v <= 1.0 for v in share.values())
    hubs = [h[0] for h in most_connected(g, 3)]
    assert "shenzhen" in hubs


def test_analyse_command(real_build):
    cfg, _, _ = real_build
    res = subprocess.run([sys.executable, "-m", "kg", "analyse", "--out", str(cfg.out), "--top", "3"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "relatively high" in res.stdout and "Co-evolution links" in res.stdout
