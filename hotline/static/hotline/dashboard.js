// The dashboard's charts, drawn by ECharts (vendored, served locally) from the JSON the page
// carries in <script id="dashboard-data" type="application/json">. No inline script: the
// Content-Security-Policy forbids it. Tooltips use ECharts' rich-text mode (no inline styles).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var tooltip = { renderMode: "richText" };
    var charts = [];
    var axes = data.axes || {};
    // Axis names say what is counted and in which unit (件, %, 分); the value axis's name sits
    // above it, the category axis's under its labels.
    function named(axis, name, along) {
      if (!name) return axis;
      return Object.assign(axis, along
        ? { name: name, nameLocation: "middle", nameGap: 28 }
        : { name: name, nameLocation: "end", nameGap: 10, nameTextStyle: { align: "left" } });
    }
    function names(key) { return axes[key] || {}; }
    function chart(id, option) {
      var el = document.getElementById(id);
      if (!el) return;
      var c = window.echarts.init(el, null, { renderer: "canvas" });
      c.setOption(option);
      el.setAttribute("data-drawn", "1");
      charts.push(c);
      return c;
    }
    chart("chart-days", {
      tooltip: Object.assign({ trigger: "axis" }, tooltip),
      grid: { left: 40, right: 16, top: 32, bottom: 48 },
      xAxis: named({ type: "category", data: data.days.x, axisLabel: { formatter: function (v) { return v.slice(5); } } }, names("days").x, true),
      yAxis: named({ type: "value", minInterval: 1 }, names("days").y),
      series: [{ type: "bar", data: data.days.y, itemStyle: { color: "#1f6feb" } }]
    });
    chart("chart-mix", {
      tooltip: Object.assign({ trigger: "item" }, tooltip),
      series: [{ type: "pie", radius: ["35%", "70%"], data: data.mix, label: { formatter: "{b} {d}%" } }]
    });
    chart("chart-trend", {
      tooltip: Object.assign({ trigger: "axis" }, tooltip),
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 76 },
      xAxis: named({ type: "category", data: data.trend.x }, names("trend").x, true),
      yAxis: named({ type: "value", min: 0, max: 100 }, names("trend").y),
      series: data.trend.series.map(function (s) {
        return { type: "line", name: s.name, data: s.data, connectNulls: true, showSymbol: true, symbolSize: 7, clip: false };
      })
    });
    var groups = Object.keys(data.ranking);
    var group = groups.indexOf("streets") >= 0 ? "streets" : groups[0];
    if (!group) {
      chart("chart-ranking", { title: { text: data.empty, left: "center", top: "middle", textStyle: { color: "#888", fontSize: 13 } } });
    } else {
      var rank = data.ranking[group];
      var c = chart("chart-ranking", {
        title: { text: data.groups[group] || group, left: "center", textStyle: { fontSize: 13 } },
        tooltip: Object.assign({ trigger: "axis" }, tooltip),
        grid: { left: 120, right: 56, top: 32, bottom: 44 },
        xAxis: named({ type: "value", min: 0, max: 100 }, names("ranking").x, true),
        yAxis: { type: "category", inverse: true, data: rank.units },
        // Units below the minimum volume are drawn grey: shown, not ranked.
        series: [{ type: "bar", barMaxWidth: 22, label: { show: true, position: "right" }, data: rank.scores.map(function (v, i) {
          return { value: v, itemStyle: { color: rank.ranked[i] ? "#1f6feb" : "#b8c2cc" } };
        }) }]
      });
      // A bar leads to that unit's row of the KPI table.
      if (c) c.on("click", function (p) {
        var row = document.querySelector('tr[data-unit="' + rank.codes[p.dataIndex] + '"]');
        if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); row.classList.add("highlight"); }
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

// Sortable KPI table: a click on a column heading sorts by that column's data-value (numbers
// highest first, text A–Z; a second click reverses). Empty cells ("—") always go last.
(function () {
  "use strict";
  function setUp(table) {
    var heads = table.querySelectorAll("thead th[data-sort]");
    heads.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-sort") === "number";
        var current = th.getAttribute("aria-sort");
        // Rank reads best-first ascending; every other number best (largest) first.
        var natural = th.hasAttribute("data-ascending") || !numeric ? "ascending" : "descending";
        var order = current ? (current === "ascending" ? "descending" : "ascending") : natural;
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", order);
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value") || "";
          var y = b.cells[column].getAttribute("data-value") || "";
          if (x === "" || y === "") return (x === "") - (y === "");
          var diff = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-Hans-CN");
          return order === "ascending" ? diff : -diff;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function start() { document.querySelectorAll("table.sortable").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
