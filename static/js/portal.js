// Progressive enhancement only: every journey works without this file.
(function () {
  "use strict";

  // Header account menu: Escape closes it and gives focus back; a click elsewhere closes it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  // Confirmation dialogs: a link or button with data-dialog="ID" opens <dialog id="ID"> instead of
  // navigating to its confirmation page. The native <dialog> traps focus, closes on Escape
  // and we give focus back to the opener.
  document.querySelectorAll("[data-dialog]").forEach(function (opener) {
    var dialog = document.getElementById(opener.getAttribute("data-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") return;
    opener.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
      var first = dialog.querySelector("[autofocus], button, a, input, select");
      if (first) first.focus();
    });
    dialog.addEventListener("close", function () { opener.focus(); });
    dialog.querySelectorAll("[data-dialog-close]").forEach(function (closer) {
      closer.addEventListener("click", function (event) { event.preventDefault(); dialog.close(); });
    });
  });

  // "Select all" checkboxes in list tables: <input type=checkbox data-select-all="name">.
  document.querySelectorAll("[data-select-all]").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      var name = toggle.getAttribute("data-select-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        box.checked = toggle.checked;
      });
    });
  });
})();
