"""The collaborations overlay and member picking: the plain data sent to the map
component, and the frontend code that draws it, without a browser."""

import datetime as dt
import json

import pytest
import shapely
from shapely.geometry import shape

from geo.render.collaboration_maps import (
    LAYERS, MARKER_PANE, PANE, collaboration_overlays, layer_of, layer_options, overlay_data,
)
from geo.collaborations.model import Collaboration
from geo.render.member_pick import comune_at, pick_overlay
from map_component import FRONTEND_DIR, MapPick, parse_map_event
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


def frontend(name: str) -> str:
    return (FRONTEND_DIR / name).read_text(encoding="utf-8")


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


def drawn(overlays) -> dict[str, list[str]]:
    """Overlay id -> names of the collaborations it carries."""
    return {o["id"]: [item["info"]["name"] for item in o["items"]] for o in overlays if o["kind"] == "collaborations"}


def test_only_the_layers_switched_on_are_returned(data):
    assert collaboration_overlays(data, []) == []
    overlays = collaboration_overlays(data, ["polizia_locale"])
    assert [o["kind"] for o in overlays] == ["collaborations", "collaboration_legend"]
    assert drawn(overlays) == {"collaborazioni:polizia_locale": [EVIL + "`${alert(2)}`</script>"]}  # "finita" ended
    overlays = collaboration_overlays(data, ["altre_funzioni", "suap_sue", "polizia_locale"])
    assert [o["id"] for o in overlays] == [  # in the order of LAYERS, whatever the order switched on
        "collaborazioni:polizia_locale", "collaborazioni:suap_sue", "collaborazioni:altre_funzioni",
        "collaborazioni:legenda"]
    # suap also covers servizi sociali: it is drawn in both its layers
    assert drawn(overlays)["collaborazioni:altre_funzioni"] == ["SUAP"]
    legend = overlays[-1]
    assert [(layer["label"], layer["names"]) for layer in legend["layers"]] == [
        ("Polizia Locale", [EVIL + "`${alert(2)}`</script>"]), ("SUAP/SUE", ["SUAP"]), ("Altre funzioni", ["SUAP"])]


def test_outlines_leave_the_zone_colours_visible_and_use_no_cdn_marker(data):
    for layer in LAYERS:
        options = layer_options(layer)
        assert options["halo"]["style"]["fill"] is False and options["line"]["style"]["fill"] is False
        assert options["halo"]["interactive"] is False  # the halo never hides the comune under it
        assert options["marker"]["pane"] == MARKER_PANE and options["line"]["pane"] == PANE
        assert options["dashes"] == {"operativa": None, "da_verificare": "2 7", "prevista": "10 7"}
    overlays = collaboration_overlays(data, LAYERS)
    assert all(o["panes"] == ((PANE, 450), (MARKER_PANE, 460)) for o in overlays if o["kind"] == "collaborations")
    assert "icon" not in json.dumps(overlays).lower()
    js = frontend("collaborations.js")
    assert "L.circleMarker(" in js and "L.marker(" not in js and "L.icon(" not in js


def test_user_text_is_data_for_textcontent_never_html(data):
    overlays = collaboration_overlays(data, ["polizia_locale"])
    (item,) = overlays[0]["items"]
    assert item["info"]["name"] == EVIL + "`${alert(2)}`</script>"  # as typed, unescaped: it is data
    for name in ("comuni.js", "overlays.js", "collaborations.js", "main.js", "identity.js"):
        js = frontend(name)
        assert "innerHTML" not in js and "`" not in js, name  # no HTML parsing, no template literals
    assert "PB.el(\"b\", title)" in frontend("overlays.js")  # tooltip texts through textContent
    assert "node.textContent = String(text)" in frontend("comuni.js")


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

    centre = gpd.GeoSeries([shapely.Point(ORIGIN_X + 2.5 * CELL_M, ORIGIN_Y + 1.5 * CELL_M)], crs="EPSG:32632")
    point = centre.to_crs("EPSG:4326").iloc[0]
    pick = parse_map_event({"event": "pick", "lat": point.y, "lng": point.x, "seq": 7})
    assert pick == MapPick(7, point.y, point.x)
    assert comune_at(comuni, pick.lat, pick.lng) == g(1, 2)
    assert comune_at(comuni, 0.0, 0.0) is None


def test_pick_overlay_outlines_the_chosen_members(comuni):
    overlay = pick_overlay(comuni, [g(0, 0), g(0, 1), "099999"])  # an unknown code is skipped
    assert overlay["kind"] == "pick" and overlay["style"]["className"] == "collab-scelta"
    assert overlay["style"]["fill"] is False and overlay["pane"] == PANE
    outline = shape(overlay["outline"])
    # the two bottom-left cells, merged: their centres inside, the cell above outside
    centres = comuni.geometry.representative_point()
    assert outline.geom_type == "Polygon"
    assert outline.contains(centres[g(0, 0)]) and outline.contains(centres[g(0, 1)])
    assert not outline.contains(centres[g(1, 0)]) and not outline.contains(centres[g(0, 2)])
    assert pick_overlay(comuni, [])["outline"] is None


def test_a_code_missing_from_the_data_is_listed_not_drawn(comuni):
    gone = "099999"  # e.g. a comune merged into another after a data rebuild
    data = overlay_data(comuni, [collab("x", ("tributi",), (g(0, 0), g(0, 1), gone), capofila=gone)], TODAY)
    (item,) = data
    assert item["capofila"] is None and item["points"] == []
    assert "Capofila: 099999" in item["info"]["rows"] and "Membri (3): 099999, Comune 0-0, Comune 0-1" in item["info"]["rows"]
    assert overlay_data(comuni, [collab("y", ("tributi",), (gone, "099998"))], TODAY) == ()
