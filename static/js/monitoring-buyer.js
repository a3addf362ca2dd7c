// Monitoren contracten: the row menus (menu button pattern), tidy filter URLs, focus after htmx swaps.
// Without JavaScript the contract number links to the contract, and filters, sorting and paging
// are ordinary links and a GET form.
(function () {
  "use strict";

  // ---- Menu button: Enter, Space or ArrowDown open the menu on its first item, ArrowUp on the
  // last; arrows, Home and End move between items; Escape closes and returns to the button; Tab
  // closes and moves on; a click elsewhere closes.
  function items(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll('[role="menuitem"]'));
  }

  function parts(container) {
    return {
      button: container.querySelector("button[aria-haspopup]"),
      list: container.querySelector('[role="menu"]')
    };
  }

  function close(container, focusButton) {
    var p = parts(container);
    if (!p.list || p.list.hidden) {
      return;
    }
    p.list.hidden = true;
    p.button.setAttribute("aria-expanded", "false");
    container.classList.remove("mb-menu--open");
    if (focusButton) {
      p.button.focus();
    }
  }

  function closeAll(except) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mb-menu].mb-menu--open"), function (container) {
      if (container !== except) {
        close(container, false);
      }
    });
  }

  function open(container, which) {
    var p = parts(container);
    closeAll(container);
    p.list.hidden = false;
    p.button.setAttribute("aria-expanded", "true");
    container.classList.add("mb-menu--open");
    var all = items(p.list);
    if (all.length) {
      (which === "last" ? all[all.length - 1] : all[0]).focus();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-mb-menu] button[aria-haspopup]");
    if (button) {
      var container = button.closest("[data-mb-menu]");
      if (button.getAttribute("aria-expanded") === "true") {
        close(container, true);
      } else {
        open(container, "first");
      }
      return;
    }
    var inside = event.target.closest && event.target.closest("[data-mb-menu]");
    closeAll(inside);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.closest) {
      return;
    }
    var container = target.closest("[data-mb-menu]");
    if (!container) {
      return;
    }
    var p = parts(container);
    if (target === p.button) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        open(container, event.key === "ArrowUp" ? "last" : "first");
      }
      // Enter and Space activate the button and arrive as a click.
      return;
    }
    if (target.getAttribute("role") !== "menuitem") {
      return;
    }
    var all = items(p.list);
    var index = all.indexOf(target);
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        all[(index + 1) % all.length].focus();
        break;
      case "ArrowUp":
        event.preventDefault();
        all[(index - 1 + all.length) % all.length].focus();
        break;
      case "Home":
        event.preventDefault();
        all[0].focus();
        break;
      case "End":
        event.preventDefault();
        all[all.length - 1].focus();
        break;
      case "Escape":
        event.preventDefault();
        close(container, true);
        break;
      case "Tab":
        close(container, false);
        break;
      case " ":
        // Space on a link-menu item follows it, like Enter.
        event.preventDefault();
        target.click();
        break;
      default:
        // Typing a letter moves to the next item that starts with it.
        if (event.key.length === 1 && /\S/.test(event.key)) {
          var letter = event.key.toLowerCase();
          for (var step = 1; step <= all.length; step += 1) {
            var candidate = all[(index + step) % all.length];
            if (candidate.textContent.trim().toLowerCase().indexOf(letter) === 0) {
              candidate.focus();
              break;
            }
          }
        }
    }
  });

  // Close a menu when focus leaves it (for example with Shift+Tab or a screen reader's cursor).
  document.addEventListener("focusout", function (event) {
    var container = event.target.closest && event.target.closest("[data-mb-menu].mb-menu--open");
    if (container && event.relatedTarget && !container.contains(event.relatedTarget)) {
      close(container, false);
    }
  });

  // ---- Filters: leave empty fields out of the URL so that addresses stay short and bookmarkable.
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!source || !source.hasAttribute || !source.hasAttribute("data-mb-filter")) {
      return;
    }
    var parameters = event.detail.parameters;
    var names = typeof parameters.keys === "function" ? Array.from(parameters.keys()) : Object.keys(parameters);
    names.forEach(function (name) {
      var value = typeof parameters.get === "function" ? parameters.get(name) : parameters[name];
      if (value === "" || value === null) {
        if (typeof parameters.delete === "function") {
          parameters.delete(name);
        } else {
          delete parameters[name];
        }
      }
    });
  });

  // ---- Focus: after sorting or paging, the link that was used is replaced; put focus on its
  // counterpart in the new table (or on the results) so keyboard users keep their place.
  var focusKey = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    focusKey = source && source.getAttribute ? source.getAttribute("data-mb-focus") : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) {
      return;
    }
    var key = focusKey;
    focusKey = null;
    var results = document.getElementById("results");
    if (!results) {
      return;
    }
    var again = results.querySelector('[data-mb-focus="' + key + '"]');
    (again || results).focus();
  });
})();
