"""The zone editor page driven headless (AppTest): zone management and undo/redo."""

import json
from zoneinfo import ZoneInfo

from geo.store.area_edits import AreaEditLog
from geo.store.database import Store
from geo.zoning.area import Area
from geo.data.shipped import load_comuni
from geo.base.italian import format_number
from geo.zoning.statistics import max_deviation, zone_statistics
from tests.apptest_support import (
    as_coordinator, button, html_cards, html_tables, open_editor_tool, plan_of, run_app,
)

PAGE = "pages/zone_editor.py"
LENO = "017088"


plan = plan_of


def add_zone(app, name: str) -> None:
    """Type ``name`` in the «Nuova zona» form of the zone tools and submit it."""
    open_editor_tool(app, "zone")
    app.text_input(key="editor_new_name").set_value(name)
    button(app, "Aggiungi zona").click().run()


def assign_from_list(app, codes: list[str], zone_id: str) -> None:
    """Assign ``codes`` to ``zone_id`` with the keyboard tool «Assegna da elenco»."""
    open_editor_tool(app, "elenco")
    app.multiselect(key="editor_list_codes").set_value(codes)
    app.selectbox(key="editor_list_zone").set_value(zone_id)
    button(app, "Assegna").click().run()


def test_add_assign_undo_redo():
    app = run_app(PAGE)
    start = plan(app)
    add_zone(app, "Zona del Mella")
    after_add = plan(app)
    assert [z.name for z in after_add.zones][-1] == "Zona del Mella"
    new_id = after_add.zones[-1].id
    assert any("«Zona del Mella» non contiene comuni" in w.value for w in app.warning)

    assign_from_list(app, [LENO], new_id)
    assert plan(app).zone_of(LENO) == new_id
    assert start.zone_of(LENO) != new_id

    button(app, "Annulla ultima modifica").click().run()
    assert plan(app).zone_of(LENO) == start.zone_of(LENO)
    button(app, "Annulla ultima modifica").click().run()
    assert plan(app) == start
    button(app, "Ripeti").click().run()
    button(app, "Ripeti").click().run()
    assert plan(app).zone_of(LENO) == new_id
    assert not app.exception


def test_rename_recolour_lock_merge_delete():
    app = run_app(PAGE)
    zone_id = plan(app).zone_ids[0]
    other = plan(app).zone_ids[1]
    open_editor_tool(app, "zone")
    app.selectbox(key="editor_edit_zone").set_value(zone_id).run()
    app.text_input(key=f"editor_name_{zone_id}").set_value("Ovest")
    app.color_picker(key=f"editor_color_{zone_id}").set_value("#0072B2")
    app.toggle(key=f"editor_locked_{zone_id}").set_value(True)
    button(app, "Salva modifiche").click().run()
    zone = plan(app).zone(zone_id)
    assert (zone.name, zone.color, zone.locked) == ("Ovest", "#0072B2", True)

    # a locked zone keeps its comuni
    member = plan(app).members(zone_id)[0]
    assign_from_list(app, [member], other)
    assert plan(app).zone_of(member) == zone_id
    assert any("zona bloccata" in w.value for w in app.warning)
    open_editor_tool(app, "zone")

    # unlock, then merge the other zone into it
    app.toggle(key=f"editor_locked_{zone_id}").set_value(False)
    button(app, "Salva modifiche").click().run()
    members_before = set(plan(app).members(zone_id)) | set(plan(app).members(other))
    app.selectbox(key="editor_edit_zone").set_value(other).run()
    app.selectbox(key="editor_merge_target").set_value(zone_id)
    button(app, "Unisci").click().run()
    assert other not in plan(app).zone_ids
    assert set(plan(app).members(zone_id)) == members_before

    # delete needs the confirmation box; its comuni become unassigned
    app.selectbox(key="editor_edit_zone").set_value(zone_id).run()
    assert app.button(key="editor_delete").disabled
    app.checkbox(key=f"editor_confirm_delete_{zone_id}").check().run()
    app.button(key="editor_delete").click().run()
    assert zone_id not in plan(app).zone_ids
    assert set(plan(app).unassigned) == members_before
    assert any("non assegnat" in w.value for w in app.warning)
    assert not app.exception


def test_empty_zone_name_is_refused_with_a_message():
    app = run_app(PAGE)
    before = plan(app)
    add_zone(app, "   ")
    assert plan(app) == before
    assert any("non può essere vuoto" in e.value for e in app.error)


def test_a_visitor_cannot_change_the_area_vasta():
    app = run_app(PAGE)
    assert "area" not in app.segmented_control(key="editor_mode").options
    open_editor_tool(app, "area")
    assert any("solo il coordinamento" in i.value for i in app.info)
    assert not [b for b in app.button if b.label in ("Aggiungi all'area", "Togli dall'area")]


def test_area_change_needs_a_name_and_is_logged():
    app = as_coordinator(run_app(PAGE))
    open_editor_tool(app, "area")
    app.selectbox(key="editor_area_add").set_value("017008").run()
    button(app, "Aggiungi all'area").click().run()
    assert "017008" not in plan(app).codes
    assert any("Scrivi il tuo nome" in e.value for e in app.error)
    app.text_input(key="user_name").set_value("Maria Rossi")
    app.selectbox(key="editor_area_add").set_value("017008").run()
    button(app, "Aggiungi all'area").click().run()
    assert "017008" in plan(app).codes and plan(app).zone_of("017008") is None
    log = app.dataframe[-1].value
    assert list(log["Chi"]) == ["Maria Rossi"] and list(log["Comune"]) == ["Azzano Mella"]
    # when, in Italian local time (the database keeps UTC)
    database = Store()
    (edit,) = AreaEditLog(database).edits()
    database.close()
    assert list(log["Quando"]) == [edit.momento.astimezone(ZoneInfo("Europe/Rome")).strftime("%d/%m/%Y %H:%M")]
    # the change is shared: a new session starts with the new area
    assert "017008" in plan(run_app(PAGE)).codes


