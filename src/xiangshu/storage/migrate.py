"""Run the metadata store's migrations (Alembic) from code, the CLI or tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from xiangshu.storage.db import Store

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(store: Store, revision: str = "heads") -> None:
    config = alembic_config(store.url)
    with store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(store: Store, revision: str) -> None:
    config = alembic_config(store.url)
    with store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_heads(store: Store) -> set[str]:
    with store.read_engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def expected_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def is_up_to_date(store: Store) -> bool:
    return current_heads(store) == expected_heads()
