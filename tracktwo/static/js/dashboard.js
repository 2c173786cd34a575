// Live dashboard, progressive enhancement (CSP-safe: a static file, no inline script).
// Every second it asks the server for the dashboard's changing part, passing the version it
// shows; the server answers 204 when nothing changed, or the new fragment, which replaces the
// old one. Without JavaScript the page keeps its "Refresh" link.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.getAttribute("data-live-url");
  var state = document.querySelector("[data-refresh-state]");
  var link = document.querySelector("[data-refresh-link]");
  var INTERVAL = 1000;
  var busy = false;
  if (state) {
    state.textContent = live.getAttribute("data-live-state") || "";
  }
  if (link) {
    link.hidden = true;
  }
  var currentVersion = function () {
    var node = live.querySelector("[data-version]");
    return node ? node.getAttribute("data-version") : "";
  };
  var poll = function () {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    var target = url + "?since=" + encodeURIComponent(currentVersion() || "");
    fetch(target, { credentials: "same-origin", cache: "no-store", redirect: "error" })
      .then(function (response) {
        if (response.status === 200) {
          return response.text().then(function (html) {
            live.innerHTML = html;
          });
        }
        if (response.status !== 204 && link) {
          link.hidden = false; // signed out or no longer allowed: offer a plain reload
        }
        return null;
      })
      .catch(function () {
        if (link) {
          link.hidden = false;
        }
      })
      .then(function () {
        busy = false;
      });
  };
  window.setInterval(poll, INTERVAL);
})();
