// Streamlit's component protocol, version 1: the messages that
// streamlit-component-lib exchanges with the page (its src/streamlit.ts), written
// out here because the frontend has no bundler.
//
//   frame -> page   streamlit:componentReady    {apiVersion: 1}   once, to receive renders
//                   streamlit:setComponentValue {value, dataType: "json"}
//                   streamlit:setFrameHeight    {height}
//   page -> frame   streamlit:render            {args, dfs, disabled, theme}
//
// "args" are the keyword arguments of the Python call (map_component.comuni_map),
// already decoded from JSON.
window.PBStreamlit = (function () {
  var API_VERSION = 1;
  var lastHeight = null;

  function post(type, data) {
    var message = {isStreamlitMessage: true, type: type};
    Object.keys(data).forEach(function (k) { message[k] = data[k]; });
    window.parent.postMessage(message, "*");
  }

  return {
    ready: function () { post("streamlit:componentReady", {apiVersion: API_VERSION}); },
    setValue: function (value) { post("streamlit:setComponentValue", {value: value, dataType: "json"}); },
    setFrameHeight: function (height) {
      if (height === lastHeight) return;
      lastHeight = height;
      post("streamlit:setFrameHeight", {height: height});
    },
    onRender: function (callback) {
      window.addEventListener("message", function (event) {
        if (event.source !== window.parent) return;  // only the page that holds this frame
        var data = event.data;
        if (data && data.type === "streamlit:render") callback(data.args || {});
      });
    }
  };
})();
