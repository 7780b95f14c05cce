"""Unit rules, password rules, lockout, request signing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from xiangshu.domain.credentials import LockoutPolicy, password_problem
from xiangshu.domain.divisions import DivisionTable
from xiangshu.domain.identifiers import make_credit_code
from xiangshu.domain.signing import canonical_request, freshness_problem, sign_request
from xiangshu.domain.units import UnitDraft, UnitKind, UnitLevel, level_for, unit_problems
from xiangshu.reference import division_release

TABLE = DivisionTable(division_release().divisions)
GOOD = UnitDraft(
    name="长沙市测试局",
    short_name="测试局",
    kind=UnitKind.DEPARTMENT,
    division_code="430100",
    credit_code=make_credit_code("11", "430100", "MB123456"),
    catalog_code="430100901",
)


def fields(draft: UnitDraft) -> set[str | None]:
    return {p.field for p in unit_problems(draft, TABLE)}


def test_valid_draft_has_no_problems() -> None:
    assert unit_problems(GOOD, TABLE) == []


def test_every_problem_is_reported_at_once() -> None:
    draft = UnitDraft(
        name=" ",
        short_name="",
        kind=UnitKind.DEPARTMENT,
        division_code="439999",
        credit_code="123",
        catalog_code="43010",
    )
    assert fields(draft) == {"name", "short_name", "division_code", "credit_code", "catalog_code"}


def test_retired_division_names_the_successor() -> None:
    draft = UnitDraft(
        name="宁乡县测试局",
        short_name="x",
        kind=UnitKind.DEPARTMENT,
        division_code="430124",
        credit_code=GOOD.credit_code,
        catalog_code="430124001",
    )
    messages = [p.message for p in unit_problems(draft, TABLE) if p.field == "division_code"]
    assert messages and "430182" in messages[0]


def test_catalog_code_must_start_with_the_division_and_parent_must_contain_it() -> None:
    draft = UnitDraft(
        name="x",
        short_name="x",
        kind=UnitKind.DEPARTMENT,
        division_code="430100",
        credit_code=GOOD.credit_code,
        catalog_code="430200001",
        parent_division_code="430200",
    )
    assert {"catalog_code", "parent_id"} <= fields(draft)
    assert level_for(TABLE.get("430100").level) is UnitLevel.CITY  # type: ignore[union-attr]
    long_name = UnitDraft(**{**{f: getattr(GOOD, f) for f in GOOD.__slots__}, "name": "局" * 101})
    assert "name" in fields(long_name)


def test_password_rules() -> None:
    assert password_problem("short1A!", username="u", min_length=10) is not None
    assert "user name" in (
        password_problem("Zhangsan-2026x", username="zhangsan", min_length=10) or ""
    )
    assert "three of" in (
        password_problem("alllowercaseletters", username="u", min_length=10) or ""
    )
    assert password_problem("Correct-Horse-9", username="u", min_length=10) is None


def test_lockout_after_the_configured_failures() -> None:
    policy = LockoutPolicy(max_failures=3, lock_for=timedelta(minutes=15))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.after_failure(0, now) == (1, None)
    assert policy.after_failure(2, now) == (3, now + timedelta(minutes=15))
    assert policy.is_locked(now + timedelta(minutes=1), now)
    assert not policy.is_locked(now - timedelta(minutes=1), now)
    assert not policy.is_locked(None, now)


def test_signature_covers_method_path_query_time_nonce_and_body() -> None:
    base = ("GET", "/api/v1/units", "b=2&a=1", "1700000000", "nonce-123", b"")
    signature = sign_request("secret", *base)
    assert canonical_request(*base).splitlines()[2] == "a=1&b=2"
    for index, changed in (
        (0, "POST"),
        (1, "/api/v1/unit"),
        (2, "a=1"),
        (3, "1700000001"),
        (4, "n2"),
        (5, b"x"),
    ):
        variant = list(base)
        variant[index] = changed
        assert sign_request("secret", *variant) != signature  # type: ignore[arg-type]
    assert freshness_problem("1700000000", 1700000100) is None
    assert "300 seconds" in (freshness_problem("1700000000", 1700000301) or "")
    assert "Unix seconds" in (freshness_problem("yesterday", 1700000000) or "")
