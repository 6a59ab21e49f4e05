// Browser side of the comuni map. Loaded once with the base map; every rerun of the
// page only sends a small state object to PB.apply (zone colours, active zone,
// mode), so the map is never rebuilt: no blank flash, no change of zoom.
// User text (zone and comune names) is always inserted with textContent, never as HTML.
window.PB = window.PB || (function () {
  var pb = {map: null, area: {}, context: {}, state: null, legend: null};

  function fmt(n) { return Number(n).toLocaleString("it-IT"); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function zoneOf(code) {
    var s = pb.state;
    return s && s.assign ? s.assign[code] : undefined;
  }

  function areaStyle(code) {
    var s = pb.state || {};
    var zid = zoneOf(code);
    var zone = zid && s.zones ? s.zones[zid] : null;
    var highlighted = s.highlight && s.highlight.indexOf(code) >= 0;
    var pending = pb.pending && pb.pending[code];
    return {
      className: "comune-area",
      color: highlighted ? "#D00000" : (pending ? "#000000" : "#333333"),
      weight: highlighted ? 4 : (pending ? 3 : 1),
      dashArray: pending ? "6 4" : null,
      fillColor: zone ? zone.color : (s.unassignedColor || "#FFFFFF"),
      fillOpacity: zone ? 0.72 : 0.35,
      opacity: 1
    };
  }

  function contextStyle(code) {
    var s = pb.state || {};
    var editable = s.mode === "area";
    var pending = pb.pending && pb.pending[code];
    return {
      className: "comune-contesto",
      color: pending ? "#000000" : "#9A9A9A",
      weight: pending ? 3 : 0.6,
      dashArray: pending ? "6 4" : null,
      fillColor: pending ? "#FFD54F" : (editable ? "#D8D8D8" : "#E4E4E4"),
      fillOpacity: editable ? 0.8 : 0.6,
      opacity: 1
    };
  }

  function tooltip(feature) {
    var p = feature.properties, s = pb.state || {};
    var box = el("div", null, "pb-tip");
    box.appendChild(el("b", p.n));
    box.appendChild(el("div", "Codice ISTAT: " + p.c));
    box.appendChild(el("div", "Residenti: " + fmt(p.p)));
    if (p.k === "area") {
      var zid = zoneOf(p.c);
      var zone = zid && s.zones ? s.zones[zid] : null;
      box.appendChild(el("div", "Zona: " + (zone ? zone.name : "non assegnato")));
    } else {
      box.appendChild(el("div", "Fuori dall'area vasta (" + p.pr + ")"));
    }
    return box;
  }

  // Optimistic update: the colour changes in the browser at once, the server's
  // statistics follow. The server applies the same rules, so both agree.
  function onAreaClick(feature, layer) {
    var s = pb.state;
    if (!s) return;
    var code = feature.properties.c;
    if (s.mode === "zone" && s.active && s.zones[s.active]) {
      var current = zoneOf(code);
      var locked = s.zones[s.active].locked || (current && s.zones[current] && s.zones[current].locked);
      if (!locked && current !== s.active) {
        s.assign[code] = s.active;
        layer.setStyle(areaStyle(code));
        updateLegend();
      }
    } else if (s.mode === "area") {
      pb.pending = pb.pending || {};
      pb.pending[code] = true;
      layer.setStyle(areaStyle(code));
    }
  }

  function onContextClick(feature, layer) {
    var s = pb.state;
    if (!s || s.mode !== "area") return;
    pb.pending = pb.pending || {};
    pb.pending[feature.properties.c] = true;
    layer.setStyle(contextStyle(feature.properties.c));
  }

  function updateLegend() {
    if (!pb.legend) return;
    var s = pb.state || {}, box = pb.legend;
    box.innerHTML = "";
    if (!s.zones || !s.order || !s.order.length) { box.style.display = "none"; return; }
    box.style.display = "";
    var residents = {}, unassigned = 0;
    Object.keys(pb.area).forEach(function (code) {
      var zid = zoneOf(code), pop = pb.area[code].feature.properties.p;
      if (zid && s.zones[zid]) residents[zid] = (residents[zid] || 0) + pop; else unassigned += pop;
    });
    box.appendChild(el("div", "Zone omogenee (residenti)", "pb-legend-title"));
    s.order.forEach(function (zid) {
      var z = s.zones[zid], row = el("div", null, "pb-legend-row");
      var swatch = el("span", null, "pb-swatch");
      swatch.style.background = z.color;
      row.appendChild(swatch);
      row.appendChild(el("span", z.name + (z.locked ? " \uD83D\uDD12" : "") + ": " + fmt(residents[zid] || 0)));
      row.setAttribute("data-zone", zid);
      row.setAttribute("data-residents", String(residents[zid] || 0));
      box.appendChild(row);
    });
    if (unassigned > 0) {
      var row = el("div", null, "pb-legend-row");
      var sw = el("span", null, "pb-swatch");
      sw.style.background = s.unassignedColor || "#FFFFFF";
      row.appendChild(sw);
      row.appendChild(el("span", "Non assegnati: " + fmt(unassigned)));
      box.appendChild(row);
    }
  }

  function addLegend(map) {
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "pb-legend");
        L.DomEvent.disableClickPropagation(box);
        pb.legend = box;
        return box;
      }
    });
    new Legend().addTo(map);
    var css = document.createElement("style");
    css.textContent =
      ".pb-legend{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;" +
      "font:14px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:320px}" +
      ".pb-legend-title{font-weight:bold;margin-bottom:2px}" +
      ".pb-swatch{display:inline-block;width:14px;height:14px;margin-right:6px;" +
      "vertical-align:-2px;border:1px solid #333}" +
      ".pb-tip{font:13px/1.35 sans-serif}";
    document.head.appendChild(css);
  }

  pb.init = function (map, areaGeojson, contextGeojson, attribution) {
    pb.map = map;
    pb.area = {};
    pb.context = {};
    pb.pending = {};
    L.geoJSON(contextGeojson, {
      style: function (f) { return contextStyle(f.properties.c); },
      onEachFeature: function (f, layer) {
        pb.context[f.properties.c] = layer;
        layer.bindTooltip(function () { return tooltip(f); }, {sticky: true});
        layer.on("click", function () { onContextClick(f, layer); });
      }
    }).addTo(map);
    L.geoJSON(areaGeojson, {
      style: function (f) { return areaStyle(f.properties.c); },
      onEachFeature: function (f, layer) {
        pb.area[f.properties.c] = layer;
        layer.bindTooltip(function () { return tooltip(f); }, {sticky: true});
        layer.on("click", function () { onAreaClick(f, layer); });
      }
    }).addTo(map);
    if (attribution) map.attributionControl.addAttribution(attribution);
    addLegend(map);
    if (pb.state) pb.apply(pb.state);
  };

  pb.apply = function (state) {
    pb.state = state;
    pb.pending = {};
    Object.keys(pb.area).forEach(function (c) { pb.area[c].setStyle(areaStyle(c)); });
    Object.keys(pb.context).forEach(function (c) { pb.context[c].setStyle(contextStyle(c)); });
    updateLegend();
    if (pb.map) pb.map.getContainer().setAttribute("data-pb-version", String(state.version || 0));
  };

  // Zoom to a set of comuni (warnings in the editor); called only on request.
  pb.zoomTo = function (codes) {
    var bounds = null;
    codes.forEach(function (c) {
      var layer = pb.area[c] || pb.context[c];
      if (!layer) return;
      bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
    });
    if (bounds && pb.map) pb.map.fitBounds(bounds, {maxZoom: 12, padding: [30, 30]});
  };

  return pb;
})();
