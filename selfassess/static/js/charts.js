/* Draw every chart on the page with Vega-Lite (served by the app; see macros/charts.html).
 *
 * Each chart container names a <script type="application/json"> element holding its spec;
 * no spec is ever inline script. `ast: true` makes Vega interpret expressions instead of
 * compiling them with Function(), so the strict CSP (script-src 'self') needs no 'unsafe-eval';
 * `defaultStyle: false` and the tooltip's `disableDefaultStyle` stop vega-embed and
 * vega-tooltip injecting <style> elements the CSP would block (our stylesheet, static/scss, styles both instead).
 * Once a chart is drawn its data table folds away (one click to open); without JavaScript, or
 * if drawing fails, the table stays open, so the page always reads in full.
 */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-spec-id"));
    var figure = container.closest(".chart");
    if (!source || typeof window.vegaEmbed !== "function") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(container, spec, {
      actions: false, ast: true, defaultStyle: false, renderer: "svg",
      tooltip: {disableDefaultStyle: true}
    }).then(function () {
      figure.classList.add("chart-drawn");
      var table = figure.querySelector("details.chart-data");
      if (table) {
        table.removeAttribute("open");
      }
    }).catch(function (error) {
      figure.classList.add("chart-failed");
      console.error("Chart " + container.getAttribute("data-spec-id") + " failed: " + error);
    });
  }

  document.querySelectorAll("[data-spec-id]").forEach(draw);
}());
