import { assertFinite } from './ring-buffer';

/** Trade direction inferred by the tick rule: +1 buyer-initiated, −1 seller-initiated, 0 unknown. */
export type TickSign = -1 | 0 | 1;

/**
 * Tick-rule trade classification (Lee and Ready 1991): a trade above the last different price is a
 * buy (uptick or zero-uptick), below it a sell; a trade at the same price keeps the previous
 * sign. Before the first price change the side is unknown (0). It needs prices only, so it works
 * on any tape, including ones that carry no aggressor flag.
 */
export class TickRule {
  private lastPrice = Number.NaN;
  private sign: TickSign = 0;

  /** True once a price change has been seen, i.e. trades can be classified. */
  get ready(): boolean {
    return this.sign !== 0;
  }

  /** Sign of the latest classified trade (0 until a price change has been seen). */
  get value(): TickSign {
    return this.sign;
  }

  /** Classifies one trade price. O(1). */
  update(price: number): TickSign {
    assertFinite(price, 'tick-rule price');
    if (!Number.isNaN(this.lastPrice)) {
      if (price > this.lastPrice) this.sign = 1;
      else if (price < this.lastPrice) this.sign = -1;
    }
    this.lastPrice = price;
    return this.sign;
  }

  /** Forgets all history. */
  reset(): void {
    this.lastPrice = Number.NaN;
    this.sign = 0;
  }
}

/** Batch tick-rule signs aligned with the prices. Built on {@link TickRule}. */
export function tickRuleBatch(prices: ArrayLike<number>): Int8Array {
  const ind = new TickRule();
  const out = new Int8Array(prices.length);
  for (let i = 0; i < prices.length; i++) out[i] = ind.update(prices[i] as number);
  return out;
}
