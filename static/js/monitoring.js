// Agreement and realisation forms: show only the quantities the chosen building block needs.
// Without JavaScript every field shows and the server ignores the ones a block does not use.
(function () {
  "use strict";

  var NEEDED = {
    per_year: ["persons", "hours_per_week", "months", "bonuses"],
    per_month: ["persons", "months"],
    per_learn_work_year: ["persons", "months"],
    per_hour: ["hours"],
    invoice_percentage: ["invoice_amount"]
  };

  function parse(element, name) {
    try {
      return JSON.parse(element.getAttribute(name) || "{}");
    } catch (error) {
      return {};
    }
  }

  function setUp(form) {
    var blockSelect = form.querySelector("select[data-units]");
    var agreementSelect = form.querySelector("select[data-blocks]");
    var blockChoice = form.querySelector("[data-block-choice]");
    if (!blockSelect) {
      return;
    }
    var units = parse(blockSelect, "data-units");
    var invoiceBlocks = blockSelect.hasAttribute("data-invoice-blocks") ? parse(blockSelect, "data-invoice-blocks") : [];
    var agreementBlocks = agreementSelect ? parse(agreementSelect, "data-blocks") : {};

    function update() {
      var blockId = blockSelect.value;
      if (agreementSelect && agreementSelect.value) {
        blockId = agreementBlocks[agreementSelect.value] || "";
        blockSelect.value = blockId;
        if (blockChoice) {
          blockChoice.hidden = true;
        }
      } else if (blockChoice) {
        blockChoice.hidden = false;
      }
      var needed = NEEDED[units[blockId]];
      Array.prototype.forEach.call(form.querySelectorAll("[data-quantity]"), function (wrapper) {
        wrapper.hidden = Boolean(needed) && needed.indexOf(wrapper.getAttribute("data-quantity")) === -1;
      });
      // Social purchasing is recorded per invoice: its fields instead of a period and a candidate.
      var invoice = blockId !== "" && invoiceBlocks.indexOf(blockId) !== -1;
      Array.prototype.forEach.call(form.querySelectorAll("[data-invoice-only]"), function (wrapper) {
        wrapper.hidden = !invoice;
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-not-invoice]"), function (wrapper) {
        wrapper.hidden = invoice;
      });
    }

    blockSelect.addEventListener("change", update);
    if (agreementSelect) {
      agreementSelect.addEventListener("change", update);
    }
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-value-form]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
