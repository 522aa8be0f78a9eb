/* onewindow — an application form (申请表) made live: a field shown only under a condition (data-shown-when) is
   hidden, and its inputs disabled so that they are not posted, while its condition does not hold; a table gets
   "add a row" and "remove this row" buttons. Without this script every field shows, the server ignores the answers
   of fields whose condition does not hold, and a table offers a few empty rows. Our own code, no library. */
(function () {
  "use strict";
  function valuesOf(form, name) {
    var out = [];
    Array.prototype.forEach.call(form.querySelectorAll("[name]"), function (input) {
      if (input.name !== name || input.disabled) return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value) out.push(input.value);
    });
    return out;
  }
  function apply(form) {
    // in document order: a field hidden by its own condition takes its dependants with it
    Array.prototype.forEach.call(form.querySelectorAll("[data-shown-when]"), function (box) {
      var rule = JSON.parse(box.getAttribute("data-shown-when"));
      var shown = valuesOf(form, rule.field).some(function (v) { return rule.values.indexOf(v) !== -1; });
      box.hidden = !shown;
      Array.prototype.forEach.call(box.querySelectorAll("input, select, textarea, button"), function (input) {
        input.disabled = !shown;
      });
    });
  }
  // after a row is added or removed, each row's number, its inputs' spoken names ("第 2 行姓名", "Row 2: Name":
  // the first number is the row's) and its remove button's hidden number follow its place
  function renumber(table) {
    Array.prototype.forEach.call(table.querySelectorAll("tbody > tr[data-row]"), function (row, index) {
      var n = String(index + 1);
      var head = row.querySelector("th");
      if (head) head.textContent = n;
      Array.prototype.forEach.call(row.querySelectorAll("[aria-label]"), function (input) {
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+/, n));
      });
      var hidden = row.querySelector("[data-remove-row] .visually-hidden");
      if (hidden) hidden.textContent = " " + n;
    });
  }
  function addRow(group) {
    var template = group.querySelector("template[data-row-template]");
    var body = group.querySelector("tbody");
    var max = parseInt(group.getAttribute("data-max-rows"), 10) || 100;
    var next = parseInt(group.getAttribute("data-next-row"), 10) || 0;
    if (!template || !body || body.children.length >= max) return;
    var html = template.innerHTML.split("__row__").join(String(next))
      .split("__n__").join(String(body.children.length + 1));
    body.insertAdjacentHTML("beforeend", html);
    group.setAttribute("data-next-row", String(next + 1));
    renumber(body.closest("table"));
    var row = body.lastElementChild;
    var first = row.querySelector("input, select");
    if (first) first.focus();
  }
  function init(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-add-row], [data-remove-row]"), function (b) {
      b.hidden = false;
    });
    form.addEventListener("change", function () { apply(form); });
    form.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-row]");
      if (add) { addRow(add.closest("[data-table]")); return; }
      var remove = event.target.closest("[data-remove-row]");
      if (!remove) return;
      var row = remove.closest("tr");
      var group = remove.closest("[data-table]");
      var table = row.closest("table");
      // the focus goes where the person can go on: the next row, else the "add a row" button
      var after = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      renumber(table);
      var target = after ? after.querySelector("input, select") : group.querySelector("[data-add-row]");
      if (target) target.focus();
    });
    apply(form);
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-answer-form]"), function (box) {
      var form = box.closest("form");
      if (form && !form.hasAttribute("data-answers-live")) {
        form.setAttribute("data-answers-live", "");
        init(form);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
