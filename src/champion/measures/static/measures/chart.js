// Draw every chart on the page from its Vega-Lite spec (vega-embed is served by us): inline,
// or, for the chart under a long series' chart, fetched as the page scrolls to it.
(function () {
  function embed(el, spec) {
    return window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function (result) {
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
    });
  }
  function failed(el) {
    return function (err) {
      el.textContent = "The interactive chart could not be drawn (" + err + "). Download it as SVG or PNG below.";
    };
  }
  function fetchAndDraw(el) {
    fetch(el.getAttribute("data-vega-spec-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { el.remove(); return null; } // no second chart after all
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (spec) { if (spec) return embed(el, spec); })
      .catch(failed(el));
  }
  function draw() {
    if (!window.vegaEmbed) return;
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source) return;
      embed(el, JSON.parse(source.textContent)).catch(failed(el));
    });
    document.querySelectorAll("[data-vega-spec-url]").forEach(function (el) {
      if (!("IntersectionObserver" in window)) return fetchAndDraw(el);
      var seen = new IntersectionObserver(function (entries) {
        if (!entries.some(function (e) { return e.isIntersecting; })) return;
        seen.disconnect();
        fetchAndDraw(el);
      }, { rootMargin: "400px 0px" });
      seen.observe(el);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
