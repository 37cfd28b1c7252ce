/**
 * Browser code that draws the charts from the JSON embedded in the page. Kept as plain ES2017 in a
 * string (not compiled from TypeScript) so the report has no build step and runs in any current
 * browser from `file://`. It only reads `#report-data` and writes into the chart containers; all
 * text it shows comes from `textContent` or uPlot's own escaping, never from innerHTML.
 *
 * Time axes are Korea time whatever the viewer's time zone (ticks placed on KST boundaries, labels
 * formatted here, not by the browser's locale), money is ₩ with thousands separators, and fills are
 * drawn as markers aggregated per few pixels at the current zoom, under the price line. The pure
 * helpers are exposed as `window.qtsReport` for tests.
 */
export const CHART_SCRIPT = `
(function () {
  'use strict';
  var KST = 9 * 3600;
  var BUCKET_PX = 6;
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function kstParts(sec) {
    var d = new Date((sec + KST) * 1000);
    return { y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()) };
  }
  function kstText(sec) {
    var p = kstParts(sec);
    return p.y + '-' + p.mo + '-' + p.d + ' ' + p.h + ':' + p.mi + ' KST';
  }
  // Tick labels: dates over long spans; otherwise the date at KST midnight (and on the first tick)
  // and the time of day in between, so labels stay short and never overlap.
  function kstTick(sec, span, first) {
    var p = kstParts(sec);
    if (span > 90 * 86400) return p.y + '-' + p.mo + '-' + p.d;
    if (first) return p.mo + '-' + p.d + ' ' + p.h + ':' + p.mi;
    if (p.h === '00' && p.mi === '00') return p.mo + '-' + p.d;
    return p.h + ':' + p.mi;
  }
  function grouped(abs, decimals) {
    var parts = abs.toFixed(decimals).split('.');
    var whole = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
    return parts.length > 1 ? whole + '.' + parts[1] : whole;
  }
  function won(v) {
    if (v == null) return '\u2013';
    var a = Math.abs(v);
    return (v < 0 ? '-' : '') + '\\u20a9' + grouped(a, a >= 1000 ? 0 : a >= 1 ? 2 : 4);
  }
  function pct(v) { return v == null ? '\u2013' : v.toFixed(2) + '%'; }
  // Fills inside [x0, x1] (seconds) aggregated per bucket of px pixels and side: one marker each, at
  // the bucket's mean fill price, with the number of fills it stands for.
  function bucketFills(fills, x0, x1, toPx, px) {
    var buckets = {};
    var out = [];
    for (var i = 0; i < fills.t.length; i++) {
      var t = fills.t[i];
      if (t < x0 || t > x1) continue;
      var x = toPx(t);
      var key = Math.floor(x / px) + ':' + fills.side[i];
      var b = buckets[key];
      if (!b) {
        b = buckets[key] = { x: (Math.floor(x / px) + 0.5) * px, sum: 0, n: 0, side: fills.side[i] };
        out.push(b);
      }
      b.sum += fills.price[i];
      b.n += 1;
    }
    return out.map(function (b) { return { x: b.x, price: b.sum / b.n, side: b.side, n: b.n }; });
  }
  function markers(fills) {
    return {
      hooks: {
        drawClear: function (u) {
          var ctx = u.ctx;
          var bb = u.bbox;
          var dpr = window.devicePixelRatio || 1;
          var list = bucketFills(fills, u.scales.x.min, u.scales.x.max, function (t) { return u.valToPos(t, 'x', true); }, BUCKET_PX * dpr);
          ctx.save();
          ctx.beginPath();
          ctx.rect(bb.left, bb.top, bb.width, bb.height);
          ctx.clip();
          list.forEach(function (m) {
            var y = u.valToPos(m.price, 'y', true);
            var s = (3 + Math.min(4, Math.log(m.n) * 1.2)) * dpr;
            ctx.fillStyle = m.side > 0 ? 'rgba(44,160,44,0.55)' : 'rgba(214,39,40,0.55)';
            ctx.beginPath();
            if (m.side > 0) { ctx.moveTo(m.x, y); ctx.lineTo(m.x - s, y + 1.7 * s); ctx.lineTo(m.x + s, y + 1.7 * s); }
            else { ctx.moveTo(m.x, y); ctx.lineTo(m.x - s, y - 1.7 * s); ctx.lineTo(m.x + s, y - 1.7 * s); }
            ctx.closePath();
            ctx.fill();
          });
          ctx.restore();
        },
      },
    };
  }
  if (typeof window !== 'undefined') window.qtsReport = { bucketFills: bucketFills, kstText: kstText, kstTick: kstTick, won: won };
  var node = typeof document !== 'undefined' && document.getElementById('report-data');
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var charts = [];
  function make(id, yLabel, series, columns, yFormat, plugins) {
    var el = document.getElementById(id);
    if (!el || typeof uPlot === 'undefined' || columns[0].length === 0) return;
    var opts = {
      width: Math.max(320, el.clientWidth || 900),
      height: 280,
      scales: { x: { time: true } },
      series: [{ label: 'Time (KST)', value: function (u, v) { return v == null ? '\u2013' : kstText(v); } }].concat(series),
      axes: [
        { label: 'Time (KST)', space: 60, values: function (u, splits) {
          var span = u.scales.x.max - u.scales.x.min;
          return splits.map(function (s, i) { return kstTick(s, span, i === 0); });
        } },
        { label: yLabel, size: 100, values: function (u, vals) { return vals.map(yFormat); } },
      ],
      plugins: plugins || [],
    };
    if (typeof uPlot.tzDate === 'function') opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Asia/Seoul'); };
    charts.push({ el: el, plot: new uPlot(opts, columns, el) });
  }
  make('chart-equity', 'Equity (\\u20a9)', [{ label: 'Equity (KRW)', stroke: palette[0], width: 1.5, value: function (u, v) { return won(v); } }],
    [data.equity.t, data.equity.equity], won);
  make('chart-drawdown', 'Drawdown (%)', [{ label: 'Drawdown (%)', stroke: '#d62728', fill: 'rgba(214,39,40,0.15)' }],
    [data.equity.t, data.equity.dd], pct);
  var names = Object.keys(data.contribution.series);
  make('chart-contribution', 'Realised PnL (\\u20a9)', names.map(function (n, i) {
    return { label: n + ' realised PnL (KRW)', stroke: palette[i % palette.length], width: 1.5, value: function (u, v) { return won(v); } };
  }), [data.contribution.t].concat(names.map(function (n) { return data.contribution.series[n]; })), won);
  var holder = document.getElementById('chart-prices');
  data.prices.forEach(function (p, i) {
    if (!holder || p.t.length === 0) return;
    var box = document.createElement('div');
    var title = document.createElement('h3');
    var shown = p.fills.t.length < p.fillsTotal ? ' — markers for the last ' + p.fills.t.length + ' of ' + p.fillsTotal + ' fills' : '';
    title.textContent = p.market + (p.fromFills ? ' (line through fill prices)' : '') + shown;
    var id = 'chart-price-' + i;
    box.appendChild(title);
    var target = document.createElement('div');
    target.id = id;
    box.appendChild(target);
    holder.appendChild(box);
    make(id, 'Price (\\u20a9)', [{ label: 'Price', stroke: '#333', width: 1.25, spanGaps: true, value: function (u, v) { return won(v); } }],
      [p.t, p.price], won, [markers(p.fills)]);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.plot.setSize({ width: Math.max(320, c.el.clientWidth || 900), height: 280 }); });
  });
})();
`;
