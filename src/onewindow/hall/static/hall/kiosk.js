/* onewindow hall: the kiosk's own behaviour. Vanilla JS; the kiosk issues tickets without it.
   - The staff gesture: a long press (3 s) on the top-left corner opens the staff sign-in dialog — the kiosk's only
     way out. A short touch does nothing.
   - Idle: a screen someone has touched (or that shows a message) returns to the start screen after the configured
     seconds without a touch, so the next person never finds a stranger's half-typed identity number.
   - The slip: printed at once (silently on a kiosk started with --kiosk-printing), then back to the start. */
(function () {
  "use strict";
  var LONG_PRESS_MS = 3000;

  function goHome(home) { window.location.assign(home); }

  function staffGesture() {
    var corner = document.getElementById("kiosk-corner"), dialog = document.getElementById("kiosk-exit");
    if (!corner || !dialog || !dialog.showModal) return;
    var timer = null;
    function cancel() { clearTimeout(timer); timer = null; }
    corner.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      cancel();
      timer = setTimeout(function () { timer = null; dialog.showModal(); }, LONG_PRESS_MS);
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (name) { corner.addEventListener(name, cancel); });
    corner.addEventListener("contextmenu", function (e) { e.preventDefault(); });
    var close = document.getElementById("kiosk-exit-cancel");
    if (close) close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.querySelector("form").reset(); });
  }

  function idleReturn(home, seconds, alwaysLeave) {
    var touched = alwaysLeave, timer = null;
    function arm() {
      clearTimeout(timer);
      timer = setTimeout(function () { if (touched) goHome(home); }, seconds * 1000);
    }
    ["pointerdown", "keydown", "input", "change"].forEach(function (name) {
      document.addEventListener(name, function () { touched = true; arm(); }, true);
    });
    arm();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.body, home = body.dataset.kioskHome;
    staffGesture();
    var slip = document.getElementById("kiosk-slip");
    var print = document.getElementById("print-now");
    if (print) print.addEventListener("click", function () { window.print(); });
    if (slip) {
      idleReturn(home, Number(slip.dataset.returnSeconds) || 15, true);
      window.setTimeout(function () { window.print(); }, 300);
      return;
    }
    var seconds = Number(body.dataset.idleSeconds);
    if (seconds > 0) idleReturn(home, seconds, !!document.querySelector(".kiosk-messages") ||
                                               window.location.pathname + window.location.search !== home);
  });
})();
