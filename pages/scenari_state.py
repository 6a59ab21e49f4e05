"""Session state and actions of the "Scenari" page (save, open, rename, duplicate,
delete, import), written as widget callbacks: they run before the page script, so
the page always shows the state after the action. Each action leaves one message
for the page to show; a refused action changes nothing."""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from geo.render.map_image import render_plan_png
from geo.zoning.plan import Plan
from geo.io.formats import EXPORT_FORMATS
from geo.io.plan_export import export_file_name
from geo.base.italian import format_timestamp
from geo.store.scenarios import Scenario, ScenarioError, missing_codes
from geo.io.share_link import ShareLinkError, share_query
from pages.common import (
    AREA_CODES_KEY, USER_KEY, area_for, commit_plan, current_area, current_plan, history, md, replace_plan,
    scenario_store, set_area_codes, shipped_comuni,
)

MESSAGE_KEY = "scenari_messaggio"
OPENED_KEY = "scenari_aperto"  # {"id", "name", "revision", "plan"} of the scenario last opened or saved
SELECTED_KEY = "scenari_scelto"
NAME_KEY, AUTHOR_KEY, NOTES_KEY = "scenari_nome", "scenari_autore", "scenari_note"
EDIT_NAME_KEY, EDIT_AUTHOR_KEY, EDIT_NOTES_KEY = "scenari_mod_nome", "scenari_mod_autore", "scenari_mod_note"
CONFIRM_DELETE_KEY = "scenari_conferma_elimina"
CONFIRM_OPEN_KEY = "scenari_conferma_apri"
UPLOAD_ROUND_KEY = "scenari_file_giro"
PAGE_PATH = "scenari"


def init_state() -> None:
    st.session_state.setdefault(MESSAGE_KEY, None)
    st.session_state.setdefault(OPENED_KEY, None)
    st.session_state.setdefault(AUTHOR_KEY, st.session_state.get(USER_KEY, ""))
    st.session_state.setdefault(UPLOAD_ROUND_KEY, 0)


def upload_key() -> str:
    return f"scenari_file_{st.session_state[UPLOAD_ROUND_KEY]}"


def take_message():
    """The message left by the last action (``(kind, text)`` or ``None``), once."""
    return st.session_state.pop(MESSAGE_KEY, None)


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def scenario_label(s: Scenario) -> str:
    author = f", {s.author}" if s.author else ""
    return f"{s.name} ({format_timestamp(s.updated_at)}{author})"


def opened() -> dict | None:
    return st.session_state.get(OPENED_KEY)


def has_unsaved_changes() -> bool:
    """True when the plan differs from the scenario last opened or saved here (or,
    with none, when it was edited since the session started)."""
    mark = opened()
    return current_plan() != mark["plan"] if mark else history().can_undo


def _remember(scenario: Scenario) -> None:
    st.session_state[OPENED_KEY] = {"id": scenario.id, "name": scenario.name,
                                    "revision": scenario.revision, "plan": scenario.plan}
    st.session_state[SELECTED_KEY] = scenario.id


# -- actions (widget callbacks) -------------------------------------------------------
def save_new() -> None:
    try:
        scenario = scenario_store().save(st.session_state.get(NAME_KEY, ""), current_plan(),
                                         author=st.session_state.get(AUTHOR_KEY, ""),
                                         notes=st.session_state.get(NOTES_KEY, ""))
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    _remember(scenario)
    st.session_state[NAME_KEY] = ""
    st.session_state[NOTES_KEY] = ""
    _say("success", f"Scenario «{md(scenario.name)}» salvato.")


def save_changes() -> None:
    mark = opened()
    try:
        scenario = scenario_store().update_plan(mark["id"], current_plan(), expected_revision=mark["revision"])
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    _remember(scenario)
    _say("success", f"Modifiche salvate nello scenario «{md(scenario.name)}».")


def open_selected() -> None:
    try:
        scenario = scenario_store().get(st.session_state[SELECTED_KEY])
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    missing = missing_codes(scenario, shipped_comuni().index)
    if missing:
        _say("error", f"Lo scenario «{md(scenario.name)}» contiene comuni che non sono nei dati attuali "
                      f"({', '.join(missing)}): non è stato aperto.")
        return
    if set(scenario.area_codes) != set(st.session_state[AREA_CODES_KEY]):
        set_area_codes(scenario.area_codes)
    replace_plan(scenario.plan)
    _remember(scenario)
    st.session_state[CONFIRM_OPEN_KEY] = False
    _say("success", f"Scenario «{md(scenario.name)}» aperto: è il piano attuale in tutte le pagine.")


