"""Run one ingest in a separate process (the kill test kills it midway)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from pydantic import SecretStr

from xiangshu.actions.lake_loads import records_ingest
from xiangshu.actions.static_resources import StaticResources
from xiangshu.bootstrap import build_node
from xiangshu.domain.roles import SYSTEM
from xiangshu.settings import Settings


def main() -> None:
    data_dir, database_url, facts_file, source = sys.argv[1:5]
    settings = Settings(
        environment="test",
        secret_key=SecretStr("test-secret-key-for-the-test-suite-only"),
        data_dir=Path(data_dir),
        database_url=database_url or None,
    )
    node = build_node(settings)
    facts = pickle.loads(Path(facts_file).read_bytes())
    node.services.resources = StaticResources(facts)
    node.dispatcher.run(records_ingest, SYSTEM, facts.code, Path(source))


if __name__ == "__main__":
    main()
