// Quick exit, progressive enhancement. Without JavaScript the link still goes to /exit, which
// ends the session on the server. With it: pressing Escape twice within a second leaves too, and
// location.replace() keeps this page out of the history so Back does not return to it.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) {
    return;
  }
  var target = link.getAttribute("href") || "/exit";
  var leave = function () {
    document.body.style.visibility = "hidden";
    window.location.replace(target);
  };
  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });
  var last = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - last < 1000) {
      leave();
    }
    last = now;
  });
})();
