"""Use cases of the provider's data steward: load a file, list versions, roll back.

A load is built outside the metadata transaction (validation, Parquet, the
serving table — seconds to minutes) and registered in one short transaction
that also switches the resource to the new version and writes the audit
event. A load killed before that leaves the previous version current; its
files are removed by ``lake_clean``.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy.exc

from xiangshu.actions.context import ActionContext
from xiangshu.actions.lake_common import (
    grant_of,
    known_divisions,
    lake_of,
    resource_facts,
    target_resource,
    version_items,
)
from xiangshu.actions.registry import action
from xiangshu.domain.access import ResourceFacts
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.data_items import key_fields
from xiangshu.domain.lake.loads import LoadMode, LoadStatus, Reason
from xiangshu.errors import ConfigurationError, Conflict, NotFound, Problem, invalid
from xiangshu.schemas.lake import LoadReportPublic, ProblemTally, VersionPublic
from xiangshu.storage.lake.bookkeeping import (
    current_version,
    items_to_json,
    known_loads,
    load_by_id,
    next_version_number,
    report_of,
    serving_versions,
    version_by_number,
    versions_of,
)
from xiangshu.storage.lake.layout import QUARANTINE_FILE, leftover_dirs
from xiangshu.storage.lake.progress import Progress
from xiangshu.storage.lake.service import LoadRequest, StagedLoad
from xiangshu.storage.lake.serving import table_name
from xiangshu.storage.models import LakeCurrentRow, LakeLoadRow, LakeVersionRow


def _tallies(facts: ResourceFacts, tallies: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    names = {i.field: i.name for i in facts.items}
    return [
        {
            "field": field,
            "item": names.get(field, "(整行)"),
            "reason": reason,
            "reason_zh": Reason(reason).label_zh,
            "count": count,
        }
        for field, reasons in tallies.items()
        for reason, count in reasons.items()
    ]


def _report(load: LakeLoadRow, version: int | None) -> LoadReportPublic:
    data = report_of(load)
    return LoadReportPublic(
        load_id=load.id,
        resource_id=load.resource_id,
        status=load.status,
        version=version,
        mode=load.mode,
        strict=load.strict,
        created_at=load.created_at,
        actor_name=load.actor_name,
        source_name=load.source_name,
        source_format=load.source_format,
        source_encoding=load.source_encoding,
        source_bytes=load.source_bytes,
        rows_read=load.rows_read,
        rows_valid=load.rows_valid,
        rows_rejected=load.rows_rejected,
        rows_published=data.get("rows_published", 0),
        rows_replaced=data.get("rows_replaced", 0),
        absent_fields=data.get("absent_fields", []),
        problems=[ProblemTally(**t) for t in data.get("problems", [])],
        has_quarantine=load.has_quarantine,
        seconds=data.get("seconds", {}),
    )


def _register(
    ctx: ActionContext, facts: ResourceFacts, request: LoadRequest, staged: StagedLoad
) -> LoadReportPublic:
    session = ctx.session
    built = staged.built
    current = current_version(session, facts.resource_id, for_update=True)
    if request.mode is not LoadMode.REPLACE:
        now_base = current[1].id if current else None
        if now_base != request.base_version:
            raise Conflict("another load of this resource finished first; load the file again")
    published = built.data_file is not None
    report = {
        "rows_published": built.counts.rows_published,
        "rows_replaced": built.counts.rows_replaced,
        "absent_fields": list(built.source.header.absent),
        "problems": _tallies(facts, built.tallies),
        "seconds": {k: round(v, 3) for k, v in staged.timings.items()},
    }
    load = LakeLoadRow(
        id=staged.load_id,
        resource_id=facts.resource_id,
        created_at=ctx.now,
        actor_name=ctx.actor.name,
        actor_unit_id=ctx.actor.unit_id,
        source_name=request.source_name[:255],
        source_format=built.source.format.value,
        source_encoding=built.source.encoding,
        source_bytes=staged.source_bytes,
        source_sm3=staged.source_sm3,
        mode=request.mode.value,
        strict=request.strict,
        status=(LoadStatus.PUBLISHED if published else LoadStatus.REJECTED).value,
        rows_read=built.counts.rows_read,
        rows_valid=built.counts.rows_valid,
        rows_rejected=built.counts.rows_rejected,
        has_quarantine=built.quarantine_file is not None,
        report=canonical_json(report),
    )
    session.add(load)
    session.flush()
    number = None
    if published:
        number = next_version_number(session, facts.resource_id)
        assert built.data_file is not None
        session.add(
            LakeVersionRow(
                id=staged.load_id,
                resource_id=facts.resource_id,
                number=number,
                load_id=staged.load_id,
                base_version_id=request.base_version,
                created_at=ctx.now,
                mode=request.mode.value,
                row_count=built.counts.rows_published,
                data_file=built.data_file,
                data_bytes=staged.data_bytes,
                data_sm3=staged.data_sm3,
                items=items_to_json(request.items),
            )
        )
        try:
            session.flush()
        except sqlalchemy.exc.IntegrityError:
            raise Conflict(
                "another load of this resource was registered at the same moment; load again"
            ) from None
        _switch(
            ctx, facts, current[0] if current else None, staged.load_id, built.counts.rows_published
        )
    target_resource(ctx, facts.resource_id)
    ctx.detail(
        load_id=str(staged.load_id),
        status=load.status,
        version=number,
        mode=request.mode.value,
        source=request.source_name,
        source_sm3=staged.source_sm3,
        rows_read=built.counts.rows_read,
        rows_rejected=built.counts.rows_rejected,
        rows_published=built.counts.rows_published,
    )
    return _report(load, number)


def _switch(
    ctx: ActionContext,
    facts: ResourceFacts,
    current: LakeCurrentRow | None,
    version_id: uuid.UUID,
    rows: int,
) -> None:
    """Point readers at the version, and drop serving tables older than the previous one."""
    previous = current.version_id if current else None
    if current is None:
        current = LakeCurrentRow(resource_id=facts.resource_id)
        ctx.session.add(current)
    current.version_id = version_id
    current.switched_at = ctx.now
    current.switched_by = ctx.actor.name
    current.row_count = rows
    ctx.session.flush()
    keep = [version_id] + ([previous] if previous else [])
    others = [v.id for v, _ in versions_of(ctx.session, facts.resource_id)]
    lake_of(ctx).drop_serving_except(keep, others)


@action(event="lake:records:ingest")
def records_ingest(
    ctx: ActionContext,
    reference: str,
    source: Path,
    *,
    source_name: str | None = None,
    source_format: str | None = None,
    mode: LoadMode = LoadMode.REPLACE,
    strict: bool = False,
    progress: Progress | None = None,
) -> LoadReportPublic:
    """Load a file into a resource: valid rows become a new current version."""
    lake = lake_of(ctx)
    name = source_name or source.name
    with lake.read_metadata() as session:
        facts = resource_facts(ctx, session, reference)
        ctx.authorize(facts=facts)
        current = current_version(session, facts.resource_id)
        divisions = known_divisions(session)
    problems = []
    if not facts.items:
        problems.append(Problem("the resource has no data items to load against", field="items"))
    if mode.needs_key and not key_fields(facts.items):
        problems.append(
            Problem("upsert needs a key; this resource's data items declare none", field="mode")
        )
    if problems:
        raise invalid(problems, "this load cannot start")
    base = current[1] if current and mode is not LoadMode.REPLACE else None
    request = LoadRequest(
        resource_id=facts.resource_id,
        items=facts.items,
        source=source,
        source_name=name,
        source_format=source_format,
        mode=mode,
        strict=strict,
        base_version=current[1].id if current else None,
        base_file=lake.file_of(facts.resource_id, base.id, base.data_file) if base else None,
        base_rows=base.row_count if base else 0,
        divisions=divisions,
        today=ctx.now.date(),
    )
    staged = lake.stage(request, progress)
    try:
        again = resource_facts(ctx, ctx.session, reference)
        ctx.authorize(facts=again)
        if again.items != facts.items:
            raise Conflict("the resource's data items changed during the load; load again")
        return _register(ctx, facts, request, staged)
    except BaseException:
        lake.discard(facts.resource_id, staged.load_id)
        raise


def _version_public(version: LakeVersionRow, load: LakeLoadRow, *, current: bool) -> VersionPublic:
    return VersionPublic(
        number=version.number,
        version_id=version.id,
        created_at=version.created_at,
        mode=version.mode,
        row_count=version.row_count,
        current=current,
        source_name=load.source_name,
        actor_name=load.actor_name,
        rows_rejected=load.rows_rejected,
    )


@action(event=None, writes=False)
def version_list(ctx: ActionContext, reference: str) -> list[VersionPublic]:
    """Every version of a resource, newest first, with the current one marked."""
    facts = resource_facts(ctx, ctx.session, reference)
    ctx.authorize(facts=facts, grant=grant_of(ctx, ctx.session, facts))
    current = current_version(ctx.session, facts.resource_id)
    current_id = current[1].id if current else None
    return [
        _version_public(v, load, current=v.id == current_id)
        for v, load in versions_of(ctx.session, facts.resource_id)
    ]


@action(event="lake:version:rollback")
def version_rollback(ctx: ActionContext, reference: str, number: int) -> VersionPublic:
    """Make an older (or newer) version current again; its serving table is rebuilt if needed."""
    lake = lake_of(ctx)
    with lake.read_metadata() as session:
        facts = resource_facts(ctx, session, reference)
        ctx.authorize(facts=facts)
        target = version_by_number(session, facts.resource_id, number)
        if target is None:
            raise NotFound(f"resource {facts.code} has no version {number}")
        items = version_items(target, facts)
    if table_name(target.id) not in lake.serving.existing():
        lake.reserve(facts.resource_id, target, items)
    again = resource_facts(ctx, ctx.session, reference)
    ctx.authorize(facts=again)
    current = current_version(ctx.session, facts.resource_id, for_update=True)
    if current and current[1].id == target.id:
        raise Conflict(f"version {number} is already current")
    _switch(ctx, facts, current[0] if current else None, target.id, target.row_count)
    target_resource(ctx, facts.resource_id)
    ctx.detail(
        version=number,
        version_id=str(target.id),
        previous=current[1].number if current else None,
    )
    load = load_by_id(ctx.session, target.load_id)
    assert load is not None
    return _version_public(target, load, current=True)


def _load_for(
    ctx: ActionContext, reference: str, load_id: uuid.UUID
) -> tuple[ResourceFacts, LakeLoadRow]:
    facts = resource_facts(ctx, ctx.session, reference)
    ctx.authorize(facts=facts)
    load = load_by_id(ctx.session, load_id)
    if load is None or load.resource_id != facts.resource_id:
        raise NotFound(f"resource {facts.code} has no load {load_id}")
    return facts, load


@action(event=None, writes=False)
def load_report_show(ctx: ActionContext, reference: str, load_id: uuid.UUID) -> LoadReportPublic:
    """What a load found: counts, and rejected records by field and reason (no values)."""
    _facts, load = _load_for(ctx, reference, load_id)
    version = ctx.session.get(LakeVersionRow, load.id)
    return _report(load, version.number if version else None)


@action(event="lake:quarantine:download", writes=False)
def quarantine_download(ctx: ActionContext, reference: str, load_id: uuid.UUID) -> Path:
    """The quarantine file of a load (rejected rows with row, field and reason)."""
    facts, load = _load_for(ctx, reference, load_id)
    path = lake_of(ctx).file_of(facts.resource_id, load.id, QUARANTINE_FILE)
    if not load.has_quarantine or not path.is_file():
        raise NotFound("this load rejected no rows; there is no quarantine file")
    target_resource(ctx, facts.resource_id)
    ctx.detail(load_id=str(load.id), rows_rejected=load.rows_rejected)
    return path


@action(event="lake:storage:clean")
def lake_clean(ctx: ActionContext, *, min_age_seconds: float = 3600) -> dict[str, list[str]]:
    """Remove what killed loads left behind: staging folders and unregistered tables."""
    ctx.authorize()
    lake = lake_of(ctx)
    known = known_loads(ctx.session)
    removed = []
    for folder in leftover_dirs(lake.layout, known, older_than_seconds=min_age_seconds):
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder.relative_to(lake.layout.root)))
    keep = {table_name(v) for v in serving_versions(ctx.session)}
    registered = {table_name(v) for v in known}
    dropped = []
    building = {
        table_name(uuid.UUID(p.name)) for p in lake.layout.root.glob("resources/*/staging/*")
    }
    for name in sorted(lake.serving.existing()):
        # Tables of loads nobody registered or is still building are leftovers; tables of
        # registered, non-current versions are dropped by later switches.
        if name not in keep and name not in registered and name not in building:
            lake.serving.drop_named(name)
            dropped.append(name)
    ctx.detail(removed_dirs=len(removed), dropped_tables=len(dropped))
    return {"removed_dirs": removed, "dropped_tables": dropped}


@action(event="lake:serving:grant_reader")
def serving_reader_grant(ctx: ActionContext, role: str) -> str:
    """Give a PostgreSQL role read-only access to the serving tables (SQL queries)."""
    ctx.authorize()
    lake = lake_of(ctx)
    try:
        lake.serving.grant_reader(role)
    except ValueError as error:
        if lake.serving.is_sqlite:
            raise ConfigurationError(
                "the serving store is SQLite; read-only roles need a PostgreSQL serving store"
            ) from None
        raise invalid([Problem(str(error), field="role", value=role)]) from None
    ctx.target("role", role)
    return role
