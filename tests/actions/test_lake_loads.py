"""Loading files into the lake: versions, quarantine, report, modes, rollback (both backends)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.helpers import events
from tests.lake_fixtures import people_facts, person, reader, register, steward, write_csv

from xiangshu.actions.lake_loads import (
    load_report_show,
    quarantine_download,
    records_ingest,
    version_list,
    version_rollback,
)
from xiangshu.actions.lake_reads import record_lookup, records_query
from xiangshu.bootstrap import Node
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import Conflict, InvalidInput, PermissionDenied
from xiangshu.storage.lake.layout import file_digest


def _all(node: Node, code: str, **kwargs: object) -> list[dict[str, object]]:
    page = node.dispatcher.run(records_query, SYSTEM, code, QuerySpec(limit=1000), **kwargs)
    return page.records


def test_a_gbk_file_publishes_valid_rows_and_quarantines_the_rest(
    node: Node, tmp_path: Path
) -> None:
    facts = register(node, people_facts(node))
    rows = [person(n) for n in range(1, 6)]
    bad_check = person(7)
    bad_check[0] = bad_check[0][:17] + ("0" if bad_check[0][17] != "0" else "1")
    rows.append(bad_check)  # row 7: wrong check character
    rows.append(person(8)[:3])  # row 8: ragged
    rows.append([*person(9)[:2], "3", *person(9)[3:]])  # row 9: sex not in the code list
    rows.append(person(1))  # row 10: repeats the key of row 2
    source = write_csv(tmp_path / "人口.csv", rows, encoding="gbk")

    report = node.dispatcher.run(records_ingest, steward(node), facts.code, source)

    assert report.status == "published" and report.version == 1
    assert report.source_encoding == "GBK/GB18030"
    assert (report.rows_read, report.rows_valid, report.rows_rejected) == (9, 4, 5)
    reasons = {(p.field, p.reason): p.count for p in report.problems}
    assert reasons == {
        ("id_number", "id_number"): 1,
        ("id_number", "key_repeated"): 2,
        ("sex", "enumeration"): 1,
        ("(row)", "shape"): 1,
    }
    published = {r["id_number"] for r in _all(node, facts.code)}
    assert published == {person(n)[0] for n in range(2, 6)}

    path = node.dispatcher.run(quarantine_download, SYSTEM, facts.code, report.load_id)
    quarantined = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {(q["row"], q["field"], q["reason"]) for q in quarantined} == {
        ("2", "id_number", "key_repeated"),
        ("10", "id_number", "key_repeated"),
        ("7", "id_number", "id_number"),
        ("8", "", "shape"),
        ("9", "sex", "enumeration"),
    }
    assert all(q["message"] for q in quarantined)
    # The raw values come from the file's own rows, past the ragged one too.
    value_of = {(q["row"], q["field"]): (q["value"], q["id_number"]) for q in quarantined}
    assert value_of["9", "sex"] == ("3", person(9)[0])
    assert value_of["10", "id_number"] == (person(1)[0], person(1)[0])
    assert value_of["7", "id_number"][0] == bad_check[0]
    ingest = events(node, "lake:records:ingest")
    assert ingest[-1].target_id == str(facts.resource_id)
    folder = path.parent  # the finished load keeps its data, quarantine and manifest only
    assert sorted(p.name for p in folder.iterdir()) == [
        "data.parquet",
        "manifest.json",
        "quarantine.csv",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["data"]["sm3"] == file_digest(folder / "data.parquet")
    assert manifest["counts"]["rows_rejected"] == 5


def test_append_upsert_and_rollback_keep_every_version_readable(node: Node, tmp_path: Path) -> None:
    facts = register(node, people_facts(node))
    who = steward(node)
    run = node.dispatcher.run
    run(
        records_ingest,
        who,
        facts.code,
        write_csv(tmp_path / "v1.csv", [person(n) for n in range(1, 4)]),
    )
    report = run(
        records_ingest,
        who,
        facts.code,
        write_csv(tmp_path / "v2.csv", [person(3), person(4)]),
        mode=LoadMode.APPEND,
    )
    assert (report.rows_valid, report.rows_rejected, report.rows_published) == (1, 1, 4)
    assert [p.reason for p in report.problems] == ["key_exists"]
    changed = person(2)
    changed[1] = "李四"
    report = run(
        records_ingest,
        who,
        facts.code,
        write_csv(tmp_path / "v3.csv", [changed, person(5)]),
        mode=LoadMode.UPSERT,
    )
    assert (report.version, report.rows_published, report.rows_replaced) == (3, 5, 1)
    looked = run(record_lookup, SYSTEM, facts.code, {"id_number": changed[0]})
    assert looked.record["name"] == "李四" and looked.version == 3

    versions = run(version_list, SYSTEM, facts.code)
    assert [(v.number, v.row_count, v.current) for v in versions] == [
        (3, 5, True),
        (2, 4, False),
        (1, 3, False),
    ]
    old = run(record_lookup, SYSTEM, facts.code, {"id_number": changed[0]}, version=1)
    assert old.record["name"] == person(2)[1]
    assert len(_all(node, facts.code, version=2)) == 4

    run(version_rollback, who, facts.code, 1)
    assert len(_all(node, facts.code)) == 3
    assert run(record_lookup, SYSTEM, facts.code, {"id_number": changed[0]}).version == 1
    with pytest.raises(Conflict):
        run(version_rollback, who, facts.code, 1)
    run(version_rollback, who, facts.code, 3)  # its serving table was dropped: rebuilt
    assert len(_all(node, facts.code)) == 5
    assert len(events(node, "lake:version:rollback")) == 2


def test_a_strict_load_publishes_nothing_when_any_row_is_invalid(
    node: Node, tmp_path: Path
) -> None:
    facts = register(node, people_facts(node))
    who = steward(node)
    node.dispatcher.run(records_ingest, who, facts.code, write_csv(tmp_path / "a.csv", [person(1)]))
    bad = person(2)
    bad[3] = "2020-02-30"
    report = node.dispatcher.run(
        records_ingest,
        who,
        facts.code,
        write_csv(tmp_path / "b.csv", [person(3), bad]),
        strict=True,
    )
    assert report.status == "rejected" and report.version is None
    assert [(p.field, p.reason) for p in report.problems] == [("birth_date", "type")]
    assert [r["id_number"] for r in _all(node, facts.code)] == [person(1)[0]]
    shown = node.dispatcher.run(load_report_show, who, facts.code, report.load_id)
    assert shown.rows_rejected == 1 and shown.has_quarantine


def test_only_the_providers_stewards_load(node: Node, tmp_path: Path) -> None:
    facts = register(node, people_facts(node))
    source = write_csv(tmp_path / "a.csv", [person(1)])
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(
            records_ingest, steward(node, "省人力资源社会保障厅", "other"), facts.code, source
        )
    with pytest.raises(PermissionDenied):
        node.dispatcher.run(records_ingest, reader(node, "省公安厅", "clerk"), facts.code, source)
    assert events(node, "lake:records:ingest")[-1].outcome == "denied"
    assert not list((node.settings.lake_path).glob("resources/*/loads/*"))


def test_a_header_that_does_not_match_is_refused_whole(node: Node, tmp_path: Path) -> None:
    facts = register(node, people_facts(node))
    source = write_csv(tmp_path / "a.csv", [["x", "y"]], header=["id_number", "户籍"])
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(records_ingest, steward(node), facts.code, source)
    messages = [str(p) for p in caught.value.problems]
    assert any("户籍" in m and "row 1" in m for m in messages)
    assert any("name" in m and "must have a value" in m for m in messages)
    assert not list((node.settings.lake_path).glob("resources/*/*/*"))


def test_a_read_only_role_reads_serving_tables_and_nothing_else(node: Node, tmp_path: Path) -> None:
    from sqlalchemy import text

    from xiangshu.actions.lake_loads import serving_reader_grant
    from xiangshu.errors import ConfigurationError
    from xiangshu.storage.lake.serving import table_name

    facts = register(node, people_facts(node))
    report = node.dispatcher.run(
        records_ingest, steward(node), facts.code, write_csv(tmp_path / "a.csv", [person(1)])
    )
    if node.store.is_sqlite:
        with pytest.raises(ConfigurationError, match="PostgreSQL"):
            node.dispatcher.run(serving_reader_grant, SYSTEM, "xiangshu_reader")
        return
    node.dispatcher.run(serving_reader_grant, SYSTEM, "xiangshu_test_reader")
    with node.store.write_engine.connect() as connection:
        connection.execute(text("SET ROLE xiangshu_test_reader"))
        table = f"lake_serving.{table_name(report.load_id)}"
        assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1
        with pytest.raises(Exception, match="permission denied"):
            connection.execute(text("SELECT count(*) FROM audit_event"))
        connection.rollback()


def test_keyset_pages_of_one_division_return_each_record_once_in_order(
    node: Node, tmp_path: Path
) -> None:
    from xiangshu.domain.lake.query import parse_filter

    facts = register(node, people_facts(node))
    divisions = ("430102", "430103", "430104")
    rows = [person(n, division=divisions[n % 3]) for n in range(1, 31)]
    node.dispatcher.run(
        records_ingest, steward(node), facts.code, write_csv(tmp_path / "a.csv", rows)
    )
    wanted = sorted(r[0] for r in rows if r[5] == "430103")
    seen: list[str] = []
    after = None
    while True:
        spec = QuerySpec(filters=(parse_filter("division:eq:430103"),), limit=3, after=after)
        page = node.dispatcher.run(records_query, SYSTEM, facts.code, spec)
        seen += [str(r["id_number"]) for r in page.records]
        if page.next is None:
            break
        after = page.next
    assert seen == wanted


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_write_every_matching_record(node: Node, tmp_path: Path, fmt: str) -> None:
    from xiangshu.actions.lake_reads import records_export
    from xiangshu.domain.lake.query import parse_filter

    facts = register(node, people_facts(node))
    rows = [person(n) for n in range(1, 11)]
    node.dispatcher.run(
        records_ingest, steward(node), facts.code, write_csv(tmp_path / "a.csv", rows)
    )
    target = tmp_path / f"out.{fmt}"
    spec = QuerySpec(fields=("id_number", "sex", "income"), filters=(parse_filter("sex:eq:2"),))
    result = node.dispatcher.run(records_export, reader(node), facts.code, spec, fmt, target)
    women = [r for r in rows if r[2] == "2"]
    assert result.rows == len(women) and result.file_name.endswith(f"-v1.{fmt}")
    if fmt == "csv":
        written = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    else:
        written = json.loads(target.read_text())
    assert len(written) == len(women)
    assert all("*" in str(w["id_number"]) and str(w["sex"]) == "2" for w in written)
    with pytest.raises(InvalidInput, match="format"):
        node.dispatcher.run(records_export, SYSTEM, facts.code, spec, "docx", target)


def test_older_versions_answer_filtered_counts_from_parquet(node: Node, tmp_path: Path) -> None:
    from xiangshu.domain.lake.query import parse_filter

    facts = register(node, people_facts(node))
    who = steward(node)
    first = [person(n) for n in range(1, 13)]
    node.dispatcher.run(records_ingest, who, facts.code, write_csv(tmp_path / "a.csv", first))
    node.dispatcher.run(records_ingest, who, facts.code, write_csv(tmp_path / "b.csv", first[:2]))
    spec = QuerySpec(filters=(parse_filter("sex:eq:1"),), count=True, limit=2, text="张")
    page = node.dispatcher.run(records_query, SYSTEM, facts.code, spec, version=1)
    assert page.version == 1 and page.total == sum(1 for r in first if r[2] == "1")
    assert len(page.records) == 2 and page.next is not None
    later = node.dispatcher.run(
        records_query, SYSTEM, facts.code, QuerySpec(limit=2, after=page.next), version=1
    )
    assert later.records


def test_a_separate_serving_database_from_settings(
    sqlite_node: Node, tmp_path: Path, pg_problem: str | None
) -> None:
    """SQLite metadata with the serving tables in PostgreSQL (XIANGSHU_SERVING_URL)."""
    import uuid as uuid_module

    from tests.conftest import IN_CI, _pg_admin, pg_url

    from xiangshu.storage.lake.service import Lake

    if pg_problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true: {pg_problem}")
        pytest.skip(f"PostgreSQL not reachable: {pg_problem}")
    name = f"xs_serving_{uuid_module.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        settings = sqlite_node.settings.model_copy(update={"serving_url": pg_url(name)})
        sqlite_node.services.lake = Lake(settings, sqlite_node.store)
        facts = register(sqlite_node, people_facts(sqlite_node))
        source = write_csv(tmp_path / "a.csv", [person(n) for n in range(1, 4)])
        node_run = sqlite_node.dispatcher.run
        node_run(records_ingest, steward(sqlite_node), facts.code, source)
        assert len(_all(sqlite_node, facts.code)) == 3
        serving = sqlite_node.services.lake.serving
        assert not serving.is_sqlite and serving.existing()
        sqlite_node.services.lake.close()
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
