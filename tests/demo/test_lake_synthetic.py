"""The synthetic base data passes its own data items: every check character is right."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from tests.lake_fixtures import register

from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import Node
from xiangshu.demo.base_data import BASE_DATABASES
from xiangshu.demo.lake import load_base_data
from xiangshu.demo.synthetic import write_base_data
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.identifiers import credit_code_problem, id_number_problem, id_number_sex
from xiangshu.domain.roles import SYSTEM


def test_synthetic_base_data_loads_without_a_single_rejected_row(
    sqlite_node: Node, tmp_path: Path
) -> None:
    made = write_base_data(tmp_path / "base", people_count=3000, seed=7)
    again = write_base_data(tmp_path / "again", people_count=3000, seed=7)
    assert made.files["people"].read_bytes() == again.files["people"].read_bytes()
    provider = sqlite_node.dispatcher.run(unit_show, SYSTEM, "省数据局").id
    references = {}
    for number, (name, (title, items)) in enumerate(BASE_DATABASES.items(), start=1):
        facts = register(
            sqlite_node,
            ResourceFacts(
                uuid.uuid4(),
                f"1010010{number}/000001",
                title,
                provider,
                ShareType.UNCONDITIONAL,
                OpenType.NOT_OPEN,
                ResourceStatus.PUBLISHED,
                items,
            ),
        )
        references[name] = facts.code
    reports = load_base_data(sqlite_node, references, folder=tmp_path / "base", people=3000, seed=7)
    for name, report in reports.items():
        assert report.rows_rejected == 0, (name, report.problems)
        assert report.rows_published == made.rows[name]
    people = list(csv.DictReader(made.files["people"].open(encoding="utf-8")))
    assert len(people) == 3000
    assert all(id_number_problem(p["id_number"]) is None for p in people)
    assert all((id_number_sex(p["id_number"]) == "male") == (p["sex"] == "1") for p in people)
    firms = list(csv.DictReader(made.files["entities"].open(encoding="utf-8")))
    assert all(credit_code_problem(f["credit_code"]) is None for f in firms)
