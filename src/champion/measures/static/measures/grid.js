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
