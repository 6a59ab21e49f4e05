"""Tiny synthetic comuni made of 1 km squares, with answers known by hand."""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.zoning.area import Area

ORIGIN_X, ORIGIN_Y = 600_000.0, 5_030_000.0  # metres, EPSG:32632 (near Leno)
CELL_M = 1000.0


def grid_code(row: int, col: int) -> str:
    return f"099{row}{col:02d}"


def grid_comuni(rows: int, cols: int, population=None, elderly=None, young=None) -> gpd.GeoDataFrame:
    """A rows x cols grid of 1 km x 1 km comuni, row 0 at the bottom.

    ``population``, ``elderly`` (65+) and ``young`` (0-14) map a code to residents
    (default 1000, 200 and 0). Codes are ``099RCC``: ``grid_code(r, c)``.
    """
    population = population or {}
    elderly = elderly or {}
    young = young or {}
    records = []
    for r in range(rows):
        for c in range(cols):
            code = grid_code(r, c)
            x, y = ORIGIN_X + c * CELL_M, ORIGIN_Y + r * CELL_M
            pop = population.get(code, 1000)
            records.append({
                "istat_code": code, "comune": f"Comune {r}-{c}", "provincia": "Prova",
                "sigla_provincia": "PR", "pop_totale": pop, "pop_0_14": young.get(code, 0),
                "pop_15_64": pop - elderly.get(code, 200) - young.get(code, 0), "pop_65_piu": elderly.get(code, 200),
                "area_km2": 1.0, "geometry": shapely.box(x, y, x + CELL_M, y + CELL_M),
            })
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:32632").to_crs("EPSG:4326")
    frame["geometry_display"] = frame.geometry
    return frame.set_index("istat_code", drop=False).rename_axis(None)


def grid_area(rows: int, cols: int, members=None, **kwargs) -> Area:
    """An Area over the grid; ``members`` (default: every cell) are in the area,
    the other cells are context."""
    comuni = grid_comuni(rows, cols, **kwargs)
    return Area.from_comuni(comuni, members if members is not None else comuni.index)
