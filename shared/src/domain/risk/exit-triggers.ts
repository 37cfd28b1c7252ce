import { type Decimal, ZERO } from '../money/decimal';
import { decimalGt, decimalGte, decimalLte } from '../money/decimal-compare';
import { approximately, numberOf } from '../money/decimal-units';
import type { Krw, Price } from '../money/quantities';
import type { Position } from '../trading/position';
import { liquidationValue } from './position-accounting';

/** A position's stop-loss or take-profit fired. */
export interface ExitSignal {
  readonly kind: 'stop_loss' | 'take_profit';
  /** Net return of selling now: liquidation value after the sell fee over cost incl. the buy fee, minus 1. */
  readonly netReturn: Decimal;
  readonly liquidationValue: Krw;
}

/** Thresholds as positive fractions; a decision may carry its own (intent.stopLossPct / takeProfitPct). */
export interface ExitThresholds {
  readonly stopLoss: Decimal;
  readonly takeProfit: Decimal;
}

/**
 * Checks a position against its stop-loss and take-profit, NET OF FEES on both legs: cost already
 * holds the buy fee and the exit is valued at the best bid after the sell fee. With 0.05 % fees each
 * way a +0.5 % take-profit therefore needs the bid about 0.6 % above the raw entry price, and a −0.3 %
 * stop fires when the bid is only about 0.2 % below it. Valued at the best bid because that is what a
 * sell gets now, not the last trade. Flat positions never fire.
 */
export function exitTrigger(
  position: Position,
  bestBid: Price,
  sellFeeRate: Decimal,
  thresholds: ExitThresholds,
): ExitSignal | undefined {
  const kind = exitKind(position, bestBid, sellFeeRate, thresholds);
  if (kind === undefined) return undefined;
  const value = liquidationValue(position, bestBid, sellFeeRate);
  return { kind, netReturn: value.div(position.cost).minus(1), liquidationValue: value };
}

/**
 * {@link exitTrigger}'s kind alone (the same answer), without its exact net return where doubles
 * settle it: a holding far past a threshold (a market maker's unsellable dust below its stop fires
 * on every bar) is decided on the estimate, and the decimal quotient is made only by a caller that
 * sells ({@link exitNetReturn}).
 */
export function exitKind(
  position: Position,
  bestBid: Price,
  sellFeeRate: Decimal,
  thresholds: ExitThresholds,
): ExitSignal['kind'] | undefined {
  if (position.volume.isZero() || !decimalGt(position.cost, ZERO)) return undefined;
  const estimate = estimateSide(position, bestBid, sellFeeRate, thresholds);
  if (estimate === INSIDE) return undefined;
  if (estimate !== UNSURE) return estimate;
  const value = liquidationValue(position, bestBid, sellFeeRate);
  if (surelyInside(value, position.cost, thresholds)) return undefined;
  const netReturn = value.div(position.cost).minus(1);
  if (decimalLte(netReturn, negatedStop(thresholds.stopLoss))) return 'stop_loss';
  if (decimalGte(netReturn, thresholds.takeProfit)) return 'take_profit';
  return undefined;
}

/** The net return of selling the position now, exactly as {@link exitTrigger} gives it. */
export function exitNetReturn(position: Position, bestBid: Price, sellFeeRate: Decimal): Decimal {
  return liquidationValue(position, bestBid, sellFeeRate).div(position.cost).minus(1);
}

// −stopLoss for the last stop-loss asked (one per run): not negated again on every firing check.
let lastStop: Decimal | undefined;
let lastNegatedStop: Decimal = ZERO;

function negatedStop(stopLoss: Decimal): Decimal {
  if (stopLoss !== lastStop) {
    lastNegatedStop = stopLoss.negated();
    lastStop = stopLoss;
  }
  return lastNegatedStop;
}

/**
 * True when value / cost − 1 lies strictly between −stopLoss and takeProfit by more than 1e-9: the
 * doubles of value and cost are within half an ulp of the decimals, so their quotient is within a
 * few 1e-16 (relative) of the exact one and of decimal.js's 40-digit quotient, and neither threshold
 * can be reached. Otherwise (near a threshold, or anything non-finite) the decimals decide.
 */
function surelyInside(value: Krw, cost: Krw, thresholds: ExitThresholds): boolean {
  const r = numberOf(value) / numberOf(cost) - 1;
  const margin = 1e-9 * (1 + Math.abs(r));
  return r > -numberOf(thresholds.stopLoss) + margin && r < numberOf(thresholds.takeProfit) - margin;
}

// What the estimate settles: strictly inside both thresholds, surely past one, or nothing.
export const INSIDE = 0;
export const UNSURE = 1;

/**
 * {@link surelyInside} before the liquidation value is even built (most bars of a held position),
 * and its mirror: volume × bid × (1 − fee) / cost − 1 from doubles of each decimal (each within a
 * few ulps, so the ratio is within ~1e-15 relative of the exact one, and of decimal.js's 40-digit
 * quotient), trusted only more than 1e-9 inside both thresholds (INSIDE), more than 1e-9 below
 * −stopLoss ('stop_loss', checked first as the exact path does), or more than 1e-9 above
 * takeProfit and above −stopLoss ('take_profit'), with every operand well inside the double range.
 * Exported for the property test that counts what it settles.
 */
export function estimateSide(
  position: Position,
  bestBid: Price,
  sellFeeRate: Decimal,
  thresholds: ExitThresholds,
): typeof INSIDE | typeof UNSURE | ExitSignal['kind'] {
  const v = approximately(position.volume);
  const b = approximately(bestBid);
  const f = approximately(sellFeeRate);
  const c = approximately(position.cost);
  const sl = approximately(thresholds.stopLoss);
  const tp = approximately(thresholds.takeProfit);
  if (!(usable(v) && usable(b) && usable(c) && f >= 0 && f < 0.5 && usable(sl) && usable(tp))) return UNSURE;
  const r = (v * b * (1 - f)) / c - 1;
  const margin = 1e-9 * (1 + Math.abs(r));
  if (r > -sl + margin && r < tp - margin) return INSIDE;
  if (r < -sl - margin) return 'stop_loss';
  if (r > tp + margin && r > -sl + margin) return 'take_profit';
  return UNSURE;
}

function usable(x: number): boolean {
  return x > 1e-200 && x < 1e200;
}
