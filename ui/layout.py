"""The page layout every page shares: map first on any screen, controls a finger can hit.

* :data:`APP_CSS` (drawn by the router on every run): less empty space above and
  beside the page than Streamlit's default, so that a map filling the rest of the
  viewport (``show_map(..., fill=True)``) starts high; buttons, pills and
  segmented controls and the menu's links at least 44 px high on touch screens (WCAG 2.5.5).
* :func:`page_header`: the page's title and its help in one row, to which the
  page adds its main controls; the instructions live in the help popover, not
  above the map.
"""

from __future__ import annotations

import streamlit as st

from ui.session import LAYOUT, WORKSHOP

HEADER_KEY = LAYOUT.key("header")
PARTICIPANT_PANEL_KEY = WORKSHOP.key("panel")
TOUCH_TARGET_PX = 44

APP_CSS = f"""
<style>
.stMainBlockContainer {{ padding: 3rem 1.5rem 2rem 1.5rem; }}
.st-key-{HEADER_KEY} h1 {{ font-size: 1.75rem; padding: 0; margin: 0; }}
/* Pills and segmented controls wrap instead of scrolling sideways: every zone in view. */
[data-testid="stButtonGroup"] > [role] {{ flex-wrap: wrap; overflow-x: visible; }}
@media (max-width: 640px) {{ .stMainBlockContainer {{ padding: 3rem 0.75rem 1.5rem 0.75rem; }} }}
/* A workshop participant's «Invia la mia proposta» (ui/workshop.py): on a phone the columns
   stack and the panel would come after the map and the figures; it stays at the bottom of the
   screen instead, and the page gets room below so that it covers nothing at the end. */
@media (max-width: 640px) {{
  .st-key-{PARTICIPANT_PANEL_KEY} {{ position: fixed; left: 0.25rem; right: 0.25rem; bottom: 0.25rem; z-index: 999990;
    width: auto; box-sizing: border-box; padding: 0.5rem 0.75rem;
    background: #fff; box-shadow: 0 -2px 10px rgba(0, 0, 0, 0.2); }}
  .st-key-{PARTICIPANT_PANEL_KEY}_title,
  .st-key-{PARTICIPANT_PANEL_KEY}:has([data-testid="stAlert"]) [data-testid="stCaptionContainer"] {{ display: none; }}
  .stMainBlockContainer:has(.st-key-{PARTICIPANT_PANEL_KEY}) {{ padding-bottom: 14rem; }}
}}
@media (pointer: coarse) {{
  button[data-testid^="stBaseButton"], [data-testid="stButtonGroup"] button, [data-testid="stPopover"] button,
  [data-testid="stSidebarNav"] a {{
    min-height: {TOUCH_TARGET_PX}px; min-width: {TOUCH_TARGET_PX}px;
  }}
}}
</style>
"""


def app_style() -> None:
    """The shared style sheet (no space taken: Streamlit puts a style-only block aside)."""
    st.html(APP_CSS)


def page_header(title: str, help_text: str | None = None, *, help_label: str = "Aiuto"):
    """A row with the page's ``title`` (markdown: escape user text) and, if given, a
    popover with its help (markdown); returns the row, for the page's main
    controls (they wrap on a narrow screen)."""
    row = st.container(horizontal=True, vertical_alignment="center", gap="small", key=HEADER_KEY)
    row.title(title, anchor=False, width="content")
    if help_text:
        row.popover(help_label, icon=":material/help:").markdown(help_text)
    return row
