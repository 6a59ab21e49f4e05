// The collaborations overlay (data from geo/render/collaboration_maps.py): per
// function layer, each collaboration's outline (white halo under a coloured
// line, no fill), a circle on the capofila with thin lines to the members, and a
// tooltip; plus a legend of what is drawn. Names are user text: textContent only.

PBOverlays.register("collaborations", function (map, spec) {
  PBOverlays.ensurePanes(map, spec.panes);
  var opts = spec.options, group = L.featureGroup();
  spec.items.forEach(function (item) {
    var one = L.featureGroup();
    L.geoJSON(item.outline, opts.halo).addTo(one);
    L.geoJSON(item.outline, L.extend({}, opts.line,
      {style: L.extend({}, opts.line.style, {dashArray: opts.dashes[item.style]})})).addTo(one);
    if (item.capofila) {
      if (item.points.length) {
        L.polyline(item.points.map(function (p) { return [item.capofila, p]; }), opts.lines).addTo(one);
      }
      L.circleMarker(item.capofila, opts.marker).addTo(one);
    }
    one.bindTooltip(function () { return PBOverlays.textBox("collab-tip", item.info.name, item.info.rows); },
                    {sticky: true, className: "collab-tooltip"});
    group.addLayer(one);
  });
  group.addTo(map);
  return function () { group.remove(); };
});

PBOverlays.register("collaboration_legend", function (map, spec) {
  var el = PB.el;
  function swatch(color, dash) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "26");
    svg.setAttribute("height", "10");
    var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5");
    line.setAttribute("x2", "25"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", "3");
    if (dash) line.setAttribute("stroke-dasharray", dash);
    svg.appendChild(line);
    return svg;
  }
  var control = L.control({position: "topright"});
  control.onAdd = function () {
    var box = el("div", null, "collab-legend");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    box.appendChild(el("div", "Collaborazioni", "collab-legend-title"));
    spec.layers.forEach(function (layer) {
      var head = el("div", null, "collab-legend-layer");
      head.appendChild(swatch(layer.color, null));
      head.appendChild(el("span", layer.label));
      box.appendChild(head);
      if (!layer.names.length) box.appendChild(el("div", "nessuna", "collab-legend-item"));
      layer.names.forEach(function (name) { box.appendChild(el("div", name, "collab-legend-item")); });
    });
    var key = el("div", null, "collab-legend-key");
    spec.styles.forEach(function (s) {
      var row = el("div");
      row.appendChild(swatch("#333333", s.dash));
      row.appendChild(el("span", s.label));
      key.appendChild(row);
    });
    key.appendChild(el("div", "● capofila, linee verso i membri"));
    box.appendChild(key);
    return box;
  };
  control.addTo(map);
  return function () { map.removeControl(control); };
});
