"""The exchange surface over HTTP: signed calls (forged, replayed, stale refused and
recorded), SM2 receipts, signed file links with SM3 checksums, the change feed."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.helpers import events
from tests.sharing_fixtures import application, card, cast, people_ids

from xiangshu.actions.identity import app_create
from xiangshu.actions.sharing_requests import request_create, request_decide
from xiangshu.bootstrap import Node
from xiangshu.clock import FixedClock
from xiangshu.crypto.sm2 import SM2PublicKey
from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.sharing.requests import Verdict
from xiangshu.domain.sharing.webhooks import receipt_text
from xiangshu.domain.signing import sign_request
from xiangshu.schemas.sharing import DecisionIn
from xiangshu.storage.models.sharing import ExchangeRecordRow


class Signer:
    def __init__(self, node: Node, key: str, secret: str) -> None:
        self.node, self.key, self.secret, self.count = node, key, secret, 0

    def headers(
        self, method: str, path: str, query: str = "", body: bytes = b"", **changes: str
    ) -> dict[str, str]:
        self.count += 1
        timestamp = changes.get("timestamp", str(int(self.node.services.clock.now().timestamp())))
        nonce = changes.get("nonce", f"nonce-{self.count:06d}")
        signature = sign_request(self.secret, method, path, query, timestamp, nonce, body)
        return {
            "X-App-Key": self.key,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": changes.get("signature", signature),
        }


def _setup(node: Node, tmp: Path) -> tuple[Any, Any, Signer, list[str]]:
    ids = people_ids()
    c = cast(node)
    resource = card(node, c, tmp, ids=ids)
    run = node.dispatcher.run
    asked = run(request_create, c.clerk, application(resource))
    run(request_decide, c.steward, asked.id, DecisionIn(verdict=Verdict.APPROVE))
    from xiangshu.schemas.identity import AppCreate

    app = run(app_create, c.clerk, c.clerk.user_id, AppCreate(name="户籍核验系统"))
    return c, resource, Signer(node, app.app_key, app.app_secret), ids


def test_signed_calls_with_receipts_and_refusals_recorded(
    node: Node, client: TestClient, tmp_path: Path, clock: FixedClock
) -> None:
    _c, resource, signer, ids = _setup(node, tmp_path)
    path = f"/api/v1/exchange/resources/{resource.id}/records"
    query = "limit=2"
    ok = client.get(
        f"{path}?{query}", headers={**signer.headers("GET", path, query), "X-Receipt": "sm2"}
    )
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["records"]) == 2
    keys = client.get("/api/v1/sharing/keys").json()
    public = SM2PublicKey.from_pem(keys["keys"][ok.headers["X-Xiangshu-Key-Id"]])
    text = receipt_text(
        "GET", path, query, int(ok.headers["X-Xiangshu-Receipt-Time"]), sm3_hex(ok.content)
    )
    receipt = base64.b64decode(ok.headers["X-Xiangshu-Receipt"])
    assert public.verify(text, receipt)
    assert not public.verify(text.replace(b"GET", b"PUT"), receipt)

    forged = client.get(
        f"{path}?{query}", headers=signer.headers("GET", path, query, signature="0" * 64)
    )
    assert forged.status_code == 401 and "signature" in forged.json()["error"]["message"]
    replayed_headers = signer.headers("GET", path, query)
    assert client.get(f"{path}?{query}", headers=replayed_headers).status_code == 200
    replay = client.get(f"{path}?{query}", headers=replayed_headers)
    assert replay.status_code == 401 and "replay" in replay.json()["error"]["message"]
    stale_time = str(int(clock.now().timestamp()) - 301)
    stale = client.get(
        f"{path}?{query}", headers=signer.headers("GET", path, query, timestamp=stale_time)
    )
    assert stale.status_code == 401 and "300 seconds" in stale.json()["error"]["message"]
    widened = client.get(f"{path}?limit=5", headers=signer.headers("GET", path, query))
    assert widened.status_code == 401  # the signature covers the query

    refusals = events(node, "sharing:exchange:refuse")
    assert len(refusals) == 4 and {e.outcome for e in refusals} == {"unauthenticated"}
    with node.store.transaction(write=False) as session:
        results = [r.result for r in session.execute(select(ExchangeRecordRow)).scalars()]
    assert results.count("not_authenticated") == 4 and results.count("ok") == 2

    body = b'{"values": {"id_number": "%s", "name": "\\u738b\\u4e00\\u660e"}}' % ids[0].encode()
    verify = f"/api/v1/exchange/resources/{resource.id}/verify"
    checked = client.post(
        verify,
        content=body,
        headers={**signer.headers("POST", verify, "", body), "Content-Type": "application/json"},
    )
    assert checked.status_code == 200 and checked.json()["match"] is True


def test_files_come_through_signed_expiring_links_with_their_sm3(
    node: Node, client: TestClient, tmp_path: Path, clock: FixedClock
) -> None:
    _c, resource, signer, _ids = _setup(node, tmp_path)
    path = f"/api/v1/exchange/resources/{resource.id}/files"
    made = client.post(f"{path}?format=csv", headers=signer.headers("POST", path, "format=csv"))
    assert made.status_code == 201, made.text
    ticket = made.json()
    link = urlsplit(ticket["url"])
    got = client.get(ticket["url"], headers=signer.headers("GET", link.path, link.query))
    assert got.status_code == 200
    assert sm3_hex(got.content) == got.headers["X-Content-SM3"] == ticket["sm3"]
    assert got.content.decode("utf-8-sig").count("\n") == 6  # header + 5 rows
    statement = f"sm3:{ticket['sm3']}\nfile:{ticket['file_name']}\nrows:5".encode()
    keys = client.get("/api/v1/sharing/keys").json()["keys"]
    public = SM2PublicKey.from_pem(keys[got.headers["X-Xiangshu-Key-Id"]])
    assert public.verify(statement, base64.b64decode(got.headers["X-Xiangshu-Signature"]))

    tampered = ticket["url"].replace("signature=", "signature=0")
    bad = urlsplit(tampered)
    assert (
        client.get(tampered, headers=signer.headers("GET", bad.path, bad.query)).status_code == 403
    )
    from tests.helpers import PASSWORD
    from tests.web.conftest import sign_in

    sign_in(client, "jyt.user", PASSWORD)  # another unit holding the link
    assert client.get(ticket["url"]).status_code == 403
    client.cookies.clear()
    clock.advance(minutes=61)
    late = client.get(ticket["url"], headers=signer.headers("GET", link.path, link.query))
    assert late.status_code == 403 and "expired" in late.json()["error"]["message"]


def test_the_change_feed_over_http(node: Node, client: TestClient, tmp_path: Path) -> None:
    _c, resource, signer, _ids = _setup(node, tmp_path)
    path = f"/api/v1/exchange/resources/{resource.id}/changes"
    page = client.get(f"{path}?limit=3", headers=signer.headers("GET", path, "limit=3")).json()
    assert len(page["changes"]) == 3 and not page["done"]
    query = f"cursor={page['cursor']}&limit=3"
    rest = client.get(f"{path}?{query}", headers=signer.headers("GET", path, query)).json()
    assert len(rest["changes"]) == 2 and rest["done"]
