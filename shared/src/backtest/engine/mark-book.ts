import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { DecimalParseError, decimalFromNumber } from '../../domain/money/decimal';
import { placesOf, unitsOf } from '../../domain/money/decimal-units';
import { type Price, price } from '../../domain/money/quantities';
import { emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { StepCloses } from '../result/markouts';

/**
 * One market's mark. A class, not an object literal: V8 rebuilds a literal's boilerplate, its
 * fields unset, when the making code starts over (after a bytecode flush between two long runs),
 * which widened `bar`'s tracked type and threw away the optimised `set` and `bar` at the next run's
 * start in the same process. A constructor's stores keep it.
 */
class Mark {
  declare readonly market: Market;
  /** Open time of the bar that set `close`. */
  declare at: number;
  declare close: number;
  /**
   * The close before `close` (what the market showed at the end of the step before `at`); NaN for
   * none (closes are finite), so that the field always holds a double, rewritten in place.
   */
  declare previous: number;
  declare exact: Price | undefined;
  /**
   * `close` as a safe integer of units of 10^-`scale` with `scale` = placesOf(exact) (what
   * productOf multiplies); `scale` NaN until asked for this close, −1 when those units are not exact
   * (more than 22 decimals, or not a safe integer).
   */
  declare units: number;
  declare scale: number;
  /** The market's latest bar (what decisions on the market are taken against). */
  declare bar: Candle;

  constructor(market: Market, at: number, close: number, bar: Candle) {
    this.market = market;
    this.at = at;
    this.close = close;
    this.previous = Number.NaN;
    this.exact = undefined;
    this.units = Number.NaN;
    this.scale = Number.NaN;
    this.bar = bar;
  }
}

/**
 * Each market's last close, as the float the candle carries and, on first use after it changed, as
 * the exact price equity is valued at. Converting a close to a decimal costs more than a bar of a
 * single strategy, and most bars value nothing (no holding), so the conversion waits until asked.
 * The exact price is the decimal of the float's shortest text, whose `toNumber()` is the float.
 */
export class MarkBook implements StepCloses {
  private readonly marks = new Map<Market, Mark>();
  /** The mark looked up last (every lookup of a single-market run) without a map lookup. */
  private recent: Mark | undefined = undefined;
  private latest = Number.NEGATIVE_INFINITY;
  // Replaced (never changed) when a market first appears, so a caller may keep it.
  private list: readonly Market[] = emptyRefs();
  /** The scale of the units {@link priceUnits} returned last (−1 after a NaN answer). */
  unitScale = -1;

  /** Records a market's latest bar and its close (steps come in time order). */
  set(bar: Candle): void {
    const market = bar.market;
    const close = bar.close;
    const at = bar.openTime;
    // Refused at once, as converting it would: a NaN close must not wait for a holding to surface.
    if (!Number.isFinite(close)) throw new DecimalParseError(close);
    this.latest = at;
    const m = this.markOf(market);
    if (m === undefined) {
      const created = new Mark(market, at, close, bar);
      this.marks.set(market, created);
      this.recent = created;
      this.list = [...this.list, market];
      return;
    }
    m.bar = bar;
    if (m.at !== at) m.previous = m.close;
    m.at = at;
    if (m.close !== close) {
      m.close = close;
      m.exact = undefined;
      m.scale = Number.NaN;
    }
  }

  /** The market's mark: the one looked up last when it is that market's, else from the map. */
  private markOf(market: Market): Mark | undefined {
    const recent = this.recent;
    if (recent !== undefined && recent.market === market) return recent;
    const m = this.marks.get(market);
    if (m !== undefined) this.recent = m;
    return m;
  }

  /** The market's latest bar (one lookup with its mark, not a map of its own per bar). */
  bar(market: Market): Candle | undefined {
    return this.markOf(market)?.bar;
  }

  /** Every market's latest bar, in the order markets were first seen: a fresh map. */
  bars(): Map<Market, Candle> {
    const out = new Map<Market, Candle>();
    for (const [market, m] of this.marks) out.set(market, m.bar);
    return out;
  }

  /** The market's last close as an exact price. */
  price(market: Market): Price | undefined {
    const m = this.markOf(market);
    if (m === undefined) return undefined;
    m.exact ??= price(decimalFromNumber(m.close));
    return m.exact;
  }

  /**
   * The market's last close as units of 10^-{@link unitScale} (see Mark.units): the operand
   * productOf takes from {@link price} when exact, worked out once per close. NaN when the market
   * has no close or its units are not exact.
   */
  priceUnits(market: Market): number {
    const m = this.markOf(market);
    if (m === undefined) {
      this.unitScale = -1;
      return Number.NaN;
    }
    if (Number.isNaN(m.scale)) {
      const close = m.close;
      // A whole close below 2^53 is its own units (decimalFromNumber builds it from them, places
      // 0), else the units of its exact price at its own decimals, as productOf reads them.
      if (Number.isSafeInteger(close) && close !== 0) {
        m.units = close;
        m.scale = 0;
      } else {
        const exact = this.price(market) as Price;
        const places = placesOf(exact);
        const units = places === undefined || places > 22 ? undefined : unitsOf(exact, places);
        m.units = units ?? Number.NaN;
        m.scale = units === undefined ? -1 : (places as number);
      }
    }
    // `| 0`: the same integer (−1…22), stored as a small integer. `m.scale` lives in a double field,
    // and a double stored here turned the book's field to doubles mid-run: a new layout for every
    // later book and the engine's optimised `advance`, `record`, `set` and `bar` thrown away at
    // the next run's start in the same process.
    this.unitScale = m.scale | 0;
    return m.scale < 0 ? Number.NaN : m.units;
  }

  close(market: Market): number | undefined {
    return this.markOf(market)?.close;
  }

  previousClose(market: Market): number | undefined {
    const m = this.markOf(market);
    if (m === undefined) return undefined;
    if (m.at !== this.latest) return m.close;
    const previous = m.previous;
    return Number.isNaN(previous) ? undefined : previous;
  }

  /** Markets with a close so far, in the order they were first seen (an array that never changes). */
  marketList(): readonly Market[] {
    return this.list;
  }

  /** The last closes of {@link marketList}, in its order: a fresh copy. */
  closeList(): number[] {
    const out: number[] = [];
    for (const m of this.marks.values()) out.push(m.close);
    return out;
  }
}
