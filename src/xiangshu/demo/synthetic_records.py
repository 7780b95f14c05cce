"""Synthetic records for any resource, made from its data items (合成数据).

The demo catalog describes the base databases with its own data items; records for
them are made field by field from what each item says: identifier checks give valid
公民身份号码 and 统一社会信用代码 (check characters recomputed), a person's name, sex
and birth date agree with their ID number, code lists and lengths are kept, and key
fields are unique (composite keys count through their combinations). Deterministic
for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from xiangshu.demo.synthetic import Place, Pools, address, hunan_places, make_pools, org_body
from xiangshu.domain.data_items import DataItem, DataItemType, Sensitivity, ValueCheck
from xiangshu.domain.identifiers import make_credit_code, make_id_number

SEX_FIELDS = frozenset({"sex", "gender"})
YEAR_FIELDS = frozenset({"year", "report_year"})
ETHNICITY_FIELDS = frozenset({"nation", "ethnicity"})
# GB/T 3304 codes of Hunan's larger ethnic groups, weighted roughly by population
ETHNICITIES = (("01", "汉族"),) * 18 + (
    ("15", "土家族"),
    ("06", "苗族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("03", "回族"),
)
FIRST_YEAR = 2010
UNBOUNDED = 10**12


@dataclass
class Person:
    id_number: str
    name: str
    sex: str  # "1" male, "2" female (GB/T 2261.1)
    born: date


@dataclass
class Firm:
    credit_code: str
    name: str
    founded: date


@dataclass
class RowContext:
    number: int
    person: Person | None = None
    firm: Firm | None = None
    cache: dict[str, str] = field(default_factory=dict)


class RecordMaker:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
        self.pools: Pools = make_pools(seed)
        self.places: list[Place] = hunan_places()
        self.ids: set[str] = set()
        self.codes: set[str] = set()

    # --- entities ---------------------------------------------------------------------------

    def person(self) -> Person:
        rng = self.rng
        while True:
            place = rng.choice(self.places)
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(30_600))
            male = rng.random() < 0.51
            id_number = make_id_number(
                place.county.code, born, rng.randrange(500) * 2 + (1 if male else 0)
            )
            if id_number not in self.ids:
                self.ids.add(id_number)
                given = rng.choice(self.pools.given_male if male else self.pools.given_female)
                return Person(
                    id_number, rng.choice(self.pools.surnames) + given, "1" if male else "2", born
                )

    def firm(self) -> Firm:
        rng = self.rng
        while True:
            place = rng.choice(self.places)
            code = make_credit_code(
                rng.choice(("91", "92", "93", "12", "52")), place.county.code, org_body(rng)
            )
            if code not in self.codes:
                self.codes.add(code)
                area = place.county.name[:-1] if len(place.county.name) > 2 else place.county.name
                name = f"{area}{rng.choice(self.pools.companies)}有限公司"
                return Firm(code, name, date(1990, 1, 1) + timedelta(days=rng.randrange(12_500)))

    # --- keys -------------------------------------------------------------------------------

    def _key_domain(self, item: DataItem) -> tuple[int, Callable[[int], str]]:
        """How many distinct values a key field can take here, and the i-th one."""
        if item.check is ValueCheck.DIVISION_CODE:
            codes = [p.county.code for p in self.places]
            return len(codes), lambda i: codes[i]
        if item.field in YEAR_FIELDS:
            return 16, lambda i: str(FIRST_YEAR + i)
        if item.enumeration:
            values = item.enumeration
            return len(values), lambda i: values[i]
        width = min(item.length or 12, 12)
        prefix = "HN" if width > 8 else ""
        digits = width - len(prefix)
        return 10**digits, lambda i: f"{prefix}{i:0{digits}d}"

    def key_plan(self, items: Sequence[DataItem]) -> tuple[int, dict[str, Callable[[int], str]]]:
        """Composite keys: the row number counted through the fields' combinations."""
        keys = [
            i
            for i in items
            if i.is_key and i.check not in (ValueCheck.ID_NUMBER, ValueCheck.CREDIT_CODE)
        ]
        if not keys:
            return UNBOUNDED, {}
        capacity = 1
        makers: dict[str, Callable[[int], str]] = {}
        for item in reversed(keys):
            size, value = self._key_domain(item)
            place = capacity

            def make(
                n: int, size: int = size, place: int = place, value: Callable[[int], str] = value
            ) -> str:
                return value((n // place) % size)

            makers[item.field] = make
            capacity = min(capacity * size, UNBOUNDED)
        return capacity, makers

    # --- values -----------------------------------------------------------------------------

    def value(
        self, item: DataItem, row: RowContext, key_makers: dict[str, Callable[[int], str]]
    ) -> str:
        if item.field in key_makers:
            return key_makers[item.field](row.number)
        found = self._identity(item, row)
        return found if found is not None else self._described(item, row)

    def _identity(self, item: DataItem, row: RowContext) -> str | None:
        """Identifiers, and what must agree with them (name, sex, birth date, firm)."""
        if item.check is ValueCheck.ID_NUMBER:
            if item.is_key or (row.person is None and item.field == "id_number"):
                row.person = row.person or self.person()
                return row.person.id_number
            return self.person().id_number  # someone else: a mother, a holder, an owner
        if item.check is ValueCheck.CREDIT_CODE:
            row.firm = row.firm or self.firm()
            return row.firm.credit_code
        if row.person is not None:
            if item.field in SEX_FIELDS:
                return row.person.sex
            if item.field == "birth_date":
                return row.person.born.isoformat()
            if item.field == "name":
                return row.person.name
        if item.field == "firm_name" or (item.field.endswith("_name") and row.firm is not None):
            row.firm = row.firm or self.firm()
            return row.firm.name[: item.length or 200]
        if item.field == "founded_on" and row.firm is not None:
            return row.firm.founded.isoformat()
        return None

    def _described(self, item: DataItem, row: RowContext) -> str:
        rng = self.rng
        if item.check is ValueCheck.DIVISION_CODE:
            return rng.choice(self.places).county.code
        if item.enumeration:
            return rng.choice(item.enumeration)
        if item.sensitivity is Sensitivity.NAME:
            return rng.choice(self.pools.surnames) + rng.choice(self.pools.given_male)
        if item.sensitivity is Sensitivity.ADDRESS or "address" in item.field:
            return address(rng, self.pools, rng.choice(self.places))[: item.length or 100]
        if item.field in YEAR_FIELDS:
            return str(FIRST_YEAR + rng.randrange(16))
        if item.field in ETHNICITY_FIELDS:
            code, name = rng.choice(ETHNICITIES)
            return code if (item.length or 2) < len(name) else name
        return self._typed(item)

    def _typed(self, item: DataItem) -> str:
        rng = self.rng
        kind = item.type
        if kind is DataItemType.DATE:
            return (date(2000, 1, 1) + timedelta(days=rng.randrange(9000))).isoformat()
        if kind is DataItemType.DATETIME:
            moment = datetime(2015, 1, 1) + timedelta(seconds=rng.randrange(300_000_000))
            return moment.isoformat(sep=" ")
        if kind is DataItemType.LOGICAL:
            return rng.choice(("是", "否"))
        if kind in (DataItemType.NUMERIC, DataItemType.CURRENCY):
            scale = item.scale if item.scale is not None else 2
            whole = min((item.length or 12) - scale, 7)
            value = Decimal(rng.randrange(10 ** (whole + scale))) / (10**scale)
            return f"{value:.{scale}f}"
        if kind is DataItemType.INTEGER:
            return str(rng.randrange(1, 10_000))
        if kind in (DataItemType.DOUBLE, DataItemType.FLOAT):
            return f"{rng.uniform(0, 1000):.4f}"
        text = f"{item.name}（合成）{rng.randrange(1000)}"
        return text[: item.length] if item.length else text

    def rows(self, items: Sequence[DataItem], count: int) -> Iterator[list[str]]:
        """Up to ``count`` rows (fewer when a composite key has fewer combinations)."""
        capacity, makers = self.key_plan(items)
        for number in range(min(count, capacity)):
            row = RowContext(number)
            ordered = sorted(
                items,
                key=lambda i: (
                    i.check is not ValueCheck.ID_NUMBER,
                    i.check is not ValueCheck.CREDIT_CODE,
                ),
            )
            values = {i.field: self.value(i, row, makers) for i in ordered}
            yield [values[i.field] for i in items]
