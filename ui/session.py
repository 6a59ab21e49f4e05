"""Everything a session keeps, in one place: the only module that indexes
``st.session_state``.

Two kinds of entries, one naming scheme in English:

* **feature state**: one small dataclass per feature under the feature's own key
  (``plan``, ``editor``, ``scenarios``, ``workshop``, ``collaboration_form``,
  ``collaborations``, ``access``, ``identity``, ``flash``, ``indicators``, ``indicator_import``,
  ``suggestions``), created on first access and read
  through the typed accessors below;
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
    from geo import History, Plan
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
class FlashBoard:
    """At most one message per place (see :mod:`ui.flash`)."""

    messages: dict[str, Flash]


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


def flash_board() -> FlashBoard:
    return _feature("flash", lambda: FlashBoard({}))


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
