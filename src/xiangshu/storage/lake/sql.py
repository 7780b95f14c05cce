"""Quoting for the SQL the lake generates from data items (never from request input)."""

from __future__ import annotations

from xiangshu.domain.data_items import FIELD_NAME


def ident(name: str) -> str:
    """A quoted identifier; field names are checked against FIELD_NAME before use."""
    if not (FIELD_NAME.match(name) or (name.startswith("_") and FIELD_NAME.match(name[1:]))):
        raise ValueError(f"not a safe column name: {name!r}")
    return f'"{name}"'


def literal(value: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def literal_list(values: object) -> str:
    return ", ".join(literal(str(v)) for v in values)  # type: ignore[attr-defined]
