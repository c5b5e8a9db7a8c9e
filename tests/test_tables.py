"""The sources' tables, regenerated from the real graph, checked cell by cell against the seed texts.

The expected cells are copied from the seed files (their flattened tables), not from the
regenerated output: if curation or a query drifts from what the source says, these fail.
"""

from __future__ import annotations

import csv
import io

import pytest
import typer
from typer.testing import CliRunner

from kg.cli.tables import register
from kg.errors import UsageError
from kg.query.tables import Table, regenerate

# Seed 000, Table 1 "STS Perspective of E-Government Development in Shenzhen".
TABLE1_TECHNICAL = {
    1: ["TD-LTE", "3G", "Unified e-government network", "Government online office system",
        "Electronic document exchange system", "Urban information resource exchange platform", "Unified e-government platform"],
    2: ["4G", "Cloud computing", "Big data", "Mobile Internet", "Network infrastructure", "Sensors", "Cloud server",
        "Shenzhen Government Online", "City service platforms on Alipay Wallet, Weibo, Mobile Taobao and WeChat"],
    3: ["AI", "5G", "IoT", "Blockchain", "I-Shenzhen", "Three-tier smart city structure", "City Brain"],
}
# The social cells are the authors' summaries; these are the records behind them (sections 4.2, 4.3).
TABLE1_SOCIAL = {
    2: ["Government structure reform",            # "reorganising institutions"
        "Establishment of the Shenzhen Electron Government Affairs Resource Centre",  # "launching new government agency"
        "Administrative approval process reform",  # "changing the administrative approval process"
        "Administrative Measures for the Sharing of Government Information Resources"],  # "publishing policy documents"
    3: ["Institutional reform of January 2019",   # "reorganising government institutions"
        "Establishment of the Government Services and Data Management Bureau",  # "launching new government agency"
        "Smart City Construction Master Plan"],   # "publishing policy documents"
}
TABLE1_LEVEL = ["Low", "Relatively high", "High"]
TABLE1_CONTEXT = {"A high degree of autonomy", "Flexible policy environment", "Young citizens with high digital literacy",
                  "Many technological innovation companies", "Inclusive urban environment"}
TABLE1_JOINT = ["Inspiration for efficiency within the government",
                "Efficiency, transparency and service-orientation of governance",
                "Top-level design, resource integration and service-orientation of governance"]

# Seed 002, Table 5 (flattened): case -> (driver, forms, duration, government count, non-government count,
# non-government organisation named in section 4.4.2, mediating technology, product).
TABLE5 = {
    "Case 1": ("Top-down policy mandate", {"IT outsourcing contract"}, "9 years (2004-2016)", "4 +", "2", "Longsun", "N/A",
               "government portal websites"),
    "Case 2": ("Growing need for mobile service apps among local governments", {"Public-Private Partnerships"},
               "2 years (2015-2016)", "14 +", "1", "Tencent", "N/A", "City Services Platform"),
    "Case 3": ("Growing need for developing open data based initiatives among local governments and open data community",
               {"Interest Network", "IT service contract", "IT outsourcing contract"}, "3 years (2015-2017)", "8", "7",
               "Open Data China", "WeChat", "Potential Open Data Service Infrastructure"),
    "Case 4": ("Growing need for understanding the application of advanced technologies among all- levels of governments "
               "across the country", {"Interest Network"}, "2 years (2015-2016)", "6", "6", "Fudan University", "WeChat",
               None),
}

# Seed 003, Table 2.
TABLE2 = {
    "Shanghai": ("GOVERNMENT ONLINE-OFFLINE SHANGHAI", "SuiShen"),
    "Zhejiang": ("Province, city, county, township, village linkage Zhejiang government service network", "Zheliban"),
    "Guizhou": ("Guizhou Government Service Network", "Yun of guizhou"),
}


@pytest.fixture(scope="module")
def table1(real_store) -> Table:
    return regenerate("shenzhen-sts", real_store)


def test_table1_header_has_the_three_stages(table1: Table):
    assert [h[h.index("(") + 1:h.index(")")] for h in table1.header[1:]] == ["2006-2008", "2009-2017", "2018-now"]


@pytest.mark.parametrize("stage", [1, 2, 3])
def test_table1_technical_subsystem(table1: Table, stage: int):
    cell = "\n".join(table1.cell("Technical subsystem", table1.header[stage])).lower()
    for item in TABLE1_TECHNICAL[stage]:
        assert item.lower() in cell, f"stage {stage}: {item!r} missing from {cell!r}"


