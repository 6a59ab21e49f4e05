"""The QGIS layer style a GeoPackage of a plan carries, so its layers open coloured.

QGIS keeps a style inside a GeoPackage in the table ``layer_styles`` (one row per
style; the row with ``useAsDefault`` is applied when the layer is opened). Each of
our two layers (comuni, zone omogenee) gets a categorised renderer on ``zona_id``:
one category per zone with its colour and its name as the legend label, the
unassigned comuni in grey. The QML is built with ElementTree, so zone names are
XML-escaped; every symbol property is written both as ``<Option>`` (QGIS 3.26 and
later) and as ``<prop>`` (earlier 3.x), as QGIS itself did in between.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
import xml.etree.ElementTree as ET
from pathlib import Path

from geo.zoning.plan import UNASSIGNED_COLOR, Plan

STYLES_TABLE = "layer_styles"
UNASSIGNED_LABEL = "Non assegnati"
FILL_OPACITY = 0.8

# The table as QGIS creates it (QgsOgrProviderUtils), registered as an attribute table.
_CREATE = f"""CREATE TABLE {STYLES_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
    f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
    styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""


def _rgba(color: str) -> str:
    """``"#E69F00"`` -> ``"230,159,0,255"`` (QGIS colour property)."""
    value = color.lstrip("#")
    return ",".join(str(int(value[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _fill_symbol(parent: ET.Element, name: str, color: str) -> None:
    symbol = ET.SubElement(parent, "symbol", type="fill", name=name, alpha=str(FILL_OPACITY),
                           clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
    properties = {"color": _rgba(color), "outline_color": "51,51,51,255", "outline_style": "solid",
                  "outline_width": "0.26", "outline_width_unit": "MM", "style": "solid"}
    options = ET.SubElement(layer, "Option", type="Map")
    for key, value in properties.items():
        ET.SubElement(options, "Option", name=key, type="QString", value=value)
    for key, value in properties.items():
        ET.SubElement(layer, "prop", k=key, v=value)


def plan_style_qml(plan: Plan, *, unassigned: bool = True) -> str:
    """A QGIS style (QML) colouring features by their ``zona_id``: one category per
    zone of ``plan`` (its colour, its name as label), plus the unassigned comuni
    (``zona_id`` empty) in grey when ``unassigned``."""
    qgis = ET.Element("qgis", version="3.28.0", styleCategories="Symbology")
    renderer = ET.SubElement(qgis, "renderer-v2", type="categorizedSymbol", attr="zona_id", forceraster="0",
                             symbollevels="0", enableorderby="0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    rows = [(z.id, z.name, z.color) for z in plan.zones]
    if unassigned:
        rows.append(("", UNASSIGNED_LABEL, UNASSIGNED_COLOR))
    for index, (value, label, color) in enumerate(rows):
        ET.SubElement(categories, "category", symbol=str(index), value=value, label=label, render="true")
        _fill_symbol(symbols, str(index), color)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(qgis, encoding="unicode")


def add_plan_styles(path: Path, plan: Plan, layers: dict[str, bool]) -> None:
    """Write the ``layer_styles`` table into the GeoPackage at ``path``: for each layer
    of ``layers`` (name -> whether it has unassigned comuni to show) the plan's style,
    used by default. The table is registered in ``gpkg_contents`` as QGIS does."""
    with closing(sqlite3.connect(path)) as db, db:  # closed after the commit
        db.execute(_CREATE)
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                   "VALUES (?, 'attributes', ?, '', strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                   (STYLES_TABLE, STYLES_TABLE))
        geometry_columns = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        for layer, unassigned in layers.items():
            db.execute(f"INSERT INTO {STYLES_TABLE} (f_table_catalog, f_table_schema, f_table_name, "
                       "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                       "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '')",
                       (layer, geometry_columns.get(layer, "geom"), layer,
                        plan_style_qml(plan, unassigned=unassigned), "Zone omogenee colorate come nell'app"))
