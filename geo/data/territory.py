"""Territories: which comuni the app covers, read from one TOML file each (``data/territori/``).

A territory file says, in a few keys (paths are relative to ``data/``)::

    name = "Rete dell'Hub: Brescia, Cremona, Mantova"   # Italian, as users read it
    possessive = "della rete dell'Hub"  # optional: "Panoramica della ...", "Zone omogenee della ..."
    provinces = ["BS", "CR", "MN"]      # ISTAT abbreviations; and/or
    regions = ["Lombardia"]             # ISTAT region names; and/or
    codes = ["017088"]                  # single comuni (6-character ISTAT codes)
    data_file = "comuni_rete_hub.parquet"          # built by ``make data``
    area_list = "area_vasta.csv"        # optional: default area vasta (else every comune covered)
    starting_plan = "proposta_iniziale.json"       # optional, or
    starting_zones = "province"         # one zone per province (ISTAT's province of each comune)
    collaborations = "collaborazioni.json"         # optional: the sourced seed records
    area_note = "..."                   # optional: one Italian line on where the area list comes from
    starting_plan_note = "..."          # optional: what the starting zones are
    default = true                      # optional: the territory a new session opens

    [context]                           # optional: grey comuni drawn around it
    distance_km = 10
    provinces = ["BG", "CR", "MN", "VR"]   # optional: only from these provinces

The id of a territory is its file name without ``.toml`` (``rete_hub``): it travels
in share links, scenarios and workshops, so it never changes once published.

:func:`read_territory` checks what the file alone can tell (keys, types, codes
written as ISTAT codes, files that exist); :mod:`geo.data.territory_data` checks it
against its data file. Every refusal is a :class:`TerritoryError` naming the file
and the line or key, in Italian.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.paths import DATA_DIR
from geo.data.file_lines import display_path, line_of  # noqa: F401  (also read from here)

TERRITORY_DIR = DATA_DIR / "territori"
# The territory of everything made before territories existed (old share links,
# scenarios, workshops, area edits): the app then knew only the Pianura Bresciana.
LEGACY_TERRITORY = "pianura_bresciana"
STARTING_ZONES = ("province",)  # rules for starting zones computed from ISTAT facts
MAX_FILE_BYTES = 64_000
MAX_CODES = 10_000
_ID = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
_PROVINCE = re.compile(r"^[A-Z]{2}$")
_TOP_KEYS = ("name", "possessive", "provinces", "regions", "codes", "data_file", "area_list", "starting_plan",
             "starting_zones", "collaborations", "area_note", "starting_plan_note", "default", "context")
_CONTEXT_KEYS = ("distance_km", "provinces")
_PATH_KEYS = ("data_file", "area_list", "starting_plan", "collaborations")


class TerritoryError(UserError):
    """A territory file that cannot be used; the message (Italian) names the file and the line or key."""


@dataclass(frozen=True)
class ContextRule:
    """Which comuni outside the territory are drawn in grey around it.

    Attributes
    ----------
    distance_km : float
        Comuni within this distance (km, measured in EPSG:32632) of the territory's outline.
    provinces : tuple of str
        Only comuni of these provinces (ISTAT abbreviations); empty: any province.
    """

    distance_km: float = 10.0
    provinces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Territory:
    """One territory of the app, as its file declares it (see module docstring).

    Attributes
    ----------
    id : str
        The file name without ``.toml``.
    name : str
        Italian name shown to users.
    possessive : str
        The name after "di" with its article (``"della Pianura Bresciana"``), for
        titles; default ``del territorio «<name>»``.
    source : pathlib.Path
        The territory file.
    provinces, regions, codes : tuple of str
        What the territory covers: every comune of these provinces (abbreviations)
        and regions (ISTAT names), and these comuni (ISTAT codes).
    data_file : pathlib.Path
        The GeoParquet it is built into (:func:`geo.data.build.build_comuni`).
    area_list : pathlib.Path or None
        The default area vasta (``istat_code;comune;fonte``); ``None``: every comune covered.
    starting_plan : pathlib.Path or None
        The starting proposal (``Plan.to_dict`` JSON), if a file.
    starting_zones : str or None
        A rule instead of a file: ``"province"`` (one zone per province).
    collaborations : pathlib.Path or None
        The sourced collaborations seed (``collaborazioni.json`` format); ``None``: none.
    context : ContextRule
    area_note, starting_plan_note : str
        One Italian line each, for the pages (may be empty).
    default : bool
        Opened by a new session (unless ``PIANURA_TERRITORY`` names another).
    """

    id: str
    name: str
    possessive: str
    source: Path
    provinces: tuple[str, ...]
    regions: tuple[str, ...]
    codes: tuple[str, ...]
    data_file: Path
    area_list: Path | None
    starting_plan: Path | None
    starting_zones: str | None
    collaborations: Path | None
    context: ContextRule
    area_note: str = ""
    starting_plan_note: str = ""
    default: bool = False

    @property
    def label(self) -> str:
        """``data/territori/rete_hub.toml``: how messages name the file."""
        return display_path(self.source)


class _Reader:
    """Reads the keys of one parsed file, raising errors that name file, line and key."""

    def __init__(self, path: Path, text: str, data: dict, data_dir: Path):
        self.path, self.text, self.data, self.data_dir = path, text, data, data_dir

    def fail(self, key: str, message: str, table: str | None = None) -> TerritoryError:
        line = line_of(self.text, key, table)
        where = f"riga {line}, " if line else ""
        name = f"{table}.{key}" if table and key != table else key
        return TerritoryError(f"{display_path(self.path)}, {where}chiave «{name}»: {message}")

    def text_value(self, key: str, *, required: bool = False, limit: int = 300) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise TerritoryError(f"{display_path(self.path)}: manca la chiave «{key}».")
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "serve un testo tra virgolette, non vuoto.")
        if len(value) > limit:
            raise self.fail(key, f"testo troppo lungo (massimo {limit} caratteri).")
        return " ".join(value.split())

    def string_list(self, key: str, table: str | None = None) -> list[str]:
        data = self.data.get(table, {}) if table else self.data
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "serve un elenco di testi, per esempio [\"BS\", \"CR\"].", table)
        if len(value) > MAX_CODES:
            raise self.fail(key, f"troppi elementi (massimo {MAX_CODES}).", table)
        return value

    def provinces(self, key: str, table: str | None = None) -> tuple[str, ...]:
        values = self.string_list(key, table)
        wrong = [v for v in values if not _PROVINCE.match(v)]
        if wrong:
            raise self.fail(key, f"«{wrong[0]}» non è una sigla di provincia (due lettere maiuscole, "
                                 "come BS).", table)
        return tuple(sorted(set(values)))

    def codes(self) -> tuple[str, ...]:
        out = []
        for value in self.string_list("codes"):
            try:
                code = istat_code(value)
            except ValueError:
                raise self.fail("codes", f"«{value}» non è un codice ISTAT (6 cifre, come \"017088\").") from None
            if code != value:
                raise self.fail("codes", f"«{value}» va scritto con 6 cifre: \"{code}\".")
            out.append(code)
        return tuple(sorted(set(out)))

    def file(self, key: str, *, required: bool = False, must_exist: bool = True) -> Path | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise TerritoryError(f"{display_path(self.path)}: manca la chiave «{key}».")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "serve il nome di un file tra virgolette.")
        relative = Path(value)
        if relative.is_absolute() or ".." in relative.parts:
            raise self.fail(key, f"il file «{value}» deve stare nella cartella dei dati.")
        path = self.data_dir / relative
        if must_exist and not path.is_file():
            hint = " (si crea con «make data»)" if key == "data_file" else ""
            raise self.fail(key, f"il file «{value}» non esiste{hint}.")
        return path


def read_territory(path: Path, data_dir: Path = DATA_DIR, *, require_data: bool = True) -> Territory:
    """Read and check one territory file (what the file alone can tell).

    Parameters
    ----------
    path : pathlib.Path
        The ``.toml`` file; its name (without ``.toml``) is the territory's id.
    data_dir : pathlib.Path
        The folder its file names are relative to (default ``data/``).
    require_data : bool
        Whether its data file must exist (not when it is about to be built).

    Raises
    ------
    TerritoryError
        Not TOML, an unknown key, a missing required key, a value of the wrong
        kind, a code that is not an ISTAT code, a missing file. The message names
        the file and the line or key.
    """
    label = display_path(path)
    if not _ID.match(path.stem):
        raise TerritoryError(f"{label}: il nome del file deve usare solo lettere minuscole, cifre e _ "
                             "(è l'identificativo del territorio).")
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise TerritoryError(f"{label}: file troppo grande (massimo {MAX_FILE_BYTES // 1000} kB).")
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise TerritoryError(f"{label}: il file non è di testo UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise TerritoryError(f"{label}: il file non è TOML valido ({_toml_where(str(exc))}).") from None
    except OSError:
        raise TerritoryError(f"{label}: il file non si può leggere.") from None
    reader = _Reader(path, text, data, data_dir)
    for key in data:
        if key not in _TOP_KEYS:
            raise reader.fail(key, "chiave sconosciuta (chiavi ammesse: " + ", ".join(_TOP_KEYS) + ").")
    context = data.get("context", {})
    if not isinstance(context, dict):
        raise reader.fail("context", "serve una tabella [context].", "context")
    for key in context:
        if key not in _CONTEXT_KEYS:
            raise reader.fail(key, "chiave sconosciuta (chiavi ammesse: " + ", ".join(_CONTEXT_KEYS) + ").",
                              "context")
    distance = context.get("distance_km", ContextRule.distance_km)
    if isinstance(distance, bool) or not isinstance(distance, (int, float)) or not 0 <= distance <= 100:
        raise reader.fail("distance_km", "serve un numero di chilometri da 0 a 100.", "context")
    default = data.get("default", False)
    if not isinstance(default, bool):
        raise reader.fail("default", "serve true oppure false.")
    provinces, regions, codes = reader.provinces("provinces"), reader.string_list("regions"), reader.codes()
    if not (provinces or regions or codes):
        raise TerritoryError(f"{label}: manca la chiave «provinces» (oppure «regions» o «codes»): "
                             "il territorio deve comprendere almeno un comune.")
    starting_zones = data.get("starting_zones")
    if starting_zones is not None and starting_zones not in STARTING_ZONES:
        raise reader.fail("starting_zones", "l'unica regola ammessa è \"province\" (una zona per provincia).")
    if starting_zones is not None and "starting_plan" in data:
        raise reader.fail("starting_zones", "usa «starting_plan» oppure «starting_zones», non entrambe.")
    name = reader.text_value("name", required=True, limit=120)
    return Territory(
        id=path.stem, name=name, possessive=reader.text_value("possessive", limit=160) or f"del territorio «{name}»",
        source=path,
        provinces=provinces, regions=tuple(sorted(set(regions))), codes=codes,
        data_file=reader.file("data_file", required=True, must_exist=require_data), area_list=reader.file("area_list"),
        starting_plan=reader.file("starting_plan"), starting_zones=starting_zones,
        collaborations=reader.file("collaborations"),
        context=ContextRule(float(distance), reader.provinces("provinces", "context")),
        area_note=reader.text_value("area_note"), starting_plan_note=reader.text_value("starting_plan_note"),
        default=default,
    )


def _toml_where(message: str) -> str:
    """tomllib's message in Italian where it says where: '(at line 3, column 7)'."""
    found = re.search(r"line (\d+), column (\d+)", message)
    return f"riga {found.group(1)}, colonna {found.group(2)}" if found else "sintassi non valida"


def territory_files(directory: Path = TERRITORY_DIR) -> list[Path]:
    """The territory files of a folder, by name."""
    return sorted(directory.glob("*.toml")) if directory.is_dir() else []
