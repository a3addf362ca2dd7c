// "Overdragen": ask for confirmation in a modal dialog with a summary of what is handed over.
// Without script the button's GET form leads to the same summary on a page of its own
// (templates/contracts/contract_confirm_handover.html); the dialog comes from the same URL through htmx.
(function () {
  "use strict";

  function dialogHost() {
    // At the end of <main>, outside every form: the dialog holds the real POST form.
    var host = document.getElementById("handover-dialog-host");
    if (!host) {
      host = document.createElement("div");
      host.id = "handover-dialog-host";
      (document.getElementById("main") || document.body).appendChild(host);
    }
    return host;
  }

  function open(form, opener) {
    var host = dialogHost();
    if (host.querySelector("[data-handover-dialog]")) {
      return;
    }
    window.htmx.ajax("GET", form.action, { source: opener, target: host, swap: "innerHTML" }).then(function () {
      var dialog = host.querySelector("[data-handover-dialog]");
      if (!dialog || dialog.open) {
        return;
      }
      // Escape (the native cancel), Annuleren and the confirmation all end here.
      dialog.addEventListener("close", function () {
        dialog.remove();
        opener.focus();
      });
      dialog.addEventListener("click", function (event) {
        if (event.target.closest("[data-dialog-close]")) {
          dialog.close();
        }
      });
      var confirm = dialog.querySelector("[data-handover-confirm]");
      confirm.addEventListener("submit", function (event) {
        if (confirm.dataset.submitted === "true") {
          event.preventDefault();
          return;
        }
        confirm.dataset.submitted = "true";
        confirm.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
        });
      });
      dialog.showModal();
      var title = dialog.querySelector("#handover-title");
      if (title) {
        title.focus();
      }
    });
  }

  function init(form) {
    var opener = form.querySelector("button[type=submit]");
    if (!opener || !window.htmx) {
      return;
    }
    opener.setAttribute("aria-haspopup", "dialog");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      open(form, opener);
    });
  }

  function start() {
    document.querySelectorAll("[data-handover-open]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
