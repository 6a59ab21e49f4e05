// The zone legend never covers a comune of the area: the area's comuni are fitted
// into the part of the map the legend leaves free (the legend sits at the bottom
// right; the area goes to its left or above it, whichever shows it larger).
// Every map is fitted so once, on its first state; the projector (the
// "presentation" overlay sets PBLegendFit.always) again on every new plan, whose
// legend may be wider, and whenever the map changes size.
window.PBLegendFit = (function () {
  var MARGIN = 12;          // pixels between the area and the legend or the map's edge
  var TOP_LEFT = [52, 12];  // clear of the zoom buttons
  var fit = {always: false, done: false};

  function areaBounds() {
    var bounds = null, state = PB.state || {};
    (state.area || []).forEach(function (code) {
      var layer = PB.layers[code];
      if (!layer) return;
      var b = layer.getBounds();
      bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    });
    return bounds;
  }

  fit.apply = function (map) {
    var bounds = areaBounds();
    if (!map || !bounds) return;
    var legend = PB.legend, shown = legend && legend.style.display !== "none";
    var w = shown ? legend.offsetWidth + 2 * MARGIN : MARGIN, h = shown ? legend.offsetHeight + 2 * MARGIN : MARGIN;
    var beside = {paddingTopLeft: TOP_LEFT, paddingBottomRight: [w, MARGIN]};
    var above = {paddingTopLeft: TOP_LEFT, paddingBottomRight: [MARGIN, h]};
    function zoom(o) {
      return map.getBoundsZoom(bounds, false, L.point(o.paddingTopLeft).add(o.paddingBottomRight));
    }
    // Without animation: it is where the map starts (or the projector's new plan), and a
    // zoom animation in flight makes Leaflet drop any other zoom asked meanwhile (a
    // search, a "Mostra sulla mappa") until it ends.
    var options = zoom(beside) >= zoom(above) ? beside : above;
    options.animate = false;
    map.fitBounds(bounds, options);
  };

  PB.hooks.fit.push(function (map) {
    if (fit.done && !fit.always) return;
    fit.done = true;
    fit.apply(map);
  });

  PB.hooks.init.push(function (map) {
    map.on("resize", function () { if (fit.always) fit.apply(map); });
  });

  return fit;
})();
