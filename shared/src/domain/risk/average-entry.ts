import { quotientNumber } from '../money/decimal-quotients';
import type { Position } from '../trading/position';

/**
 * A position's average entry price (cost incl. buy fees ÷ volume) as the double strategies read on
 * every bar: the same number as `averageEntryNumber` of position-accounting.ts (`numberOf` of
 * decimal.js's 40-digit quotient), by `quotientNumber`'s short division of the cost's words by the
 * volume's units (exact, a third of the time of decimal.js's long division); undefined for a flat
 * position. In its own module so that position-accounting.ts, the accounting's authority, is not
 * touched. The strategy context asks once per new position object (after each fill), and the
 * backtest makes one after nearly every fill.
 */
export function averageEntryDouble(position: Position): number | undefined {
  if (position.volume.isZero()) return undefined;
  return quotientNumber(position.cost, position.volume);
}
