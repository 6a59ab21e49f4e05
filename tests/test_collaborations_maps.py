"""The collaborations overlay and member picking, rendered to Leaflet code without a browser."""

import datetime as dt
import folium
import pytest
from streamlit_folium import _get_feature_group_string

from geo.render.collaboration_maps import (
    LAYERS, MARKER_PANE, PANE, collaboration_layers, layer_of, layer_options, overlay_data,
)
from geo.collaborations.model import Collaboration
from geo.render.member_pick import comune_at, parse_pick, pick_layer
from tests.grids import CELL_M, ORIGIN_X, ORIGIN_Y, grid_code as g, grid_comuni

TODAY = dt.date(2026, 11, 25)
EVIL = "<img src=x onerror=alert(1)>"


def collab(id_, functions, members, capofila=None, **extra):
    return Collaboration(id=id_, name=extra.pop("name", id_.upper()), form="convenzione", functions=functions,
                         members=members, capofila=capofila, status=extra.pop("status", "attiva"), **extra)


@pytest.fixture(scope="module")
def comuni():
    return grid_comuni(2, 3)


@pytest.fixture(scope="module")
def data(comuni):
    return overlay_data(comuni, [
        collab("pl", ("polizia_locale",), (g(0, 0), g(0, 1), g(1, 1)), capofila=g(0, 0),
               name=EVIL + "`${alert(2)}`</script>", sources=("https://example.org/fonte",)),
        collab("suap", ("suap_sue", "servizi_sociali"), (g(0, 2), g(1, 2)), da_verificare=True),
        collab("nuova", ("ufficio_tecnico",), (g(0, 0), g(1, 0)), status="da_costituire"),
        collab("finita", ("polizia_locale",), (g(1, 0), g(1, 1)), end_date=dt.date(2025, 12, 31)),
    ], today=TODAY)


def script_of(groups) -> str:
    """The JavaScript streamlit-folium sends to the browser for these overlays."""
    fmap = folium.Map(tiles=None)
    return "".join(_get_feature_group_string(group, fmap, i) for i, group in enumerate(groups))


def test_each_collaboration_goes_to_its_function_layers():
    c = collab("x", ("polizia_locale", "tributi", "servizi_ict"), (g(0, 0), g(0, 1)))
    assert layer_of(c) == ("polizia_locale", "servizi_ict", "altre_funzioni")
    assert set(LAYERS) == {"ufficio_tecnico", "polizia_locale", "suap_sue", "servizi_ict", "altre_funzioni"}


def test_ended_collaborations_are_not_drawn_and_styles_follow_the_status(data):
    by_id = {d["id"]: d for d in data}
    assert set(by_id) == {"pl", "suap", "nuova"}
    assert (by_id["pl"]["style"], by_id["suap"]["style"], by_id["nuova"]["style"]) == (
        "operativa", "da_verificare", "prevista")
    # capofila at the centre of cell (0, 0), lines to the two other members
    lat, lng = by_id["pl"]["capofila"]
    assert comune_at(grid_comuni(2, 3), lat, lng) == g(0, 0)
    assert len(by_id["pl"]["points"]) == 2
    assert by_id["suap"]["capofila"] is None and by_id["suap"]["points"] == []  # no capofila, no lines
    assert by_id["pl"]["outline"]["type"] == "Polygon"  # the three cells merge into one outline


def drawn(groups) -> dict[str, list[str]]:
    """Layer name -> names of the collaborations its drawing element carries."""
    out = {}
    for group in groups:
        for element in group._children.values():
            if hasattr(element, "items"):
                out[group.layer_name] = [item["info"]["name"] for item in element.items]
    return out


def test_only_the_layers_switched_on_are_returned(data):
    assert collaboration_layers(data, []) == []
    groups = collaboration_layers(data, ["polizia_locale"])
    assert len(groups) == 2  # the layer and the legend
    assert drawn(groups) == {"collaborazioni Polizia Locale": [EVIL + "`${alert(2)}`</script>"]}  # "finita" ended
    groups = collaboration_layers(data, ["altre_funzioni", "suap_sue", "polizia_locale"])
    assert [g.layer_name for g in groups] == [
        "collaborazioni Polizia Locale", "collaborazioni SUAP/SUE", "collaborazioni Altre funzioni",
        "legenda collaborazioni"]
    # suap also covers servizi sociali: it is drawn in both its layers
    assert drawn(groups)["collaborazioni Altre funzioni"] == ["SUAP"]


