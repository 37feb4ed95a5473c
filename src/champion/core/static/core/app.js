// Small behaviours for every page, kept out of inline handlers (the Content-Security-Policy).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
});

// Scroll regions (WCAG 2.1.1, axe "scrollable-region-focusable"): a box that scrolls sideways
// must be reachable by keyboard and named. Templates mark most of them (tabindex="0",
// role="region", aria-label); this catches any other box that overflows at this width, and
// starts a region marked data-scroll-start="end" (a fishbone's head is at its right) at its end.
(function () {
  var SCROLLERS = ".table-wrap, .svg-wrap, .chart-card, .board, .sipoc, .xmatrix-drawing";
  function nameFor(box) {
    var caption = box.querySelector("caption, title, h2, h3");
    var text = caption ? caption.textContent.trim() : "";
    return (text ? text.slice(0, 80) + " " : "") + "(scrolls sideways)";
  }
  function mark() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-marked", "");
        if (!box.getAttribute("role") && box.tagName !== "NAV") box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) box.setAttribute("aria-label", nameFor(box));
      } else if (!scrolls && box.hasAttribute("data-scroll-marked")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-marked");
      }
    });
  }
  function start() {
    mark();
    document.querySelectorAll("[data-scroll-start=end]").forEach(function (box) { box.scrollLeft = box.scrollWidth; });
    // A picture's text alternative (details[data-open-narrow]) starts open on a phone.
    if (window.matchMedia("(max-width: 48rem)").matches) {
      document.querySelectorAll("details[data-open-narrow]").forEach(function (d) { d.open = true; });
    }
    var timer;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(mark, 200); });
    document.body.addEventListener("htmx:afterSettle", mark);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
