"""The composition root: builds a node's services from settings. Nothing here runs at import."""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.actions import Dispatcher
from xiangshu.actions.context import Services
from xiangshu.clock import Clock, SystemClock
from xiangshu.crypto.keys import KeyFileError, KeyRing, SigningKeys
from xiangshu.crypto.passwords import PasswordHasher
from xiangshu.domain.workdays import WorkingCalendar
from xiangshu.errors import ConfigurationError
from xiangshu.settings import Settings
from xiangshu.storage import migrate
from xiangshu.storage.catalog import CatalogDirectory
from xiangshu.storage.db import Store
from xiangshu.storage.lake.service import Lake
from xiangshu.storage.portal.grants import OpenDataGrants
from xiangshu.storage.search.catalog_index import CatalogIndex
from xiangshu.storage.sharing.exchange_log import SharingExchangeLog
from xiangshu.storage.sharing.grants import SharingGrants


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
    the_clock = clock or SystemClock()
    services = Services(
        settings=settings,
        clock=the_clock,
        passwords=PasswordHasher(fast_for_tests=settings.environment == "test"),
        keys=sealing_keys(settings),
        resources=CatalogDirectory(),
        grants=OpenDataGrants(inner=SharingGrants(the_clock, settings), clock=the_clock),
        exchange_log=SharingExchangeLog(settings),
        signing=SigningKeys.load(settings.key_path),
        calendar=WorkingCalendar.official(
            settings.holiday_file, refuse_unknown=settings.unknown_calendar_years == "refuse"
        ),
        catalog_index=CatalogIndex(settings.data_dir / "search" / "catalog"),
        lake=Lake(settings, store),
    )
    return Node(
        settings=settings, store=store, services=services, dispatcher=Dispatcher(store, services)
    )


def sealing_keys(settings: Settings) -> KeyRing:
    """The SM4 key ring: version 1 from the secret key, others from files or the environment."""
    extra = settings.sealing_keys.get_secret_value() if settings.sealing_keys else None
    try:
        return KeyRing.from_sources(
            settings.secret_key.get_secret_value().encode(),
            key_dir=settings.key_path,
            env_text=extra,
            current=settings.sealing_key_version,
        )
    except KeyFileError as exc:
        raise ConfigurationError(str(exc)) from exc


def require_current_schema(node: Node) -> None:
    """Refuse to serve from a store whose migrations are behind the code."""
    if not migrate.is_up_to_date(node.store):
        raise ConfigurationError(
            "the metadata store is not at the current schema; run `xiangshu db upgrade`"
        )
