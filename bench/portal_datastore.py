"""``datastore_search`` filtered pages against Datasette, same rows, same machine, same run.

Builds an open dataset of ``--rows`` records (record number, county division code,
category, amount, date, note) through the real catalog and lake, then serves it two ways:

- **Xiangshu**: ``uvicorn --factory xiangshu.web.app:create_app --workers W`` answering
  ``/api/3/action/datastore_search`` (policy check, audit event in the metadata store,
  pages from the serving store with keyset cursors, orjson); once without rate limits
  and once with them on (a limit nobody reaches, so every request pays the shared
  rate-window write);
- **Datasette** (``datasette serve -i``, its recommended immutable mode) on a SQLite
  file holding the same rows with the same ``(division_code, _row)`` index, answering
  ``/<db>/<table>.json?division_code=…&_size=50``; suggested facets off so that both do
  only the page.

Scenarios, each with the same seeded random requests for both servers: the first page of
a random county (50 rows, no total); a page at a random depth of a random county
(keyset: our ``cursor``, Datasette's ``_next``); the first page with its total (our
``include_total=true``, Datasette's default count).

All three servers run side by side and take turns: for each scenario, ``--rounds``
rounds in which each server gets a burst of ``--seconds`` from ``wrk`` (Debian's
``wrk``, a C client with ``--concurrency`` connections, walking the same seeded request
list; the Python client with ``--python-client`` or where wrk is missing),
so that the shared machine's changing load falls on all of them alike. Every answer is
checked for rows during the warm-up and for its status during the bursts. Reported:
requests per second over all rounds, the median of the rounds' p50 and p95 latency, and
our throughput as a ratio of Datasette's.

    .venv/bin/python -m bench.portal_datastore --rows 1000000 --rounds 3 --seconds 5
    .venv/bin/python -m bench.portal_datastore --rows 1000000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/xs_bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import httpx
import orjson
from pydantic import SecretStr

from xiangshu.actions.catalog import resource_create
from xiangshu.actions.catalog_review import resource_publish, resource_submit
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import build_node
from xiangshu.domain.access import OpenType, ShareType
from xiangshu.domain.catalog.metadata import ResourceMetadata
from xiangshu.domain.catalog.values import (
    FormatClass,
    PlatformShareType,
    ShareMannerClass,
    UpdateCycle,
)
from xiangshu.domain.data_items import DataItem, DataItemType, ValueCheck
from xiangshu.domain.lake.query import encode_cursor
from xiangshu.domain.roles import SYSTEM
from xiangshu.provisioning import initialise
from xiangshu.settings import Settings
from xiangshu.storage.lake.bookkeeping import current_version

SECRET = "bench-secret-key-for-the-portal"
CATEGORIES = ("工业", "农业", "服务业", "建筑业", "交通", "教育", "卫生", "文化")
ITEMS = (
    DataItem("记录编号", "record_no", DataItemType.CHAR, 12, required=True, is_key=True,
             description="记录的唯一编号"),
    DataItem("行政区划代码", "division_code", DataItemType.CHAR, 6, required=True,
             check=ValueCheck.DIVISION_CODE, description="县级行政区划代码"),
    DataItem("行业类别", "category", DataItemType.CHAR, 10, enumeration=CATEGORIES,
             description="行业类别"),
    DataItem("金额", "amount", DataItemType.NUMERIC, 12, scale=2, description="金额（元）"),
    DataItem("报告日期", "reported_on", DataItemType.DATE, description="报告日期"),
    DataItem("备注", "note", DataItemType.CHAR, 50, description="备注"),
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def counties(node_settings: Settings) -> list[str]:
    path = Path(__file__).resolve().parents[1] / "src/xiangshu/reference/divisions/hunan-2024.csv"
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    codes = [r.split(",")[0] for r in rows]
    return [c for c in codes if not c.endswith("00")]


def write_csv(path: Path, rows: int, county_codes: list[str]) -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE c AS SELECT code, row_number() OVER () - 1 AS n "
        "FROM (SELECT unnest($1::VARCHAR[]) AS code)",
        [county_codes],
    )
    con.execute(
        "CREATE TABLE k AS SELECT cat, row_number() OVER () - 1 AS n "
        "FROM (SELECT unnest($1::VARCHAR[]) AS cat)",
        [list(CATEGORIES)],
    )
    con.execute(
        f"""
        COPY (
          SELECT lpad(CAST(i AS VARCHAR), 12, '0') AS record_no, c.code AS division_code,
                 k.cat AS category,
                 CAST(((i * 104729) % 10000000) / 100.0 AS DECIMAL(12,2)) AS amount,
                 DATE '2020-01-01' + CAST(i % 2000 AS INTEGER) AS reported_on,
                 '第' || CAST(i % 997 AS VARCHAR) || '号' AS note
          FROM range({int(rows)}) t(i)
          JOIN c ON c.n = (i * 7919) % {len(county_codes)}
          JOIN k ON k.n = (i * 31) % {len(CATEGORIES)}
          ORDER BY i
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def build(work: Path, rows: int, database_url: str | None) -> tuple[Settings, str, list[str]]:
    settings = Settings(
        environment="test",
        secret_key=SecretStr(SECRET),
        data_dir=work / "node",
        database_url=database_url,
        lake_memory_mb=4096,
    )
    node = build_node(settings)
    initialise(node)
    provider = node.dispatcher.run(unit_show, SYSTEM, "省统计局").id
    meta = ResourceMetadata(
        class_code="217001",
        name="经济活动抽样记录（基准测试）",
        provider_unit_id=provider,
        abstract="用于基准测试的合成记录：按县级行政区划、行业和日期的金额。",
        format_class=FormatClass.DATABASE,
        format_type="PostgreSQL",
        items=ITEMS,
        share_type=ShareType.UNCONDITIONAL,
        share_manner_class=ShareMannerClass.PLATFORM,
        share_manner_types=(PlatformShareType.API,),
        open_type=OpenType.OPEN,
        update_cycle=UpdateCycle.DAILY,
    )
    made = node.dispatcher.run(resource_create, SYSTEM, meta)
    node.dispatcher.run(resource_submit, SYSTEM, made.code)
    node.dispatcher.run(resource_publish, SYSTEM, made.code)
    codes = counties(settings)
    source = work / "records.csv"
    started = time.perf_counter()
    write_csv(source, rows, codes)
    print(f"wrote {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    node.dispatcher.run(records_ingest, SYSTEM, made.code, source)
    print(f"loaded into the lake in {time.perf_counter() - started:.1f} s", flush=True)
    with node.store.transaction(write=False) as session:
        found = current_version(session, made.id)
        assert found is not None
        parquet = node.services.lake.file_of(made.id, found[1].id, found[1].data_file)  # type: ignore[union-attr]
    datasette_db(work / "datasette.db", parquet)
    node.close()
    source.unlink()
    return settings, str(made.id), codes


def datasette_db(path: Path, parquet: Path) -> None:
    """The same rows and the same (division_code, _row) index, for Datasette."""
    started = time.perf_counter()
    con = duckdb.connect()
    cursor = con.execute(
        f"SELECT _row, {', '.join(i.field for i in ITEMS)} "
        f"FROM read_parquet('{parquet}') ORDER BY _row"
    )
    db = sqlite3.connect(path)
    columns = ", ".join(
        f"{i.field} {'REAL' if i.type is DataItemType.NUMERIC else 'TEXT'}" for i in ITEMS
    )
    db.execute(f"CREATE TABLE records (_row INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" for _ in range(len(ITEMS) + 1))
    while batch := cursor.fetchmany(50_000):
        db.executemany(
            f"INSERT INTO records VALUES ({marks})",
            [
                tuple(
                    str(v)
                    if hasattr(v, "isoformat")
                    else (float(v) if v is not None and not isinstance(v, (int, str)) else v)
                    for v in r
                )
                for r in batch
            ],
        )
    db.execute("CREATE UNIQUE INDEX ix_records_key ON records (record_no)")
    db.execute("CREATE INDEX ix_records_division ON records (division_code, _row)")
    db.commit()
    db.execute("ANALYZE")
    db.close()
    con.close()
    print(f"Datasette's SQLite file written in {time.perf_counter() - started:.1f} s", flush=True)


def _sqlite_value(value: object) -> object:
    if value is None or isinstance(value, (int, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return float(value)  # type: ignore[arg-type]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str


def wait_for(url: str) -> None:
    for _ in range(600):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def start_xiangshu(settings: Settings, workers: int, *, limits: bool, log: Path) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "XIANGSHU_ENVIRONMENT": "test",
        "XIANGSHU_SECRET_KEY": SECRET,
        "XIANGSHU_DATA_DIR": str(settings.data_dir),
        "XIANGSHU_PORTAL_ANONYMOUS_PER_MINUTE": "1000000000" if limits else "0",
        "XIANGSHU_PORTAL_USAGE_FLUSH_SECONDS": "5",
    }
    if settings.database_url:
        env["XIANGSHU_DATABASE_URL"] = settings.database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "xiangshu.web.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz")
    return Server("xiangshu" + (" (rate limits on)" if limits else ""), process, base)


def start_datasette(path: Path, log: Path) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "datasette"), "serve", "-i", str(path),
         "--port", str(port), "--host", "127.0.0.1",
         "--setting", "suggest_facets", "off", "--setting", "num_sql_threads", "3",
         "--setting", "sql_time_limit_ms", "3000"],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/-/versions.json")
    return Server("datasette", process, base)


