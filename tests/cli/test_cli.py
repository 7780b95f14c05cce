"""The command line: set-up, units, users, audit — exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from tests.conftest import TEST_SECRET
from typer.testing import CliRunner

from xiangshu.bootstrap import Node
from xiangshu.cli.main import app

runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture
def cli(node: Node, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the CLI against the ``node`` fixture's store (SQLite or PostgreSQL)."""
    monkeypatch.setenv("XIANGSHU_ENVIRONMENT", "test")
    monkeypatch.setenv("XIANGSHU_SECRET_KEY", TEST_SECRET)
    options = ["--data-dir", str(node.settings.data_dir)]
    if node.settings.database_url:
        options += ["--database-url", node.settings.database_url]

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [*options, *args], input=input)

    return invoke


def test_help_everywhere() -> None:
    for command in ([], ["users"], ["units"], ["audit"], ["db"], ["init"], ["demo"], ["serve"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_init_is_idempotent_and_tree_shows_units(cli) -> None:  # type: ignore[no-untyped-def]
    again = cli("init")
    assert again.exit_code == 0 and "already initialised" in again.output
    tree = cli("units", "tree")
    assert "长沙市 430100 (2)" in tree.output and "吉首市" in tree.output
    listed = cli("units", "list", "--division", "433100")
    assert "湘西州数据局" in listed.output
    assert "42 unit(s)" in cli("units", "list", "--level", "province").output
    assert "up to date" in cli("db", "current").output
    assert "430124" in cli("divisions", "list", "--retired").output


def test_user_lifecycle_from_the_console(cli) -> None:  # type: ignore[no-untyped-def]
    created = cli(
        "users",
        "create",
        "chen.qi",
        "--name",
        "陈七",
        "--unit",
        "省统计局",
        "--role",
        "data_steward",
        "--password",
        "Strong-Pass-2026",
    )
    assert created.exit_code == 0, created.output
    assert "部门数据管理员" in created.output
    assert "chen.qi" in cli("users", "list", "--unit", "省统计局").output
    roles = cli("users", "set-roles", "chen.qi", "--role", "unit_user", "--role", "plan_officer")
    assert "规划管理员" in roles.output
    token = cli("users", "token", "chen.qi", "--days", "3")
    assert token.exit_code == 0 and "xst_" in token.output
    assert cli("users", "set-password", "chen.qi", "--password", "Another-Pass-2027").exit_code == 0
    assert cli("users", "unlock", "chen.qi").exit_code == 0
    assert "deactivated" in cli("users", "deactivate", "chen.qi").output
    assert "陈七" in cli("users", "show", "chen.qi").output


def test_bad_input_gives_clear_errors_and_exit_codes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    weak = cli(
        "users", "create", "weak.one", "--name", "x", "--unit", "省统计局", "--password", "short"
    )
    assert weak.exit_code == 3 and "password" in weak.output
    missing = cli("users", "show", "nobody")
    assert missing.exit_code == 4 and "no user named nobody" in missing.output
    unknown_unit = cli("units", "show", "不存在")
    assert unknown_unit.exit_code == 4
    bad = tmp_path / "units.csv"
    bad.write_text(
        "name,short_name,kind,division_code,parent,credit_code,catalog_code\n"
        "测试局,测试局,department,439999,,123,430000999\n",
        encoding="utf-8",
    )
    imported = cli("units", "import", str(bad))
    assert imported.exit_code == 3
    assert "units.csv, row 2, field 'division_code'" in imported.output
    assert "units.csv, row 2, field 'credit_code'" in imported.output
    headerless = tmp_path / "h.csv"
    headerless.write_text("name,short_name\nx,y\n", encoding="utf-8")
    assert "missing column" in cli("units", "import", str(headerless)).output
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("名称\n".encode("gbk"))
    assert "not UTF-8" in cli("units", "import", str(gbk)).output
    assert cli("audit", "export", "--format", "xml").exit_code == 2


def test_unit_create_and_import_from_the_console(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from xiangshu.domain.identifiers import make_credit_code

    created = cli(
        "units",
        "create",
        "--name",
        "娄底市测试局",
        "--short-name",
        "娄底测试局",
        "--division",
        "431300",
        "--credit-code",
        make_credit_code("11", "431300", "MB000777"),
        "--catalog-code",
        "431300901",
        "--parent",
        "娄底市人民政府",
    )
    assert created.exit_code == 0, created.output
    good = tmp_path / "more.csv"
    code = make_credit_code("11", "431000", "MB000888")
    good.write_text(
        "\ufeffname,short_name,kind,division_code,parent,credit_code,catalog_code\n"
        f"郴州市测试局,郴州测试局,department,431000,郴州市人民政府,{code},431000901\n",
        encoding="utf-8",
    )
    result = cli("units", "import", str(good))
    assert result.exit_code == 0 and "Created 1 unit" in result.output


def test_audit_verify_names_the_altered_row(node: Node, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("audit", "verify").exit_code == 0
    with node.store.write_engine.begin() as conn:
        if node.store.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        conn.execute(text("UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 7"))
    result = cli("audit", "verify")
    assert result.exit_code == 8
    assert "event #7" in result.output and "altered" in result.output


def test_audit_list_and_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "reference:divisions:load" in cli("audit", "list", "--event", "reference:").output
    out = tmp_path / "audit.jsonl"
    result = cli(
        "audit", "export", "--format", "jsonl", "-o", str(out), "--event", "org:unit:import"
    )
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").count("\n") == 1
    assert cli("audit", "export", "--event", "reference:").output.startswith("seq,event")


def test_generated_docs_check(tmp_path: Path) -> None:
    assert runner.invoke(app, ["docs", "--check", "--folder", str(tmp_path)]).exit_code == 1
    written = runner.invoke(app, ["docs", "--folder", str(tmp_path)])
    assert written.exit_code == 0 and "audit-events.md" in written.output
    assert runner.invoke(app, ["docs", "--check", "--folder", str(tmp_path)]).exit_code == 0


def test_demo_loads_once_and_only_in_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XIANGSHU_DATABASE_URL", raising=False)
    monkeypatch.setenv("XIANGSHU_ENVIRONMENT", "development")
    first = runner.invoke(app, ["--data-dir", str(tmp_path), "demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "Xiangshu-demo-2026" in first.output and "wjw.steward" in first.output
    again = runner.invoke(app, ["--data-dir", str(tmp_path), "demo", "--no-serve"])
    assert again.exit_code == 0 and "(existing node)" in again.output
    fresh = runner.invoke(app, ["--data-dir", str(tmp_path), "demo", "--no-serve", "--fresh"])
    assert fresh.exit_code == 0 and "湖南省政务数据共享与开放平台" in fresh.output
    monkeypatch.setenv("XIANGSHU_ENVIRONMENT", "production")
    monkeypatch.setenv("XIANGSHU_SECRET_KEY", "a-production-secret-value")
    refused = runner.invoke(app, ["--data-dir", str(tmp_path), "demo", "--no-serve"])
    assert refused.exit_code == 7 and "development" in refused.output
