import { settleFateRecords } from '../../domain/ensemble/ladder-results';
import { eagerLaddersFirst, settleLazyIntents } from '../../domain/ensemble/lazy-quotes-intent';
import { Decimal } from '../../domain/money/decimal';
import { decimalIsZero } from '../../domain/money/decimal-compare';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { decimalOfUnits, productOf } from '../../domain/money/decimal-units';
import { hasValidVolumePrecision, type Volume } from '../../domain/money/quantities';
import { releasedCostByWords } from '../../domain/risk/released-cost-words';
import { settleReasonText } from '../../domain/strategies/market-making/quote-reason';
import { fixedDigits } from '../../domain/text/fixed-digits';
import { type LayerReadWarmUp, warmLayerReads } from '../broker/layer-read-warm-up';
import { warmPartialFills } from '../broker/resting-fills';
import { DecimalArena } from '../result/decimal-arena';
import { openRowBlock, ROW_BLOCK } from '../result/row-blocks';

/** What {@link warmRareBranches} made: throwaway, held until the next run's warm-up. */
export interface RareBranchWarmUp {
  /** The throwaway arena (chunks of a few integers), its next-chunk branch taken 64 times. */
  readonly arena: DecimalArena;
  /** The warm-up's last decimal and text, kept so the calls are not dead code. */
  readonly decimal: Decimal;
  /** The last product of two decimals (productOf on both classes). */
  readonly product: Decimal;
  readonly text: string;
  /** The partial fills' last volume (warmPartialFills). */
  readonly partial: Decimal | undefined;
  /** A resting layer's remainder read through its slot (warmLayerReads), and its layer. */
  readonly layerReads: LayerReadWarmUp;
}

/**
 * Ladders decided eagerly at a run's start (eagerLaddersFirst). V8 allocates a function's type
 * feedback after its first 8 calls and compiles the ladder path after ~500-1,000 bars. 256 also
 * took the eager path's rarer branches (the day-15 and day-30 recompiles of fillsFromBar and
 * routedResult went too) but cost more in the compiled code than it saved: a year of `all`
 * 35,261 M instructions against 35,064 M with 64 (cachegrind; base 35,230-35,262 M).
 */
export const EAGER_LADDERS_FIRST = 64;

// The latest warm-up, held while its run lasts (see RareBranchWarmUp).
let held: RareBranchWarmUp | undefined;

/**
 * Branches a run takes first days or months in, after the functions around them were optimised,
 * run here on throwaway inputs before the run's first bar. V8 records type feedback only once a
 * function has run a few times, so a branch taken once, early, or never before TurboFan compiles
 * its caller has none, and the first time it is taken the optimised code is thrown away and
 * compiled again (`--trace-deopt`: "Insufficient type feedback", or "wrong map" where a second
 * class arrives). Measured on a market-making year:
 * - a result column store's next row block (every 4,096 trades: the trade list's `add`, compiled
 *   three times, and the quote reasons' `add`) and the decimal arena's next 1 MiB chunk;
 * - `decimalOfUnits` of zero (a zero fee or PnL, ~day 10) and of units whose low words are zero;
 * - `fixedDigits` falling back to `toFixed` (a value on a rounding tie, ~day 50: market making's
 *   `quote` compiled three times);
 * - exact sums and products meeting a decimal of the other class (decimal.js's constructor and
 *   `assemble` make two: ~day 2), the order check's volume precision and `decimalIsZero` on both
 *   (~day 50), and a released cost whose rounding carries into the word above (~day 180);
 * - a resting order's partial fill decided on decimals (`warmPartialFills`, ~day 15: fillsFromBar
 *   and productOf thrown away and compiled again);
 * - a resting quote layer's remainder read through its slot (`warmLayerReads`: a run's first
 *   layer fill, a few hundred bars in, threw `fillsFromBar` away on day 0-1);
 * - three fields V8 would otherwise trust as written once or of one class, settled on held objects
 *   (settleFateRecords, settleLazyIntents, settleReasonText: their first other write, ~day 332–356,
 *   threw away `tallySignals`, `quote`, `quotesIntent` and `quotesDecisionOf`). They run here, not
 *   at module load, so the executor and the Lambdas, which import the same modules, skip them.
 * Each warmed function is called 64 times, so its feedback exists before the warm-up's branch is
 * taken. Only plain arrays, typed arrays, numbers and decimals pass through, whose hidden classes
 * V8 keeps for the process's life, and one throwaway quote layer with its resting slot; the arena
 * and the layer are held until the next run's warm-up (feedback holds the classes it saw weakly:
 * see `warmLatchFeedback` in the risk state).
 * Nothing here is shared with a run: the results are discarded. One thing is armed for the run
 * instead of warmed here: its first {@link EAGER_LADDERS_FIRST} ladders are decided on the eager
 * path (eagerLaddersFirst), which a run otherwise meets first days in, so that the run itself gives
 * the ladder path that path's feedback before its first compile. Run at every run's start (a
 * process may run several backtests: runBacktest is the one call site); the latest is held.
 */
