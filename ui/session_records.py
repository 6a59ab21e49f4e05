"""What each feature keeps in a session: plain dataclasses, one per feature (see
:mod:`ui.session`, the only module that puts them in ``st.session_state``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo import History, HistoryCodec, Plan
    from ui.flash import Flash


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


@dataclass
class CoordinationState:
    """The session typed the coordination password (:mod:`ui.coordination`)."""

    unlocked: bool = False


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
