"""``xiangshu plan …``: load, check, evaluate, forecast and report on a plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.table import Table

from xiangshu.actions.org import unit_show
from xiangshu.actions.plan import plan_check, plan_list, plan_load
from xiangshu.actions.plan_data import (
    observation_import,
    observation_list,
    plan_evaluate,
    plan_forecast,
)
from xiangshu.actions.plan_progress import (
    accountability_list,
    milestone_create,
    progress_reminders_send,
    progress_report_submit,
    task_list,
)
from xiangshu.cli.state import CliState
from xiangshu.domain.plan.consistency import check_indicator
from xiangshu.domain.plan.drafts import PlanDraft
from xiangshu.domain.plan.status import STATUS_ORDER, Status
from xiangshu.domain.plan.workbook import parse_observations
from xiangshu.domain.roles import SYSTEM
from xiangshu.errors import Problem, invalid
from xiangshu.plan_files import (
    SHIPPED_PLANS,
    observation_sheet,
    read_plan,
    shipped_plan,
    write_template,
)
from xiangshu.plan_report.build import build_report, build_view
from xiangshu.plan_report.exports import indicator_csv, indicator_json
from xiangshu.plan_report.report import FORMATS, render_report
from xiangshu.plan_report.views import unit_names
from xiangshu.schemas.plan import FindingPublic, MilestoneCreate, ProgressReportCreate

app = typer.Typer(no_args_is_help=True)
DEFAULT_PLAN = "hn-13-informatization"
PlanCode = Annotated[str, typer.Option("--plan", help="The plan's code.")]


def _draft(source: str) -> PlanDraft:
    if source in SHIPPED_PLANS:
        return shipped_plan(source)
    path = Path(source)
    if not path.exists():
        raise invalid(
            [Problem(f"no file {source}, nor a shipped plan ({', '.join(SHIPPED_PLANS)})")]
        )
    return read_plan(path)


def _findings(state: CliState, findings: list[FindingPublic]) -> None:
    if not findings:
        state.console.print("[green]The indicator table agrees with itself.[/]")
        return
    table = Table("indicator", "check", "severity", "finding")
    for f in findings:
        colour = "yellow" if f.severity == "warning" else "dim"
        table.add_row(f.number, f.check, f"[{colour}]{f.severity}[/]", f.message)
    state.console.print(table)


@app.command("load")
def load(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="A shipped plan (hunan-13th-informatization, hunan-12th-informatization), "
            "an XLSX workbook in the plan template, or a folder of its CSV sheets."
        ),
    ] = "hunan-13th-informatization",
) -> None:
    """Load a plan: all of it, or nothing if any cell is wrong. Disagreements in its
    indicator table are reported, not refused."""
    state: CliState = ctx.obj
    report = state.node().dispatcher.run(plan_load, SYSTEM, _draft(source))
    state.console.print(
        f"Loaded [bold]{report.plan.title}[/] ({report.plan.code}): {report.indicators} "
        f"indicators, {report.projects} projects, {report.tasks} tasks, "
        f"{report.milestones} milestones, {report.observations} values."
    )
    if report.unlinked_mentions:
        state.console.print("Kept as written: " + "、".join(report.unlinked_mentions))
    _findings(state, report.findings)


@app.command("check")
def check(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Argument(help="A workbook, folder or shipped plan to check unloaded.")
    ] = None,
    plan: PlanCode = DEFAULT_PLAN,
) -> None:
    """Check a plan's indicator table: stated growth and [Δ] against baseline and target,
    missing baselines, units, direction."""
    state: CliState = ctx.obj
    if source is None:
        _findings(state, state.node().dispatcher.run(plan_check, SYSTEM, plan))
        return
    draft = _draft(source)
    tolerance = state.settings().plan_growth_tolerance_pp
    _findings(
        state,
        [
            FindingPublic.of(f)
            for d in draft.indicators
            for f in check_indicator(d.spec, growth_tolerance=tolerance)
        ],
    )


@app.command("list")
def list_plans(ctx: typer.Context) -> None:
    """The plans loaded on this node."""
    state: CliState = ctx.obj
    table = Table("code", "title", "document", "period", "indicators", "tasks")
    for p in state.node().dispatcher.run(plan_list, SYSTEM):
        table.add_row(
            p.code,
            p.title,
            p.doc_number,
            f"{p.period_start}–{p.period_end}",
            str(p.indicator_count),
            str(p.task_count),
        )
    state.console.print(table)


@app.command("template")
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="Where to write the XLSX template.")],
) -> None:
    """Write the plan spreadsheet template (sheets plan, indicators, projects, tasks,
    milestones, observations; see docs/plan.md)."""
    state: CliState = ctx.obj
    write_template(output)
    state.console.print(f"Wrote {output}")


@app.command("import-values")
def import_values(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX.")],
    plan: PlanCode = DEFAULT_PLAN,
) -> None:
    """Record observed values from a CSV file or a workbook's observations sheet: all or
    none. A second value for the same period is kept as a revision."""
    state: CliState = ctx.obj
    sheet = observation_sheet(file.read_bytes(), file.name)
    rows = list(parse_observations(sheet))
    report = state.node().dispatcher.run(observation_import, SYSTEM, plan, rows, source=file.name)
    state.console.print(
        f"Recorded {report.recorded}, revised {report.revised}, unchanged {report.unchanged}."
    )


@app.command("values")
def values(
    ctx: typer.Context,
    plan: PlanCode = DEFAULT_PLAN,
    indicator: Annotated[str | None, typer.Option(help="One indicator's number.")] = None,
    history: Annotated[bool, typer.Option(help="Every version, not just the current.")] = False,
) -> None:
    """Observed values with their sources; synthetic values are marked."""
    state: CliState = ctx.obj
    rows = state.node().dispatcher.run(observation_list, SYSTEM, plan, indicator, history=history)
    table = Table("indicator", "period end", "value", "v", "status", "source", "synthetic")
    for o in rows:
        table.add_row(
            o.indicator_number,
            str(o.period_end),
            f"{o.value:g}",
            str(o.version) + ("" if o.is_current else " (old)"),
            o.status,
            (o.source_url or o.source)[:60],
            "[yellow]SYNTHETIC[/]" if o.synthetic else "",
        )
    state.console.print(table)


@app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="Evaluate at the end of this year.")],
    plan: PlanCode = DEFAULT_PLAN,
) -> None:
    """Evaluate every indicator at a year and store every component of every verdict."""
    state: CliState = ctx.obj
    result = state.node().dispatcher.run(plan_evaluate, SYSTEM, plan, year)
    table = Table(
        "no.", "indicator", "status", "p", "τ", "done", "growth", "SDG", "ESCAP", "synthetic"
    )
    for r in result.results:
        c = r.detail["components"]
        final = r.detail.get("final") or {}
        growth = ""
        if final.get("realised_growth") is not None:
            growth = f"{_pct(final['realised_growth'])} / {_pct(final.get('planned_growth'))}"
        table.add_row(
            r.number,
            r.name,
            Status(r.status).label_zh,
            _pct(c.get("progress")),
            _pct(c.get("tau")),
            _pct(final.get("completion_ratio")),
            growth,
            r.detail["sdg"]["category"],
            r.detail["escap"]["category"],
            "[yellow]yes[/]" if c.get("synthetic_points") else "",
        )
    state.console.print(table)
    counts = ", ".join(
        f"{s.label_zh} {result.summary[s.value]}"
        for s in STATUS_ORDER
        if result.summary.get(s.value)
    )
    state.console.print(f"{result.plan_code} at the end of {year}: {counts}")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


@app.command("forecast")
def forecast(
    ctx: typer.Context,
    plan: PlanCode = DEFAULT_PLAN,
    year: Annotated[int | None, typer.Option(help="Use values known by this year.")] = None,
    indicator: Annotated[str | None, typer.Option(help="One indicator's number.")] = None,
) -> None:
    """Forecast each indicator to its target year: every method, their median and spread,
    the 80% and 95% intervals and the probability of meeting the target."""
    state: CliState = ctx.obj
    results = state.node().dispatcher.run(plan_forecast, SYSTEM, plan, year=year, number=indicator)
    table = Table("no.", "indicator", "method", "forecast", "80%", "95%", "P(met)")
    for r in results:
        f = r.detail["forecast"]
        if not f["methods"]:
            table.add_row(r.number, r.name, f["reason"], "", "", "", "")
            continue
        for m in f["methods"]:
            bands = {round(i["level"], 2): i for i in m["intervals"]}
            table.add_row(
                r.number,
                r.name,
                m["method"],
                _num(m["point"]),
                _band(bands.get(0.8)),
                _band(bands.get(0.95)),
                _pct(m["p_meet"]),
            )
        table.add_row(
            r.number, r.name, "[bold]median[/]", _num(f["median"]),
            f"spread {_num(f['spread'])}", "", f"[bold]{_pct(f['p_meet'])}[/]",
        )  # fmt: skip
    state.console.print(table)


def _band(interval: dict[str, float] | None) -> str:
    if interval is None:
        return ""
    return f"{_num(interval['lower'])} – {_num(interval['upper'])}"


@app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    plan: PlanCode = DEFAULT_PLAN,
    year: Annotated[
        int | None, typer.Option(help="The evaluation's year (latest if empty).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=", ".join(FORMATS))] = "html",
) -> None:
    """Write the evaluation report in Chinese (HTML, DOCX, or PDF where the machine can)."""
    state: CliState = ctx.obj
    if fmt not in FORMATS:
        raise invalid([Problem(f"format is one of {', '.join(FORMATS)}", field="format")])
    data = build_report(state.node(), SYSTEM, plan, year)
    output.write_bytes(render_report(data, fmt))
    state.console.print(f"Wrote {output} ({data.title})")


@app.command("export")
def export(
    ctx: typer.Context,
    indicator: Annotated[str, typer.Argument(help="The indicator's number.")],
    plan: PlanCode = DEFAULT_PLAN,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """One indicator's data in Open SDG's layout (synthetic values in their own series)."""
    state: CliState = ctx.obj
    view = build_view(state.node(), SYSTEM, plan)
    found = next((v for v in view.indicators if v.indicator.number == indicator), None)
    if found is None:
        raise invalid([Problem(f"no indicator {indicator} in plan {plan}")])
    if fmt == "json":
        typer.echo(orjson.dumps(indicator_json(found), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(indicator_csv(found), nl=False)


@app.command("tasks")
def tasks(ctx: typer.Context, plan: PlanCode = DEFAULT_PLAN) -> None:
    """The division of labour: tasks, responsible units and latest progress."""
    state: CliState = ctx.obj
    table = Table("task", "title", "lead", "supporting", "progress")
    for t in state.node().dispatcher.run(task_list, SYSTEM, plan):
        progress = f"{t.latest_progress:g}% ({t.latest_period})" if t.latest_period else ""
        table.add_row(
            t.number,
            t.title,
            unit_names(t, support=False),
            unit_names(t, support=True)[:60],
            progress,
        )
    state.console.print(table)


@app.command("report-progress")
def report_progress(
    ctx: typer.Context,
    task: Annotated[str, typer.Option(help="Task number, e.g. 8.1.")],
    period: Annotated[str, typer.Option(help="2026Q3, 2026H2 or 2026.")],
    progress: Annotated[float, typer.Option(help="Per cent of the task done.")],
    narrative: Annotated[str, typer.Option(help="What was done.")],
    unit: Annotated[str, typer.Option(help="The reporting unit (short name).")],
    plan: PlanCode = DEFAULT_PLAN,
) -> None:
    """Record a responsible unit's progress report on its task."""
    state: CliState = ctx.obj
    run = state.node().dispatcher.run
    unit_id = run(unit_show, SYSTEM, unit).id
    saved = run(
        progress_report_submit,
        SYSTEM,
        plan,
        ProgressReportCreate(
            task=task, period=period, progress=progress, narrative=narrative, unit_id=unit_id
        ),
    )
    state.console.print(f"Recorded {saved.unit_name}'s report on {saved.task_number} for {period}.")


