// Browser side of the comuni map.
//
// The base map (every shipped comune, this library) is loaded once; each rerun of
// the page only sends a small state object to PB.apply (who is in the area, zone
// colours, active zone, mode), so the map is never rebuilt: no blank flash and no
// change of zoom. Clicks and drawn shapes are reported to Python at once through
// Streamlit's component message (streamlit-folium's own channel is debounced by
// 250 ms), after the colour has already changed here.
// User text (zone and comune names) is always inserted with textContent, never as HTML.
window.PB = window.PB || (function () {
  var pb = {map: null, layers: {}, state: null, legend: null, pending: {}, seq: 0,
            zoomNonce: null, drawn: null};

  function fmt(n) { return Number(n).toLocaleString("it-IT"); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function send(payload) {
    pb.seq += 1;
    payload.seq = Date.now() * 1000 + pb.seq;  // unique across reloads of the iframe
    window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                               value: {pb: payload}, dataType: "json"}, "*");
  }

  function inArea(code) { return !!(pb.state && pb.state.areaSet && pb.state.areaSet[code]); }

  function zoneOf(code) {
    var s = pb.state;
    return s && s.assign ? s.assign[code] : undefined;
  }

  function styleOf(code) {
    var s = pb.state || {};
    var pending = !!pb.pending[code];
    if (!inArea(code)) {
      var editable = s.mode === "area";
      return {
        color: pending ? "#000000" : "#9A9A9A",
        weight: pending ? 3 : 0.6,
        dashArray: pending ? "6 4" : null,
        fillColor: pending ? "#FFD54F" : (editable ? "#D0D0D0" : "#E4E4E4"),
        fillOpacity: editable ? 0.85 : 0.6,
        opacity: 1
      };
    }
    var zid = zoneOf(code);
    var zone = zid && s.zones ? s.zones[zid] : null;
    var highlighted = s.highlight && s.highlight.indexOf(code) >= 0;
    return {
      color: highlighted ? "#D00000" : (pending ? "#000000" : "#333333"),
      weight: highlighted ? 4 : (pending ? 3 : 1),
      dashArray: pending ? "6 4" : null,
      fillColor: zone ? zone.color : (s.unassignedColor || "#FFFFFF"),
      fillOpacity: zone ? 0.72 : 0.35,
      opacity: 1
    };
  }

  function restyle(code) {
    var layer = pb.layers[code];
    if (!layer) return;
    layer.setStyle(styleOf(code));
    var path = layer.getElement && layer.getElement();
    if (path) {
      var member = inArea(code);
      path.classList.toggle("comune-area", member);
      path.classList.toggle("comune-contesto", !member);
      path.setAttribute("data-code", code);
    }
    if (inArea(code)) layer.bringToFront();
  }

  function tooltip(feature) {
    var p = feature.properties, s = pb.state || {};
    var box = el("div", null, "pb-tip");
    box.appendChild(el("b", p.n));
    box.appendChild(el("div", "Codice ISTAT: " + p.c));
    box.appendChild(el("div", "Residenti: " + fmt(p.p)));
    if (inArea(p.c)) {
      var zid = zoneOf(p.c);
      var zone = zid && s.zones ? s.zones[zid] : null;
      box.appendChild(el("div", "Zona: " + (zone ? zone.name : "non assegnato")));
    } else {
      box.appendChild(el("div", "Fuori dall'area vasta (" + p.pr + ")"));
    }
    if (s.mode === "area" && s.canEditArea) {
      box.appendChild(el("i", inArea(p.c) ? "Clic: togli dall'area vasta" : "Clic: aggiungi all'area vasta"));
    }
    return box;
  }

  // Optimistic update: the colour changes here at once and the server, which
  // applies the same rules (locks included), confirms with the next state.
  function onClick(feature) {
    var s = pb.state;
    if (!s) return;
    var code = feature.properties.c;
    if (s.mode === "zone" && inArea(code) && s.active && s.zones[s.active]) {
      var current = zoneOf(code);
      var locked = s.zones[s.active].locked || (current && s.zones[current] && s.zones[current].locked);
      if (locked || current === s.active) return;
      s.assign[code] = s.active;
      restyle(code);
      updateLegend();
      send({action: "assign", code: code, zone: s.active});
    } else if (s.mode === "area" && s.canEditArea) {
      pb.pending[code] = true;
      restyle(code);
      send({action: inArea(code) ? "area_remove" : "area_add", code: code});
    }
  }

  function updateLegend() {
    if (!pb.legend) return;
    var s = pb.state || {}, box = pb.legend;
    box.innerHTML = "";
    if (!s.zones || !s.order || !s.order.length) { box.style.display = "none"; return; }
    box.style.display = "";
    var residents = {}, unassigned = 0, nUnassigned = 0;
    Object.keys(pb.layers).forEach(function (code) {
      if (!inArea(code)) return;
      var zid = zoneOf(code), pop = pb.layers[code].feature.properties.p;
      if (zid && s.zones[zid]) residents[zid] = (residents[zid] || 0) + pop;
      else { unassigned += pop; nUnassigned += 1; }
    });
    box.appendChild(el("div", "Zone omogenee (residenti)", "pb-legend-title"));
    s.order.forEach(function (zid) {
      var z = s.zones[zid], row = el("div", null, "pb-legend-row");
      var swatch = el("span", null, "pb-swatch");
      swatch.style.background = z.color;
      row.appendChild(swatch);
      row.appendChild(el("span", z.name + (z.locked ? " (bloccata)" : "") + ": " + fmt(residents[zid] || 0)));
      row.setAttribute("data-zone", zid);
      row.setAttribute("data-residents", String(residents[zid] || 0));
      if (zid === s.active && s.mode === "zone") row.classList.add("pb-active");
      box.appendChild(row);
    });
    if (nUnassigned > 0) {
      var row = el("div", null, "pb-legend-row");
      var sw = el("span", null, "pb-swatch");
      sw.style.background = s.unassignedColor || "#FFFFFF";
      row.appendChild(sw);
      row.appendChild(el("span", "Non assegnati (" + nUnassigned + "): " + fmt(unassigned)));
      row.setAttribute("data-zone", "");
      row.setAttribute("data-residents", String(unassigned));
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
      // pointer-events: none: the legend only informs, and clicks reach the comuni under it.
      ".pb-legend{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;pointer-events:none;" +
      "font:14px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:340px}" +
      ".pb-legend-title{font-weight:bold;margin-bottom:2px}" +
      ".pb-legend-row.pb-active{font-weight:bold;text-decoration:underline}" +
      ".pb-swatch{display:inline-block;width:14px;height:14px;margin-right:6px;" +
      "vertical-align:-2px;border:1px solid #333}" +
      ".pb-tip{font:13px/1.35 sans-serif}";
    document.head.appendChild(css);
  }

  function italianDraw() {
    if (!L.drawLocal) return;
    var d = L.drawLocal.draw;
    d.toolbar.actions = {title: "Annulla il disegno", text: "Annulla"};
    d.toolbar.finish = {title: "Termina il disegno", text: "Fine"};
    d.toolbar.undo = {title: "Togli l'ultimo punto", text: "Togli ultimo punto"};
    d.toolbar.buttons.polygon = "Disegna un poligono: i comuni con il punto interno dentro vanno alla zona attiva";
    d.toolbar.buttons.rectangle = "Disegna un rettangolo: i comuni con il punto interno dentro vanno alla zona attiva";
    d.handlers.polygon.tooltip = {start: "Clic per iniziare il poligono.",
      cont: "Clic per continuare il poligono.", end: "Clic sul primo punto per chiudere."};
    d.handlers.rectangle.tooltip = {start: "Clic e trascina per disegnare un rettangolo."};
    d.handlers.simpleshape.tooltip = {end: "Rilascia il mouse per terminare."};
  }

  function addDrawing(map) {
    if (!L.Control || !L.Control.Draw) return;
    italianDraw();
    pb.drawn = new L.FeatureGroup().addTo(map);
    var shape = {color: "#000000", weight: 2, dashArray: "6 4", fillOpacity: 0.08};
    map.addControl(new L.Control.Draw({
      position: "topleft",
      draw: {polyline: false, circle: false, marker: false, circlemarker: false,
             polygon: {allowIntersection: false, shapeOptions: shape}, rectangle: {shapeOptions: shape}},
      edit: false
    }));
    map.on(L.Draw.Event.CREATED, function (e) {
      pb.drawn.clearLayers();
      pb.drawn.addLayer(e.layer);
      send({action: "draw", geometry: e.layer.toGeoJSON().geometry});
    });
  }

  // comuni: a GeoJSON FeatureCollection, or the URL of one (fetched once, cached).
  // Leaflet focuses the map on mousedown so the keyboard can pan it. Inside the
  // Streamlit iframe that focus scrolls the *page* to show the whole map, the map
  // moves under the pointer between mousedown and mouseup, and the click on a comune
  // is lost (seen: the first click on the editor did nothing). Focus without scrolling.
  function focusWithoutScrolling(map) {
    var keyboard = map.keyboard;
    if (!keyboard || !keyboard.enabled()) return;
    keyboard.disable();
    keyboard._onMouseDown = function () {
      if (!this._focused) this._map._container.focus({preventScroll: true});
    };
    keyboard.enable();
  }

  pb.init = function (map, comuni, attribution, drawing) {
    pb.map = map;
    focusWithoutScrolling(map);
    pb.layers = {};
    pb.pending = {};
    if (attribution) map.attributionControl.addAttribution(attribution);
    addLegend(map);
    if (drawing) addDrawing(map);
    if (typeof comuni === "string") {
      fetch(comuni).then(function (r) { return r.json(); }).then(function (data) { addComuni(map, data); });
    } else {
      addComuni(map, comuni);
    }
  };

  function addComuni(map, comuniGeojson) {
    L.geoJSON(comuniGeojson, {
      style: function (f) { return styleOf(f.properties.c); },
      onEachFeature: function (f, layer) {
        pb.layers[f.properties.c] = layer;
        layer.bindTooltip(function () { return tooltip(f); }, {sticky: true});
        layer.on("click", function () { onClick(f); });
      }
    }).addTo(map);
    if (pb.state) pb.apply(pb.state);
  }

  pb.apply = function (state) {
    state.areaSet = {};
    (state.area || []).forEach(function (c) { state.areaSet[c] = true; });
    pb.state = state;
    pb.pending = {};
    Object.keys(pb.layers).forEach(restyle);
    updateLegend();
    if (pb.drawn && !state.keepDrawing) pb.drawn.clearLayers();
    if (state.zoom && state.zoom.nonce !== pb.zoomNonce) {
      pb.zoomNonce = state.zoom.nonce;
      pb.zoomTo(state.zoom.codes);
    }
    if (pb.map) pb.map.getContainer().setAttribute("data-pb-version", String(state.version || 0));
  };

  pb.zoomTo = function (codes) {
    var bounds = null;
    codes.forEach(function (c) {
      var layer = pb.layers[c];
      if (!layer) return;
      var b = layer.getBounds();
      bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    if (bounds && pb.map) pb.map.fitBounds(bounds, {maxZoom: 12, padding: [40, 40]});
  };

  return pb;
})();
