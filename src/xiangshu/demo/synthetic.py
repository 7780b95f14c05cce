"""Deterministic synthetic records for the five base databases (clearly labelled as such).

Faker (zh_CN) supplies pools of names, streets and company names; a seeded
``random.Random`` combines them, so the same seed gives the same files and
100,000 people take about a second. Every 公民身份号码 and 统一社会信用代码 is
built with its check characters recomputed (``domain.identifiers``), on Hunan's
GB/T 2260 county codes, with sex consistent with the ID number.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from xiangshu.demo.base_data import (
    BASE_DATABASES,
    CREDIT_KINDS,
    ENTITY_STATUS,
    LICENCE_TYPES,
)
from xiangshu.domain.divisions import Division, DivisionLevel
from xiangshu.domain.identifiers import CREDIT_ALPHABET, make_credit_code, make_id_number
from xiangshu.reference import division_release

ETHNICITIES = ("汉族",) * 18 + ("土家族", "苗族", "侗族", "瑶族", "白族", "回族")
POOL = 2000
TRADES = ("科技", "商贸", "农业", "建设")
ISSUERS = ("公安厅", "市场监管局", "民政厅", "自然资源厅", "人力资源社会保障厅")


@dataclass(frozen=True)
class Pools:
    surnames: list[str]
    given_male: list[str]
    given_female: list[str]
    streets: list[str]
    companies: list[str]


def make_pools(seed: int) -> Pools:
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return Pools(
        surnames=[fake.last_name() for _ in range(POOL // 4)],
        given_male=[fake.first_name_male() for _ in range(POOL)],
        given_female=[fake.first_name_female() for _ in range(POOL)],
        streets=[fake.street_name() for _ in range(POOL // 2)],
        companies=[fake.company_prefix() for _ in range(POOL)],
    )


@dataclass(frozen=True)
class Place:
    county: Division
    city: Division | None


def hunan_places() -> list[Place]:
    divisions = [d for d in division_release().divisions if d.is_current]
    by_code = {d.code: d for d in divisions}
    return [
        Place(d, by_code.get(d.parent_code or ""))
        for d in divisions
        if d.level is DivisionLevel.COUNTY
    ]


def address(rng: random.Random, pools: Pools, place: Place) -> str:
    city = place.city.name if place.city else ""
    return f"湖南省{city}{place.county.name}{rng.choice(pools.streets)}{rng.randint(1, 999)}号"


def people(
    rng: random.Random, pools: Pools, places: list[Place], count: int
) -> Iterator[list[str]]:
    seen: set[str] = set()
    start = date(1940, 1, 1).toordinal()
    span = date(2024, 12, 31).toordinal() - start
    while len(seen) < count:
        place = rng.choice(places)
        born = date.fromordinal(start + rng.randrange(span))
        male = rng.random() < 0.51
        sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
        id_number = make_id_number(place.county.code, born, sequence)
        if id_number in seen:
            continue
        seen.add(id_number)
        given = rng.choice(pools.given_male if male else pools.given_female)
        yield [
            id_number,
            rng.choice(pools.surnames) + given,
            "1" if male else "2",
            born.isoformat(),
            rng.choice(ETHNICITIES),
            f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            place.county.code,
            address(rng, pools, place),
        ]


def org_body(rng: random.Random) -> str:
    return "".join(rng.choice(CREDIT_ALPHABET[:31]) for _ in range(8))


def entities(
    rng: random.Random, pools: Pools, places: list[Place], count: int
) -> Iterator[list[str]]:
    seen: set[str] = set()
    kinds = ("91", "92", "93", "12", "52")
    while len(seen) < count:
        place = rng.choice(places)
        code = make_credit_code(rng.choice(kinds), place.county.code, org_body(rng))
        if code in seen:
            continue
        seen.add(code)
        founded = date(1990, 1, 1) + timedelta(days=rng.randrange(12_500))
        area = place.county.name.removesuffix("区").removesuffix("县").removesuffix("市")
        yield [
            code,
            f"{area}{rng.choice(pools.companies)}{rng.choice(TRADES)}有限公司",
            rng.choice(pools.surnames) + rng.choice(pools.given_male),
            founded.isoformat(),
            f"{rng.randrange(10, 500_000) / 10:.2f}",
            place.county.code,
            rng.choices(ENTITY_STATUS, weights=(80, 10, 7, 3))[0],
        ]


def geo_units(rng: random.Random) -> Iterator[list[str]]:
    for d in sorted(division_release().divisions, key=lambda d: d.code):
        if d.is_current:
            yield [
                d.code,
                d.name,
                d.level.value,
                d.parent_code or "",
                f"{rng.uniform(108.8, 114.3):.6f}",
                f"{rng.uniform(24.6, 30.1):.6f}",
            ]


def licences(rng: random.Random, holders: list[list[str]], count: int) -> Iterator[list[str]]:
    for number in range(1, count + 1):
        holder = rng.choice(holders)
        issued = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        kind = rng.randrange(len(LICENCE_TYPES))
        yield [
            f"HN{kind:02d}{holder[6]}{issued:%Y}{number:010d}",
            LICENCE_TYPES[kind],
            holder[0],
            holder[1],
            issued.isoformat(),
            (issued + timedelta(days=3650)).isoformat() if kind != 3 else "",
            f"湖南省{rng.choice(ISSUERS)}",
        ]


def credit_records(rng: random.Random, firms: list[list[str]], count: int) -> Iterator[list[str]]:
    for number in range(1, count + 1):
        firm = rng.choice(firms)
        kind = rng.choice(CREDIT_KINDS)
        decided = date(2018, 1, 1) + timedelta(days=rng.randrange(2900))
        yield [
            f"XY{decided:%Y%m%d}{number:010d}",
            firm[0],
            kind,
            decided.isoformat(),
            rng.choice(("省市场监管局", "省税务局", "省生态环境厅", "省发展改革委")),
            f"（合成数据）{firm[1]}{kind}记录",
        ]


@dataclass(frozen=True)
class SyntheticFiles:
    files: dict[str, Path]
    rows: dict[str, int]


def _write(path: Path, header: list[str], rows: Iterator[list[str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_base_data(
    out: Path,
    *,
    people_count: int = 100_000,
    seed: int = 2026,
    on_file: Callable[[str], None] | None = None,
) -> SyntheticFiles:
    """Write one CSV per base database into ``out``; headers are the items' field names."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    pools = make_pools(seed)
    places = hunan_places()
    headers = {name: [i.field for i in items] for name, (_, items) in BASE_DATABASES.items()}
    folks = list(people(rng, pools, places, people_count))
    firms = list(entities(rng, pools, places, max(people_count // 10, 10)))
    sources: dict[str, Iterator[list[str]]] = {
        "people": iter(folks),
        "entities": iter(firms),
        "geo_units": geo_units(rng),
        "licences": licences(rng, folks, max(people_count // 2, 10)),
        "credit_records": credit_records(rng, firms, max(people_count // 10, 10)),
    }
    files, rows = {}, {}
    for name, source in sources.items():
        files[name] = out / f"{name}.csv"
        rows[name] = _write(files[name], headers[name], source)
        if on_file:
            on_file(name)
    return SyntheticFiles(files, rows)
