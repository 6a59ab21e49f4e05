// Overlays: plain data built in Python (GeoJSON and style options, see
// map_component/README.md), drawn here. Each rerun sends the list of overlays on
// the map; one whose data did not change stays as it is, a changed one is drawn
// again, a missing one is removed. Nothing reloads the map.
//
// A kind is registered with PBOverlays.register(kind, draw): draw(map, spec)
// draws it and returns a function that removes it.
window.PBOverlays = (function () {
  var kinds = {};
  var shown = {};  // overlay id -> {text: its data as JSON, remove: function}

  function register(kind, draw) { kinds[kind] = draw; }

  function update(map, specs) {
    var wanted = {};
    (specs || []).forEach(function (spec) {
      var text = JSON.stringify(spec);
      wanted[spec.id] = true;
      var current = shown[spec.id];
      if (current && current.text === text) return;
      if (current) current.remove();
      var draw = kinds[spec.kind];
      shown[spec.id] = {text: text, remove: draw ? draw(map, spec) : function () {}};
    });
    Object.keys(shown).forEach(function (id) {
      if (wanted[id]) return;
      shown[id].remove();
      delete shown[id];
    });
  }

  // Panes above the comuni (overlayPane is 400): the comuni are brought to the
  // front when restyled, which would otherwise hide the outlines.
  function ensurePanes(map, panes) {
    (panes || []).forEach(function (spec) {
      if (!map.getPane(spec[0])) map.createPane(spec[0]).style.zIndex = String(spec[1]);
    });
  }

  function textBox(cls, title, rows) {
    var box = PB.el("div", null, cls);
    box.appendChild(PB.el("b", title));
    rows.forEach(function (text) { box.appendChild(PB.el("div", text)); });
    return box;
  }

  return {register: register, update: update, ensurePanes: ensurePanes, textBox: textBox};
})();

// Choosing a collaboration's members: every click on the map is a "pick" event;
// the members chosen so far are outlined.
PBOverlays.register("pick", function (map, spec) {
  PBOverlays.ensurePanes(map, spec.panes);
  var group = L.featureGroup();
  if (spec.outline) {
    L.geoJSON(spec.outline, {pane: spec.pane, interactive: false, style: spec.style}).addTo(group);
  }
  group.addTo(map);
  function onClick(e) { PB.send({event: "pick", lat: e.latlng.lat, lng: e.latlng.lng}); }
  map.on("click", onClick);
  map.getContainer().classList.add("collab-picking");
  return function () {
    map.off("click", onClick);
    map.getContainer().classList.remove("collab-picking");
    group.remove();
  };
});

// The projector: a larger legend and scale, and the presentation keys handed to the page
// even when the map has the focus. The map lives in its own frame, so neither the
// page's CSS nor its keyboard shortcuts reach inside it: after a click on the map,
// the arrows would pan the map instead of changing scenario. Streamlit's shortcut
// handler reads "keyCode", so it is set on the copy.
PBOverlays.register("presentation", function (map, spec) {
  var px = Number(spec.fontPx) || 22;
  var css = document.createElement("style");
  css.textContent = ".pb-legend{font-size:" + px + "px !important;max-width:520px !important;" +
    "padding:10px 14px !important}.pb-swatch{width:" + px + "px !important;height:" + px + "px !important}" +
    ".leaflet-control-scale-line{font-size:" + Math.round(0.75 * px) + "px !important}";  // read from the back
  document.head.appendChild(css);
  PBLegendFit.always = true;  // each plan fitted beside its (larger) legend
  PBLegendFit.apply(map);
  var codes = spec.keys || {};
  function forward(event) {
    if (!Object.prototype.hasOwnProperty.call(codes, event.key) || event.ctrlKey || event.metaKey ||
        event.altKey) return;
    if (event.target && event.target.tagName === "INPUT") return;  // typing in the map's search box
    // Capture phase on the frame's document: Leaflet never sees the key (no panning).
    event.stopPropagation();
    event.preventDefault();
    try {
      var copy = new KeyboardEvent(event.type, {key: event.key, code: event.code, bubbles: true, cancelable: true});
      Object.defineProperty(copy, "keyCode", {get: function () { return codes[event.key]; }});
      Object.defineProperty(copy, "which", {get: function () { return codes[event.key]; }});
      window.parent.document.dispatchEvent(copy);
    } catch (err) { /* page of another origin: keys stay in the map */ }
  }
  document.addEventListener("keydown", forward, true);
  document.addEventListener("keyup", forward, true);
  return function () {
    document.removeEventListener("keydown", forward, true);
    document.removeEventListener("keyup", forward, true);
    PBLegendFit.always = false;
    css.remove();
  };
});
