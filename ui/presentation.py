"""The «Presentazione» page's state: which plan is on screen, stepping through the
plans with the keyboard, the projector's style sheet."""

from __future__ import annotations

import geo
from ui import errors
from ui.plan_choices import CURRENT, PlanChoice, plan_choices
from ui.session import PRESENTATION

CHOICE_KEY = PRESENTATION.key("plan")
HIDDEN_KEYS = PRESENTATION.key("keys")  # container of the PageUp/PageDown buttons, hidden by CSS

# Projector: larger type everywhere (Streamlit sizes in rem), no sidebar or top bar,
# the whole width for the map. The style element belongs to this page's elements,
# so it disappears when the user goes to another page.
PROJECTOR_CSS = f"""
<style>
html {{ font-size: 20px; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {{
  display: none;
}}
.stMainBlockContainer {{ padding: 0.6rem 1.2rem 1rem 1.2rem; max-width: 100%; }}
.stMainBlockContainer h1 {{ font-size: 1.6rem; padding: 0; }}
[data-testid="stTable"] table {{ font-size: 0.95rem; }}
.st-key-{HIDDEN_KEYS} {{ display: none; }}
</style>
"""


def chosen(choices: list[PlanChoice]) -> int:
    """Index of the plan on screen; the current plan when the remembered one is gone."""
    keys = [c.key for c in choices]
    return keys.index(PRESENTATION.keep_valid("plan", keys, CURRENT))


@errors.callback("presentation")
def step(delta: int) -> None:
    """Show the next (``+1``) or previous (``-1``) plan, wrapping around (a button callback)."""
    keys = [c.key for c in plan_choices()]
    current = PRESENTATION.get("plan")
    index = keys.index(current) if current in keys else 0
    PRESENTATION.set("plan", keys[(index + delta) % len(keys)])


def status_line(index: int, total: int, content: geo.ReportContent) -> str:
    """``"Piano 2 di 3 · 4 zone, 42 comuni · 1 avviso (sotto la mappa)"``."""
    warnings = geo.warnings_count_text(content.problems) + (" (sotto la mappa)" if content.problems else "")
    return (f"Piano {index + 1} di {total} · {len(content.plan.zones)} zone, {len(content.area.codes)} comuni"
            f" · {warnings}")


def warned_codes(content: geo.ReportContent) -> tuple[str, ...]:
    """The comuni the warnings are about (outlined on the map)."""
    return tuple(code for problem in content.problems for code in problem.codes)
