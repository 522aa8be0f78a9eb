/* onewindow — after a refused submit, focus goes to the error summary; its links focus the field they name.
   The links are plain in-page anchors and work without this script; it only moves the keyboard focus. */
(function () {
  "use strict";
  function focusField(target) {
    // a group of radio buttons or check boxes takes focus on its checked (or first) choice
    var field = target.matches("input, select, textarea, button") ? target
      : target.querySelector("input:checked") || target.querySelector("input, select, textarea");
    (field || target).focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".form-errors a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    focusField(target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".form-errors, .messages .error");
    if (!summary) return;
    if (summary.matches(".messages .error")) summary = summary.parentElement;
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  });
})();
