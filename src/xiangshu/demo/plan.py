"""The plan step of the demo: the Hunan plans, the public values, synthetic years,
evaluations and a few progress reports.

Everything synthetic is stored with ``synthetic=True`` and source kind
``synthetic`` so that pages, exports and reports label it.
"""

from __future__ import annotations

import random
from datetime import date

from xiangshu.actions.org import unit_show
from xiangshu.actions.plan import plan_list, plan_load
from xiangshu.actions.plan_data import observation_import, plan_evaluate
from xiangshu.actions.plan_progress import progress_report_submit
from xiangshu.bootstrap import Node
from xiangshu.domain.plan.drafts import ObservationDraft, SourceKind
from xiangshu.domain.plan.indicators import Qualifier, ValueStatus
from xiangshu.domain.plan.synthetic import synthetic_path
from xiangshu.domain.roles import SYSTEM
from xiangshu.plan_files import SHIPPED_PLANS, public_actuals, shipped_plan
from xiangshu.schemas.plan import ProgressReportCreate

HUNAN_13 = "hn-13-informatization"
SEED = 2016
# The public-actuals file numbers the sub-indicator 2b; the plan numbers it 2.1.
NUMBER_ALIASES = {"2b": "2.1"}
# Period ends the public sources give (see their notes): end of February 2020,
# November 2019; other values are year-end figures.
PERIOD_ENDS = {("5", "2020"): date(2020, 2, 29), ("6", "2020"): date(2020, 2, 29),
               ("8", "2019"): date(2019, 11, 11)}  # fmt: skip


def public_observations() -> list[ObservationDraft]:
    found = []
    for row in public_actuals():
        number = NUMBER_ALIASES.get(row["indicator_no"], row["indicator_no"])
        note = row["note"]
        qualifier = Qualifier.EXACT
        if note.startswith("Lower bound"):
            qualifier = Qualifier.LOWER_BOUND
        elif note.startswith("PROXY"):
            qualifier = Qualifier.PROXY
        end = PERIOD_ENDS.get((number, row["year"]), date(int(row["year"]), 12, 31))
        found.append(
            ObservationDraft(
                indicator=number,
                period_end=end,
                value=float(row["value"]),
                status=ValueStatus.FINAL,
                qualifier=qualifier,
                source_kind=SourceKind.PUBLIC_SOURCE,
                source=row["indicator_name"],
                source_url=row["source_url"],
                note=note,
            )
        )
    return found


def synthetic_observations(real: list[ObservationDraft]) -> list[ObservationDraft]:
    """Synthetic values for the years 2016–2020 before an indicator's first real value, so
    that made-up numbers never follow (and contradict) real ones. Indicator 17 gets none,
    so that the demo also shows an indicator without data."""
    rng = random.Random(SEED)  # noqa: S311 - demo values, not secrets
    plan = shipped_plan("hunan-13th-informatization")
    first_real: dict[str, int] = {}
    for o in real:
        first_real[o.indicator] = min(first_real.get(o.indicator, 9999), o.period_end.year)
    found = []
    for draft in plan.indicators:
        spec = draft.spec
        if spec.number == "17":
            continue
        years = [y for y in range(2016, 2021) if y < first_real.get(spec.number, 9999)]
        if spec.baseline is None:
            years = [y for y in years if y >= 2017]
        values = synthetic_path(spec, years, rng, start=40.0)
        found += [
            ObservationDraft(
                indicator=spec.number,
                period_end=date(year, 12, 31),
                value=value,
                status=ValueStatus.FINAL,
                source_kind=SourceKind.SYNTHETIC,
                source="合成数据（演示用，非真实统计）",
                note="synthetic: generated for the demo, not a statistic",
                synthetic=True,
            )
            for year, value in values.items()
        ]
    return found


def load_plan_demo(node: Node) -> list[str]:
    run = node.dispatcher.run
    notes = []
    loaded = {p.code for p in run(plan_list, SYSTEM)}
    for name in SHIPPED_PLANS:
        draft = shipped_plan(name)
        if draft.header.code in loaded:
            continue
        report = run(plan_load, SYSTEM, draft)
        notes.append(
            f"plan {report.plan.code}: {report.indicators} indicators, {report.tasks} tasks, "
            f"{len(report.findings)} consistency finding(s)"
        )
        if draft.header.code == "hn-12-informatization":
            run(plan_evaluate, SYSTEM, draft.header.code, 2015)
        if draft.header.code != HUNAN_13:
            continue
        real = public_observations()
        run(observation_import, SYSTEM, HUNAN_13, real, source="public-actuals.csv")
        synthetic = synthetic_observations(real)
        run(observation_import, SYSTEM, HUNAN_13, synthetic, source="synthetic (demo)")
        notes.append(f"{len(real)} public values, {len(synthetic)} synthetic values (labelled)")
        for year in (2018, 2020):
            run(plan_evaluate, SYSTEM, HUNAN_13, year)
        notes.append("evaluated at the end of 2018 (mid-term) and 2020 (final)")
        _reports(node)
    return notes


def _reports(node: Node) -> None:
    """A few progress reports, so that the accountability list has both kinds."""
    run = node.dispatcher.run
    for task, unit, period, progress in (
        ("8.1", "省政务局", "2018Q4", 70),
        ("8.2", "省发展改革委", "2018Q4", 55),
        ("10.4", "省人力资源社会保障厅", "2018Q4", 80),
    ):
        unit_id = run(unit_show, SYSTEM, unit).id
        run(
            progress_report_submit,
            SYSTEM,
            HUNAN_13,
            ProgressReportCreate(
                task=task,
                period=period,
                progress=progress,
                narrative="（演示）合成的进展报告：本季度推进情况。",
                unit_id=unit_id,
            ),
        )
