// WIZZR behaviour. No inline scripts: everything that needs JavaScript hooks in from here.
(function () {
  "use strict";
  // Move focus to the main landmark after an in-page navigation through htmx.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.hasAttribute && target.hasAttribute("data-focus-after-swap")) {
      target.focus();
    }
  });
})();
