// Touch screens (workshop tablets and phones): nothing needs a mouse hovering.
// - A tap on a comune assigns it, as a click does (Leaflet turns the tap into a
//   click), and opens its information box (Leaflet opens a tooltip on click too);
//   the box is refreshed after the click so it names the comune's new zone, and
//   on a touch screen opened again when the server's state arrives (redrawing the
//   comuni closes it, and no hover opens it again).
// - A long press (or a right click) only shows the information box, without
//   changing the plan: the way to read a comune on a tablet. Leaflet's tapHold
//   turns the long press into a "contextmenu" event and swallows the click.
// - Pinch zooms: Leaflet's touchZoom, kept on.
// - The zoom buttons and the drawing tools grow to 45 px, for a finger (CSS zoom
//   keeps the tool icons, which are sprites, in proportion).
window.PBTouch = (function () {
  var REOPEN_MS = 3000;  // after a tap, the state that confirms it reopens the box
  var touch = {last: null};

  touch.isTouch = function () {
    return (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) || navigator.maxTouchPoints > 0;
  };

  function showInfo(layer) {
    return function (e) {
      if (e.originalEvent) L.DomEvent.preventDefault(e.originalEvent);  // no browser menu
      layer.openTooltip(e.latlng);
    };
  }

  function reopen(layer, latlng) {
    layer.openTooltip(latlng);
    layer.getTooltip().update();  // its content is a function of the current state
  }

  function refreshInfo(layer) {
    return function (e) {
      touch.last = {layer: layer, latlng: e.latlng, at: Date.now()};
      setTimeout(function () {
        if (layer.isTooltipOpen() || document.body.classList.contains("pb-touch")) reopen(layer, e.latlng);
      }, 0);
    };
  }

  PB.hooks.apply.push(function () {
    var last = touch.last;
    if (!last || !document.body.classList.contains("pb-touch") || Date.now() - last.at > REOPEN_MS) return;
    setTimeout(function () { reopen(last.layer, last.latlng); }, 0);
  });

  PB.hooks.init.push(function (map) {
    Object.keys(PB.layers).forEach(function (code) {
      var layer = PB.layers[code];
      layer.on("contextmenu", showInfo(layer));
      layer.on("click", refreshInfo(layer));
    });
    if (!touch.isTouch()) return;
    document.body.classList.add("pb-touch");
    if (map.tapHold) map.tapHold.enable();
    if (map.touchZoom) map.touchZoom.enable();
  });

  return touch;
})();
