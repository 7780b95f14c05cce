"""A schematic map of Hunan's 14 prefecture-level divisions as a hexagon cartogram.

No boundary data ships with Xiangshu (none with a licence we could verify was found
offline), so the map is honest about being a schematic: one equal hexagon per city,
laid out by hand from the cities' real relative positions (the longitude and latitude
of each seat, rounded onto a hex grid; north up). Rows are numbered from the north;
odd rows are shifted half a hexagon east.

Seat positions used (approximate, degrees E / N): 张家界 110.5/29.1, 常德 111.7/29.0,
岳阳 113.1/29.4, 湘西 109.7/28.3, 益阳 112.4/28.6, 长沙 112.9/28.2, 怀化 110.0/27.6,
娄底 112.0/27.7, 湘潭 112.9/27.8, 株洲 113.1/27.8, 邵阳 111.5/27.2, 衡阳 112.6/26.9,
永州 111.6/26.4, 郴州 113.0/25.8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# division code → (column, row)
HEX_CELLS: dict[str, tuple[int, int]] = {
    "430800": (1, 0),  # 张家界市
    "430700": (2, 0),  # 常德市
    "430600": (4, 0),  # 岳阳市
    "433100": (0, 1),  # 湘西土家族苗族自治州
    "430900": (2, 1),  # 益阳市
    "430100": (3, 1),  # 长沙市
    "431200": (1, 2),  # 怀化市
    "431300": (2, 2),  # 娄底市
    "430300": (3, 2),  # 湘潭市
    "430200": (4, 2),  # 株洲市
    "430500": (1, 3),  # 邵阳市
    "430400": (2, 3),  # 衡阳市
    "431100": (2, 4),  # 永州市
    "431000": (3, 4),  # 郴州市
}
SIZE = 46.0  # hexagon radius in SVG units
MARGIN = 8.0


@dataclass(frozen=True, slots=True)
class HexCell:
    code: str
    cx: float
    cy: float
    points: str  # SVG polygon points


def _centre(column: int, row: int) -> tuple[float, float]:
    width = math.sqrt(3) * SIZE
    x = MARGIN + width / 2 + column * width + (width / 2 if row % 2 else 0.0)
    y = MARGIN + SIZE + row * 1.5 * SIZE
    return x, y


def hex_cells() -> list[HexCell]:
    cells = []
    for code, (column, row) in HEX_CELLS.items():
        cx, cy = _centre(column, row)
        corners = [
            (
                cx + SIZE * math.cos(math.radians(60 * i - 30)),
                cy + SIZE * math.sin(math.radians(60 * i - 30)),
            )
            for i in range(6)
        ]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
        cells.append(HexCell(code, round(cx, 1), round(cy, 1), points))
    return cells


def canvas_size() -> tuple[int, int]:
    width = math.sqrt(3) * SIZE
    columns = max(c for c, _ in HEX_CELLS.values()) + 1.5
    rows = max(r for _, r in HEX_CELLS.values())
    return (
        math.ceil(2 * MARGIN + columns * width),
        math.ceil(2 * MARGIN + 2 * SIZE + rows * 1.5 * SIZE),
    )


def shade(count: int, most: int) -> int:
    """0–4: the colour step of a city with ``count`` datasets when the most is ``most``."""
    if count <= 0 or most <= 0:
        return 0
    return min(4, 1 + math.floor(3 * count / most + 1e-9))
