"""The catalog's full-text index (tantivy), derived from the metadata store.

Chinese text is indexed one Han character per token (Latin letters and digits as
words) with positions, and every query word is a phrase query over its characters:
a word matches exactly where it stands in the text, whatever its length — 社保,
积金贷 (inside 住房公积金贷款), 岳阳 inside 岳阳市 — with no dictionary to miss it.

Keeping in step: every catalog change takes the next number of the store's change
counter (``catalog_head``) in its own transaction. The index stores the number it has
reached; before each query it compares, and indexes the resources changed since.
So a rolled-back change never reaches the index, a committed one is found by the next
query in any web worker, and a crash between the two is caught up later. Writers of
several processes take tantivy's index lock in turn (retried); ``rebuild`` starts over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import select
from sqlalchemy.orm import Session

from xiangshu.errors import ConfigurationError
from xiangshu.storage.catalog import current_change_seq
from xiangshu.storage.models.catalog import ResourceRow
from xiangshu.storage.search.catalog_source import IndexedResource, indexed_resources

SCHEMA_VERSION = 2
TOKENIZER = "xs_han"
HAN_OR_WORD = r"\p{Han}|[[\p{L}\p{N}]--\p{Han}]+"  # one Han character, or a run of other letters
TEXT_FIELDS: dict[str, float] = {  # field → boost
    "name": 4.0,
    "code": 3.0,
    "keywords": 2.0,
    "items": 1.5,
    "provider": 1.5,
    "abstract": 1.0,
}
FACET_FIELDS = (
    "class_path",
    "region_path",
    "provider_id",
    "level",
    "share_type",
    "open_type",
    "format_class",
    "update_cycle",
    "status",
)
STORED = ("id", "code", "name", "abstract", "provider_name", *FACET_FIELDS)
WRITER_HEAP = 50_000_000
LOCK_ATTEMPTS = 100
LOCK_PAUSE_S = 0.05
BATCH = 2_000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("seq", stored=True)
    builder.add_text_field("code_sort", tokenizer_name="raw", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=name in STORED, tokenizer_name=TOKENIZER)
    builder.add_text_field("provider_name", stored=True, tokenizer_name="raw")
    for name in FACET_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(HAN_OR_WORD))
        .filter(tantivy.Filter.lowercase())
        .build()
    )


@dataclass(frozen=True, slots=True)
class Hit:
    score: float
    fields: dict[str, Any]  # stored fields, each a single value (lists for the paths)


@dataclass(frozen=True, slots=True)
class Found:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]


class CatalogIndex:
    def __init__(self, path: Path) -> None:
        self.path = path / f"v{SCHEMA_VERSION}"
        self._index: tantivy.Index | None = None
        self._lock = threading.Lock()
        self.schema = _schema()
        self.analyzer = _analyzer()

    # ------------------------------------------------------------ opening and writing

    @property
    def index(self) -> tantivy.Index:
        if self._index is None:
            self.path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            index.register_tokenizer(TOKENIZER, self.analyzer)
            self._index = index
        return self._index

    @contextmanager
    def _writer(self) -> Iterator[tantivy.IndexWriter]:
        for _attempt in range(LOCK_ATTEMPTS):
            try:
                writer = self.index.writer(WRITER_HEAP, 1)
                break
            except ValueError as error:  # another process holds the index lock
                if "lock" not in str(error).lower():
                    raise
                time.sleep(LOCK_PAUSE_S)
        else:
            raise ConfigurationError(f"the search index at {self.path} stays locked")
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def indexed_seq(self) -> int:
        searcher = self.index.searcher()
        found = searcher.search(tantivy.Query.term_query(self.schema, "kind", "meta"), 1)
        if not found.hits:
            return 0
        return int(searcher.doc(found.hits[0][1])["seq"][0])

    def _document(self, item: IndexedResource) -> tantivy.Document:
        doc = tantivy.Document(
            kind="resource",
            id=item.id,
            code_sort=item.code,
            code=item.code,
            name=item.name,
            abstract=item.abstract,
            items=item.items_text,
            provider=item.provider_text,
            keywords=item.keywords_text,
            provider_name=item.provider_name,
            provider_id=item.provider_id,
            level=item.level,
            share_type=item.share_type,
            open_type=item.open_type,
            format_class=item.format_class,
            update_cycle=item.update_cycle,
            status=item.status,
        )
        for code in item.class_path:
            doc.add_text("class_path", code)
        for code in item.region_path:
            doc.add_text("region_path", code)
        return doc

    def _write(
        self, writer: tantivy.IndexWriter, items: Iterable[IndexedResource], seq: int
    ) -> int:
        written = 0
        for item in items:
            writer.delete_documents_by_term("id", item.id)
            writer.add_document(self._document(item))
            written += 1
        writer.delete_documents_by_term("kind", "meta")
        meta = tantivy.Document(kind="meta")
        meta.add_unsigned("seq", seq)
        writer.add_document(meta)
        writer.commit()
        return written

    def sync(self, session: Session) -> int:
        """Index every resource changed since the index's last number; how many were."""
        target = current_change_seq(session)
        with self._lock:
            self.index.reload()
            if self.indexed_seq() >= target:
                return 0
            with self._writer() as writer:
                self.index.reload()
                done = self.indexed_seq()
                if done >= target:
                    return 0
                rows = session.execute(
                    select(ResourceRow)
                    .where(ResourceRow.change_seq > done, ResourceRow.change_seq <= target)
                    .execution_options(yield_per=BATCH)
                ).scalars()
                written = self._write(writer, indexed_resources(session, rows), target)
            self.index.reload()
            return written

    def rebuild(self, session: Session) -> tuple[int, int]:
        """Index every resource again from the store: (resources, change number)."""
        target = current_change_seq(session)
        with self._lock:
            with self._writer() as writer:
                writer.delete_all_documents()
                rows = session.execute(
                    select(ResourceRow).execution_options(yield_per=BATCH)
                ).scalars()
                written = self._write(writer, indexed_resources(session, rows), target)
            self.index.reload()
        return written, target

    # ------------------------------------------------------------ querying

    def tokens(self, word: str) -> list[str]:
        return [str(t) for t in self.analyzer.analyze(word)]

    def _phrase(self, field: str, tokens: Sequence[str]) -> tantivy.Query:
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, list(tokens))

    def word_query(self, alternatives: Sequence[str]) -> tantivy.Query | None:
        """One query word (or any of its long forms) in any text field, boosted by field."""
        clauses = []
        for text in alternatives:
            tokens = self.tokens(text)
            if not tokens:
                continue
            for field, boost in TEXT_FIELDS.items():
                clauses.append(
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.boost_query(self._phrase(field, tokens), boost),
                    )
                )
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def find(
        self,
        query: tantivy.Query,
        *,
        limit: int,
        offset: int,
        by_relevance: bool,
        facet_sizes: dict[str, int],
    ) -> Found:
        searcher = self.index.searcher()
        if by_relevance:
            result = searcher.search(query, limit, count=True, offset=offset)
        else:
            result = searcher.search(
                query,
                limit,
                count=True,
                order_by_field="code_sort",
                offset=offset,
                order=tantivy.Order.Asc,
            )
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address).to_dict()
            fields = {k: (v if k.endswith("_path") else v[0]) for k, v in stored.items()}
            hits.append(Hit(float(score) if by_relevance else 0.0, fields))
        facets: dict[str, dict[str, int]] = {}
        if facet_sizes:
            spec = {f: {"terms": {"field": f, "size": size}} for f, size in facet_sizes.items()}
            aggregated = searcher.aggregate(query, spec)
            for name in facet_sizes:
                buckets = aggregated.get(name, {}).get("buckets", [])
                facets[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return Found(total=int(getattr(result, "count", 0) or 0), hits=hits, facets=facets)