def test_table1_groups_systems_by_mode_as_the_source(table1: Table):
    stage1 = table1.cell("Technical subsystem", table1.header[1])
    assert any(line.startswith("G2E:") and "Government online office system" in line for line in stage1)
    assert any(line.startswith("G2G:") and "Unified e-government platform" in line for line in stage1)
    stage2 = table1.cell("Technical subsystem", table1.header[2])
    assert any("G2C" in line and "G2B" in line and "Shenzhen Government Online" in line for line in stage2)


def test_table1_social_subsystem(table1: Table):
    for stage, items in TABLE1_SOCIAL.items():
        cell = "\n".join(table1.cell("Social subsystem", table1.header[stage]))
        for item in items:
            assert item in cell, f"stage {stage}: {item!r} missing"
    # Table 1, stage 1: "Hardly changed" - no agency change or process reform in that stage.
    stage1 = "\n".join(table1.cell("Social subsystem", table1.header[1]))
    assert not any(k in stage1 for k in ("(process reform", "(merger", "(establishment", "(restructuring"))


def test_table1_level_context_and_joint_optimisation(table1: Table):
    level = [table1.cell("Level of interactions", h) for h in table1.header[1:]]
    assert level == [[x] for x in TABLE1_LEVEL]
    for h in table1.header[1:]:
        assert set(table1.cell("Contextual subsystem", h)) == TABLE1_CONTEXT
    assert [table1.cell("Joint optimisation", h) for h in table1.header[1:]] == [[x] for x in TABLE1_JOINT]


def test_table5_collaboration_cases(real_store):
    table = regenerate("collaboration-cases", real_store)
    assert [r[0][0].split(" ", 2)[:2] for r in table.rows] == [["Case", str(n)] for n in range(1, 5)]
    col = {h: i for i, h in enumerate(table.header)}
    for row in table.rows:
        case = " ".join(row[0][0].split()[:2])
        driver, forms, duration, gov, non_gov, named, mediating, product = TABLE5[case]
        assert driver in row[col["Drivers"]], case
        assert set(row[col["Organizational form"]]) == forms, case
        assert row[col["Duration"]] == [duration], case
        assert row[col["Government organizations"]][0] == gov, case
        assert row[col["Non-government organizations"]][0] == non_gov, case
        assert any(named in x for x in row[col["Non-government organizations"]]), case
        assert any(mediating in x for x in row[col["Mediating technology"]]), case
        if product:
            assert any(product.lower() in x.lower() for x in row[col["Platforms/products"]]), case


def test_table2_service_platforms(real_store):
    table = regenerate("service-platforms", real_store)
    assert len(table.rows) == 3
    for place, platform, app in table.rows:
        source_platform, source_app = TABLE2[place[0].split()[0]]
        # Zhejiang's source cell prefixes the name with "Province, city, county, township, village linkage"
        assert platform and source_platform.lower().endswith(platform[0].lower()), place
        assert app == [source_app], place


def test_markdown_and_csv_render_every_cell(real_store):
    table = regenerate("table2-platforms", real_store)  # alias of service-platforms
    md = table.markdown()
    assert "| Shanghai | GOVERNMENT ONLINE-OFFLINE SHANGHAI | SuiShen |" in md
    rows = list(csv.reader(io.StringIO(table.csv())))
    assert rows[0] == table.header and len(rows) == 4


def test_unknown_table_suggests_a_name(real_store):
    with pytest.raises(UsageError, match="did you mean 'shenzhen-sts'"):
        regenerate("shenzhen-st", real_store)


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command keeps typer in multi-command mode, as in kg.cli.main
        """Unused."""

    return app


def test_cli_table_markdown_and_csv(cli: typer.Typer, real_build):
    cfg, _, _ = real_build
    runner = CliRunner()
    res = runner.invoke(cli, ["table", "shenzhen-sts", "--out", str(cfg.out)])
    assert res.exit_code == 0, res.output
    assert "| Level of interactions | Low | Relatively high | High |" in res.output
    res = runner.invoke(cli, ["table", "collaboration-cases", "-f", "csv", "--out", str(cfg.out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.output)))
    assert rows[1][3] == "9 years (2004-2016)"


@pytest.mark.parametrize("args,fragment", [
    (["table", "no-such-table"], "no table named"),
    (["table", "shenzhen-sts", "-f", "xml"], "unknown format 'xml'"),
])
def test_cli_table_usage_errors_exit_2(cli: typer.Typer, real_build, args: list[str], fragment: str):
    cfg, _, _ = real_build
    res = CliRunner().invoke(cli, [*args, "--out", str(cfg.out)])
    assert res.exit_code == 2 and fragment in res.output


def test_cli_help_lists_the_tables(cli: typer.Typer):
    res = CliRunner().invoke(cli, ["table", "--help"])
    assert res.exit_code == 0
    for name in ("shenzhen-sts", "collaboration-cases", "service-platforms"):
        assert name in res.output
