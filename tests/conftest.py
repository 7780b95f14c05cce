"""Shared fixtures: a node on SQLite and on PostgreSQL, built from migrated templates.

Contract tests take the ``node`` fixture and run once per backend. Each test
gets its own database: a copy of a SQLite template file, or a PostgreSQL
database created from a template database, so tests are isolated and may
use real concurrent transactions. Under ``CI=true`` a PostgreSQL test that
cannot run fails the session instead of being skipped.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr

from xiangshu.bootstrap import Node, build_node
from xiangshu.clock import FixedClock
from xiangshu.provisioning import initialise
from xiangshu.settings import Settings
from xiangshu.storage import migrate
from xiangshu.storage.db import Store

PG_ADMIN_DSN = os.environ.get("XIANGSHU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_SECRET = "test-secret-key-for-the-test-suite-only"
START = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, a Friday


def pg_url(database: str) -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{database}"


def _pg_admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _pg_available() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError as error:
        return str(error).strip().splitlines()[0]
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)


_REAL_PART_SKIPS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember skipped tests that needed a real part (PostgreSQL, Chromium)."""
    if report.skipped and ("postgres" in report.keywords or "browser" in report.keywords):
        _REAL_PART_SKIPS.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped PostgreSQL or browser test fails the run."""
    if IN_CI and _REAL_PART_SKIPS:
        print(f"\nCI=true: {len(_REAL_PART_SKIPS)} PostgreSQL/browser test(s) were skipped:")
        for nodeid in _REAL_PART_SKIPS[:20]:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def make_settings(tmp: Path, database_url: str | None) -> Settings:
    return Settings(
        environment="test",
        secret_key=SecretStr(TEST_SECRET),
        data_dir=tmp,
        database_url=database_url,
    )


class _Templates:
    """Migrated, initialised stores that tests copy."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pg_name = f"xs_tpl_{os.getpid()}"
        self._sqlite: dict[bool, Path] = {}
        self._pg: dict[bool, str] = {}
        self.pg_databases: list[str] = []

    def _build(self, settings: Settings, initialised: bool) -> None:
        node = build_node(settings)
        try:
            if initialised:
                initialise(node)
            else:
                migrate.upgrade(node.store)
        finally:
            node.close()

    def sqlite(self, initialised: bool) -> Path:
        if initialised not in self._sqlite:
            folder = self.root / f"sqlite-{'init' if initialised else 'bare'}"
            folder.mkdir()
            self._build(make_settings(folder, None), initialised)
            self._sqlite[initialised] = folder / "xiangshu.db"
        return self._sqlite[initialised]

    def postgres(self, initialised: bool) -> str:
        if initialised not in self._pg:
            name = f"{self.pg_name}_{'init' if initialised else 'bare'}"
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
            _pg_admin(f'CREATE DATABASE "{name}"')
            self.pg_databases.append(name)
            self._build(make_settings(self.root, pg_url(name)), initialised)
            self._pg[initialised] = name
        return self._pg[initialised]


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Templates]:
    found = _Templates(tmp_path_factory.mktemp("templates"))
    yield found
    for name in found.pg_databases:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_problem() -> str | None:
    return _pg_available()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _node_for(
    backend: str,
    *,
    initialised: bool,
    templates: _Templates,
    tmp_path: Path,
    clock: FixedClock,
    pg_problem: str | None,
) -> Iterator[Node]:
    folder = tmp_path / ("node" if initialised else "bare")
    folder.mkdir(exist_ok=True)
    if backend == "sqlite":
        shutil.copy(templates.sqlite(initialised), folder / "xiangshu.db")
        node = build_node(make_settings(folder, None), clock=clock)
        yield node
        node.close()
        return
    if pg_problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true and is not reachable: {pg_problem}")
        pytest.skip(f"PostgreSQL not reachable: {pg_problem}")
    template = templates.postgres(initialised)
    name = f"xs_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    node = build_node(make_settings(folder, pg_url(name)), clock=clock)
    try:
        yield node
    finally:
        node.close()
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def node(
    backend: str,
    templates: _Templates,
    tmp_path: Path,
    clock: FixedClock,
    pg_problem: str | None,
) -> Iterator[Node]:
    """An initialised Hunan node (divisions, node identity, seed units), on each backend."""
    yield from _node_for(
        backend,
        initialised=True,
        templates=templates,
        tmp_path=tmp_path,
        clock=clock,
        pg_problem=pg_problem,
    )


@pytest.fixture
def bare_node(
    backend: str,
    templates: _Templates,
    tmp_path: Path,
    clock: FixedClock,
    pg_problem: str | None,
) -> Iterator[Node]:
    """A node whose store is migrated but holds nothing yet, on each backend."""
    yield from _node_for(
        backend,
        initialised=False,
        templates=templates,
        tmp_path=tmp_path,
        clock=clock,
        pg_problem=pg_problem,
    )


@pytest.fixture
def sqlite_node(
    templates: _Templates, tmp_path: Path, clock: FixedClock, pg_problem: str | None
) -> Iterator[Node]:
    """An initialised node on SQLite only, for tests whose subject is not storage."""
    yield from _node_for(
        "sqlite",
        initialised=True,
        templates=templates,
        tmp_path=tmp_path,
        clock=clock,
        pg_problem=pg_problem,
    )


def store_of(node: Node) -> Store:
    return node.store
