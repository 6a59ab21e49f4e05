"""Autosave driven headless (AppTest): each session is a tab; the same identity token
is the same browser. Nothing is lost on a reload, and two tabs know of each other."""

from __future__ import annotations

import re

from geo.store.database import Store
from geo.store.workshops import WorkshopStore
from tests.apptest_support import as_coordinator, button, open_editor_tool, plan_of, run_app

EDITOR, LAB, HOME = "pages/zone_editor.py", "pages/workshop.py", "pages/panoramica.py"
LENO, GHEDI = "017088", "017078"
BROWSER, OTHER_BROWSER = "1" * 32, "2" * 32


def texts(elements) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def assign(app, codes, zone_id) -> None:
    open_editor_tool(app, "elenco")
    app.multiselect(key="editor_list_codes").set_value(codes)
    app.selectbox(key="editor_list_zone").set_value(zone_id)
    button(app, "Assegna").click().run()


def moved_leno(app) -> str:
    """Move Leno to another zone; return that zone's id."""
    target = next(z for z in plan_of(app).zone_ids if z != plan_of(app).zone_of(LENO))
    assign(app, [LENO], target)
    assert plan_of(app).zone_of(LENO) == target
    return target


def test_a_new_tab_of_the_same_browser_gets_the_plan_and_its_history_back():
    first = run_app(EDITOR, browser=BROWSER)
    start = plan_of(first)
    target = moved_leno(first)

    again = run_app(EDITOR, browser=BROWSER)  # a reload: a new session, same browser
    assert plan_of(again).zone_of(LENO) == target
    assert "Ripreso il piano a cui stavi lavorando" in texts(again.info)
    button(again, "Annulla ultima modifica").click().run()  # the undo history came back too
    assert plan_of(again) == start

    stranger = run_app(EDITOR, browser=OTHER_BROWSER)  # another browser: its own starting proposal
    assert plan_of(stranger) == start and "Ripreso" not in texts(stranger.info)


def test_restarting_from_the_initial_proposal_is_one_click_and_undoable():
    first = run_app(EDITOR, browser=BROWSER)
    start = plan_of(first)
    target = moved_leno(first)
    again = run_app(EDITOR, browser=BROWSER)
    button(again, "Ricomincia dalla proposta iniziale").click().run()
    assert plan_of(again) == start
    assert "Ripreso il piano" not in texts(again.info)  # the notice is gone with its button
    button(again, "Annulla ultima modifica").click().run()
    assert plan_of(again).zone_of(LENO) == target


def test_an_untouched_draft_restores_silently():
    run_app(EDITOR, browser=BROWSER)
    again = run_app(EDITOR, browser=BROWSER)
    assert "Ripreso" not in texts(again.info)


def test_the_other_tab_is_told_when_it_next_reruns_and_can_take_that_version():
    tab_a = run_app(browser=BROWSER)  # on the Panoramica: AppTest reruns the router there
    tab_b = run_app(EDITOR, browser=BROWSER)
    target = moved_leno(tab_b)  # the last write: B's
    assert plan_of(tab_a).zone_of(LENO) != target

    tab_a.run()  # A reruns
    assert "modificato in un'altra scheda" in texts(tab_a.warning)
    button(tab_a, "Usa la versione dell'altra scheda").click().run()
    assert plan_of(tab_a).zone_of(LENO) == target


def test_a_tab_overwriting_another_tabs_change_says_so():
    tab_a = run_app(EDITOR, browser=BROWSER)
    target = next(z for z in plan_of(tab_a).zone_ids if z != plan_of(tab_a).zone_of(GHEDI))
    assign(tab_a, [GHEDI], target)
    tab_b = run_app(EDITOR, browser=BROWSER)  # a second tab: A's draft, then its own change
    moved_leno(tab_b)
    # A's next action is a change (the undo button's callback writes before the page
    # draws): it overwrites B's version, and A says so.
    button(tab_a, "Annulla ultima modifica").click().run()
    assert "Vale l'ultima modifica" in texts(tab_a.warning)
    assert "modificato in un'altra scheda" not in texts(tab_a.warning)  # one notice, not two
    reloaded = run_app(EDITOR, browser=BROWSER)
    assert plan_of(reloaded) == plan_of(tab_a)