Request = tuple[str, dict[str, str]]
Plans = list[tuple[str, int | None]]


def our_requests(resource_id: str, plans: Plans, total: bool) -> list[Request]:
    out = []
    for county, depth in plans:
        params = {
            "resource_id": resource_id,
            "filters": orjson.dumps({"division_code": county}).decode(),
            "limit": "50",
            "include_total": "true" if total else "false",
        }
        if depth is not None:
            params["cursor"] = encode_cursor([depth])
        out.append(("/api/3/action/datastore_search", params))
    return out


def datasette_requests(plans: Plans, total: bool) -> list[Request]:
    out = []
    for county, depth in plans:
        params = {"division_code": county, "_size": "50", "_shape": "objects"}
        if not total:
            params["_nocount"] = "1"
        if depth is not None:
            params["_next"] = str(depth)
        out.append(("/datasette/records.json", params))
    return out


async def hammer(base: str, requests: list[Request], concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = list(reversed(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            while queue:
                path, params = queue.pop()
                started = time.perf_counter()
                answer = await client.get(path, params=params)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    raise RuntimeError(f"{base}{path} → {answer.status_code}: {answer.text[:300]}")
                body = answer.json()
                rows = body["result"]["records"] if "result" in body else body["rows"]
                if not rows:
                    raise RuntimeError(f"{base}{path} returned no rows: {params}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return len(requests) / wall, latencies


# wrk's Lua hooks: each thread walks the request list from its own starting point and,
# at the end, prints requests, duration (µs), p50 and p95 latency (µs) and error counts.
WRK_SCRIPT = """
local paths = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("XS %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Tally:
    """One server's figures for one scenario, summed over the interleaved rounds."""

    requests: int = 0
    seconds: float = 0.0
    p50s: list[float] = field(default_factory=list)
    p95s: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def add(self, requests: int, seconds: float, p50: float, high: float) -> None:
        self.requests += requests
        self.seconds += seconds
        self.p50s.append(p50)
        self.p95s.append(high)


def with_query(request: Request) -> str:
    path, params = request
    return f"{path}?{urllib.parse.urlencode(params)}"


def run_wrk(
    base: str, requests: list[Request], seconds: float, concurrency: int, work: Path
) -> tuple[int, float, float, float]:
    """A timed burst from wrk (C, two threads): requests, seconds, p50 and p95 in ms."""
    script, paths = work / "bench.lua", work / "paths.txt"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    paths.write_text("\n".join(with_query(r) for r in requests) + "\n", encoding="utf-8")
    done = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
         "-s", str(script), base, "--", str(paths)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("XS "))
    count, micros, p50, high, bad_status, failed = (int(x) for x in line.split()[1:])
    if bad_status or failed:
        raise RuntimeError(f"{base}: {bad_status} non-2xx answers, {failed} socket errors")
    return count, micros / 1e6, p50 / 1000, high / 1000


def run_python(
    base: str, requests: list[Request], seconds: float, concurrency: int, work: Path
) -> tuple[int, float, float, float]:
    """The same burst from the Python client, where wrk is not installed."""
    count = max(50, int(seconds * 100))
    batch = (requests * (count // len(requests) + 1))[:count]
    rps, latencies = asyncio.run(hammer(base, batch, concurrency))
    return count, count / rps, statistics.median(latencies), p95(latencies)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1000, help="distinct requests per list")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per burst")
    parser.add_argument("--python-client", action="store_true", help="time with httpx, not wrk")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        settings, resource_id, codes = build(work, args.rows, args.database_url)
        per_county = args.rows // len(codes)
        first = [(rng.choice(codes), None) for _ in range(args.requests)]
        deep_plans: list[tuple[str, int | None]] = []
        for _ in range(args.requests):
            deep_plans.append((rng.choice(codes), rng.randrange(args.rows - 60 * len(codes))))
        scenarios: dict[str, Callable[[str], list[Request]]] = {
            "first page of a county, 50 rows, no total": lambda who: (
                our_requests(resource_id, first, False)
                if who != "datasette"
                else datasette_requests(first, False)
            ),
            "page at a random depth (keyset)": lambda who: (
                our_requests(resource_id, deep_plans, False)
                if who != "datasette"
                else datasette_requests(deep_plans, False)
            ),
            "first page with the total": lambda who: (
                our_requests(resource_id, first, True)
                if who != "datasette"
                else datasette_requests(first, True)
            ),
        }
        names = ("datasette", "xiangshu", "xiangshu (rate limits on)")
        servers = [
            start_datasette(work / "datasette.db", work / "datasette.log"),
            start_xiangshu(settings, args.workers, limits=False, log=work / "x.log"),
            start_xiangshu(settings, args.workers, limits=True, log=work / "xl.log"),
        ]
        burst = run_wrk if shutil.which("wrk") and not args.python_client else run_python
        print(f"client: {'wrk' if burst is run_wrk else 'Python (httpx)'}", flush=True)
        tallies = {(n, s): Tally() for n in names for s in scenarios}
        try:
            for scenario, make in scenarios.items():
                lists = {srv.name: make(srv.name.split()[0]) for srv in servers}
                for server in servers:  # warm up, and check that every answer has rows
                    asyncio.run(hammer(server.base, lists[server.name][:50], args.concurrency))
                # Servers take turns, round after round, so that a change in the machine's
                # load falls on all of them alike.
                for _ in range(args.rounds):
                    for server in servers:
                        tallies[(server.name, scenario)].add(
                            *burst(
                                server.base,
                                lists[server.name],
                                args.seconds,
                                args.concurrency,
                                work,
                            )
                        )
                for server in servers:
                    t = tallies[(server.name, scenario)]
                    print(
                        f"{server.name:<28} {scenario:<44} {t.rps:8.0f} req/s  "
                        f"p50 {statistics.median(t.p50s):6.1f} ms  "
                        f"p95 {statistics.median(t.p95s):6.1f} ms",
                        flush=True,
                    )
        finally:
            for server in servers:
                server.process.terminate()
                server.process.wait(timeout=30)
    print(
        f"\n{args.rows:,} rows (≈{per_county:,} per county), "
        f"{args.rounds} rounds of {args.seconds:g} s per server and scenario, "
        f"{args.concurrency} connections, {args.workers} Xiangshu workers; "
        f"metadata {'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    print(
        f"{'scenario':<44} {'server':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'× Datasette':>12}"
    )
    for scenario in scenarios:
        baseline = tallies[("datasette", scenario)].rps
        for name in names:
            t = tallies[(name, scenario)]
            print(
                f"{scenario:<44} {name:<28} {t.rps:8.0f} {statistics.median(t.p50s):8.1f} "
                f"{statistics.median(t.p95s):8.1f} {t.rps / baseline:11.2f}×"
            )


if __name__ == "__main__":
    main()
