// Progressive enhancement of the lists: after an export starts downloading, a window says
// so and offers "Fermer". Without JavaScript the download simply happens.
(function () {
  "use strict";
  var form = document.getElementById("export-form");
  var dialog = document.getElementById("export-done");
  if (!form || !dialog || typeof dialog.showModal !== "function") return;
  form.addEventListener("submit", function (event) {
    // Other buttons of the form (« Demander une prolongation ») post elsewhere: no download.
    if (event.submitter && event.submitter.hasAttribute("data-no-export-dialog")) return;
    window.setTimeout(function () { dialog.showModal(); }, 300);
  });
  dialog.querySelectorAll("[data-dialog-close]").forEach(function (closer) {
    closer.addEventListener("click", function () { dialog.close(); });
  });
})();
