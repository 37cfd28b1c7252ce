import { fixedDigits } from '../../text/fixed-digits';

/**
 * One number's `fixedDigits` text, kept for the last double formatted: market making writes five
 * numbers into every bar's reason, and on candles three of them usually repeat the last bar's
 * double exactly (imbalance 0, inventory 0 and skew 0 while flat; the half-spread while its floor
 * binds). `fixedDigits` is a pure function of (x, digits), so an equal double gives the same text;
 * `===` also treats −0 as 0, whose texts are the same ("0.0": `toFixed` writes "-" only for x < 0),
 * and NaN never equals itself, so it is formatted every time.
 */
class RepeatedNumberText {
  private last = Number.NaN;
  private text = '';

  constructor(private readonly digits: 0 | 1 | 2) {}

  of(x: number): string {
    if (x !== this.last) {
      this.text = fixedDigits(x, this.digits);
      this.last = x;
    }
    return this.text;
  }
}

/**
 * The market-making signal's reason text, the very text of
 * `${source}: half-spread ${halfSpread.toFixed(1)} bps (σ ${sigma.toFixed(1)} bps), skew
 * ${skew.toFixed(1)} bps (imbalance ${imbalance.toFixed(2)}, inventory ${inventoryPct.toFixed(0)} %)`
 * (one line), built in one template from per-number texts that are formatted again only when their
 * double changed. One per strategy instance: its memory is a cache, never a result.
 */
export class QuoteReasonText {
  private readonly halfSpread = new RepeatedNumberText(1);
  private readonly sigma = new RepeatedNumberText(1);
  private readonly skew = new RepeatedNumberText(1);
  private readonly imbalance = new RepeatedNumberText(2);
  private readonly inventory = new RepeatedNumberText(0);

  format(
    source: 'candle' | 'book',
    halfSpreadBps: number,
    sigmaBps: number,
    skewBps: number,
    imbalance: number,
    inventoryPct: number,
  ): string {
    return `${source}: half-spread ${this.halfSpread.of(halfSpreadBps)} bps (σ ${this.sigma.of(sigmaBps)} bps), skew ${this.skew.of(skewBps)} bps (imbalance ${this.imbalance.of(imbalance)}, inventory ${this.inventory.of(inventoryPct)} %)`;
  }
}
