"""Demo accounts, one per role, in units the plan names."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from xiangshu.actions.identity import user_create
from xiangshu.actions.org import unit_show
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.schemas.identity import UserCreate
from xiangshu.storage.identity import user_by_name

# A demo node runs on a developer's machine with the development secret; its
# accounts share one published password so that anyone can try every role.
DEMO_PASSWORD = "Xiangshu-demo-2026"  # noqa: S105 - published on purpose


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    unit: str
    roles: frozenset[Role]


DEMO_ACCOUNTS = (
    DemoAccount("admin", "平台管理员（演示）", "省数据局", frozenset({Role.PLATFORM_ADMIN})),
    DemoAccount("auditor", "审计员（演示）", "省数据局", frozenset({Role.AUDITOR})),
    DemoAccount(
        "authority",
        "共享主管（演示）",
        "省数据局",
        frozenset({Role.SHARING_AUTHORITY, Role.UNIT_USER}),
    ),
    DemoAccount(
        "fgw.steward",
        "省发展改革委数据管理员（演示）",
        "省发展改革委",
        frozenset({Role.DATA_STEWARD}),
    ),
    DemoAccount(
        "wjw.steward",
        "省卫生健康委数据管理员（演示）",
        "省卫生健康委",
        frozenset({Role.DATA_STEWARD}),
    ),
    DemoAccount(
        "rst.user",
        "省人力资源社会保障厅用户（演示）",
        "省人力资源社会保障厅",
        frozenset({Role.UNIT_USER}),
    ),
    DemoAccount("gat.user", "省公安厅用户（演示）", "省公安厅", frozenset({Role.UNIT_USER})),
    DemoAccount(
        "planner",
        "规划管理员（演示）",
        "省委网信办",
        frozenset({Role.PLAN_OFFICER, Role.UNIT_USER}),
    ),
    DemoAccount(
        "changsha.steward",
        "长沙市数据局数据管理员（演示）",
        "长沙市数据局",
        frozenset({Role.DATA_STEWARD}),
    ),
)


def create_demo_accounts(node: Node) -> list[DemoAccount]:
    run = node.dispatcher.run
    for account in DEMO_ACCOUNTS:
        with node.store.transaction(write=False) as session:
            if user_by_name(session, account.username) is not None:
                continue
        unit = run(unit_show, SYSTEM, account.unit)
        run(
            user_create,
            SYSTEM,
            UserCreate(
                username=account.username,
                display_name=account.display_name,
                unit_id=unit.id,
                password=SecretStr(DEMO_PASSWORD),
                roles=account.roles,
            ),
        )
    return list(DEMO_ACCOUNTS)