def test_outlines_leave_the_zone_colours_visible_and_use_no_cdn_marker(data):
    for layer in LAYERS:
        options = layer_options(layer)
        assert options["halo"]["style"]["fill"] is False and options["line"]["style"]["fill"] is False
        assert options["halo"]["interactive"] is False  # the halo never hides the comune under it
        assert options["marker"]["pane"] == MARKER_PANE and options["line"]["pane"] == PANE
        assert options["dashes"] == {"operativa": None, "da_verificare": "2 7", "prevista": "10 7"}
    groups = collaboration_layers(data, LAYERS)
    js = script_of(groups)
    assert "L.circleMarker(" in js and "L.marker(" not in js and "L.icon(" not in js
    for group in groups:
        for element in group._children.values():
            assert not getattr(element, "default_js", None) and not getattr(element, "default_css", None)


def test_user_text_is_data_for_textcontent_never_html(data):
    js = script_of(collaboration_layers(data, ["polizia_locale"]))
    assert "<img" not in js and "</script>" not in js
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in js  # JSON-escaped inside the script
    assert "bindTooltip(`" not in js  # no template literal that ${...} could break out of
    assert "textContent = info.name" in js and "textContent = text" in js and "innerHTML" not in js


def test_tooltip_lists_form_functions_members_status_and_source(data):
    info = next(d for d in data if d["id"] == "pl")["info"]
    assert info["rows"] == [
        "Forma: Convenzione (art. 30 TUEL)",
        "Funzioni: Polizia Locale",
        "Capofila: Comune 0-0",
        "Membri (3): Comune 0-0, Comune 0-1, Comune 1-1",
        "Stato: attiva",
        "Fonte: https://example.org/fonte",
    ]


def test_clicks_are_parsed_and_located_on_the_displayed_comuni(comuni):
    # the centre of cell (1, 2), back in degrees
    import geopandas as gpd
    import shapely

    centre = gpd.GeoSeries([shapely.Point(ORIGIN_X + 2.5 * CELL_M, ORIGIN_Y + 1.5 * CELL_M)], crs="EPSG:32632")
    point = centre.to_crs("EPSG:4326").iloc[0]
    pick = parse_pick({"pb": {"action": "pick", "lat": point.y, "lng": point.x, "seq": 7}})
    assert pick is not None and pick.seq == 7
    assert comune_at(comuni, pick.lat, pick.lng) == g(1, 2)
    assert comune_at(comuni, 0.0, 0.0) is None
    for bad in (None, {}, {"pb": "x"}, {"pb": {"action": "assign", "code": "1", "zone": "a", "seq": 1}},
                {"pb": {"action": "pick", "lat": "nord", "lng": 1, "seq": 1}},
                {"pb": {"action": "pick", "lat": 200, "lng": 1, "seq": 1}}):
        assert parse_pick(bad) is None


def test_pick_layer_outlines_the_chosen_members(comuni):
    js = script_of([pick_layer(comuni, [g(0, 0), g(0, 1)])])
    assert js.count("collab-scelta") == 1 and '"action": "pick"' not in js and "action: \"pick\"" in js
    assert "collab-scelta" not in script_of([pick_layer(comuni, [])])


def test_a_code_missing_from_the_data_is_listed_not_drawn(comuni):
    gone = "099999"  # e.g. a comune merged into another after a data rebuild
    data = overlay_data(comuni, [collab("x", ("tributi",), (g(0, 0), g(0, 1), gone), capofila=gone)], TODAY)
    (item,) = data
    assert item["capofila"] is None and item["points"] == []
    assert "Capofila: 099999" in item["info"]["rows"] and "Membri (3): 099999, Comune 0-0, Comune 0-1" in item["info"]["rows"]
    assert overlay_data(comuni, [collab("y", ("tributi",), (gone, "099998"))], TODAY) == ()
