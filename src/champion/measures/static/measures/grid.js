// Spreadsheet keys in the data grid: Enter and the up/down arrows move between rows.
(function () {
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest("table.grid-entry")) return;
    var down = event.key === "Enter" || event.key === "ArrowDown";
    var up = event.key === "ArrowUp";
    if (!down && !up) return;
    var cell = input.closest("td");
    var row = input.closest("tr");
    var target = up ? row.previousElementSibling : row.nextElementSibling;
    if (!target) { if (event.key === "Enter") return; else return; }
    var next = target.children[cell.cellIndex] && target.children[cell.cellIndex].querySelector("input");
    if (next) { event.preventDefault(); next.focus(); next.select(); }
  });
})();
// Start where the work is: the first row without a value (the new periods at the bottom).
(function () {
  function focusFirstEmpty() {
    var inputs = document.querySelectorAll("table.grid-entry input[name^='value-']");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value) { inputs[i].focus({ preventScroll: false }); return; }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusFirstEmpty);
  else focusFirstEmpty();
})();
