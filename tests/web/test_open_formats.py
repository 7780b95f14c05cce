"""DCAT-AP 3 conforms to the official SHACL shapes (pyshacl); datapackage.json is valid for
the frictionless tools, with its data; the native API survives schemathesis fuzzing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from tests.portal_fixtures import PortalCatalog, portal_catalog

from xiangshu.bootstrap import Node
from xiangshu.web.app import create_app

SHAPES = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "dcat-ap-3.0.0" / "dcat-ap-SHACL.ttl"
)
SHAPES = SHAPES if SHAPES.exists() else Path("/work/shared/data/dcat-ap-3.0.0/dcat-ap-SHACL.ttl")


@pytest.fixture
def catalog(node: Node, tmp_path: Path) -> PortalCatalog:
    return portal_catalog(node, tmp_path)


@pytest.fixture
def client(node: Node, catalog: PortalCatalog) -> Iterator[TestClient]:
    with TestClient(create_app(node=node)) as test_client:
        yield test_client


def _conforms(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), str(text)


@pytest.mark.parametrize(("ext", "fmt"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")])
def test_dcat_catalog_conforms_to_the_official_shapes(
    client: TestClient, ext: str, fmt: str
) -> None:
    response = client.get(f"/open/dcat/catalog.{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=fmt)
    conforms, report = _conforms(graph)
    assert conforms, report[:3000]
    titles = {
        (str(o), o.language)
        for s, o in graph.subject_objects(predicate=__import__("rdflib").namespace.DCTERMS.title)
        if str(s).endswith("/open/dcat/catalog")
    }
    assert {lang for _t, lang in titles} == {"zh", "en"}
    assert "企业纳税信息" not in response.text  # not open: not in the catalog


def test_dcat_dataset_and_paging(client: TestClient, catalog: PortalCatalog) -> None:
    slug = catalog.air.replace("/", "-")
    response = client.get(f"/open/datasets/{slug}/dcat.ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    conforms, report = _conforms(graph)
    assert conforms, report[:3000]
    assert "RESTRICTED" in response.text and "经实名注册" in response.text
    page_two = client.get("/open/dcat/catalog.ttl?page=2").text
    assert "hydra:previous" in page_two or "previous" in page_two
    assert client.get(f"/open/datasets/{catalog.closed}/dcat.ttl").status_code == 404
    assert client.get(f"/open/datasets/{slug}/dcat.exe").status_code == 404


def test_datapackage_is_valid_with_its_data(
    client: TestClient, catalog: PortalCatalog, tmp_path: Path
) -> None:
    from frictionless import Package, validate

    slug = catalog.stats.replace("/", "-")
    descriptor = client.get(f"/open/datasets/{slug}/datapackage.json").json()
    csv = client.get(f"/open/datasets/{slug}/download.csv")
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    (tmp_path / "records.csv").write_bytes(csv.content)
    resource = descriptor["resources"][0]
    assert resource["schema"]["primaryKey"] == ["period", "division_code"]
    resource["path"] = "records.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("records").read_rows()
    assert len(rows) == 42 and rows[0]["city"] == "长沙市"


def test_downloads_in_four_formats_are_counted(
    client: TestClient, catalog: PortalCatalog, node: Node
) -> None:
    import pyarrow.parquet as pq

    slug = catalog.stats.replace("/", "-")
    sizes = {}
    for fmt in ("csv", "xlsx", "json", "parquet"):
        response = client.get(f"/open/datasets/{slug}/download.{fmt}")
        assert response.status_code == 200, fmt
        sizes[fmt] = len(response.content)
        if fmt == "json":
            assert len(response.json()) == 42
        if fmt == "parquet":
            assert pq.read_table(io.BytesIO(response.content)).num_rows == 42
    assert client.get(f"/open/datasets/{catalog.closed}/download.csv").status_code == 404
    air = catalog.air.replace("/", "-")
    assert client.get(f"/open/datasets/{air}/download.csv").status_code == 401
    client.app.state.portal_runtime.usage.flush()  # type: ignore[attr-defined]
    stats = client.get("/api/v1/open/stats").json()
    assert stats["totals"]["downloads"] == 4


def test_the_native_api_survives_fuzzing(sqlite_node: Node, tmp_path: Path) -> None:
    """schemathesis generates requests for every /api/v1/open operation from the OpenAPI;
    none may end in a server error (5xx)."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    portal_catalog(sqlite_node, tmp_path)
    sqlite_node.settings = sqlite_node.settings.model_copy(
        update={"portal_anonymous_per_minute": 0}
    )
    app = create_app(node=sqlite_node)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = 0
    with TestClient(app):
        for result in schema.include(path_regex=r"^/api/v1/open").get_all_operations():
            operation = result.ok()
            operations += 1

            @given(case=operation.as_strategy())
            @settings(
                max_examples=12,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            def check(case: object) -> None:
                response = case.call()  # type: ignore[attr-defined]
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path}: {response.status_code}"  # type: ignore[attr-defined]
                    )

            check()
    assert operations >= 15
    assert failures == []
