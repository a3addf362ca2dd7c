// The supplier typeahead: an ARIA 1.2 combobox with list autocomplete over the national registry,
// plus the add-supplier dialog. Markup: templates/suppliers/_typeahead.html; results come from
// the htmx partial suppliers/_typeahead_options.html. The help-request form's contract picker
// (templates/knowledgebase/_contract_picker.html) uses the same behaviour and hooks; its options
// carry only uuid and label.
//
// Events (bubbling, on the widget's root element [data-supplier-typeahead]):
//   supplierSelected  detail = the supplier's data (uuid, label, legal_name, address, phone, ...)
//   supplierCleared   the selection was removed (the text changed or was cleared)
//
// A search answer counts only while it answers what is in the field and no add dialog is open: an
// answer that comes late (the dialog was opened, the text changed) never swaps the list, opens it,
// changes the message or moves focus.
(function () {
  "use strict";
  if (window.wizzrSupplierTypeahead) {
    return; // the script may be included once per widget
  }
  window.wizzrSupplierTypeahead = true;

  var DEBOUNCE_MS = 200;
  var dialogOwner = null; // the widget whose add dialog is open

  function isSearchable(text) {
    var compact = text.replace(/\s+/g, "");
    return /^\d+$/.test(compact) || compact.length >= 2;
  }

  function Typeahead(root) {
    this.root = root;
    this.input = root.querySelector("[data-supplier-input]");
    this.popover = root.querySelector("[data-supplier-popover]");
    this.listbox = root.querySelector("[data-supplier-listbox]");
    this.hidden = root.querySelector("[data-supplier-value]");
    this.status = root.querySelector("[data-supplier-status]");
    this.message = root.querySelector("[data-supplier-message]");
    this.card = root.querySelector("[data-supplier-card]");
    this.addButton = root.querySelector("[data-supplier-add]");
    this.more = root.querySelector("[data-supplier-more]");
    this.timer = null;
    this.sent = null;
    this.active = -1;
    this.selectedLabel = this.hidden.value ? this.input.value : null;
    this.bind();
  }

  Typeahead.prototype.options = function () {
    return Array.prototype.slice.call(this.listbox.querySelectorAll("[role=option]"));
  };

  Typeahead.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.onInput(); });
    this.input.addEventListener("keydown", function (event) { self.onKeydown(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the input
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        self.choose(option);
      }
    });
    this.root.addEventListener("supplierResults", function (event) { self.onResults(event.detail || {}); });
    this.root.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.target === self.listbox && !self.wantsAnswer()) {
        event.detail.shouldSwap = false; // a late answer: the list keeps what it has
      }
    });
    this.root.addEventListener("htmx:responseError", function (event) {
      if (event.detail && event.detail.xhr && event.detail.xhr.status === 429) {
        return; // the supplierResults event already said why
      }
      self.close();
      self.say(self.root.getAttribute("data-error-message"), true);
    });
    if (this.addButton) { // absent where the set is fixed (a filter)
      this.addButton.addEventListener("click", function () { self.openDialog(); });
    }
  };

  Typeahead.prototype.onInput = function () {
    var self = this;
    if (this.selectedLabel !== null && this.input.value !== this.selectedLabel) {
      this.clearSelection();
    }
    window.clearTimeout(this.timer);
    var text = this.input.value.trim();
    if (!isSearchable(text)) {
      this.sent = null;
      this.listbox.innerHTML = "";
      this.close();
      this.say("", false);
      return;
    }
    this.timer = window.setTimeout(function () { self.search(text); }, DEBOUNCE_MS);
  };

  Typeahead.prototype.search = function (text) {
    if (text === this.sent) {
      if (this.options().length) {
        this.open();
      }
      return;
    }
    this.sent = text;
    var url = this.root.getAttribute("data-search-url") + "?" + new URLSearchParams({ q: text, listbox: this.listbox.id });
    window.htmx.ajax("GET", url, { source: this.input, target: this.listbox, swap: "innerHTML" });
  };

  // Whether an answer that arrives now is still wanted: it answers the text in the field and no
  // add dialog is open over the page.
  Typeahead.prototype.wantsAnswer = function () {
    return this.sent !== null && this.input.value.trim() === this.sent && dialogOwner === null;
  };

  Typeahead.prototype.onResults = function (detail) {
    if (!this.wantsAnswer()) {
      return; // an answer to something the user no longer has in the field, or behind the dialog
    }
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (this.more) {
      this.more.textContent = detail.more || "";
      this.more.hidden = !detail.more;
    }
    if (detail.count > 0 && document.activeElement === this.input) {
      this.open();
    } else {
      this.close();
    }
    this.say(detail.message || "", detail.count === 0);
  };

  // Forget any search that is waiting or under way: its answer, when it comes, is not wanted.
  Typeahead.prototype.cancelSearch = function () {
    window.clearTimeout(this.timer);
    this.sent = null;
  };

  Typeahead.prototype.say = function (text, visible) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
    this.message.textContent = visible ? text : "";
    this.message.hidden = !(visible && text);
  };

  Typeahead.prototype.open = function () {
    if (!this.options().length) {
      return;
    }
    this.popover.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Typeahead.prototype.close = function () {
    this.popover.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.highlight(-1);
  };

  Typeahead.prototype.isOpen = function () {
    return !this.popover.hidden;
  };

  Typeahead.prototype.highlight = function (index) {
    var options = this.options();
    this.active = index;
    options.forEach(function (option, i) {
      var on = i === index;
      option.classList.toggle("utrecht-listbox__option--active", on);
      option.setAttribute("aria-selected", on ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Typeahead.prototype.onKeydown = function (event) {
    var options = this.options();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen()) {
          var text = this.input.value.trim();
          if (options.length && text === this.sent) {
            this.open();
          } else if (isSearchable(text)) {
            window.clearTimeout(this.timer);
            this.search(text);
            return;
          }
          if (event.altKey) {
            return;
          }
        }
        if (options.length) {
          this.highlight(this.active + 1 >= options.length ? 0 : this.active + 1);
        }
        break;
      case "ArrowUp":
        if (!options.length) {
          return;
        }
        event.preventDefault();
        if (!this.isOpen()) {
          this.open();
        }
        this.highlight(this.active <= 0 ? options.length - 1 : this.active - 1);
        break;
      case "Enter":
        if (this.isOpen()) {
          event.preventDefault();
          if (this.active >= 0 && options[this.active]) {
            this.choose(options[this.active]);
          }
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.onInput();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  Typeahead.prototype.choose = function (option) {
    this.select(JSON.parse(option.getAttribute("data-supplier")));
  };

  Typeahead.prototype.select = function (supplier) {
    window.clearTimeout(this.timer);
    this.hidden.value = supplier.uuid;
    this.input.value = supplier.label;
    this.selectedLabel = supplier.label;
    this.sent = null;
    this.close();
    this.fillCard(supplier);
    this.say(this.root.getAttribute("data-selected-message") + " " + supplier.label, false);
    this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    this.root.dispatchEvent(new CustomEvent("supplierSelected", { bubbles: true, detail: supplier }));
  };

  Typeahead.prototype.clearSelection = function () {
    this.hidden.value = "";
    this.selectedLabel = null;
    if (this.card) {
      this.card.hidden = true;
    }
    this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    this.root.dispatchEvent(new CustomEvent("supplierCleared", { bubbles: true }));
  };

  Typeahead.prototype.fillCard = function (supplier) {
    if (!this.card) {
      return; // no address card where the widget is a filter
    }
    this.card.querySelectorAll("[data-field]").forEach(function (element) {
      element.textContent = supplier[element.getAttribute("data-field")] || "";
    });
    this.card.querySelectorAll("[data-field-row]").forEach(function (row) {
      var name = row.getAttribute("data-field-row");
      var empty = !supplier[name] || (name === "trade_name" && supplier.trade_name === supplier.legal_name);
      row.hidden = empty;
    });
    this.card.hidden = false;
  };

  Typeahead.prototype.openDialog = function () {
    var self = this;
    dialogOwner = this;
    this.cancelSearch();
    this.close();
    var host = dialogHost();
    var name = this.selectedLabel === null ? this.input.value.trim() : "";
    var url = this.root.getAttribute("data-add-url") + "?" + new URLSearchParams({ naam: name });
    window.htmx.ajax("GET", url, { source: this.addButton, target: host, swap: "innerHTML" }).then(function () {
      var dialog = host.querySelector("[data-supplier-dialog]");
      if (!dialog || dialog.open) {
        return;
      }
      dialog.addEventListener("close", function () { self.onDialogClosed(dialog); });
      dialog.showModal();
      var first = dialog.querySelector("input:not([type=hidden])");
      if (first) {
        first.focus();
      }
    });
  };

  Typeahead.prototype.onDialogClosed = function (dialog) {
    dialog.remove();
    dialogOwner = null;
    (this.hidden.value ? this.input : this.addButton).focus();
  };

  function dialogHost() {
    // At the end of <main>, outside every form: the dialog holds a form of its own, and forms
    // cannot nest. Inside <main> it gets the page's form styles.
    var host = document.getElementById("supplier-dialog-host");
    if (!host) {
      host = document.createElement("div");
      host.id = "supplier-dialog-host";
      (document.getElementById("main") || document.body).appendChild(host);
    }
    return host;
  }

  function closeDialogWith(supplier) {
    var dialog = document.querySelector("#supplier-dialog-host [data-supplier-dialog]");
    var owner = dialogOwner;
    if (owner && supplier) {
      owner.select(supplier);
    }
    if (dialog && dialog.open) {
      dialog.close();
    }
  }

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-supplier-pick]");
    if (pick) {
      closeDialogWith(JSON.parse(pick.getAttribute("data-supplier-pick")));
      return;
    }
    if (event.target.closest("[data-supplier-dialog] [data-dialog-close]")) {
      closeDialogWith(null);
    }
  });

  document.addEventListener("supplierCreated", function (event) {
    closeDialogWith(event.detail);
  });

  // After the dialog's form came back with errors: move focus to what needs attention. Only the
  // dialog's own answers count (on swap, before anything else can run in between).
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = document.querySelector("#supplier-dialog-host [data-supplier-dialog]");
    if (!dialog || !dialog.open || !dialog.contains(event.target)) {
      return;
    }
    var alert = dialog.querySelector("[data-dialog-alert]:not([data-focused])");
    if (alert) {
      alert.setAttribute("data-focused", "");
      var invalid = dialog.querySelector("[aria-invalid=true]");
      (invalid && !dialog.querySelector("[data-supplier-pick]") ? invalid : alert).focus();
    }
  });

  function initAll(scope) {
    scope = scope || document;
    var roots = Array.prototype.slice.call(scope.querySelectorAll("[data-supplier-typeahead]"));
    if (scope.matches && scope.matches("[data-supplier-typeahead]")) {
      roots.push(scope);
    }
    roots.forEach(function (root) {
      if (!root.wizzrTypeahead) {
        root.wizzrTypeahead = new Typeahead(root);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(); });
  } else {
    initAll();
  }
  document.addEventListener("htmx:load", function (event) { initAll(event.target); });
})();
