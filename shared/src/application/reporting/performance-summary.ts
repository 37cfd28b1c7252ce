import { TradingError } from '../../domain/errors/trading-error';
import type { Market } from '../../domain/market/market-id';
import { type Decimal, ZERO } from '../../domain/money/decimal';
import { type Krw, krw, type Price } from '../../domain/money/quantities';
import { unrealizedPnl } from '../../domain/risk/position-accounting';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDayStart } from '../../domain/time/kst-calendar';
import type { Fill } from '../../domain/trading/fill';
import { STRATEGY_NAMES } from '../../domain/trading/strategy-name';
import type { Clock } from '../../ports/clock';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { FillJournal } from '../../ports/fill-journal';
import type { OrderRepository } from '../../ports/order-repository';
import { EquityPerformanceFold } from './equity-performance';
import {
  type EquityPerformance,
  MIN_RELIABLE_DAILY_RETURNS,
  type RealisedSeries,
  realisedSeries,
} from './return-series';
import { type SellOrderContextJournal, sellOrderContext } from './sell-order-context';
import {
  type ClosedTrades,
  closedTradesOf,
  type SellOrderContext,
  type StrategyKey,
  type TradeStats,
  tradeStats,
} from './trade-stats';

/** Longest range one summary reads (fills and minute equity are read day by day). */
export const MAX_SUMMARY_DAYS = 400;

/** Ports the summary reads: fills and positions (the journal) and the executor's minute equity. */
export interface PerformanceSummaryDeps {
  readonly journal: Pick<FillJournal, 'listFills' | 'listPositions'> & Pick<OrderRepository, 'getOrder'>;
  readonly equity: Pick<EquityHistoryStore, 'pointsByDay'>;
  readonly clock: Pick<Clock, 'now'>;
}

/** What to summarise and the facts the stores do not hold. */
export interface PerformanceSummaryInput {
  readonly from: EpochMs;
  readonly to: EpochMs;
  /** Config `dailyGoalPct` (2 = 2 % a day). */
  readonly dailyGoalPct: number;
  /** Config `capital.perStrategyKrw`: the base of each strategy's returns. */
  readonly strategyCapital: Krw;
  /** Marks (best bid) per market for the unrealised PnL of open positions; omit to leave it out. */
  readonly marks?: ReadonlyMap<Market, Price>;
  /** Fee a sell would pay (Upbit KRW taker fee), taken off the unrealised PnL like a real exit. */
  readonly sellFeeRate: Decimal;
}

/** Trade statistics plus open-position PnL of one strategy (or of all together). */
export interface PnlBlock extends TradeStats {
  /** Unrealised PnL of the positions held now at the given marks; undefined without marks. */
  readonly unrealizedPnl: Krw | undefined;
  /** Realised in the range + unrealised now (realised only when unrealised is unknown). */
  readonly totalPnl: Krw;
  readonly openPositions: number;
}

/** One strategy's block with its realised-PnL return series. */
export interface StrategyPerformance extends PnlBlock {
  readonly strategy: StrategyKey;
  readonly series: RealisedSeries;
}

/** Why a figure may mislead; the dashboard and the report show these next to the numbers. */
export interface SummaryWarning {
  readonly code: 'few_daily_returns' | 'no_equity_history' | 'unscored_trades' | 'unpriced_positions';
  readonly message: string;
}

/** Performance of a time range: the dashboard's `/api/performance` and the daily report. */
export interface PerformanceSummary {
  readonly from: EpochMs;
  readonly to: EpochMs;
  readonly generatedAt: EpochMs;
  readonly spanDays: number;
  /** From the equity history; undefined when the executor wrote no equity in the range. */
  readonly account: EquityPerformance | undefined;
  readonly total: PnlBlock;
  /** Every strategy (all five, in canonical order), then `operator` when it traded or holds. */
  readonly byStrategy: readonly StrategyPerformance[];
  /** Markets held now without a mark (left out of the unrealised PnL, never guessed). */
  readonly unpricedMarkets: readonly Market[];
  readonly warnings: readonly SummaryWarning[];
}

function checkRange(from: EpochMs, to: EpochMs): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || !(to > from))
    throw new TradingError('rejected', `performance range needs from < to, got ${from}..${to}`, {
      code: 'invalid_range',
    });
  if (to - from > MAX_SUMMARY_DAYS * MS.day)
    throw new TradingError('rejected', `performance range is longer than ${MAX_SUMMARY_DAYS} days`, {
      code: 'range_too_long',
    });
}

interface OpenPnl {
  readonly byStrategy: Map<StrategyKey, { pnl: Decimal; open: number }>;
  readonly unpriced: Set<Market>;
}

async function openPositionPnl(
  deps: PerformanceSummaryDeps,
  input: PerformanceSummaryInput,
): Promise<OpenPnl> {
  const byStrategy = new Map<StrategyKey, { pnl: Decimal; open: number }>();
  const unpriced = new Set<Market>();
  for (const p of await deps.journal.listPositions()) {
    if (p.volume.isZero()) continue;
    const slot = byStrategy.get(p.strategy) ?? { pnl: ZERO, open: 0 };
    slot.open += 1;
    const mark = input.marks?.get(p.market);
    if (mark === undefined) unpriced.add(p.market);
    else slot.pnl = slot.pnl.plus(unrealizedPnl(p, mark, input.sellFeeRate));
    byStrategy.set(p.strategy, slot);
  }
  return { byStrategy, unpriced };
}

