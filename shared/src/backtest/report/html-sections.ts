import type {
  BacktestAssumptions,
  BacktestMetrics,
  PerStrategyMetrics,
  TradeRecord,
} from '../result/backtest-result';
import {
  escapeHtml,
  formatKrw,
  formatKst,
  formatNumber,
  formatPct,
  formatPrice,
  formatRatio,
} from './html-text';
import type { MonthReturn, WinRateRow } from './report-model';

/** A table cell: text (escaped here) and an optional class for colouring signs or aligning numbers. */
interface Cell {
  readonly text: string;
  readonly cls?: string;
}

function cell(text: string, cls?: string): Cell {
  return cls === undefined ? { text } : { text, cls };
}

function signClass(value: number | null): string {
  if (value === null || value === 0) return 'num';
  return value > 0 ? 'num pos' : 'num neg';
}

/** Renders a table with escaped header and cells; the one place table markup is written. */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) =>
            c.cls === undefined
              ? `<td>${escapeHtml(c.text)}</td>`
              : `<td class="${escapeHtml(c.cls)}">${escapeHtml(c.text)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A titled section with an English heading and a Korean subtitle, escaped. */
export function section(id: string, title: string, korean: string, body: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)} <small lang="ko">${escapeHtml(korean)}</small></h2>\n${body}\n</section>`;
}

const METRIC_HEADERS = [
  'Return',
  'Sharpe',
  'Sortino',
  'Max DD',
  'Win rate',
  'Avg PnL',
  'Profit factor',
  'Trades',
  'Trades/day',
  'Fees',
  'Final equity',
  'Daily goal hit',
] as const;

const DASH = '–';

/** Sharpe/Sortino text, flagged with ⚠ when from fewer than 30 daily returns. */
function ratioCell(value: number | null, m: BacktestMetrics): Cell {
  return cell(`${formatRatio(value)}${m.sharpeWarning === undefined || value === null ? '' : ' ⚠'}`, 'num');
}

function metricCells(m: BacktestMetrics): Cell[] {
  // A strategy that never filled has no return, win rate or average to speak of: a dash, not 0.00 %.
  const idle = m.fills === 0;
  const noTrades = m.trades === 0;
  return [
    idle ? cell(DASH, 'num') : cell(formatPct(m.totalReturnPct), signClass(m.totalReturnPct)),
    ratioCell(m.sharpe, m),
    ratioCell(m.sortino, m),
    cell(idle ? DASH : formatPct(m.maxDrawdownPct), 'num'),
    cell(noTrades ? DASH : formatPct(m.winRate), 'num'),
    noTrades ? cell(DASH, 'num') : cell(formatKrw(m.avgPnlKrw), signClass(m.avgPnlKrw)),
    cell(formatRatio(m.profitFactor), 'num'),
    cell(String(m.trades), 'num'),
    cell(formatNumber(m.tradesPerDay, 2), 'num'),
    cell(formatKrw(m.feesKrw), 'num'),
    cell(formatKrw(m.finalEquityKrw), 'num'),
    cell(formatPct(m.dailyGoalHitRatePct), 'num'),
  ];
}

/** Headline metrics for the whole run, with the Sharpe warning under them when it applies. */
export function summaryTable(m: BacktestMetrics): string {
  const warning =
    m.sharpeWarning === undefined ? '' : `\n<p class="warn">⚠ ${escapeHtml(m.sharpeWarning)}</p>`;
  return `${htmlTable(METRIC_HEADERS, [metricCells(m)])}${warning}`;
}

