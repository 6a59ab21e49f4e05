"""Messages for the user that outlive the run that made them: the outcome of a
button (callbacks run before the page is drawn) or of opening a share link.

A message is plain text with a kind (success, info, warning, error) and the place
it belongs to (a part of a page that shows it); it is escaped only when shown
(:func:`show`), so user text in it (names of scenarios, zones, workshops) never
becomes markdown. One message per place: the last action's outcome. A message is
shown once, except a *notice* (:func:`notice`), which stays until the user closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui.markdown import Strong, markdown, plain
from ui.session import Widgets, flash_board

# Where messages are shown: the router (above every page), and the parts of pages
# that call show() for their place.
PLACES = ("app", "editor", "scenarios", "workshop", "collaborations", "collaborations_import", "presentation",
          "coordination", "draft", "draft_tab", "editor_tools", "indicators", "suggestions")
KINDS = ("success", "info", "warning", "error")


@dataclass(frozen=True)
class Flash:
    kind: str
    parts: tuple[str | Strong, ...]
    icon: str | None = None
    closable: bool = False

    @property
    def text(self) -> str:
        """What the user reads (no markdown)."""
        return plain(*self.parts)


def say(place: str, kind: str, *parts: str | Strong, icon: str | None = None, closable: bool = False) -> None:
    """Leave a message for ``place``, replacing the one there; ``parts`` are plain
    text (:func:`ui.markdown.strong` for a bold piece)."""
    if place not in PLACES or kind not in KINDS:
        raise ValueError(f"unknown flash place or kind: {place!r}, {kind!r}")
    flash_board().messages[place] = Flash(kind, tuple(parts), icon, closable)


def success(place: str, *parts: str | Strong, icon: str | None = None) -> None:
    say(place, "success", *parts, icon=icon)


def info(place: str, *parts: str | Strong, icon: str | None = None) -> None:
    say(place, "info", *parts, icon=icon)


def warning(place: str, *parts: str | Strong, icon: str | None = None) -> None:
    say(place, "warning", *parts, icon=icon)


def error(place: str, *parts: str | Strong, icon: str | None = None) -> None:
    say(place, "error", *parts, icon=icon)


def notice(place: str, kind: str, *parts: str | Strong, icon: str | None = None) -> None:
    """A message that stays above the page until the user closes it."""
    say(place, kind, *parts, icon=icon, closable=True)


def waiting(place: str) -> Flash | None:
    """The message waiting for ``place``, left in place."""
    return flash_board().messages.get(place)


def dismiss(place: str) -> None:
    flash_board().messages.pop(place, None)


def show(place: str, *, action: tuple[str, Callable[[], None]] | None = None) -> None:
    """Show the message waiting for ``place`` (if any), escaped; once, unless it is a notice.

    A notice gets a button to close it and, with ``action`` (label, callback), a
    button that runs the callback and closes it: the page that shows the notice
    knows what it offers (e.g. «Ricomincia dalla proposta iniziale»)."""
    message = waiting(place)
    if message is None:
        return
    if not message.closable:
        dismiss(place)
        _alert(st, message)
        return
    keys = Widgets(place)
    box = st.container(key=keys.key("notice"))
    _alert(box, message)
    buttons = box.container(horizontal=True, gap="small")
    if action is not None:
        label, run = action
        buttons.button(label, key=keys.key("notice_action"), on_click=_act, args=(place, run))
    buttons.button("Chiudi l'avviso", key=keys.key("close_notice"), on_click=dismiss, args=(place,))


def _act(place: str, run: Callable[[], None]) -> None:
    dismiss(place)
    run()


def _alert(container, message: Flash) -> None:
    draw = {"success": container.success, "info": container.info, "warning": container.warning,
            "error": container.error}[message.kind]
    draw(markdown(*message.parts), icon=message.icon)
