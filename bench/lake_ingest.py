"""Ingest benchmark: a GBK CSV with Chinese text, validation on, through the whole publish.

Measured in one run, as ratios to baselines measured in the same run:
- DuckDB's own ``read_csv`` → Parquet of the same GBK file, as the issue asks: DuckDB
  reads GBK only through its encodings extension, which the product's DuckDB cannot
  load offline; ``bench/duckdb_encodings/setup`` installs DuckDB 1.5.5 with that
  extension beside the project, and the baseline runs there (skipped when absent);
- a stricter stand-in: DuckDB's ``read_csv`` → Parquet of a UTF-8 copy of the rows,
  with no transcode at all;
- that stand-in plus a Python GBK→UTF-8 transcode (what any offline loader pays).
Also reports rows/s of the lake and the peak memory (RSS) of the loading process.

    .venv/bin/python -m bench.lake_ingest --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from pydantic import SecretStr

from bench.duckdb_encodings.read_gbk import timed_copy
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.static_resources import StaticResources
from xiangshu.bootstrap import build_node
from xiangshu.demo.base_data import PEOPLE
from xiangshu.demo.synthetic import ETHNICITIES
from xiangshu.domain.access import OpenType, ResourceFacts, ResourceStatus, ShareType
from xiangshu.domain.data_items import DataItem, DataItemType
from xiangshu.domain.identifiers import make_id_number
from xiangshu.domain.roles import SYSTEM
from xiangshu.provisioning import initialise
from xiangshu.settings import Settings

# The ten columns: the base database's people items, plus an employer and an income.
ITEMS = (
    *PEOPLE,
    DataItem("单位", "employer", DataItemType.CHAR, 60),
    DataItem("月收入", "income", DataItemType.NUMERIC, 12, scale=2),
)
COUNTIES = ("430102", "430103", "430104", "430105", "430111", "430121", "430181", "430202")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def write_file(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="gb18030", newline="") as out:
        out.write(",".join(i.field for i in ITEMS) + "\n")
        for n in range(rows):
            born = date(1950, 1, 1) + timedelta(days=(n // 1000) % 25_000)
            county = COUNTIES[n % len(COUNTIES)]
            id_number = make_id_number(county, born, n % 1000)
            out.write(
                f"{id_number},{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)},"
                f"{2 - int(id_number[16]) % 2},{born.isoformat()},{rng.choice(ETHNICITIES)},"
                f"13{n % 10}{n:08d},{county},湖南省长沙市芙蓉区五一大道{n % 999}号,"
                f"湖南省某某科技有限公司,{3000 + n % 7000}.50\n"
            )


def transcode(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with source.open("r", encoding="gb18030") as reader, target.open("w", encoding="utf-8") as out:
        while chunk := reader.read(4 * 1024 * 1024):
            out.write(chunk)
    return time.perf_counter() - started


ENCODINGS_PYTHON = Path(__file__).parent.parent / ".venv-duckdb-encodings" / "bin" / "python"


def duckdb_reads_gbk(python: Path, gbk: Path, utf8: Path, work: Path) -> dict[str, float] | None:
    """DuckDB's own read of the GBK file (and of the UTF-8 copy), in the other environment."""
    if not python.exists():
        return None
    script = Path(__file__).parent / "duckdb_encodings" / "read_gbk.py"
    done = subprocess.run(
        [str(python), str(script), str(gbk), str(utf8), str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, float] = json.loads(done.stdout)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=1, help="medians over this many rounds")
    parser.add_argument("--database-url", default=None, help="PostgreSQL metadata + serving")
    parser.add_argument("--memory-mb", type=int, default=2048, help="XIANGSHU_LAKE_MEMORY_MB")
    parser.add_argument(
        "--duckdb-encodings",
        type=Path,
        default=ENCODINGS_PYTHON,
        help="Python of the environment bench/duckdb_encodings/setup makes",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "people-gbk.csv"
        write_file(source, args.rows)
        utf8 = work / "people-utf8.csv"
        transcode(source, utf8)
        os.sync()  # the files' write-back must not fall into the first measurement
        reads_gbk = duckdb_reads_gbk(args.duckdb_encodings, source, utf8, work)
        settings = Settings(
            environment="test",
            secret_key=SecretStr("bench-secret-key-x"),
            data_dir=work / "node",
            database_url=args.database_url,
            lake_memory_mb=args.memory_mb,
        )
        node = build_node(settings)
        initialise(node)
        facts = ResourceFacts(
            uuid.uuid4(),
            "10100101/000001",
            "人口",
            uuid.uuid4(),
            ShareType.UNCONDITIONAL,
            OpenType.NOT_OPEN,
            ResourceStatus.PUBLISHED,
            ITEMS,
        )
        node.services.resources = StaticResources(facts)
        rounds: list[tuple[float, float, float, float]] = []
        for _ in range(args.rounds):  # the baselines and the lake take turns
            transcode_s = transcode(source, utf8)
            baseline_s, _ = timed_copy(str(utf8), work / "baseline.parquet", None)
            started = time.perf_counter()
            report = node.dispatcher.run(records_ingest, SYSTEM, facts.code, source)
            total = time.perf_counter() - started
            lake_build = report.seconds.get("validate_and_write", total)
            rounds.append((transcode_s, baseline_s, lake_build, total))
            print(
                f"  round: baseline {baseline_s:.2f} s, lake {lake_build:.2f} s, "
                f"publish {total:.2f} s, stages {report.seconds}"
            )
        node.close()
        transcode_s, baseline_s, lake_build, total = (
            statistics.median(r[i] for r in rounds) for i in range(4)
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_mb = source.stat().st_size / 1e6
        print(f"rows {args.rows:,} · GBK file {size_mb:.0f} MB · rejected {report.rows_rejected}")
        print(f"medians of {args.rounds} round(s)")
        if reads_gbk is None:
            print(f"DuckDB reading GBK itself: skipped ({args.duckdb_encodings} is missing)")
        else:
            print(
                f"DuckDB {reads_gbk['duckdb']} read_csv→Parquet of the GBK file itself: "
                f"{reads_gbk['gbk_seconds']:.2f} s (its UTF-8 copy: "
                f"{reads_gbk['utf8_seconds']:.2f} s)"
            )
        print(
            f"baseline DuckDB read_csv→Parquet (UTF-8): {baseline_s:.2f} s "
            f"({args.rows / baseline_s:,.0f} rows/s)"
        )
        print(f"baseline + Python GBK transcode:          {baseline_s + transcode_s:.2f} s")
        print(
            f"lake validate+Parquet (from GBK):         {lake_build:.2f} s "
            f"({args.rows / lake_build:,.0f} rows/s)"
        )
        print(
            f"lake whole publish (serving + index):     {total:.2f} s "
            f"({args.rows / total:,.0f} rows/s)"
        )
        if reads_gbk is not None:
            print(
                f"ratio lake/DuckDB on the same GBK file:   "
                f"{reads_gbk['gbk_seconds'] / lake_build:.2f}"
            )
        print(f"ratio lake/DuckDB on a UTF-8 copy:        {baseline_s / lake_build:.2f}")
        with_transcode = baseline_s + transcode_s
        print(f"ratio lake/(UTF-8 copy + transcode):      {with_transcode / lake_build:.2f}")
        print(f"peak RSS of this process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
