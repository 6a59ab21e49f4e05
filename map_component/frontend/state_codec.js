// The zone state as it travels (geo/render/maps.py, packed_zone_state): instead of
// the list of area codes and the code-to-zone mapping, one character per comune of
// the base map, in the order of its features (property "i"): "." outside the area,
// "0" unassigned, else the zone's position in state.order (1-9, A-Z, a-z).
// PB.apply calls unpack first, so everything else reads state.area and state.assign.
window.PBStateCodec = (function () {
  var DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  function unpack(state, codeAt) {
    if (typeof state.packed !== "string") return state;
    var area = [], assign = {}, order = state.order || [];
    for (var i = 0; i < state.packed.length; i++) {
      var ch = state.packed.charAt(i), code = codeAt[i];
      if (ch === "." || code === undefined) continue;
      area.push(code);
      assign[code] = ch === "0" ? null : order[DIGITS.indexOf(ch)];
    }
    state.area = area;
    state.assign = assign;
    delete state.packed;
    return state;
  }

  return {unpack: unpack};
})();
