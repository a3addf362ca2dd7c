// "Bijlagen": the plus button adds another file row; forms marked data-submit-once cannot be sent twice.
(function () {
  "use strict";

  function renumber(list) {
    list.querySelectorAll("[data-file-row]").forEach(function (row, index) {
      var number = String(index + 1);
      var input = row.querySelector("input[type=file]");
      var label = row.querySelector("label");
      input.id = "id_files_" + number;
      label.htmlFor = input.id;
      row.querySelector("[data-file-number]").textContent = number;
    });
  }

  function initRows(form) {
    var list = form.querySelector("[data-file-list]");
    var add = form.querySelector("[data-add-file-row]");
    if (!list || !add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var first = list.querySelector("[data-file-row]");
      var row = first.cloneNode(true);
      row.querySelector("input[type=file]").value = "";
      list.appendChild(row);
      renumber(list);
      var input = row.querySelector("input[type=file]");
      input.focus();
    });
  }

  function initSubmitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-file-rows]").forEach(initRows);
    document.querySelectorAll("[data-submit-once]").forEach(initSubmitOnce);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
