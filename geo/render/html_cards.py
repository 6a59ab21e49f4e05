"""Key figures as small HTML cards, for the statistics redrawn on every click.

One HTML block holds all the cards of a panel: on each click of the zone editor
Streamlit then sends one element instead of a metric per figure plus the columns
that lay them out, and the browser needs none of the metric widget's scripts on
the first load. Values are strings already formatted for display.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Sequence

CARDS_CLASS = "pb-cards"

_CSS = f"""<style>
.{CARDS_CLASS} {{ display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0 0 0.75rem 0; }}
.{CARDS_CLASS} .pb-card {{ flex: 1 1 10rem; min-width: 9rem; }}
.{CARDS_CLASS} .pb-card-label {{ font-size: 0.875rem; color: rgba(49, 51, 63, 0.8); }}
.{CARDS_CLASS} .pb-card-help {{ display: inline; }}
.{CARDS_CLASS} .pb-card-help summary {{ display: inline-flex; list-style: none; cursor: help;
  min-width: 44px; min-height: 44px; align-items: center; justify-content: center; }}
.{CARDS_CLASS} .pb-card-help summary::-webkit-details-marker {{ display: none; }}
.{CARDS_CLASS} .pb-card-help summary span {{ border: 1px solid; border-radius: 50%; width: 1.3em; height: 1.3em;
  display: inline-flex; align-items: center; justify-content: center; font-size: 0.8rem; }}
.{CARDS_CLASS} .pb-card-help-text {{ display: block; font-size: 0.85rem; }}
.{CARDS_CLASS} .pb-card-value {{ font-size: 2.25rem; line-height: 1.3; font-variant-numeric: tabular-nums; }}
</style>"""
# One line: inside markdown, a blank or broken line would end the HTML block.
_CSS = " ".join(_CSS.split())


@dataclass(frozen=True)
class Card:
    """One figure: ``label`` above ``value``; ``help`` shows on hover, opens with a
    tap or click on the «?» next to the label (touch screens have no hover) and is
    read by screen readers."""

    label: str
    value: str
    help: str = ""


def cards_html(cards: Sequence[Card]) -> str:
    """The cards side by side (they wrap on narrow screens), every text escaped.

    Parameters
    ----------
    cards : sequence of Card
        In display order.

    Returns
    -------
    str
        A ``<style>`` block and ``<div class="pb-cards">``; each card is a
        ``div.pb-card`` with ``data-label`` (its label), holding
        ``div.pb-card-label`` and ``div.pb-card-value``.
    """
    parts = [_CSS, f'<div class="{CARDS_CLASS}">']
    for card in cards:
        label = html.escape(card.label)
        text = html.escape(card.help)
        helper = (f' <details class="pb-card-help" title="{text}"><summary aria-label="Spiegazione">'
                  f'<span>?</span></summary><span class="pb-card-help-text">{text}</span></details>'
                  if card.help else "")
        parts.append(f'<div class="pb-card" data-label="{label}"><div class="pb-card-label">{label}{helper}</div>'
                     f'<div class="pb-card-value">{html.escape(card.value)}</div></div>')
    parts.append("</div>")
    return "".join(parts)