def open_workshop() -> str:
    facilitator = as_coordinator(run_app(LAB, browser="f" * 32))  # opening is the coordination's
    facilitator.run()
    facilitator.text_input(key="workshop_open_title").set_value("Incontro")
    button(facilitator, "Apri il laboratorio").click().run()
    (workshop,) = WorkshopStore(Store()).list()
    return workshop.display_code


def join(app, code, name="Bruno", pin="") -> None:
    app.text_input(key="workshop_join_code").set_value(code)
    app.text_input(key="workshop_join_name").set_value(name)
    app.text_input(key="workshop_join_pin").set_value(pin)
    button(app, "Entra nel laboratorio").click().run()
    assert app.session_state["workshop"].participation is not None


def test_a_participant_reloading_is_still_in_the_workshop_with_the_unsent_drawing():
    code = open_workshop()
    me = run_app(LAB, browser=BROWSER)
    join(me, code)
    me.switch_page(EDITOR).run()
    target = moved_leno(me)

    again = run_app(EDITOR, browser=BROWSER)
    assert again.session_state["workshop"].participation.name == "Bruno"
    assert again.session_state["access"].restriction is not None  # still limited to the workshop's pages
    assert plan_of(again).zone_of(LENO) == target
    assert "Invia la mia proposta" in [b.label for b in again.button]


def test_the_unsent_drawing_is_per_workshop_and_apart_from_the_browser_plan():
    before = run_app(EDITOR, browser=BROWSER)
    own_target = moved_leno(before)  # the browser's own plan, before the workshop
    code = open_workshop()
    me = run_app(LAB, browser=BROWSER)
    join(me, code)
    assert plan_of(me).zone_of(LENO) != own_target  # the workshop's starting plan
    me.switch_page(EDITOR).run()
    moved = next(z for z in plan_of(me).zone_ids if z != plan_of(me).zone_of(GHEDI))
    assign(me, [GHEDI], moved)

    # Out and in again from the form: the unsent drawing comes back, not the last sending.
    me.switch_page(LAB).run()
    pin = me.session_state["workshop"].participation.pin
    button(me, "Esci dal laboratorio").click().run()
    again = run_app(LAB, browser=BROWSER)
    assert again.session_state["workshop"].participation is None
    join(again, code, pin=pin)
    assert plan_of(again).zone_of(GHEDI) == moved
    assert "non avevi ancora inviato" in texts(again.success)


def test_a_facilitator_reloading_finds_the_workshop_to_resume_and_types_the_key_again():
    facilitator = as_coordinator(run_app(LAB, browser=BROWSER))
    facilitator.run()
    facilitator.text_input(key="workshop_open_title").set_value("Incontro")
    button(facilitator, "Apri il laboratorio").click().run()
    opened = facilitator.session_state["workshop"]
    (workshop,) = WorkshopStore(Store()).list()
    again = run_app(LAB, browser=BROWSER)
    # the server keeps the key only hashed: the reloaded page asks for it, with the code filled in
    assert again.session_state["workshop"].conducted_id is None
    assert again.text_input(key="workshop_resume_code").value == workshop.display_code
    assert "Stavi conducendo il laboratorio «Incontro»" in texts(again.info)
    again.text_input(key="workshop_resume_key").set_value(opened.facilitator_key)
    button(again, "Riprendi").click().run()
    assert again.session_state["workshop"].conducted_id == opened.conducted_id == workshop.id
    button(again, "Lascia la conduzione").click().run()
    later = run_app(LAB, browser=BROWSER)
    assert later.session_state["workshop"].conducted_id is None
    assert "Stavi conducendo" not in texts(later.info)