/** The same metrics per strategy, so each strategy's contribution can be compared side by side. */
export function perStrategyTable(per: PerStrategyMetrics): string {
  const names = Object.keys(per).sort();
  if (names.length === 0) return '<p>No strategy traded.</p>';
  const rows = names.map((name) => {
    const m = per[name as keyof PerStrategyMetrics] as BacktestMetrics;
    return [cell(name), ...metricCells(m)];
  });
  return htmlTable(['Strategy', ...METRIC_HEADERS], rows);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Monthly returns as a year × month grid with a compounded yearly total. */
export function monthlyTable(months: readonly MonthReturn[]): string {
  if (months.length === 0) return '<p>No equity samples.</p>';
  const years = new Map<string, Map<number, number>>();
  for (const m of months) {
    const [year = '', mm = '1'] = m.month.split('-');
    const row = years.get(year) ?? new Map<number, number>();
    row.set(Number(mm) - 1, m.returnPct);
    years.set(year, row);
  }
  const rows = [...years.entries()].map(([year, row]) => {
    let compounded = 1;
    for (const r of row.values()) compounded *= 1 + r / 100;
    const total = (compounded - 1) * 100;
    return [
      cell(year),
      ...MONTHS.map((_, i) => {
        const r = row.get(i);
        return r === undefined ? cell('', 'num') : cell(formatPct(r), signClass(r));
      }),
      cell(formatPct(total), signClass(total)),
    ];
  });
  return htmlTable(['Year (KST)', ...MONTHS, 'Year'], rows);
}

/** One pattern table: closed trades, wins, win rate and net PnL per group. */
export function winRateTable(keyHeader: string, rows: readonly WinRateRow[]): string {
  if (rows.every((r) => r.trades === 0)) return '<p>No closed trades.</p>';
  return htmlTable(
    [keyHeader, 'Closed trades', 'Wins', 'Win rate', 'Net PnL'],
    rows.map((r) => [
      cell(r.key),
      cell(String(r.trades), 'num'),
      cell(String(r.wins), 'num'),
      cell(formatPct(r.winRatePct), 'num'),
      cell(formatKrw(r.pnlKrw), signClass(Number(r.pnlKrw))),
    ]),
  );
}

/** Fees, slippage, fill model and refusals, stated so nobody reads the numbers without them. */
export function assumptionsBlock(a: BacktestAssumptions): string {
  const facts = htmlTable(
    ['Assumption', 'Value'],
    [
      [cell('Starting capital'), cell(formatKrw(a.capitalKrw), 'num')],
      [cell('Fee rate per fill'), cell(`${formatNumber(a.feeRate * 100, 4)}%`, 'num')],
      [cell('Slippage on marketable orders'), cell(`${formatNumber(a.slippageBps, 1)} bps`, 'num')],
      [cell('Timeframe'), cell(a.timeframe)],
      [cell('Random seed'), cell(String(a.seed), 'num')],
      [
        cell('Resting orders filled from the tape / the candle estimate (bars)'),
        cell(`${a.restingFillSources.tape} / ${a.restingFillSources.bar}`, 'num'),
      ],
    ],
  );
  const fill = a.fillModel.map((line) => `<li>${escapeHtml(line)}</li>`).join('\n');
  const refusalRows = Object.entries(a.refusals)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([code, n]) => [cell(code), cell(String(n), 'num')]);
  const refusals =
    refusalRows.length === 0
      ? '<p>No order was refused.</p>'
      : htmlTable(['Refused orders (reason)', 'Count'], refusalRows);
  return `${facts}\n<h3>Fill model <small lang="ko">체결 모델</small></h3>\n<ul>${fill}</ul>\n${refusals}`;
}

/** Most trades listed on the page; the full list is in `--json`. */
export const MAX_LISTED_TRADES = 300;

/** The last {@link MAX_LISTED_TRADES} fills, newest last, with their reasons (escaped: they are free text). */
export function tradeListTable(trades: readonly TradeRecord[]): string {
  if (trades.length === 0) return '<p>No fills.</p>';
  const shown = trades.slice(-MAX_LISTED_TRADES);
  const note =
    shown.length < trades.length
      ? `<p>Showing the last ${shown.length} of ${trades.length} fills; run with --json for all of them.</p>\n`
      : '';
  return `${note}${htmlTable(
    [
      'Time (KST)',
      'Market',
      'Strategy',
      'Side',
      'Price',
      'Volume',
      'Fee',
      'PnL',
      'Maker',
      'Mark-out 1/5/30 bars (bps)',
      'Reason',
    ],
    shown.map((t) => [
      cell(formatKst(t.time).replace(' KST', '')),
      cell(t.market),
      cell(t.strategy),
      cell(t.side === 'bid' ? 'buy' : 'sell', t.side === 'bid' ? 'pos' : 'neg'),
      cell(formatPrice(t.price), 'num'),
      cell(t.volume, 'num'),
      cell(formatKrw(t.feeKrw), 'num'),
      t.side === 'bid' ? cell(DASH, 'num') : cell(formatKrw(t.pnlKrw), signClass(Number(t.pnlKrw))),
      cell(t.maker ? 'yes' : 'no'),
      cell(
        t.markoutBps === undefined
          ? DASH
          : [t.markoutBps['1'], t.markoutBps['5'], t.markoutBps['30']]
              .map((v) => (v === null ? DASH : formatNumber(v, 1)))
              .join(' / '),
        'num',
      ),
      cell(t.reason, 'reason'),
    ]),
  )}`;
}
