"""Everything a session keeps, in one place: the only module that indexes
``st.session_state``.

Two kinds of entries, one naming scheme in English:

* **feature state**: one small dataclass per feature under the feature's own key
  (``plan``, ``editor``, ``scenarios``, ``workshop``, ``collaboration_form``,
  ``collaborations``, ``access``, ``identity``, ``drafts``, ``flash``, ``coordination``,
  ``territory``, ``indicators``, ``indicator_import``, ``suggestions``), created on first access
  and read through the typed accessors below (the dataclasses themselves are in
  :mod:`ui.session_records`, and can be imported from here);
* **widget values**, which Streamlit keeps under each widget's ``key``: keys are
  built by :class:`Widgets` as ``<feature>_<name>`` (``editor_mode``,
  ``scenarios_name``, ``workshop_join_code``, ``editor_name_ambito8`` for one per
  zone), so a key says which feature it belongs to.

Values are per session: nothing here is kept at module level (module globals are
shared by every user of the server); the ``Widgets`` constants only hold a name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.session_records import (  # noqa: F401  (the records are read from here too)
    PlanSession, Pending, EditorState, OpenedScenario, ScenariosState,
    Participation, WorkshopState, CollaborationFormState, CollaborationsState, Restriction,
    AccessState, IdentityState, DraftState, FlashBoard, KeptWork,
    TerritoryState, CoordinationState, IndicatorChoice, IndicatorImportState, SuggestionsState,
)

T = TypeVar("T")


# -- widget keys ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Widgets:
    """The widget keys of one feature, and their values in this session.

    ``Widgets("editor").key("mode") == "editor_mode"``; ``key("name", item="z1")
    == "editor_name_z1"`` for a widget drawn once per item (a zone, a format...).
    """

    feature: str

    def key(self, name: str, *, item: object = None) -> str:
        return f"{self.feature}_{name}" if item is None else f"{self.feature}_{name}_{item}"

    def get(self, name: str, default: Any = None, *, item: object = None) -> Any:
        return st.session_state.get(self.key(name, item=item), default)

    def set(self, name: str, value: Any, *, item: object = None) -> None:
        """Give a widget its value: only before the widget is drawn in this run
        (in a callback, or above the widget), as Streamlit requires."""
        st.session_state[self.key(name, item=item)] = value

    def setdefault(self, name: str, value: Any) -> Any:
        return st.session_state.setdefault(self.key(name), value)

    def keep_valid(self, name: str, options: Iterable, default: Any) -> Any:
        """The widget's value if it is one of ``options``, else ``default`` (set):
        e.g. a remembered scenario that another session deleted."""
        value = self.get(name)
        if value in list(options):
            return value
        self.set(name, default)
        return default


USER = Widgets("user")  # user_name: who is editing (area vasta, collaborations, scenarios)
APP = Widgets("app")  # the router's own elements (the share-link notice)
OVERVIEW = Widgets("overview")
EDITOR = Widgets("editor")
SCENARIOS = Widgets("scenarios")
COMPARISON = Widgets("comparison")
WORKSHOP = Widgets("workshop")
COLLABORATIONS = Widgets("collaborations")
COLLABORATION_FORM = Widgets("collaboration_form")
PRESENTATION = Widgets("presentation")
REPORT = Widgets("report")
TERRITORY = Widgets("territory")  # territory_choice: the sidebar's territory selector
# -- hardening (issue 14) --
COORDINATION = Widgets("coordination")
LAYOUT = Widgets("layout")  # the shared page layout (ui/layout.py)


# -- one run's reads ----------------------------------------------------------------------
def run_read(key: object, read: Callable[[], T]) -> T:
    """``read()`` once per run of the script (or of a fragment) and ``key``: the same
    answer for every caller of the run, e.g. a database read that a rerun's widgets and
    tables ask for a dozen times. Put in ``key`` what must give a fresh read within
    the run (the database's count of writes). Outside a run: ``read()``."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return read()
    # Streamlit gives each run (full or fragment) a new ``cursors`` dict: holding it makes
    # the identity test exact (no id reuse while it is held).
    run, reads = st.session_state.get("_run_reads") or (None, None)
    if run is not ctx.cursors:
        run, reads = ctx.cursors, {}
        st.session_state["_run_reads"] = (run, reads)
    if key not in reads:
        reads[key] = read()
    return reads[key]


def user_name() -> str:
    """The name the user typed (``""`` until then)."""
    return str(USER.get("name", "") or "")


# -- feature state -------------------------------------------------------------------------


# -- territories (ui/territory.py) ----------------------------------------------------------


def territory_state(start: Callable[[], TerritoryState]) -> TerritoryState:
    return _feature("territory", start)


def swap_plan_session(plan: PlanSession | None) -> PlanSession | None:
    """Put ``plan`` in place of the session's plan (``None``: none for now); return
    the one it replaces."""
    previous = st.session_state.get("plan")
    if plan is None:
        st.session_state.pop("plan", None)
    else:
        st.session_state["plan"] = plan
    return previous


def forget_widgets(widgets: Widgets, names: Iterable[str]) -> None:
    """Drop widget values that hold a territory's comuni or zones (they mean nothing in another)."""
    for name in names:
        st.session_state.pop(widgets.key(name), None)


def _feature(key: str, factory: Callable[[], T]) -> T:
    state = st.session_state.get(key)
    if state is None:
        state = st.session_state[key] = factory()
    return state


def has_plan_session() -> bool:
    return "plan" in st.session_state


def plan_session(start: Callable[[], PlanSession]) -> PlanSession:
    """The session's plan, made by ``start`` on first access (see :mod:`ui.plan_session`)."""
    return _feature("plan", start)


def editor_state() -> EditorState:
    return _feature("editor", EditorState)


def scenarios_state() -> ScenariosState:
    return _feature("scenarios", ScenariosState)


def workshop_state() -> WorkshopState:
    return _feature("workshop", WorkshopState)


def collaboration_form_state() -> CollaborationFormState:
    return _feature("collaboration_form", CollaborationFormState)


def collaborations_state() -> CollaborationsState:
    return _feature("collaborations", CollaborationsState)


def access_state() -> AccessState:
    return _feature("access", AccessState)


def identity_state(start: Callable[[], IdentityState]) -> IdentityState:
    return _feature("identity", start)


def draft_state(start: Callable[[], DraftState]) -> DraftState:
    return _feature("drafts", start)


def flash_board() -> FlashBoard:
    return _feature("flash", lambda: FlashBoard({}))


# -- hardening (issue 14): roles ---------------------------------------------------------------


def coordination_state() -> CoordinationState:
    return _feature("coordination", CoordinationState)


# -- homogeneous zones (issue 11): indicators, thematic map, suggested zones -----------------
INDICATORS = Widgets("indicators")
SUGGESTIONS = Widgets("suggestions")


def indicator_choice() -> IndicatorChoice:
    return _feature("indicators", IndicatorChoice)


def indicator_import_state() -> IndicatorImportState:
    return _feature("indicator_import", IndicatorImportState)


def suggestions_state() -> SuggestionsState:
    return _feature("suggestions", SuggestionsState)