export function warmRareBranches(): RareBranchWarmUp {
  settleFateRecords();
  settleLazyIntents();
  settleReasonText();
  for (let i = 0; i < 64; i++) {
    // The first block (lists still empty) and a later one (lists holding blocks: another class).
    openRowBlock([], [], 0, 0, 0);
    openRowBlock([new Float64Array(0)], [new Int32Array(0)], ROW_BLOCK, 0, 0);
  }
  const arena = new DecimalArena(0);
  for (let i = 0; i < 64; i++) {
    arena.reserve(1, 1);
    arena.putUnits(i, 0);
  }
  let decimal = decimalOfUnits(0, 0);
  let product = decimal;
  let text = '';
  for (let i = 0; i < 64; i++) {
    // Zero; one word above a zero low word; two words above two zero words (1e7, 1e14 units).
    decimal = decimalOfUnits(0, i & 7);
    decimal = decimalOfUnits(10_000_000 * (1 + (i & 3)), i & 7);
    decimal = decimalOfUnits(100_000_000_000_000 * (1 + (i & 3)), i & 7);
    // On a tie (12.5 hundredths, 2.5 tenths: toFixed decides).
    text = fixedDigits((i & 1) === 0 ? 0.125 : -0.25, (i & 1) === 0 ? 2 : 1);
  }
  // Sums of decimals of both classes (decimal.js's constructor and `assemble` make two), and a
  // released cost whose rounding carries into the words above (79,999,999 × 1 ÷ 4 units to whole
  // won: 19,999,999.75 → 20,000,000).
  const terms = [new Decimal('1.25'), decimalOfUnits(125, 2)];
  const costs = [new Decimal(79_999_999), decimalOfUnits(79_999_999, 0)];
  const sold = decimalOfUnits(1, 8);
  const heldUnits = decimalOfUnits(4, 8);
  for (let i = 0; i < 64; i++) {
    const x = terms[i & 1] as Decimal;
    const y = terms[(i >> 1) & 1] as Decimal;
    decimal = (i & 4) === 0 ? sumOf(x, y) : differenceOf(x, y);
    product = productOf(x, y);
    decimal = releasedCostByWords(costs[i & 1] as Decimal, sold, heldUnits, 0) ?? decimal;
    if (!hasValidVolumePrecision(x as Volume) || decimalIsZero(x)) text = '';
  }
  // A resting order's partial fill on each path (the decimal one first taken ~day 15).
  const partial = warmPartialFills();
  // A resting layer's remainder (its first fill, a few hundred bars in).
  const layerReads = warmLayerReads();
  // The run's first ladders on the eager path (see above): the same levels, decisions and fills.
  eagerLaddersFirst(EAGER_LADDERS_FIRST);
  held = { arena, decimal, product, text, partial, layerReads };
  return held;
}
