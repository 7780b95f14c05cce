"""Data items compiled to DuckDB SQL: one typed column and one error column per field.

For each field the compiler writes a typed expression (the value as stored in
Parquet) and a CASE that names the first rule the raw text breaks: empty where
a value is required, the type, the length, the code list, the pattern, then the
identifier checks (公民身份号码 and 统一社会信用代码 check characters, 行政区划代码).
Everything runs inside DuckDB on all rows at once; measured at about one second
per million rows on two cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xiangshu.domain.data_items import DataItem, DataItemType, ValueCheck
from xiangshu.domain.identifiers import (
    CREDIT_ALPHABET,
    CREDIT_REGISTRARS,
    CREDIT_WEIGHTS,
    ID_WEIGHTS,
    ORG_WEIGHTS,
)
from xiangshu.domain.lake.loads import Reason
from xiangshu.domain.lake.values import (
    DATE_FORMATS,
    DATETIME_FORMATS,
    FALSE_WORDS,
    TRUE_WORDS,
    never_null,
)
from xiangshu.storage.lake.sql import ident, literal, literal_list

MAX_DECIMAL_WIDTH = 38
# Reference tables the checks join against (``reference_tables``): a code list of a few
# hundred literals in ``IN (…)`` is tested one literal after another on every row, a
# table is one hash lookup — 0.6 s against 0.1 s per million rows.
DIVISIONS_TABLE = "known_divisions"
PROVINCES_TABLE = "known_provinces"
DECIMAL_SHAPE = r"[+-]?[0-9]+(\.[0-9]+)?"
DECIMALS_OVER = r"\.[0-9]{{{},}}"


def duckdb_type(item: DataItem) -> str:
    """The column type of a data item in Parquet (and DuckDB)."""
    kind = item.type
    if kind in (DataItemType.NUMERIC, DataItemType.CURRENCY):
        width = min(item.length or 18, MAX_DECIMAL_WIDTH)
        scale = (
            item.scale if item.scale is not None else (2 if kind is DataItemType.CURRENCY else 0)
        )
        return f"DECIMAL({width}, {min(scale, width - 1)})"
    return {
        DataItemType.DATE: "DATE",
        DataItemType.DATETIME: "TIMESTAMP",
        DataItemType.LOGICAL: "BOOLEAN",
        DataItemType.INTEGER: "BIGINT",
        DataItemType.DOUBLE: "DOUBLE",
        DataItemType.FLOAT: "DOUBLE",
    }.get(kind, "VARCHAR")


def _scale(item: DataItem) -> int:
    if item.scale is not None:
        return item.scale
    return 2 if item.type is DataItemType.CURRENCY else 0


def _formats(formats: Sequence[str]) -> str:
    return "[" + literal_list(formats) + "]"


def typed_expression(item: DataItem, v: str) -> str:
    """SQL turning the trimmed text ``v`` into the item's type (NULL when it cannot)."""
    kind = item.type
    if kind is DataItemType.DATE:
        return f"CAST(try_strptime({v}, {_formats(DATE_FORMATS)}) AS DATE)"
    if kind is DataItemType.DATETIME:
        return (
            f"coalesce(TRY_CAST({v} AS TIMESTAMP), try_strptime({v}, {_formats(DATETIME_FORMATS)}))"
        )
    if kind is DataItemType.LOGICAL:
        return (
            f"CASE WHEN lower({v}) IN ({literal_list(sorted(TRUE_WORDS))}) THEN true "
            f"WHEN lower({v}) IN ({literal_list(sorted(FALSE_WORDS))}) THEN false END"
        )
    if kind in (DataItemType.NUMERIC, DataItemType.CURRENCY):
        return f"TRY_CAST({v} AS {duckdb_type(item)})"
    if kind is DataItemType.INTEGER:
        return f"TRY_CAST({v} AS BIGINT)"
    if kind in (DataItemType.DOUBLE, DataItemType.FLOAT):
        return f"CASE WHEN isfinite(TRY_CAST({v} AS DOUBLE)) THEN TRY_CAST({v} AS DOUBLE) END"
    return v


def _type_broken(item: DataItem, v: str) -> str | None:
    kind = item.type
    if kind.is_text or kind is DataItemType.GENERAL:
        return None
    broken = f"({typed_expression(item, v)}) IS NULL"
    if kind is DataItemType.INTEGER:
        return f"({broken} OR NOT regexp_full_match({v}, '[+-]?[0-9]+'))"
    if kind in (DataItemType.NUMERIC, DataItemType.CURRENCY):
        scale = _scale(item)
        too_precise = f"regexp_matches({v}, {literal(DECIMALS_OVER.format(scale + 1))})"
        shape = f"NOT regexp_full_match({v}, {literal(DECIMAL_SHAPE)})"
        return f"({broken} OR {shape} OR {too_precise})"
    return broken


