"""Demo content for `xiangshu demo`: a Hunan node with realistic units and users.

Later features add their own steps to :data:`DEMO_STEPS` (catalog, lake,
plan…). Everything synthetic is labelled as such where it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xiangshu.bootstrap import Node
from xiangshu.demo.catalog import create_demo_catalog
from xiangshu.demo.lake import load_demo_lake
from xiangshu.demo.people import DEMO_PASSWORD, DemoAccount, create_demo_accounts
from xiangshu.provisioning import InitReport, initialise


@dataclass
class DemoReport:
    init: InitReport
    accounts: list[DemoAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


DemoStep = Callable[[Node, DemoReport], None]


def _portal(node: Node) -> str:
    from xiangshu.demo.portal import load_portal_demo

    return load_portal_demo(node)


def _accounts(node: Node, report: DemoReport) -> None:
    report.accounts = create_demo_accounts(node)


def _catalog(node: Node, report: DemoReport) -> None:
    report.notes.append(create_demo_catalog(node))


def _sharing(node: Node) -> str:
    from xiangshu.demo.sharing import load_demo_sharing

    return load_demo_sharing(node)


def _plan(node: Node, report: DemoReport) -> None:
    from xiangshu.demo.plan import load_plan_demo

    report.notes += load_plan_demo(node)


DEMO_STEPS: list[DemoStep] = [_accounts]
DEMO_STEPS.append(_catalog)
DEMO_STEPS.append(lambda node, report: report.notes.append(load_demo_lake(node)))
DEMO_STEPS.append(_plan)
DEMO_STEPS.append(lambda node, report: report.notes.append(_sharing(node)))
DEMO_STEPS.append(lambda node, report: report.notes.append(_portal(node)))


def load_demo(node: Node) -> DemoReport:
    report = DemoReport(init=initialise(node))
    for step in DEMO_STEPS:
        step(node, report)
    return report


__all__ = ["DEMO_PASSWORD", "DEMO_STEPS", "DemoReport", "load_demo"]
