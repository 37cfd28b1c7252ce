import type { OrderSide } from '../orders/order-types';

/** A price/size suggestion for one market-making quote layer (float hints; the executor rounds to tick). */
export interface QuoteHint {
  readonly side: OrderSide;
  readonly price: number;
  readonly sizeKrw: number;
  readonly layer: number;
}

// A side as one byte in the columns: 0 bid, 1 ask.
const SIDES: readonly OrderSide[] = ['bid', 'ask'];
const BID = 0;
const ASK = 1;

/**
 * A signal's quote layers as columns (side, price, KRW size, layer index), in the order the
 * strategy emitted them. Market making quotes ten layers on every bar of a year: as columns in
 * typed arrays its hints are no objects and no boxed doubles, and the strategy fills the same
 * columns per market bar after bar.
 *
 * So a signal's hints are valid until its strategy's next signal for the same market (the same
 * rule as the strategy context): every reader (the ensemble's quote levels, `toJSON`) reads them
 * while deciding that signal's step, and whatever must outlive the step takes a copy (`toArray`,
 * the levels' integer columns). Readers only read; only the owning strategy clears and pushes.
 */
export class QuoteHints {
  /** How many layers are held (the columns may be longer). */
  count = 0;
  /** 0 for a bid, 1 for an ask (see {@link sideAt}). */
  sides: Uint8Array;
  prices: Float64Array;
  sizesKrw: Float64Array;
  layers: Int32Array;

  constructor(capacity = 0) {
    this.sides = new Uint8Array(capacity);
    this.prices = new Float64Array(capacity);
    this.sizesKrw = new Float64Array(capacity);
    this.layers = new Int32Array(capacity);
  }

  /** The hints of a list of objects (tests, and producers that build objects), in the same order. */
  static of(hints: readonly QuoteHint[]): QuoteHints {
    const out = new QuoteHints(hints.length);
    for (const h of hints) out.push(h.side, h.price, h.sizeKrw, h.layer);
    return out;
  }

  /** Empties the columns for the next ladder (the owner only). */
  clear(): void {
    this.count = 0;
  }

  /** Appends a layer, growing the columns when full (the owner only). */
  push(side: OrderSide, price: number, sizeKrw: number, layer: number): void {
    const i = this.count;
    if (i === this.prices.length) this.grow(Math.max(4, 2 * i));
    this.sides[i] = side === 'bid' ? BID : ASK;
    this.prices[i] = price;
    this.sizesKrw[i] = sizeKrw;
    this.layers[i] = layer;
    this.count = i + 1;
  }

  /** Layer `i`'s side. */
  sideAt(i: number): OrderSide {
    return SIDES[this.sides[i] as number] as OrderSide;
  }

  /** Layer `i` as an object (a new one: the columns are overwritten by the owner's next ladder). */
  at(i: number): QuoteHint {
    return {
      side: this.sideAt(i),
      price: this.prices[i] as number,
      sizeKrw: this.sizesKrw[i] as number,
      layer: this.layers[i] as number,
    };
  }

  /** Every layer as objects, in order: a copy that outlives the columns. */
  toArray(): QuoteHint[] {
    const out: QuoteHint[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  /** The text of the objects' list, as a signal carried it before the columns (logs, fixtures). */
  toJSON(): QuoteHint[] {
    return this.toArray();
  }

  private grow(capacity: number): void {
    const sides = new Uint8Array(capacity);
    const prices = new Float64Array(capacity);
    const sizesKrw = new Float64Array(capacity);
    const layers = new Int32Array(capacity);
    sides.set(this.sides);
    prices.set(this.prices);
    sizesKrw.set(this.sizesKrw);
    layers.set(this.layers);
    this.sides = sides;
    this.prices = prices;
    this.sizesKrw = sizesKrw;
    this.layers = layers;
  }
}

/** A signal without quotes (a crossed book): one shared, frozen instance that refuses a push. */
export const NO_QUOTE_HINTS: QuoteHints = Object.freeze(new QuoteHints(0)) as QuoteHints;