def _weighted(v: str, weights: Sequence[int], value_of: str) -> str:
    """Σ value(char_i) × weight_i as a flat SQL sum (no lambdas: fast in DuckDB)."""
    terms = [
        f"({value_of.format(c=f'substr({v}, {i}, 1)')}) * {w}"
        for i, w in enumerate(weights, start=1)
    ]
    return "(" + " + ".join(terms) + ")"


def id_number_helpers(v: str, field: str) -> list[str]:
    """Columns computed once per row for the 公民身份号码 rule (DuckDB does not share common
    subexpressions inside a CASE): the first 17 digits as one BIGINT, the birth date, whether
    the first two digits are a province."""
    return [
        f"TRY_CAST(substr({v}, 1, 17) AS BIGINT) AS {ident('_n_' + field)}",
        f"CAST(try_strptime(substr({v}, 7, 8), '%Y%m%d') AS DATE) AS {ident('_b_' + field)}",
        f"substr({v}, 1, 2) IN (SELECT code FROM {PROVINCES_TABLE}) AS {ident('_p_' + field)}",
    ]


def division_helpers(v: str, field: str) -> list[str]:
    """Whether the value is a known 行政区划代码, looked up once per row."""
    return [f"{v} IN (SELECT code FROM {DIVISIONS_TABLE}) AS {ident('_d_' + field)}"]


def id_number_broken(v: str, field: str, today: date) -> str:
    """公民身份号码: shape, birth date, province, check character (GB 11643).

    (Σ aᵢ·Wᵢ + a₁₈) mod 11 = 1 with X = 10; the digits come from one BIGINT by integer
    division — about six times faster in DuckDB than 17 substrings.
    """
    digits = ident("_n_" + field)
    born = ident("_b_" + field)
    total = " + ".join(
        f"({digits} // {10 ** (17 - i)}) % 10 * {w}" for i, w in enumerate(ID_WEIGHTS, 1)
    )
    last = f"substr({v}, 18, 1)"
    return (
        f"(NOT regexp_full_match({v}, '[0-9]{{17}}[0-9X]') "
        f"OR {born} IS NULL OR year({born}) < 1900 OR {born} > DATE {literal(today.isoformat())} "
        f"OR NOT {ident('_p_' + field)} "
        f"OR ({total} + CASE WHEN {last} = 'X' THEN 10 ELSE TRY_CAST({last} AS INTEGER) END) "
        "% 11 <> 1)"
    )


def credit_code_broken(v: str) -> str:
    """统一社会信用代码: alphabet, registrar and kind, organization code check, check character."""
    alphabet = literal(CREDIT_ALPHABET)
    pairs = literal_list(sorted(r + k for r, kinds in CREDIT_REGISTRARS.items() for k in kinds))
    org_sum = _weighted(
        f"substr({v}, 9, 8)",
        ORG_WEIGHTS,
        "CASE WHEN {c} BETWEEN '0' AND '9' THEN ord({c}) - 48 ELSE ord({c}) - 55 END",
    )
    org_check = (
        f"CASE 11 - {org_sum} % 11 WHEN 10 THEN 'X' WHEN 11 THEN '0' "
        f"ELSE CAST(11 - {org_sum} % 11 AS VARCHAR) END"
    )
    total = _weighted(v, CREDIT_WEIGHTS, f"strpos({alphabet}, {{c}}) - 1")
    shape = "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-Z]{8}[0-9X][0-9A-HJ-NP-RTUW-Y]"
    return (
        f"(NOT regexp_full_match({v}, {literal(shape)}) "
        f"OR substr({v}, 1, 2) NOT IN ({pairs}) "
        f"OR {org_check} <> substr({v}, 17, 1) "
        f"OR substr({alphabet}, CAST((31 - {total} % 31) % 31 AS INTEGER) + 1, 1) "
        f"<> substr({v}, 18, 1))"
    )


@dataclass(frozen=True, slots=True)
class ValidationContext:
    divisions: frozenset[str]  # every known 行政区划代码 (current and retired)
    today: date


def reference_tables(context: ValidationContext) -> dict[str, list[str]]:
    """Rows of the reference tables, created beside ``raw`` before the checks run."""
    return {
        DIVISIONS_TABLE: sorted(context.divisions),
        PROVINCES_TABLE: sorted({d[:2] for d in context.divisions if d.endswith("0000")}),
    }


