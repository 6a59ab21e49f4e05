"""The collaborations on every page that shows them: the saved records, the map
layer toggles and a compact coverage summary (the Collaborazioni page, the
Panoramica and the zone editor).

For another page, the whole integration is::

    overlays = collaboration_layer_toggles("editor")          # toggles, one per function
    show_map(plan, key=..., overlays=overlays)                 # no reload when toggled
    show_coverage_summary(current_area(), plan)                # coverage + coherence

and the import of records from a file, on the Collaborazioni page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

import geo
from ui import errors, flash
from ui.coordination import actor, refusal
from ui.display import show_table
from ui.session import Widgets, collaborations_state
from ui.shipped import comune_names, shipped_comuni
from ui.stores import stores
from ui.territory import current_id


def current_collaborations() -> tuple[geo.Collaboration, ...]:
    """Every saved collaboration, closed ones included, as of this rerun."""
    return stores().collaborations.all()


@st.cache_data(show_spinner=False, max_entries=64)
def _overlay_data(collaborations: tuple[geo.Collaboration, ...], day: dt.date, territory_id: str) -> tuple[dict, ...]:
    # Geometry unions are the costly part: computed once per set of records, day and
    # territory (whose data draw the members).
    return geo.overlay_data(shipped_comuni(), collaborations, day)


def collaboration_layer_toggles(feature: str, collaborations: tuple[geo.Collaboration, ...] | None = None,
                                day: dt.date | None = None) -> list[dict]:
    """Show the function layers as toggle buttons (pills) and return the overlays switched on.

    Parameters
    ----------
    feature : str
        The page's feature name: the pills' key is ``<feature>_layers`` (e.g. ``"overview"``).
    collaborations : tuple of Collaboration, optional
        Default: every saved collaboration (:func:`current_collaborations`).
    day : datetime.date, optional
        Statuses as of this day; default today. Ended collaborations are not drawn.

    Returns
    -------
    list of dict
        Pass it to ``show_map(..., overlays=...)``: the overlays are redrawn in the
        browser, the map itself is not reloaded. Empty when every toggle is off.
    """
    layer_pills(feature)
    return chosen_layer_overlays(feature, collaborations, day)


def layer_pills(feature: str) -> None:
    """Only the toggles of :func:`collaboration_layer_toggles`, for a page whose map is drawn
    elsewhere and reads them with :func:`chosen_layer_overlays` (the zone editor's fragment)."""
    st.pills("Collaborazioni intercomunali sulla mappa (contorno dei comuni membri, cerchio sul capofila)",
             list(geo.LAYERS), selection_mode="multi", format_func=geo.LAYER_LABELS.get,
             key=Widgets(feature).key("layers"))


def chosen_layer_overlays(feature: str, collaborations: tuple[geo.Collaboration, ...] | None = None,
                          day: dt.date | None = None) -> list[dict]:
    """The overlays the toggles of :func:`layer_pills` switched on, for a map drawn apart
    from them (the editor's map reruns alone on each click, its toggles don't)."""
    chosen = Widgets(feature).get("layers")
    if not chosen:
        return []
    collaborations = current_collaborations() if collaborations is None else collaborations
    return geo.collaboration_overlays(_overlay_data(tuple(collaborations), day or dt.date.today(), current_id()),
                                      chosen)


def show_coverage_summary(area: geo.Area, plan: geo.Plan,
                          collaborations: tuple[geo.Collaboration, ...] | None = None,
                          day: dt.date | None = None) -> None:
    """A compact section: coverage of the four priority functions per zone, the
    coherence score of ``plan`` and the collaborations it splits. Live: call it
    after the plan changes and it reflects the new zones."""
    collaborations = current_collaborations() if collaborations is None else collaborations
    day = day or dt.date.today()
    splits = geo.plan_splits(plan, collaborations, day)
    score = geo.coherence(splits)
    st.subheader("Servizi in gestione associata")
    st.markdown(geo.cards_html([
        geo.Card("Collaborazioni rispettate", geo.coherence_text(score), geo.COHERENCE_HELP),
        geo.Card("Collaborazioni divise dal piano", str(sum(s.is_split for s in splits))),
    ]), unsafe_allow_html=True)
    coverage = geo.coverage_display_table(geo.coverage_by_zone(area, plan, collaborations, day))
    show_table(coverage, numeric=[c for c in coverage.columns if c.endswith(": residenti")], total_last=True)
    divided = [s for s in splits if s.is_split]
    if divided:
        show_table(geo.splits_table(divided, plan, comune_names()), numeric=["Membri in zona"])


# -- import from a file ---------------------------------------------------------------------
def import_key() -> str:
    """The uploader's key: a new one (an empty box) after each saved import."""
    return Widgets("collaborations").key("import", item=collaborations_state().import_round)


@errors.callback("collaborations_import")
def save_imported(collaborations: tuple[geo.Collaboration, ...]) -> None:
    """Save the records of a checked file (all or none): the coordination only."""
    refused = refusal("importare collaborazioni, che sono condivise da tutti")
    if refused:
        flash.error("collaborations_import", refused)
        return
    try:
        stores().collaborations.add_many(collaborations, author=actor().name, action="importazione")
    except ValueError as exc:
        flash.error("collaborations_import", str(exc))
        return
    stores().changes.record(actor(), "collaborazione", "importazione", "importazione",
                            f"{len(collaborations)} collaborazioni: " + ", ".join(f"«{c.name}»" for c in collaborations))
    collaborations_state().import_round += 1
    flash.success("collaborations", f"Collaborazioni importate e salvate: {len(collaborations)}.", icon="✅")
