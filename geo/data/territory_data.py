"""A territory with its data: the comuni it covers, its default area and starting plan,
which comuni may join its area; and the catalogue of every territory file.

:func:`load_territory` reads the territory's data file and checks the file against
it: every province, region and code it names is in the data, the area list and the
starting plan name only comuni it covers. :func:`load_catalogue` does this for every
file of ``data/territori/``: a file that fails is left out with its Italian message,
and the others stay available.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.base.codes import istat_code
from geo.base.palette import PALETTE, zone_colors
from geo.data.shipped import JoinableComuni, load_area_list, load_comuni
from geo.data.territory import TERRITORY_DIR, Territory, TerritoryError, display_path, read_territory, \
    territory_files

DEFAULT_TERRITORY_ENV = "PIANURA_TERRITORY"  # id of the territory a new session opens
TERRITORY_DIR_ENV = "PIANURA_TERRITORY_DIR"  # another folder of territory files (benchmarks)


@dataclass(frozen=True, eq=False)
class LoadedTerritory:
    """A territory whose file agrees with its data.

    Attributes
    ----------
    territory : Territory
    comuni : geopandas.GeoDataFrame
        Every comune of its data file (covered and grey context), as :func:`geo.data.shipped.load_comuni`.
    covered : frozenset of str
        ISTAT codes of the comuni it covers: those that may be in its area vasta.
    area_codes : tuple of str
        Its default area vasta, sorted.
    starting_plan : dict
        The starting proposal (``Plan.from_dict`` format) over the default area.
    """

    territory: Territory
    comuni: gpd.GeoDataFrame
    covered: frozenset[str]
    area_codes: tuple[str, ...]
    starting_plan: dict

    @property
    def id(self) -> str:
        return self.territory.id

    @property
    def name(self) -> str:
        return self.territory.name

    @property
    def joinable(self) -> JoinableComuni:
        """The comuni that may join the area: every comune the territory covers."""
        t = self.territory
        provinces = tuple(sorted(set(self.comuni.loc[sorted(self.covered), "provincia"])))
        whole_provinces = bool(t.provinces) and not t.regions and not t.codes
        return JoinableComuni(self.covered, provinces, None if whole_provinces else t.name)


def covered_codes(territory: Territory, comuni: pd.DataFrame) -> frozenset[str]:
    """The codes of ``comuni`` the territory covers (its provinces, regions and codes).

    Raises
    ------
    TerritoryError
        A province, region or code it names is not in the data file.
    """
    label = territory.label
    data = display_path(territory.data_file)
    for province in territory.provinces:
        if not (comuni["sigla_provincia"] == province).any():
            raise TerritoryError(f"{label}, chiave «provinces»: la provincia «{province}» non è nei dati "
                                 f"{data} (sigla sbagliata, oppure i dati vanno ricostruiti con «make data»).")
    for region in territory.regions:
        if "regione" not in comuni.columns or not (comuni["regione"] == region).any():
            raise TerritoryError(f"{label}, chiave «regions»: la regione «{region}» non è nei dati {data} "
                                 "(nome ISTAT, per esempio \"Lombardia\"; o i dati vanno ricostruiti).")
    missing = [c for c in territory.codes if c not in comuni.index]
    if missing:
        raise TerritoryError(f"{label}, chiave «codes»: il codice {missing[0]} non è un comune dei dati {data}.")
    inside = comuni["sigla_provincia"].isin(territory.provinces) | comuni.index.isin(territory.codes)
    if territory.regions:
        inside |= comuni["regione"].isin(territory.regions)
    return frozenset(comuni.index[inside])


def _area_codes(territory: Territory, covered: frozenset[str]) -> tuple[str, ...]:
    if territory.area_list is None:
        return tuple(sorted(covered))
    label = display_path(territory.area_list)
    try:
        table = load_area_list(territory.area_list)
    except (ValueError, KeyError, pd.errors.ParserError):
        raise TerritoryError(f"{label}: non è un elenco di comuni (colonne istat_code;comune;fonte, codici di "
                             "6 cifre).") from None
    codes = list(table["istat_code"])
    for line, code in enumerate(codes, start=2):
        if code not in covered:
            raise TerritoryError(f"{label}, riga {line}: il comune {code} non fa parte del territorio "
                                 f"«{territory.name}» ({territory.label}).")
    if len(set(codes)) < len(codes):
        raise TerritoryError(f"{label}: un comune compare più volte.")
    if not codes:
        raise TerritoryError(f"{label}: l'elenco non ha comuni.")
    return tuple(sorted(codes))


def province_plan(comuni: pd.DataFrame, codes) -> dict:
    """One zone per province over ``codes`` (ISTAT's province of each comune): the
    starting rule ``starting_zones = "province"``. Zone ids ``prov_<abbreviation>``,
    names ``Provincia di <name>``, colours in palette order of the abbreviations;
    with more provinces than colours (and geometry in ``comuni``), a province whose
    colour a bordering province already has takes the next free one."""
    rows = comuni.loc[list(codes), ["sigla_provincia", "provincia"]]
    provinces = sorted(set(zip(rows["sigla_provincia"], rows["provincia"])))
    colors = zone_colors(len(provinces))
    if len(provinces) > len(PALETTE) and "geometry" in comuni:
        colors = _neighbour_aware_colors([s for s, _ in provinces], comuni.loc[list(codes)])
    zones = [{"id": f"prov_{sigla.lower()}", "name": f"Provincia di {name}", "color": color, "locked": False}
             for (sigla, name), color in zip(provinces, colors)]
    return {"zones": zones,
            "assignment": {c: f"prov_{s.lower()}" for c, s in zip(rows.index, rows["sigla_provincia"])}}


def _neighbour_aware_colors(siglas: list[str], comuni: pd.DataFrame) -> list[str]:
    """Palette colours for ``siglas`` (in order): each its palette-order colour
    unless a bordering province earlier in the list has it, then the next colour
    none of those has (the palette cycles: 12 provinces of Lombardy, 7 colours,
    and Milano would get bordering Bergamo's). Borders: comuni whose boundaries
    touch (``geometry``, EPSG:4326: a topological test, no unit)."""
    geometry = comuni["geometry"].to_numpy()
    left, right = shapely.STRtree(geometry).query(geometry, predicate="intersects")
    sigla = comuni["sigla_provincia"].to_numpy()
    borders = {(a, b) for a, b in zip(sigla[left], sigla[right]) if a != b}
    chosen: dict[str, str] = {}
    for i, province in enumerate(siglas):
        taken = {chosen[other] for other in chosen if (province, other) in borders}
        shifted = [PALETTE[(i + k) % len(PALETTE)] for k in range(len(PALETTE))]
        chosen[province] = next((c for c in shifted if c not in taken), shifted[0])
    return [chosen[s] for s in siglas]


def _starting_plan(territory: Territory, comuni: pd.DataFrame, area_codes: tuple[str, ...]) -> dict:
    if territory.starting_zones == "province":
        return province_plan(comuni, area_codes)
    if territory.starting_plan is None:
        return {"zones": [], "assignment": {c: None for c in area_codes}}
    label = display_path(territory.starting_plan)
    try:
        data = json.loads(territory.starting_plan.read_text(encoding="utf-8"))
        zone_ids = {str(z["id"]) for z in data["zones"]}
        assignment = {istat_code(c): z for c, z in data["assignment"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise TerritoryError(f"{label}: non è una proposta di zone (chiavi zones e assignment).") from None
    outside = sorted(set(assignment) - set(area_codes))
    if outside:
        raise TerritoryError(f"{label}: il comune {outside[0]} non è nell'area vasta di partenza del territorio "
                             f"«{territory.name}».")
    unknown = sorted({str(z) for z in assignment.values() if z not in (None, "")} - zone_ids)
    if unknown:
        raise TerritoryError(f"{label}: la zona «{unknown[0]}» è usata ma non definita in «zones».")
    return data


def load_territory(territory: Territory) -> LoadedTerritory:
    """Read the territory's data and check the territory against it.

    Raises
    ------
    TerritoryError
        Its data file cannot be read, or names differ from what it holds (see
        :func:`covered_codes`), or its area list or starting plan name comuni
        outside it.
    """
    try:
        comuni = load_comuni(territory.data_file)
    except (OSError, ValueError, KeyError) as exc:
        raise TerritoryError(f"{territory.label}, chiave «data_file»: i dati {display_path(territory.data_file)} "
                             f"non si leggono ({type(exc).__name__}): ricostruiscili con «make data».") from None
    covered = covered_codes(territory, comuni)
    area_codes = _area_codes(territory, covered)
    return LoadedTerritory(territory, comuni, covered, area_codes, _starting_plan(territory, comuni, area_codes))


@dataclass(frozen=True)
class Catalogue:
    """Every usable territory, and why the others are not.

    Attributes
    ----------
    territories : tuple of LoadedTerritory
        The default first, then by name.
    problems : tuple of str
        One Italian message per territory file left out (naming file and line or key).
    """

    territories: tuple[LoadedTerritory, ...]
    problems: tuple[str, ...]

    @property
    def default(self) -> LoadedTerritory:
        return self.territories[0]

    def get(self, territory_id: str) -> LoadedTerritory | None:
        return next((t for t in self.territories if t.id == territory_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.territories)


def territory_directory() -> Path:
    """``$PIANURA_TERRITORY_DIR`` if set (a benchmark's own territories), else ``data/territori``."""
    return Path(os.environ.get(TERRITORY_DIR_ENV) or TERRITORY_DIR)


def load_catalogue(directory: Path | None = None, default_id: str | None = None) -> Catalogue:
    """Read and check every territory file of ``directory``.

    Parameters
    ----------
    directory : pathlib.Path, optional
        Default :func:`territory_directory`. Paths in the files are relative to
        ``data/`` (or, for a folder elsewhere, to the folder's parent).
    default_id : str, optional
        The territory new sessions open; default ``$PIANURA_TERRITORY``, else the
        file with ``default = true``, else the first by name.

    Raises
    ------
    TerritoryError
        When no territory at all can be used (the messages of every file).
    """
    directory = territory_directory() if directory is None else directory
    data_dir = directory.parent
    loaded, problems = [], []
    for path in territory_files(directory):
        try:
            loaded.append(load_territory(read_territory(path, data_dir)))
        except TerritoryError as exc:
            problems.append(str(exc))
    if not loaded:
        raise TerritoryError("Nessun territorio utilizzabile in " + display_path(directory) + ". "
                             + " ".join(problems))
    wanted = default_id or os.environ.get(DEFAULT_TERRITORY_ENV, "").strip()
    flagged = [t for t in loaded if t.territory.default]
    if len(flagged) > 1:
        problems.append("Più territori hanno «default = true» (" + ", ".join(t.territory.label for t in flagged)
                        + f"): si apre «{flagged[0].name}».")
    if wanted and wanted not in {t.id for t in loaded}:
        problems.append(f"{DEFAULT_TERRITORY_ENV}={wanted}: nessun territorio con questo identificativo.")
        wanted = ""
    first = wanted or (flagged[0].id if flagged else None)
    ordered = sorted(loaded, key=lambda t: (t.id != first, t.name.casefold()))
    return Catalogue(tuple(ordered), tuple(problems))
