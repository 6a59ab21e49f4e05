"""Writers of a plan's files that GIS and office tools open: GeoPackage, GeoJSON, CSV,
XLSX, PNG (declared as formats in :mod:`geo.io.formats`).

ISTAT codes stay 6-character strings everywhere (text cells in XLSX, text fields
in GeoPackage and GeoJSON); plans were lost in other tools when the leading zero
was dropped. Every file can be imported back (:mod:`geo.io.plan_import`) and gives
the same plan: GeoPackage and GeoJSON carry the whole zone list (ids, names,
colours, locks, order, empty zones too); CSV and XLSX carry, per comune, the zone's
name and colour, rows grouped by zone in plan order.
"""

from __future__ import annotations

import io
import json
import math
import re
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.zoning.area import Area
from geo.data.shipped import ATTRIBUTION, METRIC_CRS
from geo.zoning.plan import Plan
from geo.io.spreadsheet import csv_bytes, text_never_formula
from geo.zoning.statistics import STATISTICS, zone_statistics

COMUNI_LAYER = "comuni"
ZONES_LAYER = "zone_omogenee"
GEOJSON_ZONES_MEMBER = "zone_omogenee"  # RFC 7946 §6.1 foreign member with the zone list
CSV_COLUMNS = ["codice_istat", "comune", "zona", "colore"]
_GEOJSON_DECIMALS = 6  # about 0.1 m: the full ISTAT boundary, not the display one
# GIS users read field names, not labels: the unit goes into the name.
_UNIT_SUFFIX = {"km²": "_km2", "%": "_pct", "ab./km²": "_ab_km2"}


def statistic_field(key: str, unit: str) -> str:
    """Field name of a statistic in the zones layer, e.g. ``superficie_km2``."""
    return key + _UNIT_SUFFIX.get(unit, "")


def _number_or_none(value) -> float | None:
    """A statistic as a plain float; ``None`` where it has no value (NaN or None)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def comuni_table(area: Area, plan: Plan) -> pd.DataFrame:
    """One row per comune of the area: code, name, zone name and colour (empty when
    unassigned), grouped by zone in plan order then by name, unassigned last."""
    order = {z.id: i for i, z in enumerate(plan.zones)}
    rows = []
    for code in plan.codes:
        zone_id = plan.zone_of(code)
        zone = plan.zone(zone_id) if zone_id is not None else None
        rows.append({
            "codice_istat": code,
            "comune": area.name(code),
            "zona": zone.name if zone else "",
            "colore": zone.color if zone else "",
            "zona_id": zone_id or "",
            "_ordine": order.get(zone_id, len(order)),
        })
    table = pd.DataFrame(rows, columns=["codice_istat", "comune", "zona", "colore", "zona_id", "_ordine"])
    return table.sort_values(["_ordine", "comune", "codice_istat"]).drop(columns="_ordine").reset_index(drop=True)


def comuni_layer(area: Area, plan: Plan) -> gpd.GeoDataFrame:
    """The comuni of the area with their zone, residents and full ISTAT boundary (EPSG:4326)."""
    table = comuni_table(area, plan)
    comuni = area.comuni.loc[table["codice_istat"]]
    table["provincia"] = comuni["provincia"].to_numpy()
    table["residenti"] = comuni["pop_totale"].astype("int64").to_numpy()
    table["superficie_km2"] = comuni["area_km2"].astype(float).round(3).to_numpy()
    columns = ["codice_istat", "comune", "provincia", "zona_id", "zona", "colore", "residenti", "superficie_km2"]
    return gpd.GeoDataFrame(table[columns], geometry=comuni.geometry.to_numpy(), crs=area.comuni.crs)


def zones_layer(area: Area, plan: Plan) -> gpd.GeoDataFrame:
    """One row per zone, in plan order: id, name, colour, lock, every statistic of the
    registry (:data:`geo.zoning.statistics.STATISTICS`, areas in km² from EPSG:32632) and the
    union of its comuni (EPSG:4326; no geometry for an empty zone)."""
    stats = zone_statistics(area, plan)
    records, geometries = [], []
    for position, zone in enumerate(plan.zones, start=1):
        members = plan.members(zone.id)
        record = {"ordine": position, "zona_id": zone.id, "zona": zone.name, "colore": zone.color,
                  "bloccata": int(zone.locked)}
        for stat in STATISTICS:
            record[statistic_field(stat.key, stat.unit)] = _number_or_none(stats.at[zone.id, stat.key])
        records.append(record)
        geometries.append(shapely.union_all(area.comuni.loc[list(members), "geometry"].to_numpy())
                          if members else None)
    columns = ["ordine", "zona_id", "zona", "colore", "bloccata",
               *(statistic_field(s.key, s.unit) for s in STATISTICS)]
    return gpd.GeoDataFrame(pd.DataFrame(records, columns=columns), geometry=geometries, crs=area.comuni.crs)


def to_geopackage(area: Area, plan: Plan) -> bytes:
    """GeoPackage with layers ``comuni`` and ``zone_omogenee`` in EPSG:32632 (metres,
    the CRS of the project's areas), readable by QGIS and GDAL's ``ogrinfo``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "piano.gpkg"
        metadata = {"attribuzione": ATTRIBUTION}
        # GeoPackage 1.2: GDAL 3.6 (and QGIS builds on it) warn on the newer 1.4 default.
        pyogrio.write_dataframe(comuni_layer(area, plan).to_crs(METRIC_CRS), path, layer=COMUNI_LAYER,
                                driver="GPKG", promote_to_multi=True, layer_metadata=metadata,
                                dataset_options={"VERSION": "1.2"})
        pyogrio.write_dataframe(zones_layer(area, plan).to_crs(METRIC_CRS), path, layer=ZONES_LAYER,
                                driver="GPKG", promote_to_multi=True, layer_metadata=metadata)
        return path.read_bytes()


def to_geojson(area: Area, plan: Plan) -> bytes:
    """GeoJSON (RFC 7946, EPSG:4326) of the comuni with their zone; the zone list
    travels in the foreign member ``zone_omogenee`` so a re-import restores it."""
    layer = comuni_layer(area, plan)
    geometries = shapely.set_precision(layer.geometry.to_numpy(), 10 ** -_GEOJSON_DECIMALS)
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        for props, geom in zip(layer.drop(columns="geometry").to_dict("records"), geometries)
    ]
    collection = {
        "type": "FeatureCollection",
        GEOJSON_ZONES_MEMBER: plan.to_dict()["zones"],
        "attribuzione": ATTRIBUTION,
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), default=_json_number).encode("utf-8")


