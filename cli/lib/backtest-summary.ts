import type { BacktestMetrics, BacktestResult } from '../../shared/src/backtest/result/backtest-result';
import { type Align, formatNumber, renderTable } from './table';

const ROWS: readonly (readonly [string, (m: BacktestMetrics) => string])[] = [
  ['Total return %', (m) => formatNumber(m.totalReturnPct, 3)],
  ['Final equity KRW', (m) => formatNumber(m.finalEquityKrw, 0)],
  ['Sharpe (daily, ann.)', (m) => formatNumber(m.sharpe, 2)],
  ['Sortino (daily, ann.)', (m) => formatNumber(m.sortino, 2)],
  ['Max drawdown %', (m) => formatNumber(m.maxDrawdownPct, 3)],
  ['Closed trades', (m) => formatNumber(m.trades, 0)],
  ['Trades per day', (m) => formatNumber(m.tradesPerDay, 1)],
  ['Win rate %', (m) => formatNumber(m.winRate, 1)],
  ['Avg PnL KRW', (m) => formatNumber(m.avgPnlKrw, 0)],
  ['Profit factor', (m) => formatNumber(m.profitFactor, 2)],
  ['Fills', (m) => formatNumber(m.fills, 0)],
  ['Fees KRW', (m) => formatNumber(m.feesKrw, 0)],
  ['Daily goal hit %', (m) => formatNumber(m.dailyGoalHitRatePct, 1)],
];

/**
 * The terminal summary: what ran, then one metrics table with the whole book and each strategy side
 * by side, then the counts of refused orders (a strategy that never trades usually shows why there).
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
  const align: Align[] = ['left', ...headers.slice(1).map((): Align => 'right')];
  const a = result.assumptions;
  const lines = [
    `Backtest ${result.strategy} on ${result.markets.join(', ')} (${a.timeframe})`,
    `${result.from} → ${result.to}, ${result.bars.toLocaleString('en-US')} bars; capital ${a.capitalKrw.toLocaleString('en-US')} KRW, fee ${a.feeRate * 100} %, slippage ${a.slippageBps} bps, seed ${a.seed}`,
    '',
    renderTable(headers, rows, align),
  ];
  for (const [name, why] of Object.entries(a.skippedStrategies ?? {})) lines.push(`Skipped ${name}: ${why}`);
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
