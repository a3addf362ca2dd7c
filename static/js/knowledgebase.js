// Kennisbank behaviour: announce search results to screen readers, and count characters in long fields.
(function () {
  "use strict";

  // htmx copies the old "style" attribute onto swapped-in elements while settling; a style="" left
  // by a browser extension (or a test tool) then counts as an inline style and breaks the strict CSP.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  // The results region is replaced while the user types; a persistent live region outside it
  // announces the new count (a replaced live region is often not announced).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "kb-results") {
      return;
    }
    var status = document.getElementById("kb-status");
    var source = target.querySelector("[data-kb-status]");
    if (status) {
      status.textContent = source ? source.textContent.trim() : "";
    }
  });

  function format(number) {
    return number.toLocaleString(document.documentElement.lang || "nl");
  }

  function setUpCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-kb-counter-for"));
    if (!field) {
      return;
    }
    var max = parseInt(field.getAttribute("data-kb-counter"), 10);
    var left = counter.getAttribute("data-kb-left") || "%s";
    var over = counter.getAttribute("data-kb-over") || "-%s";
    function update() {
      var remaining = max - field.value.length;
      counter.textContent = (remaining >= 0 ? left : over).replace("%s", format(Math.abs(remaining)));
      counter.classList.toggle("kb-counter--over", remaining < 0);
    }
    field.addEventListener("input", update);
    counter.hidden = false;
    update();
  }

  function init() {
    document.querySelectorAll("[data-kb-counter-for]").forEach(setUpCounter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
