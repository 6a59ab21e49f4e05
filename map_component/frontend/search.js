// The search box on every map: type part of a comune's name, pick it, and the map
// zooms to it and outlines it. Accents, apostrophes, spaces and dashes do not
// count ("santangelo" finds "Sant'Angelo Lodigiano", "citta" finds "Città"),
// the same rule as geo/base/text.py (search_key). The box keeps its keys and clicks
// to itself: typing never pans or zooms the map, and a click on it assigns nothing.
window.PBSearch = (function () {
  var MAX_RESULTS = 8, ZOOM = 12;
  var map = null, index = [], outline = null, input = null, list = null, results = [], chosen = -1;

  function key(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
  }

  function find(query) {
    var q = key(query);
    if (!q) return [];
    var found = index.filter(function (item) { return item.key.indexOf(q) >= 0; });
    found.sort(function (a, b) {
      var sa = a.key.indexOf(q) === 0, sb = b.key.indexOf(q) === 0;
      return (sb - sa) || (PB.inArea(b.code) - PB.inArea(a.code)) || a.name.localeCompare(b.name, "it");
    });
    return found.slice(0, MAX_RESULTS);
  }

  function clearOutline() {
    if (outline) { outline.remove(); outline = null; }
    map.getContainer().removeAttribute("data-pb-found");
  }

  function go(item) {
    var layer = PB.layers[item.code];
    if (!layer) return;
    clearOutline();
    outline = L.featureGroup([
      L.geoJSON(layer.feature, {pane: "pb-search", interactive: false,
                                style: {color: "#FFFFFF", weight: 9, opacity: 0.9, fill: false}}),
      L.geoJSON(layer.feature, {pane: "pb-search", interactive: false,
                                style: {color: "#6A1B9A", weight: 4, opacity: 1, fill: false}})
    ]).addTo(map);
    map.fitBounds(layer.getBounds(), {maxZoom: ZOOM, padding: [60, 60]});
    map.getContainer().setAttribute("data-pb-found", item.code);
    input.value = item.name;
    showResults([]);
  }

  function showResults(items) {
    results = items;
    chosen = items.length ? 0 : -1;
    list.textContent = "";
    if (!input.value.trim()) { list.style.display = "none"; return; }
    list.style.display = "";
    if (!items.length) { list.appendChild(PB.el("div", "Nessun comune trovato", "pb-search-none")); return; }
    items.forEach(function (item, i) {
      var row = PB.el("button", null, "pb-search-result" + (i === chosen ? " pb-chosen" : ""));
      row.type = "button";
      row.appendChild(PB.el("span", item.name));
      row.appendChild(PB.el("small", " (" + item.province + ")" + (PB.inArea(item.code) ? "" : ", fuori dall'area")));
      row.setAttribute("data-code", item.code);
      row.addEventListener("click", function () { go(item); });
      list.appendChild(row);
    });
  }

  function mark() {
    Array.prototype.forEach.call(list.children, function (row, i) { row.classList.toggle("pb-chosen", i === chosen); });
  }

  function onKey(event) {
    event.stopPropagation();  // Leaflet's keyboard (arrows pan, +/- zoom) and the projector's keys stay out
    if (event.key === "ArrowDown" && results.length) { chosen = (chosen + 1) % results.length; mark(); event.preventDefault(); }
    else if (event.key === "ArrowUp" && results.length) { chosen = (chosen + results.length - 1) % results.length; mark(); event.preventDefault(); }
    else if (event.key === "Enter" && chosen >= 0) { go(results[chosen]); event.preventDefault(); }
    else if (event.key === "Escape") { input.value = ""; showResults([]); clearOutline(); }
  }

  function init(leafletMap) {
    map = leafletMap;
    map.createPane("pb-search").style.zIndex = "630";  // above the comuni and the overlays' outlines
    Object.keys(PB.layers).forEach(function (code) {
      var p = PB.layers[code].feature.properties;
      index.push({code: code, name: p.n, province: p.pr, key: key(p.n)});
    });
    var Search = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var box = L.DomUtil.create("div", "pb-search");
        input = L.DomUtil.create("input", "pb-search-input", box);
        input.type = "search";
        input.placeholder = "Cerca un comune";
        input.setAttribute("aria-label", "Cerca un comune sulla mappa");
        input.autocomplete = "off";
        list = L.DomUtil.create("div", "pb-search-results", box);
        list.style.display = "none";
        input.addEventListener("input", function () { showResults(find(input.value)); });
        input.addEventListener("keydown", onKey);
        input.addEventListener("keyup", function (event) { event.stopPropagation(); });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Search().addTo(map);
  }

  PB.hooks.init.push(init);
  return {key: key, find: find};
})();
