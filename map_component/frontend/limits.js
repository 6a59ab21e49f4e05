// What the map never sends whole: a drawn shape over the server's vertex limit
// (the wrapper passes it as max_vertices). The shape is counted here and only the
// count goes to Python, as a "draw_too_large" event: the server would refuse it
// anyway (map_component/events.py), and a 400,000-vertex polygon is 16 MB of JSON.
window.PBLimits = (function () {
  function vertices(coordinates, limit) {
    // Positions in nested coordinate lists, counted up to limit + 1.
    var count = 0, stack = [coordinates];
    while (stack.length && count <= limit) {
      var item = stack.pop();
      if (!Array.isArray(item)) continue;
      if (item.length && !Array.isArray(item[0])) { count += 1; continue; }
      for (var i = 0; i < item.length; i++) stack.push(item[i]);
    }
    return count;
  }

  // The event for a drawn geometry: the shape itself, or only how many vertices it has.
  function drawEvent(geometry, limit) {
    var n = limit ? vertices(geometry.coordinates, limit) : 0;
    return n > limit ? {event: "draw_too_large", vertices: n} : {event: "draw", geometry: geometry};
  }

  return {vertices: vertices, drawEvent: drawEvent, maxVertices: 0};
})();
