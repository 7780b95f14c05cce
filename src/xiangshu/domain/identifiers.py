"""Check characters of China's national identifiers.

- 公民身份号码 (GB 11643-1999): resident identity number.
- 统一社会信用代码 (GB 32100-2015): unified social credit code, whose
  positions 9–17 are an organization code (GB 11714) with its own check.

Each ``*_problem`` function returns ``None`` when the value is valid, or a
sentence saying what is wrong, so callers can collect every problem at once.
"""

from __future__ import annotations

import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门代码 (position 1) and the 机构类别代码 allowed under each (position 2).
CREDIT_REGISTRARS: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交
    "3": "12345",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "129",  # 工会
    "9": "123",  # 工商 (市场监管)
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}

_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_CREDIT_SHAPE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECKS[total % 11]


def id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """What is wrong with an 18-digit 公民身份号码, or None if it is valid.

    The division prefix is only checked for shape here; callers that hold the
    division list check it against that (a person keeps the code of the place
    and time their number was issued, so retired codes remain valid).
    """
    if not _ID_SHAPE.match(value):
        return "公民身份号码 must be 17 digits followed by a digit or X"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"公民身份号码 has an impossible birth date {value[6:14]}"
    if born.year < 1900 or born > (today or date.today()):
        return f"公民身份号码 has an implausible birth date {born.isoformat()}"
    expected = id_number_check_char(value[:17])
    if value[17] != expected:
        return f"公民身份号码 check character is {value[17]}, expected {expected}"
    return None


def id_number_sex(value: str) -> str:
    """'male' when the sequence digit is odd, 'female' when even."""
    return "male" if int(value[16]) % 2 else "female"


def org_code_check_char(first8: str) -> str:
    total = 0
    for char, weight in zip(first8, ORG_WEIGHTS, strict=True):
        number = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        total += number * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """What is wrong with a 统一社会信用代码, or None if it is valid."""
    if len(value) != 18:
        return f"统一社会信用代码 must have 18 characters, not {len(value)}"
    if not _CREDIT_SHAPE.match(value):
        bad = sorted({c for c in value if c not in CREDIT_ALPHABET})
        return f"统一社会信用代码 contains characters outside the code alphabet: {''.join(bad)}"
    kinds = CREDIT_REGISTRARS.get(value[0])
    if kinds is None:
        return f"统一社会信用代码 registrar code {value[0]} is not defined"
    if value[1] not in kinds:
        return (
            f"统一社会信用代码 organisation kind {value[1]} is not defined for registrar {value[0]}"
        )
    if not value[2:8].isdigit():
        return "统一社会信用代码 positions 3–8 must be a division code"
    org = value[8:17]
    if any(c not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in org[:8]) or org[8] not in (
        "0123456789X"
    ):
        return "统一社会信用代码 positions 9–17 are not an organization code"
    if org_code_check_char(org[:8]) != org[8]:
        return (
            f"统一社会信用代码 organization code check is {org[8]}, "
            f"expected {org_code_check_char(org[:8])}"
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return f"统一社会信用代码 check character is {value[17]}, expected {expected}"
    return None


def make_credit_code(registrar_kind: str, division_code: str, org_body: str) -> str:
    """Assemble a valid credit code from its parts (used for synthetic data)."""
    org = org_body + org_code_check_char(org_body)
    first17 = registrar_kind + division_code + org
    return first17 + credit_code_check_char(first17)


def make_id_number(division_code: str, born: date, sequence: int) -> str:
    first17 = f"{division_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)
