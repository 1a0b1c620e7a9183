// Draws the dashboard's charts from the JSON the page carries; the tables below them hold the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#1f5fbf", "#b3261e", "#1d7a46", "#a86400", "#6a3fb5", "#00838f", "#c2185b", "#5d6d1e", "#37474f"];

  function colored(datasets) {
    return datasets.map(function (dataset, index) {
      return Object.assign({}, dataset, { backgroundColor: palette[index % palette.length] });
    });
  }

  function stacked(id, datasets) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: data.days, datasets: colored(datasets) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function bars(id, series, label, options) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: series.labels, datasets: [{ label: label, data: series.data, backgroundColor: palette[0] }] },
      options: Object.assign({ animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } } }, options)
    });
  }

  stacked("chart-by-stage", data.by_stage);
  stacked("chart-by-action", data.by_action);
  bars("chart-overturn", data.overturn, data.titles.rate, {
    indexAxis: "y",
    scales: { x: { min: 0, max: 1, ticks: { format: { style: "percent" } } } }
  });
  bars("chart-queue-age", data.queue_age, data.titles.count, {
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
  });
  document.documentElement.setAttribute("data-charts", "drawn");
})();
