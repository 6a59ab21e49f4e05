// Comune names on the map (geo/render/map_labels.py).
//
// Each comune's feature carries its label point "l" ([lat, lng], the centre of the
// largest circle inside it) and that circle's radius "r" (metres). After every zoom
// or pan, and after every state, the names are written again: a name is written
// when it fits inside its comune at this zoom and does not cover a name already
// written (the area's comuni first, the larger ones first; then the grey context,
// smaller and grey). With the "labels" overlay in mode "all" (the projector) every
// comune of the area is named: a name that would cover another moves above or below
// it, or gets smaller. Names live in their own pane with pointer-events: none, so a
// click always reaches the comune under them; text goes in with textContent.
window.PBLabels = (function () {
  var AREA_PX = 12, CONTEXT_PX = 11, MIN_PX = 9, ALL_PX = 14, PAD = 2;  // ALL_PX: the projector's names
  var state = {map: null, box: null, items: [], mode: "fit", frame: null};
  var widths = {}, ruler = document.createElement("canvas").getContext("2d");

  function width(text, px) {
    var key = px + "|" + text;
    if (widths[key] === undefined) {
      ruler.font = "600 " + px + "px sans-serif";
      widths[key] = ruler.measureText(text).width;
    }
    return widths[key];
  }

  function collides(rect, placed) {
    for (var i = 0; i < placed.length; i++) {
      var o = placed[i];
      if (rect[0] < o[0] + o[2] + PAD && o[0] < rect[0] + rect[2] + PAD &&
          rect[1] < o[1] + o[3] && o[1] < rect[1] + rect[3]) return true;
    }
    return false;
  }

  function rectAt(point, w, h, dy) { return [point.x - w / 2, point.y - h / 2 + dy, w, h]; }

  // The map's controls (zoom, drawing, search, legend, scale) as boxes in layer
  // coordinates: no name is written under them.
  function controlBoxes(map) {
    var outer = map.getContainer().getBoundingClientRect();
    return Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"), function (node) {
      var r = node.getBoundingClientRect();
      var corner = map.containerPointToLayerPoint([r.left - outer.left, r.top - outer.top]);
      return [corner.x, corner.y, r.width, r.height];
    });
  }

  // Inside the map's frame, a few pixels from its edges: a name is never cut.
  function inside(map, rect) {
    var size = map.getSize(), corner = map.layerPointToContainerPoint([rect[0], rect[1]]);
    return corner.x >= 3 && corner.y >= 3 && corner.x + rect[2] <= size.x - 3 && corner.y + rect[3] <= size.y - 3;
  }

  // Where the name of an area comune goes in mode "all": in place, else just above
  // or below, else smaller; if nothing is free, in place anyway (every name is shown).
  function forcedRect(item, point, placed) {
    for (var px = ALL_PX; px >= MIN_PX; px--) {
      var w = width(item.name, px), h = px * 1.2;
      var tries = [0, -h, h, -2 * h, 2 * h];
      for (var t = 0; t < tries.length; t++) {
        var rect = rectAt(point, w, h, tries[t]);
        if (!collides(rect, placed) && inside(state.map, rect)) return {rect: rect, px: px};
      }
    }
    return {rect: rectAt(point, width(item.name, MIN_PX), MIN_PX * 1.2, 0), px: MIN_PX};
  }

  function draw() {
    state.frame = null;
    var map = state.map, box = state.box;
    if (!map) return;
    box.textContent = "";
    var view = map.getBounds().pad(0.05), zoom = map.getZoom();
    var metresPerPixel = 40075016.686 * Math.cos(map.getCenter().lat * Math.PI / 180) / Math.pow(2, zoom + 8);
    var visible = state.items.filter(function (item) { return view.contains(item.latlng); });
    visible.forEach(function (item) { item.inArea = PB.inArea(item.code); });
    visible.sort(function (a, b) { return (b.inArea - a.inArea) || (b.r - a.r) || (b.pop - a.pop); });
    var placed = controlBoxes(map), shown = 0;
    visible.forEach(function (item) {
      var point = map.latLngToLayerPoint(item.latlng), px = item.inArea ? AREA_PX : CONTEXT_PX;
      var room = 2.3 * item.r / metresPerPixel, spot = null;
      if (state.mode === "all" && item.inArea) {
        spot = forcedRect(item, point, placed);
      } else if (room >= px * 3) {
        var w = width(item.name, px), h = px * 1.2;
        var rect = rectAt(point, w, h, 0);
        if (w <= room && h <= room && !collides(rect, placed) && inside(map, rect)) spot = {rect: rect, px: px};
      }
      if (!spot) return;
      placed.push(spot.rect);
      var label = PB.el("div", item.name, item.inArea ? "pb-label" : "pb-label pb-label-context");
      label.style.left = spot.rect[0] + "px";
      label.style.top = spot.rect[1] + "px";
      label.style.fontSize = spot.px + "px";
      label.setAttribute("data-code", item.code);
      box.appendChild(label);
      shown += 1;
    });
    map.getContainer().setAttribute("data-pb-labels", String(shown));
  }

  // A timer rather than requestAnimationFrame: Chromium pauses animation frames in a
  // frame scrolled out of view, and the names must be right when it comes back.
  function schedule() {
    if (state.frame === null) state.frame = window.setTimeout(draw, 20);
  }

  function init(map) {
    state.map = map;
    var pane = map.createPane("pb-labels");
    pane.style.zIndex = "640";  // above the comuni, outlines and search highlight, below the controls
    pane.style.pointerEvents = "none";
    state.box = L.DomUtil.create("div", "pb-labels", pane);
    Object.keys(PB.layers).forEach(function (code) {
      var p = PB.layers[code].feature.properties;
      if (!p.l) return;
      state.items.push({code: code, name: p.n, latlng: L.latLng(p.l[0], p.l[1]), r: p.r || 0, pop: p.p || 0});
    });
    // Written in layer coordinates: they follow a pan by themselves; hidden while
    // a zoom animates, written again when it ends.
    map.on("zoomstart", function () { state.box.style.display = "none"; });
    map.on("zoomend moveend resize", function () { state.box.style.display = ""; schedule(); });
  }

  PB.hooks.init.push(init);
  PB.hooks.apply.push(schedule);

  // The projector's overlay: every name of the area while it is on the map.
  PBOverlays.register("labels", function (map, spec) {
    state.mode = spec.mode === "all" ? "all" : "fit";
    schedule();
    return function () { state.mode = "fit"; schedule(); };
  });

  return {redraw: schedule};
})();
