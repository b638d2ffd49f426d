// Statistics dashboard: draws each <canvas data-chart="ID"> from the JSON in
// <script type="application/json" id="ID"> (json_script; the CSP forbids
// inline script).  The same numbers are in the table under each chart.
(function () {
  "use strict";
  var palette = ["#0031d8", "#e65c00", "#1a7f37", "#a3288f", "#b58900", "#00838f", "#6b4fbb", "#c62828"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var line = data.type === "line";
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: data.values,
          backgroundColor: line ? palette[0] : data.labels.map(function (_, i) { return palette[i % palette.length]; }),
          borderColor: palette[0],
          tension: 0.2,
        }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: line ? "x" : "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.dataset.rendered = "true";
  }

  function init() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
