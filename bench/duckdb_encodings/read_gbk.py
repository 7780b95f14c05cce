"""DuckDB's own read_csv → Parquet of a GBK file, run in .venv-duckdb-encodings.

Prints one JSON object: the DuckDB version, seconds for the GBK file (encoding
'gb18030', through DuckDB's encodings extension) and for its UTF-8 copy, so that
the version's own UTF-8 speed can be compared with the DuckDB the lake runs.
Imports nothing but DuckDB: this interpreter has nothing else. ``timed_copy`` is also
the UTF-8 baseline of bench.lake_ingest, so both baselines are the same statement.

    python read_gbk.py GBK_CSV UTF8_CSV WORK_DIR
"""

import json
import sys
import time
from pathlib import Path

import duckdb


def extension() -> Path:
    import duckdb_extension_encodings  # only in .venv-duckdb-encodings

    folder = Path(duckdb_extension_encodings.__file__).parent / "extensions"
    return next(folder.glob(f"v{duckdb.__version__}/encodings.duckdb_extension"))


def timed_copy(source: str, target: Path, encoding: str | None) -> tuple[float, int]:
    """Seconds and rows of read_csv → Parquet (zstd); ``encoding`` loads the extension."""
    con = duckdb.connect()
    option = ""
    if encoding:
        con.execute(f"LOAD '{extension()}'")  # a signed build: no unsigned-extension switch
        option = f", encoding = '{encoding}'"
    started = time.perf_counter()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{source}', header = true, all_varchar = true{option})) "
        f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
    )
    seconds = time.perf_counter() - started
    rows = con.execute(f"SELECT count(*) FROM '{target}'").fetchone()[0]
    con.close()
    target.unlink()
    return seconds, rows


def main() -> None:
    gbk, utf8, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    gbk_s, gbk_rows = timed_copy(gbk, work / "duckdb-gbk.parquet", "gb18030")
    utf8_s, utf8_rows = timed_copy(utf8, work / "duckdb-utf8.parquet", None)
    print(
        json.dumps(
            {
                "duckdb": duckdb.__version__,
                "gbk_seconds": gbk_s,
                "gbk_rows": gbk_rows,
                "utf8_seconds": utf8_s,
                "utf8_rows": utf8_rows,
            }
        )
    )


if __name__ == "__main__":
    main()
