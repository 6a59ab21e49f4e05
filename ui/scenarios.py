"""The «Scenari» page's state and actions (save, open, rename, duplicate, delete,
import), written as widget callbacks: they run before the page script, so the
page always shows the state after the action. Each action leaves one message for
the place ``"scenarios"``; a refused action changes nothing."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

import geo
from ui import errors, flash
from ui.coordination import actor
from ui.markdown import bullets, md
from ui.indicators import chosen_indicators, session_registry
from ui.plan_session import area_codes, commit_plan, current_area, current_plan, history, replace_plan, set_area_codes
from ui.session import SCENARIOS, OpenedScenario, scenarios_state, user_name
from ui.shipped import shipped_comuni
from ui.stores import stores
from ui.territory import current_id, name_of, refuse_other, switch

PLACE = "scenarios"
PAGE_PATH = "scenari"


def start() -> None:
    SCENARIOS.setdefault("author", user_name())


def upload_key() -> str:
    return SCENARIOS.key("file", item=scenarios_state().upload_round)


def scenario_label(s: geo.Scenario) -> str:
    author = f", {s.author}" if s.author else ""
    return f"{s.name} ({geo.format_timestamp(s.updated_at)}{author})"


def opened() -> OpenedScenario | None:
    return scenarios_state().opened


def has_unsaved_changes() -> bool:
    """True when the plan differs from the scenario last opened or saved here (or,
    with none, when it was edited since the session started)."""
    mark = opened()
    return current_plan() != mark.plan if mark else history().can_undo


def current_title() -> str | None:
    """The name of the scenario the current plan is, unchanged (else ``None``)."""
    mark = opened()
    return mark.name if mark and not has_unsaved_changes() else None


def status_line() -> str:
    """The current plan in one line of markdown (zones, comuni, the scenario it comes from)."""
    plan, mark = current_plan(), opened()
    status = f"**Piano attuale**: {len(plan.zones)} zone, {len(plan.codes)} comuni"
    if plan.unassigned:
        status += f" ({len(plan.unassigned)} non assegnati)"
    if mark:
        status += f"; scenario aperto: **{md(mark.name)}**"
        status += " (con modifiche non salvate)" if has_unsaved_changes() else " (nessuna modifica)"
    return status


def keep_selection_valid(scenarios: list[geo.Scenario]) -> None:
    """The chosen scenario must exist (another session may have deleted it): else
    the most recent, with its details in the edit form. Call before drawing."""
    if SCENARIOS.get("selected") not in {s.id for s in scenarios}:
        _select(scenarios[0].id)


def _remember(scenario: geo.Scenario) -> None:
    scenarios_state().opened = OpenedScenario(scenario.id, scenario.name, scenario.revision, scenario.plan)
    _select(scenario.id)


def _select(scenario_id: str) -> None:
    """Choose a scenario in the list, with its name and notes in the edit form."""
    SCENARIOS.set("selected", scenario_id)
    load_details_for_editing()


# -- actions (widget callbacks) -------------------------------------------------------
@errors.callback(PLACE)
def save_new() -> None:
    scenario = stores().scenarios.save(SCENARIOS.get("name", ""), current_plan(), author=SCENARIOS.get("author", ""),
                                       notes=SCENARIOS.get("notes", ""), actor=actor(), territory=current_id())
    _remember(scenario)
    SCENARIOS.set("name", "")
    SCENARIOS.set("notes", "")
    flash.success(PLACE, f"Scenario «{scenario.name}» salvato.")


@errors.callback(PLACE)
def save_changes() -> None:
    mark = opened()
    scenario = stores().scenarios.update_plan(mark.id, current_plan(), expected_revision=mark.revision, actor=actor())
    _remember(scenario)
    flash.success(PLACE, f"Modifiche salvate nello scenario «{scenario.name}».")


@errors.callback(PLACE)
def open_selected() -> None:
    scenario = stores().scenarios.get(SCENARIOS.get("selected"))
    if refuse_other(scenario.territory, f"Lo scenario «{scenario.name}»", PLACE):
        return
    missing = geo.missing_codes(scenario, shipped_comuni().index)
    if missing:
        flash.error(PLACE, f"Lo scenario «{scenario.name}» contiene comuni che non sono nei dati attuali "
                    f"({', '.join(missing)}): non è stato aperto.")
        return
    if set(scenario.area_codes) != set(area_codes()):
        set_area_codes(scenario.area_codes)
    replace_plan(scenario.plan)
    _remember(scenario)
    SCENARIOS.set("confirm_open", False)
    flash.success(PLACE, f"Scenario «{scenario.name}» aperto: è il piano attuale in tutte le pagine.")


@errors.callback(PLACE)
def switch_to_territory_of_selected() -> None:
    """The offer beside a scenario of another territory: work in that territory
    (this one's plan stays in the session); the scenario stays selected, to open."""
    switch(stores().scenarios.get(SCENARIOS.get("selected")).territory, place=PLACE)


def territory_names(scenarios: list[geo.Scenario]) -> dict[str, str] | None:
    """Territory id -> name, for the list of scenarios, when they are of more than one territory."""
    ids = {s.territory for s in scenarios} | {current_id()}
    return {t: name_of(t) for t in ids} if len(ids) > 1 else None


@errors.callback(PLACE)
def duplicate_selected() -> None:
    copy = stores().scenarios.duplicate(SCENARIOS.get("selected"), author=SCENARIOS.get("author") or None,
                                        actor=actor())
    _select(copy.id)
    flash.success(PLACE, f"Creata la copia «{copy.name}».")


@errors.callback(PLACE)
def load_details_for_editing() -> None:
    """Fill the edit form with the selected scenario (on selection change)."""
    try:
        scenario = stores().scenarios.get(SCENARIOS.get("selected"))
    except (geo.ScenarioError, KeyError):
        return
    SCENARIOS.set("edit_name", scenario.name)
    SCENARIOS.set("edit_author", scenario.author)
    SCENARIOS.set("edit_notes", scenario.notes)
    SCENARIOS.set("confirm_delete", False)
    scenarios_state().details_revision = scenario.revision  # the save checks nobody changed it since


@errors.callback(PLACE)
def save_details() -> None:
    state = scenarios_state()
    selected = SCENARIOS.get("selected")
    if state.details_revision is None:  # the form was never filled from the database
        load_details_for_editing()
        flash.warning(PLACE, "Il modulo non conteneva i dati salvati dello scenario: li ho ricaricati, riprova.")
        return
    scenario = stores().scenarios.update_details(
        selected, name=SCENARIOS.get("edit_name", ""), author=SCENARIOS.get("edit_author", ""),
        notes=SCENARIOS.get("edit_notes", ""), expected_revision=state.details_revision, actor=actor())
    state.details_revision = scenario.revision
    mark = opened()
    if mark and mark.id == scenario.id:
        scenarios_state().opened = OpenedScenario(mark.id, scenario.name, scenario.revision, mark.plan)
    flash.success(PLACE, f"Scenario «{scenario.name}» aggiornato.")


@errors.callback(PLACE)
def delete_selected() -> None:
    scenario_id = SCENARIOS.get("selected")
    name = stores().scenarios.get(scenario_id).name
    stores().scenarios.delete(scenario_id, actor=actor())
    if opened() and opened().id == scenario_id:
        scenarios_state().opened = None
    SCENARIOS.set("selected", None)
    SCENARIOS.set("confirm_delete", False)
    flash.success(PLACE, f"Scenario «{name}» spostato nel cestino: si può ripristinare (sezione «Cestino»).")


def may_change(scenario_id: str) -> bool:
    """This session may overwrite, rename, restore or delete the scenario (its browser
    saved it, or it entered as coordination)."""
    return stores().scenarios.may_change(scenario_id, actor())


@errors.callback(PLACE)
def apply_import(plan: geo.Plan, file_name: str) -> None:
    commit_plan(plan)
    scenarios_state().upload_round += 1  # a new uploader key empties the upload box
    flash.success(PLACE, f"Piano importato da «{file_name}»: è il piano attuale (puoi annullare nell'editor).")


# -- import, exports and share link -------------------------------------------------------
def import_refusal(file_name: str, problems) -> str:
    """Markdown: why the file was not imported, one problem per line."""
    return (f"Il file «{md(file_name)}» non è stato importato: il piano attuale non è cambiato.\n\n"
            + bullets(problems))


def import_summary(file_name: str, plan: geo.Plan) -> str:
    """Markdown: the zones a valid file brings."""
    zones = ", ".join(f"{md(z.name)} ({len(plan.members(z.id))} comuni)" for z in plan.zones)
    return f"Il file «{md(file_name)}» è valido: {len(plan.zones)} zone: {zones}."


def export_title() -> str:
    return current_title() or "Piano delle zone omogenee"


def export_downloads():
    """``(format, file name, callable producing the bytes)`` for every export format;
    the file is built only when the user clicks (deferred download)."""
    area, plan, title = current_area(), current_plan(), export_title()
    registry, indicators, territory = session_registry(), chosen_indicators(), name_of(current_id())
    return [(fmt, geo.export_file_name(title, fmt.extension),
             partial(fmt.write, area, plan, title, territory, registry=registry, indicators=indicators))
            for fmt in geo.EXPORT_FORMATS]


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
        return f"{app_root_url()}?{geo.share_query(current_plan(), current_id())}", None
    except geo.ShareLinkError as exc:
        return None, str(exc)
