"""docs/plan.md documents every column of the template and every plan setting."""

from __future__ import annotations

from pathlib import Path

from xiangshu.domain.plan.columns import PLAN_FIELDS, SHEETS
from xiangshu.settings import Settings

DOC = Path(__file__).parents[3] / "docs" / "plan.md"


def test_every_template_column_and_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{sheet}.{column.key}"
        for sheet, columns in SHEETS.items()
        for column in columns
        if sheet != "plan" and f"`{column.key}`" not in text
    ]
    missing += [f"plan.{f.key}" for f in PLAN_FIELDS if f"`{f.key}`" not in text]
    missing += [
        name
        for name in Settings.model_fields
        if name.startswith("plan_") and f"XIANGSHU_{name.upper()}" not in text
    ]
    assert not missing, missing
