"""``xiangshu catalog …`` on a node's console."""

from __future__ import annotations

from pathlib import Path

from tests.catalog_fixtures import open_statistics
from typer.testing import CliRunner

from xiangshu.actions.catalog import resource_create
from xiangshu.bootstrap import Node
from xiangshu.cli.main import app
from xiangshu.domain.roles import SYSTEM


def test_export_import_search_show_reindex(sqlite_node: Node, tmp_path: Path) -> None:
    node = sqlite_node
    code = node.dispatcher.run(resource_create, SYSTEM, open_statistics(node)).code
    base = ["--data-dir", str(node.settings.data_dir)]
    runner = CliRunner()
    target = tmp_path / "catalog.xlsx"
    exported = runner.invoke(app, [*base, "catalog", "export", str(target), "--all"])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(app, [*base, "catalog", "import", str(target)])
    assert again.exit_code == 3  # invalid input: the code is taken
    assert "信息资源代码" in again.output and "row 2" in again.output
    found = runner.invoke(app, [*base, "catalog", "search", "宽带"])
    assert found.exit_code == 0 and "1 resource(s) match" in found.output
    shown = runner.invoke(app, [*base, "catalog", "show", code])
    assert "宽带用户数" in shown.output and "create" in shown.output
    rebuilt = runner.invoke(app, [*base, "catalog", "reindex"])
    assert "Indexed 1 resource(s)" in rebuilt.output
    listed = runner.invoke(app, [*base, "catalog", "classes"])
    assert "10100101" in listed.output and "细目" in listed.output
