import type { QuoteHints } from '../quote-hints';

/** Everything the ladder needs at one instant; all floats (hints), the ensemble makes them exact. */
export interface LadderInput {
  /** Fair price the ladder is centred on before skew (book mid, or the last close on candles). */
  readonly mid: number;
  /** Best bid/ask when a book is known; on candles both equal the close. */
  readonly bestBid: number;
  readonly bestAsk: number;
  readonly halfSpreadBps: number;
  /** Reservation-price shift in bps (positive = quote higher). */
  readonly skewBps: number;
  readonly layers: number;
  readonly layerSpacingBps: number;
  readonly sizeDecay: number;
  readonly baseQuoteKrw: number;
  /** KRW the strategy may still spend: bids beyond it are not quoted. */
  readonly availableKrw: number;
  /** Base volume held: asks beyond it are not quoted (spot-only, no short selling). */
  readonly positionVolume: number;
}

/** A {@link LadderInput} whose fields the strategy sets before each ladder (see ladderInputSlots). */
export type LadderInputSlots = { -readonly [K in keyof LadderInput]: LadderInput[K] };

/**
 * One input object for every ladder of a strategy instance, overwritten field by field before each
 * call: buildQuoteLadder reads it synchronously and keeps nothing. A literal per bar was ~220 bytes
 * of a market_making bar's allocation (sampling heap profile, 30 days: the object and its boxed
 * doubles), not removed by escape analysis. The fields start as NaN (a double) so V8 gives them the
 * double representation from the start and later stores change no hidden class.
 */
export function ladderInputSlots(): LadderInputSlots {
  return {
    mid: Number.NaN,
    bestBid: Number.NaN,
    bestAsk: Number.NaN,
    halfSpreadBps: Number.NaN,
    skewBps: Number.NaN,
    layers: 0,
    layerSpacingBps: Number.NaN,
    sizeDecay: Number.NaN,
    baseQuoteKrw: Number.NaN,
    availableKrw: Number.NaN,
    positionVolume: Number.NaN,
  };
}

// On candles the book is unknown (bestBid = bestAsk = close): stay at least this far from it.
const MIN_EDGE_BPS_WITHOUT_BOOK = 1;

/**
 * The layered quotes: layer i sits halfSpread + i·spacing bps from the reservation price
 * r = mid·(1 + skew), with size base·decay^i.
 *
 * Post-only by construction: bids are capped at the best bid and asks floored at the best ask, so a
 * bid is always strictly below the best ask and an ask strictly above the best bid (Upbit would
 * fill a crossing "limit" order as a taker and charge the taker fee). Rounding to tick later moves
 * bids down and asks up, which keeps that true.
 *
 * Inventory: bids stop once their total would exceed `availableKrw` (the per-strategy cap) and asks
 * once their total volume would exceed what is held; the last layer on each side is trimmed to what
 * is left rather than dropped, and the ensemble drops anything under the 5,000 KRW minimum.
 *
 * The layers go into `quotes` (cleared first: the strategy's columns for the market, refilled
 * every bar instead of an object per layer), which is returned.
 */
export function buildQuoteLadder(input: LadderInput, quotes: QuoteHints): QuoteHints {
  quotes.clear();
  const { mid, bestBid, bestAsk } = input;
  if (!(mid > 0 && bestBid > 0 && bestAsk >= bestBid)) return quotes;
  const haveBook = bestAsk > bestBid;
  const bidCap = haveBook ? bestBid : bestBid * (1 - MIN_EDGE_BPS_WITHOUT_BOOK / 1e4);
  const askFloor = haveBook ? bestAsk : bestAsk * (1 + MIN_EDGE_BPS_WITHOUT_BOOK / 1e4);
  const reservation = mid * (1 + input.skewBps / 1e4);
  let krwLeft = Math.max(0, input.availableKrw);
  let volumeLeft = Math.max(0, input.positionVolume);
  let size = input.baseQuoteKrw;
  for (let layer = 0; layer < input.layers; layer++) {
    const offset = (input.halfSpreadBps + layer * input.layerSpacingBps) / 1e4;
    const bid = Math.min(reservation * (1 - offset), bidCap);
    const ask = Math.max(reservation * (1 + offset), askFloor);
    const bidKrw = Math.min(size, krwLeft);
    if (bidKrw > 0 && bid > 0) {
      quotes.push('bid', bid, bidKrw, layer);
      krwLeft -= bidKrw;
    }
    const askKrw = Math.min(size, volumeLeft * ask);
    if (askKrw > 0) {
      quotes.push('ask', ask, askKrw, layer);
      volumeLeft -= askKrw / ask;
    }
    size *= input.sizeDecay;
  }
  return quotes;
}
