"""The node a CLI command works on, built once per invocation from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from xiangshu.bootstrap import Node, build_node
from xiangshu.settings import Settings, load_settings


@dataclass
class CliState:
    overrides: dict[str, Any] = field(default_factory=dict)
    console: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))
    _node: Node | None = None

    def settings(self) -> Settings:
        return load_settings(**self.overrides)

    def node(self) -> Node:
        if self._node is None:
            self._node = build_node(self.settings())
        return self._node

    def close(self) -> None:
        if self._node is not None:
            self._node.close()
            self._node = None


def override(state: CliState, data_dir: Path | None, database_url: str | None) -> None:
    if data_dir is not None:
        state.overrides["data_dir"] = data_dir
    if database_url is not None:
        state.overrides["database_url"] = database_url
