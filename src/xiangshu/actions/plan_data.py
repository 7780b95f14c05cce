"""Use cases for observed values and evaluations."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select

from xiangshu.actions.context import ActionContext, AuditNote
from xiangshu.actions.plan import add_observation
from xiangshu.actions.plan_attachments import attachment_fields
from xiangshu.actions.registry import action
from xiangshu.domain.audit import canonical_json
from xiangshu.domain.documents import Document, document_problems
from xiangshu.domain.plan.drafts import ObservationDraft
from xiangshu.domain.plan.evaluation import evaluate_indicator
from xiangshu.domain.plan.forecast import ForecastRules
from xiangshu.domain.plan.status import STATUS_ORDER, StatusRules
from xiangshu.domain.plan.workbook import parse_observations
from xiangshu.errors import NotFound, Problem, invalid
from xiangshu.plan_files import observation_sheet
from xiangshu.schemas.plan import (
    EvaluationPublic,
    ObservationCreate,
    ObservationImportReport,
    ObservationPublic,
    ResultPublic,
)
from xiangshu.storage.models.plan import (
    EvaluationResultRow,
    EvaluationRow,
    IndicatorRow,
    ObservationRow,
    PlanRow,
)
from xiangshu.storage.plan import (
    current_observations,
    indicator_by_number,
    indicator_rows,
    observation_public,
    plan_by_code,
    point_of,
    responsible_units,
    spec_of,
)


def _draft_of(data: ObservationCreate) -> ObservationDraft:
    return ObservationDraft(
        indicator=data.indicator,
        period_end=data.period_end,
        value=data.value,
        status=data.status,
        qualifier=data.qualifier,
        source_kind=data.source_kind,
        source=data.source,
        source_url=data.source_url,
        note=data.note,
        synthetic=data.synthetic or data.source_kind == "synthetic",
        resource=data.resource,
        query=data.query,
    )


def _record(
    ctx: ActionContext,
    indicator: IndicatorRow,
    draft: ObservationDraft,
    reason: str = "",
    resource_id: uuid.UUID | None = None,
) -> tuple[ObservationRow | None, str]:
    """Add a value, or a new version of the period's value; "unchanged" if it is the same."""
    earlier = ctx.session.execute(
        select(ObservationRow).where(
            ObservationRow.indicator_id == indicator.id,
            ObservationRow.period_end == draft.period_end,
            ObservationRow.is_current.is_(True),
        )
    ).scalar_one_or_none()
    if earlier is None:
        return add_observation(ctx, indicator.id, draft, resource_id=resource_id), "recorded"
    if (
        earlier.value == draft.value
        and earlier.status == draft.status.value
        and earlier.source == draft.source
    ):
        return None, "unchanged"
    earlier.is_current = False
    ctx.session.flush()
    row = add_observation(
        ctx, indicator.id, draft, version=earlier.version + 1, resource_id=resource_id
    )
    row.reason = reason or f"revised from {earlier.value:g} ({earlier.status})"
    return row, "revised"


@action(event="plan:observation:record")
def observation_record(
    ctx: ActionContext, code: str, data: ObservationCreate, attachment: Document | None = None
) -> ObservationPublic:
    """Record one value (a second value for the same period is kept as a revision), with
    the unit's document behind it when one is attached."""
    plan = plan_by_code(ctx.session, code)
    indicator = indicator_by_number(ctx.session, plan, data.indicator)
    units = responsible_units(
        ctx.session, plan.id, [t for t in indicator.related_tasks.split(";") if t]
    )
    facts = ctx.services.resources.facts(ctx.session, data.resource) if data.resource else None
    ctx.authorize(responsible_unit_ids=[u for u, _ in units if u is not None], resource=facts)
    problems = document_problems(attachment) if attachment else []
    named = data.attachment_name or data.source or attachment
    if data.source_kind == "unit_report" and not named:
        problems.append(
            Problem("a unit's report names its document or attaches it", field="source")
        )
    if data.source_kind == "catalog_query" and not (data.resource and data.query):
        problems.append(
            Problem(
                "name the catalog resource and the query the value comes from", field="resource"
            )
        )
    if data.resource and facts is None:
        problems.append(
            Problem(f"no catalog resource {data.resource}", field="resource", value=data.resource)
        )
    if not plan.baseline_year - 1 <= data.period_end.year <= plan.period_end + 10:
        problems.append(
            Problem(f"{data.period_end} is far outside the plan period", field="period_end")
        )
    if problems:
        raise invalid(problems, f"the value for indicator {data.indicator} was not recorded")
    row, outcome = _record(
        ctx, indicator, _draft_of(data), data.reason, facts.resource_id if facts else None
    )
    if row is None:
        raise invalid([Problem("the same value is already recorded", field="value")])
    row.attachment_name, row.attachment_sha256 = attachment_fields(
        ctx, attachment, data.attachment_name, data.attachment_sha256
    )
    ctx.session.flush()
    ctx.target("indicator", indicator.id)
    ctx.detail(
        plan=code,
        indicator=indicator.number,
        period_end=str(data.period_end),
        value=data.value,
        outcome=outcome,
        synthetic=row.synthetic,
    )
    return observation_public(row, indicator.number)