@app.command("work-item")
def work_item(
    ctx: typer.Context,
    task: Annotated[str, typer.Option(help="Task number.")],
    year: Annotated[int, typer.Option(help="Year of the annual work plan.")],
    title: Annotated[str, typer.Option(help="What is to be done.")],
    due: Annotated[str | None, typer.Option(help="Deadline, YYYY-MM-DD.")] = None,
    milestone: Annotated[bool, typer.Option(help="A milestone rather than a work item.")] = False,
    plan: PlanCode = DEFAULT_PLAN,
) -> None:
    """Add an item of an annual work plan (年度工作计划) or a milestone to a task."""
    state: CliState = ctx.obj
    item = state.node().dispatcher.run(
        milestone_create,
        SYSTEM,
        plan,
        MilestoneCreate(
            task=task,
            year=year,
            title=title,
            due_date=date.fromisoformat(due) if due else None,
            kind="milestone" if milestone else "work_item",
        ),
    )
    state.console.print(f"Added to task {item.task_number}: {item.title} (due {item.due_date}).")


@app.command("remind")
def remind(
    ctx: typer.Context,
    plan: PlanCode = DEFAULT_PLAN,
    today: Annotated[str | None, typer.Option(help="Pretend today is YYYY-MM-DD.")] = None,
) -> None:
    """Remind units of progress reports due soon or overdue (once each)."""
    state: CliState = ctx.obj
    sent = state.node().dispatcher.run(
        progress_reminders_send, SYSTEM, plan, date.fromisoformat(today) if today else None
    )
    for r in sent[:50]:
        state.console.print(
            f"{r.kind:9} {r.unit_name} — task {r.task_number}, {r.period}, due {r.due_date}"
        )
    state.console.print(f"{len(sent)} reminder(s) sent.")


@app.command("accountability")
def accountability(
    ctx: typer.Context,
    plan: PlanCode = DEFAULT_PLAN,
    today: Annotated[str | None, typer.Option(help="Pretend today is YYYY-MM-DD.")] = None,
) -> None:
    """Overdue reports and milestones, lagging indicators, and who answers for each."""
    state: CliState = ctx.obj
    items = state.node().dispatcher.run(
        accountability_list, SYSTEM, plan, date.fromisoformat(today) if today else None
    )
    table = Table("kind", "subject", "unit", "period", "due", "days over", "missing")
    for i in items:
        table.add_row(
            i.kind,
            i.subject + (" [yellow](synthetic)[/]" if i.synthetic else ""),
            i.unit_name,
            i.period,
            str(i.due_date or ""),
            str(i.days_overdue or ""),
            str(i.missing or ""),
        )
    state.console.print(table)
