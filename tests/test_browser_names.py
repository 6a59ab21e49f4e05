"""Comune names and the search box on the Pianura Bresciana's map pages, in headless
Chromium: every name of the area (42) on the projector, the search box on every page
with a map."""

from __future__ import annotations

import pytest

from geo.data.shipped import load_area_list
from tests.browser_support import map_document

pytestmark = pytest.mark.browser
AREA = set(load_area_list()["istat_code"])


def open_map(browser, url: str, size=(1920, 1080)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length >= 42", timeout=60_000)
    frame.wait_for_function("window.map.getContainer().hasAttribute('data-pb-labels')")
    return page, frame


def area_names(frame) -> set[str]:
    return set(frame.evaluate("[...document.querySelectorAll('.pb-label:not(.pb-label-context)')]"
                              ".map(e => e.getAttribute('data-code'))"))


def test_the_projector_names_every_comune_of_the_area(browser, app_url):
    page, frame = open_map(browser, f"{app_url}/presentazione")
    frame.wait_for_function(f"document.querySelectorAll('.pb-label:not(.pb-label-context)').length >= {len(AREA)}")
    assert area_names(frame) == AREA
    assert frame.evaluate("getComputedStyle(document.querySelector('.pb-labels').parentNode).pointerEvents") == "none"
    page.close()


@pytest.mark.parametrize("path", ["", "zone_editor", "collaborazioni", "presentazione"])
def test_every_map_page_has_the_search_box(browser, app_url, path):
    page, frame = open_map(browser, f"{app_url}/{path}", (1400, 1000))
    search = frame.get_by_placeholder("Cerca un comune")
    search.fill("pavone")
    result = frame.locator(".pb-search-result").first
    result.wait_for()
    assert result.get_attribute("data-code") == "017137"  # Pavone del Mella
    result.click()
    frame.wait_for_function("window.map.getContainer().getAttribute('data-pb-found') === '017137'")
    page.close()


def test_the_editor_names_only_what_fits_at_its_zoom(browser, app_url):
    page, frame = open_map(browser, f"{app_url}/zone_editor", (1400, 1000))
    shown = area_names(frame)
    assert shown < AREA  # not every name fits at the whole area's zoom...
    zoom = frame.evaluate("window.map.getZoom()")
    frame.evaluate("window.map.setZoom(window.map.getZoom() + 2, {animate: false})")
    frame.wait_for_function(f"window.map.getZoom() > {zoom}")
    for _ in range(50):  # ...closer up, names that did not fit do
        if area_names(frame) - shown:
            break
        page.wait_for_timeout(100)
    assert area_names(frame) - shown
    page.close()
