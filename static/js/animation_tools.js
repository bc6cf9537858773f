// Animation tools: pick the loan and return dates by clicking days of the month grid (the
// library's navette days, or the BDVO's open days when it collects the tool itself), and copy
// the calendar feed link. The page works the same without this file.
(function () {
  "use strict";

  function setupCalendar() {
    var grid = document.querySelector("[data-calendar]");
    var form = document.querySelector("[data-booking-form]");
    if (!grid || !form) return;
    var loan = form.querySelector("input[name=loan_date]");
    var back = form.querySelector("input[name=return_date]");
    var help = form.querySelector("[data-calendar-help]");
    var selfCollect = form.querySelector("input[name=self_collect]");
    if (!loan || !back) return;
    if (help) help.hidden = false;
    var picking = loan.value && !back.value ? back : loan;

    grid.querySelectorAll("td[data-date]").forEach(function (cell) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "day-pick";
      while (cell.firstChild) button.appendChild(cell.firstChild);
      cell.appendChild(button);
      button.addEventListener("click", function () {
        var date = cell.getAttribute("data-date");
        if (picking === back && loan.value && date <= loan.value) picking = loan;
        picking.value = date;
        picking = picking === loan ? back : loan;
        if (picking === back) back.value = "";
        highlight();
        (picking === loan ? form.querySelector("button[type=submit]") : back).focus();
      });
    });

    function highlight() {
      grid.querySelectorAll("td[data-date]").forEach(function (cell) {
        var date = cell.getAttribute("data-date");
        var selected = loan.value && (date === loan.value || (back.value && date >= loan.value && date <= back.value));
        cell.classList.toggle("day-selected", Boolean(selected));
        var button = cell.querySelector("button");
        if (button) button.setAttribute("aria-pressed", selected ? "true" : "false");
      });
    }
    // Days without a round of the library suit only when it collects the tool itself.
    function offerDays() {
      grid.querySelectorAll("td[data-date]").forEach(function (cell) {
        var movement = cell.getAttribute("data-movement");
        var allowed = !movement || movement === "round" || (movement === "open" && selfCollect && selfCollect.checked);
        var button = cell.querySelector("button");
        if (button) button.disabled = !allowed;
        cell.classList.toggle("day-not-pickable", !allowed);
      });
    }
    loan.addEventListener("change", highlight);
    back.addEventListener("change", highlight);
    if (selfCollect) selfCollect.addEventListener("change", offerDays);
    offerDays();
    highlight();
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input || !navigator.clipboard) return;
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          button.textContent = "Lien copié";
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCalendar();
    setupCopy();
  });
})();