@action(event="plan:observation:import")
def observation_import(
    ctx: ActionContext, code: str, rows: Sequence[ObservationDraft], *, source: str
) -> ObservationImportReport:
    """Record many values from a file: all, or none if any names an unknown indicator."""
    ctx.authorize()
    return import_rows(ctx, code, rows, source)


@action(event="plan:observation:import")
def observation_upload(
    ctx: ActionContext, code: str, data: bytes, filename: str
) -> ObservationImportReport:
    """Record values from an uploaded CSV or workbook (read once the policy has agreed)."""
    ctx.authorize()
    rows = parse_observations(observation_sheet(data, filename))
    return import_rows(ctx, code, rows, filename)


def import_rows(
    ctx: ActionContext, code: str, rows: Sequence[ObservationDraft], source: str
) -> ObservationImportReport:
    plan = plan_by_code(ctx.session, code)
    indicators = {r.number: r for r in indicator_rows(ctx.session, plan.id)}
    problems = [
        Problem(
            f"no indicator numbered {d.indicator} in plan {code}",
            file=source,
            row=d.row or None,
            field="indicator",
            value=d.indicator,
        )
        for d in rows
        if d.indicator not in indicators
    ]
    resources: dict[str, uuid.UUID] = {}
    for d in rows:
        if d.resource and d.resource not in resources:
            facts = ctx.services.resources.facts(ctx.session, d.resource)
            if facts is None:
                problems.append(
                    Problem(
                        f"no catalog resource {d.resource}",
                        file=source,
                        row=d.row or None,
                        field="resource",
                        value=d.resource,
                    )
                )
            else:
                resources[d.resource] = facts.resource_id
    if problems:
        raise invalid(problems, f"{source}: no values were recorded")
    counts: Counter[str] = Counter()
    for draft in rows:
        row, outcome = _record(
            ctx,
            indicators[draft.indicator],
            draft,
            f"imported from {source}",
            resources.get(draft.resource),
        )
        counts[outcome] += 1
        if row is not None:
            ctx.session.flush()
            ctx.also_record(
                AuditNote(
                    event="plan:observation:record",
                    target_kind="indicator",
                    target_id=str(row.indicator_id),
                    details={
                        "indicator": draft.indicator,
                        "period_end": str(draft.period_end),
                        "value": draft.value,
                        "outcome": outcome,
                        "synthetic": draft.synthetic,
                        "source": source,
                    },
                )
            )
    ctx.target("plan", plan.id)
    ctx.detail(source=source, **counts)
    return ObservationImportReport(
        recorded=counts["recorded"], revised=counts["revised"], unchanged=counts["unchanged"]
    )


