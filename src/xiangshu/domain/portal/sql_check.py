"""Checking a ``datastore_search_sql`` statement before it runs (sqlglot, pure).

Accepted: one SELECT (or a UNION/INTERSECT/EXCEPT of SELECTs), over tables named by
resource ID or code, using only the columns the caller may read, calling only
functions on a short list of plain, side-effect-free ones. Refused with a reason
naming what is wrong: anything but one statement, writes and DDL, ``SELECT … INTO``,
row locks, CTEs, schema-qualified or unknown tables, forbidden columns, other
functions (``pg_sleep``, ``pg_read_file``, ``load_extension`` …).

The checked statement is then rewritten onto the serving tables: each table
reference becomes the resource's current serving table (aliased by the name the
caller used, so qualified columns keep working), ``_id`` becomes the row position,
and the whole is wrapped in an outer ``LIMIT``. The database adds its own guards
(read-only role and transaction, a statement time limit; see
``storage/portal/sql_run.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from xiangshu.errors import InvalidInput, Problem, invalid

ALLOWED_FUNCTIONS = frozenset(
    {
        # aggregates
        "COUNT",
        "SUM",
        "AVG",
        "MIN",
        "MAX",
        "STDDEV",
        "STDDEV_SAMP",
        "STDDEV_POP",
        "VARIANCE",
        "VARIANCE_POP",
        "MEDIAN",
        "GROUPCONCAT",
        "STRINGAGG",
        # scalar
        "ABS",
        "ROUND",
        "CEIL",
        "FLOOR",
        "LN",
        "LOG",
        "POW",
        "POWER",
        "SQRT",
        "SIGN",
        "MOD",
        "LOWER",
        "UPPER",
        "LENGTH",
        "SUBSTRING",
        "TRIM",
        "LTRIM",
        "RTRIM",
        "REPLACE",
        "CONCAT",
        "DPIPE",
        "LEFT",
        "RIGHT",
        "COALESCE",
        "NULLIF",
        "IF",
        "CASE",
        "CAST",
        "TRYCAST",
        "EXTRACT",
        "YEAR",
        "MONTH",
        "DAY",
        "DATE",
        "DATETRUNC",
        "TIMESTAMPTRUNC",
        "GREATEST",
        "LEAST",
        "STRPOSITION",
    }
)
REFUSED_NODES: tuple[type[exp.Expression], ...] = (
    exp.With,
    exp.Into,
    exp.Lock,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Command,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Merge,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Copy,
    exp.Placeholder,
)
ROW_COLUMN = "_row"
ID_COLUMN = "_id"


@dataclass(frozen=True, slots=True)
class TableAccess:
    """What the caller may read of one referenced resource."""

    qualified: tuple[str | None, str]  # (schema, table) of the serving table
    columns: frozenset[str]  # every column of the resource
    permitted: frozenset[str]  # the columns the caller may read


def _function_name(node: Any) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).upper()
    return str(node.sql_name()).upper().replace("_", "")


def _allowed(name: str) -> bool:
    return name in ALLOWED_FUNCTIONS or name.replace("_", "") in ALLOWED_FUNCTIONS


def parse_statement(sql: str, *, dialect: str, max_length: int) -> exp.Query:
    """The one SELECT in ``sql``, or every reason it is refused."""
    if len(sql) > max_length:
        raise invalid(
            [Problem(f"the statement is longer than {max_length} characters", field="sql")]
        )
    if not sql.strip():
        raise invalid([Problem("Missing value", field="sql")])
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (ParseError, TokenError) as error:
        message = str(error).splitlines()[0][:300]
        raise invalid([Problem(f"the statement cannot be read: {message}", field="sql")]) from None
    if len(statements) != 1:
        raise invalid(
            [Problem("Query is not a single statement (one SELECT, no semicolons)", field="sql")]
        )
    tree = statements[0]
    problems: list[Problem] = []
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        problems.append(Problem(f"only SELECT is allowed, not {tree.key.upper()}", field="sql"))
    for node in tree.walk():
        if isinstance(node, REFUSED_NODES):
            problems.append(Problem(f"{node.key.upper()} is not allowed", field="sql"))
        elif isinstance(node, exp.Func) and not isinstance(node, exp.Star):
            name = _function_name(node)
            if not _allowed(name):
                problems.append(Problem(f"the function {name} is not allowed", field="sql"))
    if problems:
        raise invalid(_unique(problems), "the statement is refused")
    assert isinstance(tree, (exp.Select, exp.SetOperation))
    return tree


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def table_references(tree: Any) -> list[str]:
    """The resources a statement names (as written), in order, without repeats."""
    names: list[str] = []
    problems: list[Problem] = []
    for table in tree.find_all(exp.Table):
        if table.args.get("db") or table.args.get("catalog"):
            problems.append(
                Problem("name tables by resource ID or code only, without a schema", field="sql")
            )
        if not isinstance(table.this, exp.Identifier):
            problems.append(Problem("only resources can be read, not table functions", field="sql"))
            continue
        names.append(table.name)
    if problems:
        raise invalid(_unique(problems), "the statement is refused")
    return list(dict.fromkeys(names))


def _select_aliases(tree: Any) -> set[str]:
    aliases: set[str] = set()
    for node in tree.find_all(exp.Alias, exp.Subquery, exp.TableAlias):
        alias = node.name if isinstance(node, exp.TableAlias) else node.alias
        if alias:
            aliases.add(str(alias))
    return aliases


def _column_problems(
    tree: Any, access: Mapping[str, TableAccess], by_alias: Mapping[str, TableAccess]
) -> list[Problem]:
    problems: list[Problem] = []
    aliases = _select_aliases(tree)
    everything = list(access.values())
    for column in list(tree.find_all(exp.Column)):
        name = column.name
        if name == ID_COLUMN:
            renamed = exp.column(ROW_COLUMN, table=column.table or None)
            column.replace(exp.alias_(renamed, ID_COLUMN) if column.parent is tree else renamed)
            continue
        qualifier = column.table
        owner = by_alias.get(qualifier) if qualifier else None
        if qualifier and owner is None:
            if qualifier not in aliases:
                problems.append(Problem(f"unknown table or alias {qualifier}", field="sql"))
            continue
        holders = [owner] if owner is not None else [a for a in everything if name in a.columns]
        hidden = not holders and name not in aliases
        if hidden or any(name not in a.permitted for a in holders):
            problems.append(Problem(f"no column {name} you may read", field="sql", value=name))
    for star in tree.find_all(exp.Star):
        if not isinstance(star.parent, exp.Count) and any(
            a.permitted != a.columns for a in everything
        ):
            problems.append(
                Problem("name the columns: some columns of these tables are not yours", field="sql")
            )
            break
    return _unique(problems)


def rewrite(
    tree: exp.Query,
    access: Mapping[str, TableAccess],
    *,
    dialect: str,
    limit: int,
) -> str:
    """Check the columns against ``access`` and put the serving tables in; the SQL to run."""
    tree = tree.copy()
    by_alias = {table.alias or table.name: access[table.name] for table in tree.find_all(exp.Table)}
    problems = _column_problems(tree, access, by_alias)
    if problems:
        raise InvalidInput(
            f"the statement is refused ({len(problems)} problem(s))", problems=problems
        )
    for table in list(tree.find_all(exp.Table)):
        schema, name = access[table.name].qualified
        replacement = exp.Table(
            this=exp.to_identifier(name, quoted=True),
            db=exp.to_identifier(schema, quoted=True) if schema else None,
            alias=exp.TableAlias(this=exp.to_identifier(table.alias or table.name, quoted=True)),
        )
        table.replace(replacement)
    outer = exp.select("*").from_(
        exp.Subquery(this=tree, alias=exp.TableAlias(this=exp.to_identifier("q")))
    )
    return str(outer.limit(int(limit)).sql(dialect=dialect))
