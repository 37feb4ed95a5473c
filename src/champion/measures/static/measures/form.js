// The measure form: say which chart the answer to "How is it shown?" gives (or the chart chosen
// under Advanced, which wins), as the person answers. The server says the same on every render.
(function () {
  function start() {
    var hint = document.getElementById("chart-hint");
    var data = document.getElementById("chart-hints");
    if (!hint || !data) return;
    var charts = JSON.parse(data.textContent);
    var form = hint.closest("form");
    var override = form.querySelector("select[name='chart']");
    function show() {
      var text = "";
      if (override && override.value) {
        text = "Chosen under Advanced: " + override.options[override.selectedIndex].text + ".";
      } else {
        var chosen = form.querySelector("input[name='shown_as']:checked");
        text = chosen ? charts[chosen.value] || "" : "";
      }
      hint.textContent = "";
      if (!text) return;
      var label = document.createElement("strong");
      label.textContent = "Chart:";
      hint.appendChild(label);
      hint.appendChild(document.createTextNode(" " + text));
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "shown_as" || event.target.name === "chart") show();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
