// @ts-check
import uPlot from '/vendor/uplot.esm.js';
import { language } from './i18n.js';

/** @type {Map<string, any>} */
const charts = new Map();

/** Width available to a chart's container. @param {HTMLElement} box */
function widthOf(box) {
  return Math.max(260, Math.floor(box.getBoundingClientRect().width));
}

/**
 * Creates the chart in `box` on first use, then only swaps its data (uPlot redraws in place).
 * @param {string} id element id
 * @param {any} options uPlot options without width
 * @param {any[]} data
 */
function draw(id, options, data) {
  const box = /** @type {HTMLElement} */ (document.getElementById(id));
  const existing = charts.get(id);
  if (existing && existing.series.length === options.series.length) {
    existing.setData(data);
    return;
  }
  existing?.destroy();
  // Times in KST (the exchange's and the loss limits' clock), whatever the browser's zone.
  const tzDate = (/** @type {number} */ ts) => uPlot.tzDate(new Date(ts * 1e3), 'Asia/Seoul');
  charts.set(id, new uPlot({ ...options, tzDate, width: widthOf(box), height: 220 }, data, box));
}

const axis = { stroke: '#8b96a1', grid: { stroke: '#2c3640' }, ticks: { stroke: '#2c3640' } };

const kstParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Seoul',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * Time labels in KST on a 24-hour clock (`14:30`, a day as `11/25` at its midnight): uPlot's default
 * is the US 12-hour style (`4pm`, `11/22/26`), which Korean traders do not read at a glance.
 */
const timeAxis = {
  ...axis,
  values: (
    /** @type {any} */ _u,
    /** @type {number[]} */ vals,
    /** @type {number} */ _axis,
    /** @type {number} */ _space,
    /** @type {number} */ incr,
  ) =>
    vals.map((v) => {
      /** @type {Record<string, string>} */
      const p = {};
      for (const part of kstParts.formatToParts(new Date(v * 1000))) p[part.type] = part.value;
      const day = `${p.month}/${p.day}`;
      const time = `${p.hour}:${p.minute}`;
      return incr >= 86_400 || time === '00:00' ? day : time;
    }),
};

/** KRW axis labels in compact form (1,234만 / 12.3M) so they fit a phone screen. */
const krwAxis = {
  ...axis,
  size: 64,
  values: (/** @type {any} */ _u, /** @type {number[]} */ vals) =>
    vals.map((v) =>
      new Intl.NumberFormat(language() === 'ko' ? 'ko-KR' : 'en-US', {
        notation: 'compact',
        maximumSignificantDigits: 4,
      }).format(v),
    ),
};

/**
 * The account equity curve.
 * @param {{ points: { at: number, equity: number }[] }} equity `GET /api/equity`
 */
export function drawEquity(equity) {
  const xs = equity.points.map((p) => p.at / 1000);
  const ys = equity.points.map((p) => p.equity);
  draw(
    'equity-chart',
    {
      series: [{}, { label: 'KRW', stroke: '#30a46c', width: 2, fill: 'rgba(48,164,108,0.12)' }],
      axes: [timeAxis, krwAxis],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    },
    [xs, ys],
  );
}

/**
 * 1-minute closes of a market with our fills as markers: red dots buys, blue dots sells (Korean colours).
 * Fills are placed on the minute they happened in, at their own price.
 * @param {{ candles: { t: number, c: number }[], trades: { at: number, side: string, price: string }[] }} data
 */
export function drawPrice(data) {
  const xs = data.candles.map((c) => c.t / 1000);
  const close = data.candles.map((c) => c.c);
  /** @type {(number | null)[]} */
  const buys = xs.map(() => null);
  /** @type {(number | null)[]} */
  const sells = xs.map(() => null);
  for (const f of data.trades) {
    const minute = Math.floor(f.at / 60000) * 60;
    const i = xs.indexOf(minute);
    if (i < 0) continue;
    (f.side === 'bid' ? buys : sells)[i] = Number(f.price);
  }
  const marker = (/** @type {string} */ color, /** @type {string} */ shape) => ({
    stroke: color,
    fill: color,
    width: 0,
    paths: () => null,
    points: { show: true, size: 11, fill: color, stroke: color, width: 1, space: 0 },
    label: shape,
  });
  draw(
    'price-chart',
    {
      series: [
        {},
        { label: 'close', stroke: '#e6e9ec', width: 1.5 },
        marker('#e5484d', 'buy'),
        marker('#3e8ef7', 'sell'),
      ],
      axes: [timeAxis, krwAxis],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    },
    [xs, close, buys, sells],
  );
}

/** Resizes every chart to its container (phone rotation, window resize). */
export function resizeCharts() {
  for (const [id, chart] of charts) {
    const box = /** @type {HTMLElement} */ (document.getElementById(id));
    chart.setSize({ width: widthOf(box), height: 220 });
  }
}
