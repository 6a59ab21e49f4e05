// The component's life: on the first render, load folium's base map (once per
// frame), then apply each render's small state and overlays in place. An instance
// rendered with an "identity" argument is the router's invisible one (identity.js).
(function () {
  var baseUrl = null, map = null, latest = null, identitySent = false;

  function show(args) {
    PB.apply(args.state || {});
    PBOverlays.update(map, args.overlays || []);
  }

  function failed(err) {
    var box = PB.el("div", "La mappa non si è caricata: ricarica la pagina.", "pb-error");
    document.body.appendChild(box);
    if (window.console) console.error(err);
  }

  PBStreamlit.onRender(function (args) {
    if (args.identity !== undefined) {
      // The router's invisible instance: no map, only the browser's token, sent
      // once per frame (every value sent reruns the page).
      PBStreamlit.setFrameHeight(0);
      if (!identitySent) PBStreamlit.setValue({event: "identity", token: PBIdentity.ensure(args.identity)});
      identitySent = true;
      return;
    }
    PBLimits.maxVertices = args.max_vertices || 0;
    latest = PBLayout.latest = args;
    PBLayout.keep(args, PBStreamlit.setFrameHeight);
    if (baseUrl === null) {
      baseUrl = args.base;
      PBFolium.load(baseUrl, PB.beforeMap).then(function (foliumMap) {
        map = foliumMap;
        PB.init(map);
        show(latest);
      }).catch(failed);
    } else if (args.base !== baseUrl) {
      window.location.reload();  // another base map (e.g. with the drawing tools): start again
    } else if (map) {
      show(args);
    }
  });
  PBStreamlit.ready();
})();