def duplicate_selected() -> None:
    try:
        copy = scenario_store().duplicate(st.session_state[SELECTED_KEY],
                                          author=st.session_state.get(AUTHOR_KEY) or None)
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    st.session_state[SELECTED_KEY] = copy.id
    _say("success", f"Creata la copia «{md(copy.name)}».")


def load_details_for_editing() -> None:
    """Fill the edit form with the selected scenario (on selection change)."""
    try:
        scenario = scenario_store().get(st.session_state[SELECTED_KEY])
    except (ScenarioError, KeyError):
        return
    st.session_state[EDIT_NAME_KEY] = scenario.name
    st.session_state[EDIT_AUTHOR_KEY] = scenario.author
    st.session_state[EDIT_NOTES_KEY] = scenario.notes
    st.session_state[CONFIRM_DELETE_KEY] = False


def save_details() -> None:
    scenario_id = st.session_state[SELECTED_KEY]
    try:
        scenario = scenario_store().update_details(
            scenario_id, name=st.session_state.get(EDIT_NAME_KEY, ""),
            author=st.session_state.get(EDIT_AUTHOR_KEY, ""), notes=st.session_state.get(EDIT_NOTES_KEY, ""))
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    mark = opened()
    if mark and mark["id"] == scenario.id:
        mark.update(name=scenario.name, revision=scenario.revision)
    _say("success", f"Scenario «{md(scenario.name)}» aggiornato.")


def delete_selected() -> None:
    scenario_id = st.session_state[SELECTED_KEY]
    try:
        name = scenario_store().get(scenario_id).name
        scenario_store().delete(scenario_id)
    except ScenarioError as exc:
        _say("error", md(exc))
        return
    if opened() and opened()["id"] == scenario_id:
        st.session_state[OPENED_KEY] = None
    st.session_state.pop(SELECTED_KEY, None)
    st.session_state[CONFIRM_DELETE_KEY] = False
    _say("success", f"Scenario «{md(name)}» eliminato.")


def apply_import(plan: Plan, file_name: str) -> None:
    commit_plan(plan)
    st.session_state[UPLOAD_ROUND_KEY] += 1  # a new uploader key empties the upload box
    _say("success", f"Piano importato da «{md(file_name)}»: è il piano attuale (puoi annullare nell'editor).")


@st.cache_data(show_spinner=False, max_entries=64)
def plan_thumbnail(plan_json: str, title: str) -> bytes:
    """A small PNG map of a plan (``Plan.to_dict`` as JSON, the cache key), without
    the sources line: the pages show the sources once, at the bottom."""
    plan = Plan.from_dict(json.loads(plan_json))
    return render_plan_png(area_for(plan.codes), plan, title=title, width_in=5.0, dpi=110, attribution=False)


def plan_key(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), sort_keys=True)


# -- exports and share link -------------------------------------------------------------
def export_title() -> str:
    mark = opened()
    return mark["name"] if mark and not has_unsaved_changes() else "Piano delle zone omogenee"


def export_downloads():
    """``(format, file name, callable producing the bytes)`` for every export format;
    the file is built only when the user clicks (deferred download)."""
    area, plan, title = current_area(), current_plan(), export_title()
    return [(fmt, export_file_name(title, fmt.extension), partial(fmt.write, area, plan, title))
            for fmt in EXPORT_FORMATS]


def app_root_url() -> str:
    """The app's address without page or query (``""`` when unknown, e.g. in tests)."""
    url = st.context.url or ""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + PAGE_PATH) or path == PAGE_PATH:
        path = path[: -len(PAGE_PATH)]
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/", "", ""))


def share_url() -> tuple[str | None, str | None]:
    """The share link of the current plan, or ``(None, reason)``."""
    try:
        return f"{app_root_url()}?{share_query(current_plan())}", None
    except ShareLinkError as exc:
        return None, str(exc)
