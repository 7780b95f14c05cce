"""A load killed midway leaves the previous version current and readable; clean-up follows."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import events
from tests.lake_fixtures import HEADER, people_facts, person, register, steward, write_csv

from xiangshu.actions.lake_loads import lake_clean, records_ingest, version_list
from xiangshu.actions.lake_reads import records_query
from xiangshu.bootstrap import Node
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import SYSTEM

CHILD = Path(__file__).parents[1] / "lake_ingest_child.py"


def _big_file(path: Path, rows: int) -> Path:
    one = ",".join(person(1))
    with path.open("w", encoding="gbk") as handle:  # GBK: the child transcodes first
        handle.write(",".join(HEADER) + "\n")
        for n in range(rows):
            handle.write(",".join(person(n + 10)) + "\n" if n % 1000 == 0 else one + "\n")
    return path


def test_killing_an_ingest_midway_keeps_the_previous_version(node: Node, tmp_path: Path) -> None:
    facts = register(node, people_facts(node))
    run = node.dispatcher.run
    run(
        records_ingest,
        steward(node),
        facts.code,
        write_csv(tmp_path / "v1.csv", [person(1), person(2)]),
    )
    facts_file = tmp_path / "facts.pickle"
    facts_file.write_bytes(pickle.dumps(facts))
    source = _big_file(tmp_path / "big.csv", 400_000)
    child = subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            str(node.settings.data_dir),
            node.settings.database_url or "",
            str(facts_file),
            str(source),
        ],
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    staging = node.settings.lake_path / "resources" / str(facts.resource_id) / "staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if staging.is_dir() and any(staging.glob("*/source-utf8.csv")):
            break
        time.sleep(0.05)
    assert child.poll() is None, "the child finished before it could be killed"
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    versions = run(version_list, SYSTEM, facts.code)
    assert [(v.number, v.current) for v in versions] == [(1, True)]
    page = run(records_query, SYSTEM, facts.code, QuerySpec())
    assert {r["id_number"] for r in page.records} == {person(1)[0], person(2)[0]}
    assert any(staging.iterdir()), "the killed load left its staging folder"

    cleaned = run(lake_clean, SYSTEM, min_age_seconds=0)
    assert cleaned["removed_dirs"] and not any(staging.iterdir())
    assert events(node, "lake:storage:clean")[-1].outcome == "ok"
    run(
        records_ingest,
        steward(node, name="again"),
        facts.code,
        write_csv(tmp_path / "v2.csv", [person(3)]),
    )
    assert [v.number for v in run(version_list, SYSTEM, facts.code)] == [2, 1]


def test_a_long_load_does_not_hold_the_embedded_stores_write_lock(
    sqlite_node: Node, tmp_path: Path
) -> None:
    """The heavy part runs outside the action's transaction, so other changes go on."""
    import threading

    from tests.helpers import make_user

    from xiangshu.domain.roles import Role

    facts = register(sqlite_node, people_facts(sqlite_node))
    source = _big_file(tmp_path / "big.csv", 300_000)
    who = steward(sqlite_node)
    done: list[object] = []
    loading = threading.Thread(
        target=lambda: done.append(
            sqlite_node.dispatcher.run(records_ingest, who, facts.code, source)
        )
    )
    loading.start()
    staging = sqlite_node.settings.lake_path / "resources" / str(facts.resource_id) / "staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(staging.glob("*/source-utf8.csv")):
        time.sleep(0.02)
    make_user(sqlite_node, "meanwhile", "省数据局", Role.UNIT_USER)  # a write, audited
    assert loading.is_alive(), "the other change waited for the load to finish"
    loading.join(timeout=120)
    assert done and events(sqlite_node, "identity:user:create")[-1].target_id
