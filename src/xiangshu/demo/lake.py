"""Loading the synthetic base data into the lake, once the catalog has the resources.

The lead wires this into ``DEMO_STEPS`` after the catalog lands: the step creates
(or finds) the five base resources with the items of ``base_data.BASE_DATABASES``
and passes their IDs or codes here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from xiangshu.actions.lake_loads import records_ingest
from xiangshu.bootstrap import Node
from xiangshu.demo.synthetic import write_base_data
from xiangshu.domain.roles import SYSTEM
from xiangshu.schemas.lake import LoadReportPublic


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
