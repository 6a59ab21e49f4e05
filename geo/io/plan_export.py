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
import re
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.base.italian import format_timestamp
from geo.zoning.area import Area
from geo.data.shipped import ATTRIBUTION, METRIC_CRS
from geo.zoning.plan import Plan
from geo.io.qgis_style import add_plan_styles
from geo.io.spreadsheet import csv_bytes, text_never_formula, xlsx_text
from geo.render.homogeneity_tables import homogeneity_records
from geo.zoning.homogeneity import homogeneity
from geo.zoning.indicators import Indicator
from geo.zoning.statistic_types import StatisticError
from geo.zoning.statistics import statistics_registry, zone_statistics
from geo.zoning.statistics_registry import StatisticsRegistry

COMUNI_LAYER = "comuni"
ZONES_LAYER = "zone_omogenee"
GEOJSON_ZONES_MEMBER = "zone_omogenee"  # RFC 7946 §6.1 foreign member with the zone list
CSV_COLUMNS = ["codice_istat", "comune", "zona", "colore"]
_GEOJSON_DECIMALS = 6  # about 0.1 m: the full ISTAT boundary, not the display one
ZONE_FIELDS = ["ordine", "zona_id", "zona", "colore", "bloccata"]  # then one field per statistic
_INT32 = 2**31 - 1


def _integer_dtype(values: pd.Series) -> str:
    # OGR "Integer" (32 bits) for counts, "Integer64" only when a value needs it; nullable either way.
    return "Int32" if values.isna().all() or values.abs().max() <= _INT32 else "Int64"


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


def zones_layer(area: Area, plan: Plan, registry: StatisticsRegistry | None = None) -> gpd.GeoDataFrame:
    """One row per zone, in plan order: id, name, colour, lock, every statistic of
    ``registry`` (default: the active one; areas in km² from EPSG:32632) under its
    declared field name, counts as integers, and the union of its comuni (EPSG:4326;
    no geometry for an empty zone).

    Raises
    ------
    StatisticError
        If a statistic's field name is one of the zone fields.
    """
    registry = statistics_registry() if registry is None else registry
    clashes = [s.field for s in registry if s.field in ZONE_FIELDS]
    if clashes:
        raise StatisticError(f"Nome di campo riservato alle zone: {', '.join(clashes)}.")
    stats = zone_statistics(area, plan, registry)
    records, geometries = [], []
    for position, zone in enumerate(plan.zones, start=1):
        members = plan.members(zone.id)
        record = {"ordine": position, "zona_id": zone.id, "zona": zone.name, "colore": zone.color,
                  "bloccata": int(zone.locked)}
        for stat in registry:
            record[stat.field] = stat.number(stats.at[zone.id, stat.key])
        records.append(record)
        geometries.append(shapely.union_all(area.comuni.loc[list(members), "geometry"].to_numpy())
                          if members else None)
    table = pd.DataFrame(records, columns=[*ZONE_FIELDS, *(s.field for s in registry)])
    for stat in registry:
        column = table[stat.field].astype(float)
        table[stat.field] = column.astype(_integer_dtype(column)) if stat.whole else column
    return gpd.GeoDataFrame(table, geometry=geometries, crs=area.comuni.crs)


def source_lines(registry: StatisticsRegistry | None, indicators=()) -> list[str]:
    """The attribution, then year, source and licence of every statistic and indicator that has its own."""
    registry = statistics_registry() if registry is None else registry
    lines = [s.source_line for s in registry if s.source]
    lines += [f"{i.label}: {i.source.line}" for i in indicators if i.key not in registry or not registry[i.key].source]
    return [ATTRIBUTION, *dict.fromkeys(lines)]


