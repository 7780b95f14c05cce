"""The portal's main navigation; each feature adds its entries here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xiangshu.domain.roles import Actor, Role


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # English message ID, translated in the template
    visible: Callable[[Actor | None], bool] = lambda _actor: True


def _auditor(actor: Actor | None) -> bool:
    return actor is not None and actor.has(Role.AUDITOR)


NAV_ITEMS: list[NavItem] = [
    NavItem("/", "Home"),
    NavItem("/units", "Units"),
    NavItem("/catalog", "Catalog"),
    NavItem("/open", "Open data"),
    NavItem("/plans", "Plans"),
    NavItem("/sharing", "Sharing", lambda actor: actor is not None and actor.is_government),
    NavItem("/audit", "Audit log", _auditor),
]


def nav_for(actor: Actor | None) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.visible(actor)]
