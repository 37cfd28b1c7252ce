import { quotientNumber } from '../money/decimal-quotients';
import type { Position } from '../trading/position';

/**
 * A position's average entry price (cost incl. buy fees ÷ volume) as the double strategies read on
 * every bar: the same number as `averageEntryNumber` of position-accounting.ts (`numberOf` of
 * decimal.js's 40-digit quotient), computed by exact integer division (`quotientNumber`) instead
 * of decimal.js's long division; undefined for a flat position. The strategy context asks once per
 * new position object (after each fill), and the backtest makes one after nearly every fill.
 */
export function averageEntryDouble(position: Position): number | undefined {
  if (position.volume.isZero()) return undefined;
  return quotientNumber(position.cost, position.volume);
}
