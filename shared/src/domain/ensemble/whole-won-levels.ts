import type { MarketRules } from '../market/market-rules';
import { type TickContext, WholeGridRounder } from '../market/tick-rounding';
import { decimalFromNumber } from '../money/decimal';
import { floorUnitsOfNumberOver } from '../money/decimal-floors';
import { decimalOfUnits, unitsOf } from '../money/decimal-units';
import { LastUnits } from '../money/last-units';
import { type Price, VOLUME_DECIMALS, type Volume } from '../money/quantities';
import type { QuoteHints } from '../strategies/quote-hints';
import type { QuoteLevel } from '../trading/decision';
import type { TopOfBook } from './top-of-book';

// Scratch columns for the whole-won levels of one ladder, per side: prices in won, volumes in 1e-8
// units, and the kept levels' indices best first. Plain number arrays that grow once and are
// overwritten by every call (a ladder is built synchronously), instead of an object per level
// and four lists per ladder.
const bidWon: number[] = [];
const bidUnits: number[] = [];
const askWon: number[] = [];
const askUnits: number[] = [];
const keptIndex: number[] = [];
// A ladder's layers sit in one price band bar after bar: the band's tick is looked up once.
const rounder = new WholeGridRounder();

/**
 * A quote ladder's levels as whole-won prices and 1e-8 volume units, in the levels' order: the
 * first `bids` are bids, best (highest) first, the rest asks, best (lowest) first.
 */
export interface QuoteColumns {
  readonly count: number;
  readonly bids: number;
  readonly won: readonly number[];
  readonly units: readonly number[];
}

/**
 * The whole-won path's last ladder as columns (see {@link wholeWonColumns}), and the levels array
 * {@link toQuoteLevels} last returned from it: the ladder checks read the numbers instead of
 * converting the level decimals built from them back (`numberOf(price)` is the won,
 * `numberOf(volume)` is `units / 1e8`, both the double nearest the same exact value, and
 * `unitsOf(volume, 8)` is the units). `levels` is valid only while it is the array at hand;
 * undefined while a ladder is being built, when the last one took the decimal steps, or when it
 * was built as columns only.
 */
export const WHOLE_WON_LEVELS: {
  levels: readonly QuoteLevel[] | undefined;
  count: number;
  bids: number;
  readonly won: number[];
  readonly units: number[];
  /**
   * How many ladders were begun in these columns: a reader that keeps a ladder's count (a
   * LazyQuotesIntent) tells by it that the columns were written again since.
   */
  generation: number;
} = { levels: undefined, count: 0, bids: 0, won: [], units: [], generation: 0 };

/**
 * toQuoteLevels' levels on integers, into {@link WHOLE_WON_LEVELS}' columns, for the common case
 * where every hint rounds onto a whole-won grid, the book's best prices are whole won and every
 * volume's floor is certain on doubles: the same rounding (roundNumberOnWholeGrid, through WholeGridRounder), crossing checks,
 * volumes (floorUnitsOfNumberOver), merges, minimum and order as the decimal steps. The number of
 * levels, or undefined as soon as one of those does not hold (the decimal steps decide the whole
 * ladder).
 */
