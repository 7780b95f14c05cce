"""Query benchmark: key lookups and filtered pages through the HTTP API on a large resource.

Loads ``--rows`` synthetic people (bench.lake_ingest's file) into one resource, serves the
app with uvicorn on 127.0.0.1, and times requests from a client in the same run:
- baseline: ``GET /healthz`` (the HTTP, routing and JSON floor);
- key lookup: ``GET /api/v1/resources/{id}/records/{公民身份号码}``, random existing keys;
- filtered page: ``…/records?filter=division:eq:<county>&limit=50`` at a random depth
  reached by keyset (``after`` = a cursor for a random row position).
Reports p50/p95 in milliseconds and their ratio to the baseline.

    .venv/bin/python -m bench.lake_query --rows 10000000 --database-url postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr
from sqlalchemy import select

from bench.lake_ingest import COUNTIES, ITEMS, write_file
from xiangshu.actions.identity import token_create, user_create
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.lake_reads import records_query
from xiangshu.actions.org import unit_show
from xiangshu.actions.static_resources import StaticResources
from xiangshu.bootstrap import Node, build_node
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.data_items import DataItem
from xiangshu.domain.lake.query import QuerySpec, encode_cursor
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.provisioning import initialise
from xiangshu.schemas.identity import TokenCreate, UserCreate
from xiangshu.settings import Settings
from xiangshu.storage.lake.bookkeeping import items_from_json
from xiangshu.storage.models import LakeCurrentRow, LakeVersionRow
from xiangshu.web.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed(client: httpx.Client, url: str, params: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    answer = client.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"{url} → {answer.status_code}: {answer.text[:200]}")
    return elapsed


def loaded_resource(node: Node) -> tuple[uuid.UUID, tuple[DataItem, ...]] | None:
    with node.store.transaction(write=False) as session:
        found = session.execute(
            select(LakeCurrentRow, LakeVersionRow).join(
                LakeVersionRow, LakeVersionRow.id == LakeCurrentRow.version_id
            )
        ).first()
    if found is None:
        return None
    return found[0].resource_id, items_from_json(found[1].items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: query the resource an earlier run left loaded (skips the load)",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings = Settings(
            environment="test",
            secret_key=SecretStr("bench-secret-key-x"),
            data_dir=work / "node",
            database_url=args.database_url,
            lake_memory_mb=4096,
        )
        node = build_node(settings)
        initialise(node)
        provider = node.dispatcher.run(unit_show, SYSTEM, "省公安厅").id
        loaded = loaded_resource(node) if args.reuse else None
        resource_id, items = loaded or (uuid.uuid4(), ITEMS)
        facts = ResourceFacts(
            resource_id,
            "10100101/000001",
            "人口",
            provider,
            ShareType.UNCONDITIONAL,
            OpenType.NOT_OPEN,
            ResourceStatus.PUBLISHED,
            items,
        )
        node.services.resources = StaticResources(facts)
        if loaded is None:
            source = work / "people.csv"
            started = time.perf_counter()
            write_file(source, args.rows)
            print(f"wrote {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            report = node.dispatcher.run(records_ingest, SYSTEM, facts.code, source)
            print(f"loaded in {time.perf_counter() - started:.1f} s: {report.seconds}")
        keys = [
            r["id_number"]
            for r in node.dispatcher.run(
                records_query, SYSTEM, facts.code, QuerySpec(limit=1000, offset=args.rows // 2)
            ).records
        ]
        reader_unit = node.dispatcher.run(unit_show, SYSTEM, "省人力资源社会保障厅").id
        user = node.dispatcher.run(
            user_create,
            SYSTEM,
            UserCreate(
                username=f"reader{uuid.uuid4().hex[:6]}",
                display_name="reader",
                unit_id=reader_unit,
                password=SecretStr("Bench-Password-2026"),
                roles=frozenset({Role.UNIT_USER}),
            ),
        )
        token = node.dispatcher.run(token_create, SYSTEM, user.id, TokenCreate(name="b")).token
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(node=node), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        records = f"{base}/api/v1/resources/{facts.resource_id}/records"
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            for _ in range(20):  # warm up
                timed(client, f"{base}/healthz")
                timed(client, f"{records}/{keys[0]}")
            health = [timed(client, f"{base}/healthz") for _ in range(args.requests)]
            lookups = [timed(client, f"{records}/{rng.choice(keys)}") for _ in range(args.requests)]
            pages = [
                timed(
                    client,
                    records,
                    {
                        "filter": f"division:eq:{rng.choice(COUNTIES)}",
                        "limit": "50",
                        "after": encode_cursor([rng.randrange(args.rows)]),
                    },
                )
                for _ in range(args.requests)
            ]
        server.should_exit = True
        thread.join(timeout=10)
        node.close()
    h50, h95 = percentiles(health)
    print(f"{args.rows:,} rows, {args.requests} requests each, one client, p50 / p95 ms:")
    print(f"  baseline GET /healthz          {h50:6.2f} / {h95:6.2f}")
    for name, samples in (("key lookup", lookups), ("filtered page (50, keyset)", pages)):
        p50, p95 = percentiles(samples)
        print(
            f"  {name:<30} {p50:6.2f} / {p95:6.2f}   ({p50 / h50:.1f}× / {p95 / h95:.1f}× baseline)"
        )


if __name__ == "__main__":
    main()
