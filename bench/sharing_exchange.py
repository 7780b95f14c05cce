"""Exchange benchmarks: signed API calls against the same calls unsigned, and 库表 sync.

1. **Signing overhead.** The same call — ``GET /api/v1/exchange/resources/{id}/records
   ?limit=20`` — made ``--calls`` times each way against uvicorn on 127.0.0.1, by one
   client, in the same run:
   - unsigned: a bearer token (the baseline);
   - signed: the app key with an HMAC-SM3 signature over method, path, query, time, nonce
     and body (a fresh nonce each, so the replay check writes a row every call);
   - signed + receipt: the same with ``X-Receipt: sm2`` (an SM2 signature on the answer).
   Reports calls per second and each one's ratio to the baseline.
2. **Sync throughput.** Version 1 of ``--rows`` people is loaded, then version 2 with every
   row changed; ``xiangshu sync``'s agent (in process, over HTTP) brings a consumer database
   from version 1 to 2 — ``--rows`` updates — and the baseline is a plain bulk insert of
   the same rows into the same kind of database, without HTTP, JSON or the feed.

    .venv/bin/python -m bench.sharing_exchange --rows 1000000 --calls 2000 \\
        [--database-url postgresql+psycopg://…] [--target-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import uvicorn
from pydantic import SecretStr

from bench.lake_ingest import ITEMS, write_file
from xiangshu.actions.identity import app_create, token_create, user_create
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.org import unit_show
from xiangshu.actions.static_resources import StaticResources
from xiangshu.bootstrap import Node, build_node
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.domain.signing import sign_request
from xiangshu.provisioning import initialise
from xiangshu.schemas.identity import AppCreate, TokenCreate, UserCreate
from xiangshu.settings import Settings
from xiangshu.web.app import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(node: Node) -> tuple[str, uvicorn.Server]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(node=node), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def _consumer(node: Node) -> tuple[str, str, str]:
    """A reader of another unit: (bearer token, app key, app secret)."""
    unit = node.dispatcher.run(unit_show, SYSTEM, "省人力资源社会保障厅").id
    user = node.dispatcher.run(
        user_create,
        SYSTEM,
        UserCreate(
            username=f"consumer{uuid.uuid4().hex[:6]}",
            display_name="consumer",
            unit_id=unit,
            password=SecretStr("Bench-Password-2026"),
            roles=frozenset({Role.UNIT_USER}),
        ),
    )
    token = node.dispatcher.run(token_create, SYSTEM, user.id, TokenCreate(name="bench")).token
    app = node.dispatcher.run(app_create, SYSTEM, user.id, AppCreate(name="bench"))
    return token, app.app_key, app.app_secret


def _call(client: http.client.HTTPConnection, path: str, query: str, headers: Any) -> float:
    started = time.perf_counter()
    client.request("GET", f"{path}?{query}", headers=headers(path, query))
    answer = client.getresponse()
    body = answer.read()
    if answer.status != 200:
        raise RuntimeError(f"{answer.status}: {body[:200]!r}")
    return time.perf_counter() - started


def _rates(
    client: http.client.HTTPConnection, path: str, query: str, calls: int, modes: list[Any]
) -> list[float]:
    """Calls per second of each mode, the modes taking turns call by call (so a change in
    the machine's load falls on all of them alike), over one kept-alive connection."""
    spent = [0.0] * len(modes)
    for _ in range(calls):
        for n, headers in enumerate(modes):
            spent[n] += _call(client, path, query, headers)
    return [calls / s for s in spent]


def signing_overhead(node: Node, url: str, resource_id: uuid.UUID, calls: int) -> None:
    token, key, secret = _consumer(node)

    def bearer(_path: str, _query: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def signed(path: str, query: str, receipt: bool = False) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(12)
        found = {
            "X-App-Key": key,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": sign_request(secret, "GET", path, query, timestamp, nonce, b""),
        }
        if receipt:
            found["X-Receipt"] = "sm2"
        return found

    path, query = f"/api/v1/exchange/resources/{resource_id}/records", "limit=20"
    host, port = url.removeprefix("http://").split(":")
    client = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        modes = [bearer, signed, lambda p, q: signed(p, q, True)]
        _rates(client, path, query, 30, modes)  # warm up (and first-use paths)
        base, sig, rec = _rates(client, path, query, calls, modes)
    finally:
        client.close()
    print(f"\nsigning overhead, {calls} calls each (records?limit=20):")
    print(f"  unsigned (bearer token)       {base:8.1f} calls/s  1.00")
    print(f"  signed (app key + HMAC-SM3)   {sig:8.1f} calls/s  {sig / base:.2f}")
    print(f"  signed + SM2 receipt          {rec:8.1f} calls/s  {rec / base:.2f}")


def _bulk_baseline(target_url: str, rows: list[dict[str, Any]]) -> float:
    engine = sa.create_engine(target_url)
    table = sa.Table(
        "baseline_people",
        sa.MetaData(),
        sa.Column("_key", sa.String(200), primary_key=True),
        *[sa.Column(f, sa.Text()) for f in rows[0] if f != "_key"],
    )
    table.drop(engine, checkfirst=True)
    table.create(engine)
    started = time.perf_counter()
    with engine.begin() as connection:
        for n in range(0, len(rows), 10_000):
            connection.execute(sa.insert(table), rows[n : n + 10_000])
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _agent(url: str, resource: str, key: str, secret: str, target: str) -> tuple[float, str]:
    """Run ``xiangshu sync`` as its own process (as a consumer would); (seconds, output)."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xiangshu",
            "sync",
            resource,
            "--provider",
            url,
            "--target",
            target,
            "--table",
            "people",
            "--app-key",
            key,
            "--page-size",
            "10000",
        ],
        env={**os.environ, "XIANGSHU_SYNC_APP_SECRET": secret},
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout


def _applied(target: str) -> int:
    engine = sa.create_engine(target)
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT applied FROM xiangshu_sync_state")).scalar()
    engine.dispose()
    return int(found or 0)


def sync_throughput(
    node: Node, url: str, facts: ResourceFacts, work: Path, rows: int, target_url: str
) -> None:
    _token, key, secret = _consumer(node)
    resource = str(facts.resource_id)
    initial, _ = _agent(url, resource, key, secret, target_url)
    inserted = _applied(target_url)
    changed = work / "people-v2.csv"
    write_file(changed, rows, seed=2)  # same keys, other names and ethnicities
    node.dispatcher.run(records_ingest, SYSTEM, facts.code, changed, mode=LoadMode.REPLACE)
    update, _ = _agent(url, resource, key, secret, target_url)
    changes = _applied(target_url) - inserted
    sample = [
        {"_key": f"k{n:09d}", **{i.field: "湖南省长沙市芙蓉区五一大道" for i in ITEMS}}
        for n in range(rows)
    ]
    baseline = _bulk_baseline(target_url, sample)
    print(f"\nsync, {rows:,} rows into {target_url.split(':', 1)[0]} (agent in its own process):")
    print(f"  first sync (all inserts)      {inserted / initial:10,.0f} rows/s ({initial:.1f} s)")
    print(
        f"  version 1 → 2 (all changed)   {changes / update:10,.0f} rows/s "
        f"({update:.1f} s, {changes:,} changes, diff built on the first page)"
    )
    print(f"  baseline: bulk insert, no HTTP {rows / baseline:10,.0f} rows/s ({baseline:.1f} s)")
    print(f"  ratio (changes / baseline)    {(changes / update) / (rows / baseline):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--database-url", default=None, help="provider metadata + serving")
    parser.add_argument("--target-url", default=None, help="the consumer's database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = Settings(
            environment="test",
            secret_key=SecretStr("bench-secret-key-x"),
            data_dir=work / "node",
            database_url=args.database_url,
            lake_memory_mb=4096,
            sharing_default_calls_per_minute=10**9,
            worker_in_serve=False,
        )
        node = build_node(settings)
        initialise(node)
        provider = node.dispatcher.run(unit_show, SYSTEM, "省公安厅").id
        facts = ResourceFacts(
            uuid.uuid4(),
            "10100101/000001",
            "人口",
            provider,
            ShareType.UNCONDITIONAL,
            OpenType.NOT_OPEN,
            ResourceStatus.PUBLISHED,
            ITEMS,
        )
        node.services.resources = StaticResources(facts)
        source = work / "people.csv"
        write_file(source, args.rows)
        started = time.perf_counter()
        node.dispatcher.run(records_ingest, SYSTEM, facts.code, source)
        print(f"loaded {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        url, server = _serve(node)
        try:
            signing_overhead(node, url, facts.resource_id, args.calls)
            target = args.target_url or f"sqlite:///{work / 'consumer.db'}"
            sync_throughput(node, url, facts, work, args.rows, target)
        finally:
            server.should_exit = True
            node.close()


if __name__ == "__main__":
    main()
