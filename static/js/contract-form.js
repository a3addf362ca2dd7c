// "Opstarten nieuw contract": the SROI obligation shown live as the user types.
// Mirrors contracts.forms.parse_decimal and Contract.sroi_obligation; the server stays the authority.
(function () {
  "use strict";

  function parseDecimal(text) {
    var value = String(text || "").replace(/[€\s\u00a0]/g, "");
    if (value === "") { return null; }
    if (value.indexOf(",") !== -1) {
      var parts = value.split(",");
      if (parts.length > 2) { return NaN; }
      value = parts[0].replace(/\./g, "") + "." + parts[1];
    } else {
      var dots = value.split(".").length - 1;
      if (dots > 1 || (dots === 1 && value.split(".")[1].length === 3)) {
        value = value.replace(/\./g, "");
      }
    }
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(value)) { return NaN; }
    return Number(value);
  }

  var money = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });

  function init(calculator) {
    var form = calculator.closest("form");
    var value = form.querySelector("[name=contract_value]");
    var percentage = form.querySelector("[name=sroi_percentage]");
    var fixed = form.querySelector("[name=sroi_fixed_amount]");
    var output = calculator.querySelector("[data-sroi-obligation]");
    if (!value || !percentage || !fixed || !output) { return; }

    function update() {
      var fixedAmount = parseDecimal(fixed.value);
      var amount = parseDecimal(value.value);
      var pct = parseDecimal(percentage.value);
      if (pct === null) { pct = 5; }
      var text = "—";
      if (fixedAmount !== null && !isNaN(fixedAmount) && fixedAmount >= 0) {
        text = money.format(fixedAmount);
      } else if (fixedAmount === null && amount !== null && !isNaN(amount) && amount >= 0 && !isNaN(pct) && pct >= 0 && pct <= 100) {
        // Work in cents to round half up like the server does.
        text = money.format(Math.round(amount * pct) / 100);
      }
      if (output.textContent !== text) { output.textContent = text; }
    }

    [value, percentage, fixed].forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }

  function start() {
    document.querySelectorAll("[data-sroi-calculator]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// A field's error message goes as soon as the user changes that field: it described the value they
// replaced. The server checks everything again on the next submit.
(function () {
  "use strict";

  function withoutId(list, id) {
    return (list || "").split(/\s+/).filter(function (token) { return token && token !== id; }).join(" ");
  }

  function clearError(event) {
    var field = event.target.closest ? event.target.closest(".utrecht-form-field--invalid") : null;
    if (!field) { return; }
    field.classList.remove("utrecht-form-field--invalid");
    field.querySelectorAll(".utrecht-form-field-error-message").forEach(function (message) {
      var id = message.id;
      message.remove();
      if (!id) { return; }
      field.querySelectorAll("[aria-describedby]").forEach(function (element) {
        var rest = withoutId(element.getAttribute("aria-describedby"), id);
        if (rest) { element.setAttribute("aria-describedby", rest); } else { element.removeAttribute("aria-describedby"); }
      });
    });
    field.querySelectorAll("[aria-invalid]").forEach(function (element) { element.removeAttribute("aria-invalid"); });
  }

  function start() {
    document.querySelectorAll("form[data-contract-form]").forEach(function (form) {
      form.addEventListener("input", clearError);
      form.addEventListener("change", clearError);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// After choosing the supplier: the SROI contact that the registry knows for that establishment is
// offered in the contact fields. Only fields that are empty, or still hold what an earlier choice
// offered, are filled: whatever the advisor typed stays.
(function () {
  "use strict";

  var FIELDS = { supplier_contact_name: "contact_name", supplier_contact_email: "contact_email", supplier_contact_phone: "contact_phone" };

  function start() {
    document.querySelectorAll("form[data-contract-form]").forEach(function (form) {
      var note = form.querySelector("[data-contact-offered]");
      form.addEventListener("supplierSelected", function (event) {
        var supplier = event.detail || {};
        var filled = false;
        Object.keys(FIELDS).forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (!input) { return; }
          var offered = input.getAttribute("data-offered");
          var untouched = input.value === "" || (offered !== null && input.value === offered);
          var value = supplier[FIELDS[name]] || "";
          if (untouched && value) {
            input.value = value;
            input.setAttribute("data-offered", value);
            filled = true;
          } else if (untouched && offered !== null) {
            input.value = "";
            input.removeAttribute("data-offered");
          }
        });
        if (note) {
          note.textContent = filled ? note.getAttribute("data-message") : "";
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
