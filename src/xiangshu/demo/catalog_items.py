"""Data items (信息项) of the demo catalog, written compactly:
``名称:field:类型[:长度[,小数]][:标记]``.

Marks: ``k`` key, ``r`` required, ``b`` base item, ``p…`` personal information
(``pn`` 姓名, ``pi`` 身份证件号码, ``pm`` 手机号码, ``pa`` 住址, ``pb`` 银行卡号, ``po`` other),
``ci``/``cc``/``cd`` check an ID number, credit code or division code.
"""

from __future__ import annotations

from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck

PERSONAL = {
    "pn": Sensitivity.NAME,
    "pi": Sensitivity.ID_NUMBER,
    "pm": Sensitivity.MOBILE,
    "pa": Sensitivity.ADDRESS,
    "pb": Sensitivity.BANK_CARD,
    "po": Sensitivity.OTHER_PERSONAL,
}
CHECKS = {"ci": ValueCheck.ID_NUMBER, "cc": ValueCheck.CREDIT_CODE, "cd": ValueCheck.DIVISION_CODE}
ENUMS = {
    "gender": ("1", "2"),
    "card_status": ("正常", "挂失", "注销"),
    "case_status": ("受理", "办理中", "办结"),
    "level": ("一级", "二级", "三级"),
}

PERSON = (
    "公民身份号码:id_number:C:18:k r pi ci|姓名:name:C:50:r pn|性别:gender:C:1|"
    "出生日期:birth_date:D"
)
FIRM = "统一社会信用代码:credit_code:C:18:k r cc|企业名称:firm_name:C:200:r|成立日期:founded_on:D"
STAT = "统计年度:year:C:4:k r|行政区划代码:division_code:C:6:k r cd|行政区划名称:division_name:C:50"


def items(spec: str) -> tuple[DataItem, ...]:
    found = []
    for part in spec.split("|"):
        pieces = part.split(":")
        name, field, kind = pieces[0], pieces[1], DataItemType(pieces[2])
        length = scale = None
        marks: list[str] = []
        for extra in pieces[3:]:
            if extra and extra[0].isdigit():
                size, _, decimals = extra.partition(",")
                length, scale = int(size), int(decimals) if decimals else None
            else:
                marks += extra.split()
        sensitivity = next((PERSONAL[m] for m in marks if m in PERSONAL), Sensitivity.NONE)
        check = next((CHECKS[m] for m in marks if m in CHECKS), ValueCheck.NONE)
        found.append(
            DataItem(
                name=name,
                field=field,
                type=kind,
                length=length,
                scale=scale,
                required="r" in marks,
                is_key="k" in marks,
                is_base_item="b" in marks,
                sensitivity=sensitivity,
                check=check,
                enumeration=ENUMS.get(field, ()),
            )
        )
    return tuple(found)
