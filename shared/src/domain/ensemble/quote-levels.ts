import type { Market } from '../market/market-id';
import { baseCurrency } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import { roundNumberToTick } from '../market/tick-rounding';
import { type Decimal, decimalFromNumber } from '../money/decimal';
import { floorOfQuotient, productOf } from '../money/decimal-units';
import { type Price, VOLUME_DECIMALS, type Volume } from '../money/quantities';
import type { QuoteHint } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { QuoteLevel } from '../trading/decision';

/** Best bid/ask at decision time, used to re-check post-only after rounding. */
export interface TopOfBook {
  readonly bestBid: number;
  readonly bestAsk: number;
}

// A ladder's sizes (base × decay^layer) are the same doubles bar after bar: each is converted from
// its text once. Decimals are immutable, so sharing them is safe; the table is bounded.
const SIZE_CACHE_LIMIT = 256;
const sizeCache = new Map<number, Decimal>();

function sizeDecimal(sizeKrw: number): Decimal {
  let size = sizeCache.get(sizeKrw);
  if (size === undefined) {
    size = decimalFromNumber(sizeKrw);
    if (sizeCache.size >= SIZE_CACHE_LIMIT) sizeCache.clear();
    sizeCache.set(sizeKrw, size);
  }
  return size;
}

/**
 * Turns float quote hints into exact levels the executor can place as post-only orders:
 * bids rounded down and asks up onto the tick table in force at `now` (never a worse price than
 * hinted), volume = KRW size / price floored to 8 decimals, levels under the 5,000 KRW minimum
 * dropped (Upbit would reject them), levels that would cross `book` after rounding dropped (they
 * would take liquidity), and levels landing on the same tick merged so each price is one order.
 * Output: bids best (highest) first, then asks best (lowest) first.
 */
export function toQuoteLevels(
  market: Market,
  hints: readonly QuoteHint[],
  now: EpochMs,
  rules: MarketRules,
  book?: TopOfBook,
): QuoteLevel[] {
  const ctx = { table: tickTableFor(rules, now), asset: baseCurrency(market) };
  const merged = new Map<string, { side: QuoteHint['side']; price: Price; volume: Volume }>();
  // Converted once, on first use: every hint is compared with the same top of book.
  let bestAsk: Decimal | undefined;
  let bestBid: Decimal | undefined;
  for (const hint of hints) {
    if (!(Number.isFinite(hint.price) && hint.price > 0 && Number.isFinite(hint.sizeKrw) && hint.sizeKrw > 0))
      continue;
    const price = roundNumberToTick(hint.price, hint.side, ctx);
    if (price.lte(0)) continue;
    if (book !== undefined && hint.side === 'bid') {
      bestAsk ??= decimalFromNumber(book.bestAsk);
      if (!price.lt(bestAsk)) continue;
    }
    if (book !== undefined && hint.side === 'ask') {
      bestBid ??= decimalFromNumber(book.bestBid);
      if (!price.gt(bestBid)) continue;
    }
    const size = sizeDecimal(hint.sizeKrw);
    const volume = floorOfQuotient(size, price, VOLUME_DECIMALS) as Volume;
    if (volume.lte(0)) continue;
    const key = `${hint.side}:${price.toFixed()}`;
    const prior = merged.get(key);
    merged.set(key, {
      side: hint.side,
      price,
      volume: (prior === undefined ? volume : prior.volume.plus(volume)) as Volume,
    });
  }
  const levels = [...merged.values()].filter((l) => productOf(l.price, l.volume).gte(rules.minTotal));
  const bids = levels.filter((l) => l.side === 'bid').sort((a, b) => b.price.comparedTo(a.price));
  const asks = levels.filter((l) => l.side === 'ask').sort((a, b) => a.price.comparedTo(b.price));
  return [...bids, ...asks];
}