def error_expression(item: DataItem, v: str, context: ValidationContext) -> str:
    """A CASE naming the first rule the field's trimmed text ``v`` breaks, else NULL."""
    arms: list[tuple[str, Reason]] = []
    broken_type = _type_broken(item, v)
    if broken_type:
        arms.append((broken_type, Reason.TYPE))
    if item.length and (item.type.is_text or item.type is DataItemType.GENERAL):
        arms.append((f"length({v}) > {item.length}", Reason.LENGTH))
    if item.enumeration:
        arms.append((f"{v} NOT IN ({literal_list(item.enumeration)})", Reason.ENUMERATION))
    if item.pattern:
        arms.append((f"NOT regexp_full_match({v}, {literal(item.pattern)})", Reason.PATTERN))
    checked = v  # already upper-cased by checked_select
    if item.check is ValueCheck.ID_NUMBER:
        arms.append((id_number_broken(checked, item.field, context.today), Reason.ID_NUMBER))
    elif item.check is ValueCheck.CREDIT_CODE:
        arms.append((credit_code_broken(checked), Reason.CREDIT_CODE))
    elif item.check is ValueCheck.DIVISION_CODE:
        arms.append((f"NOT {ident('_d_' + item.field)}", Reason.DIVISION_CODE))
    when_null = f"WHEN {v} IS NULL THEN " + (
        literal(Reason.REQUIRED.value) if never_null(item) else "NULL"
    )
    rules = " ".join(f"WHEN {cond} THEN {literal(reason.value)}" for cond, reason in arms)
    return f"CASE {when_null} {rules} END"


def reason_message(item: DataItem, reason: Reason) -> str:
    """The sentence a quarantine row gives for this field and reason."""
    kind = item.type
    type_words = {
        DataItemType.DATE: "is not a date (YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD)",
        DataItemType.DATETIME: "is not a date and time (YYYY-MM-DD HH:MM:SS)",
        DataItemType.LOGICAL: "is not a logical value (是/否, true/false, 1/0)",
        DataItemType.INTEGER: "is not a whole number",
        DataItemType.DOUBLE: "is not a number",
        DataItemType.FLOAT: "is not a number",
    }
    if reason is Reason.TYPE and kind in (DataItemType.NUMERIC, DataItemType.CURRENCY):
        width = min(item.length or 18, MAX_DECIMAL_WIDTH)
        scale = _scale(item)
        return f"is not a number of at most {width - scale} whole digits and {scale} decimal places"
    messages = {
        Reason.REQUIRED: "is empty but must have a value",
        Reason.TYPE: type_words.get(kind, f"is not {kind.label_zh}"),
        Reason.LENGTH: f"is longer than {item.length} characters",
        Reason.ENUMERATION: "is not in the code list: " + ", ".join(item.enumeration[:20]),
        Reason.PATTERN: f"does not match the pattern {item.pattern}",
        Reason.ID_NUMBER: "is not a valid 公民身份号码 (shape, birth date, province or check "
        "character)",
        Reason.CREDIT_CODE: "is not a valid 统一社会信用代码 (shape, registrar, organization code "
        "or check character)",
        Reason.DIVISION_CODE: "is not a known 行政区划代码",
        Reason.KEY_REPEATED: "repeats the key of another row in the file",
        Reason.KEY_EXISTS: "is already published; load with mode upsert to replace it",
    }
    return f"{item.name} ({item.field}) {messages[reason]}"


def checked_select(
    items: Sequence[DataItem], relation: str, context: ValidationContext, *, numbered: bool = True
) -> str:
    """SELECT of ``relation`` (the fields as text) with a typed and an error column per field.

    ``numbered``: the relation has the source row number ``_line``, which is kept. A CSV is
    checked while DuckDB reads it, before its rows have numbers (formats.stage_csv).
    """
    # Trim (and upper-case identifiers) once per value in an inner SELECT; the rules then
    # read plain columns instead of re-evaluating the expression in every arm.
    inner = ["_line"] if numbered else []
    for item in items:
        name = ident(item.field)
        value = f"NULLIF(trim({name}), '')"
        if item.check in (ValueCheck.ID_NUMBER, ValueCheck.CREDIT_CODE):
            value = f"upper({value})"
        inner.append(f"{value} AS {name}")
    middle = ["*"]
    for item in items:
        if item.check is ValueCheck.ID_NUMBER:
            middle += id_number_helpers(ident(item.field), item.field)
        elif item.check is ValueCheck.DIVISION_CODE:
            middle += division_helpers(ident(item.field), item.field)
    parts = ["_line"] if numbered else []
    for item in items:
        name = ident(item.field)
        parts.append(f"{typed_expression(item, name)} AS {name}")
        parts.append(f"{error_expression(item, name, context)} AS {ident('_e_' + item.field)}")
    return (
        f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(middle)} FROM "
        f"(SELECT {', '.join(inner)} FROM {relation}) AS t) AS h"
    )
