"""A dataset's quality score as a transparent checklist, in the manner of udata's.

Every check says what it looks at and how to pass; the score is the share of checks
passed. Nothing is weighted in secret: the page lists each check with its result.
"""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.domain.portal.freshness import Freshness, FreshnessState

ABSTRACT_MIN = 30  # Chinese characters: a sentence that says what, where and since when
OPEN_FORMATS = ("csv", "json", "xlsx", "parquet")


@dataclass(frozen=True, slots=True)
class QualityFacts:
    abstract_length: int
    item_count: int
    items_described: int  # data items with a description
    has_key: bool
    has_records: bool
    record_count: int
    freshness: Freshness
    keyword_count: int
    has_contact: bool  # 提供方内部部门 or a metadata maintainer
    has_temporal_field: bool
    has_spatial_field: bool
    open_error_reports: int


@dataclass(frozen=True, slots=True)
class Check:
    key: str
    title: str  # English message ID (translated on the page)
    passed: bool
    hint: str  # what to do to pass (English message ID)


@dataclass(frozen=True, slots=True)
class Quality:
    checks: tuple[Check, ...]

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.passed)

    @property
    def score(self) -> float:
        return self.passed / len(self.checks) if self.checks else 0.0

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def quality(facts: QualityFacts) -> Quality:
    checks = (
        Check(
            "description",
            "The abstract says what the data is",
            facts.abstract_length >= ABSTRACT_MIN,
            "Write an abstract of at least 30 characters: what, where, since when.",
        ),
        Check(
            "items_documented",
            "Every data item is described",
            facts.item_count > 0 and facts.items_described == facts.item_count,
            "Give each data item (信息项) a description.",
        ),
        Check(
            "key",
            "Records have a key",
            facts.has_key,
            "Mark the data items that identify a record as its key.",
        ),
        Check(
            "machine_readable",
            "Records can be downloaded in open formats",
            facts.has_records and facts.record_count > 0,
            "Load the records into the lake: CSV, JSON, XLSX and Parquet follow.",
        ),
        Check(
            "fresh",
            "Updated as often as promised",
            facts.freshness.state in (FreshnessState.FRESH, FreshnessState.UNCHECKED)
            and facts.has_records,
            "Load new records within the declared update cycle.",
        ),
        Check(
            "keywords",
            "Has keywords",
            facts.keyword_count > 0,
            "Add keywords (关键字) so that the dataset is found.",
        ),
        Check(
            "contact",
            "Names who answers for it",
            facts.has_contact,
            "State the provider's internal division or the metadata maintainer.",
        ),
        Check(
            "coverage",
            "States its time or place",
            facts.has_temporal_field or facts.has_spatial_field,
            "Include a date, a year or a division code among the data items.",
        ),
        Check(
            "no_open_reports",
            "No unanswered error report",
            facts.open_error_reports == 0,
            "Answer the error reports (纠错) users sent.",
        ),
    )
    return Quality(checks)
