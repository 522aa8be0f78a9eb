/* onewindow — after a refused submit the focus goes to the error summary; its links, and the skip link, move the
   focus to what they name. They are plain in-page anchors and work without this script, which only moves focus. */
(function () {
  "use strict";
  function focusTarget(target) {
    // a group of radio buttons takes the focus on its checked (or first) choice
    var group = target.matches("[role=group], [role=radiogroup]");
    var choice = group ? target.querySelector("input:checked") || target.querySelector("input") : null;
    var field = group || target.matches("input, select, textarea");
    target.scrollIntoView({ block: field ? "center" : "start" });
    (choice || target).focus({ preventScroll: true });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".form-errors a[href^='#'], a.skip-link");
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    focusTarget(target);
  });
  function focusSummary() {
    var summary = document.querySelector(".form-errors, .messages .error");
    var idle = document.activeElement === document.body || document.activeElement === document.getElementById("main");
    if (!summary || !idle) return;
    if (summary.matches(".messages .error")) summary = summary.parentElement;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  document.addEventListener("DOMContentLoaded", focusSummary);
  // a form posted from an address with a #fragment comes back scrolled (and focused) there: the summary wins
  window.addEventListener("load", focusSummary);
})();
