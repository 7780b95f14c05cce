"""``xiangshu lake …`` end to end on one node (the directory is injected as the catalog would)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.lake_fixtures import people_facts, person, register, write_csv
from typer.testing import CliRunner

from xiangshu.bootstrap import Node
from xiangshu.cli import state as cli_state
from xiangshu.cli.main import app


@pytest.fixture
def cli(sqlite_node: Node, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli_state, "build_node", lambda settings: sqlite_node)
    return CliRunner()


def test_ingest_query_export_rollback_from_the_command_line(
    cli: CliRunner, sqlite_node: Node, tmp_path: Path
) -> None:
    facts = register(sqlite_node, people_facts(sqlite_node))
    first = write_csv(tmp_path / "a.csv", [person(n) for n in range(1, 4)], encoding="gbk")
    loaded = cli.invoke(app, ["lake", "ingest", facts.code, str(first)])
    assert loaded.exit_code == 0, loaded.output
    assert "published" in loaded.output and "3 valid" in loaded.output
    bad = person(9)
    bad[2] = "9"
    second = write_csv(tmp_path / "b.csv", [person(4), bad])
    appended = cli.invoke(app, ["lake", "ingest", facts.code, str(second), "--mode", "append"])
    assert appended.exit_code == 0 and "1 rejected" in appended.output
    load_id = appended.output.split("load ")[-1].split()[0]

    out = tmp_path / "q.csv"
    quarantined = cli.invoke(app, ["lake", "quarantine", facts.code, load_id, "-o", str(out)])
    assert quarantined.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["row"], r["field"], r["reason"]) for r in rows] == [("3", "sex", "enumeration")]

    versions = cli.invoke(app, ["lake", "versions", facts.code])
    assert versions.exit_code == 0 and "append" in versions.output
    page = cli.invoke(app, ["lake", "query", facts.code, "--filter", "sex:eq:1", "--json"])
    assert page.exit_code == 0
    shown = json.loads(page.output)
    assert shown["version"] == 2 and all(r["sex"] == "1" for r in shown["records"])

    exported = tmp_path / "all.xlsx"
    done = cli.invoke(app, ["lake", "export", facts.code, "-o", str(exported), "--format", "xlsx"])
    assert done.exit_code == 0 and exported.stat().st_size > 0 and "4 record(s)" in done.output

    back = cli.invoke(app, ["lake", "rollback", facts.code, "1"])
    assert back.exit_code == 0 and "Version 1 (3 rows) is current" in back.output
    strict = cli.invoke(app, ["lake", "ingest", facts.code, str(second), "--strict"])
    assert strict.exit_code == 3 and "not published" in strict.output
    missing = cli.invoke(app, ["lake", "versions", "10100101/999999"])
    assert missing.exit_code == 4 and "no resource" in missing.output


def test_synthetic_files_from_the_command_line(cli: CliRunner, tmp_path: Path) -> None:
    made = cli.invoke(app, ["lake", "synth", "--out", str(tmp_path), "--people", "500"])
    assert made.exit_code == 0, made.output
    assert sum(1 for _ in (tmp_path / "people.csv").open()) == 501
