/* Draws the dashboards' charts with ECharts from the JSON a page renders with json_script.
   No inline handlers and no eval, so a strict Content-Security-Policy can allow this file alone.
   Every chart's numbers are also in a table on the page: the chart is a picture of them. */
(function () {
  "use strict";

  var FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';

  // 1234.5 → "1.234,5": the decimal comma the tables use, with at most the decimals the server
  // gives for the indicator's unit (core.numbers.decimals_for: 1 for %, 0 for counts).
  function vn(value, digits) {
    if (value === null || value === undefined || isNaN(value)) return "—";
    return Number(value).toLocaleString("vi-VN", { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  function base(title) {
    return {
      textStyle: { fontFamily: FONT },
      // No ECharts "aria": it would replace the page's Vietnamese aria-label with its own text.
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return vn(v); } },
      // containLabel measures the labels before the page font is in use: leave room for the difference.
      grid: { left: 24, right: 16, top: 48, bottom: 8, containLabel: true },
      title: { show: false, text: title }
    };
  }

  function stacked(data) {
    var option = base(data.title);
    option.legend = { top: 0, type: "scroll" };
    option.tooltip.axisPointer = { type: "shadow" };
    option.xAxis = { type: "value", minInterval: 1 };
    option.yAxis = { type: "category", data: data.categories, inverse: true, axisLabel: { width: 110, overflow: "break" } };
    option.series = data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", color: s.color, data: s.data, barMaxWidth: 28, emphasis: { focus: "series" } };
    });
    return option;
  }

  function bars(data) {
    var option = base(data.title);
    option.grid.top = 16;
    option.tooltip.axisPointer = { type: "shadow" };
    option.xAxis = { type: "value", minInterval: 1 };
    // A fixed scale (the enterprise index's levels 1–5), so that a 3 never looks like the top.
    if (data.max) option.xAxis.max = data.max;
    option.yAxis = { type: "category", data: data.categories, inverse: true, axisLabel: { width: 110, overflow: "break" } };
    option.series = [{
      type: "bar",
      barMaxWidth: 24,
      data: data.data.map(function (v, i) { return { value: v, itemStyle: { color: data.colors[i] } }; }),
      label: { show: true, position: "right", formatter: function (p) { return vn(p.value); } }
    }];
    return option;
  }

  function yearAxis(years) {
    var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
    return { type: "value", min: lo, max: hi, minInterval: 1, axisLabel: { formatter: function (v) { return String(v); } } };
  }

  function line(data) {
    var option = base(data.title);
    var labels = data.labels || {};
    var years = data.observed.map(function (p) { return p[0]; })
      .concat(data.projection.map(function (p) { return p[0]; }))
      .concat(data.milestones.map(function (m) { return m.year; }));
    option.legend = { top: 0 };
    option.grid.right = 40; // room for the milestones' value labels at the end of their lines
    var digits = data.decimals;
    option.tooltip = { trigger: "item", formatter: function (p) { return p.seriesName + " " + p.value[0] + ": " + vn(p.value[1], digits) + (data.unit ? " " + data.unit : ""); } };
    option.xAxis = yearAxis(years.length ? years : [new Date().getFullYear()]);
    option.yAxis = { type: "value", name: data.unit || "", scale: false };
    option.series = [
      { name: labels.observed, type: "line", data: data.observed, color: "#0b57d0", symbolSize: 8, lineStyle: { width: 3 } },
      { name: labels.projection, type: "line", data: data.projection, color: "#57606a", symbol: "emptyCircle", symbolSize: 8, lineStyle: { type: "dashed", width: 2 } },
      {
        name: labels.milestone, type: "scatter", color: "#b3261e", symbol: "diamond", symbolSize: 14,
        data: data.milestones.map(function (m) { return [m.year, m.value]; }),
        markLine: {
          silent: true, symbol: "none", lineStyle: { type: "dotted", color: "#b3261e" },
          label: { formatter: function (p) { return vn(p.value, digits); } },
          data: data.milestones.map(function (m) { return { yAxis: m.value }; })
        }
      }
    ];
    return option;
  }

  function multi(data, index) {
    var item = data.indicators[index] || data.indicators[0];
    return line({
      title: item.name, unit: item.unit, decimals: item.decimals, observed: item.points, projection: [], milestones: [],
      labels: { observed: (data.labels || {}).observed }
    });
  }

  var BUILDERS = { stacked: stacked, bars: bars, line: line };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    if (data.type === "multi") {
      chart.setOption(multi(data, 0));
      var select = document.querySelector('[data-chart-select="' + el.id + '"]');
      if (select) {
        select.addEventListener("change", function () { chart.setOption(multi(data, Number(select.value)), true); });
      }
    } else if (BUILDERS[data.type]) {
      chart.setOption(BUILDERS[data.type](data));
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // A part of the page swapped in by htmx (the enterprise questionnaire's results) brings new
  // chart elements: draw those not drawn yet (ECharts marks the ones it drew).
  document.addEventListener("htmx:afterSettle", function () {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) {
      if (!charts[i].hasAttribute("_echarts_instance_")) draw(charts[i]);
    }
  });
})();
