import { formatKst } from '../../shared/src/backtest/report/html-text';
import { reasonText, strategyAccounting } from '../../shared/src/backtest/report/strategy-accounting';
import type { BacktestMetrics, BacktestResult } from '../../shared/src/backtest/result/backtest-result';
import type { MarkoutStats } from '../../shared/src/backtest/result/markouts';
import { type Align, formatNumber, renderTable } from './table';

/** A ratio with ⚠ when it rests on fewer than 30 daily returns (an undefined one needs no flag). */
function flagged(value: number | null, m: BacktestMetrics): string {
  return `${formatNumber(value, 2)}${m.sharpeWarning === undefined || value === null ? '' : ' ⚠'}`;
}

const ROWS: readonly (readonly [string, (m: BacktestMetrics) => string])[] = [
  ['Total return %', (m) => (m.fills === 0 ? '–' : formatNumber(m.totalReturnPct, 3))],
  ['Final equity KRW', (m) => formatNumber(m.finalEquityKrw, 0)],
  ['Sharpe (daily, ann.)', (m) => flagged(m.sharpe, m)],
  ['Sortino (daily, ann.)', (m) => flagged(m.sortino, m)],
  ['Max drawdown %', (m) => formatNumber(m.maxDrawdownPct, 3)],
  ['Closed trades', (m) => formatNumber(m.trades, 0)],
  ['Trades per day', (m) => formatNumber(m.tradesPerDay, 1)],
  ['Win rate %', (m) => (m.trades === 0 ? '–' : formatNumber(m.winRate, 1))],
  ['Avg PnL KRW', (m) => (m.trades === 0 ? '–' : formatNumber(m.avgPnlKrw, 0))],
  ['Profit factor', (m) => formatNumber(m.profitFactor, 2)],
  ['Fills', (m) => formatNumber(m.fills, 0)],
  ['Fees KRW', (m) => formatNumber(m.feesKrw, 0)],
  ['Daily goal hit %', (m) => formatNumber(m.dailyGoalHitRatePct, 1)],
];

const RIGHT = (n: number): Align[] => Array.from({ length: n }, (): Align => 'right');

function count(n: number | null): string {
  return n === null ? '–' : formatNumber(n, 0);
}

/** Signals per strategy and what became of them, gated vs ungated results, Kelly gate periods. */
function signalSection(result: BacktestResult): string[] {
  const acc = strategyAccounting(result);
  const lines: string[] = ['', 'Signals per strategy and what became of them:'];
  if (!acc.available)
    lines.push('  (this build records no signal accounting; the refused orders below are all there is)');
  lines.push(
    renderTable(
      [
        'Strategy',
        'Signals',
        'Traded',
        'Netted',
        'Held',
        'Refused',
        'Fills',
        'Return %',
        'Ungated return %',
        'Ungated trades',
      ],
      acc.rows.map((r) => [
        r.strategy,
        count(r.signals),
        count(r.traded),
        count(r.netted),
        count(r.heldByEnsemble),
        count(r.refusedTotal),
        count(r.fills),
        r.closedTrades === 0 && r.fills === 0 ? '–' : formatNumber(r.gatedReturnPct, 3),
        r.ungated === null ? '–' : formatNumber(r.ungated.returnPct, 3),
        r.ungated === null ? '–' : count(r.ungated.trades),
      ]),
      ['left', ...RIGHT(9)],
    ),
  );
  lines.push(
    '  Held = no order by the ensemble rule; Refused = risk engine or exchange rules; Ungated = the signals traded',
    '  alone, without ensemble, risk limits or the Kelly gate (docs/ensemble.md).',
  );
  for (const r of acc.rows) {
    const reasons = [
      r.heldReasons.length > 0 ? `held: ${reasonText(r.heldReasons)}` : '',
      r.refusedByRisk.length > 0 ? `refused: ${reasonText(r.refusedByRisk)}` : '',
    ].filter((x) => x !== '');
    if (reasons.length > 0) lines.push(`  ${r.strategy}: ${reasons.join('; ')}`);
  }
  for (const r of acc.rows)
    if (r.noTradeReason !== undefined) lines.push(`Did not trade — ${r.strategy}: ${r.noTradeReason}`);
  for (const [name, why] of acc.skipped) lines.push(`Did not run — ${name}: ${why}`);
  const gated = acc.rows.filter((r) => r.gatePeriods.length > 0);
  if (gated.length > 0) {
    lines.push(
      '',
      'Kelly "no edge" gate, periods closed (signals kept as paper trades; reopens when the edge recovers):',
    );
    for (const r of gated) {
      const shown = r.gatePeriods
        .slice(0, 5)
        .map((p) => `${formatKst(p.from)} → ${p.to === null ? 'end' : formatKst(p.to)}`);
      const more = r.gatePeriods.length > 5 ? `, … (${r.gatePeriods.length} periods)` : '';
      lines.push(`  ${r.strategy}: ${shown.join('; ')}${more}`);
      const last = r.gatePeriods[r.gatePeriods.length - 1];
      if (last !== undefined) lines.push(`    last closed because ${last.reason}`);
    }
  }
  return lines;
}

