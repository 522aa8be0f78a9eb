/* onewindow hall: the citizen's ticket page keeps itself current. Every 20 s it asks the ticket's JSON and changes
   the two lines in the polite live region only when their words change, so a screen reader hears news once and
   never loses its place (no page reload). Without this script the page offers a refresh link. */
(function () {
  "use strict";
  var PERIOD = 20000;
  document.addEventListener("DOMContentLoaded", function () {
    var card = document.getElementById("ticket-live");
    if (!card || !card.hasAttribute("data-live-ticket") || !window.fetch) return;
    var headline = document.querySelector("#ticket-status b"), detail = document.getElementById("ticket-detail"),
        auto = document.getElementById("ticket-auto"), timer = null;
    if (auto) auto.hidden = false;
    function show(data) {
      if (headline.textContent !== data.headline) headline.textContent = data.headline;
      if (detail.textContent !== data.detail) detail.textContent = data.detail;
      if (!data.live) {
        clearInterval(timer);
        var link = document.getElementById("ticket-refresh");
        if (link) link.parentNode.hidden = true;
      }
    }
    function poll() {
      fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) show(data); })
        .catch(function () { /* offline a moment: the next round tries again */ });
    }
    timer = setInterval(poll, PERIOD);
    card.addEventListener("ticket:poll", poll);  /* lets a test (or a button) ask at once */
  });
})();
