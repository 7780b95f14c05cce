"""``xiangshu sync`` for real: a provider node served over HTTP, the agent as a separate
process writing into the consumer's own database (SQLite or PostgreSQL), killed midway
with SIGKILL, resumed, then catching up with a new version — exactly once throughout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from tests.conftest import _pg_admin, pg_url
from tests.sharing_fixtures import application, card, card_lines, cast, load, people_ids

from xiangshu.actions.identity import app_create
from xiangshu.actions.lake_reads import records_query
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.schemas.identity import AppCreate
from xiangshu.schemas.sharing import DecisionIn
from xiangshu.web.app import create_app

ROWS = 600


@pytest.fixture
def served(node: Node) -> Iterator[str]:
    """The node's web app on a free local port (real HTTP, its own thread)."""
    config = uvicorn.Config(create_app(node=node), host="127.0.0.1", port=0, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def target_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """The consumer's own database, on the same backend as the provider's."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'consumer.db'}"
        return
    name = f"xs_consumer_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _agent(
    served: str, target: str, resource: str, key: str, secret: str, *extra: str
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "xiangshu",
        "sync",
        resource,
        "--provider",
        served,
        "--target",
        target,
        "--table",
        "social_cards",
        "--app-key",
        key,
        *extra,
    ]


def _applied(target: str) -> tuple[int, int]:
    engine = sa.create_engine(target)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("xiangshu_sync_state"):
                return 0, 0
            applied = (
                connection.execute(sa.text("SELECT applied FROM xiangshu_sync_state")).scalar() or 0
            )
            rows = 0
            if sa.inspect(connection).has_table("social_cards"):
                rows = connection.execute(sa.text("SELECT count(*) FROM social_cards")).scalar_one()
            return int(applied), int(rows)
    finally:
        engine.dispose()


def test_sync_survives_a_kill_and_applies_every_change_exactly_once(
    node: Node, served: str, target_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    # The agent signs with the real time; the provider must check it against the same.
    clock.advance(seconds=(datetime.now(UTC) - clock.now()).total_seconds())
    today = clock.now().date()
    run = node.dispatcher.run
    c = cast(node)
    ids = people_ids(ROWS)
    resource = card(node, c, tmp_path, ids=ids)
    asked = run(
        request_create,
        c.clerk,
        application(
            resource,
            fields=["id_number", "name", "issued_on", "card_status"],
            exchange_mode="table",
            valid_from=today - timedelta(days=1),
            valid_until=today + timedelta(days=365),
        ),
    )
    run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    app = run(app_create, c.clerk, c.clerk.user_id, AppCreate(name="社保卡同步"))
    env = {**os.environ, "XIANGSHU_SYNC_APP_SECRET": app.app_secret}
    command = _agent(served, target_url, str(resource.id), app.app_key, app.app_secret)

    slow = subprocess.Popen(
        [*command, "--page-size", "25", "--pause", "0.3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _applied(target_url)[0] < 100 and time.monotonic() < deadline:
        time.sleep(0.1)
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=30)
    applied, rows = _applied(target_url)
    assert 100 <= applied < ROWS, "the agent was to be killed midway"
    assert rows == applied  # what was applied is exactly what the cursor says

    done = subprocess.run(
        [*command, "--page-size", "100"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _applied(target_url) == (ROWS, ROWS)

    lines = card_lines(ids)
    lines[1] = lines[1].replace("正常", "注销")
    lines = [lines[0], *lines[1:-10]]  # ten people leave
    load(node, c, resource, tmp_path, lines)
    again = subprocess.run(
        [*command, "--page-size", "100"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "version 2" in again.stdout
    engine = sa.create_engine(target_url)
    try:
        with engine.connect() as connection:
            rows_now = connection.execute(
                sa.text("SELECT _key, name, card_status, issued_on, _version FROM social_cards")
            ).all()
    finally:
        engine.dispose()
    assert len(rows_now) == ROWS - 10 and len({r[0] for r in rows_now}) == ROWS - 10
    assert sorted(r[2] for r in rows_now).count("注销") == 1
    provider = run(records_query, c.steward, resource.code, QuerySpec(limit=1000))
    assert sorted(r["name"][0] for r in provider.records) == sorted(r[1][0] for r in rows_now)
    assert all(r[1].count("*") == 1 for r in rows_now)  # names masked as for any reader

    forged = subprocess.run(
        _agent(served, target_url, str(resource.id), app.app_key, "wrong"),
        env={**os.environ, "XIANGSHU_SYNC_APP_SECRET": "wrong-secret"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert forged.returncode == 6 and "signature" in forged.stderr
