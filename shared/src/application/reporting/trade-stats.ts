import type { Market } from '../../domain/market/market-id';
import { type Decimal, Rounding, ZERO } from '../../domain/money/decimal';
import { type Krw, krw } from '../../domain/money/quantities';
import type { OrderIdentifier } from '../../domain/orders/identifiers';
import { tradeMetrics } from '../../domain/risk/performance-metrics';
import type { EpochMs } from '../../domain/time/epoch';
import type { Fill } from '../../domain/trading/fill';
import type { StrategyName } from '../../domain/trading/strategy-name';

/** A strategy or the operator's own orders (close-all, manual sells). */
export type StrategyKey = StrategyName | 'operator';

/** Averages are divisions: rounded half-even to this many KRW decimals (sums stay exact). */
export const AVERAGE_DECIMALS = 4;

/**
 * One closed trade: a sell order and the PnL its fills realised, net of the fees of both legs
 * (average-cost accounting, `position-accounting.ts`). The partial fills of one order are one trade,
 * so an order filled in five pieces does not count five times in the win rate.
 */
export interface ClosedTradeRecord {
  readonly identifier: OrderIdentifier;
  readonly market: Market;
  readonly strategy: StrategyKey;
  /** Time of the order's last fill in the range. */
  readonly closedAt: EpochMs;
  readonly realizedPnl: Krw;
}

/** Sell orders of a list of fills, and how many could not be scored (a fill without a stored PnL). */
export interface ClosedTrades {
  readonly trades: readonly ClosedTradeRecord[];
  /** Sell orders with at least one fill booked without its realised PnL (see `Fill.realizedPnl`). */
  readonly unscored: number;
}

/** Groups sell fills by order into closed trades, oldest close first. */
export function closedTradesOf(fills: readonly Fill[]): ClosedTrades {
  const groups = new Map<string, { first: Fill; closedAt: EpochMs; pnl: Decimal; scored: boolean }>();
  for (const f of fills) {
    if (f.side !== 'ask') continue;
    const key = `${f.strategy}\u0000${f.identifier}`;
    const g = groups.get(key);
    const pnl = f.realizedPnl;
    if (g === undefined) {
      groups.set(key, { first: f, closedAt: f.at, pnl: pnl ?? ZERO, scored: pnl !== undefined });
      continue;
    }
    g.closedAt = Math.max(f.at, g.closedAt) as EpochMs;
    g.pnl = g.pnl.plus(pnl ?? ZERO);
    g.scored = g.scored && pnl !== undefined;
  }
  const trades: ClosedTradeRecord[] = [];
  let unscored = 0;
  for (const g of groups.values()) {
    if (!g.scored) {
      unscored += 1;
      continue;
    }
    trades.push({
      identifier: g.first.identifier,
      market: g.first.market,
      strategy: g.first.strategy,
      closedAt: g.closedAt,
      realizedPnl: krw(g.pnl),
    });
  }
  trades.sort((a, b) => a.closedAt - b.closedAt || (a.identifier < b.identifier ? -1 : 1));
  return { trades, unscored };
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
    realizedPnl: krw(profit.minus(loss)),
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
