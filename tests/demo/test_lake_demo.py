"""Synthetic records made from data items pass them; the demo loads the base databases."""

from __future__ import annotations

import csv
import uuid
from importlib import resources
from pathlib import Path

import pytest
from tests.lake_fixtures import register

from xiangshu.actions.lake_loads import records_ingest, version_list
from xiangshu.bootstrap import Node
from xiangshu.demo.catalog import create_demo_catalog
from xiangshu.demo.catalog_items import items
from xiangshu.demo.lake import base_resources, load_demo_lake
from xiangshu.demo.synthetic_records import RecordMaker
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.identifiers import id_number_problem, id_number_sex
from xiangshu.domain.roles import SYSTEM


def _base_specs() -> list[tuple[str, str]]:
    text = resources.files("xiangshu.demo").joinpath("catalog-resources.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return [
        (r["name"], r["items"])
        for r in rows
        if r["class_code"][:3] in ("101", "102", "103", "104", "105")
    ]


@pytest.mark.parametrize(("name", "spec"), _base_specs())
def test_records_made_from_items_pass_them(
    sqlite_node: Node, tmp_path: Path, name: str, spec: str
) -> None:
    data_items = items(spec)
    facts = register(
        sqlite_node,
        ResourceFacts(
            uuid.uuid4(),
            "10100101/000001",
            name,
            uuid.uuid4(),
            ShareType.UNCONDITIONAL,
            OpenType.NOT_OPEN,
            ResourceStatus.PUBLISHED,
            data_items,
        ),
    )
    rows = list(RecordMaker(seed=3).rows(data_items, 300))
    source = tmp_path / "rows.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([i.field for i in data_items])
        writer.writerows(rows)
    report = sqlite_node.dispatcher.run(records_ingest, SYSTEM, facts.code, source)
    assert report.rows_rejected == 0, report.problems
    fields = [i.field for i in data_items]
    if "id_number" in fields and "gender" in fields:
        for row in rows:
            person = dict(zip(fields, row, strict=True))
            assert id_number_problem(person["id_number"]) is None
            assert (id_number_sex(person["id_number"]) == "male") == (person["gender"] == "1")
            assert person["birth_date"].replace("-", "") == person["id_number"][6:14]


def test_the_demo_loads_every_base_resource_once(sqlite_node: Node) -> None:
    create_demo_catalog(sqlite_node)
    found = base_resources(sqlite_node)
    assert {f.code[:3] for f in found} == {"101", "102", "103", "104", "105"}
    note = load_demo_lake(sqlite_node, people_rows=2000, other_rows=100)
    assert "全省户籍人口基本信息 2,000" in note and "企业登记信息 100" in note
    for facts in found:
        versions = sqlite_node.dispatcher.run(version_list, SYSTEM, facts.code)
        assert [v.number for v in versions] == [1] and versions[0].rows_rejected == 0
    assert "nothing to load" in load_demo_lake(sqlite_node, people_rows=2000, other_rows=100)
