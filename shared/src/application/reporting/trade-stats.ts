import type { Market } from '../../domain/market/market-id';
import { type Decimal, Rounding, ZERO } from '../../domain/money/decimal';
import { type Krw, krw } from '../../domain/money/quantities';
import type { OrderIdentifier } from '../../domain/orders/identifiers';
import { tradeMetrics } from '../../domain/risk/performance-metrics';
import { type EpochMs, MS } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import type { Fill } from '../../domain/trading/fill';
import type { StrategyName } from '../../domain/trading/strategy-name';

/** A strategy or the operator's own orders (close-all, manual sells). */
export type StrategyKey = StrategyName | 'operator';

/** Averages are divisions: rounded half-even to this many KRW decimals (sums stay exact). */
export const AVERAGE_DECIMALS = 4;

/**
 * One closed trade: a sell order and the PnL its fills realised, net of the fees of both legs
 * (average-cost accounting, `position-accounting.ts`). The partial fills of one order are one trade,
 * so an order filled in five pieces does not count five times in the win rate; and an order whose
 * fills span two ranges (a KST midnight) is a trade of one of them only, see {@link closedTradesOf}.
 */
export interface ClosedTradeRecord {
  readonly identifier: OrderIdentifier;
  readonly market: Market;
  readonly strategy: StrategyKey;
  /** Time of the order's first fill: the range holding it is the one that counts the trade. */
  readonly openedAt: EpochMs;
  /** Time of the order's last fill known (may lie after the range when the order kept filling). */
  readonly closedAt: EpochMs;
  /** PnL of all the order's fills known, including those after the range. */
  readonly realizedPnl: Krw;
}

/** Sell orders of a range, scored, and what the range's own sell fills realised. */
export interface ClosedTrades {
  /** The trades this range counts (first fill in the range), oldest close first. */
  readonly trades: readonly ClosedTradeRecord[];
  /** Sell orders with at least one fill booked without its realised PnL (see `Fill.realizedPnl`). */
  readonly unscored: number;
  /**
   * PnL realised by the range's own sell fills (of orders whose fills here all carry a PnL): what
   * the range earned, whichever range counts each order as a trade, so ranges add up exactly.
   */
  readonly realizedPnl: Krw;
  /** {@link realizedPnl} per KST day (`YYYY-MM-DD`) of the fills. */
  readonly realizedByDay: ReadonlyMap<string, Krw>;
}

/** The sell fills around a range that decide which of its orders it counts and what they made. */
export interface SellOrderContext {
  /** Keys ({@link sellOrderKey}) of sell orders with a fill before the range: an earlier range counts them. */
  readonly startedBefore: ReadonlySet<string>;
  /** Sell fills after the range (orders that kept filling): part of their trade's PnL. */
  readonly later: readonly Fill[];
}

/** No fills around the range: every sell order of the range is its trade, scored on its fills here. */
export const NO_SELL_CONTEXT: SellOrderContext = { startedBefore: new Set(), later: [] };

/**
 * How far around a range sell fills are always read for {@link SellOrderContext}. A sell order rests
 * at most the executor's maker window (≤ 1 h, `makerWindowSeconds`) before it escalates or is given
 * up, so its fills span far less; an older order (one resting through an executor outage, an
 * operator's order adopted by reconciliation) is looked up further back (`sell-order-context.ts`).
 */
export const SELL_ORDER_SPAN_MS = 2 * MS.day;

/** Identity of one sell order in the reports: strategy and order identifier. */
export function sellOrderKey(fill: Fill): string {
  return `${fill.strategy}\u0000${fill.identifier}`;
}

interface OrderFills {
  first: Fill;
  closedAt: EpochMs;
  pnl: Decimal;
  scored: boolean;
  readonly byDay: Map<string, Decimal>;
}

function groupSells(fills: readonly Fill[], only?: ReadonlySet<string>): Map<string, OrderFills> {
  const groups = new Map<string, OrderFills>();
  for (const f of fills) {
    if (f.side !== 'ask') continue;
    const key = sellOrderKey(f);
    if (only !== undefined && !only.has(key)) continue;
    const pnl = f.realizedPnl ?? ZERO;
    let g = groups.get(key);
    if (g === undefined) {
      g = { first: f, closedAt: f.at, pnl: ZERO, scored: true, byDay: new Map() };
      groups.set(key, g);
    }
    if (f.at < g.first.at) g.first = f;
    g.closedAt = Math.max(f.at, g.closedAt) as EpochMs;
    g.pnl = g.pnl.plus(pnl);
    g.scored = g.scored && f.realizedPnl !== undefined;
    const day = kstDateKey(f.at);
    g.byDay.set(day, (g.byDay.get(day) ?? ZERO).plus(pnl));
  }
  return groups;
}

/**
 * Groups a range's sell fills by order. Every order's fills here add to the range's realised PnL
 * (per day too), but the order is a trade of the range only if its first fill lies in it (none in
 * `context.startedBefore`), scored on all its fills known, `context.later` included. So an order
 * filled across a KST midnight counts once, on the day it started filling, in every day's report
 * and in any range, and each day keeps the PnL its own fills realised. (The day it starts rather
 * than the day it completes: a day's report is made while such an order may still be filling, and
 * a stored report never changes, so only its first fill is final by then.)
 */
