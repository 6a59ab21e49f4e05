"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, network
blocked except localhost, and a Streamlit server started for the tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
# The coordination password of the test servers (PIANURA_COORDINATION_PASSWORD), see sign_in_coordination.
COORDINATION_PASSWORD = "prova-di-coordinamento"


def _block_non_local(route) -> None:
    host = urlparse(route.request.url).hostname or ""
    if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort("internetdisconnected")


@contextlib.contextmanager
def launch_offline():
    """A Playwright browser whose every context refuses non-localhost requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        original_new_context = browser.new_context

        def new_context(**kwargs):
            context = original_new_context(**kwargs)
            context.route("**/*", _block_non_local)
            return context

        def new_page(**kwargs):
            return new_context(**kwargs).new_page()

        browser.new_context = new_context  # type: ignore[method-assign]
        browser.new_page = new_page  # type: ignore[method-assign]
        try:
            yield browser
        finally:
            browser.close()


# The map component's iframe (Streamlit titles it with the component's name).
MAP_COMPONENT = "map_component.pianura_map"
MAP_IFRAME = f"iframe[title='{MAP_COMPONENT}']"


def map_frame(page):
    """The map component's iframe holding the Leaflet map (a FrameLocator)."""
    page.wait_for_selector(MAP_IFRAME, timeout=30_000)
    return page.frame_locator(MAP_IFRAME).first


def map_document(page, timeout_ms: int = 60_000):
    """The map component's frame itself (a Frame: ``evaluate``, ``wait_for_function``)."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    return next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in f.url)


def wait_for_map(page, timeout_ms: int = 30_000):
    frame = map_frame(page)
    frame.locator("path.comune-area").first.wait_for(timeout=timeout_ms)
    return frame


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict | None = None, timeout_s: float = 60, script: str = "dashboard.py"):
    """Start ``streamlit run <script>`` on a free port; yield its base URL.

    Each server gets a database directory of its own unless ``env`` names one, so
    what one test module saves never reaches another's server."""
    env = dict(env or {})
    env.setdefault("PIANURA_COORDINATION_PASSWORD", COORDINATION_PASSWORD)
    if "PIANURA_DATA_DIR" not in env:
        env["PIANURA_DATA_DIR"] = tempfile.mkdtemp(prefix="pianura-server-")
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1"]
    # Output to a file, not a pipe nobody reads: a full pipe would block the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                out = log.read().decode(errors="replace")
                raise RuntimeError(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def legend_rows(frame) -> list[tuple[str, int]]:
    """The map legend as (zone id, residents) pairs ("" for the unassigned row).

    Read in one evaluation: the legend is rebuilt on every new state, so reading
    row by row could mix two versions. ``frame`` is the map's frame (a Frame or
    FrameLocator)."""
    rows = frame.locator("body").evaluate(
        "() => [...document.querySelectorAll('.pb-legend-row')]"
        ".map(r => [r.getAttribute('data-zone'), Number(r.getAttribute('data-residents'))])")
    return [(zone, int(residents)) for zone, residents in rows]


def expected_legend(plan) -> list[tuple[str, int]]:
    """What :func:`legend_rows` should read for ``plan``, from ISTAT's population."""
    from geo.data.shipped import load_comuni

    population = load_comuni()["pop_totale"]
    rows = [(z.id, int(population.loc[list(plan.members(z.id))].sum())) for z in plan.zones]
    if plan.unassigned:
        rows.append(("", int(population.loc[list(plan.unassigned)].sum())))
    return rows


def map_view(frame) -> dict:
    """Zoom and centre of the Leaflet map in ``frame`` (Frame or FrameLocator)."""
    zoom, lat, lng = frame.locator("body").evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]")
    return {"zoom": zoom, "lat": lat, "lng": lng}


def assert_same_view(frame, before: dict) -> None:
    """Same zoom, and the old centre still in the middle of the map within a pixel.

    Exact equality of the centre would fail on sub-pixel shifts when the page
    reflows around the map (a scrollbar appearing); a user sees no change."""
    assert map_view(frame)["zoom"] == before["zoom"]
    drift = frame.locator("body").evaluate(
        "(_, [lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
        " return p.distanceTo(window.map.getSize().divideBy(2)); }", [before["lat"], before["lng"]])
    assert drift <= 1.0, f"the map moved by {drift:.1f} px"


def sign_in_coordination(page, password: str = COORDINATION_PASSWORD) -> None:
    """Type the coordination password in the sidebar («Accesso coordinamento») and wait
    for the sign-in to take effect."""
    sidebar = page.get_by_test_id("stSidebar")
    if not sidebar.get_by_role("button", name="Esci dal coordinamento").count():
        open_sign_in(page).fill(password)
        page.get_by_test_id("stPopoverBody").get_by_role("button", name="Entra", exact=True).click()
    sidebar.get_by_role("button", name="Esci dal coordinamento").wait_for(timeout=30_000)


def open_sign_in(page):
    """Open the sidebar's «Accesso coordinamento» popover (unless it is open); return
    its password field (a popover is drawn outside the sidebar, in the page)."""
    field = page.get_by_label("Password di coordinamento")
    if not field.is_visible():
        page.get_by_test_id("stSidebar").get_by_role("button", name="Accesso coordinamento").click()
    field.wait_for(timeout=30_000)
    return field


def join_workshop(page, app_url: str, code: str, name: str) -> None:
    """Join the workshop ``code`` as ``name`` on the Laboratorio page and wait until in."""
    page.goto(f"{app_url}/workshop")
    page.get_by_label("Codice del laboratorio", exact=True).fill(code)
    page.get_by_label("Il tuo nome o il tuo comune").fill(name)
    page.get_by_role("button", name="Entra nel laboratorio").click()
    page.get_by_text("Il tuo codice personale è").first.wait_for(timeout=30_000)


def choose_option(page, label: str) -> None:
    """Click the option ``label`` of a segmented control or pills (its button's
    role is radio or checkbox depending on the widget: match by exact text)."""
    import re

    page.get_by_test_id("stButtonGroup").locator("button").filter(
        has_text=re.compile(f"^{re.escape(label)}$")).click()


# -- driving the comuni map ------------------------------------------------------------
def pixel(page, frame, lon, lat):
    """Page coordinates of a point (degrees) of the map in ``frame``."""
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = page.locator(MAP_IFRAME).first.bounding_box()
    return box["x"] + x, box["y"] + y


def click_comune(page, frame, area, code):
    """Click the interior point of comune ``code`` (an :class:`geo.zoning.area.Area` member)."""
    point = area.interior_points[code]
    page.mouse.click(*pixel(page, frame, point.x, point.y))


def version(frame) -> str:
    """The state version the map last applied (``data-pb-version``)."""
    return frame.evaluate("window.map.getContainer().getAttribute('data-pb-version')")


def wait_server_update(frame, before: str):
    frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-version') !== '{before}'",
                            timeout=15_000)


def fill(frame, code) -> str:
    """The fill colour of comune ``code`` on the map, upper case."""
    return frame.locator(f'path[data-code="{code}"]').get_attribute("fill").upper()