def to_geopackage(area: Area, plan: Plan, registry: StatisticsRegistry | None = None,
                  indicators: tuple[Indicator, ...] = (), *, territory: str = "") -> bytes:
    """GeoPackage with layers ``comuni`` and ``zone_omogenee`` in EPSG:32632 (metres,
    the CRS of the project's areas), readable by QGIS and GDAL's ``ogrinfo``; the zones
    carry the statistics of ``registry`` (see :func:`zones_layer`); the layers' metadata
    the sources, the plan's ``territory`` when given and, with ``indicators``, the
    plan's homogeneity score on them. Both layers open in QGIS coloured by zone, with
    the zones' names in the legend (:mod:`geo.io.qgis_style`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "piano.gpkg"
        metadata = {"attribuzione": ATTRIBUTION, "fonti": " | ".join(source_lines(registry, indicators)),
                    **({"territorio": territory} if territory else {})}
        if indicators:
            score = homogeneity(area, plan, indicators).score
            metadata["omogeneita"] = f"{score:.4f} (0-1, indicatori: {', '.join(i.key for i in indicators)})"
        # GeoPackage 1.2: GDAL 3.6 (and QGIS builds on it) warn on the newer 1.4 default.
        pyogrio.write_dataframe(comuni_layer(area, plan).to_crs(METRIC_CRS), path, layer=COMUNI_LAYER,
                                driver="GPKG", promote_to_multi=True, layer_metadata=metadata,
                                dataset_options={"VERSION": "1.2"})
        pyogrio.write_dataframe(zones_layer(area, plan, registry).to_crs(METRIC_CRS), path, layer=ZONES_LAYER,
                                driver="GPKG", promote_to_multi=True, layer_metadata=metadata)
        add_plan_styles(path, plan, {COMUNI_LAYER: bool(plan.unassigned), ZONES_LAYER: False})
        return path.read_bytes()


def to_geojson(area: Area, plan: Plan, territory: str = "") -> bytes:
    """GeoJSON (RFC 7946, EPSG:4326, right-hand winding) of the comuni with their zone;
    the zone list travels in the foreign member ``zone_omogenee`` so a re-import
    restores it, the plan's territory (its name, when given) in the member ``territorio``."""
    layer = comuni_layer(area, plan)
    geometries = shapely.set_precision(layer.geometry.to_numpy(), 10 ** -_GEOJSON_DECIMALS)
    # RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise (GEOS and the
    # ISTAT boundaries give clockwise exteriors; strict readers and d3 draw them inside out).
    geometries = shapely.orient_polygons(geometries, exterior_cw=False)
    features = [
        {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        for props, geom in zip(layer.drop(columns="geometry").to_dict("records"), geometries)
    ]
    collection = {
        "type": "FeatureCollection",
        GEOJSON_ZONES_MEMBER: plan.to_dict()["zones"],
        **({"territorio": territory} if territory else {}),
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


def to_xlsx(area: Area, plan: Plan, title: str = "", territory: str = "",
            registry: StatisticsRegistry | None = None, indicators: tuple[Indicator, ...] = ()) -> bytes:
    """Excel workbook: sheet ``Comuni`` (code as text, name, zone, colour, residents),
    sheet ``Statistiche`` (every statistic of ``registry``, default the active one,
    per zone and for the area, as numbers in each statistic's declared Excel format),
    with ``indicators`` sheet ``Omogeneità`` (the score, each indicator's share explained,
    per zone means and coefficients of variation) and sheet ``Informazioni`` (title,
    territory when given, date, sources of the data and of every indicator)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Comuni"
    layer = comuni_layer(area, plan)
    sheet.append([*CSV_COLUMNS, "residenti"])
    for row in layer[[*CSV_COLUMNS, "residenti"]].itertuples(index=False):
        sheet.append([str(row.codice_istat), xlsx_text(row.comune), xlsx_text(row.zona), row.colore,
                      int(row.residenti)])
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # text: Excel must not turn 017088 into 17088
    for column, width in zip("ABCDE", (14, 28, 32, 10, 12)):
        sheet.column_dimensions[column].width = width

    stats_sheet = book.create_sheet("Statistiche")
    registry = statistics_registry() if registry is None else registry
    stats = zone_statistics(area, plan, registry)
    stats_sheet.append(["Zona", *(s.heading for s in registry)])
    for _, row in stats.iterrows():
        stats_sheet.append([xlsx_text(row["zona"]), *(s.number(row[s.key]) for s in registry)])
    for index, stat in enumerate(registry, start=2):
        for (cell,) in stats_sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = stat.excel_format
    stats_sheet.column_dimensions["A"].width = 32

    if indicators:
        _homogeneity_sheet(book, area, plan, indicators)
    info = book.create_sheet("Informazioni")
    info.append(["Piano delle zone omogenee", xlsx_text(title) or "Piano attuale"])
    if territory:
        info.append(["Territorio", xlsx_text(territory)])
    info.append(["Esportato il", format_timestamp(datetime.now(timezone.utc))])  # Italian local time
    for line in source_lines(registry, indicators):
        info.append(["Fonti", line])
    info.column_dimensions["A"].width = 28
    for sheet_ in (sheet, stats_sheet):
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
    text_never_formula(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _homogeneity_sheet(book, area: Area, plan: Plan, indicators) -> None:
    result = homogeneity(area, plan, indicators)
    sheet = book.create_sheet("Omogeneità")
    sheet.append(["Omogeneità del piano (0-1)", None if result.score != result.score else result.score])
    sheet["B1"].number_format = "0.00"
    for _, headers, rows, formats in homogeneity_records(result, plan):
        sheet.append([])
        top = sheet.max_row + 1
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        for column, number_format in formats.items():
            for (cell,) in sheet.iter_rows(min_row=top + 1, min_col=column, max_col=column):
                cell.number_format = number_format
    sheet.column_dimensions["A"].width = 34


def to_png(area: Area, plan: Plan, title: str = "") -> bytes:
    """The map of the plan rendered on the server (see :mod:`geo.render.map_image`)."""
    from geo.render.map_image import render_plan_png

    return render_plan_png(area, plan, title=title)


def export_file_name(title: str, extension: str) -> str:
    """A safe file name from a plan's title: ``"Proposta Leno 2"`` -> ``"proposta_leno_2.xlsx"``."""
    ascii_title = unicodedata.normalize("NFKD", title or "piano").encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ascii_title).strip("_").lower()[:60] or "piano"
    return f"{stem}.{extension}"