function markoutCell(s: MarkoutStats | undefined): string {
  if (s === undefined || s.meanBps === null) return '–';
  return `${formatNumber(s.meanBps, 2)} (${formatNumber(s.adversePct, 0)} % adverse)`;
}

/** Mean mark-outs of maker fills, bps in our favour, per strategy. */
function markoutSection(result: BacktestResult): string[] {
  const m = result.markouts;
  if (m.all['1'].fills === 0) return [];
  const rows = [
    [
      'all',
      formatNumber(m.all['1'].fills, 0),
      markoutCell(m.all['1']),
      markoutCell(m.all['5']),
      markoutCell(m.all['30']),
    ],
    ...Object.entries(m.byStrategy).map(([name, s]) => [
      name,
      formatNumber(s['1'].fills, 0),
      markoutCell(s['1']),
      markoutCell(s['5']),
      markoutCell(s['30']),
    ]),
  ];
  return [
    '',
    'Maker fill mark-outs (mean bps the price moved our way after the fill; negative = picked off):',
    renderTable(['Strategy', 'Maker fills', '1 bar', '5 bars', '30 bars'], rows, ['left', ...RIGHT(4)]),
  ];
}

/**
 * The terminal summary: what ran, one metrics table with the whole book and each strategy side by
 * side (Sharpe flagged when from too few days), what became of each strategy's signals, the maker
 * fills' mark-outs, and the counts of refused orders.
 */
export function renderSummary(result: BacktestResult): string {
  const names = Object.keys(result.perStrategy) as (keyof BacktestResult['perStrategy'])[];
  const headers = ['Metric', 'Total', ...names];
  const rows = ROWS.map(([label, get]) => [
    label,
    get(result.metrics),
    ...names.map((n) => {
      const m = result.perStrategy[n];
      return m === undefined ? '–' : get(m);
    }),
  ]);
  const a = result.assumptions;
  const lines = [
    `Backtest ${result.strategy} on ${result.markets.join(', ')} (${a.timeframe})`,
    `${result.from} → ${result.to} (${formatKst(result.from)} → ${formatKst(result.to)}), ${result.bars.toLocaleString('en-US')} bars; capital ${a.capitalKrw.toLocaleString('en-US')} KRW, fee ${a.feeRate * 100} %, slippage ${a.slippageBps} bps, seed ${a.seed}`,
    '',
    renderTable(headers, rows, ['left', ...RIGHT(headers.length - 1)]),
  ];
  if (result.metrics.sharpeWarning !== undefined) lines.push(`⚠ ${result.metrics.sharpeWarning}`);
  lines.push(...signalSection(result), ...markoutSection(result));
  const src = a.restingFillSources;
  if (src.tape + src.bar > 0)
    lines.push(
      '',
      `Resting orders were filled from the recorded tape on ${src.tape.toLocaleString('en-US')} bars and from the candle estimate on ${src.bar.toLocaleString('en-US')} (fill model: docs/backtesting.md).`,
    );
  const refusals = Object.entries(a.refusals).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  if (refusals.length > 0) {
    lines.push('', 'Orders not placed or not filled, by reason:');
    lines.push(
      renderTable(
        ['Reason', 'Count'],
        refusals.slice(0, 10).map(([k, v]) => [k, formatNumber(v, 0)]),
        ['left', 'right'],
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