export function wholeWonColumns(
  hints: QuoteHints,
  rules: MarketRules,
  ctx: TickContext,
  book: TopOfBook | undefined,
): number | undefined {
  WHOLE_WON_LEVELS.levels = undefined;
  WHOLE_WON_LEVELS.generation += 1;
  const min = MINIMUM_UNITS.of(rules.minTotal);
  if (min === undefined) return undefined;
  let bestAsk: number | undefined;
  let bestBid: number | undefined;
  if (book !== undefined) {
    // A safe-integer best price is its exact decimal's units (`exact` is decimalFromNumber of the
    // number, and a safe integer's text is its digits): no decimal is read back.
    const a = book.bestAsk;
    const b = book.bestBid;
    bestAsk = Number.isSafeInteger(a) ? a : unitsOf(book.exact?.ask ?? decimalFromNumber(a), 0);
    bestBid = Number.isSafeInteger(b) ? b : unitsOf(book.exact?.bid ?? decimalFromNumber(b), 0);
    if (bestAsk === undefined || bestBid === undefined) return undefined;
  }
  let bids = 0;
  let asks = 0;
  const count = hints.count;
  for (let h = 0; h < count; h++) {
    const hintPrice = hints.prices[h] as number;
    const sizeKrw = hints.sizesKrw[h] as number;
    if (!(Number.isFinite(hintPrice) && hintPrice > 0 && Number.isFinite(sizeKrw) && sizeKrw > 0)) continue;
    const side = hints.sideAt(h);
    const price = rounder.round(hintPrice, side, ctx);
    if (price === undefined) return undefined;
    if (!(price > 0)) continue;
    if (bestAsk !== undefined && side === 'bid' && !(price < bestAsk)) continue;
    if (bestBid !== undefined && side === 'ask' && !(price > bestBid)) continue;
    const units = floorUnitsOfNumberOver(sizeKrw, price, VOLUME_DECIMALS);
    if (units === undefined) return undefined;
    if (!(units > 0)) continue;
    const bid = side === 'bid';
    const won = bid ? bidWon : askWon;
    const vol = bid ? bidUnits : askUnits;
    const n = bid ? bids : asks;
    let merged = false;
    for (let i = 0; i < n; i++)
      if (won[i] === price) {
        vol[i] = (vol[i] as number) + units;
        merged = true;
        break;
      }
    if (merged) continue;
    won[n] = price;
    vol[n] = units;
    if (bid) bids += 1;
    else asks += 1;
  }
  const keptBids = keptWhole(bidWon, bidUnits, bids, min, -1, 0);
  if (keptBids === undefined) return undefined;
  const levels = keptWhole(askWon, askUnits, asks, min, 1, keptBids);
  if (levels === undefined) return undefined;
  WHOLE_WON_LEVELS.count = levels;
  WHOLE_WON_LEVELS.bids = keptBids;
  return levels;
}

// The minimum total's 1e-8 units, converted again only for another decimal (see LastUnits).
const MINIMUM_UNITS = new LastUnits(8);

/** The levels of {@link wholeWonColumns}' ladder as decimals (and recorded as WHOLE_WON_LEVELS'). */
export function wholeWonLevels(
  hints: QuoteHints,
  rules: MarketRules,
  ctx: TickContext,
  book: TopOfBook | undefined,
): QuoteLevel[] | undefined {
  if (wholeWonColumns(hints, rules, ctx, book) === undefined) return undefined;
  const out = levelsOfColumns(WHOLE_WON_LEVELS);
  WHOLE_WON_LEVELS.levels = out;
  return out;
}

/** A copy of {@link WHOLE_WON_LEVELS}' columns (they are overwritten by the next ladder). */
export function copiedColumns(): QuoteColumns {
  const { count, bids } = WHOLE_WON_LEVELS;
  return {
    count,
    bids,
    won: WHOLE_WON_LEVELS.won.slice(0, count),
    units: WHOLE_WON_LEVELS.units.slice(0, count),
  };
}

/** The columns' levels as decimals: whole won and 8-decimal volumes, bids first (see QuoteColumns). */
export function levelsOfColumns(columns: QuoteColumns): QuoteLevel[] {
  const out: QuoteLevel[] = [];
  for (let i = 0; i < columns.count; i++)
    out.push({
      side: i < columns.bids ? 'bid' : 'ask',
      price: decimalOfUnits(columns.won[i] as number, 0) as Price,
      volume: decimalOfUnits(columns.units[i] as number, VOLUME_DECIMALS) as Volume,
    });
  return out;
}

/**
 * Writes into WHOLE_WON_LEVELS' columns from index `at` the first `n` levels of a side's columns
 * whose total reaches `min` (1e-8 won units), best first; the index after them, or undefined when
 * a volume or total leaves the safe integers (the decimal steps decide).
 */
function keptWhole(
  won: readonly number[],
  units: readonly number[],
  n: number,
  min: number,
  order: 1 | -1,
  at: number,
): number | undefined {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const price = won[i] as number;
    const u = units[i] as number;
    const total = price * u;
    if (!(u <= Number.MAX_SAFE_INTEGER && total <= Number.MAX_SAFE_INTEGER)) return undefined;
    if (!(total >= min)) continue;
    let j = kept;
    while (j > 0 && Math.sign(price - (won[keptIndex[j - 1] as number] as number)) === -order) {
      keptIndex[j] = keptIndex[j - 1] as number;
      j -= 1;
    }
    keptIndex[j] = i;
    kept += 1;
  }
  for (let j = 0; j < kept; j++) {
    const i = keptIndex[j] as number;
    WHOLE_WON_LEVELS.won[at + j] = won[i] as number;
    WHOLE_WON_LEVELS.units[at + j] = units[i] as number;
  }
  return at + kept;
}
