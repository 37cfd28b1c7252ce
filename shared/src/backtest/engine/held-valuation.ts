import type { Decimal } from '../../domain/money/decimal';
import { decimalIsZero } from '../../domain/money/decimal-compare';
import { sumOf, sumOfUnits } from '../../domain/money/decimal-sums';
import { placesOf, unitsOf } from '../../domain/money/decimal-units';
import { type Krw, krw, type Price } from '../../domain/money/quantities';
import { emptyDoubles, emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { Position } from '../../domain/trading/position';
import { holdingValue } from '../broker/holding-value';
import type { SimulatedBroker } from '../broker/simulated-broker';
import type { MarkBook } from './mark-book';

/** What the step's valuations read from the broker's books (SimulatedBroker, or a test's fake). */
export type HeldBooks = Pick<SimulatedBroker, 'cash' | 'holdsAny' | 'allPositions' | 'version'>;

/**
 * Each holding's value at the latest close, worked out once per step in integer units and read by
 * both of the step's valuations: the account's equity (here, the decimal the broker's `equity`
 * returns) and each strategy's PnL (StrategyPnl). A holding's value is productOf(volume, mark),
 * which is a product of two safe integers whenever it is exact (an 8-decimal volume times a close
 * on the tick grid); here the volume's units are kept per position object (positions are
 * immutable, replaced on every fill) and the close's per close (MarkBook.priceUnits), so a step
 * multiplies two numbers instead of building the mark's decimal and reading both layouts, and
 * builds the value's decimal only for the equity. Whatever is not exact that way takes the decimal
 * path it took before (holdingValue), so every value is the very decimal or double it was.
 *
 * Per index of the broker's position list (the same list, in the same order, as the broker's own
 * `equity` loop over its position map and as StrategyPnl's).
 */
export class HeldValuation {
  private readonly positions: (Position | undefined)[] = emptyRefs();
  /** The position's volume as productOf's units at {@link volumeScale} (NaN: not exact). */
  private readonly volumeUnits: number[] = emptyDoubles();
  private readonly volumeScale: number[] = emptyDoubles();
  /** The scale of the units {@link worthUnits} returned last. */
  worthScale = 0;
  // The last equity and what it was worked out from: the cash object, the position list (a new
  // one whenever a position changes) and each held position's close.
  private equityCash: Krw | undefined = undefined;
  private equityList: readonly Position[] | undefined = undefined;
  private readonly equityCloses: number[] = emptyDoubles();
  private lastEquity: Krw | undefined = undefined;

  constructor(
    private readonly broker: HeldBooks,
    private readonly marks: MarkBook,
  ) {}

  /**
   * The broker's `equity` at the marks' prices: cash + every held position's value, summed in the
   * broker's order, markets without a close valued at zero; the cash object itself while nothing
   * is held. A step with the same cash object, position list and closes as the last returns the
   * last decimal (the same value, so its readers' identity checks can tell it is unchanged).
   */
  equity(): Krw {
    const broker = this.broker;
    const cash = broker.cash;
    if (!broker.holdsAny) return cash;
    const positions = broker.allPositions();
    const marks = this.marks;
    const closes = this.equityCloses;
    if (cash === this.equityCash && positions === this.equityList && this.closesUnchanged(positions))
      return this.lastEquity as Krw;
    let total: Decimal = cash;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      // Every index written, in order (a packed list of doubles); flat positions' are never read.
      const close = decimalIsZero(p.volume) ? undefined : marks.close(p.market);
      closes[i] = close ?? Number.NaN;
      if (close === undefined) continue;
      const units = this.worthUnits(i, p);
      // The units added to the total's words directly (the same decimal as adding their decimal).
      total = Number.isNaN(units)
        ? sumOf(total, holdingValue(p.volume, marks.price(p.market) as Price))
        : sumOfUnits(total, units, this.worthScale);
    }
    const equity = krw(total);
    // Stored only when they changed: cash and the list change at fills, the closes at most bars,
    // and a store of a young object into this old one goes through the write barrier's slow path
    // even when it is the object already there.
    if (cash !== this.equityCash) this.equityCash = cash;
    if (positions !== this.equityList) this.equityList = positions;
    this.lastEquity = equity;
    return equity;
  }

  /** Whether every held position's close is the one the last equity took (same list). */
  private closesUnchanged(positions: readonly Position[]): boolean {
    const closes = this.equityCloses;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      if (decimalIsZero(p.volume)) continue;
      const close = this.marks.close(p.market) ?? Number.NaN;
      const was = closes[i] as number;
      if (close !== was && !(Number.isNaN(close) && Number.isNaN(was))) return false;
    }
    return true;
  }

  /**
   * productOf(volume, price)'s units (a nonzero safe integer) at {@link worthScale}, for the
   * position at index `i` of the broker's list and its market's latest close, when productOf takes
   * its safe-integer path (the same test: both operands' units at their own decimals, at most 22
   * each, and a nonzero safe product); NaN otherwise (then productOf itself decides).
   */
  worthUnits(i: number, p: Position): number {
    if (this.positions[i] !== p) this.remember(i, p);
    const vu = this.volumeUnits[i] as number;
    if (Number.isNaN(vu)) return Number.NaN;
    const marks = this.marks;
    const pu = marks.priceUnits(p.market);
    if (Number.isNaN(pu)) return Number.NaN;
    const product = vu * pu;
    if (product === 0 || !Number.isSafeInteger(product)) return Number.NaN;
    this.worthScale = (this.volumeScale[i] as number) + marks.unitScale;
    return product;
  }

  private remember(i: number, p: Position): void {
    // Filled up to `i` in order: the list only grows (a position is never removed).
    while (this.positions.length < i) {
      this.positions.push(undefined);
      this.volumeUnits.push(Number.NaN);
      this.volumeScale.push(0);
    }
    const places = placesOf(p.volume);
    const units = places === undefined || places > 22 ? undefined : unitsOf(p.volume, places);
    this.positions[i] = p;
    this.volumeUnits[i] = units ?? Number.NaN;
    this.volumeScale[i] = units === undefined ? 0 : (places as number);
  }
}
