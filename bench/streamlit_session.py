"""A Streamlit session without a browser, for load benchmarks.

A browser talks to Streamlit over one websocket (``/_stcore/stream``): it sends
``BackMsg.rerun_script`` with the widget values and receives ``ForwardMsg`` deltas
until ``script_finished``. :class:`StreamlitSession` speaks that protocol: it fills
widgets, presses buttons, sends a custom component's value (a click on the map)
and waits for the run to finish, so the server does exactly the work a browser
would make it do (a session, the script runs, the elements serialised and sent),
while the client costs almost nothing: no layout, no JavaScript, no map drawing.

A session may carry a browser identity (the cookie ``pianura_browser``, as a
browser does once the app gave it one): behind the proxy of ``make serve`` it is
what keeps the session on one process, and :attr:`StreamlitSession.upstream`
says which one answered (nginx's ``X-Upstream`` header).

Only loopback addresses are accepted. Written against Streamlit 1.67 (the
version pinned in ``requirements.txt``).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
         ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class RunResult:
    """What one run sent back: its duration (request sent -> script finished, ms),
    the alerts shown (``st.success``/``st.error``... bodies), the exceptions, and
    the page's other texts (markdown, metrics as ``label: value``, select box options)."""

    ms: float
    alerts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    full_runs: int = 0
    texts: list[str] = field(default_factory=list)

    def says(self, text: str) -> bool:
        return any(text in body.replace("\\", "") for body in self.alerts)


class StreamlitSession:
    """One session of the app at ``base_url`` (e.g. ``http://127.0.0.1:8501``).

    Widgets are found by their ``key`` in the elements of the runs so far; custom
    components by name. Use as ``async with StreamlitSession(url) as s: ...``.
    """

    def __init__(self, base_url: str, timeout_s: float = 120.0, *, browser_id: str | None = None):
        parts = urlparse(base_url)
        if parts.hostname not in LOOPBACK:
            raise ValueError(f"only loopback servers may be loaded: {base_url}")
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.timeout_s = timeout_s
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_names: list[str] = []  # as the last navigation message lists them
        self.page_hash = ""
        self.widgets: dict[str, str] = {}  # user key -> widget id
        self.fragments: dict[str, str] = {}  # widget id -> id of the fragment drawing it ("" for none)
        self.components: dict[str, tuple[str, str]] = {}  # component name -> (widget id, fragment id)
        self.auto_rerun: tuple[float, str] | None = None  # (interval s, fragment id) of st.fragment(run_every)
        self.browser_id = browser_id
        self.upstream: str | None = None  # the process behind a proxy that took the connection
        self._ws = None

    async def __aenter__(self) -> "StreamlitSession":
        headers = {}
        if self.browser_id:
            # here, not at the top: declaring the components outside a script run logs a
            # warning, which the warm-up of `make serve` (no identity) need not print
            from map_component import IDENTITY_COOKIE

            headers["Cookie"] = f"{IDENTITY_COOKIE}={self.browser_id}"
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], origin=self.base_url,
                                            max_size=None, open_timeout=self.timeout_s, additional_headers=headers)
        self.upstream = self._ws.response.headers.get("X-Upstream")
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    # -- widget values, as the browser sends them ------------------------------------------
    def widget(self, key: str) -> str:
        """The id of the widget with this key (or whose key starts with it, for
        form submit buttons: ``FormSubmitter:<form>-<label>``)."""
        if key in self.widgets:
            return self.widgets[key]
        for known, widget_id in self.widgets.items():
            if known.startswith(key):
                return widget_id
        raise KeyError(f"no widget {key!r} on the page (known: {sorted(self.widgets)})")

    def fragment_of(self, key: str) -> str:
        """The fragment a widget lives in: a browser reruns only that fragment."""
        return self.fragments.get(self.widget(key), "")

    def text(self, key: str, value: str) -> WidgetState:
        return WidgetState(id=self.widget(key), string_value=value)

    def choose(self, key: str, label: str) -> WidgetState:
        """A single-choice button group (``st.segmented_control``, ``st.pills``) set
        to the option shown as ``label``."""
        state = WidgetState(id=self.widget(key))
        state.string_array_value.data.append(label)
        return state

    def press(self, key: str) -> WidgetState:
        return WidgetState(id=self.widget(key), trigger_value=True)

    def component_value(self, name: str, value) -> tuple[WidgetState, str]:
        """The state of component ``name`` set to ``value`` and the fragment it lives in."""
        widget_id, fragment_id = self.components[name]
        return WidgetState(id=widget_id, json_value=json.dumps(value)), fragment_id

    # -- runs -------------------------------------------------------------------------------------
    async def run(self, page: str, widgets=(), *, fragment_id: str = "", auto: bool = False) -> RunResult:
        """Rerun ``page`` (its URL path) with these widget states and wait until the
        script (or the fragment) has finished, following any rerun it asks for."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = page
        state.page_script_hash = self.pages.get(page, self.page_hash if not self.pages else "")
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.widget_states.widgets.extend(widgets)
        result = RunResult(0.0)
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        deadline = start + self.timeout_s
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"run of {page!r} did not finish in {self.timeout_s} s")
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self._ws.recv(), remaining))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note_element(fwd.delta.new_element, fwd.delta.fragment_id, result)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_names = [p.page_name for p in fwd.navigation.app_pages]
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.auto_rerun = (fwd.auto_rerun.interval, fwd.auto_rerun.fragment_id)
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {page!r}")
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    result.full_runs += 1
                if fwd.script_finished in _DONE:
                    result.ms = (time.perf_counter() - start) * 1000
                    return result

    def _note_element(self, element, fragment_id: str, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "alert":
            result.alerts.append(body.body)
        elif kind == "exception":
            trace = " | ".join(line.strip() for line in body.stack_trace[-3:])
            result.exceptions.append(f"on the page: {body.type}: {body.message} ({trace})")
        elif kind == "markdown":
            result.texts.append(body.body)
        elif kind == "metric":
            result.texts.append(f"{body.label}: {body.body}")
        elif kind == "selectbox":
            result.texts.extend(body.options)
        if kind == "component_instance":
            self.components[body.component_name] = (body.id, fragment_id)
        elif "id" in body.DESCRIPTOR.fields_by_name and body.id.startswith("$$ID-"):
            key = body.id.split("-", 2)[2]
            if key != "None":
                self.widgets[key] = body.id
                self.fragments[body.id] = fragment_id
