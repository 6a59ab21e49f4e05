"""The workshop's measured participant: headless Chromium (offline), joined through
the page like a person, clicking comuni on the map; click -> recoloured and click ->
statistics updated are timed in the browser with ``bench/editor_latency.py``'s code."""

from __future__ import annotations

import time

from bench.editor_latency import FRAME_ARM_JS, MAP_FRAMES, MEASURE_JS, _map_frame
from bench.percentiles import percentiles

# st.metric on the naive pages, figure cards (geo.render.html_cards) in the zone editor
METRICS_JS = ("[...document.querySelectorAll('[data-testid=\"stMetricValue\"], .pb-card-value')]"
              ".map(e => e.innerText).join('|')")


def join_in_browser(page, url: str, code: str) -> None:
    page.goto(f"{url}/workshop")
    page.get_by_label("Codice del laboratorio", exact=True).fill(code)
    page.get_by_label("Il tuo nome o il tuo comune").fill("Partecipante misurato")
    page.get_by_role("button", name="Entra nel laboratorio").click()
    page.get_by_text("Sei nel laboratorio").wait_for(timeout=60_000)
    page.get_by_role("link", name="Disegna la tua proposta").click()
    frame = _map_frame(page)
    frame.wait_for_function("document.querySelectorAll('.pb-legend-row').length > 0", timeout=60_000)


def state_version(page) -> str:
    return _map_frame(page).evaluate("window.map.getContainer().getAttribute('data-pb-version')")


def reset_and_send(page) -> None:
    """Back to the starting zones («Proposta iniziale»), then «Invia la mia proposta»."""
    before = state_version(page)
    page.get_by_role("button", name="Proposta iniziale").click()
    _map_frame(page).wait_for_function(
        f"window.map.getContainer().getAttribute('data-pb-version') !== '{before}'", timeout=60_000)
    page.get_by_role("button", name="Invia la mia proposta").click()
    page.get_by_text("Proposta inviata").first.wait_for(timeout=60_000)


def measure_clicks(page, picks, color: str, clicks: int, settle_ms: int, deadline: float) -> dict:
    """Click ``clicks`` comuni (cycling through ``picks``, resetting the zones after
    each round) and time each in the browser, as ``bench/editor_latency.py`` does."""
    recolour, stats_ms = [], []
    for i in range(clicks):
        if time.monotonic() > deadline:
            break
        if i and i % len(picks) == 0:
            reset_and_send(page)
        code, lon, lat = picks[i % len(picks)]
        frame = _map_frame(page)
        frame.wait_for_function("window.map !== undefined", timeout=60_000)
        iframe = page.locator(MAP_FRAMES).first
        iframe.scroll_into_view_if_needed()
        before = page.evaluate(METRICS_JS)
        frame.evaluate(FRAME_ARM_JS)
        x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                              " return [p.x, p.y]; }", [lat, lon])
        box = iframe.bounding_box()
        page.evaluate(MEASURE_JS, [code, color, before])
        page.mouse.click(box["x"] + x, box["y"] + y)
        result = page.evaluate("window.__result")
        clicked = page.evaluate("window.__clickT")
        recolour.append(result["recolour"] - clicked if result.get("recolour") else None)
        stats_ms.append(result["stats"] - clicked if result.get("stats") else None)
        page.wait_for_timeout(settle_ms)
    reset_and_send(page)
    return {"click_to_stats_ms": percentiles(stats_ms), "click_to_recolour_ms": percentiles(recolour),
            "missed_stats": sum(s is None for s in stats_ms), "missed_recolour": sum(r is None for r in recolour),
            "clicks": len(stats_ms)}
