"""Every migration runs up and down on both backends and matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xiangshu.bootstrap import Node, require_current_schema
from xiangshu.errors import ConfigurationError
from xiangshu.storage import migrate
from xiangshu.storage.models import Base


def test_upgrade_downgrade_upgrade(bare_node: Node) -> None:
    store = bare_node.store
    assert migrate.is_up_to_date(store)
    migrate.downgrade(store, "base")
    assert migrate.current_heads(store) == set()
    with pytest.raises(ConfigurationError, match="db upgrade"):
        require_current_schema(bare_node)
    migrate.upgrade(store)
    assert migrate.current_heads(store) == migrate.expected_heads()
    require_current_schema(bare_node)


def test_models_and_migrations_agree(bare_node: Node) -> None:
    with bare_node.store.write_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
