// The thematic map: comuni of the area filled by an indicator's class, zone borders
// bold on top, a legend with the class bounds.
//
// Everything comes in the per-rerun state as plain data (state.thematic, built by
// geo/render/thematic.py): a fill colour and a text per comune, the legend rows. Without
// it the map shows the zone colours as before. Switching recolours in place: the base
// map is never rebuilt. A comune still shows its zone: its outline has the zone's
// colour, the tooltip names it, and the borders between zones are drawn bold (and
// follow a click at once, before the server answers).
// Texts are inserted with textContent, never as HTML.
(function () {
  var BORDER_PANE = "pb-zone-borders", BORDER_Z_INDEX = 440;  // above the comuni, below collaborations
  var byCode = null;  // ISTAT code -> the border segments of its polygon, built on first use
  var borders = null, legend = null, legendBox = null;

  function thematic() { var s = PB.state; return s && s.thematic ? s.thematic : null; }

  PB.hooks.style.push(function (code, style, zone, marked) {
    var t = thematic();
    if (!t) return null;
    style.fillColor = t.colors[code] || "#BDBDBD";
    style.fillOpacity = 0.88;
    if (!marked) {  // a warning's red outline or a pending shape keeps its own outline
      style.color = zone ? zone.color : "#777777";
      style.weight = 2.5;
    }
    return style;
  });

  PB.hooks.tooltip.push(function (code, box) {
    var t = thematic();
    if (t && PB.inArea(code) && t.texts[code]) box.appendChild(PB.el("div", t.label + ": " + t.texts[code]));
  });

  PB.hooks.changed.push(function () {
    var t = thematic();
    drawBorders(t);
    drawLegend(t);
  });

  // Shared borders have identical vertices (coverage-simplified display geometry), so a
  // segment is keyed by its two ends; each segment remembers the (up to two) comuni it bounds.
  function buildSegments() {
    var seen = {};
    byCode = {};
    Object.keys(PB.layers).forEach(function (code) {
      var geometry = PB.layers[code].feature.geometry, own = [];
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons.forEach(function (polygon) {
        polygon.forEach(function (ring) {
          for (var i = 0; i + 1 < ring.length; i++) {
            var a = ring[i][0] + "," + ring[i][1], b = ring[i + 1][0] + "," + ring[i + 1][1];
            if (a === b) continue;
            var key = a < b ? a + "|" + b : b + "|" + a, segment = seen[key];
            if (segment) {
              segment.other = code;
            } else {
              segment = seen[key] = {code: code, other: null,
                                     line: [[ring[i][1], ring[i][0]], [ring[i + 1][1], ring[i + 1][0]]]};
            }
            own.push(segment);
          }
        });
      });
      byCode[code] = own;
    });
  }

  function sideOf(code) {
    if (!code || !PB.inArea(code)) return "#fuori";
    return PB.zoneOf(code) || "#nessuna";
  }

  function drawBorders(t) {
    var map = PB.map;
    if (borders) { borders.remove(); borders = null; }
    if (!t || !map || !PB.state) return;
    if (!byCode) buildSegments();
    if (!map.getPane(BORDER_PANE)) map.createPane(BORDER_PANE).style.zIndex = String(BORDER_Z_INDEX);
    var lines = [];
    (PB.state.area || []).forEach(function (code) {
      (byCode[code] || []).forEach(function (segment) {
        var across = segment.code === code ? segment.other : segment.code;
        // A segment between two comuni of the area is listed by both: kept once, by its first owner.
        if (across && PB.inArea(across) && segment.code !== code) return;
        if (sideOf(code) !== sideOf(across)) lines.push(segment.line);
      });
    });
    borders = L.polyline(lines, {pane: BORDER_PANE, color: "#111111", weight: 3.5, opacity: 0.95,
                                 interactive: false, lineCap: "round"}).addTo(map);
    map.getContainer().setAttribute("data-pb-zone-borders", String(lines.length));
  }

  function drawLegend(t) {
    var map = PB.map;
    if (!map) return;
    if (!t) {
      if (legend) { legend.remove(); legend = null; legendBox = null; }
      map.getContainer().removeAttribute("data-pb-thematic");
      return;
    }
    if (!legend) {
      var Legend = L.Control.extend({
        options: {position: "bottomleft"},
        onAdd: function () {
          var box = L.DomUtil.create("div", "pb-thematic-legend");
          L.DomEvent.disableClickPropagation(box);
          legendBox = box;
          return box;
        }
      });
      legend = new Legend().addTo(map);
    }
    var box = legendBox;
    box.textContent = "";
    box.appendChild(PB.el("div", t.title, "pb-thematic-title"));
    (t.legend || []).forEach(function (row) {
      var line = PB.el("div", null, "pb-thematic-row");
      var swatch = PB.el("span", null, "pb-swatch");
      swatch.style.background = row.color;
      line.appendChild(swatch);
      line.appendChild(PB.el("span", row.label + " (" + row.count + ")"));
      box.appendChild(line);
    });
    box.appendChild(PB.el("div", "Classi: " + t.method + ". Bordi neri: confini tra le zone.", "pb-thematic-note"));
    map.getContainer().setAttribute("data-pb-thematic", t.key);
  }
})();
