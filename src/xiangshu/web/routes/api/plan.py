"""/api/v1/plans: plans, indicators, values, evaluations, forecasts, tasks, reports."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, ValidationError

from xiangshu.actions.plan import (
    indicator_list,
    indicator_show,
    plan_check,
    plan_import,
    plan_list,
    plan_show,
)
from xiangshu.actions.plan_attachments import AttachedTo, plan_attachment_download
from xiangshu.actions.plan_data import (
    evaluation_show,
    observation_list,
    observation_record,
    observation_upload,
    plan_evaluate,
    plan_forecast,
)
from xiangshu.actions.plan_progress import (
    accountability_list,
    milestone_complete,
    milestone_create,
    progress_reminders_send,
    progress_report_list,
    progress_report_submit,
    task_list,
)
from xiangshu.errors import NotFound
from xiangshu.plan_files import write_template
from xiangshu.plan_report.build import build_report, build_view
from xiangshu.plan_report.exports import indicator_csv, indicator_json
from xiangshu.plan_report.report import render_report
from xiangshu.schemas.plan import (
    AccountabilityItem,
    EvaluationPublic,
    FindingPublic,
    IndicatorPublic,
    LoadReport,
    MilestoneCreate,
    MilestonePublic,
    ObservationCreate,
    ObservationImportReport,
    ObservationPublic,
    PlanPublic,
    PlanSummary,
    ProgressReportCreate,
    ProgressReportPublic,
    ReminderPublic,
    ResultPublic,
    TaskPublic,
)
from xiangshu.web.deps import ActorDep, NodeDep
from xiangshu.web.uploads import required_document

router = APIRouter(prefix="/plans", tags=["plans"])
Schema = TypeVar("Schema", bound=BaseModel)


def _parsed(schema: type[Schema], text: str) -> Schema:
    """A multipart form's JSON part, refused like a JSON body would be (422)."""
    try:
        return schema.model_validate_json(text)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", "data", *e["loc"])} for e in error.errors()]
        ) from None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA = {"html": "text/html; charset=utf-8", "docx": DOCX, "pdf": "application/pdf"}


@router.get("", response_model=list[PlanSummary])
def list_plans(node: NodeDep, actor: ActorDep) -> list[PlanSummary]:
    """Plans loaded on this node."""
    return node.dispatcher.run(plan_list, actor)


@router.post("", response_model=LoadReport, status_code=201)
async def load_plan(
    node: NodeDep, actor: ActorDep, file: Annotated[UploadFile, File()]
) -> LoadReport:
    """Load a plan from a workbook in the plan template (plan officers): every wrong cell
    is named, and nothing is loaded unless all are right."""
    data = await file.read()
    return node.dispatcher.run(plan_import, actor, data, file.filename or "plan.xlsx")


@router.get("/template.xlsx")
def template() -> Response:
    """The plan spreadsheet template (documented in docs/plan.md)."""
    out = io.BytesIO()
    write_template(out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="plan-template.xlsx"'},
    )


@router.get("/{code}", response_model=PlanPublic)
def get_plan(node: NodeDep, actor: ActorDep, code: str) -> PlanPublic:
    return node.dispatcher.run(plan_show, actor, code)


@router.get("/{code}/check", response_model=list[FindingPublic])
def check_plan(node: NodeDep, actor: ActorDep, code: str) -> list[FindingPublic]:
    """What in the indicator table disagrees with itself (stated growth, [Δ], units …)."""
    return node.dispatcher.run(plan_check, actor, code)


@router.get("/{code}/indicators", response_model=list[IndicatorPublic])
def list_indicators(node: NodeDep, actor: ActorDep, code: str) -> list[IndicatorPublic]:
    return node.dispatcher.run(indicator_list, actor, code)


@router.get("/{code}/indicators/{number}", response_model=IndicatorPublic)
def get_indicator(node: NodeDep, actor: ActorDep, code: str, number: str) -> IndicatorPublic:
    return node.dispatcher.run(indicator_show, actor, code, number)


