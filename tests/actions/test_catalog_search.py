"""Chinese full-text search over the catalog, with facets, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil

import pytest
from tests.catalog_fixtures import card_resource, open_statistics, unit_id
from tests.helpers import actor_of, make_user

from xiangshu.actions.catalog import resource_create, resource_update
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.catalog_search import catalog_reindex, resource_search
from xiangshu.bootstrap import Node, build_node
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.values import FormatClass, PlatformShareType
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.roles import PUBLIC, SYSTEM, Actor, Role
from xiangshu.errors import InvalidInput
from xiangshu.policies.data_access import may_see_metadata
from xiangshu.schemas.catalog import SearchQuery
from xiangshu.storage.catalog import facts_of
from xiangshu.storage.models.catalog import ResourceRow

LOAN_ITEMS = (
    DataItem("借款人证件号码", "borrower_id", DataItemType.CHAR, 18),
    DataItem("贷款金额", "amount", DataItemType.CURRENCY, 14, scale=2),
)


def _publish(node: Node, meta: object) -> str:
    run = node.dispatcher.run
    code = run(resource_create, SYSTEM, meta).code
    run(resource_submit, SYSTEM, code)
    run(resource_publish, SYSTEM, code)
    return code


def _catalog(node: Node) -> dict[str, str]:
    codes = {
        "card": _publish(node, card_resource(node)),
        "stats": _publish(node, open_statistics(node)),
        "fund": _publish(
            node,
            card_resource(
                node,
                name="住房公积金贷款发放信息",
                class_code="209001",
                abstract="住房公积金个人贷款的发放、还款和逾期情况。",
                provider_unit_id=unit_id(node, "省住房城乡建设厅"),
                share_type=ShareType.UNCONDITIONAL,
                items=LOAN_ITEMS,
                provider_division="",
            ),
        ),
        "firms": _publish(
            node,
            open_statistics(
                node,
                name="岳阳市企业登记信息",
                class_code="10200101",
                abstract="岳阳市市场主体的设立、变更和注销登记信息。",
                provider_unit_id=unit_id(node, "岳阳市数据局"),
                format_class=FormatClass.DATABASE,
                format_type="MySQL",
                share_manner_types=(PlatformShareType.TABLE,),
                items=(
                    DataItem("统一社会信用代码", "credit_code", DataItemType.CHAR, 18),
                    DataItem("企业名称", "firm_name", DataItemType.CHAR, 200),
                ),
            ),
        ),
    }
    codes["draft"] = node.dispatcher.run(
        resource_create,
        SYSTEM,
        card_resource(
            node,
            name="电子健康档案",
            abstract="居民电子健康档案的基本信息、就诊和体检记录。",
            provider_unit_id=unit_id(node, "省卫生健康委"),
            items=LOAN_ITEMS[:1],
            provider_division="",
        ),
    ).code
    return codes


def _names(node: Node, actor: Actor, q: str = "", **filters: object) -> list[str]:
    result = node.dispatcher.run(resource_search, actor, SearchQuery(q=q, **filters))
    return [h.name for h in result.hits]


def test_two_character_partial_and_several_words(node: Node) -> None:
    _catalog(node)
    assert _names(node, SYSTEM, "社保") == ["社会保障卡持卡信息"]  # abbreviation of 社会保障
    assert _names(node, SYSTEM, "积金贷") == ["住房公积金贷款发放信息"]  # inside a word
    assert _names(node, SYSTEM, "岳阳 企业") == ["岳阳市企业登记信息"]  # several words
    assert _names(node, SYSTEM, "岳阳 公积金") == []  # every word must match
    assert _names(node, SYSTEM, "宽带") == ["宽带用户统计"]
    assert _names(node, SYSTEM, "身份号码")[:1] == ["社会保障卡持卡信息"]  # a data item
    assert "社会保障卡持卡信息" in _names(node, SYSTEM, "人力资源")  # the provider
    assert _names(node, SYSTEM, "贷款 住房") == ["住房公积金贷款发放信息"]


def test_a_name_match_ranks_before_an_abstract_match(node: Node) -> None:
    _catalog(node)
    _publish(
        node,
        open_statistics(node, name="通信行业统计", abstract="含宽带接入端口数等指标。"),
    )
    assert _names(node, SYSTEM, "宽带") == ["宽带用户统计", "通信行业统计"]


def test_codes_are_searchable(node: Node) -> None:
    codes = _catalog(node)
    assert _names(node, SYSTEM, codes["stats"]) == ["宽带用户统计"]


def test_results_and_facets_hold_only_what_the_actor_may_see(node: Node) -> None:
    _catalog(node)
    actors: list[Actor] = [
        PUBLIC,
        actor_of(make_user(node, "gat.user", "省公安厅", Role.UNIT_USER)),
        actor_of(make_user(node, "wjw.steward", "省卫生健康委", Role.DATA_STEWARD)),
        actor_of(make_user(node, "admin1", "省数据局", Role.PLATFORM_ADMIN)),
        SYSTEM,
    ]
    with node.store.transaction(write=False) as session:
        rows = session.query(ResourceRow).all()
        facts = [facts_of(r) for r in rows]
    seen_counts = []
    for actor in actors:
        expected = sorted(f.name for f in facts if may_see_metadata(actor, f).allowed)
        result = node.dispatcher.run(resource_search, actor, SearchQuery())
        assert sorted(h.name for h in result.hits) == expected, actor.name
        assert result.total == len(expected)
        assert sum(v.count for v in result.facets["share_type"]) == len(expected)
        assert sum(v.count for v in result.facets["status"]) == len(expected)
        seen_counts.append(len(expected))
    assert seen_counts == [2, 4, 5, 5, 5]  # public: the two open ones; drafts: owner and admins


def test_facets_count_and_filter(node: Node) -> None:
    _catalog(node)
    result = node.dispatcher.run(resource_search, SYSTEM, SearchQuery())
    shares = {v.value: (v.label, v.count) for v in result.facets["share_type"]}
    assert shares["unconditional"] == ("无条件共享", 3)
    regions = {v.label: v.count for v in result.facets["region"]}
    assert regions == {"岳阳市": 1}
    classes = {v.label: v.count for v in result.facets["class_code"]}
    assert classes["社会保障"] == 2 and classes["法人单位基础信息"] == 1
    subjects = node.dispatcher.run(resource_search, SYSTEM, SearchQuery(class_code="203"))
    assert {v.label for v in subjects.facets["class_code"]} == {"社会保险"}
    # without words, results are listed by code
    assert _names(node, SYSTEM, open_type=OpenType.OPEN) == ["岳阳市企业登记信息", "宽带用户统计"]
    assert _names(node, SYSTEM, region="430600") == ["岳阳市企业登记信息"]
    assert _names(node, SYSTEM, "信息", level="city") == ["岳阳市企业登记信息"]


def test_changes_appear_at_once_and_rollbacks_never(node: Node) -> None:
    codes = _catalog(node)
    node.dispatcher.run(resource_update, SYSTEM, codes["stats"], {"name": "固定宽带用户统计"})
    assert _names(node, SYSTEM, "固定宽带") == ["固定宽带用户统计"]
    with pytest.raises(InvalidInput):
        node.dispatcher.run(
            resource_create, SYSTEM, card_resource(node, name="失业保险金发放", abstract="")
        )
    assert _names(node, SYSTEM, "失业保险") == []
    # another worker process (its own node and index handle) sees the change too
    other = build_node(node.settings, clock=node.services.clock)
    try:
        other.dispatcher.run(resource_update, SYSTEM, codes["card"], {"name": "社保卡持卡信息"})
        assert _names(node, SYSTEM, "社保卡") == ["社保卡持卡信息"]
    finally:
        other.close()


def test_the_index_is_derived_and_rebuilt(node: Node) -> None:
    _catalog(node)
    assert len(_names(node, SYSTEM)) == 5
    index = node.services.catalog_index
    assert index is not None
    shutil.rmtree(index.path)
    fresh = build_node(node.settings, clock=node.services.clock)
    try:
        assert len(_names(fresh, SYSTEM, "信息")) == 5  # caught up from nothing
        report = fresh.dispatcher.run(catalog_reindex, SYSTEM)
        assert report.resources == 5
        assert _names(fresh, SYSTEM, "积金贷") == ["住房公积金贷款发放信息"]
    finally:
        fresh.close()
