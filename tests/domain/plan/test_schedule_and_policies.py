"""Reporting periods and deadlines; who may do what with a plan."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from xiangshu.domain.plan.responsibility import (
    Mention,
    Role,
    format_responsibility,
    parse_responsibility,
)
from xiangshu.domain.plan.schedule import add_working_days, due_date, period_of, periods
from xiangshu.domain.roles import PUBLIC, SYSTEM, Actor, ActorKind
from xiangshu.domain.roles import Role as UserRole
from xiangshu.policies import plan as policies


def test_periods_of_every_cadence() -> None:
    assert [p.label for p in periods("quarterly", 2019, 2019)] == [
        "2019Q1", "2019Q2", "2019Q3", "2019Q4",
    ]  # fmt: skip
    halves = periods("half_yearly", 2019, 2020)
    assert [(p.label, p.end) for p in halves][:2] == [
        ("2019H1", date(2019, 6, 30)), ("2019H2", date(2019, 12, 31)),
    ]  # fmt: skip
    assert [p.label for p in periods("yearly", 2019, 2020)] == ["2019", "2020"]
    assert periods("none", 2019, 2020) == []
    assert period_of("2019Q4", "quarterly") == periods("quarterly", 2019, 2019)[3]
    assert period_of("2019Q5", "quarterly") is None and period_of("abcd", "quarterly") is None


def test_deadlines_count_official_working_days() -> None:
    # 30 September 2019 is a Monday; 1–7 October is the National Day holiday and
    # Saturday 12 October a make-up working day: 8, 9, 10, 11, 12 October.
    assert add_working_days(date(2019, 9, 30), 5) == date(2019, 10, 12)
    # the 2019Q3 deadline, 10 working days on: 8, 9, 10, 11, 12 (make-up), 14, 15, 16, 17, 18
    assert due_date(periods("quarterly", 2019, 2019)[2], 10) == date(2019, 10, 18)
    # years the calendar does not know: weekends only
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)


def test_responsibility_forms() -> None:
    assert parse_responsibility("") == []
    both = parse_responsibility("省委网信办、省发展改革委、省工业和信息化厅牵头负责")
    assert [m.role for m in both] == [Role.LEAD] * 3
    assert format_responsibility(both) == "省委网信办、省发展改革委、省工业和信息化厅牵头负责"
    assert format_responsibility([Mention("省水利厅", Role.LEAD)]) == "省水利厅负责"
    joint = [Mention("A", Role.JOINT), Mention("B", Role.JOINT)]
    assert format_responsibility(joint) == "A、B等按职责分工负责"
    assert format_responsibility([]) == ""
    assert Role.SUPPORT.label_zh == "配合"


UNIT = uuid.uuid4()


def user(*roles: UserRole, unit: uuid.UUID | None = UNIT) -> Actor:
    return Actor(
        kind=ActorKind.USER, name="u", user_id=uuid.uuid4(), unit_id=unit, roles=frozenset(roles)
    )


@pytest.mark.parametrize(
    ("actor", "public", "allowed"),
    [
        (PUBLIC, True, True),
        (PUBLIC, False, False),
        (user(UserRole.UNIT_USER), False, True),
        (user(UserRole.DEVELOPER, unit=None), False, False),
        (SYSTEM, False, True),
    ],
)
def test_reading_plans_follows_the_public_setting(
    actor: Actor, public: bool, allowed: bool
) -> None:
    assert policies.indicator_list(actor, public=public).allowed is allowed


def test_only_officers_load_and_responsible_units_report() -> None:
    officer = user(UserRole.PLAN_OFFICER)
    clerk = user(UserRole.UNIT_USER)
    assert policies.plan_load(officer).allowed and not policies.plan_load(clerk).allowed
    assert policies.plan_load(PUBLIC).needs_login
    assert policies.plan_load(user(UserRole.PLATFORM_ADMIN)).allowed
    assert policies.observation_record(clerk, responsible_unit_ids=[UNIT]).allowed
    assert not policies.observation_record(clerk, responsible_unit_ids=[uuid.uuid4()]).allowed
    other = uuid.uuid4()
    assert policies.progress_report_submit(clerk, unit_id=UNIT, task_unit_ids={UNIT}).allowed
    assert not policies.progress_report_submit(clerk, unit_id=other, task_unit_ids={other}).allowed
    assert policies.progress_report_submit(officer, unit_id=other, task_unit_ids={other}).allowed
    assert not policies.progress_report_submit(officer, unit_id=other, task_unit_ids=set()).allowed
    assert policies.progress_report_submit(PUBLIC, unit_id=UNIT, task_unit_ids={UNIT}).needs_login
    assert not policies.accountability_list(user(UserRole.DEVELOPER, unit=None)).allowed
    assert policies.accountability_list(clerk).allowed
