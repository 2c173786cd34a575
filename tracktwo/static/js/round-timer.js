// Timed rounds, progressive enhancement. The server writes the time left into the page (and
// refuses votes after the end whatever the page says); this counts it down once a second and
// reloads the page when the round ends, so the participant sees that voting has closed.
(function () {
  "use strict";
  var timer = document.querySelector("[data-round-seconds]");
  if (!timer) {
    return;
  }
  var left = parseInt(timer.getAttribute("data-round-seconds"), 10);
  var shown = timer.querySelector(".round-left");
  var end = Date.now() + left * 1000;
  var tick = function () {
    var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    if (shown) {
      shown.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }
    if (seconds <= 0) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  };
  tick();
})();
