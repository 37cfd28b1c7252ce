/**
 * Browser code that draws the charts from the JSON embedded in the page. Kept as plain ES2017 in a
 * string (not compiled from TypeScript) so the report has no build step and runs in any current
 * browser from `file://`. It only reads `#report-data` and writes into the chart containers; all
 * text it shows comes from `textContent` or uPlot's own escaping, never from innerHTML.
 */
export const CHART_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var charts = [];
  function grouped(v) {
    if (v == null) return '';
    var s = Math.round(v).toString();
    return s.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
  }
  function make(id, series, columns, yFormat) {
    var el = document.getElementById(id);
    if (!el || typeof uPlot === 'undefined' || columns[0].length === 0) return;
    var opts = {
      width: Math.max(320, el.clientWidth || 900),
      height: 280,
      scales: { x: { time: true } },
      series: [{}].concat(series),
      axes: [{}, { size: 90, values: function (u, vals) { return vals.map(yFormat); } }],
    };
    charts.push({ el: el, plot: new uPlot(opts, columns, el) });
  }
  function pct(v) { return v == null ? '' : v.toFixed(2) + '%'; }
  make('chart-equity', [{ label: 'Equity (KRW)', stroke: palette[0], width: 1.5 }],
    [data.equity.t, data.equity.equity], grouped);
  make('chart-drawdown', [{ label: 'Drawdown (%)', stroke: '#d62728', fill: 'rgba(214,39,40,0.15)' }],
    [data.equity.t, data.equity.dd], pct);
  var names = Object.keys(data.contribution.series);
  make('chart-contribution', names.map(function (n, i) {
    return { label: n + ' realised PnL (KRW)', stroke: palette[i % palette.length], width: 1.5 };
  }), [data.contribution.t].concat(names.map(function (n) { return data.contribution.series[n]; })), grouped);
  var holder = document.getElementById('chart-prices');
  data.prices.forEach(function (p, i) {
    if (!holder || p.t.length === 0) return;
    var box = document.createElement('div');
    var title = document.createElement('h3');
    title.textContent = p.market + (p.fromFills ? ' (line through fill prices)' : '');
    var id = 'chart-price-' + i;
    box.appendChild(title);
    var target = document.createElement('div');
    target.id = id;
    box.appendChild(target);
    holder.appendChild(box);
    var none = function () { return null; };
    make(id, [
      { label: 'Price', stroke: '#555', width: 1, spanGaps: true },
      { label: 'Buy', stroke: '#2ca02c', paths: none, points: { show: true, size: 8, fill: '#2ca02c' } },
      { label: 'Sell', stroke: '#d62728', paths: none, points: { show: true, size: 8, fill: '#d62728' } },
    ], [p.t, p.price, p.buy, p.sell], grouped);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.plot.setSize({ width: Math.max(320, c.el.clientWidth || 900), height: 280 }); });
  });
})();
`;
