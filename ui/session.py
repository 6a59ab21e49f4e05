"""Everything a session keeps, in one place: the only module that indexes
``st.session_state``.

Two kinds of entries, one naming scheme in English:

* **feature state**: one small dataclass per feature under the feature's own key
  (``plan``, ``editor``, ``scenarios``, ``workshop``, ``collaboration_form``,
  ``collaborations``, ``access``, ``identity``, ``drafts``, ``flash``, ``coordination``,
  ``territory``, ``indicators``, ``indicator_import``, ``suggestions``), created on first access
  and read through the typed accessors below;
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
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

if TYPE_CHECKING:
    from geo import History, HistoryCodec, Plan
    from ui.flash import Flash

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


def user_name() -> str:
    """The name the user typed (``""`` until then)."""
    return str(USER.get("name", "") or "")


# -- feature state -------------------------------------------------------------------------
@dataclass
class PlanSession:
    """The session's area vasta (sorted ISTAT codes) and the undo history of its plan."""

    area_codes: tuple[str, ...]
    history: History


@dataclass(frozen=True)
class Pending:
    """Comuni chosen by drawing a shape, waiting for the user's confirmation."""

    codes: tuple[str, ...]
    zone_id: str


@dataclass
class EditorState:
    pending: Pending | None = None
    zoom_codes: tuple[str, ...] = ()
    zoom_nonce: int = 0  # a new value makes the map zoom again to the same comuni
    last_event_seq: object = None  # the map event last applied (each arrives once)
    rerun_app: bool = False  # the last callback changed more than the editor fragment


@dataclass(frozen=True)
class OpenedScenario:
    """The scenario last opened or saved in this session, as it was then."""

    id: str
    name: str
    revision: int
    plan: Plan


@dataclass
class ScenariosState:
    opened: OpenedScenario | None = None
    upload_round: int = 0  # a new round gives the uploader a new key: an empty box
    details_revision: int | None = None  # of the scenario whose name and notes the edit form holds


@dataclass(frozen=True)
class Participation:
    """This session takes part in a workshop."""

    workshop_id: str
    participant_id: str
    name: str
    title: str
    pin: str


@dataclass
class WorkshopState:
    participation: Participation | None = None
    conducted_id: str | None = None  # the workshop this session conducts
    seen: object = None  # the fingerprint the facilitator's page was drawn with
    facilitator_key: str | None = None  # of the conducted workshop: typed, or made when it opened
    new_key: str | None = None  # shown once, until the facilitator says they wrote it down
    role_checked: bool = False  # the browser's saved role was looked for (ui.workshop.resume_role)


@dataclass
class CollaborationFormState:
    version: int | None = None  # of the record loaded in the form (None: a new one)
    pick_seq: object = None  # the map pick last applied


@dataclass
class CollaborationsState:
    import_round: int = 0  # as ScenariosState.upload_round


@dataclass(frozen=True)
class Restriction:
    """Only the pages whose url path is in ``pages`` run; shared data is refused
    with ``reason`` (Italian, plain text); ``home`` lifts it (link ``home_label``)."""

    reason: str
    pages: tuple[str, ...]
    home: str
    home_label: str


@dataclass
class AccessState:
    restriction: Restriction | None = None


@dataclass
class IdentityState:
    """This browser's token (:mod:`ui.identity`): ``confirmed`` once the browser
    has it (its cookie came with the connection, or the identity frame answered)."""

    token: str
    confirmed: bool = False


@dataclass
class DraftState:
    """Autosave (:mod:`ui.drafts`): who this session is among the browser's tabs
    (``writer``), and the draft it last wrote or read (token, scope, revision)."""

    writer: str
    codec: HistoryCodec
    token: str | None = None
    scope: str | None = None
    seen: int | None = None


@dataclass
class FlashBoard:
    """At most one message per place (see :mod:`ui.flash`)."""

    messages: dict[str, Flash]


# -- territories (ui/territory.py) ----------------------------------------------------------
@dataclass(frozen=True)
class KeptWork:
    """What the session had drawn in a territory it left: found again on return."""

    plan: PlanSession
    opened: OpenedScenario | None
    conducted_id: str | None = None  # the workshop conducted there


@dataclass
class TerritoryState:
    """The territory this session works in (its id) and the work kept in the others."""

    active: str
    kept: dict[str, KeptWork]


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
@dataclass
class CoordinationState:
    """The session typed the coordination password (:mod:`ui.coordination`)."""

    unlocked: bool = False


def coordination_state() -> CoordinationState:
    return _feature("coordination", CoordinationState)


# -- homogeneous zones (issue 11): indicators, thematic map, suggested zones -----------------
INDICATORS = Widgets("indicators")
SUGGESTIONS = Widgets("suggestions")


@dataclass
class IndicatorChoice:
    """The indicators this session looks at and how the map is coloured."""

    chosen: tuple[str, ...] | None = None  # None: the default choice
    colouring: str = "zone"  # "zone", or the key of the indicator the comuni are coloured by
    method: str = "quantili"
    classes: int = 5


@dataclass
class IndicatorImportState:
    upload_round: int = 0  # a new round gives the uploader a new key: an empty box
    preview: Any = None  # (file name, bytes, geo.TablePreview) of the file being imported


@dataclass
class SuggestionsState:
    """A suggestion being computed or shown: it never changes the plan until accepted."""

    job: Any = None  # ui.suggestions.Job while the worker runs
    result: Any = None  # geo.Suggestions once done
    based_on: Any = None  # the plan the suggestion started from
    error: str | None = None


def indicator_choice() -> IndicatorChoice:
    return _feature("indicators", IndicatorChoice)


def indicator_import_state() -> IndicatorImportState:
    return _feature("indicator_import", IndicatorImportState)


def suggestions_state() -> SuggestionsState:
    return _feature("suggestions", SuggestionsState)
