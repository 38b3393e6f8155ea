// Draws the page's charts: every element with a data-vl-spec attribute (a Vega-Lite specification as
// JSON, written by accord.reports) becomes an interactive chart drawn by vega-embed (/static/vega.js,
// served from this site). Charts loaded later by htmx are drawn when they arrive.
//
// The Content-Security-Policy allows no eval and no inline style: Vega evaluates the charts'
// expressions with its interpreter (ast: true), and vega-embed and its tooltip add no <style> element
// (defaultStyle: false, disableDefaultStyle: true; their looks are in accord.css).
(function () {
  "use strict";
  var OPTIONS = {
    ast: true,
    actions: false,
    defaultStyle: false,
    renderer: "svg",
    tooltip: { disableDefaultStyle: true, theme: "light", maxDepth: 1 }
  };

  function draw(element) {
    if (element.dataset.vlDrawn) {
      return;
    }
    element.dataset.vlDrawn = "yes";
    var spec;
    try {
      spec = JSON.parse(element.dataset.vlSpec);
    } catch (error) {
      element.textContent = "This chart could not be read: " + error.message;
      return;
    }
    if (typeof window.vegaEmbed !== "function") {
      element.textContent = "The chart's script did not load; the table below shows the same.";
      return;
    }
    window.vegaEmbed(element, spec, OPTIONS).then(function (result) {
      element.classList.add("vl-drawn");
      element.vegaView = result.view;
    }).catch(function (error) {
      element.textContent = "This chart could not be drawn: " + error.message;
    });
  }

  function drawWithin(root) {
    if (root.matches && root.matches("[data-vl-spec]")) {
      draw(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-vl-spec]").forEach(draw);
    }
  }

  drawWithin(document);
  document.addEventListener("htmx:load", function (event) {
    drawWithin(event.detail.elt);
  });
})();