@router.get("/{code}/indicators/{number}/data", response_model=None)
def indicator_data(
    node: NodeDep,
    actor: ActorDep,
    code: str,
    number: str,
    format: Annotated[str, Query(pattern="^(csv|json)$")] = "csv",
) -> Any:
    """One indicator in Open SDG's layout: CSV (Year, Series, Synthetic, Units, Value …)
    or JSON (column-wise data, metadata and the latest verdict)."""
    view = next(
        (v for v in build_view(node, actor, code).indicators if v.indicator.number == number),
        None,
    )
    if view is None:
        raise NotFound(f"no indicator {number} in plan {code}")
    if format == "json":
        return indicator_json(view)
    return Response(
        indicator_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{code}-{number}.csv"'},
    )


@router.get("/{code}/observations", response_model=list[ObservationPublic])
def list_observations(
    node: NodeDep, actor: ActorDep, code: str, indicator: str | None = None, history: bool = False
) -> list[ObservationPublic]:
    """Observed values with source, status and the synthetic flag (every version with
    ``history``)."""
    return node.dispatcher.run(observation_list, actor, code, indicator, history=history)


@router.post("/{code}/observations", response_model=ObservationPublic, status_code=201)
def record_observation(
    node: NodeDep, actor: ActorDep, code: str, data: ObservationCreate
) -> ObservationPublic:
    """Record a value (plan officers, or a user of a unit responsible for the indicator)."""
    return node.dispatcher.run(observation_record, actor, code, data)


@router.post(
    "/{code}/observations/with-document", response_model=ObservationPublic, status_code=201
)
def record_observation_with_document(
    node: NodeDep,
    actor: ActorDep,
    code: str,
    data: Annotated[str, Form(description="the value, as the JSON body of POST …/observations")],
    file: Annotated[UploadFile, File(description="the unit's document: PDF, OFD, Word, WPS …")],
) -> ObservationPublic:
    """Record a value together with the document it comes from (multipart)."""
    value = _parsed(ObservationCreate, data)
    return node.dispatcher.run(observation_record, actor, code, value, required_document(file))


@router.post("/{code}/observations/import", response_model=ObservationImportReport)
async def import_observations(
    node: NodeDep, actor: ActorDep, code: str, file: Annotated[UploadFile, File()]
) -> ObservationImportReport:
    """Record values from a CSV or a workbook's observations sheet: all or none."""
    data = await file.read()
    return node.dispatcher.run(observation_upload, actor, code, data, file.filename or "values.csv")


@router.post("/{code}/evaluations", response_model=EvaluationPublic, status_code=201)
def run_evaluation(node: NodeDep, actor: ActorDep, code: str, year: int) -> EvaluationPublic:
    """Evaluate every indicator at the end of ``year``; every component is stored."""
    return node.dispatcher.run(plan_evaluate, actor, code, year)


@router.get("/{code}/evaluations/latest", response_model=EvaluationPublic)
def latest_evaluation(
    node: NodeDep, actor: ActorDep, code: str, year: int | None = None
) -> EvaluationPublic:
    return node.dispatcher.run(evaluation_show, actor, code, year)


@router.get("/{code}/forecasts", response_model=list[ResultPublic])
def forecasts(
    node: NodeDep, actor: ActorDep, code: str, year: int | None = None, indicator: str | None = None
) -> list[ResultPublic]:
    """Forecasts to the target year by every method, with intervals and P(target met)."""
    return node.dispatcher.run(plan_forecast, actor, code, year=year, number=indicator)


