// Browser identity: one random token per browser (decisions: it keys autosaved
// drafts, the owner of a scenario, workshop participation, PIN attempt limits and
// the proxy's stickiness). It lives in a cookie, which every request and the
// websocket handshake carry (the server reads it on the next visit, nginx hashes
// it), and in local storage, which brings the cookie back when only cookies were
// cleared. 128 random bits from the browser's cryptographic generator (or the
// server's proposal, itself from Python's secrets module), as 32 hex digits.
window.PBIdentity = (function () {
  var NAME = "pianura_browser";
  // Set with the same token by the proxy of make serve when it gave the browser its
  // first cookie: local storage, if it holds a token, is the browser's own.
  var MINTED = "pianura_browser_minted";
  var TOKEN = /^[0-9a-f]{32}$/;
  var MAX_AGE_S = 400 * 24 * 3600;  // the longest a browser keeps a cookie (Chromium caps it)

  function valid(token) { return typeof token === "string" && TOKEN.test(token); }

  function fromCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var pair = parts[i].trim().split("=");
      if (pair[0] === (name || NAME)) return pair.slice(1).join("=");
    }
    return null;
  }

  function fromStorage() {
    try { return window.localStorage.getItem(NAME); } catch (e) { return null; }
  }

  function random() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function keep(token) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = NAME + "=" + token + "; Path=/; Max-Age=" + MAX_AGE_S + "; SameSite=Lax" + secure;
    try { window.localStorage.setItem(NAME, token); } catch (e) { /* private mode: the cookie still works */ }
  }

  // The browser's token: the cookie's, else local storage's, else the server's
  // proposal, else a new one; kept in both places again (refreshing the cookie).
  // A cookie the proxy gave (marked) comes after local storage, and loses its mark.
  function ensure(proposed) {
    var cookie = fromCookie(), order = [cookie, fromStorage(), proposed];
    if (cookie !== null && cookie === fromCookie(MINTED)) {
      order = [fromStorage(), cookie, proposed];
      document.cookie = MINTED + "=; Path=/; Max-Age=0";
    }
    var token = order.filter(valid)[0] || random();
    keep(token);
    return token;
  }

  return {ensure: ensure, NAME: NAME};
})();
