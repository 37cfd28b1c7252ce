import { type Decimal, minDecimal, Rounding, ZERO } from '../money/decimal';
import { decimalGt, decimalLt } from '../money/decimal-compare';
import { floorOfDecimalTimes } from '../money/decimal-floors';
import { type Krw, krw } from '../money/quantities';
import type { KellyLimits } from './risk-limits';

/** A strategy's recent closed-trade record, the input of Kelly sizing. */
export interface TradeOutcomeStats {
  readonly trades: number;
  /** Fraction of trades with positive net PnL. */
  readonly winRate: number;
  /** Average win / |average loss|; Infinity when there were no losses, 0 when there were no wins. */
  readonly payoffRatio: number;
}

/**
 * Win rate and payoff ratio from closed trades' net PnL (float64: statistics, not accounting).
 * Break-even trades count as trades but not as wins, which biases Kelly down, the safe direction.
 */
export function tradeOutcomeStats(netPnls: readonly number[]): TradeOutcomeStats {
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (const pnl of netPnls) {
    if (pnl > 0) {
      wins += 1;
      winSum += pnl;
    } else if (pnl < 0) {
      losses += 1;
      lossSum -= pnl;
    }
  }
  return outcomeStatsOf(netPnls.length, wins, losses, winSum, lossSum);
}

/**
 * {@link tradeOutcomeStats} from its running totals: `wins` trades with PnL > 0 whose PnLs summed in
 * order from 0 give `winSum`, `losses` trades with PnL < 0 whose negated PnLs summed likewise give
 * `lossSum` (a record kept incrementally, as the edge gate keeps its window, gives the same stats).
 */
export function outcomeStatsOf(
  trades: number,
  wins: number,
  losses: number,
  winSum: number,
  lossSum: number,
): TradeOutcomeStats {
  const avgWin = wins === 0 ? 0 : winSum / wins;
  const avgLoss = losses === 0 ? 0 : lossSum / losses;
  const payoffRatio = wins === 0 ? 0 : losses === 0 ? Number.POSITIVE_INFINITY : avgWin / avgLoss;
  return { trades, winRate: trades === 0 ? 0 : wins / trades, payoffRatio };
}

/**
 * Full Kelly fraction f* = p − (1 − p) / b for win probability p and payoff ratio b. Negative means
 * the strategy has no edge on its record; with b = ∞ (no losses yet) f* = p.
 */
export function kellyFraction(winRate: number, payoffRatio: number): number {
  if (!(winRate >= 0 && winRate <= 1)) throw new RangeError(`win rate must be in [0, 1], got ${winRate}`);
  if (!(payoffRatio >= 0)) throw new RangeError(`payoff ratio must be ≥ 0, got ${payoffRatio}`);
  if (payoffRatio === 0) return winRate === 1 ? 0 : Number.NEGATIVE_INFINITY;
  return winRate - (1 - winRate) / payoffRatio;
}

/** The fraction of equity Kelly sizing uses for a strategy, after the fractional multiplier and cap. */
export function sizingFraction(stats: TradeOutcomeStats, k: KellyLimits): number {
  if (stats.trades < k.minTrades) return k.coldStartFraction;
  const full = kellyFraction(stats.winRate, stats.payoffRatio);
  if (!(full > 0)) return 0;
  return Math.min(full * k.fraction, k.maxFractionOfEquity);
}

/** Kelly's answer: a notional, or why there is no trade. */
export type KellySize =
  | { readonly ok: true; readonly notional: Krw; readonly fraction: number }
  | {
      readonly ok: false;
      readonly reason: 'no_edge' | 'below_minimum';
      readonly fraction: number;
      readonly notional: Krw;
    };

/**
 * {@link kellyNotional}'s answer when there is no edge to size (a sizing fraction ≤ 0, or no
 * equity), else undefined: a caller decides it before computing the ceiling, whose exact exposure
 * arithmetic is wasted on a strategy Kelly refuses anyway (over half the directional buys of `all`).
 */
export function kellyNoEdge(stats: TradeOutcomeStats, equity: Krw, k: KellyLimits): KellySize | undefined {
  const fraction = sizingFraction(stats, k);
  if (!(fraction > 0) || !decimalGt(equity, ZERO))
    return { ok: false, reason: 'no_edge', fraction, notional: krw(equity.times(0)) };
  return undefined;
}

/**
 * Notional for one trade: equity × fractional Kelly, floored to whole won, clamped to `ceiling` (the
 * tightest hard limit the caller computed: per-trade limit and the room left under the exposure
 * limits). Below the exchange minimum there is no trade — never rounded up to 5,000 KRW, because that
 * would take more risk than the edge justifies.
 */
export function kellyNotional(
  stats: TradeOutcomeStats,
  equity: Krw,
  k: KellyLimits,
  ceiling: Krw,
  minTotal: Krw,
): KellySize {
  const none = kellyNoEdge(stats, equity, k);
  if (none !== undefined) return none;
  const fraction = sizingFraction(stats, k);
  const raw = unclampedNotional(equity, fraction);
  const notional = krw(minDecimal(raw, ceiling.toDecimalPlaces(0, Rounding.floor)));
  if (decimalLt(notional, minTotal)) return { ok: false, reason: 'below_minimum', fraction, notional };
  return { ok: true, notional, fraction };
}

/** floor(equity × fraction), as equity.times(decimalFromNumber(fraction)).toDecimalPlaces(0, floor). */
function unclampedNotional(equity: Krw, fraction: number): Decimal {
  return floorOfDecimalTimes(equity, fraction);
}

/**
 * True when {@link kellyNotional} refuses the buy as `below_minimum` whatever its ceiling, for a
 * record and equity {@link kellyNoEdge} lets through: the unclamped notional is already below
 * `minTotal`, and the ceiling's clamp only lowers it. A caller that reads only the refusal's code
 * then skips the ceiling's exact exposure arithmetic (every refused buy of mean reversion inside
 * `all`, ~9k a year, where the exposure book changes on every bar and no ceiling is ever reused).
 */
export function belowMinimumAtAnyCeiling(
  stats: TradeOutcomeStats,
  equity: Krw,
  k: KellyLimits,
  minTotal: Krw,
): boolean {
  return decimalLt(unclampedNotional(equity, sizingFraction(stats, k)), minTotal);
}
