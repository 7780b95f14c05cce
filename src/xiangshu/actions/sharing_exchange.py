"""Exchange beyond record pages: verification (核验) and the 库表 change feed.

Both read through the same rule as every lake read — the resource's facts, the
reader's grant (``GrantLookup``), ``may_read_data`` — and are audited and recorded as
exchanges.

- **核验**: "do these values (an ID number and a name) match a record?" — answered yes or
  no, never with the record. The values are compared, not returned, not stored: the
  audit event keeps the fields checked and the key's pseudonym only.
- **库表 change feed**: inserts, updates and deletes since the consumer's cursor, in key
  order, with the reader's fields, masked as any read is; every change carries ``_key``
  (the key in clear when the reader sees it in clear, otherwise its keyed pseudonym).
"""

from __future__ import annotations

from typing import Any

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import (
    grant_of,
    lake_of,
    resource_facts,
    target_resource,
    version_items,
)
from xiangshu.actions.registry import action
from xiangshu.crypto.keys import derive_key
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.data_items import DataItem, key_fields
from xiangshu.domain.lake.masking import RecordMasker
from xiangshu.domain.lake.query import FilterOp, FilterSpec, QuerySpec, plan_query
from xiangshu.domain.roles import Actor
from xiangshu.domain.sharing.feed import FeedCursor, decode_cursor
from xiangshu.domain.sharing.pseudonyms import clear_key, pseudonym
from xiangshu.errors import NotFound, Problem, invalid
from xiangshu.policies.data_access import ReadScope, may_read_data
from xiangshu.schemas.sharing import ChangesPage, VerifyResult
from xiangshu.storage.lake.bookkeeping import current_version, version_by_number
from xiangshu.storage.lake.records import query_serving
from xiangshu.storage.models import LakeVersionRow
from xiangshu.storage.sharing.changes import build_changes, changes_file, read_changes

FEED_PAGE_MAX = 10_000


def pseudonym_key(ctx: ActionContext, actor: Actor) -> bytes:
    """The consumer's pseudonym key: one per unit (or public user / app)."""
    holder = actor.unit_id or actor.user_id or actor.app_id
    return derive_key(ctx.settings.secret_key.get_secret_value().encode(), f"pseudonym:{holder}")


def _scope(ctx: ActionContext, reference: str) -> tuple[ResourceFacts, ReadScope]:
    facts = resource_facts(ctx, ctx.session, reference)
    grant = grant_of(ctx, ctx.session, facts)
    ctx.authorize(facts=facts, grant=grant)
    return facts, may_read_data(ctx.actor, facts, grant)


def _current(ctx: ActionContext, facts: ResourceFacts) -> LakeVersionRow:
    found = current_version(ctx.session, facts.resource_id)
    if found is None:
        raise NotFound(f"no records have been loaded into {facts.code} yet")
    return found[1]


def _audit(ctx: ActionContext, facts: ResourceFacts, scope: ReadScope, **more: Any) -> None:
    target_resource(ctx, facts.resource_id)
    ctx.detail(
        grant_id=str(scope.grant.grant_id) if scope.grant and scope.grant.grant_id else None,
        purpose=scope.grant.purpose if scope.grant else None,
        unmasked=scope.unmasked,
        **more,
    )


@action(event="sharing:record:verify", writes=False)
def record_verify(ctx: ActionContext, reference: str, values: dict[str, str]) -> VerifyResult:
    """核验: whether the given values (the full key and other fields) match one record."""
    facts, scope = _scope(ctx, reference)
    version = _current(ctx, facts)
    items = version_items(version, facts)
    keys = key_fields(items)
    problems = [
        Problem(f"the check needs the key field {k}", field=k) for k in keys if k not in values
    ]
    problems += [
        Problem("this field is not granted to you", field=f)
        for f in values
        if f not in scope.fields
    ]
    if len(values) < 2:
        problems.append(
            Problem("give the key and at least one field to check against it", field="values")
        )
    if problems:
        raise invalid(problems, "the verification cannot run")
    spec = QuerySpec(
        fields=tuple(keys),
        filters=tuple(FilterSpec(f, FilterOp.EQ, str(v)) for f, v in values.items()),
        limit=1,
    )
    # The comparison is an equality filter, which masked readers may make on personal fields.
    plan = plan_query(spec, items, scope.fields, unmasked=scope.unmasked, page_max=1)
    lake = lake_of(ctx)
    page = query_serving(
        lake.serving.engine, lake.serving.table(version.id, items), plan, stored_count=0
    )
    matched = bool(page.records)
    _audit(
        ctx,
        facts,
        scope,
        version=version.number,
        fields=sorted(values),
        rows=0,  # nothing of the record is returned
        match=matched,
        key=pseudonym(pseudonym_key(ctx, ctx.actor), [str(values[k]) for k in keys]),
    )
    return VerifyResult(
        resource_id=facts.resource_id,
        match=matched,
        checked_fields=sorted(values),
        version=version.number,
    )


def _segment(at: FeedCursor, current: int) -> FeedCursor | None:
    """The stretch of changes to read next, or None when the consumer is up to date."""
    if at.from_version != at.to_version:
        return at
    if at.from_version == current:
        return None
    return FeedCursor(at.from_version, current, -1)


