"""``xiangshu plan …`` end to end on an embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from xiangshu.cli.main import app

runner = CliRunner(env={"COLUMNS": "240"})  # wide enough that tables do not elide


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    found = tmp_path / "node"
    assert runner.invoke(app, ["--data-dir", str(found), "init"]).exit_code == 0
    return found


def xs(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


def test_load_check_evaluate_forecast_report(data_dir: Path, tmp_path: Path) -> None:
    code, out = xs(data_dir, "plan", "load")
    assert code == 0, out
    assert "18 indicators" in out and "65 tasks" in out and "28.3%" in out
    code, out = xs(data_dir, "plan", "load", "hunan-12th-informatization")
    assert code == 0, out
    code, out = xs(
        data_dir, "plan", "evaluate", "--year", "2015", "--plan", "hn-12-informatization"
    )
    assert code == 0, out
    assert "已实现 6, 未实现 6, 无法评估 5" in out
    values = tmp_path / "values.csv"
    values.write_text(
        "indicator,year,value,status,source\n12,2016,1000,final,省商务厅\n12,2017,1300,final,省商务厅\n"
        "12,2018,1600,provisional,省商务厅\n",
        encoding="utf-8",
    )
    code, out = xs(data_dir, "plan", "import-values", str(values))
    assert code == 0 and "Recorded 3" in out, out
    code, out = xs(data_dir, "plan", "evaluate", "--year", "2018")
    assert code == 0 and "滞后" in out, out
    code, out = xs(data_dir, "plan", "forecast", "--indicator", "12")
    assert code == 0 and "endpoint" in out and "median" in out and "2,577" in out, out
    report = tmp_path / "report.docx"
    code, out = xs(data_dir, "plan", "report", "--format", "docx", "-o", str(report))
    assert code == 0, out
    assert report.read_bytes()[:2] == b"PK"
    code, out = xs(data_dir, "plan", "export", "12", "--format", "csv")
    assert code == 0 and out.startswith("Year,Series,Synthetic") and "2018,,,亿元,1600" in out


def test_bad_values_file_names_every_row_and_records_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    assert xs(data_dir, "plan", "load")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,year,value\n12,2016,一千\n99,2017,5\n12,二〇一八,1600\n", encoding="utf-8"
    )
    code, out = xs(data_dir, "plan", "import-values", str(bad))
    assert code == 3, out
    assert "row 2" in out and "is not a number" in out and "row 4" in out
    only_unknown = tmp_path / "unknown.csv"
    only_unknown.write_text("indicator,year,value\n12,2016,1000\n99,2017,5\n", encoding="utf-8")
    code, out = xs(data_dir, "plan", "import-values", str(only_unknown))
    assert code == 3 and "row 3" in out and "no indicator numbered 99" in out, out
    code, out = xs(data_dir, "plan", "values", "--indicator", "12")
    assert "1000" not in out  # nothing half-loaded


def test_template_round_trip_and_bad_workbook(data_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    assert xs(data_dir, "plan", "template", str(template))[0] == 0
    code, out = xs(data_dir, "plan", "load", str(template))
    assert code == 3 and "the plan needs its code" in out, out
    code, out = xs(data_dir, "plan", "check", "hunan-13th-informatization")
    assert code == 0 and "30.8%" in out
    code, out = xs(data_dir, "plan", "load", "no-such-plan")
    assert code == 3 and "no file no-such-plan" in out


def test_division_of_labour_commands(data_dir: Path) -> None:
    assert xs(data_dir, "plan", "load")[0] == 0
    code, out = xs(data_dir, "plan", "tasks")
    assert code == 0 and "智慧水利" in out and "省水利厅" in out
    code, out = xs(
        data_dir, "plan", "report-progress", "--task", "9.5", "--period", "2019Q1",
        "--progress", "40", "--narrative", "完成设计", "--unit", "省水利厅",
    )  # fmt: skip
    assert code == 0 and "省水利厅" in out, out
    code, out = xs(
        data_dir, "plan", "work-item", "--task", "9.5", "--year", "2019",
        "--title", "智慧水利云平台上线", "--due", "2019-03-01",
    )  # fmt: skip
    assert code == 0 and "2019-03-01" in out, out
    code, out = xs(data_dir, "plan", "remind", "--today", "2019-04-12")
    assert code == 0 and "reminder(s) sent" in out and "overdue" in out
    code, out = xs(data_dir, "plan", "accountability", "--today", "2019-05-01")
    assert code == 0 and "overdue_milestone" in out and "overdue_report" in out
    code, out = xs(data_dir, "plan", "values")
    assert code == 0
    code, out = xs(data_dir, "plan", "list")
    assert code == 0 and "hn-13" in out
    code, out = xs(data_dir, "plan", "report", "-o", str(data_dir / "r.html"))
    assert code == 4 and "evaluate" in out  # no evaluation yet: say what to run
