// The comuni of folium's base map, coloured by the plan.
//
// The base map (every shipped comune, drawn by folium) is loaded once; each rerun
// of the page only sends a small state object to PB.apply (who is in the area,
// zone colours, active zone, mode), so the map is never rebuilt: no blank flash
// and no change of zoom. Clicks and drawn shapes are sent to Python at once
// (PB.send: the component's value, see map_component/events.py for the schema),
// after the colour has already changed here.
// User text (zone and comune names) is always inserted with textContent, never as HTML.
window.PB = (function () {
  var pb = {map: null, layers: {}, codeAt: [], state: null, legend: null, pending: {}, seq: 0,
            zoomNonce: null, drawn: null, changedHere: false,
            // Other files add features here: hooks.init(map) once the comuni are known;
            // hooks.fit(map) after each state is drawn and before a requested zoom (which
            // wins: legend_fit.js); hooks.apply(state) after each state is drawn (labels.js);
            // hooks.style(code, style, zone) may change an area comune's style, hooks.tooltip(code,
            // box) add lines, hooks.changed(state) runs after every state applied and every
            // optimistic click (thematic.js).
            hooks: {init: [], fit: [], apply: [], style: [], tooltip: [], changed: []}};

  function fmt(n) { return Number(n).toLocaleString("it-IT"); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  pb.el = el;

  // One event of the schema; "seq" is unique across reloads of the frame.
  pb.send = function (event) {
    pb.seq += 1;
    event.seq = Date.now() * 1000 + pb.seq;
    PBStreamlit.setValue(event);
  };

  function inArea(code) { return !!(pb.state && pb.state.areaSet && pb.state.areaSet[code]); }
  pb.inArea = inArea;

  function zoneOf(code) {
    var s = pb.state;
    return s && s.assign ? s.assign[code] : undefined;
  }
  pb.inArea = inArea;
  pb.zoneOf = zoneOf;

  function changed() { pb.hooks.changed.forEach(function (hook) { hook(pb.state); }); }

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
    var style = {
      color: highlighted ? "#D00000" : (pending ? "#000000" : "#333333"),
      weight: highlighted ? 4 : (pending ? 3 : 1),
      dashArray: pending ? "6 4" : null,
      fillColor: zone ? zone.color : (s.unassignedColor || "#FFFFFF"),
      fillOpacity: zone ? 0.72 : 0.35,
      opacity: 1
    };
    pb.hooks.style.forEach(function (hook) { style = hook(code, style, zone, highlighted || pending) || style; });
    return style;
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
    pb.hooks.tooltip.forEach(function (hook) { hook(p.c, box); });
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
      pb.changedHere = true;
      restyle(code);
      updateLegend();
      changed();
      pb.send({event: "assign", code: code, zone: s.active});
    } else if (s.mode === "area" && s.canEditArea) {
      pb.pending[code] = true;
      pb.changedHere = true;
      restyle(code);
      pb.send({event: inArea(code) ? "area_remove" : "area_add", code: code});
    }
  }

  function updateLegend() {
    if (!pb.legend) return;
    var s = pb.state || {}, box = pb.legend;
    box.textContent = "";
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
  }

  // Called before folium's map script: leaflet-draw reads these texts when it
  // builds its toolbar.
  pb.beforeMap = function () {
    if (!window.L || !L.drawLocal) return;
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
  };

  // folium's draw control keeps every shape it draws; the last one stays on the
  // map only while its preview is pending (state.keepDrawing).
  function listenToDrawing(map) {
    if (!L.Draw || !L.Draw.Event) return;
    map.on(L.Draw.Event.CREATED, function (e) {
      if (pb.drawn) pb.drawn.remove();
      pb.drawn = e.layer;
      pb.changedHere = true;  // the next state decides whether the shape stays
      pb.send(PBLimits.drawEvent(e.layer.toGeoJSON().geometry, PBLimits.maxVertices));
    });
  }

  // Leaflet focuses the map on mousedown so the keyboard can pan it. Inside the
  // Streamlit iframe that focus scrolls the *page* to show the whole map, the map
  // moves under the pointer between mousedown and mouseup, and the click on a comune
  // is lost (seen: the first click on the editor did nothing). Focus it first,
  // without scrolling, in the capture phase: Leaflet then finds it focused.
  function focusWithoutScrolling(map) {
    var container = map.getContainer();
    container.addEventListener("mousedown", function () {
      if (document.activeElement !== container) container.focus({preventScroll: true});
    }, true);
  }

  // map: folium's Leaflet map; its comuni are the layers whose feature has a code.
  pb.init = function (map) {
    pb.map = map;
    window.map = map;  // the hook tests and benchmarks read
    focusWithoutScrolling(map);
    // Leaflet's default prefix carries a national flag: on maps shown to public
    // administrations the credit is the library's name alone.
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    addLegend(map);
    listenToDrawing(map);
    map.eachLayer(function (layer) {
      var f = layer.feature;
      if (!f || !f.properties || !f.properties.c) return;
      pb.layers[f.properties.c] = layer;
      pb.codeAt[f.properties.i] = f.properties.c;  // the order packed states are written in
      layer.bindTooltip(function () { return tooltip(f); }, {sticky: true});
      layer.on("click", function () { onClick(f); });
    });
    pb.hooks.init.forEach(function (hook) { hook(map); });
  };

  pb.apply = function (state) {
    // The same state again (a rerun that changed nothing) with nothing changed
    // here since: leave the map as it is.
    if (pb.state && !pb.changedHere && state.version === pb.state.version) return;
    if (window.PBStateCodec) PBStateCodec.unpack(state, pb.codeAt);
    state.areaSet = {};
    (state.area || []).forEach(function (c) { state.areaSet[c] = true; });
    pb.state = state;
    pb.pending = {};
    pb.changedHere = false;
    Object.keys(pb.layers).forEach(restyle);
    updateLegend();
    changed();
    if (pb.drawn && !state.keepDrawing) { pb.drawn.remove(); pb.drawn = null; }
    pb.hooks.fit.forEach(function (hook) { hook(pb.map); });  // before a requested zoom, which wins
    if (state.zoom && state.zoom.nonce !== pb.zoomNonce) {
      pb.zoomNonce = state.zoom.nonce;
      pb.zoomTo(state.zoom.codes);
    }
    pb.hooks.apply.forEach(function (hook) { hook(state); });
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
