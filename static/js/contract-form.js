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
