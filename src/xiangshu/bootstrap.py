"""The composition root: builds a node's services from settings. Nothing here runs at import."""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.actions import Dispatcher
from xiangshu.actions.context import Services
from xiangshu.clock import Clock, SystemClock
from xiangshu.crypto.keys import KeyRing
from xiangshu.crypto.passwords import PasswordHasher
from xiangshu.errors import ConfigurationError
from xiangshu.settings import Settings
from xiangshu.storage import migrate
from xiangshu.storage.catalog import CatalogDirectory
from xiangshu.storage.db import Store
from xiangshu.storage.lake.service import Lake
from xiangshu.storage.portal.grants import OpenDataGrants
from xiangshu.storage.search.catalog_index import CatalogIndex


@dataclass
class Node:
    """One running node: its settings, metadata store, services and dispatcher."""

    settings: Settings
    store: Store
    services: Services
    dispatcher: Dispatcher

    def close(self) -> None:
        if self.services.lake is not None:
            self.services.lake.close()
        self.store.dispose()


def build_node(settings: Settings, *, clock: Clock | None = None) -> Node:
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.metadata_url)
    clock = clock or SystemClock()
    services = Services(
        settings=settings,
        clock=clock,
        passwords=PasswordHasher(fast_for_tests=settings.environment == "test"),
        keys=KeyRing.from_master(settings.secret_key.get_secret_value().encode()),
        resources=CatalogDirectory(),
        # Sharing joins here: OpenDataGrants(inner=<sharing's GrantLookup>, clock=...).
        grants=OpenDataGrants(inner=None, clock=clock),
        catalog_index=CatalogIndex(settings.data_dir / "search" / "catalog"),
        lake=Lake(settings, store),
    )
    return Node(
        settings=settings, store=store, services=services, dispatcher=Dispatcher(store, services)
    )


def require_current_schema(node: Node) -> None:
    """Refuse to serve from a store whose migrations are behind the code."""
    if not migrate.is_up_to_date(node.store):
        raise ConfigurationError(
            "the metadata store is not at the current schema; run `xiangshu db upgrade`"
        )