@action(event="plan:observation:read", writes=False)
def observation_list(
    ctx: ActionContext, code: str, number: str | None = None, *, history: bool = False
) -> list[ObservationPublic]:
    """Observed values (the current version of each, or every version with ``history``)."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    rows = indicator_rows(ctx.session, plan.id)
    if number is not None:
        rows = [indicator_by_number(ctx.session, plan, number)]
    numbers = {r.id: r.number for r in rows}
    query = select(ObservationRow).where(ObservationRow.indicator_id.in_(list(numbers)))
    if not history:
        query = query.where(ObservationRow.is_current.is_(True))
    found = ctx.session.execute(
        query.order_by(ObservationRow.period_end, ObservationRow.version)
    ).scalars()
    result = [observation_public(o, numbers[o.indicator_id]) for o in found]
    ctx.target("plan", plan.id)
    ctx.detail(indicator=number, history=history, rows=len(result))
    return result


def rules_of(ctx: ActionContext) -> tuple[StatusRules, ForecastRules]:
    s = ctx.settings
    return (
        StatusRules(ahead_margin=s.plan_ahead_margin, tolerance=s.plan_on_track_tolerance),
        ForecastRules(damped_min_points=s.plan_damped_min_points),
    )


@action(event="plan:evaluation:run")
def plan_evaluate(ctx: ActionContext, code: str, year: int) -> EvaluationPublic:
    """Evaluate every indicator at the end of ``year`` and keep every component."""
    ctx.authorize()
    plan = plan_by_code(ctx.session, code)
    if not plan.baseline_year <= year <= plan.period_end + 10:
        raise invalid([Problem(f"{year} is outside the plan's years", field="year")])
    status_rules, forecast_rules = rules_of(ctx)
    rows = indicator_rows(ctx.session, plan.id)
    observed = current_observations(ctx.session, [r.id for r in rows])
    run = EvaluationRow(
        plan_id=plan.id,
        as_of_year=year,
        run_at=ctx.now,
        run_by=ctx.actor.name,
        rules=canonical_json(
            {
                "ahead_margin": status_rules.ahead_margin,
                "tolerance": status_rules.tolerance,
                "damped_min_points": forecast_rules.damped_min_points,
            }
        ),
        summary="{}",
    )
    ctx.session.add(run)
    ctx.session.flush()
    counts: Counter[str] = Counter()
    for row in rows:
        points = [point_of(o) for o in observed.get(row.id, [])]
        result = evaluate_indicator(spec_of(row), points, year, status_rules, forecast_rules)
        counts[result.verdict.status.value] += 1
        ctx.session.add(
            EvaluationResultRow(
                evaluation_id=run.id,
                indicator_id=row.id,
                status=result.verdict.status.value,
                reason=result.verdict.reason,
                detail=canonical_json(result.detail()),
            )
        )
    run.summary = canonical_json({s.value: counts[s.value] for s in STATUS_ORDER})
    ctx.session.flush()
    ctx.target("plan", plan.id)
    ctx.detail(year=year, summary=dict(counts))
    return _public(ctx, plan, run)


def _public(ctx: ActionContext, plan: PlanRow, run: EvaluationRow) -> EvaluationPublic:
    indicators = {r.id: r for r in indicator_rows(ctx.session, plan.id)}
    results = ctx.session.execute(
        select(EvaluationResultRow).where(EvaluationResultRow.evaluation_id == run.id)
    ).scalars()
    listed = [
        ResultPublic(
            indicator_id=r.indicator_id,
            number=indicators[r.indicator_id].number,
            name=indicators[r.indicator_id].name,
            unit=indicators[r.indicator_id].unit,
            status=r.status,
            reason=r.reason,
            detail=json.loads(r.detail),
        )
        for r in results
    ]
    listed.sort(key=lambda r: indicators[r.indicator_id].position)
    return EvaluationPublic(
        id=run.id,
        plan_code=plan.code,
        as_of_year=run.as_of_year,
        run_at=run.run_at,
        run_by=run.run_by,
        rules=json.loads(run.rules),
        summary=json.loads(run.summary),
        results=listed,
    )


@action(event="plan:evaluation:read", writes=False)
def evaluation_show(
    ctx: ActionContext, code: str, year: int | None = None, evaluation_id: uuid.UUID | None = None
) -> EvaluationPublic:
    """The latest evaluation (of ``year``, if given)."""
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    query = select(EvaluationRow).where(EvaluationRow.plan_id == plan.id)
    if year is not None:
        query = query.where(EvaluationRow.as_of_year == year)
    if evaluation_id is not None:
        query = query.where(EvaluationRow.id == evaluation_id)
    run = ctx.session.execute(
        query.order_by(EvaluationRow.run_at.desc(), EvaluationRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    if run is None:
        raise NotFound(f"plan {code} has no evaluation{f' of {year}' if year else ''} yet")
    ctx.target("evaluation", run.id)
    ctx.detail(plan=code, year=run.as_of_year)
    return _public(ctx, plan, run)


@action(event="plan:forecast:read", writes=False)
def plan_forecast(
    ctx: ActionContext, code: str, *, year: int | None = None, number: str | None = None
) -> list[ResultPublic]:
    """Forecasts of every indicator with the status beside them, computed and not stored.

    On the values known by the end of ``year`` (default: the latest year observed).
    """
    ctx.authorize(public=ctx.settings.plan_public)
    plan = plan_by_code(ctx.session, code)
    rows = indicator_rows(ctx.session, plan.id)
    if number is not None:
        rows = [indicator_by_number(ctx.session, plan, number)]
    observed = current_observations(ctx.session, [r.id for r in rows])
    latest = max((o.period_end.year for obs in observed.values() for o in obs), default=None)
    as_of = year or latest or plan.baseline_year
    status_rules, forecast_rules = rules_of(ctx)
    found = []
    for row in rows:
        points = [point_of(o) for o in observed.get(row.id, [])]
        result = evaluate_indicator(spec_of(row), points, as_of, status_rules, forecast_rules)
        found.append(
            ResultPublic(
                indicator_id=row.id,
                number=row.number,
                name=row.name,
                unit=row.unit,
                status=result.verdict.status.value,
                reason=result.verdict.reason,
                detail=result.detail(),
            )
        )
    ctx.target("plan", plan.id)
    ctx.detail(year=as_of, indicator=number)
    return found
