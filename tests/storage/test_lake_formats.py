"""Every accepted format and encoding, and every kind of bad input the issue lists."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from tests.lake_fixtures import HEADER, people_facts, person, register, steward, write_csv

from xiangshu.actions.lake_loads import records_ingest, version_list
from xiangshu.actions.lake_reads import record_lookup
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import InvalidInput

ROWS = [person(n) for n in range(1, 6)]


def _xlsx(path: Path, rows: list[list[str]], *, merged: bool = False) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    if merged:
        sheet.merge_range(0, 0, 0, 1, "公民身份号码")
        sheet.write_row(0, 2, HEADER[2:])
    else:
        sheet.write_row(0, 0, ["公民身份号码", "姓名", *HEADER[2:]])  # Chinese names work too
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [*row[:6], float(row[6])])  # income as a number cell
    sheet.write_row(len(rows) + 2, 0, [])  # a blank row is not a record
    book.close()
    return path


def _sources(tmp_path: Path) -> dict[str, Path]:
    records = [dict(zip(HEADER, r, strict=True)) for r in ROWS]
    ndjson = tmp_path / "p.ndjson"
    ndjson.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    array = tmp_path / "p.json"
    array.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    parquet = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pylist(records), parquet)
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeff".encode() + write_csv(tmp_path / "x.csv", ROWS).read_bytes())
    return {
        "utf8": write_csv(tmp_path / "u.csv", ROWS),
        "bom": bom,
        "gb18030": write_csv(
            tmp_path / "g.csv", [[*r[:1], "㛃丽", *r[2:]] for r in ROWS], encoding="gb18030"
        ),
        "tsv": (tmp_path / "t.tsv"),
        "crlf": write_csv(tmp_path / "w.csv", ROWS, line_end="\r\n"),
        "xlsx": _xlsx(tmp_path / "p.xlsx", ROWS),
        "ndjson": ndjson,
        "json": array,
        "parquet": parquet,
    }


@pytest.mark.parametrize(
    "kind", ["utf8", "bom", "gb18030", "tsv", "crlf", "xlsx", "ndjson", "json", "parquet"]
)
def test_each_format_loads_the_same_records(sqlite_node: Node, tmp_path: Path, kind: str) -> None:
    facts = register(sqlite_node, people_facts(sqlite_node))
    sources = _sources(tmp_path)
    sources["tsv"].write_text(
        "\n".join("\t".join(r) for r in [HEADER, *ROWS]) + "\n", encoding="utf-8"
    )
    report = sqlite_node.dispatcher.run(
        records_ingest, steward(sqlite_node), facts.code, sources[kind]
    )
    assert (report.rows_read, report.rows_valid, report.rows_rejected) == (5, 5, 0), report.problems
    found = sqlite_node.dispatcher.run(record_lookup, SYSTEM, facts.code, ROWS[2][0]).record
    assert found["income"] == float(ROWS[2][6]) and found["birth_date"].isoformat() == ROWS[2][3]
    if kind == "gb18030":
        assert found["name"] == "㛃丽"  # outside GBK: needs GB18030


def _refused(node: Node, path: Path) -> InvalidInput:
    facts = register(node, people_facts(node))
    with pytest.raises(InvalidInput) as caught:
        node.dispatcher.run(records_ingest, steward(node), facts.code, path)
    assert node.dispatcher.run(version_list, SYSTEM, facts.code) == []
    assert not list(node.settings.lake_path.glob("resources/*/*/*")), "no partial version"
    return caught.value


def test_an_empty_file_is_refused(sqlite_node: Node, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in str(_refused(sqlite_node, empty))


def test_a_header_without_rows_is_refused(sqlite_node: Node, tmp_path: Path) -> None:
    assert "no data rows" in str(_refused(sqlite_node, write_csv(tmp_path / "h.csv", [])))


def test_merged_header_cells_are_named(sqlite_node: Node, tmp_path: Path) -> None:
    error = _refused(sqlite_node, _xlsx(tmp_path / "m.xlsx", ROWS, merged=True))
    assert [p.field for p in error.problems] == ["A1:B1"] and "merged" in str(error)


def test_a_file_in_another_encoding_is_refused_with_its_name(
    sqlite_node: Node, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes(("id_number,name\n" + "x,Müller Ærø Ça\n" * 50).encode("cp1252"))
    error = _refused(sqlite_node, latin)
    assert "neither UTF-8 nor GBK" in str(error) and error.problems[0].file == "latin.csv"


def test_a_file_damaged_midway_names_the_line(sqlite_node: Node, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "g.csv", [person(n) for n in range(1, 20_000)], encoding="gbk")
    data = bytearray(good.read_bytes())
    data[-200] = 0x81  # a lead byte followed by a byte GB18030 cannot pair
    data[-199] = 0x20
    damaged = tmp_path / "d.csv"
    damaged.write_bytes(bytes(data))
    error = _refused(sqlite_node, damaged)
    assert error.problems[0].row is not None and error.problems[0].row > 19_000


def test_a_file_over_the_size_limit_is_refused_before_reading(
    sqlite_node: Node, tmp_path: Path
) -> None:
    big = write_csv(tmp_path / "big.csv", [person(n) for n in range(1, 20_000)])
    sqlite_node.services.lake.settings = sqlite_node.settings.model_copy(  # type: ignore[union-attr]
        update={"lake_max_upload_mb": 1}
    )
    error = _refused(sqlite_node, big)
    assert "at most 1 MiB" in str(error)


def test_an_unknown_file_type_is_refused(sqlite_node: Node, tmp_path: Path) -> None:
    odd = tmp_path / "data.docx"
    odd.write_bytes(b"PK")
    assert "unknown file type .docx" in str(_refused(sqlite_node, odd))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", b'[{"id_number": "1", ', "JSON cannot be read"),
        ("numbers.json", b"[1, 2, 3]", "must be a JSON object"),
        ("text.ndjson", b"hello\n", "array of objects, or one object per line"),
        ("empty.json", b"  \n", "empty"),
        ("fake.parquet", b"PAR1 not really", "Parquet file cannot be read"),
        ("fake.xlsx", b"PK\x03\x04 not a workbook", "workbook cannot be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    sqlite_node: Node, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = _refused(sqlite_node, path)
    assert message in str(error) and error.problems[0].file == name


def test_the_declared_format_wins_over_the_file_name(sqlite_node: Node, tmp_path: Path) -> None:
    facts = register(sqlite_node, people_facts(sqlite_node))
    source = write_csv(tmp_path / "export.dat", ROWS)
    report = sqlite_node.dispatcher.run(
        records_ingest, steward(sqlite_node), facts.code, source, source_format="csv"
    )
    assert report.rows_valid == 5 and report.source_format == "csv"
