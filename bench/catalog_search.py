"""Catalog search on N synthetic resources: p95 latency and recall on a query set.

Compared in the same run, over the same rows, with two baselines:
- a naive scan: SQLite ``LIKE '%word%'`` over name, abstract, items and provider;
- SQLite FTS5 with the trigram tokenizer (what SQLite offers for Chinese).

Recall is measured against the exact answer (every resource whose text holds every
query word, or a long form of an abbreviation), computed by a Python scan. The
catalog index is queried as the search action queries it: visibility filter for a
government user, words as phrases, facet counts, top 20.

    .venv/bin/python -m bench.catalog_search --size 100000
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import tantivy

from xiangshu.actions.catalog_search import FACET_SIZES, _visibility
from xiangshu.domain.catalog.search_terms import alternatives, query_words
from xiangshu.domain.roles import Actor, ActorKind, Role
from xiangshu.policies.catalog import visible_kinds
from xiangshu.storage.search.catalog_index import CatalogIndex
from xiangshu.storage.search.catalog_source import IndexedResource

PLACES = [
    "湖南省",
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "张家界市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "湘西州",
    "浏阳市",
    "宁乡市",
    "醴陵市",
    "湘乡市",
    "韶山市",
    "耒阳市",
    "常宁市",
    "武冈市",
    "邵东市",
    "汨罗市",
    "临湘市",
    "津市市",
    "沅江市",
    "资兴市",
    "洪江市",
    "冷水江市",
    "涟源市",
    "吉首市",
    "芙蓉区",
    "天心区",
    "岳麓区",
    "开福区",
    "雨花区",
    "望城区",
    "长沙县",
]
SUBJECTS = [
    "社会保障卡持卡",
    "企业职工养老保险参保",
    "失业保险金发放",
    "住房公积金缴存",
    "住房公积金贷款发放",
    "企业登记",
    "个体工商户登记",
    "社会组织登记",
    "不动产登记",
    "土地利用现状",
    "电子健康档案",
    "医疗机构执业登记",
    "出生医学证明",
    "婚姻登记",
    "户籍人口",
    "流动人口居住登记",
    "城乡低保对象",
    "特困人员供养",
    "建档立卡贫困人口",
    "扶贫项目资金",
    "中小学学籍",
    "教师资格认定",
    "道路运输经营许可",
    "营运车辆",
    "公交线路站点",
    "空气质量监测",
    "地表水水质监测",
    "河流水位雨量",
    "重点排污单位监控",
    "环境行政处罚决定",
    "市场监管行政处罚决定",
    "食品安全抽检",
    "药品经营许可",
    "安全生产许可",
    "危险化学品企业",
    "自然灾害灾情",
    "重要商品价格监测",
    "宽带用户",
    "移动通信基站",
    "地区生产总值",
    "政务服务办件",
    "12345热线工单",
    "网格化治理事件",
    "城市管理案件",
    "纳税信用等级",
    "政府采购合同",
    "专利授权",
    "进出口贸易",
    "高新技术企业认定",
    "A级旅游景区",
    "公共体育场馆",
    "耕地地力保护补贴",
    "农产品质量追溯",
]
KINDS = ("信息", "统计", "数据", "台账", "名录", "目录")
ITEMS = [
    "公民身份号码",
    "姓名",
    "性别",
    "出生日期",
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "注册资本",
    "成立日期",
    "住所",
    "行政区划代码",
    "详细地址",
    "统计年度",
    "指标值",
    "办件编号",
    "事项名称",
    "受理日期",
    "办理状态",
    "证照编号",
    "有效期",
    "监测时间",
    "站点编码",
    "浓度",
    "金额",
    "面积",
    "车牌号码",
    "许可证编号",
    "处罚金额",
    "决定书文号",
    "社会保障卡号",
    "贷款金额",
]
PROVIDERS = [
    "省公安厅",
    "省民政厅",
    "省人力资源社会保障厅",
    "省住房城乡建设厅",
    "省自然资源厅",
    "省生态环境厅",
    "省交通运输厅",
    "省卫生健康委",
    "省市场监管局",
    "省教育厅",
    "省农业农村厅",
    "省应急厅",
    "省发展改革委",
    "省统计局",
    "省通信管理局",
    "省扶贫办",
    "省政务局",
    "省税务局",
    "省财政厅",
    "省数据局",
]
QUERIES = (
    "社保", "积金贷", "岳阳 企业", "不动产登记", "电子健康档案", "宽带", "行政处罚", "身份号码",
    "公积金", "长沙 空气质量", "扶贫 对象", "学籍", "道路运输", "12345", "信息", "水位 河流",
    "食品 抽检", "婚姻登记", "低保", "株洲市 城市管理 案件",
)  # fmt: skip
UNITS = [uuid.UUID(int=n + 1) for n in range(len(PROVIDERS))]
STATUSES = ("published",) * 18 + ("draft", "submitted")
SHARES = ("unconditional", "conditional", "not_shared")
OPENS = ("open", "conditional", "not_open")


def synthetic(size: int, seed: int = 2026) -> list[IndexedResource]:
    rng = random.Random(seed)
    found = []
    for n in range(size):
        place, subject, kind = rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(KINDS)
        provider = rng.randrange(len(PROVIDERS))
        other = rng.choice(SUBJECTS)
        found.append(
            IndexedResource(
                id=str(uuid.UUID(int=10**6 + n)),
                code=f"2{rng.randrange(1, 17):02d}001/430000{provider:03d}{n:06d}",
                name=f"{place}{subject}{kind}",
                abstract=f"{place}范围内{subject}的办理、变更和统计情况，与{other}相关联，按月更新。",
                items_text=" ".join(rng.sample(ITEMS, rng.randrange(3, 9))),
                provider_text=PROVIDERS[provider],
                keywords_text="",
                class_path=("2", "203", "203001"),
                region_path=("430000",),
                provider_id=str(UNITS[provider]),
                provider_name=PROVIDERS[provider],
                level="province",
                share_type=rng.choice(SHARES),
                open_type=rng.choice(OPENS),
                format_class="database",
                update_cycle="monthly",
                status=rng.choice(STATUSES),
            )
        )
    return found


def texts(r: IndexedResource) -> str:
    """The text words are looked for in (codes match as whole tokens, so not here)."""
    return " ".join((r.name, r.abstract, r.items_text, r.provider_text))


def sql_page(db: sqlite3.Connection, where: str, args: list[str], own: str) -> None:
    """What a SQL search page needs: top 20, the total and facet counts, visible rows only."""
    visible = f"({where}) and (status = 'published' or provider = ?)"
    db.execute(f"select id from r where {visible} limit 20", [*args, own]).fetchall()
    db.execute(f"select count(*) from r where {visible}", [*args, own]).fetchall()
    for facet in ("share", "open", "status", "provider"):
        db.execute(
            f"select {facet}, count(*) from r where {visible} group by {facet}", [*args, own]
        ).fetchall()


def exact(
    resources: list[IndexedResource], query: str, visible: Callable[[IndexedResource], bool]
) -> set[str]:
    words = [alternatives(w) for w in query_words(query)]
    return {
        r.id
        for r in resources
        if visible(r) and all(any(a in texts(r) for a in alts) for alts in words)
    }


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def run(size: int, repeats: int) -> None:
    resources = synthetic(size)
    actor = Actor(
        ActorKind.USER,
        "bench",
        user_id=uuid.uuid4(),
        unit_id=UNITS[2],
        roles=frozenset({Role.UNIT_USER}),
    )
    kinds = visible_kinds(actor)
    allowed = {(k.status.value, k.own, k.open_type, k.share_type) for k in kinds}

    def visible(r: IndexedResource) -> bool:
        own = r.provider_id == str(actor.unit_id)
        return any(
            s == r.status
            and (o is None or o == own)
            and (ot is None or ot.value == r.open_type)
            and (st is None or st.value == r.share_type)
            for s, o, ot, st in allowed
        )

    with tempfile.TemporaryDirectory() as folder:
        index = CatalogIndex(Path(folder))
        started = time.perf_counter()
        with index._writer() as writer:
            index._write(writer, resources, seq=1)
        index.index.reload()
        build_s = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in index.path.rglob("*") if p.is_file()) / 1e6

        db = sqlite3.connect(":memory:")
        db.execute(
            "create table r (id text primary key, status text, provider text, share text, "
            "open text, body text)"
        )
        db.execute("create virtual table f using fts5(id unindexed, body, tokenize='trigram')")
        rows = [
            (r.id, r.status, r.provider_id, r.share_type, r.open_type, texts(r)) for r in resources
        ]
        db.executemany("insert into r values (?,?,?,?,?,?)", rows)
        db.executemany("insert into f values (?,?)", [(r[0], r[5]) for r in rows])

        visibility = _visibility(index, kinds, actor)
        results: dict[str, dict[str, list[float]]] = {"tantivy": {}, "like": {}, "fts5": {}}
        recall: dict[str, list[float]] = {"tantivy": [], "like": [], "fts5": []}
        for query in QUERIES:
            truth = exact(resources, query, visible)
            words = query_words(query)
            must = [visibility] + [index.word_query(alternatives(w)) for w in words]
            q = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, m) for m in must if m is not None]
            )
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                index.find(q, limit=20, offset=0, by_relevance=True, facet_sizes=FACET_SIZES)
                times.append(time.perf_counter() - t)
            results["tantivy"][query] = times
            everything = index.find(
                q, limit=max(1, len(truth) + 10), offset=0, by_relevance=True, facet_sizes={}
            )
            got = {h.fields["id"] for h in everything.hits}
            recall["tantivy"].append(len(got & truth) / len(truth) if truth else float(not got))

            like = " and ".join(
                "(" + " or ".join("body like ?" for _ in alternatives(w)) + ")" for w in words
            )
            args = [f"%{a}%" for w in words for a in alternatives(w)]
            times = []
            for _ in range(max(2, repeats // 5)):
                t = time.perf_counter()
                sql_page(db, like, args, str(actor.unit_id))
                times.append(time.perf_counter() - t)
            results["like"][query] = times
            all_like = {row[0] for row in db.execute(f"select id from r where {like}", args)}
            recall["like"].append(len(all_like & truth) / len(truth) if truth else 1.0)

            match = " AND ".join(
                "(" + " OR ".join(f'"{a}"' for a in alternatives(w)) + ")" for w in words
            )
            times = []
            in_fts = "id in (select id from f where f match ?)"
            for _ in range(repeats):
                t = time.perf_counter()
                sql_page(db, in_fts, [match], str(actor.unit_id))
                times.append(time.perf_counter() - t)
            results["fts5"][query] = times
            fts = {row[0] for row in db.execute("select id from f where f match ?", (match,))}
            recall["fts5"].append(len(fts & truth) / len(truth) if truth else 1.0)

    print(
        f"{size:,} resources; index built in {build_s:.2f} s, {size_mb:.1f} MB; "
        f"{len(QUERIES)} queries"
    )
    print(
        "engine    p95 of per-query p95 (ms)   median (ms)   mean recall   queries with recall < 1"
    )
    base = None
    for engine in ("tantivy", "like", "fts5"):
        per_query = [p95(t) if len(t) >= 2 else t[0] * 1000 for t in results[engine].values()]
        overall = statistics.quantiles(per_query, n=20)[18]
        medians = statistics.median(statistics.median(t) * 1000 for t in results[engine].values())
        base = base or overall
        misses = [q for q, r in zip(QUERIES, recall[engine], strict=True) if r < 1]
        print(
            f"{engine:8s}  {overall:10.2f} ({overall / base:5.1f}× tantivy)   {medians:8.2f}"
            f"      {statistics.mean(recall[engine]):.3f}        {len(misses)} "
            + " ".join(misses[:6])
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    run(args.size, args.repeats)


if __name__ == "__main__":
    main()
