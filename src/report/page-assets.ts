// The report page's own CSS and the browser script that draws one uPlot chart per alert: the value
// line, the learned band between lower and upper (filled), and the alert span as a shaded rectangle
// (pending lighter, firing darker). Kept as strings so the page needs nothing but itself.

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta span { margin-right: 16px; color: #555; }
table { border-collapse: collapse; margin: 16px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #f4f5f7; }
.sev-critical { color: #b3261e; font-weight: 600; }
.sev-warning { color: #8a5a00; }
.chart { margin: 24px 0; }
.chart h2 { font-size: 15px; margin: 0; }
.chart .sub { color: #555; margin: 2px 0 6px; }
.chart .explain { color: #333; font-size: 12px; margin: 4px 0 0; }
.quiet { color: #2e7d32; }
`;

export const CHART_SCRIPT = `
(function () {
  var charts = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('charts');
  function spanPlugin(spans) {
    return { hooks: { drawClear: [function (u) {
      var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
      var xmax = u.scales.x.max;
      spans.forEach(function (s) {
        var x0 = u.valToPos(s.from, 'x', true);
        var xf = s.firing == null ? null : u.valToPos(s.firing, 'x', true);
        var x1 = u.valToPos(s.to == null ? xmax : s.to, 'x', true);
        ctx.save();
        ctx.fillStyle = 'rgba(230, 120, 0, 0.15)';
        ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        if (xf != null) { ctx.fillStyle = 'rgba(200, 30, 30, 0.18)'; ctx.fillRect(xf, top, Math.max(1, x1 - xf), height); }
        ctx.restore();
      });
    }] } };
  }
  charts.forEach(function (c, i) {
    var box = document.createElement('div');
    box.className = 'chart';
    box.id = 'chart-' + i;
    var h = document.createElement('h2'); h.textContent = c.title; box.appendChild(h);
    var sub = document.createElement('div'); sub.className = 'sub'; sub.textContent = c.subtitle; box.appendChild(sub);
    root.appendChild(box);
    var width = Math.max(600, Math.min(1400, document.body.clientWidth - 20));
    new uPlot({
      width: width, height: 280, tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      series: [
        {},
        { label: c.valueLabel, stroke: '#1f5fbf', width: 1.5 },
        { label: 'lower', stroke: 'rgba(46,125,50,0.6)', dash: [4, 4], width: 1 },
        { label: 'upper', stroke: 'rgba(46,125,50,0.6)', dash: [4, 4], width: 1 }
      ],
      bands: [{ series: [3, 2], fill: 'rgba(46,125,50,0.12)' }],
      axes: [{}, { label: c.valueLabel }],
      plugins: [spanPlugin(c.spans)]
    }, [c.t, c.v, c.lo, c.hi], box);
    if (c.explain) { var ex = document.createElement('div'); ex.className = 'explain'; ex.textContent = c.explain; box.appendChild(ex); }
  });
})();
`;
