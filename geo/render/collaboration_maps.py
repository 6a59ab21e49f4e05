"""Map overlay of the collaborations: one folium FeatureGroup per function layer.

The groups travel to the map through ``st_folium(feature_group_to_add=...)``, so
switching a layer on or off swaps them in the browser without rebuilding the base
map (no reload, same zoom). Each collaboration is drawn as

* the outline of its members' union (white halo + coloured line, no fill, so the
  zone colours underneath stay readable; solid = operating, dotted = operating but
  ``da_verificare``, dashed = to be set up),
* a circle on the capofila (a vector ``CircleMarker``: ``folium.Marker`` icons
  would fetch images from a CDN) and thin lines from it to each member,
* a tooltip with name, form, functions, members, status and source, built in the
  browser with ``textContent``: user text is never parsed as HTML.

A legend layer lists what is drawn, by the same safe route.

Building is split in two: :func:`overlay_data` (geometry work, cacheable plain
data) and :func:`collaboration_layers` (cheap, fresh folium objects each rerun).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, PRIORITY_FUNCTIONS, STATUS_LABELS, Collaboration,
)
from geo.collaborations.distances import interior_points

OTHER_LAYER = "altre_funzioni"
LAYERS: tuple[str, ...] = PRIORITY_FUNCTIONS + (OTHER_LAYER,)
LAYER_LABELS: dict[str, str] = {f: FUNCTION_LABELS[f] for f in PRIORITY_FUNCTIONS} | {OTHER_LAYER: "Altre funzioni"}
# Dark lines on a white halo: distinct from the light zone fills (Okabe-Ito) underneath.
LAYER_COLORS: dict[str, str] = {
    "ufficio_tecnico": "#5B2A86", "polizia_locale": "#08306B", "suap_sue": "#9E0142",
    "servizi_ict": "#1A1A1A", OTHER_LAYER: "#6B6B6B",
}
LINE_STYLES = {"operativa": None, "da_verificare": "2 7", "prevista": "10 7"}
LINE_STYLE_LABELS = {"operativa": "attiva", "da_verificare": "attiva, da verificare", "prevista": "da costituire"}
_DECIMALS = 5  # about 1 m: enough for display
# Own pane above the comuni (overlayPane is 400): the zone editor brings comuni to the
# front when it restyles them, which would otherwise hide the outlines.
PANE = "collaborazioni"
PANE_Z_INDEX = 450
# Capofila circles above every outline and line: a line of another collaboration may
# end exactly on a capofila (a member there) and would otherwise cover its circle.
MARKER_PANE = "collaborazioni-capofila"
MARKER_PANE_Z_INDEX = 460


def layer_of(collaboration: Collaboration) -> tuple[str, ...]:
    """The layers a collaboration appears in: its priority functions, plus
    :data:`OTHER_LAYER` if it also covers any other function."""
    layers = tuple(f for f in PRIORITY_FUNCTIONS if collaboration.covers(f))
    others = any(f not in PRIORITY_FUNCTIONS for f in collaboration.functions)
    return layers + ((OTHER_LAYER,) if others else ())


def _line_style(collaboration: Collaboration, day: dt.date) -> str | None:
    status = collaboration.status_on(day)
    if status == "cessata":
        return None
    if status == "da_costituire":
        return "prevista"
    return "da_verificare" if collaboration.da_verificare else "operativa"


def _latlng(point) -> list[float]:
    return [round(point.y, _DECIMALS), round(point.x, _DECIMALS)]


def overlay_data(comuni: gpd.GeoDataFrame, collaborations: Iterable[Collaboration],
                 today: dt.date | None = None) -> tuple[dict, ...]:
    """Plain, cacheable drawing data of the collaborations not ended on ``today``.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Every shipped comune (:func:`geo.data.shipped.load_comuni`): members may lie outside
        the area. ``geometry_display`` (EPSG:4326) gives the outline, interior
        points come from the full ``geometry`` (see :func:`geo.collaborations.distances.interior_points`).
    collaborations : iterable of Collaboration
    today : datetime.date, optional
        Default today.

    Returns
    -------
    tuple of dict
        One dict per collaboration drawn: ``layers``, ``style`` (key of
        :data:`LINE_STYLES`), ``outline`` (GeoJSON geometry, degrees),
        ``capofila`` and ``points`` ([lat, lon] of the capofila and of the other
        members, the ends of its lines; ``None`` and empty when the capofila is
        unknown) and ``info`` (the tooltip's texts, unescaped).
    """
    day = today or dt.date.today()
    drawn = [(c, _line_style(c, day)) for c in collaborations]
    drawn = [(c, s) for c, s in drawn if s is not None and layer_of(c)]
    # A stored record may name a code missing from the shipped data (e.g. a comune
    # merged into another after a data rebuild): it is listed by code, not drawn.
    codes = sorted({m for c, _ in drawn for m in c.members if m in comuni.index})
    points = interior_points(comuni.loc[codes]).to_crs("EPSG:4326") if codes else None
    out = []
    for c, style in drawn:
        known = [m for m in c.members if m in comuni.index]
        if not known:
            continue
        union = shapely.union_all(np.asarray(comuni.loc[known, "geometry_display"].values))
        union = shapely.transform(union, lambda xy: np.round(xy, _DECIMALS))
        names = [str(comuni.at[m, "comune"]) if m in comuni.index else m for m in c.members]
        lead = c.capofila if c.capofila in comuni.index else None
        capofila = str(comuni.at[lead, "comune"]) if lead else c.capofila
        out.append({
            "id": c.id,
            "layers": layer_of(c),
            "style": style,
            "outline": json.loads(shapely.to_geojson(union)),
            "capofila": _latlng(points.loc[lead]) if lead else None,
            "points": [_latlng(points.loc[m]) for m in known if m != lead] if lead else [],
            "info": {
                "name": c.name,
                "rows": [
                    f"Forma: {FORM_LABELS[c.form]}",
                    "Funzioni: " + ", ".join(FUNCTION_LABELS[f] for f in c.functions),
                    f"Capofila: {capofila or 'non noto'}",
                    f"Membri ({len(names)}): " + ", ".join(sorted(names, key=str.casefold)),
                    f"Stato: {STATUS_LABELS[c.status_on(day)]}" + (" · da verificare" if c.da_verificare else ""),
                    "Fonte: " + (c.sources[0] if c.sources else "non indicata")
                    + (f" (e altre {len(c.sources) - 1})" if len(c.sources) > 1 else ""),
                ],
            },
        })
    return tuple(out)


class _LayerDrawing(MacroElement):
    """Every collaboration of one function layer, drawn in the browser from one JSON
    payload: one folium element per layer instead of several per collaboration
    (folium compiles a template for each element; see bench/collaborations.py)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (items, opts, group) {
          function tooltip(info) {
            return function () {
              var box = document.createElement("div");
              box.className = "collab-tip";
              var title = document.createElement("b");
              title.textContent = info.name;
              box.appendChild(title);
              info.rows.forEach(function (text) {
                var row = document.createElement("div");
                row.textContent = text;
                box.appendChild(row);
              });
              return box;
            };
          }
          items.forEach(function (item) {
            var one = L.featureGroup();
            L.geoJSON(item.outline, opts.halo).addTo(one);
            L.geoJSON(item.outline, L.extend({}, opts.line,
                {style: L.extend({}, opts.line.style, {dashArray: opts.dashes[item.style]})})).addTo(one);
            if (item.capofila) {
              if (item.points.length) {
                L.polyline(item.points.map(function (p) { return [item.capofila, p]; }), opts.lines).addTo(one);
              }
              L.circleMarker(item.capofila, opts.marker).addTo(one);
            }
            one.bindTooltip(tooltip(item.info), {sticky: true, className: "collab-tooltip"});
            group.addLayer(one);
          });
        })({{ this.items|tojson }}, {{ this.options|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, items: Sequence[Mapping], options: Mapping):
        super().__init__()
        self._name = "CollabLayer"
        self.items = [{k: item[k] for k in ("outline", "style", "capofila", "points", "info")} for item in items]
        self.options = dict(options)


def layer_options(layer: str) -> dict:
    """Leaflet options of one function layer's drawings (colours, panes, no fill).

    ``halo`` and ``line`` are ``L.geoJSON`` options for the outline (white halo under
    a coloured line, ``fill: false`` so the zone colours stay readable), ``lines``
    the capofila-member lines, ``marker`` the capofila circle, ``dashes`` the line
    pattern per status style (:data:`LINE_STYLES`).
    """
    color = LAYER_COLORS[layer]
    return {
        "halo": {"pane": PANE, "interactive": False,
                 "style": {"color": "#FFFFFF", "weight": 7, "opacity": 0.75, "fill": False,
                           "className": "collab-alone"}},
        "line": {"pane": PANE,
                 "style": {"color": color, "weight": 3, "opacity": 1, "fill": False,
                           "className": f"collab-contorno collab-{layer}"}},
        "lines": {"pane": PANE, "color": color, "weight": 1.5, "opacity": 0.85, "dashArray": "4 4",
                  "className": "collab-linea"},
        "marker": {"pane": MARKER_PANE, "radius": 7, "color": "#FFFFFF", "weight": 2, "fill": True,
                   "fillColor": color, "fillOpacity": 1, "className": f"collab-capofila collab-{layer}"},
        "dashes": dict(LINE_STYLES),
    }


class _Legend(MacroElement):
    """A legend control that lives as a layer of its group: it leaves with the group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (data, group) {
          function el(tag, text, cls) {
            var node = document.createElement(tag);
            if (text !== null && text !== undefined) node.textContent = String(text);
            if (cls) node.className = cls;
            return node;
          }
          function swatch(color, dash) {
            var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
            svg.setAttribute("width", "26"); svg.setAttribute("height", "10");
            var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
            line.setAttribute("x1", "1"); line.setAttribute("y1", "5");
            line.setAttribute("x2", "25"); line.setAttribute("y2", "5");
            line.setAttribute("stroke", color); line.setAttribute("stroke-width", "3");
            if (dash) line.setAttribute("stroke-dasharray", dash);
            svg.appendChild(line);
            return svg;
          }
          var Legend = L.Layer.extend({
            onAdd: function (map) {
              var control = L.control({position: "topright"});
              control.onAdd = function () {
                var box = el("div", null, "collab-legend");
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                box.appendChild(el("div", "Collaborazioni", "collab-legend-title"));
                data.layers.forEach(function (layer) {
                  var head = el("div", null, "collab-legend-layer");
                  head.appendChild(swatch(layer.color, null));
                  head.appendChild(el("span", layer.label));
                  box.appendChild(head);
                  if (!layer.names.length) box.appendChild(el("div", "nessuna", "collab-legend-item"));
                  layer.names.forEach(function (name) { box.appendChild(el("div", name, "collab-legend-item")); });
                });
                var key = el("div", null, "collab-legend-key");
                data.styles.forEach(function (s) {
                  var row = el("div");
                  row.appendChild(swatch("#333333", s.dash));
                  row.appendChild(el("span", s.label));
                  key.appendChild(row);
                });
                key.appendChild(el("div", "● capofila, linee verso i membri"));
                box.appendChild(key);
                return box;
              };
              this._control = control.addTo(map);
              if (!document.getElementById("collab-css")) {
                var css = el("style", {{ this.css|tojson }});
                css.id = "collab-css";
                document.head.appendChild(css);
              }
            },
            onRemove: function (map) { map.removeControl(this._control); }
          });
          group.addLayer(new Legend());
        })({{ this.data|tojson }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    css = (
        ".collab-legend{background:rgba(255,255,255,.94);padding:6px 10px;border-radius:4px;"
        "font:13px/1.35 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:300px;"
        "max-height:340px;overflow:auto}"
        ".collab-legend-title{font-weight:bold;margin-bottom:2px}"
        ".collab-legend-layer{font-weight:bold;margin-top:4px}"
        ".collab-legend-layer svg,.collab-legend-key svg{margin-right:6px;vertical-align:middle}"
        ".collab-legend-item{margin-left:32px}"
        ".collab-legend-key{margin-top:6px;border-top:1px solid #ccc;padding-top:4px;color:#333}"
        ".collab-tip{font:13px/1.35 sans-serif;max-width:360px;white-space:normal}"
    )

    def __init__(self, data: Mapping):
        super().__init__()
        self._name = "CollabLegend"
        self.data = dict(data)


class _Pane(MacroElement):
    """Creates :data:`PANE` and :data:`MARKER_PANE` when its group reaches the map.

    It is the group's first layer, and Leaflet adds a group's layers in insertion
    order, so the pane exists before any path is put in it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.addLayer(new (L.Layer.extend({
          onAdd: function (map) {
            {{ this.panes|tojson }}.forEach(function (spec) {
              if (!map.getPane(spec[0])) map.createPane(spec[0]).style.zIndex = spec[1];
            });
          },
          onRemove: function () {}
        }))());
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CollabPane"
        self.panes = [[PANE, PANE_Z_INDEX], [MARKER_PANE, MARKER_PANE_Z_INDEX]]


def overlay_group(name: str) -> folium.FeatureGroup:
    """An empty feature group whose layers go to the collaborations' pane."""
    group = folium.FeatureGroup(name=name, control=False)
    _Pane().add_to(group)
    return group


def collaboration_layers(data: Sequence[Mapping], layers: Iterable[str]) -> list[folium.FeatureGroup]:
    """Feature groups for ``st_folium(feature_group_to_add=...)``.

    Parameters
    ----------
    data : sequence of dict
        Output of :func:`overlay_data`.
    layers : iterable of str
        Keys of :data:`LAYERS` switched on, in display order.

    Returns
    -------
    list of folium.FeatureGroup
        One group per layer (its collaborations inside), then a legend group;
        empty when no layer is on.
    """
    layers = [key for key in LAYERS if key in set(layers)]
    groups, legend = [], []
    for key in layers:
        group = overlay_group(f"collaborazioni {LAYER_LABELS[key]}")
        items = [item for item in data if key in item["layers"]]
        _LayerDrawing(items, layer_options(key)).add_to(group)
        groups.append(group)
        legend.append({"label": LAYER_LABELS[key], "color": LAYER_COLORS[key],
                       "names": [item["info"]["name"] for item in items]})
    if not groups:
        return []
    legend_group = folium.FeatureGroup(name="legenda collaborazioni", control=False)
    _Legend({"layers": legend, "styles": [{"label": LINE_STYLE_LABELS[k], "dash": v}
                                          for k, v in LINE_STYLES.items()]}).add_to(legend_group)
    return groups + [legend_group]

