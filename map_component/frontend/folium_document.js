// Shows a map document rendered by folium (geo/render/maps.py::publish_base_map)
// inside this frame: the folium map is the base of the component.
//
// The document is fetched once (a content-hashed static file, cached by the
// browser) and its parts are put into this page in document order: style sheets
// and styles, then the scripts of its head one after the other (Leaflet,
// leaflet-draw, both from the app's npm folder), then the map's <div>, then
// "beforeMapScript()" (e.g. Italian texts for leaflet-draw, read when its
// toolbar is built), then folium's map script. Scripts added with
// createElement run; scripts parsed by DOMParser would not.
window.PBFolium = (function () {
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("script not loaded: " + src)); };
      document.head.appendChild(script);
    });
  }

  function runScript(code, parent) {
    var script = document.createElement("script");
    script.textContent = code;
    parent.appendChild(script);  // runs now, synchronously
  }

  function styleSheet(node) {
    return new Promise(function (resolve) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = node.getAttribute("href");
      link.onload = link.onerror = resolve;  // a missing sheet must not keep the map away
      document.head.appendChild(link);
    });
  }

  function copyHead(doc) {
    var sheets = [];
    var chain = Promise.resolve();
    Array.prototype.forEach.call(doc.head.children, function (node) {
      var tag = node.tagName.toLowerCase();
      if (tag === "script" && node.src) {
        var src = node.getAttribute("src");
        chain = chain.then(function () { return loadScript(src); });
      } else if (tag === "script") {
        var code = node.textContent;
        chain = chain.then(function () { runScript(code, document.head); });
      } else if (tag === "link" && node.rel === "stylesheet") {
        sheets.push(styleSheet(node));
      } else if (tag === "style") {
        document.head.appendChild(document.importNode(node, true));
      }
    });
    return Promise.all(sheets.concat([chain]));
  }

  // Resolves to folium's Leaflet map: the global variable named after the map's <div>.
  function load(url, beforeMapScript) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) throw new Error("map document " + url + ": HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      return copyHead(doc).then(function () {
        var scripts = [];
        Array.prototype.forEach.call(doc.body.children, function (node) {
          if (node.tagName.toLowerCase() === "script") scripts.push(node.textContent);
          else document.body.appendChild(document.importNode(node, true));
        });
        if (beforeMapScript) beforeMapScript();
        scripts.forEach(function (code) { runScript(code, document.body); });
        var container = document.querySelector(".folium-map");
        var map = container && window[container.id];
        if (!map || !map.getContainer) throw new Error("no folium map in " + url);
        return map;
      });
    });
  }

  return {load: load};
})();
