"""The map image's legend and title (PNG export, PDF and XLSX reports, comparison
thumbnails) keep every word and space of long zone names: wrapped, never cut, and
inside the image. Grid and plan: ``tests/plan_io_support.py``."""

from __future__ import annotations

import pytest

from geo.render.map_image import map_figure, plan_legend, wrapped
from tests.plan_io_support import area, plan  # noqa: F401 (fixtures)

LONG_NAME = "Zona Occidentale della Bassa Bresciana, del Mella-Chiese e di Pompiano-Barbariga"  # 80 characters
TITLE = "Proposta dell'assemblea dei sindaci per le zone omogenee della pianura, seconda versione dopo il laboratorio"


def rejoin(text: str) -> str:
    """The lines of ``text`` joined back: a space where a line broke at one, nothing after a hyphen."""
    lines = text.split("\n")
    return "".join(line + ("" if line.endswith("-") or i == len(lines) - 1 else " ") for i, line in enumerate(lines))


def test_wrapping_keeps_every_word_and_space():
    text = "Occidentale: 56.340\u00a0ab. Supercalifragilistichespiralidoso-lunghissimo fine"
    lines = wrapped(text, 12).split("\n")
    assert len(lines) > 1 and all(line for line in lines)
    assert rejoin(wrapped(text, 12)) == text  # nothing dropped, spaces only where a line breaks
    assert "56.340\u00a0ab." in lines[1]  # residents and unit stay together (no-break space)
    assert "Supercalifragilistichespiralidoso-" in lines  # a long word is kept whole, broken at its hyphen


@pytest.mark.parametrize("width_in", [10.0, 5.0])  # legend in a column (exports) or below (thumbnails)
def test_long_zone_names_are_wrapped_whole_inside_the_image(area, plan, width_in):
    plan = plan.rename_zone("za", LONG_NAME)
    legend = plan_legend(area, plan)
    assert legend[0].label == f"{LONG_NAME}: 3.000\u00a0ab."  # 1000 + 2000 residents
    figure = map_figure(area, {c: plan.color_of(c) for c in plan.codes}, legend, title=TITLE, width_in=width_in,
                        dpi=60, legend_title="Zone omogenee (residenti)")
    renderer = figure.canvas.get_renderer()
    shown = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert [rejoin(t) for t in shown] == [e.label for e in legend]
    assert shown[0].count("\n") >= 1
    inside = figure.bbox
    box = figure.axes[0].get_legend().get_window_extent(renderer)
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
    (title,) = [t for t in figure.texts if t.get_text().startswith("Proposta")]
    assert rejoin(title.get_text()) == TITLE
    box = title.get_window_extent(renderer)
    assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and box.y1 <= inside.y1
