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

  // Header menus are <details data-wizzr-menu>: they work without JavaScript; this only closes them
  // on Escape (focus back on the toggle), on a click elsewhere, and when another menu opens.
  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-wizzr-menu][open]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) {
        menu.querySelector("summary").focus();
      }
    });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });

  document.addEventListener(
    "toggle",
    function (event) {
      var menu = event.target;
      if (!menu.matches || !menu.matches("details[data-wizzr-menu]") || !menu.open) {
        return;
      }
      openMenus().forEach(function (other) {
        if (other !== menu) {
          other.open = false;
        }
      });
    },
    true
  );
})();
