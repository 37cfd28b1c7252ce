import { quoteOrderReason } from '../../domain/ensemble/order-plan';
import type { OrderSide } from '../../domain/orders/order-types';
import { QuoteReason } from '../../domain/strategies/market-making/quote-reason';
import { InternedTexts } from './interned-texts';
import { openRowBlock, rowBlock, rowOffset } from './row-blocks';

/**
 * A fill's reason as the trade list receives it: its text, or (market making's ladder layers) the
 * parts that text is a pure function of, `quoteOrderReason(reasonSide, reasonLeg,
 * quoteReason.reason)`, so that the text need not be made (nor kept) before the list is read.
 */
export interface FillReason {
  /** The text; read only when {@link quoteReason} is undefined. */
  readonly reason: string;
  /** Market making's reason the text ends with; undefined: the text is {@link reason}. */
  readonly quoteReason: QuoteReason | undefined;
  readonly reasonSide: OrderSide;
  /** The layer's level, 0–99 (an order identifier's leg). */
  readonly reasonLeg: number;
}

/** Doubles per row: the half-spread, σ and the skew, in bps. */
const NUMS = 3;
/** Integers per row: the tail's code, then the source (bit 0), the side (bit 1) and the leg (from bit 2). */
const INTS = 2;
const SOURCE_BOOK = 1;
const SIDE_ASK = 2;
const LEG_SHIFT = 2;

/**
 * Market making's fill reasons kept as their parts (see {@link FillReason}): three doubles, the
 * tail text interned (its texts repeat for as long as the imbalance's and inventory's do, and the
 * formatter hands on the same string object meanwhile), and the source, side and leg packed in one
 * integer, outside the heap like the rest of the trade columns. The text is made when read, by the
 * very functions that made it at the fill (QuoteReason's `reason`, `quoteOrderReason`), from the
 * same doubles (a Float64Array keeps −0 and NaN) and texts: the same text.
 */
export class QuoteReasons {
  #rows = 0;
  readonly #nums: Float64Array[] = [];
  readonly #ints: Int32Array[] = [];
  readonly #tails = new InternedTexts();

  /** Keeps the parts of `r` (its `quoteReason` defined) and returns their index for {@link text}. */
  add(r: FillReason): number {
    const q = r.quoteReason as QuoteReason;
    const row = this.#rows;
    openRowBlock(this.#nums, this.#ints, row, NUMS, INTS);
    const b = rowBlock(row);
    const nums = this.#nums[b] as Float64Array;
    const ints = this.#ints[b] as Int32Array;
    const n = rowOffset(row, NUMS);
    const i = rowOffset(row, INTS);
    nums[n] = q.halfSpreadBps;
    nums[n + 1] = q.sigmaBps;
    nums[n + 2] = q.skewBps;
    ints[i] = this.#tails.code(q.tail);
    ints[i + 1] =
      (q.source === 'book' ? SOURCE_BOOK : 0) |
      (r.reasonSide === 'ask' ? SIDE_ASK : 0) |
      (r.reasonLeg << LEG_SHIFT);
    this.#rows = row + 1;
    return row;
  }

  /** The reason text of the parts at `index`. */
  text(index: number): string {
    const nums = this.#nums[rowBlock(index)] as Float64Array;
    const ints = this.#ints[rowBlock(index)] as Int32Array;
    const n = rowOffset(index, NUMS);
    const i = rowOffset(index, INTS);
    const packed = ints[i + 1] as number;
    const q = new QuoteReason(
      (packed & SOURCE_BOOK) !== 0 ? 'book' : 'candle',
      nums[n] as number,
      nums[n + 1] as number,
      nums[n + 2] as number,
      this.#tails.text(ints[i] as number),
    );
    return quoteOrderReason((packed & SIDE_ASK) !== 0 ? 'ask' : 'bid', packed >>> LEG_SHIFT, q.reason);
  }
}

/**
 * Whether the store can keep `r` as parts: a QuoteReason and a leg that fits (an order identifier's
 * leg is 0–99; anything else is kept as its text).
 */
export function hasQuoteParts(r: FillReason): boolean {
  const leg = r.reasonLeg;
  return r.quoteReason !== undefined && Number.isInteger(leg) && leg >= 0 && leg <= 99;
}
