"""A TestClient over the app of the ``node`` fixture (both backends)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from xiangshu.bootstrap import Node
from xiangshu.web.app import create_app


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node=node)) as test_client:
        yield test_client


def form_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str) -> None:
    token = form_token(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
