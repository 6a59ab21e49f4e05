"""The comuni map of the pages: streamlit-folium showing the folium map that
:mod:`geo.render.maps` builds, with the zone state and overlays swapped in place."""

from __future__ import annotations

import folium
from streamlit_folium import st_folium

from geo import Plan, base_map, zone_state, zone_state_layer
from ui.shipped import default_view_bounds, shipped_comuni


def show_map(plan: Plan, *, key: str, height: int = 620, drawing: bool = False,
             overlays: list[folium.FeatureGroup] | None = None, on_change=None, **state_options):
    """Draw the comuni map and return the last event the browser sent (or ``None``).

    The base map is byte-identical across reruns, so streamlit-folium keeps the same
    iframe (no reload, no blank, same view); the zone state and any ``overlays``
    (e.g. collaborations) travel as feature groups that the browser swaps in place.
    Clicks and drawings arrive as ``{"pb": {...}}`` (see ``geo/render/js/pianura_map.js``);
    ``on_change`` runs before the script when one arrives: read it with
    ``st.session_state[key]``.
    """
    state = zone_state(plan, **state_options)
    return st_folium(
        base_map(shipped_comuni(), default_view_bounds(), height_px=height, drawing=drawing),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[zone_state_layer(state), *(overlays or [])],
        on_change=on_change,
        # st_folium renders the map itself in any case; render=True only adds a
        # second, identical render of the whole figure (tests/test_maps.py checks).
        render=False,
    )
