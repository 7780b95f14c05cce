"""Sharing for the demo: the last four weeks of requests, answers, reads and reports, replayed.

The scenario runs on a clock that starts 28 days ago and moves forward step by step to
now, through the same actions a browser or an API client would call — so deadlines,
reminders, escalations, late answers, grants, exchange records, webhook retries and dead
letters are all real outcomes, not rows written by hand. Requests end in every state:
approved, partly approved, refused, disputed and decided by the authority, escalated
for being overdue, waiting, withdrawn. All records read are synthetic (合成数据).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from pydantic import SecretStr
from sqlalchemy import select

from xiangshu.actions import Dispatcher
from xiangshu.actions.identity import user_create
from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.lake_reads import records_query
from xiangshu.actions.org import unit_show
from xiangshu.actions.sharing_errors import error_report_answer, error_report_create
from xiangshu.actions.sharing_exchange import record_verify
from xiangshu.actions.sharing_requests import (
    request_create,
    request_decide,
    request_dispute,
    request_withdraw,
)
from xiangshu.actions.sharing_subscriptions import subscription_create
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.demo.people import DEMO_PASSWORD
from xiangshu.domain.lake.loads import LoadMode
from xiangshu.domain.lake.query import QuerySpec
from xiangshu.domain.roles import SYSTEM, Actor, ActorKind, Role
from xiangshu.domain.sharing.requests import IntendedUse, Verdict
from xiangshu.errors import PermissionDenied
from xiangshu.schemas.identity import UserCreate
from xiangshu.schemas.sharing import (
    DecisionIn,
    ErrorAnswerIn,
    ErrorReportCreate,
    RequestCreate,
    SubscriptionCreate,
)
from xiangshu.storage.identity import roles_of, user_by_name
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.models.sharing import ShareRequestRow
from xiangshu.storage.sharing.grants import SharingGrants
from xiangshu.worker import Worker

DAYS = 28  # inside the statistics' default 30-day window
EXTRA_ACCOUNTS = (
    ("gat.steward", "省公安厅数据管理员（演示）", "省公安厅", Role.DATA_STEWARD),
    ("mzt.user", "省民政厅用户（演示）", "省民政厅", Role.UNIT_USER),
)
UNREACHABLE_HOOK = "http://127.0.0.1:9/xiangshu-hook"  # discard port: nothing listens


def _actor(node: Node, username: str) -> Actor:
    with node.store.transaction(write=False) as session:
        row = user_by_name(session, username)
        assert row is not None, username
        return Actor(
            kind=ActorKind.USER,
            name=row.username,
            user_id=row.id,
            unit_id=row.unit_id,
            roles=roles_of(session, row.id),
            origin="demo",
        )


def _accounts(node: Node) -> None:
    for username, display, unit, role in EXTRA_ACCOUNTS:
        with node.store.transaction(write=False) as session:
            if user_by_name(session, username) is not None:
                continue
        unit_id = node.dispatcher.run(unit_show, SYSTEM, unit).id
        node.dispatcher.run(
            user_create,
            SYSTEM,
            UserCreate(
                username=username,
                display_name=display,
                unit_id=unit_id,
                password=SecretStr(DEMO_PASSWORD),
                roles=frozenset({role}),
            ),
        )


def _resource(node: Node, name: str) -> tuple[str, list[str], str]:
    """(code, fields, first exchange mode) of a published provincial resource."""
    with node.store.transaction(write=False) as session:
        row = (
            session.execute(
                select(ResourceRow).where(
                    ResourceRow.name == name, ResourceRow.status == "published"
                )
            )
            .scalars()
            .first()
        )
        assert row is not None, f"the demo catalog has no {name}"
        modes = [str(m) for m in orjson.loads(row.share_manner_types or "[]")] or ["api"]
        return row.code, [i.field for i in row.items], modes[0]


class Scenario:
    def __init__(self, node: Node) -> None:
        self.node = node
        self.clock = FixedClock(node.services.clock.now() - timedelta(days=DAYS))
        services = dataclasses.replace(
            node.services, clock=self.clock, grants=SharingGrants(self.clock, node.settings)
        )
        self.run = Dispatcher(node.store, services).run
        self.timed = Node(node.settings, node.store, services, Dispatcher(node.store, services))

    def day(self, days: float) -> None:
        self.clock.advance(days=days)

    def ask(
        self,
        who: Actor,
        resource: tuple[str, list[str], str],
        fields: list[str],
        purpose: str,
        basis: str,
        use: IntendedUse,
    ) -> Any:
        today = self.clock.now().date()
        return self.run(
            request_create,
            who,
            RequestCreate(
                resource=resource[0],
                purpose=purpose,
                legal_basis=basis,
                fields=fields,
                intended_use=use,
                valid_from=today,
                valid_until=date(today.year + 1, 12, 31),
                exchange_mode=resource[2],
                expected_volume="每日约 500 次",
            ),
        )


def _rows(node: Node, code: str, count: int) -> list[dict[str, Any]]:
    page = node.dispatcher.run(records_query, SYSTEM, code, QuerySpec(limit=count))
    return page.records


def load_demo_sharing(node: Node) -> str:
    """Replay a month of sharing on the demo node; a note for the demo report."""
    with node.store.transaction(write=False) as session:
        if session.execute(select(ShareRequestRow.id).limit(1)).first() is not None:
            return "Demo sharing: already there."
    _accounts(node)
    people = _resource(node, "全省户籍人口基本信息")
    id_cards = _resource(node, "居民身份证签发信息")
    births = _resource(node, "出生医学证明信息")
    debtors = _resource(node, "自然人失信被执行人信息")
    s = Scenario(node)
    rst, gat, mzt = _actor(node, "rst.user"), _actor(node, "gat.user"), _actor(node, "mzt.user")
    fgw, wjw = (_actor(node, n) for n in ("fgw.steward", "wjw.steward"))
    authority = _actor(node, "authority")
    run = s.run

    approved = s.ask(
        rst,
        debtors,
        ["id_number", "name", "case_no", "published_on"],
        "社会保险待遇资格认证时核查失信被执行人",
        "《社会保险法》；本厅社保待遇发放职责",
        IntendedUse.DATA_VERIFICATION,
    )
    partial = s.ask(
        gat,
        births,
        ["certificate_no", "baby_name", "birth_date", "mother_id"],
        "新生儿户口登记时核对出生医学证明",
        "《户口登记条例》第七条",
        IntendedUse.ADMINISTRATIVE_BASIS,
    )
    refused = s.ask(
        rst,
        births,
        ["certificate_no", "baby_name", "mother_id"],
        "生育保险待遇核定",
        "《社会保险法》第五十四条",
        IntendedUse.BUSINESS_COLLABORATION,
    )
    overdue = s.ask(
        rst,
        id_cards,
        ["id_number", "name", "valid_until"],
        "社保卡申领时核验身份证有效期",
        "《社会保障卡管理办法》",
        IntendedUse.DATA_VERIFICATION,
    )
    s.day(2)
    run(request_decide, fgw, approved.id, DecisionIn(verdict=Verdict.APPROVE))
    s.day(1)
    run(
        request_decide,
        wjw,
        partial.id,
        DecisionIn(
            verdict=Verdict.APPROVE_PART,
            fields=["certificate_no", "baby_name", "birth_date"],
            reason="母亲证件号码不属于落户所需信息，可通过核验接口比对",
        ),
    )
    for n in range(6):
        run(records_query, rst, debtors[0], QuerySpec(limit=20 + n))
    with contextlib.suppress(PermissionDenied):  # not granted yet: refused, and recorded
        run(records_query, rst, id_cards[0], QuerySpec())
    s.day(1)
    run(
        request_decide,
        wjw,
        refused.id,
        DecisionIn(
            verdict=Verdict.REFUSE,
            reason="生育保险核定可使用医保结算数据，出生医学证明不在共享范围",
        ),
    )
    s.day(1)
    run(
        request_dispute, rst, refused.id, "生育津贴发放需核对出生医学证明编号，医保结算数据不含该项"
    )
    people_rows = _rows(node, people[0], 3)
    for record in people_rows:  # 无条件共享: used directly, a grant recorded on first use
        run(records_query, rst, people[0], QuerySpec(limit=10))
        run(
            record_verify,
            rst,
            people[0],
            {"id_number": record["id_number"], "name": record["name"]},
        )
    s.day(3)
    run(
        request_decide,
        authority,
        refused.id,
        DecisionIn(
            verdict=Verdict.APPROVE_PART,
            fields=["certificate_no"],
            reason="经协调，仅共享出生医学证明编号用于核对",
        ),
    )
    _reports_and_subscriptions(node, s, people_rows, people[0], births[0], debtors[0])
    s.day(5)  # day 15: the request for 居民身份证签发信息 is overdue
    worker = Worker(s.timed)
    worker.run_once()
    withdrawn = s.ask(
        gat,
        debtors,
        ["id_number", "name"],
        "治安管理中核查",
        "《治安管理处罚法》",
        IntendedUse.WORK_REFERENCE,
    )
    s.day(1)
    run(request_withdraw, gat, withdrawn.id, "改为通过信用平台查询")
    _new_version(node, s, births[0], wjw)
    for hours in (0, 1, 1, 1, 3, 13):  # the webhook endpoint never answers: retries, then dead
        s.day(hours / 24)
        worker.run_once()
    _refuse_plainly(s, mzt, wjw, births)
    s.day(4)
    run(
        error_report_create,
        gat,
        ErrorReportCreate(
            resource=births[0],
            row_key=_rows(node, births[0], 1)[0]["certificate_no"],
            field="birth_date",
            claimed_value="2024-03-02",
            evidence="医院分娩记录（演示）",
        ),
    )
    waiting = s.ask(
        mzt,
        id_cards,
        ["id_number", "name"],
        "婚姻登记时核验身份证件",
        "《婚姻登记条例》第五条",
        IntendedUse.DATA_VERIFICATION,
    )
    for n in range(4):
        run(records_query, gat, births[0], QuerySpec(limit=5 + n))
    worker.run_once()
    return (
        f"Demo sharing: requests {approved.number} (approved) … {waiting.number} (waiting), "
        f"one escalated for being overdue ({overdue.number}), grants, exchange records, "
        "error reports and a webhook in the dead-letter list, replayed over the last four weeks."
    )


def _reports_and_subscriptions(
    node: Node,
    s: Scenario,
    people_rows: list[dict[str, Any]],
    people: str,
    births: str,
    debtors: str,
) -> None:
    run = s.run
    rst, gat, gat_steward = (_actor(node, n) for n in ("rst.user", "gat.user", "gat.steward"))
    report = run(
        error_report_create,
        rst,
        ErrorReportCreate(
            resource=people,
            row_key=people_rows[0]["id_number"],
            field="household_address",
            claimed_value="湖南省长沙市岳麓区麓山南路",
            evidence="当事人提供的户口簿户籍地址页（演示）",
        ),
    )
    wrong = run(
        error_report_create,
        rst,
        ErrorReportCreate(
            resource=people,
            row_key=people_rows[1]["id_number"],
            field="name",
            claimed_value="王小明",
            evidence="社保登记表（演示）",
        ),
    )
    s.day(2)
    run(error_report_answer, gat_steward, report.number, ErrorAnswerIn(status="confirmed"))
    run(
        error_report_answer,
        gat_steward,
        wrong.number,
        ErrorAnswerIn(status="rejected", reason="与户籍登记及身份证签发记录一致，社保登记有误"),
    )
    run(subscription_create, rst, SubscriptionCreate(resource=debtors))
    run(
        subscription_create,
        gat,
        SubscriptionCreate(resource=births, callback_url=UNREACHABLE_HOOK),
    )


def _refuse_plainly(
    s: Scenario, mzt: Actor, wjw: Actor, births: tuple[str, list[str], str]
) -> None:
    """A request that stays refused (with its reasons)."""
    plain_no = s.ask(
        mzt,
        births,
        ["certificate_no", "baby_name", "birth_date"],
        "婚姻登记档案补录",
        "本厅婚姻登记管理职责",
        IntendedUse.WORK_REFERENCE,
    )
    s.day(2)
    s.run(
        request_decide,
        wjw,
        plain_no.id,
        DecisionIn(verdict=Verdict.REFUSE, reason="申请用途与出生医学证明的共享条件不符"),
    )


def _new_version(node: Node, s: Scenario, code: str, steward: Actor) -> None:
    """A small upsert by the provider: the subscribers hear of version 2."""
    rows = _rows(node, code, 5)
    folder = node.settings.data_dir / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(folder) / "births-upsert.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    s.run(
        records_ingest,
        steward,
        code,
        source,
        source_name="出生医学证明更新（合成数据）.csv",
        mode=LoadMode.UPSERT,
    )
    source.unlink()
