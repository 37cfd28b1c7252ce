import type { Decimal } from '../../domain/money/decimal';
import { productOf } from '../../domain/money/decimal-units';

// The last holding valued: its volume and mark objects and their product.
let lastVolume: Decimal | undefined;
let lastMark: Decimal | undefined;
let lastValue: Decimal | undefined;

/**
 * `productOf(volume, mark)`, the holding's value at a mark, remembered for the last pair of objects
 * asked: every bar while something is held, the broker's equity and then the strategies' PnL value
 * the same position (its immutable volume) at the same mark object. Decimals are immutable, so the
 * remembered product is the very decimal productOf would build again.
 */
export function holdingValue(volume: Decimal, mark: Decimal): Decimal {
  if (volume === lastVolume && mark === lastMark && lastValue !== undefined) return lastValue;
  const value = productOf(volume, mark);
  lastVolume = volume;
  lastMark = mark;
  lastValue = value;
  return value;
}
