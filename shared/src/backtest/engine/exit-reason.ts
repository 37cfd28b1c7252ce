import type { Decimal } from '../../domain/money/decimal';
import { approximately } from '../../domain/money/decimal-units';
import type { Price } from '../../domain/money/quantities';
import { exitNetReturn } from '../../domain/risk/exit-triggers';
import type { Position } from '../../domain/trading/position';

/**
 * `exitNetReturn(position, bid, fee).times(100).toFixed(3)`, the percentage an exit's reason
 * shows, the same text, from doubles where they settle it: the exact net return is a 40-digit
 * decimal quotient (~7 µs with its printing, on each of a market-making year's ~11,000 exits)
 * that only this text reads.
 *
 * The double r = v·b·(1 − fee)/cost − 1 is within ~1e-14 of the decimal's value (each operand
 * within a few ulps, four roundings), so r·10^5 rounds to the same integer as the decimal's
 * percentage in thousandths whenever it lies more than 1e-6 (relative to 1 + |r|) from a half, and
 * has the same sign whenever |r| > 1e-9. Otherwise, or with operands where the doubles are not
 * that close, the decimals decide. decimal.js prints a negative value that rounds to zero as
 * "-0.000", and so does this.
 */
export function exitReturnPercent(position: Position, bid: Price, sellFeeRate: Decimal): string {
  const v = approximately(position.volume);
  const b = approximately(bid);
  const c = approximately(position.cost);
  const f = approximately(sellFeeRate);
  if (usable(v) && usable(b) && usable(c) && f >= 0 && f < 0.5) {
    const r = (v * b * (1 - f)) / c - 1;
    const x = Math.abs(r) * 1e5;
    const k = Math.round(x);
    if (Math.abs(r) > 1e-9 && x < 1e12 && Math.abs(Math.abs(x - k) - 0.5) > 1e-6 * (1 + Math.abs(r))) {
      const whole = Math.floor(k / 1000);
      const thousandths = k - whole * 1000;
      const fraction =
        thousandths < 10 ? `00${thousandths}` : thousandths < 100 ? `0${thousandths}` : `${thousandths}`;
      return `${r < 0 ? '-' : ''}${whole}.${fraction}`;
    }
  }
  return exitNetReturn(position, bid, sellFeeRate).times(100).toFixed(3);
}

/** Well inside the double range, where `approximately` is within a few ulps. */
function usable(x: number): boolean {
  return x > 1e-200 && x < 1e200;
}
