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
  if (position.volume.isZero() || !decimalGt(position.cost, ZERO)) return undefined;
  if (surelyInsideEstimate(position, bestBid, sellFeeRate, thresholds)) return undefined;
  const value = liquidationValue(position, bestBid, sellFeeRate);
  if (surelyInside(value, position.cost, thresholds)) return undefined;
  const netReturn = value.div(position.cost).minus(1);
  if (decimalLte(netReturn, negatedStop(thresholds.stopLoss)))
    return { kind: 'stop_loss', netReturn, liquidationValue: value };
  if (decimalGte(netReturn, thresholds.takeProfit))
    return { kind: 'take_profit', netReturn, liquidationValue: value };
  return undefined;
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

/**
 * {@link surelyInside} before the liquidation value is even built (most bars of a held position):
 * volume × bid × (1 − fee) / cost − 1 from doubles of each decimal (each within a few ulps, so the
 * ratio is within ~1e-15 relative of the exact one), trusted only more than 1e-9 inside both
 * thresholds and with every operand well inside the double range.
 */
function surelyInsideEstimate(
  position: Position,
  bestBid: Price,
  sellFeeRate: Decimal,
  thresholds: ExitThresholds,
): boolean {
  const v = approximately(position.volume);
  const b = approximately(bestBid);
  const f = approximately(sellFeeRate);
  const c = approximately(position.cost);
  const sl = approximately(thresholds.stopLoss);
  const tp = approximately(thresholds.takeProfit);
  if (!(usable(v) && usable(b) && usable(c) && f >= 0 && f < 0.5 && usable(sl) && usable(tp))) return false;
  const r = (v * b * (1 - f)) / c - 1;
  const margin = 1e-9 * (1 + Math.abs(r));
  return r > -sl + margin && r < tp - margin;
}

function usable(x: number): boolean {
  return x > 1e-200 && x < 1e200;
}
