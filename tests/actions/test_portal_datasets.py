"""The portal's datasets on both backends: only open, published datasets show, to everyone
alike; what may not be seen answers like what does not exist; records follow may_read_data."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import events
from tests.portal_fixtures import PortalCatalog, government, portal_catalog

from xiangshu.actions.portal_datasets import (
    open_dataset_search,
    open_dataset_show,
    open_tags,
    portal_home,
)
from xiangshu.actions.portal_records import open_records_search
from xiangshu.bootstrap import Node
from xiangshu.domain.lake.query import FilterOp, FilterSpec, SortSpec
from xiangshu.domain.portal.ckan_params import DatastoreQuery
from xiangshu.domain.roles import PUBLIC, SYSTEM
from xiangshu.errors import InvalidInput, NotAuthenticated, NotFound
from xiangshu.schemas.portal import OpenSearch


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    return portal_catalog(node, tmp_path)


def _names(node: Node, actor: object, **query: object) -> list[str]:
    found = node.dispatcher.run(open_dataset_search, actor, OpenSearch(**query))  # type: ignore[arg-type]
    return [h.card.name for h in found.hits]


def test_only_published_open_datasets_show_to_everyone_alike(
    node: Node, catalog: PortalCatalog
) -> None:
    gov = government(node)
    for actor in (PUBLIC, gov, SYSTEM):
        names = _names(node, actor, sort="code", page_size=100)
        assert sorted(names) == sorted(["宽带用户统计", "空气质量监测站点日数据"]), actor
    home = node.dispatcher.run(portal_home, PUBLIC)
    assert home.datasets == 2 and home.with_records == 2
    assert home.records == 14 * 3 + 30
    assert {c.label for c in home.by_provider} == {"湖南省通信管理局", "湖南省生态环境厅"}


def test_facets_and_counts_never_count_a_closed_dataset(node: Node, catalog: PortalCatalog) -> None:
    found = node.dispatcher.run(open_dataset_search, government(node), OpenSearch(q="企业"))
    assert found.total == 0 and found.hits == []
    assert all(v.count == 0 for values in found.facets.values() for v in values) or all(
        not values for values in found.facets.values()
    )
    everything = node.dispatcher.run(open_dataset_search, PUBLIC, OpenSearch(page_size=0))
    providers = {v.label for v in everything.facets["provider"]}
    assert "湖南省税务局" not in providers
    assert sum(v.count for v in everything.facets["open_type"]) == everything.total == 2


def test_search_marks_the_words_and_keywords_filter(node: Node, catalog: PortalCatalog) -> None:
    found = node.dispatcher.run(open_dataset_search, PUBLIC, OpenSearch(q="宽带"))
    assert found.total == 1
    assert ("宽带", True) in found.hits[0].name_marked
    assert _names(node, PUBLIC, tag="通信") == ["宽带用户统计"]
    assert [t.key for t in node.dispatcher.run(open_tags, PUBLIC)] == ["宽带", "通信"]


def test_closed_draft_and_missing_datasets_are_all_not_found(
    node: Node, catalog: PortalCatalog
) -> None:
    gov = government(node)
    for reference in (catalog.closed, catalog.closed_id, catalog.draft, "no-such-dataset"):
        for actor in (PUBLIC, gov):
            with pytest.raises(NotFound, match="was not found"):
                node.dispatcher.run(open_dataset_show, actor, reference)
    page = node.dispatcher.run(open_dataset_show, PUBLIC, catalog.stats.replace("/", "-"))
    assert page.card.records == 42 and page.may_read
    assert [q.key for q in page.quality if not q.passed] == []
    assert page.freshness.state.value == "fresh"


def test_records_pages_filter_sort_and_continue_by_cursor(
    node: Node, catalog: PortalCatalog
) -> None:
    run = node.dispatcher.run
    first = run(
        open_records_search,
        PUBLIC,
        DatastoreQuery(
            resource_id=catalog.stats,
            filters=(FilterSpec("period", FilterOp.EQ, "2026-09"),),
            sort=(SortSpec("division_code", descending=True),),
            limit=5,
        ),
    )
    assert first.total == 14 and len(first.rows) == 5
    values = [r[first.columns.index("division_code")] for r in first.rows]
    assert values == sorted(values, reverse=True) and values[0] == "433100"
    assert first.columns[0] == "_id"
    rest = run(
        open_records_search,
        PUBLIC,
        DatastoreQuery(
            resource_id=catalog.stats,
            filters=(FilterSpec("period", FilterOp.EQ, "2026-09"),),
            sort=(SortSpec("division_code", descending=True),),
            limit=20,
            cursor=first.next_cursor,
        ),
    )
    assert len(rest.rows) == 9 and rest.next_cursor is None
    seen = {r[0] for r in first.rows} | {r[0] for r in rest.rows}
    assert len(seen) == 14
    assert events(node, "portal:records:query")[-1].outcome == "ok"
    by_users = run(
        open_records_search,
        PUBLIC,
        DatastoreQuery(
            resource_id=catalog.stats, sort=(SortSpec("broadband_users", descending=True),), limit=5
        ),
    )
    users = [r[by_users.columns.index("broadband_users")] for r in by_users.rows]
    assert users == sorted(users, reverse=True)
    assert by_users.next_cursor is None  # a column that may be empty pages by offset only


def test_conditional_data_needs_an_account_and_closed_data_is_not_found(
    node: Node, catalog: PortalCatalog
) -> None:
    with pytest.raises(NotAuthenticated):
        node.dispatcher.run(open_records_search, PUBLIC, DatastoreQuery(resource_id=catalog.air))
    assert events(node, "portal:records:query")[-1].outcome == "unauthenticated"
    with pytest.raises(NotFound):
        node.dispatcher.run(
            open_records_search, government(node), DatastoreQuery(resource_id=catalog.closed)
        )


def test_a_bad_query_lists_every_problem(node: Node, catalog: PortalCatalog) -> None:
    with pytest.raises(InvalidInput) as raised:
        node.dispatcher.run(
            open_records_search,
            PUBLIC,
            DatastoreQuery(
                resource_id=catalog.stats,
                fields=("nope",),
                filters=(FilterSpec("broadband_users", FilterOp.EQ, "many"),),
            ),
        )
    fields = {p.field for p in raised.value.problems}
    assert fields == {"fields", "filter[1]"}
