"""The comuni maps of the pages.

* :func:`show_map`: the project's own component (:func:`map_component.comuni_map`)
  for every map that sends events (clicks, drawings, picks) or carries overlays;
* :func:`show_view_map`: a plain folium map in streamlit-folium, for maps that send
  no events (``map_component/README.md`` states the rule).
"""

from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st
from streamlit_folium import st_folium

from geo import Plan, find_by_name, legend_html, packed_zone_state, plan_layer, publish_base_map, view_base_map
from geo import zone_state
from map_component import MapEvent, comuni_map
from ui.markdown import md
from ui.shipped import area_for, default_view_bounds, shipped_comuni


def show_map(plan: Plan, *, key: str, height: int = 620, fill: bool = True, drawing: bool = False,
             overlays: Sequence[dict] = (), on_change: Callable[[MapEvent], None] | None = None,
             **state_options) -> MapEvent | None:
    """The comuni map (:func:`map_component.comuni_map`); returns the last event.

    The base map is published once per process (same URL every rerun: no reload,
    same view); the zone state (``state_options``: :func:`geo.render.maps.zone_state`)
    and ``overlays`` are applied in place. ``on_change`` gets each new typed event.
    ``fill``: the map fills the browser's viewport below its top (map first on
    every screen), ``height`` pixels where the page cannot be measured.
    """
    comuni = shipped_comuni()
    base = publish_base_map(comuni, default_view_bounds(), drawing=drawing)
    state = packed_zone_state(zone_state(plan, **state_options), comuni.index)
    return comuni_map(state, base=base, key=key, height=height, fill=fill, overlays=overlays, on_change=on_change)


def show_view_map(plan: Plan, *, key: str, search_key: str, height: int = 560, highlight=(),
                  legend: bool = True) -> None:
    """A plan on a plain folium map in streamlit-folium, legend below (``legend``;
    else :func:`show_view_legend` where the page wants it): for maps that send no
    events (``map_component/README.md``). The empty base map stays the same; the
    plan (``highlight`` outlined in red) is ``feature_group_to_add``, swapped in place.

    Above it, the search box of every map page (the component's maps have it inside
    the map): the comune found is outlined and the map zooms to it (``center`` and
    ``zoom`` move the view without reloading it).
    """
    area = area_for(plan.codes)
    comuni = shipped_comuni()
    # The placeholder says what it is: no label line, the map stays higher on the page.
    typed = st.text_input("Cerca un comune", key=search_key, placeholder="Cerca un comune sulla mappa",
                          max_chars=80, label_visibility="collapsed")
    matches = find_by_name(dict(zip(comuni.index, comuni["comune"])), typed) if typed.strip() else []
    found = matches[0] if matches else None
    if typed.strip():
        st.caption(f"Trovato: {md(comuni.at[found, 'comune'])} ({md(comuni.at[found, 'sigla_provincia'])})"
                   if found else "Nessun comune trovato.")
    view = {}
    if found:
        point = comuni.loc[[found], "geometry"].representative_point().iloc[0]
        view = {"center": [point.y, point.x], "zoom": 12}
    st_folium(view_base_map(tuple(area.comuni.total_bounds)), key=key, height=height, use_container_width=True,
              returned_objects=[], feature_group_to_add=plan_layer(comuni, plan, highlight, found), **view)
    if legend:
        show_view_legend(plan)


def show_view_legend(plan: Plan) -> None:
    """The zones of ``plan`` with their colours and residents, as text."""
    st.html(legend_html(plan, area_for(plan.codes).comuni["pop_totale"]))
