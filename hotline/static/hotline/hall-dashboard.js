// The dashboard's service-hall charts, drawn by ECharts (vendored) from the JSON the page carries
// in <script id="hall-dashboard-data" type="application/json"> (no inline script: the CSP
// forbids it; rich-text tooltips, no inline styles). Per hall: the 5-minute wait distribution,
// tickets served per window and per clerk, ratings by level; across halls: the share waiting over the service level.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("hall-dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var tooltip = { renderMode: "richText", trigger: "axis" };
    var charts = [];
    var axes = data.axes || {};
    // Axis names say what is counted and in which unit (件, 人次, 分钟, 条, %): the value axis's
    // above it, clear of the tallest bar's label, the category axis's under its (maybe slanted)
    // labels.
    function bars(id, x, y, color, options) {
      var el = document.getElementById(id);
      if (!el) return;
      var c = window.echarts.init(el, null, { renderer: "canvas" });
      var slanted = x.length > 6;
      var name = axes[(options && options.axes) || ""] || {};
      var yAxis = Object.assign({ type: "value", minInterval: 1 }, (options && options.axis) || {});
      if (name.y) Object.assign(yAxis, { name: name.y, nameLocation: "end", nameGap: 26, nameTextStyle: { align: "left" } });
      var xAxis = { type: "category", data: x, axisLabel: { interval: 0, rotate: slanted ? 40 : 0 } };
      if (name.x) Object.assign(xAxis, { name: name.x, nameLocation: "middle", nameGap: slanted ? 64 : 28 });
      c.setOption({
        tooltip: tooltip,
        grid: { left: 48, right: 16, top: 48, bottom: slanted ? 88 : 56 },
        xAxis: xAxis,
        yAxis: yAxis,
        series: [{ type: "bar", data: y, barMaxWidth: 36, itemStyle: { color: color }, label: { show: true, position: "top", formatter: (options && options.suffix) ? "{c}" + options.suffix : "{c}" } }]
      });
      el.setAttribute("data-drawn", "1");
      charts.push(c);
    }
    bars("chart-hall-over", data.over.x, data.over.y, "#d9822b", {
      suffix: "%",
      axes: "over",
      axis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
    });
    data.halls.forEach(function (h) {
      bars("chart-hall-wait-" + h.code, data.buckets, h.histogram, "#1f6feb", { axes: "wait" });
      bars("chart-hall-windows-" + h.code, h.windows.x, h.windows.y, "#2da44e", { axes: "windows" });
      bars("chart-hall-clerks-" + h.code, h.clerks.x, h.clerks.y, "#8250df", { axes: "clerks" });
      // 好差评 by level, best first: the two 差评 levels in red.
      bars("chart-hall-ratings-" + h.code, h.ratings.x, h.ratings.y.map(function (n, i) {
        return { value: n, itemStyle: { color: h.ratings.bad[i] ? "#cf222e" : "#2da44e" } };
      }), "#2da44e", { axes: "ratings" });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
