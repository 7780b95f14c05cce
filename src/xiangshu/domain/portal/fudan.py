"""The portal scores itself on the dimensions of the Fudan open-data index (中国开放数林指数).

The index (Fudan University DMG) scores readiness (准备度), platform (平台层: discovery
and preview, data access, showcase, interaction, user experience), data (数据层:
quantity, quality, standards, scope) and use (利用层). Its exact weights and
thresholds are not public in a form we could verify, so this page does **not**
predict the index: each indicator below is measured on this node, scored 0–1 by a
rule written next to it, and dimensions are plain averages. Readiness (laws,
policies, organisation) cannot be measured by the platform and is shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

# The plan's priority open-data domains (PLAN-DIGEST S06) and the classifications
# (信息资源分类 prefixes) that hold them.
PRIORITY_DOMAINS: dict[str, tuple[str, ...]] = {
    "信用": ("104", "208"),
    "交通": ("214", "322"),
    "卫生健康": ("202", "318"),
    "社会保障": ("203", "310"),
    "文化": ("215002", "215003", "319"),
    "教育": ("215001", "303"),
    "科技": ("304",),
    "企业登记": ("10200101", "102"),
}
SHOWCASE_TARGET = 10  # published reuses for full marks (our rule)


@dataclass(frozen=True, slots=True)
class PlatformFacts:
    open_datasets: int
    published_resources: int
    with_records: int
    records: int
    keyed: int
    class_codes: tuple[str, ...]
    mean_quality: float
    reuses: int
    requests: int
    requests_answered: int
    reports: int
    reports_answered: int
    api_calls: int
    downloads: int


@dataclass(frozen=True, slots=True)
class Scored:
    dimension: str
    indicator: str
    value: str  # what was measured, in English
    score: float | None
    value_zh: str = ""  # the same in Chinese


@dataclass(frozen=True, slots=True)
class PortalScoring:
    items: tuple[Scored, ...]
    by_dimension: dict[str, float | None]
    overall: float


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _covered(codes: tuple[str, ...]) -> list[str]:
    return [
        domain
        for domain, prefixes in PRIORITY_DOMAINS.items()
        if any(code.startswith(p) for code in codes for p in prefixes)
    ]


def score_portal(facts: PlatformFacts) -> PortalScoring:
    covered = _covered(facts.class_codes)
    answered = facts.requests_answered + facts.reports_answered
    asked = facts.requests + facts.reports
    items = (
        Scored(
            "Readiness",
            "Laws, policies and organisation",
            "not measured by the platform",
            None,
            "平台无法测量",
        ),
        Scored(
            "Platform",
            "Discovery and preview",
            f"Chinese full-text search with facets; preview for {facts.with_records} of "
            f"{facts.open_datasets} datasets",
            _share(facts.with_records, facts.open_datasets),
            f"中文全文检索与分面；{facts.open_datasets} 个数据集中 {facts.with_records} 个可预览",
        ),
        Scored(
            "Platform",
            "Data access",
            "CSV, XLSX, JSON, Parquet, CKAN API, DCAT-AP, Data Package; online applications",
            _share(facts.with_records, facts.open_datasets),
            "CSV、XLSX、JSON、Parquet 下载，CKAN 接口、DCAT-AP、Data Package；在线申请",
        ),
        Scored(
            "Platform",
            "Showcase",
            f"{facts.reuses} published reuses (full marks at {SHOWCASE_TARGET})",
            min(1.0, facts.reuses / SHOWCASE_TARGET),
            f"已展示 {facts.reuses} 个数据应用（{SHOWCASE_TARGET} 个得满分）",
        ),
        Scored(
            "Platform",
            "Interaction",
            f"{answered} of {asked} data requests and error reports answered",
            _share(answered, asked) if asked else None,
            f"{asked} 条数据需求和纠错中已答复 {answered} 条",
        ),
        Scored(
            "Platform",
            "User experience",
            "Chinese and English; readable without JavaScript; limits stated with Retry-After",
            1.0,
            "中英文界面；无需 JavaScript 即可浏览；限流以 Retry-After 说明",
        ),
        Scored(
            "Data",
            "Quantity",
            f"{facts.open_datasets} open of {facts.published_resources} published resources; "
            f"{facts.records:,} records",
            _share(facts.open_datasets, facts.published_resources),
            f"已发布的 {facts.published_resources} 个资源中开放 {facts.open_datasets} 个；"
            f"{facts.records:,} 条记录",
        ),
        Scored(
            "Data",
            "Quality",
            f"mean quality checklist {round(facts.mean_quality * 100)} %",
            facts.mean_quality,
            f"质量检查平均 {round(facts.mean_quality * 100)}%",
        ),
        Scored(
            "Data",
            "Standards",
            f"{facts.keyed} of {facts.open_datasets} datasets name a key; "
            f"{facts.with_records} machine-readable",
            (
                _share(facts.keyed, facts.open_datasets)
                + _share(facts.with_records, facts.open_datasets)
            )
            / 2,
            f"{facts.open_datasets} 个数据集中 {facts.keyed} 个有主键，"
            f"{facts.with_records} 个机器可读",
        ),
        Scored(
            "Data",
            "Scope",
            f"{len(covered)} of {len(PRIORITY_DOMAINS)} priority domains: "
            + ("、".join(covered) or "—"),
            _share(len(covered), len(PRIORITY_DOMAINS)),
            f"覆盖 {len(PRIORITY_DOMAINS)} 个重点领域中的 {len(covered)} 个："
            + ("、".join(covered) or "—"),
        ),
        Scored(
            "Use",
            "Use of the data",
            f"{facts.downloads:,} downloads, {facts.api_calls:,} API calls",
            1.0 if facts.downloads + facts.api_calls > 0 else 0.0,
            f"下载 {facts.downloads:,} 次，接口调用 {facts.api_calls:,} 次",
        ),
        Scored(
            "Use",
            "Results",
            f"{facts.reuses} reuses",
            min(1.0, facts.reuses / SHOWCASE_TARGET),
            f"{facts.reuses} 个数据应用",
        ),
    )
    by_dimension: dict[str, float | None] = {}
    for dimension in dict.fromkeys(i.dimension for i in items):
        values = [i.score for i in items if i.dimension == dimension and i.score is not None]
        by_dimension[dimension] = sum(values) / len(values) if values else None
    measured = [v for v in by_dimension.values() if v is not None]
    return PortalScoring(items, by_dimension, sum(measured) / len(measured) if measured else 0.0)