function pnlBlock(
  fills: readonly Fill[],
  closed: ClosedTrades,
  spanDays: number,
  open: { readonly pnl: Decimal; readonly open: number } | undefined,
  withMarks: boolean,
): PnlBlock {
  const stats = tradeStats(fills, closed, spanDays);
  const unrealized = withMarks ? krw(open?.pnl ?? ZERO) : undefined;
  return {
    ...stats,
    unrealizedPnl: unrealized,
    totalPnl: krw(stats.realizedPnl.plus(unrealized ?? ZERO)),
    openPositions: open?.open ?? 0,
  };
}

function warningsOf(summary: Omit<PerformanceSummary, 'warnings'>): SummaryWarning[] {
  const out: SummaryWarning[] = [];
  const days = summary.account?.ratios.dailyReturns ?? 0;
  if (summary.account === undefined)
    out.push({
      code: 'no_equity_history',
      message:
        'no equity was recorded in this range (the executor writes it every minute): return, Sharpe, drawdown and the daily goal are unknown',
    });
  else if (!summary.account.ratios.reliable)
    out.push({
      code: 'few_daily_returns',
      message: `Sharpe and Sortino come from ${days} daily return(s); below ${MIN_RELIABLE_DAILY_RETURNS} they are not meaningful`,
    });
  if (summary.total.unscoredTrades > 0)
    out.push({
      code: 'unscored_trades',
      message: `${summary.total.unscoredTrades} sell order(s) have fills booked without a realised PnL: they are left out of PnL, win rate and averages`,
    });
  if (summary.unpricedMarkets.length > 0)
    out.push({
      code: 'unpriced_positions',
      message: `no mark for ${summary.unpricedMarkets.join(', ')}: those holdings are left out of the unrealised PnL`,
    });
  return out;
}

/** The range's fills, then the sell fills around it that its trades depend on. */
async function rangeSells(
  journal: SellOrderContextJournal,
  input: PerformanceSummaryInput,
  now: EpochMs,
): Promise<[Fill[], SellOrderContext]> {
  const fills = await journal.listFills({ from: input.from, to: input.to });
  return [fills, await sellOrderContext(journal, input, fills, now)];
}

/** The account's equity performance, read one KST day at a time (a year is 500k minute points). */
async function foldEquity(
  equity: Pick<EquityHistoryStore, 'pointsByDay'>,
  equityFrom: EpochMs,
  input: PerformanceSummaryInput,
): Promise<EquityPerformance | undefined> {
  const fold = new EquityPerformanceFold(input.from, input.to, input.dailyGoalPct);
  for await (const day of equity.pointsByDay({ from: equityFrom, to: input.to }))
    for (const p of day) fold.add(p);
  return fold.result();
}

/**
 * Performance of `[from, to)`: realised PnL of the range's sell fills (from the PnL stored with each
 * fill), trades = the sell orders that started filling in the range (one each, scored on all their
 * fills, see `closedTradesOf`), unrealised PnL of what is held now at the given marks, win rate, average
 * P/L and P/L ratio, trade frequency, and, from the executor's minute equity, return, Sharpe and
 * Sortino on KST daily returns, max drawdown and the daily goal; per strategy the same trade figures
 * with ratios on realised PnL over the strategy's capital. Money is exact; ratios are float64.
 * Read-only, so the dashboard may call it as often as it likes.
 */
export async function summarizePerformance(
  deps: PerformanceSummaryDeps,
  input: PerformanceSummaryInput,
): Promise<PerformanceSummary> {
  checkRange(input.from, input.to);
  const generatedAt = deps.clock.now();
  const spanDays = (input.to - input.from) / MS.day;
  // One day before the range: the previous close is the first day's reference.
  const equityFrom = (kstDayStart(input.from) - MS.day) as EpochMs;
  const [[fills, context], account, open] = await Promise.all([
    rangeSells(deps.journal, input, generatedAt),
    foldEquity(deps.equity, equityFrom, input),
    openPositionPnl(deps, input),
  ]);
  const withMarks = input.marks !== undefined;
  let allOpen: { pnl: Decimal; open: number } = { pnl: ZERO, open: 0 };
  for (const o of open.byStrategy.values())
    allOpen = { pnl: allOpen.pnl.plus(o.pnl), open: allOpen.open + o.open };
  const total = pnlBlock(fills, closedTradesOf(fills, context), spanDays, allOpen, withMarks);
  const keys: StrategyKey[] = [...STRATEGY_NAMES];
  if (fills.some((f) => f.strategy === 'operator') || open.byStrategy.has('operator')) keys.push('operator');
  const byStrategy = keys.map((strategy): StrategyPerformance => {
    const own = fills.filter((f) => f.strategy === strategy);
    const closed = closedTradesOf(own, context);
    return {
      strategy,
      ...pnlBlock(own, closed, spanDays, open.byStrategy.get(strategy), withMarks),
      series: realisedSeries(
        closed.realizedByDay,
        input.strategyCapital,
        input.from,
        input.to,
        input.dailyGoalPct,
      ),
    };
  });
  const summary = {
    from: input.from,
    to: input.to,
    generatedAt,
    spanDays,
    account,
    total,
    byStrategy,
    unpricedMarkets: [...open.unpriced].sort(),
  };
  return { ...summary, warnings: warningsOf(summary) };
}
