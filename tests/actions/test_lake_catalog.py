"""The lake on resources of the real catalog (its ResourceDirectory, its life cycle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.catalog_fixtures import card_resource
from tests.helpers import actor_of, make_user

from xiangshu.actions.catalog import resource_create
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.lake_reads import record_lookup, records_query
from xiangshu.bootstrap import Node
from xiangshu.domain.identifiers import make_id_number
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import Role
from xiangshu.errors import PermissionDenied


def test_a_published_catalog_resource_is_loaded_and_read_by_its_share_type(
    node: Node, tmp_path: Path
) -> None:
    from datetime import date

    run = node.dispatcher.run
    steward = actor_of(make_user(node, "rst.steward", "省人力资源社会保障厅", Role.DATA_STEWARD))
    admin = actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN))
    clerk = actor_of(make_user(node, "rst.clerk", "省人力资源社会保障厅", Role.UNIT_USER))
    other = actor_of(make_user(node, "gat.user", "省公安厅", Role.UNIT_USER))
    draft = run(resource_create, steward, card_resource(node))  # 有条件共享
    run(resource_submit, steward, draft.code)
    run(resource_publish, admin, draft.code)

    ids = [make_id_number("430102", date(1980, 1, n), n) for n in range(1, 6)]
    source = tmp_path / "持卡.csv"
    lines = ["公民身份号码,姓名,社会保障卡号,发卡日期,卡状态"]
    lines += [f"{i},王{n}明,KH{n:06d},2020-0{n}-01,正常" for n, i in enumerate(ids, start=1)]
    lines.append(f"{ids[0][:17]}0,赵六,KH9,2020-01-01,作废")  # wrong check, unknown status
    source.write_text("\n".join(lines) + "\n", encoding="gb18030")

    report = run(records_ingest, steward, draft.code, source)
    assert (report.rows_valid, report.rows_rejected, report.version) == (5, 1, 1)
    with pytest.raises(PermissionDenied, match="有条件共享"):
        run(records_query, other, draft.code, QuerySpec())
    assert run(record_lookup, clerk, draft.code, ids[1]).record["name"] == "王2明"
    seen = run(records_query, admin, str(draft.id), QuerySpec(fields=("id_number", "name")))
    assert seen.total == 5 and seen.records[0]["name"] == "王*明"  # admins see it masked
