"""The demo catalog's resources: what Hunan's units would catalog, per domain.

``catalog-resources.tsv`` beside this file holds one resource a line: scope (province,
or a template made once per city or county), unit, classification, name, abstract,
data items (see ``catalog_items``), sharing (U 无条件, C 有条件, N 不予), opening
(O 无条件, C 有条件, - 不予), format and update cycle. In templates ``{unit}`` is the
city's data bureau (or the county government), ``{gov}`` the city government,
``{city}`` and ``{county}`` their names. Names and abstracts are realistic; every
record behind them is synthetic.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

Spec = tuple[str, str, str, str, str, str, str, str, str]


def _specs(scope: str) -> list[Spec]:
    text = resources.files(__package__).joinpath("catalog-resources.tsv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text), delimiter="\t")
    return [
        (
            r["unit"],
            r["class_code"],
            r["name"],
            r["abstract"],
            r["items"],
            r["share"],
            r["open"],
            r["format"],
            r["cycle"],
        )
        for r in rows
        if r["scope"] == scope
    ]


PROVINCIAL = _specs("province")
CITY = _specs("city")
COUNTY = _specs("county")
