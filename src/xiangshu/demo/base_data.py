"""The five base databases (基础库) as data items, for the catalog and the lake.

人口 (自然人), 法人, 自然资源和空间地理 (geospatial units), 电子证照 and 社会信用. The
catalog registers resources with these items; ``synthetic.py`` makes records
that pass them, and ``load_base_data`` loads them once the resources exist.
"""

from __future__ import annotations

from xiangshu.domain.data_items import DataItem as Item
from xiangshu.domain.data_items import DataItemType as T
from xiangshu.domain.data_items import Sensitivity as S
from xiangshu.domain.data_items import ValueCheck as V

SEX_CODES = ("1", "2")  # GB/T 2261.1: 1 男, 2 女
ENTITY_STATUS = ("存续", "在业", "注销", "吊销")
LICENCE_TYPES = ("居民身份证", "营业执照", "驾驶证", "结婚证", "不动产权证书", "社会保障卡")
CREDIT_KINDS = ("守信激励", "失信惩戒", "行政许可", "行政处罚")
UNIT_LEVELS = ("province", "prefecture", "county")

PEOPLE = (
    Item(
        "公民身份号码",
        "id_number",
        T.CHAR,
        18,
        required=True,
        is_key=True,
        sensitivity=S.ID_NUMBER,
        check=V.ID_NUMBER,
        is_base_item=True,
    ),
    Item("姓名", "name", T.CHAR, 30, required=True, sensitivity=S.NAME, is_base_item=True),
    Item("性别", "sex", T.CHAR, 1, required=True, enumeration=SEX_CODES, is_base_item=True),
    Item("出生日期", "birth_date", T.DATE, required=True, is_base_item=True),
    Item("民族", "ethnicity", T.CHAR, 10),
    Item("手机号码", "mobile", T.CHAR, 11, pattern=r"1[3-9][0-9]{9}", sensitivity=S.MOBILE),
    Item("户籍地行政区划代码", "division", T.CHAR, 6, required=True, check=V.DIVISION_CODE),
    Item("住址", "address", T.CHAR, 100, sensitivity=S.ADDRESS),
)

ENTITIES = (
    Item(
        "统一社会信用代码",
        "credit_code",
        T.CHAR,
        18,
        required=True,
        is_key=True,
        check=V.CREDIT_CODE,
        is_base_item=True,
    ),
    Item("名称", "name", T.CHAR, 100, required=True, is_base_item=True),
    Item("法定代表人", "legal_rep", T.CHAR, 30, sensitivity=S.NAME),
    Item("成立日期", "founded", T.DATE, required=True),
    Item("注册资本（万元）", "capital", T.CURRENCY, 16, scale=2),
    Item("住所行政区划代码", "division", T.CHAR, 6, required=True, check=V.DIVISION_CODE),
    Item("登记状态", "status", T.CHAR, 4, required=True, enumeration=ENTITY_STATUS),
)

GEO_UNITS = (
    Item("行政区划代码", "code", T.CHAR, 6, required=True, is_key=True, check=V.DIVISION_CODE),
    Item("名称", "name", T.CHAR, 50, required=True),
    Item("层级", "level", T.CHAR, 10, required=True, enumeration=UNIT_LEVELS),
    Item("上级代码", "parent_code", T.CHAR, 6),
    Item("中心经度", "longitude", T.DOUBLE),
    Item("中心纬度", "latitude", T.DOUBLE),
)

LICENCES = (
    Item("证照编号", "licence_no", T.CHAR, 32, required=True, is_key=True),
    Item("证照类型", "licence_type", T.CHAR, 10, required=True, enumeration=LICENCE_TYPES),
    Item("持证主体代码", "holder_id", T.CHAR, 18, required=True, sensitivity=S.ID_NUMBER),
    Item("持证主体名称", "holder_name", T.CHAR, 100, sensitivity=S.NAME),
    Item("签发日期", "issued", T.DATE, required=True),
    Item("有效期至", "expires", T.DATE),
    Item("签发机构", "issuer", T.CHAR, 50, required=True),
)

CREDIT_RECORDS = (
    Item("记录编号", "record_no", T.CHAR, 32, required=True, is_key=True),
    Item("统一社会信用代码", "credit_code", T.CHAR, 18, required=True, check=V.CREDIT_CODE),
    Item("记录类别", "kind", T.CHAR, 4, required=True, enumeration=CREDIT_KINDS),
    Item("认定日期", "decided", T.DATE, required=True),
    Item("认定部门", "authority", T.CHAR, 50, required=True),
    Item("事由", "content", T.MEMO),
)

BASE_DATABASES: dict[str, tuple[str, tuple[Item, ...]]] = {
    "people": ("人口基础信息（自然人）", PEOPLE),
    "entities": ("法人基础信息", ENTITIES),
    "geo_units": ("空间地理单元（行政区划）", GEO_UNITS),
    "licences": ("电子证照信息", LICENCES),
    "credit_records": ("社会信用记录", CREDIT_RECORDS),
}
