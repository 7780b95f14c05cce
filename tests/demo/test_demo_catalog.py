"""The demo catalog: realistic, large enough, every sharing and open type, all rules kept."""

from __future__ import annotations

from collections import Counter

from xiangshu.actions.catalog_search import resource_search
from xiangshu.bootstrap import Node
from xiangshu.demo.catalog import create_demo_catalog
from xiangshu.domain.roles import PUBLIC, SYSTEM
from xiangshu.schemas.catalog import SearchQuery
from xiangshu.storage.models.catalog import ResourceRow


def test_demo_catalog_covers_the_province(sqlite_node: Node) -> None:
    node = sqlite_node
    note = create_demo_catalog(node)
    assert "published" in note
    with node.store.transaction(write=False) as session:
        rows = session.query(ResourceRow).all()
        statuses = Counter(r.status for r in rows)
        shares = Counter(r.share_type for r in rows)
        opens = Counter(r.open_type for r in rows)
        providers = {r.provider_unit_id for r in rows}
    assert len(rows) >= 300 and statuses["published"] >= 300
    assert statuses["draft"] and statuses["submitted"]
    assert set(shares) == {"unconditional", "conditional", "not_shared"}
    assert set(opens) == {"open", "conditional", "not_open"}
    assert len(providers) > 150  # provincial units, every city and every county
    everything = node.dispatcher.run(resource_search, SYSTEM, SearchQuery())
    assert {v.value for v in everything.facets["level"]} == {"province", "city", "county"}
    for words, expected in (
        ("社会保障卡持卡信息", "社会保障卡持卡信息"),
        ("电子健康档案", "电子健康档案"),
        ("宽带用户", "宽带用户统计"),
        ("企业登记", "企业登记信息"),
        ("行政处罚决定", "市场监管行政处罚决定信息"),
        ("不动产登记", "不动产登记信息"),
    ):
        found = node.dispatcher.run(resource_search, SYSTEM, SearchQuery(q=words))
        assert expected in [h.name for h in found.hits[:3]], words
    public = node.dispatcher.run(resource_search, PUBLIC, SearchQuery())
    assert 0 < public.total < everything.total
    assert create_demo_catalog(node) == "Demo catalog already loaded."
