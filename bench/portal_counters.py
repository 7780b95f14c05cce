"""What the portal's shared counters cost per request, against baselines in the same run.

- rate limit: one ``RateLimiter.hit`` (an upsert in the metadata store) against the
  cheapest round trip the same store can make (a read transaction running ``SELECT 1``);
- usage: one ``UsageCounter.count`` (a dictionary update under a lock; the store is
  written by the periodic flush) against a plain ``Counter`` increment, and one flush
  of a realistic batch (500 datasets × 3 kinds) against the same read round trip.

    .venv/bin/python -m bench.portal_counters [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from pydantic import SecretStr

from xiangshu.bootstrap import build_node
from xiangshu.clock import SystemClock
from xiangshu.settings import Settings
from xiangshu.storage import migrate
from xiangshu.storage.portal.ratelimit import RateLimiter
from xiangshu.storage.portal.usage import UsageCounter


def per_call_us(fn: Callable[[int], object], calls: int) -> float:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for n in range(calls):
            fn(n)
        samples.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            environment="test",
            secret_key=SecretStr("bench-secret-key-counters"),
            data_dir=Path(folder),
            database_url=args.database_url,
        )
        node = build_node(settings)
        migrate.upgrade(node.store)
        store = node.store
        now = time.time()

        def round_trip(_n: int) -> None:
            with store.transaction(write=False) as session:
                session.execute(sa.text("SELECT 1"))

        limiter = RateLimiter(store)
        baseline = per_call_us(round_trip, args.calls)
        hit = per_call_us(lambda n: limiter.hit(f"ip:10.0.{n % 50}.1", 10**9, now), args.calls)
        counter = UsageCounter(store, flush_seconds=10**9)
        plain: Counter[tuple[uuid.UUID, str]] = Counter()
        ids = [uuid.uuid4() for _ in range(500)]
        moment = SystemClock().now()
        count = per_call_us(lambda n: counter.count(ids[n % 500], "view", moment), args.calls * 10)
        increment = per_call_us(
            lambda n: plain.update({(ids[n % 500], "view"): 1}), args.calls * 10
        )

        def flush(_n: int) -> None:
            for resource_id in ids:
                for kind in ("view", "download", "api"):
                    counter.count(resource_id, kind, moment)
            counter.flush()

        flushed = per_call_us(flush, 20)
        node.close()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"metadata store: {backend}; microseconds per call (median of 5 runs)")
    print(f"  baseline: read transaction with SELECT 1       {baseline:9.1f}")
    print(
        f"  rate limit: shared window upsert (hit)         {hit:9.1f}  "
        f"({hit / baseline:.1f}× baseline)"
    )
    print(f"  baseline: Counter increment                    {increment:9.2f}")
    print(
        f"  usage: count a view (in memory)                {count:9.2f}  "
        f"({count / increment:.1f}× baseline)"
    )
    print(
        f"  usage: flush 1,500 counts (500 datasets × 3)   {flushed:9.1f}  "
        f"({flushed / baseline:.1f}× a round trip)"
    )


if __name__ == "__main__":
    main()
