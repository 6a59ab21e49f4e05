"""The map component's Python side: what it sends on each rerun, what it hands back,
and the rule that only its frontend speaks Streamlit's component protocol."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import map_component
from geo.render.maps import publish_base_map, zone_state
from geo.zoning.plan import Plan, Zone
from map_component import AssignClick, comuni_map
from tests.grids import grid_area, grid_code as g

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sent(monkeypatch):
    """Every call of the declared component, as the keyword arguments it received."""
    calls = []

    def component(**kwargs):
        calls.append(kwargs)
        return None

    monkeypatch.setattr(map_component, "_component", component)
    return calls


@pytest.fixture
def grid(tmp_path, monkeypatch):
    import geo.render.maps as maps

    monkeypatch.setattr(maps, "GENERATED_DIR", tmp_path)
    monkeypatch.setattr(maps, "_PUBLISHED", {})
    area = grid_area(2, 3, members=[g(0, 0), g(0, 1), g(1, 0), g(1, 1)])
    plan = Plan.build([Zone("a", "Nord", "#E69F00"), Zone("b", "Sud", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(1, 0): "b", g(1, 1): None})
    return pd.concat([area.comuni, area.context]), tuple(area.comuni.total_bounds), plan, tmp_path


def rerun(comuni, bounds, plan, **state_options):
    """What pages.common.show_map does on each rerun."""
    base = publish_base_map(comuni, bounds, drawing=True)
    return comuni_map(zone_state(plan, **state_options), base=base, key="mappa", height=640)


def test_each_rerun_sends_the_same_small_state_and_the_base_map_once(sent, grid):
    comuni, bounds, plan, generated = grid
    assert rerun(comuni, bounds, plan, mode="zone", active_zone="a") is None
    rerun(comuni, bounds, plan, mode="zone", active_zone="a")
    assert len(sent) == 2 and sent[0] == sent[1]  # nothing in the call changes between reruns
    assert len(list(generated.iterdir())) == 1  # one base map document, written once
    args = sent[0]
    assert args["base"].endswith(".html") and args["key"] == "mappa" and args["height"] == 640
    assert args["state"]["assign"] == {g(0, 0): "a", g(0, 1): "a", g(1, 0): "b", g(1, 1): None}
    payload = json.dumps({k: v for k, v in args.items() if k != "on_change"})
    assert '"coordinates"' not in payload and len(payload) < 1_000  # no geometry: a few hundred bytes here


def test_a_new_plan_changes_only_the_state(sent, grid):
    comuni, bounds, plan, generated = grid
    rerun(comuni, bounds, plan)
    rerun(comuni, bounds, plan.assign([g(1, 1)], "b").plan)
    first, second = sent
    assert first["base"] == second["base"] and first["key"] == second["key"]
    assert first["state"]["version"] != second["state"]["version"]
    assert second["state"]["assign"][g(1, 1)] == "b"
    assert len(list(generated.iterdir())) == 1


def test_on_change_receives_typed_events_and_never_malformed_ones(sent, monkeypatch):
    received = []
    comuni_map({}, base="/app/static/generated/basemap-x.html", key="mappa", on_change=received.append)
    callback = sent[0]["on_change"]
    session = {}
    monkeypatch.setattr(map_component.st, "session_state", session)
    session["mappa"] = {"event": "assign", "seq": 3, "code": "17088", "zone": "a"}
    callback()
    session["mappa"] = {"event": "assign", "seq": 4, "code": "<script>", "zone": "a"}
    callback()
    assert received == [AssignClick(3, "017088", "a")]


def test_the_returned_value_is_typed(monkeypatch):
    monkeypatch.setattr(map_component, "_component", lambda **kwargs: {"event": "area_add", "seq": 9, "code": "17008"})
    event = comuni_map({}, base="/x.html", key="m")
    assert (event.code, event.add, event.seq) == ("017008", True, 9)


def test_only_the_frontend_speaks_streamlits_component_protocol():
    """No file outside map_component/frontend posts Streamlit's component messages
    by hand (the strings are built here so that this file does not contain them)."""
    private = ["isStreamlit" + "Message", "streamlit:" + "setComponentValue"]
    # The project's files: tracked, or new and not ignored (runtime output such as
    # static/generated/ and installed packages are not the project's code).
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    frontend = map_component.FRONTEND_DIR
    offenders, checked = [], 0
    for name in listed:
        path = ROOT / name
        if path.is_relative_to(frontend) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        checked += 1
        offenders += [f"{name}: {s}" for s in private if s in text]
    assert offenders == [] and checked > 100
    assert all(s in (frontend / "streamlit.js").read_text(encoding="utf-8") for s in private)


def test_the_frontend_is_plain_files_declared_from_its_folder():
    names = {p.name for p in map_component.FRONTEND_DIR.iterdir()}
    assert {"index.html", "streamlit.js", "folium_document.js", "comuni.js", "overlays.js", "main.js"} <= names
    index = (map_component.FRONTEND_DIR / "index.html").read_text(encoding="utf-8")
    scripts = [line.split('"')[1] for line in index.splitlines() if "<script src=" in line]
    assert all((map_component.FRONTEND_DIR / s).is_file() for s in scripts) and scripts[0] == "streamlit.js"


def test_the_editor_refuses_an_oversized_shape_with_an_italian_message():
    from streamlit.testing.v1 import AppTest

    def script():
        from map_component import ShapeTooLarge
        from ui import editor, flash, plan_session

        plan_session.start()
        editor.on_map_event(ShapeTooLarge(seq=1, limit=5_000))
        flash.show(editor.PLACE)

    app = AppTest.from_function(script, default_timeout=60)  # the first run reads every territory
    app.run()
    assert not app.exception, app.exception
    assert [w.value for w in app.warning] and app.warning[0].value.startswith(
        "La forma disegnata ha troppi punti \\(più di 5\\.000\\)")


def test_the_component_depends_on_geo_only_never_on_the_pages():
    from tests.test_architecture import imported_modules

    used = set()
    for path in Path(map_component.__file__).parent.glob("*.py"):
        used |= {m.split(".")[0] for m in imported_modules(path)}
    assert not used & {"pages", "ui", "dashboard"}
    assert "streamlit" not in {m.split(".")[0] for m in imported_modules(Path(map_component.events.__file__))}
