"""The lake through the HTTP API: streamed upload, report, quarantine, pages, lookup, export."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient
from tests.helpers import PASSWORD, events, make_user
from tests.lake_fixtures import people_facts, person, register, write_csv

from xiangshu.actions.identity import token_create
from xiangshu.bootstrap import Node
from xiangshu.domain.roles import SYSTEM, Role
from xiangshu.schemas.identity import TokenCreate
from xiangshu.web.app import create_app

assert PASSWORD


def _token(node: Node, username: str, unit: str, role: Role) -> dict[str, str]:
    user = make_user(node, username, unit, role)
    issued = node.dispatcher.run(token_create, SYSTEM, user.id, TokenCreate(name="t"))
    return {"Authorization": f"Bearer {issued.token}"}


def test_upload_read_page_lookup_and_export_over_http(node: Node, tmp_path: Path) -> None:
    facts = register(node, people_facts(node))
    steward = _token(node, "steward", "省公安厅", Role.DATA_STEWARD)
    reader = _token(node, "reader", "省人力资源社会保障厅", Role.UNIT_USER)
    rows = [person(n) for n in range(1, 121)] + [person(200)[:2]]
    source = write_csv(tmp_path / "人口.csv", rows)
    base = f"/api/v1/resources/{facts.resource_id}"
    with TestClient(create_app(node=node)) as client:
        with source.open("rb") as handle:
            answer = client.post(
                f"{base}/loads", headers=steward, files={"file": ("人口.csv", handle, "text/csv")}
            )
        assert answer.status_code == 201, answer.text
        report = answer.json()
        assert (report["rows_valid"], report["rows_rejected"], report["version"]) == (120, 1, 1)

        quarantine = client.get(f"{base}/loads/{report['load_id']}/quarantine", headers=steward)
        assert quarantine.status_code == 200 and quarantine.text.startswith("\ufeff")
        assert next(csv.DictReader(io.StringIO(quarantine.text[1:])))["row"] == "122"
        denied = client.get(f"{base}/loads/{report['load_id']}/quarantine", headers=reader)
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"

        # keyset paging walks every record once, in key order, masked for this reader
        seen: list[str] = []
        after = None
        while True:
            params = {"limit": 50, "fields": "id_number,name,income"}
            if after:
                params["after"] = after
            page = client.get(f"{base}/records", headers=reader, params=params).json()
            seen += [r["id_number"] for r in page["records"]]
            after = page["next"]
            if after:  # the cursor carries the row position, never the masked key
                padded = after + "=" * (-len(after) % 4)
                assert all(isinstance(v, int) for v in json.loads(base64.urlsafe_b64decode(padded)))
            if after is None:
                break
        assert len(seen) == 120 and len(set(seen)) == 120
        assert all("*" in s for s in seen) and page["total"] == 120
        assert [f["masked"] for f in page["fields"]] == [True, True, False]

        filtered = client.get(
            f"{base}/records",
            headers=reader,
            params=[("filter", "income:gte:1100"), ("filter", "sex:in:1"), ("count", "true")],
        ).json()
        assert filtered["total"] == sum(
            1 for n in range(1, 121) if 1000 + n >= 1100 and person(n)[2] == "1"
        )
        bad = client.get(f"{base}/records", headers=reader, params={"sort": "id_number"})
        assert bad.status_code == 422 and "masked" in bad.text

        key = person(7)[0]
        one = client.get(f"{base}/records/{key}", headers=reader).json()
        assert one["record"]["name"].startswith("张") and "*" in one["record"]["name"]
        assert client.get(f"{base}/records/430102199901010000", headers=reader).status_code == 404

        export = client.get(f"{base}/records/export", headers=reader, params={"format": "parquet"})
        assert export.status_code == 200
        table = pq.read_table(io.BytesIO(export.content))
        assert table.num_rows == 120 and "*" in table.column("id_number")[0].as_py()

        anonymous = client.get(f"{base}/records")
        assert anonymous.status_code == 401
    assert len(events(node, "lake:records:query")) >= 4
    assert events(node, "lake:records:export")[-1].outcome == "ok"


def test_uploads_over_the_limit_or_without_a_file_are_refused(
    sqlite_node: Node, tmp_path: Path
) -> None:
    facts = register(sqlite_node, people_facts(sqlite_node))
    steward = _token(sqlite_node, "steward", "省公安厅", Role.DATA_STEWARD)
    sqlite_node.settings = sqlite_node.settings.model_copy(update={"lake_max_upload_mb": 1})
    base = f"/api/v1/resources/{facts.resource_id}/loads"
    big = write_csv(tmp_path / "big.csv", [person(n) for n in range(1, 20_000)])
    with TestClient(create_app(node=sqlite_node)) as client:
        with big.open("rb") as handle:
            refused = client.post(base, headers=steward, files={"file": ("big.csv", handle)})
        assert refused.status_code == 422 and "exceeds 1 MiB" in refused.text
        empty = client.post(base, headers=steward, data={"mode": "append"})
        assert empty.status_code == 422 and "field 'file'" in empty.text
        wrong = client.post(
            base, headers=steward, data={"mode": "merge"}, files={"file": ("a.csv", b"x")}
        )
        assert wrong.status_code == 422 and "replace, append or upsert" in wrong.text
    assert not list((tmp_path / "node").glob("lake/uploads/*"))
