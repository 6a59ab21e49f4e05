"""«Proponi zone» in the editor (AppTest, the real worker process, the default area):
a suggestion never changes the plan until it is accepted, accepting is one undoable
step, discarding changes nothing, an impossible request is refused in Italian."""

from __future__ import annotations

import time

from tests.apptest_support import button, open_editor_tool, plan_of, run_app

ACCEPT = "Accetta nell'editor"


def wait_for_alternatives(app, timeout_s: float = 120.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.5)
        app.run()
        assert not app.exception, app.exception
        if any(b.label == ACCEPT for b in app.button):
            return app
    raise AssertionError("no alternatives within the time limit")


def test_a_suggestion_changes_nothing_until_accepted_and_accepting_is_undoable():
    app = open_editor_tool(run_app("pages/zone_editor.py"), "proponi")
    start = plan_of(app)
    app.number_input(key="suggestions_min_residents").set_value(50000)
    button(app, "Proponi zone").click().run()
    assert plan_of(app) == start  # queued in the worker: nothing changed
    wait_for_alternatives(app)
    assert plan_of(app) == start  # shown, not applied
    alternatives = [b for b in app.button if b.label == ACCEPT]
    assert 1 <= len(alternatives) <= 3
    titles = [m.value for m in app.markdown if m.value.startswith("**Proposta ")]
    scores = [float(t.split("omogeneità **")[1].split("**")[0].replace(",", ".")) for t in titles]
    assert scores == sorted(scores, reverse=True) and "(piano di partenza: 0,22)" in titles[0]

    [b for b in app.button if b.label == "Scarta"][-1].click().run()
    assert plan_of(app) == start and len([b for b in app.button if b.label == ACCEPT]) == len(alternatives) - 1

    [b for b in app.button if b.label == ACCEPT][0].click().run()
    accepted = plan_of(app)
    assert accepted != start and len(accepted.zones) == 3 and not accepted.unassigned
    assert app.session_state["plan"].history.can_undo
    button(app, "Annulla ultima modifica").click().run()
    assert plan_of(app) == start


def test_an_impossible_request_is_explained_and_nothing_runs():
    app = open_editor_tool(run_app("pages/zone_editor.py"), "proponi")
    start = plan_of(app)
    app.number_input(key="suggestions_min_residents").set_value(90000)
    button(app, "Proponi zone").click().run()
    errors = " ".join(e.value for e in app.error).replace("\\", "")  # markdown escapes
    assert "Non si può proporre nessun piano" in errors and "270.000" in errors
    assert app.session_state["suggestions"].job is None and plan_of(app) == start
