// The report page's own CSS and the browser script that draws one uPlot chart per alert: the value
// line, the learned band between lower and upper (filled), and the alert span shaded amber while
// pending and red while firing, in the colours the legend shows. Kept as strings so the page needs
// nothing but itself.

/** One set of colours for the chart and its legend, so the legend's swatches are what the chart paints. */
export const COLOURS = {
  value: '#1f5fbf',
  band: 'rgba(46, 125, 50, 0.14)',
  bandEdge: 'rgba(46, 125, 50, 0.6)',
  pending: 'rgba(255, 176, 0, 0.35)',
  firing: 'rgba(210, 20, 20, 0.35)',
} as const;

export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta span { margin-right: 16px; color: #555; }
table { border-collapse: collapse; margin: 16px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.entity { white-space: normal; }
th { background: #f4f5f7; }
.sev-critical { color: #b3261e; font-weight: 600; }
.sev-warning { color: #8a5a00; }
tr.pending-only td { color: #6b5200; }
td.never-fired { font-style: italic; }
.legend { list-style: none; padding: 8px 12px; margin: 16px 0; border: 1px solid #ddd; border-radius: 4px; max-width: 980px; }
.legend li { margin: 2px 0; }
.legend .swatch { display: inline-block; width: 28px; height: 12px; margin-right: 8px; vertical-align: middle; box-sizing: border-box; }
.legend .swatch-value { height: 2px; }
.legend .zone { color: #555; margin-top: 6px; }
.chart { margin: 24px 0; }
.chart h2 { font-size: 15px; margin: 0; }
.chart .sub { color: #555; margin: 2px 0 6px; }
.chart .explain { color: #333; font-size: 12px; margin: 4px 0 0; }
.quiet { color: #2e7d32; }
.empty, .uncovered { color: #8a3b00; font-weight: 600; }
`;

const SCRIPT = `
(function () {
  var COLOURS = __COLOURS__;
  var charts = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('charts');
  // The drawn charts, for a reader's console (and the browser test) to inspect.
  var plots = window.sentinelCharts = [];
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function isoDate(d) { return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }
  function isoTime(s) { return new Date(s * 1000).toISOString().replace('.000Z', 'Z'); }
  function trim(v, digits) {
    if (v === 0) return '0';
    var d = Math.max(digits, Math.ceil(Math.log10(Math.abs(v)) + 0.000001));
    return String(Number(Number(v.toPrecision(d)).toFixed(6)));
  }
  function duration(ms) {
    var s = ms / 1000, a = Math.abs(s);
    if (a < 1) return trim(ms, 3) + ' ms';
    if (a < 60) return trim(s, 3) + ' s';
    var min = s / 60;
    if (Math.abs(min) < 120) return trim(min, min < 10 ? 2 : 3) + ' min';
    var h = min / 60;
    if (Math.abs(h) < 48) return trim(h, 2) + ' h';
    return trim(h / 24, 2) + ' d';
  }
  function value(v, unit) {
    if (v == null) return '';
    if (!isFinite(v)) return String(v);
    if (unit === 'ratio') return trim(v * 100, 3) + '%';
    if (unit === 'seconds') return v === 0 ? '0 s' : duration(v * 1000);
    var n = Number(v.toPrecision(4));
    return Math.abs(n) >= 10000 ? n.toLocaleString('en') : String(n);
  }
  window.sentinelFormat = { value: value, duration: duration, isoTime: isoTime };
  // Seconds tick at the steps a person counts in (30 s, 5 min, 1 h, 1 d), not at 5000 s.
  var SECOND_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
    3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
  // Ticks read "10:00"; the first tick and each new day also carry the date, on a second line.
  function timeTicks(u, splits) {
    var lastDate = null;
    return splits.map(function (s) {
      var d = new Date(s * 1000), date = isoDate(d), hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
      var label = date !== lastDate ? hm + '\\n' + date : hm;
      lastDate = date;
      return label;
    });
  }
  // The value axis is as wide as its widest label, so long numbers never run into the axis title.
  function valueAxisSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap;
    var longest = (values || []).reduce(function (a, v) { return v.length > a.length ? v : a; }, '');
    if (longest !== '') { u.ctx.font = axis.font[0]; size += u.ctx.measureText(longest).width / devicePixelRatio; }
    return Math.ceil(size) + 4;
  }
  function spanPlugin(spans) {
    return { hooks: { drawClear: [function (u) {
      var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height, xmax = u.scales.x.max;
      function shade(from, to, colour) {
        var x0 = u.valToPos(from, 'x', true), x1 = u.valToPos(to, 'x', true);
        ctx.fillStyle = colour;
        // A few minutes in a day is a sliver: at least 3 px, so a short alert is still seen.
        ctx.fillRect(x0, top, Math.max(3 * devicePixelRatio, x1 - x0), height);
      }
      spans.forEach(function (s) {
        var end = s.to == null ? xmax : s.to;
        ctx.save();
        if (s.pendingOnly) shade(s.from, end, COLOURS.pending);
        else if (s.firing == null) shade(s.from, end, COLOURS.firing);
        else { shade(s.from, s.firing, COLOURS.pending); shade(s.firing, end, COLOURS.firing); }
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
    var fmt = function (u, v) { return value(v, c.unit); };
    plots.push(new uPlot({
      width: width, height: 300,
      // Ticks fall on UTC hours and midnights, matching the labels.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      series: [
        { label: 'time (UTC)', value: function (u, v) { return v == null ? '' : isoTime(v); } },
        { label: c.valueLabel, stroke: COLOURS.value, width: 1.5, value: fmt },
        { label: 'normal, lower', stroke: COLOURS.bandEdge, dash: [4, 4], width: 1, value: fmt },
        { label: 'normal, upper', stroke: COLOURS.bandEdge, dash: [4, 4], width: 1, value: fmt }
      ],
      bands: [{ series: [3, 2], fill: COLOURS.band }],
      axes: [
        { label: 'time (UTC)', space: 110, size: 56, values: timeTicks },
        Object.assign({ label: c.valueLabel, space: 36, size: valueAxisSize, values: function (u, splits) { return splits.map(function (v) { return value(v, c.unit); }); } },
          c.unit === 'seconds' ? { incrs: SECOND_STEPS } : {})
      ],
      plugins: [spanPlugin(c.spans)]
    }, [c.t, c.v, c.lo, c.hi], box));
    // What the rule judged when it fired (the alert's explain), under its chart.
    if (c.explain) { var ex = document.createElement('div'); ex.className = 'explain'; ex.textContent = c.explain; box.appendChild(ex); }
  });
})();
`;

export const CHART_SCRIPT = SCRIPT.replace('__COLOURS__', JSON.stringify(COLOURS));
