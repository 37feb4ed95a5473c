// Draw every chart on the page from its inline Vega-Lite spec (vega-embed is served by us).
(function () {
  function draw() {
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source || !window.vegaEmbed) return;
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function (result) {
        el.classList.add("drawn");
        var svg = el.querySelector("svg");
        if (svg) {
          // The data table below the chart carries the details for screen readers.
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", spec.description || "Chart");
        }
        // If the chart is wider than its card (a long series on a phone), show the newest
        // points first: the scroll starts at the right end.
        var card = el.closest(".chart-card");
        if (card && card.scrollWidth > card.clientWidth) card.scrollLeft = card.scrollWidth;
        var fallback = el.parentElement.querySelector(".chart-fallback");
        if (fallback) fallback.remove();
        return result;
      }).catch(function (err) {
        el.textContent = "The interactive chart could not be drawn (" + err + "). Download it as SVG or PNG below.";
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