@router.get("/{code}/report")
def report(
    node: NodeDep,
    actor: ActorDep,
    code: str,
    year: int | None = None,
    format: Annotated[str, Query(pattern="^(html|docx|pdf)$")] = "html",
) -> Response:
    """The evaluation report in Chinese (PDF only where the machine can print it)."""
    data = build_report(node, actor, code, year)
    disposition = "inline" if format == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{code}-{data.year}.{format}"'}
    if format == "html":
        # The report is one self-contained file (styles inline, charts as inline SVG) so that
        # it can be saved and mailed; it loads nothing and runs no script.
        headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
    return Response(render_report(data, format), media_type=MEDIA[format], headers=headers)


@router.get("/{code}/tasks", response_model=list[TaskPublic])
def list_tasks(node: NodeDep, actor: ActorDep, code: str) -> list[TaskPublic]:
    """The division of labour with responsible units, progress and milestones."""
    return node.dispatcher.run(task_list, actor, code)


@router.post("/{code}/milestones", response_model=MilestonePublic, status_code=201)
def add_milestone(
    node: NodeDep, actor: ActorDep, code: str, data: MilestoneCreate
) -> MilestonePublic:
    """Add a milestone or an annual work-plan item to a task (plan officers)."""
    return node.dispatcher.run(milestone_create, actor, code, data)


@router.post("/{code}/milestones/{milestone_id}/complete", response_model=MilestonePublic)
def complete_milestone(
    node: NodeDep, actor: ActorDep, code: str, milestone_id: uuid.UUID, done_on: date | None = None
) -> MilestonePublic:
    return node.dispatcher.run(milestone_complete, actor, milestone_id, done_on)


@router.post("/{code}/progress-reports", response_model=ProgressReportPublic, status_code=201)
def submit_progress_report(
    node: NodeDep, actor: ActorDep, code: str, data: ProgressReportCreate
) -> ProgressReportPublic:
    """A responsible unit reports on its task for a period."""
    return node.dispatcher.run(progress_report_submit, actor, code, data)


@router.post(
    "/{code}/progress-reports/with-document",
    response_model=ProgressReportPublic,
    status_code=201,
)
def submit_progress_report_with_document(
    node: NodeDep,
    actor: ActorDep,
    code: str,
    data: Annotated[
        str, Form(description="the report, as the JSON body of POST …/progress-reports")
    ],
    file: Annotated[UploadFile, File(description="the report's document: PDF, OFD, Word, WPS …")],
) -> ProgressReportPublic:
    """Submit a progress report together with its document (multipart)."""
    report = _parsed(ProgressReportCreate, data)
    return node.dispatcher.run(progress_report_submit, actor, code, report, required_document(file))


@router.get("/{code}/attachments/{kind}/{item_id}")
def download_plan_attachment(
    node: NodeDep, actor: ActorDep, code: str, kind: AttachedTo, item_id: uuid.UUID
) -> FileResponse:
    """The document behind a value (``observation``) or a progress report (government users)."""
    held = node.dispatcher.run(plan_attachment_download, actor, code, kind, item_id)
    return FileResponse(held.path, media_type=held.media_type, filename=held.name)


@router.get("/{code}/progress-reports", response_model=list[ProgressReportPublic])
def list_progress_reports(
    node: NodeDep, actor: ActorDep, code: str, unit_id: uuid.UUID | None = None
) -> list[ProgressReportPublic]:
    return node.dispatcher.run(progress_report_list, actor, code, unit_id=unit_id)


@router.post("/{code}/reminders", response_model=list[ReminderPublic])
def send_reminders(
    node: NodeDep, actor: ActorDep, code: str, today: date | None = None
) -> list[ReminderPublic]:
    """Remind units of reports due soon or overdue (each once)."""
    return node.dispatcher.run(progress_reminders_send, actor, code, today)


@router.get("/{code}/accountability", response_model=list[AccountabilityItem])
def accountability(
    node: NodeDep, actor: ActorDep, code: str, today: date | None = None
) -> list[AccountabilityItem]:
    """Overdue reports and milestones and lagging indicators, with who answers for each."""
    return node.dispatcher.run(accountability_list, actor, code, today)
