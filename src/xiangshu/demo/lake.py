"""Records in the lake for the demo: synthetic rows for the base databases (合成数据).

``load_demo_lake`` finds the published provincial resources of the five base
databases in the catalog (classification 101 人口, 102 法人, 103 自然资源和空间地理,
104 社会信用, 105 电子证照), makes records from each resource's own data items
(``synthetic_records``) and loads them — 100,000 people into the population base
resource (its base items, 基础信息项), fewer rows elsewhere. ``load_base_data`` loads
the fixed five-file set of ``synthetic.py`` into resources that use its items.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from xiangshu.actions.lake_loads import records_ingest
from xiangshu.bootstrap import Node
from xiangshu.demo.synthetic import write_base_data
from xiangshu.demo.synthetic_records import RecordMaker
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.roles import SYSTEM
from xiangshu.schemas.lake import LoadReportPublic
from xiangshu.storage.lake.bookkeeping import current_version
from xiangshu.storage.models import UnitRow
from xiangshu.storage.models.catalog import ResourceRow

BASE_CLASSES = ("101", "102", "103", "104", "105")
PEOPLE_ROWS = 100_000
OTHER_ROWS = 10_000


def load_base_data(
    node: Node,
    resources: Mapping[str, str],
    *,
    folder: Path | None = None,
    people: int = 100_000,
    seed: int = 2026,
) -> dict[str, LoadReportPublic]:
    """Write the synthetic files and load each into its resource (keys of BASE_DATABASES)."""
    target = folder or node.settings.data_dir / "synthetic"
    made = write_base_data(target, people_count=people, seed=seed)
    return {
        name: node.dispatcher.run(
            records_ingest,
            SYSTEM,
            reference,
            made.files[name],
            source_name=f"{name}（合成数据）.csv",
        )
        for name, reference in resources.items()
    }


def base_resources(node: Node) -> list[ResourceFacts]:
    """Published provincial resources of the base databases, by code."""
    with node.store.transaction(write=False) as session:
        rows = session.execute(
            select(ResourceRow)
            .join(UnitRow, UnitRow.id == ResourceRow.provider_unit_id)
            .where(ResourceRow.status == "published", UnitRow.level == "province")
            .order_by(ResourceRow.code)
        ).scalars()
        found = []
        for row in rows:
            if row.class_code[:3] in BASE_CLASSES:
                facts = node.services.resources.facts(session, str(row.id))
                if facts is not None and facts.items:
                    found.append(facts)
        return found


def _rows_for(facts: ResourceFacts, people_rows: int, other_rows: int) -> int:
    return (
        people_rows
        if any(i.is_base_item for i in facts.items) and facts.code.startswith("101")
        else other_rows
    )


def load_demo_lake(
    node: Node,
    *,
    people_rows: int = PEOPLE_ROWS,
    other_rows: int = OTHER_ROWS,
    seed: int = 2026,
) -> str:
    """Load synthetic records into every base resource that has none yet; a note."""
    maker = RecordMaker(seed)
    folder = node.settings.data_dir / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    loaded: list[str] = []
    for facts in base_resources(node):
        with node.store.transaction(write=False) as session:
            if current_version(session, facts.resource_id) is not None:
                continue
        source = folder / f"{facts.code.replace('/', '-')}.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([i.field for i in facts.items])
            writer.writerows(maker.rows(facts.items, _rows_for(facts, people_rows, other_rows)))
        report = node.dispatcher.run(
            records_ingest, SYSTEM, facts.code, source, source_name=f"{facts.name}（合成数据）.csv"
        )
        loaded.append(f"{facts.name} {report.rows_published:,}")
        source.unlink()
    if not loaded:
        return "Demo lake: nothing to load (no base resources, or loaded already)."
    return f"Demo lake (synthetic records): {'; '.join(loaded)}."