export function closedTradesOf(
  fills: readonly Fill[],
  context: SellOrderContext = NO_SELL_CONTEXT,
): ClosedTrades {
  const groups = groupSells(fills);
  const after = groupSells(context.later, new Set(groups.keys()));
  const trades: ClosedTradeRecord[] = [];
  const byDay = new Map<string, Decimal>();
  let realized: Decimal = ZERO;
  let unscored = 0;
  for (const [key, g] of groups) {
    if (!g.scored) {
      unscored += 1;
      continue;
    }
    realized = realized.plus(g.pnl);
    for (const [day, pnl] of g.byDay) byDay.set(day, (byDay.get(day) ?? ZERO).plus(pnl));
    if (context.startedBefore.has(key)) continue;
    const more = after.get(key);
    if (more !== undefined && !more.scored) {
      unscored += 1;
      continue;
    }
    trades.push({
      identifier: g.first.identifier,
      market: g.first.market,
      strategy: g.first.strategy,
      openedAt: g.first.at,
      closedAt: Math.max(g.closedAt, more?.closedAt ?? g.closedAt) as EpochMs,
      realizedPnl: krw(more === undefined ? g.pnl : g.pnl.plus(more.pnl)),
    });
  }
  trades.sort((a, b) => a.closedAt - b.closedAt || (a.identifier < b.identifier ? -1 : 1));
  const realizedByDay = new Map([...byDay].map(([day, pnl]) => [day, krw(pnl)] as const));
  return { trades, unscored, realizedPnl: krw(realized), realizedByDay };
}

/**
 * Trade statistics of one strategy (or all) over a range. Money is exact (sums of the stored decimal
 * PnLs and fees; averages rounded to {@link AVERAGE_DECIMALS}); ratios are float64. Definitions
 * match the backtest's (`tradeMetrics`): a win has PnL > 0, a loss PnL < 0, a break-even trade is
 * neither but counts in the trade total.
 */
export interface TradeStats {
  readonly fills: number;
  /** Closed trades with a known PnL. */
  readonly trades: number;
  /** Sell orders whose PnL is unknown; left out of every figure below except `fills` and `fees`. */
  readonly unscoredTrades: number;
  readonly wins: number;
  readonly losses: number;
  /**
   * PnL the range's own sell fills realised ({@link ClosedTrades.realizedPnl}). Equal to grossProfit −
   * grossLoss unless an order's fills cross the range's edge: the trade figures score the whole
   * order in the range where it started, the realised PnL stays with the fills.
   */
  readonly realizedPnl: Krw;
  readonly fees: Krw;
  readonly grossProfit: Krw;
  /** Sum of the losing trades' PnL as a positive amount. */
  readonly grossLoss: Krw;
  /** Share of closed trades that won, in percent (0–100); 0 without trades. */
  readonly winRatePct: number;
  readonly averagePnl: Krw | undefined;
  readonly averageWin: Krw | undefined;
  /** Average losing trade (negative). */
  readonly averageLoss: Krw | undefined;
  /** Average win / |average loss| (the "P/L ratio"); undefined without both wins and losses. */
  readonly plRatio: number | undefined;
  /** Gross profit / gross loss; Infinity with profits and no losses, undefined with neither. */
  readonly profitFactor: number | undefined;
  /** Closed trades per day of the range. */
  readonly tradesPerDay: number;
}

function average(total: Decimal, n: number): Krw | undefined {
  return n === 0 ? undefined : krw(total.div(n).toDecimalPlaces(AVERAGE_DECIMALS, Rounding.halfEven));
}

/** {@link TradeStats} of the given fills (already filtered to one strategy, or all) over `spanDays`. */
export function tradeStats(fills: readonly Fill[], closed: ClosedTrades, spanDays: number): TradeStats {
  let fees: Decimal = ZERO;
  for (const f of fills) fees = fees.plus(f.fee);
  let profit: Decimal = ZERO;
  let loss: Decimal = ZERO;
  let wins = 0;
  let losses = 0;
  for (const t of closed.trades) {
    if (t.realizedPnl.gt(0)) {
      wins += 1;
      profit = profit.plus(t.realizedPnl);
    } else if (t.realizedPnl.lt(0)) {
      losses += 1;
      loss = loss.minus(t.realizedPnl);
    }
  }
  // Ratios come from the shared definitions, on the same trades, so live and backtest agree.
  const ratios = tradeMetrics(
    closed.trades.map((t) => ({ netPnl: t.realizedPnl.toNumber(), closedAt: t.closedAt })),
  );
  const n = closed.trades.length;
  const averageWin = average(profit, wins);
  const averageLoss = average(loss.negated(), losses);
  return {
    fills: fills.length,
    trades: n,
    unscoredTrades: closed.unscored,
    wins,
    losses,
    realizedPnl: closed.realizedPnl,
    fees: krw(fees),
    grossProfit: krw(profit),
    grossLoss: krw(loss),
    winRatePct: ratios.winRate * 100,
    averagePnl: average(profit.minus(loss), n),
    averageWin,
    averageLoss,
    plRatio:
      averageWin === undefined || averageLoss === undefined || averageLoss.isZero()
        ? undefined
        : averageWin.div(averageLoss.abs()).toNumber(),
    profitFactor: ratios.profitFactor,
    tradesPerDay: spanDays > 0 ? n / spanDays : 0,
  };
}
