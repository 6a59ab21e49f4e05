// The map's height. A fixed number of pixels, or ("fill") the rest of the page's
// viewport below the map's top: on a projector, a laptop or a tablet the whole map
// is in view without scrolling, whatever the screen. On a narrow screen (a phone,
// where Streamlit stacks the columns) a share of the viewport is left below the
// map, so that the zone picker and the messages under it peek in.
// The frame is on the app's own origin, so it may read the page around it.
window.PBLayout = (function () {
  var NARROW_PX = 640;     // Streamlit stacks columns below this width
  var GAP_PX = 16;         // below the map on a wide screen
  var NARROW_SHARE = 0.3;  // of the viewport, below the map on a narrow screen
  var MIN_PX = 320;        // never smaller than this (a short landscape phone scrolls)
  var watching = false;

  // Top of the frame in the page, whatever the page's scroll.
  function pageTop(frame) {
    var top = frame.getBoundingClientRect().top;
    for (var node = frame.parentElement; node; node = node.parentElement) top += node.scrollTop || 0;
    return top;
  }

  function height(args) {
    var fixed = Number(args.height) || 620;
    if (!args.fill) return fixed;
    try {
      var frame = window.frameElement, host = window.parent;
      var viewport = host.innerHeight;
      var below = host.innerWidth < NARROW_PX ? Math.round(viewport * NARROW_SHARE) : GAP_PX;
      return Math.max(MIN_PX, Math.round(viewport - pageTop(frame) - below));
    } catch (err) {
      return fixed;  // no access to the page: the fixed height
    }
  }

  // Call apply(height) now and whenever the page's viewport changes size.
  function keep(args, apply) {
    apply(height(args));
    if (!args.fill || watching) return;
    watching = true;
    try {
      window.parent.addEventListener("resize", function () { apply(height(PBLayout.latest || args)); });
    } catch (err) { /* another origin: the height stays */ }
  }

  return {height: height, keep: keep, latest: null};
})();
