"""The platform's display masking (standards.md §5)."""

from __future__ import annotations

import pytest

from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity
from xiangshu.domain.lake.masking import RecordMasker, mask_value


@pytest.mark.parametrize(
    ("sensitivity", "value", "shown"),
    [
        (Sensitivity.ID_NUMBER, "430102199003074514", "430102********4514"),
        (Sensitivity.MOBILE, "13800138000", "138****8000"),
        (Sensitivity.BANK_CARD, "6222021234567890123", "622202*********0123"),
        (Sensitivity.NAME, "张三", "张*"),
        (Sensitivity.NAME, "张三丰", "张*丰"),
        (Sensitivity.NAME, "欧阳娜娜", "欧阳*娜"),
        (Sensitivity.NAME, "李", "*"),
        (Sensitivity.ADDRESS, "湖南省长沙市岳麓区麓山南路932号", "湖南省长沙市岳麓区***"),
        (
            Sensitivity.ADDRESS,
            "湖南省湘西土家族苗族自治州吉首市乾州街道世纪大道1号",
            "湖南省湘西土家族苗族自治州吉首市乾州街道***",
        ),
        (Sensitivity.ADDRESS, "麓山南路932号", "***"),
        (Sensitivity.OTHER_PERSONAL, "A型血", "***"),
        (Sensitivity.ID_NUMBER, None, None),
        (Sensitivity.NONE, "公开", "公开"),
    ],
)
def test_personal_values_are_masked(
    sensitivity: Sensitivity, value: str | None, shown: str | None
) -> None:
    assert mask_value(sensitivity, value) == shown


def test_a_masker_leaves_readers_with_clear_access_alone() -> None:
    items = {
        "name": DataItem("姓名", "name", DataItemType.CHAR, 10, sensitivity=Sensitivity.NAME),
        "status": DataItem("状态", "status", DataItemType.CHAR, 2),
    }
    record = {"name": "王小明", "status": "1"}
    assert RecordMasker(items, unmasked=False).apply(dict(record)) == {
        "name": "王*明",
        "status": "1",
    }
    assert RecordMasker(items, unmasked=True).apply(dict(record)) == record
