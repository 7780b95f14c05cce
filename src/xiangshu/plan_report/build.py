"""Gathering what a page or a report shows, through the actions (each policy-checked
and audited like any other read)."""

from __future__ import annotations

from xiangshu.actions.plan import indicator_list, plan_check, plan_show
from xiangshu.actions.plan_data import evaluation_show, observation_list
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import Actor
from xiangshu.errors import NotFound
from xiangshu.plan_report.report import ReportData, now_text
from xiangshu.plan_report.views import PlanView, plan_view
from xiangshu.schemas.plan import EvaluationPublic


def latest_evaluation(
    node: Node, actor: Actor, code: str, year: int | None
) -> EvaluationPublic | None:
    try:
        return node.dispatcher.run(evaluation_show, actor, code, year)
    except NotFound:
        return None


def build_view(node: Node, actor: Actor, code: str, year: int | None = None) -> PlanView:
    run = node.dispatcher.run
    return plan_view(
        run(indicator_list, actor, code),
        run(observation_list, actor, code),
        latest_evaluation(node, actor, code, year),
    )


def build_report(node: Node, actor: Actor, code: str, year: int | None = None) -> ReportData:
    """The report of the latest evaluation (of ``year``); run ``plan evaluate`` first."""
    run = node.dispatcher.run
    view = build_view(node, actor, code, year)
    if view.evaluation is None:
        raise NotFound(
            f"plan {code} has no evaluation{f' of {year}' if year else ''}; "
            "run `xiangshu plan evaluate` first"
        )
    return ReportData(
        plan=run(plan_show, actor, code),
        view=view,
        year=view.evaluation.as_of_year,
        generated=now_text(node.services.clock.now()),
        findings=run(plan_check, actor, code),
    )
