"""Figure cards: order, values, help text and escaping."""

import re

from geo.render.html_cards import Card, cards_html


def values(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-label="([^"]*)"><div class="pb-card-label">.*?<div class="pb-card-value">([^<]*)</div>',
                      html)


def test_cards_in_order_with_their_values():
    out = cards_html([Card("Comuni non assegnati", "0 su 42"), Card("Scarto massimo", "44,3 %", "aiuto")])
    assert values(out) == [("Comuni non assegnati", "0 su 42"), ("Scarto massimo", "44,3 %")]
    assert out.count('class="pb-card-help"') == 1 and 'title="aiuto"' in out


def test_text_is_escaped_everywhere():
    evil = '<img src=x onerror=alert(1)>"'
    out = cards_html([Card(evil, evil, evil)])
    assert "<img" not in out
    assert '&lt;img src=x onerror=alert(1)&gt;&quot;' in out


def test_help_opens_with_a_tap_not_only_on_hover():
    out = cards_html([Card("Forma compatta", "0,50", "1 = cerchio")])
    assert '<details class="pb-card-help"' in out and "<summary" in out
    assert '<span class="pb-card-help-text">1 = cerchio</span>' in out