def _json_number(value):
    # numpy integers and floats coming from pandas records
    return value.item() if hasattr(value, "item") else str(value)


def to_csv(area: Area, plan: Plan) -> bytes:
    """CSV as Italian Excel reads it (:func:`geo.io.spreadsheet.csv_bytes`: ``;``, UTF-8
    with BOM, formulas neutralised); columns ``codice_istat;comune;zona;colore`` (the
    code keeps its leading zero)."""
    return csv_bytes(comuni_table(area, plan)[CSV_COLUMNS])


def _number_format(values: list) -> str:
    numbers = [v for v in values if isinstance(v, (int, float))]
    if all(float(v).is_integer() for v in numbers):
        return "#,##0"
    return "0.00" if all(abs(v) < 10 for v in numbers) else "#,##0.0"


def to_xlsx(area: Area, plan: Plan, title: str = "") -> bytes:
    """Excel workbook: sheet ``Comuni`` (code as text, name, zone, colour, residents),
    sheet ``Statistiche`` (every statistic per zone and for the area, as numbers)
    and sheet ``Informazioni`` (title, date, sources)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Comuni"
    layer = comuni_layer(area, plan)
    sheet.append([*CSV_COLUMNS, "residenti"])
    for row in layer[[*CSV_COLUMNS, "residenti"]].itertuples(index=False):
        sheet.append([str(row.codice_istat), row.comune, row.zona, row.colore, int(row.residenti)])
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # text: Excel must not turn 017088 into 17088
    for column, width in zip("ABCDE", (14, 28, 32, 10, 12)):
        sheet.column_dimensions[column].width = width

    stats_sheet = book.create_sheet("Statistiche")
    stats = zone_statistics(area, plan)
    stats_sheet.append(["Zona", *(f"{s.label} ({s.unit})" for s in STATISTICS)])
    for _, row in stats.iterrows():
        values = [_number_or_none(row[s.key]) for s in STATISTICS]
        stats_sheet.append([row["zona"], *values])
    for index, stat in enumerate(STATISTICS, start=2):
        cells = [r[0] for r in stats_sheet.iter_rows(min_row=2, min_col=index, max_col=index)]
        number_format = _number_format([c.value for c in cells if c.value is not None])
        for cell in cells:
            cell.number_format = number_format
    stats_sheet.column_dimensions["A"].width = 32

    info = book.create_sheet("Informazioni")
    info.append(["Piano delle zone omogenee", title or "Piano attuale"])
    info.append(["Esportato il (UTC)", datetime.now(timezone.utc).strftime("%d/%m/%Y %H:%M")])
    info.append(["Fonti", ATTRIBUTION])
    info.column_dimensions["A"].width = 28
    for sheet_ in (sheet, stats_sheet):
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
    text_never_formula(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_png(area: Area, plan: Plan, title: str = "") -> bytes:
    """The map of the plan rendered on the server (see :mod:`geo.render.map_image`)."""
    from geo.render.map_image import render_plan_png

    return render_plan_png(area, plan, title=title)


def export_file_name(title: str, extension: str) -> str:
    """A safe file name from a plan's title: ``"Proposta Leno 2"`` -> ``"proposta_leno_2.xlsx"``."""
    ascii_title = unicodedata.normalize("NFKD", title or "piano").encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ascii_title).strip("_").lower()[:60] or "piano"
    return f"{stem}.{extension}"