def test_the_plan_survives_moving_between_pages():
    app = run_app(PAGE)
    assign_from_list(app, [LENO], "ambito10")
    assert plan(app).zone_of(LENO) == "ambito10"
    app.switch_page("pages/panoramica.py").run()
    assert not app.exception
    app.switch_page(PAGE).run()
    assert plan(app).zone_of(LENO) == "ambito10"
    assert app.session_state["plan"].history.can_undo


def test_zone_names_in_messages_are_not_markdown():
    """A zone named like a link is shown as typed, not as a link (Streamlit
    renders message text as markdown)."""
    app = run_app(PAGE)
    add_zone(app, "[clic](http://example.invalid) **forte**")
    shown = [s.value for s in app.success]
    assert any("\\[clic\\]\\(" in s and "\\*\\*forte\\*\\*" in s for s in shown), shown


def _residents_by_zone(app) -> dict[str, int]:
    stats = next(t for t in html_tables(app) if "Residenti" in t.columns)
    return {zona: int(value.replace(".", "")) for zona, value in zip(stats["Zona"], stats["Residenti"])}


def test_statistics_and_coverage_tables_follow_a_change():
    app = run_app(PAGE)
    start = plan(app)
    source, target = start.zone_of(LENO), next(z for z in start.zone_ids if z != start.zone_of(LENO))
    names = {z.id: z.name for z in start.zones}
    before = _residents_by_zone(app)
    coverage_before = next(t for t in html_tables(app) if "Polizia Locale: comuni" in t.columns)
    assert coverage_before["Zona"].iloc[-1] == "Totale area"

    assign_from_list(app, [LENO], target)
    after = _residents_by_zone(app)
    leno = int(load_comuni().at[LENO, "pop_totale"])
    assert after[names[source]] == before[names[source]] - leno
    assert after[names[target]] == before[names[target]] + leno
    assert after["Totale area"] == before["Totale area"]
    area = Area.from_comuni(load_comuni(), app.session_state["plan"].area_codes)
    expected = max_deviation(zone_statistics(area, plan(app)))
    assert html_cards(app)["Differenza massima dalla media"] == f"{format_number(expected, 1)} %"
    assert html_cards(app)["Comuni non assegnati"] == f"0 su {len(area.codes)}"
    coverage_after = next(t for t in html_tables(app) if "Polizia Locale: comuni" in t.columns)
    # The same zones, one comune moved: the zone counts in "k su n" change.
    assert list(coverage_after["Zona"]) == list(coverage_before["Zona"])
    assert not coverage_after.equals(coverage_before)


def test_zone_names_in_tables_are_text_not_markup():
    app = run_app(PAGE)
    add_zone(app, "<b>Zona</b><img src=x onerror=alert(1)>")
    raw = [h.value for h in app.html if "Residenti" in h.value][0]
    assert "<img" not in raw and "&lt;img src=x onerror=alert(1)&gt;" in raw
    assert "<b>Zona</b><img src=x onerror=alert(1)>" in list(_residents_by_zone(app))


def test_undoing_the_active_zone_away_picks_another_zone():
    app = run_app(PAGE)
    add_zone(app, "Zona nuova")
    new_id = plan(app).zone_ids[-1]
    app.pills(key="editor_active_zone").set_value(new_id).run()
    assert app.session_state["editor_active_zone"] == new_id
    button(app, "Annulla ultima modifica").click().run()
    assert not app.exception, app.exception
    assert new_id not in plan(app).zone_ids
    picker = app.pills(key="editor_active_zone")
    assert picker.value == plan(app).zone_ids[0] and "Zona nuova" not in picker.options


def map_overlay_ids(app) -> list[str]:
    """The overlays the editor's map component receives (its JSON arguments)."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "component_instance" and child.proto.component_name.endswith("pianura_map"):
                found.append([o["id"] for o in json.loads(child.proto.json_args)["overlays"]])
            walk(child)

    walk(app.main)
    assert len(found) == 1, found
    return found[0]


def test_collaboration_layers_chosen_in_the_header_reach_the_map_and_stay_after_a_change():
    # The header is drawn outside the editor's fragment: its layer toggles must still
    # be what the map (inside the fragment) draws, also on the reruns a change makes.
    app = run_app(PAGE)
    assert map_overlay_ids(app) == []
    app.pills(key="editor_layers").set_value(["polizia_locale"]).run()
    assert map_overlay_ids(app) == ["collaborazioni:polizia_locale", "collaborazioni:legenda"]
    other = next(z for z in plan(app).zone_ids if z != plan(app).zone_of(LENO))
    assign_from_list(app, [LENO], other)
    assert plan(app).zone_of(LENO) == other
    assert map_overlay_ids(app) == ["collaborazioni:polizia_locale", "collaborazioni:legenda"]
    app.pills(key="editor_layers").set_value([]).run()
    assert map_overlay_ids(app) == []