def _feed_source(
    ctx: ActionContext, facts: ResourceFacts, segment: FeedCursor
) -> tuple[Any, tuple[DataItem, ...], bool]:
    """(file to read, the target version's items, whether it is a whole version)."""
    lake = lake_of(ctx)
    target = version_by_number(ctx.session, facts.resource_id, segment.to_version)
    if target is None:
        raise invalid([Problem("the cursor names a version that does not exist", field="cursor")])
    items = version_items(target, facts)
    new_file = lake.file_of(facts.resource_id, target.id, target.data_file)
    if segment.from_version == 0:
        return new_file, items, True
    source = version_by_number(ctx.session, facts.resource_id, segment.from_version)
    if source is None:
        raise invalid([Problem("the cursor names a version that does not exist", field="cursor")])
    path = changes_file(
        lake.layout.resource_dir(facts.resource_id), segment.from_version, segment.to_version
    )
    if not path.exists():
        old_file = lake.file_of(facts.resource_id, source.id, source.data_file)
        build_changes(old_file, new_file, items, path, memory_mb=ctx.settings.lake_memory_mb)
    return path, items, False


@action(event=None, writes=False)
def changes_prepare(ctx: ActionContext, reference: str, cursor: str | None = None) -> bool:
    """Build the change file the next page needs, outside any write transaction (no data is
    read or returned): whether there is anything to read."""
    facts = _scope(ctx, reference)[0]
    at = decode_cursor(cursor)
    segment = _segment(at, _current(ctx, facts).number)
    if segment is None:
        return False
    _feed_source(ctx, facts, segment)
    return True


@action(event="sharing:changes:read", writes=False)
def changes_read(
    ctx: ActionContext, reference: str, cursor: str | None = None, *, limit: int = 1000
) -> ChangesPage:
    """A page of the 库表 change feed: inserts, updates and deletes since the cursor."""
    facts, scope = _scope(ctx, reference)
    if not 1 <= limit <= FEED_PAGE_MAX:
        raise invalid([Problem(f"limit is 1 to {FEED_PAGE_MAX}", field="limit")])
    at = decode_cursor(cursor)
    current = _current(ctx, facts)
    segment = _segment(at, current.number)
    items = version_items(current, facts)
    changes: list[dict[str, Any]] = []
    if segment is None:
        next_cursor, done = at, True
    else:
        source, items, whole = _feed_source(ctx, facts, segment)
        rows, finished = read_changes(source, items, segment.position, limit, whole_version=whole)
        changes = _shape(ctx, items, scope, rows)
        if finished:
            next_cursor = FeedCursor(segment.to_version, segment.to_version, -1)
            done = segment.to_version == current.number
        else:
            next_cursor = FeedCursor(segment.from_version, segment.to_version, rows[-1]["_pos"])
            done = False
    shown = [i.field for i in items if i.field in scope.fields]
    masked = RecordMasker({i.field: i for i in items}, unmasked=scope.unmasked)
    _audit(
        ctx,
        facts,
        scope,
        fields=shown,
        rows=len(changes),
        cursor=(at.from_version, at.to_version, at.position),
        next=(next_cursor.from_version, next_cursor.to_version, next_cursor.position),
    )
    return ChangesPage(
        resource_id=facts.resource_id,
        from_version=segment.from_version if segment else at.from_version,
        to_version=segment.to_version if segment else at.to_version,
        key="_key",
        fields=shown,
        types={i.field: i.type.value for i in items if i.field in scope.fields},
        masked=masked.masked_fields(shown),
        changes=changes,
        cursor=next_cursor.encode(),
        done=done,
    )


def _shape(
    ctx: ActionContext,
    items: tuple[DataItem, ...],
    scope: ReadScope,
    rows: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    keys = key_fields(items)
    by_field = {i.field: i for i in items}
    key_in_clear = all(
        k in scope.fields and (scope.unmasked or not by_field[k].sensitivity.is_personal)
        for k in keys
    )
    secret = pseudonym_key(ctx, ctx.actor)
    masker = RecordMasker(by_field, unmasked=scope.unmasked)
    shown = [i.field for i in items if i.field in scope.fields]
    out = []
    for row in rows:
        values = [str(row[k]) for k in keys]
        change: dict[str, Any] = {
            "op": row["_op"],
            "_key": clear_key(values) if key_in_clear else pseudonym(secret, values),
        }
        if row["_op"] != "delete":
            change.update(masker.apply({f: row[f] for f in shown}))
        out.append(change)
    return out


@action(event="sharing:exchange:refuse")
def exchange_refusal_record(
    ctx: ActionContext, *, method: str, path: str, reason: str, app_key: str | None
) -> None:
    """Record an exchange call refused before it reached any action (a forged, replayed or
    stale signature, an unknown key): audited, and kept as an exchange record."""
    from xiangshu.storage.models.sharing import ExchangeRecordRow

    ctx.authorize()
    parts = path.split("/")
    reference = parts[parts.index("resources") + 1] if "resources" in parts[:-1] else ""
    facts = ctx.services.resources.facts(ctx.session, reference) if reference else None
    ctx.session.add(
        ExchangeRecordRow(
            at=ctx.now,
            kind="refused",
            event="sharing:exchange:refuse",
            resource_id=facts.resource_id if facts else None,
            resource_code=facts.code if facts else reference[:50],
            provider_unit_id=facts.provider_unit_id if facts else None,
            consumer_unit_id=None,
            user_id=None,
            app_id=None,
            actor_name=(app_key or ctx.actor.name)[:100],
            fields="[]",
            rows=0,
            grant_id=None,
            request_id=None,
            purpose="",
            result="not_authenticated",
            latency_ms=0.0,
        )
    )
    ctx.detail(method=method, path=path, reason=reason, app_key=app_key)
    ctx.note.outcome = "unauthenticated"
