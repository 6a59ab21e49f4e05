"""What happens when something goes wrong inside the app.

Pages, fragments and callbacks (map callbacks included) catch their own
exceptions: the user reads an Italian message, never a traceback (and
``client.showErrorDetails`` is off for anything that escapes); the traceback goes
to the server log through :mod:`logging` (logger ``ui.errors``). The domain's
refusals (its errors whose message is Italian, written for the user) are shown
as their message and not logged: they are answers, not faults.

One mechanism: :func:`callback` wraps widget callbacks (the message waits for
the next run at the callback's place, see :mod:`ui.flash`); :func:`fragment` and
:func:`shown` wrap code that draws, and the page runner (:func:`ui.routing.run_page`)
calls :func:`show_error`: the message is drawn where the code stopped.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

import geo
from ui import flash
from ui.markdown import md

log = logging.getLogger(__name__)

UNEXPECTED = ("Si è verificato un errore imprevisto e l'operazione non è stata completata. Riprova; se "
              "l'errore si ripete, avvisa chi gestisce l'app: i dettagli sono nel registro del server.")


def italian_errors() -> tuple[type[Exception], ...]:
    """The domain's errors whose message is Italian and meant for the user."""
    return (geo.UserError,)


def user_message(exc: Exception, where: str) -> str:
    """What the user reads about ``exc``; an unexpected one is logged with its traceback."""
    if isinstance(exc, italian_errors()):
        return str(exc)
    log.error("unexpected error in %s", where, exc_info=exc)
    return UNEXPECTED


def _where(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def callback(place: str):
    """Decorate a widget callback: an exception becomes a message at ``place``
    (an error, shown by ``flash.show(place)`` in the run that follows)."""
    def decorate(func):
        @functools.wraps(func)
        def guarded(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the user gets a message, the log the traceback
                flash.error(place, user_message(exc, _where(func)))
        return guarded
    return decorate


def shown(func):
    """Decorate code that draws (a page run, a fragment): an exception becomes
    an Italian error message where the drawing stopped. Streamlit's own control
    flow (``st.rerun``, ``st.stop``, ``st.switch_page``) is not an ``Exception``
    and passes through."""
    @functools.wraps(func)
    def guarded(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            show_error(exc, _where(func))
    return guarded


def show_error(exc: Exception, where: str) -> None:
    """Draw the Italian message for ``exc`` here (and log it, when unexpected)."""
    st.error(md(user_message(exc, where)), icon="⚠️")


def fragment(func=None, *, run_every=None):
    """``st.fragment`` whose exceptions are shown as by :func:`shown` (a fragment's
    own reruns do not pass through the page runner)."""
    def decorate(f):
        return st.fragment(shown(f), run_every=run_every)
    return decorate(func) if func is not None else decorate
