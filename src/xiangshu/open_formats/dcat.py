"""Open datasets as DCAT-AP 3.0.0 (Turtle, RDF/XML, JSON-LD), with rdflib.

Shapes followed: the official DCAT-AP 3.0.0 SHACL (``shared/data/dcat-ap-3.0.0``); the
tests validate the output with pyshacl. Every node a shape expects to be of a class
is typed (publisher ``foaf:Agent``, licence ``dct:LicenseDocument``, frequency
``dct:Frequency`` from the EU frequency vocabulary, themes ``skos:Concept`` in a
``skos:ConceptScheme`` — the classification tree of 信息资源分类, and so on).
Literals carry languages: the catalog, distributions, licence and vocabulary labels
in Chinese and English; dataset titles and abstracts are Chinese (``@zh``), as
catalogued. The catalog is paged with Hydra (``hydra:PartialCollectionView``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from xiangshu.domain.catalog.values import UpdateCycle
from xiangshu.schemas.portal import DatasetCard, DatasetPage

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/ZHO"
EU_ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
IANA = "http://www.iana.org/assignments/media-types/"
FREQUENCY = {
    UpdateCycle.REALTIME: ("UPDATE_CONT", "实时", "continuously updated"),
    UpdateCycle.DAILY: ("DAILY", "每日", "daily"),
    UpdateCycle.WEEKLY: ("WEEKLY", "每周", "weekly"),
    UpdateCycle.MONTHLY: ("MONTHLY", "每月", "monthly"),
    UpdateCycle.QUARTERLY: ("QUARTERLY", "每季度", "quarterly"),
    UpdateCycle.HALF_YEARLY: ("ANNUAL_2", "每半年", "semiannual"),
    UpdateCycle.YEARLY: ("ANNUAL", "每年", "annual"),
    UpdateCycle.OTHER: ("IRREG", "其他", "irregular"),
}
DOWNLOADS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
}
RDF_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
MEDIA_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class CatalogInfo:
    base: str  # scheme://host
    title_zh: str
    class_names: dict[str, str]  # classification code → name
    license_title: str
    license_path: str


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    pages: int
    total: int
    path: str  # e.g. /open/dcat/catalog.ttl


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


class _Builder:
    def __init__(self, info: CatalogInfo) -> None:
        self.info = info
        self.g = Graph()
        for prefix, namespace in (
            ("dcat", DCAT),
            ("dct", DCTERMS),
            ("foaf", FOAF),
            ("skos", SKOS),
            ("hydra", HYDRA),
            ("vcard", VCARD),
        ):
            self.g.bind(prefix, namespace)
        self.catalog = URIRef(f"{info.base}/open/dcat/catalog")
        self.scheme = URIRef(f"{info.base}/open/dcat/classifications")
        self.license = URIRef(f"{info.base}{info.license_path}")
        self._agents: set[str] = set()

    def iri(self, path: str) -> URIRef:
        return URIRef(f"{self.info.base}{path}")

    def shared(self) -> None:
        g = self.g
        g.add((self.license, RDF.type, DCTERMS.LicenseDocument))
        g.add((self.license, DCTERMS.title, _zh(self.info.license_title)))
        g.add((self.license, DCTERMS.title, _en("Xiangshu open data terms")))
        g.add((self.scheme, RDF.type, SKOS.ConceptScheme))
        g.add((self.scheme, DCTERMS.title, _zh("政务信息资源分类")))
        g.add(
            (self.scheme, DCTERMS.title, _en("Classification of government information resources"))
        )
        language = URIRef(EU_LANGUAGE)
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))

    def catalog_node(self, paging: Paging | None) -> None:
        g, node = self.g, self.catalog
        g.add((node, RDF.type, DCAT.Catalog))
        g.add((node, DCTERMS.title, _zh(f"{self.info.title_zh}开放数据目录")))
        g.add((node, DCTERMS.title, _en("Open data catalog of the Xiangshu node")))
        g.add(
            (
                node,
                DCTERMS.description,
                _zh("本节点向社会开放的政务数据集（无条件开放和有条件开放）。"),
            )
        )
        g.add(
            (node, DCTERMS.description, _en("Government datasets this node opens to the public."))
        )
        g.add((node, DCTERMS.publisher, self.agent("node", self.info.title_zh)))
        g.add((node, DCTERMS.license, self.license))
        g.add((node, DCTERMS.language, URIRef(EU_LANGUAGE)))
        g.add((node, FOAF.homepage, self.iri("/open")))
        g.add((self.iri("/open"), RDF.type, FOAF.Document))
        g.add((node, DCAT.themeTaxonomy, self.scheme))
        if paging is not None:
            view = URIRef(f"{self.info.base}{paging.path}?page={paging.page}")
            g.add((node, HYDRA.view, view))
            g.add((view, RDF.type, HYDRA.PartialCollectionView))
            g.add((view, HYDRA.totalItems, Literal(paging.total, datatype=XSD.integer)))
            g.add((view, HYDRA.first, URIRef(f"{self.info.base}{paging.path}?page=1")))
            g.add((view, HYDRA.last, URIRef(f"{self.info.base}{paging.path}?page={paging.pages}")))
            if paging.page < paging.pages:
                g.add(
                    (
                        view,
                        HYDRA.next,
                        URIRef(f"{self.info.base}{paging.path}?page={paging.page + 1}"),
                    )
                )
            if paging.page > 1:
                g.add(
                    (
                        view,
                        HYDRA.previous,
                        URIRef(f"{self.info.base}{paging.path}?page={paging.page - 1}"),
                    )
                )

    def agent(self, key: str, name: str) -> URIRef:
        node = self.iri(f"/open/units/{key}")
        if key not in self._agents:
            self._agents.add(key)
            self.g.add((node, RDF.type, FOAF.Agent))
            self.g.add((node, FOAF.name, _zh(name)))
        return node

    def theme(self, code: str) -> URIRef:
        node = self.iri(f"/open/dcat/classifications/{code}")
        self.g.add((node, RDF.type, SKOS.Concept))
        self.g.add((node, SKOS.prefLabel, _zh(self.info.class_names.get(code, code))))
        self.g.add((node, SKOS.notation, Literal(code)))
        self.g.add((node, SKOS.inScheme, self.scheme))
        return node

    def frequency(self, cycle: UpdateCycle) -> URIRef:
        code, zh, en = FREQUENCY[cycle]
        node = URIRef(EU_FREQUENCY + code)
        self.g.add((node, RDF.type, DCTERMS.Frequency))
        self.g.add((node, SKOS.prefLabel, _zh(zh)))
        self.g.add((node, SKOS.prefLabel, _en(en)))
        return node

    def dataset(self, card: DatasetCard, page: DatasetPage | None = None) -> URIRef:
        g = self.g
        node = self.iri(f"/open/datasets/{card.slug}")
        g.add((self.catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, _zh(card.name)))
        g.add((node, DCTERMS.description, _zh(card.abstract)))
        g.add((node, DCTERMS.identifier, Literal(card.code)))
        g.add((node, DCTERMS.publisher, self.agent(card.provider_slug, card.provider_name)))
        g.add((node, DCTERMS.accrualPeriodicity, self.frequency(card.update_cycle)))
        g.add((node, DCAT.theme, self.theme(card.class_code[:3])))
        g.add((node, DCAT.theme, self.theme(card.class_code)))
        g.add((node, DCAT.landingPage, node))
        g.add((node, RDF.type, FOAF.Document))
        g.add((node, DCTERMS.language, URIRef(EU_LANGUAGE)))
        g.add(
            (
                node,
                DCTERMS.modified,
                Literal(card.updated_at.replace(microsecond=0), datatype=XSD.dateTime),
            )
        )
        if card.published_on:
            g.add((node, DCTERMS.issued, Literal(card.published_on, datatype=XSD.date)))
        for keyword in card.keywords:
            g.add((node, DCAT.keyword, _zh(keyword)))
        if card.open_type.value == "open":
            g.add((node, DCTERMS.accessRights, URIRef(EU_ACCESS + "PUBLIC")))
            g.add((URIRef(EU_ACCESS + "PUBLIC"), RDF.type, DCTERMS.RightsStatement))
        else:
            condition = page.open_condition if page else ""
            restricted = URIRef(EU_ACCESS + "RESTRICTED")
            g.add((node, DCTERMS.accessRights, restricted))
            g.add((restricted, RDF.type, DCTERMS.RightsStatement))
            if condition:
                g.add((restricted, DCTERMS.description, _zh(condition)))
        contact = BNode()
        g.add((node, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, _zh(card.provider_name)))
        if card.records is not None:
            for fmt, (code, media) in DOWNLOADS.items():
                self.distribution(node, card, fmt, code, media)
        return node

    def distribution(
        self, dataset: URIRef, card: DatasetCard, fmt: str, code: str, media: str
    ) -> None:
        g = self.g
        node = self.iri(f"/open/datasets/{card.slug}/download.{fmt}#distribution")
        url = self.iri(f"/open/datasets/{card.slug}/download.{fmt}")
        g.add((dataset, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCAT.accessURL, url))
        g.add((node, DCAT.downloadURL, url))
        g.add((url, RDF.type, RDFS.Resource))
        g.add((node, DCTERMS.title, _zh(f"{card.name}（{code}）")))
        g.add((node, DCTERMS.title, _en(f"Records as {code}")))
        g.add((node, DCTERMS.license, self.license))
        file_type = URIRef(EU_FILE_TYPE + code)
        g.add((node, DCTERMS.format, file_type))
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        media_type = URIRef(IANA + media)
        g.add((node, DCAT.mediaType, media_type))
        g.add((media_type, RDF.type, DCTERMS.MediaType))
        if card.data_updated_at is not None:
            g.add(
                (
                    node,
                    DCTERMS.modified,
                    Literal(card.data_updated_at.replace(microsecond=0), datatype=XSD.dateTime),
                )
            )


def catalog_graph(info: CatalogInfo, cards: Sequence[DatasetCard], paging: Paging | None) -> Graph:
    builder = _Builder(info)
    builder.shared()
    builder.catalog_node(paging)
    for card in cards:
        builder.dataset(card)
    return builder.g


def dataset_graph(info: CatalogInfo, page: DatasetPage) -> Graph:
    builder = _Builder(info)
    builder.shared()
    builder.catalog_node(None)
    builder.dataset(page.card, page)
    return builder.g


def serialize(graph: Graph, ext: str) -> bytes:
    data = graph.serialize(format=RDF_FORMATS[ext], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode()
