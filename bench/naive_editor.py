"""The straightforward zone editor, kept only as the benchmark's baseline.

A folium map rebuilt on every run with the zone colours baked into the GeoJSON
style, ``st_folium`` with its default returned objects, and a click applied with
``st.rerun()``: the approach the engineering notes measured at ~0.9 s per click,
with the map blanking. Run by ``bench/editor_latency.py``; not part of the app.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium  # noqa: E402
import shapely  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo.zoning.area import Area  # noqa: E402
from geo.data.territory_data import load_catalogue  # noqa: E402
from geo.base.italian import format_number  # noqa: E402
from geo.render.statistics_table import statistics_display_table  # noqa: E402
from geo.render.map_assets import LEAFLET_CSS, LEAFLET_JS  # noqa: E402
from geo.zoning.plan import Plan  # noqa: E402
from geo.zoning.statistics import TOTAL_ROW, max_deviation, zone_statistics  # noqa: E402

start = time.perf_counter()
st.set_page_config(layout="wide")


@st.cache_resource
def territory():
    """The benchmark's territory (``PIANURA_TERRITORY_DIR``, ``PIANURA_TERRITORY``)."""
    return load_catalogue().default


@st.cache_resource
def area() -> Area:
    return Area.from_comuni(territory().comuni, territory().area_codes)


try:
    a = area()
    if "plan" not in st.session_state:
        st.session_state.plan = Plan.from_dict(territory().starting_plan).with_area(a.codes)
        st.session_state.last_click = None
    plan: Plan = st.session_state.plan

    fmap = folium.Map(tiles=None, double_click_zoom=False)
    fmap.default_js, fmap.default_css = list(LEAFLET_JS), list(LEAFLET_CSS)
    frame = a.comuni.set_geometry("geometry_display")[["istat_code", "comune", "pop_totale", "geometry_display"]]
    frame = frame.assign(zona=[plan.zone(plan.zone_of(c)).name if plan.zone_of(c) else "-" for c in frame.index])
    folium.GeoJson(
        frame.to_json(),
        style_function=lambda f: {"fillColor": plan.color_of(f["properties"]["istat_code"]), "color": "#333",
                                  "weight": 1, "fillOpacity": 0.72,
                                  "className": "comune-area c-" + f["properties"]["istat_code"]},
        tooltip=folium.GeoJsonTooltip(["comune", "istat_code", "pop_totale", "zona"]),
    ).add_to(fmap)
    minx, miny, maxx, maxy = a.comuni.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])

    left, right = st.columns([3, 2])
    with left:
        out = st_folium(fmap, height=640, use_container_width=True)
    stats = zone_statistics(a, plan)
    with right:
        cards = st.columns(3)
        cards[0].metric("Residenti", format_number(stats.loc[TOTAL_ROW, "residenti"]))
        cards[1].metric("Non assegnati", str(len(plan.unassigned)))
        cards[2].metric("Scarto massimo", f"{format_number(max_deviation(stats), 1)} %")
    st.dataframe(statistics_display_table(stats), hide_index=True)

    click = out.get("last_object_clicked") if out else None
    if click and click != st.session_state.last_click:
        st.session_state.last_click = click
        inside = shapely.contains_xy(a.comuni.geometry_display.values, click["lng"], click["lat"])
        hit = [c for c, yes in zip(a.codes, inside) if yes]
        if hit:
            st.session_state.plan = plan.assign(hit, plan.zone_ids[0]).plan
            st.rerun()

finally:
    # Logged for every run, including the one that ends in st.rerun().
    log = os.environ.get("PIANURA_TIMING_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"naive\t{(time.perf_counter() - start) * 1000:.2f}\n")
