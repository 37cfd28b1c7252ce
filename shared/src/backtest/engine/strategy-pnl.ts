import { type Decimal, ZERO } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { type DecimalLayout, numberOf } from '../../domain/money/decimal-units';
import type { Price } from '../../domain/money/quantities';
import { emptyDoubles, emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { holdingValue } from '../broker/holding-value';
import type { SimulatedBroker } from '../broker/simulated-broker';
import type { MarkBook } from './mark-book';

type Owner = StrategyName | 'operator';

/**
 * Unrealised + realised PnL per strategy at the current marks (fees included), as floats for the
 * per-strategy curves. Holding nothing, it only changes with the book, so it is kept until the book
 * changes; holding something, each position's value is kept while its position and mark objects stay.
 *
 * One map, updated in place, with a {@link version} that moves whenever a value (or the set of
 * owners) changed: the step bookkeeping reads the version to know whether the curves need feeding,
 * instead of a new map per bar while something is held.
 */
export class StrategyPnl {
  /** The broker's book version the map was last made for (NaN: never made). */
  private brokerVersion = Number.NaN;
  private readonly map = new Map<Owner, number>();
  #version = 0;
  private readonly positions: Position[] = emptyRefs();
  private readonly marks: (Price | undefined)[] = emptyRefs();
  private readonly values: number[] = emptyDoubles();
  /** Per position, realized PnL − cost while the position object stays (see valueAt). */
  private readonly bases: (Decimal | undefined)[] = emptyRefs();
  /** Owners in the order they first appeared, each one's slot in `sums`. */
  private readonly owners: Owner[] = emptyRefs();
  private readonly slots = new Map<Owner, number>();
  /** Per slot, the sum of the pass whose number is in `passOf` (else the owner had no position). */
  private readonly sums: number[] = emptyDoubles();
  private readonly passOf: number[] = emptyDoubles();
  private pass = 0;
  /** Per slot, the value in the map, and the pass that put it there (0: not in the map). */
  private readonly published: number[] = emptyDoubles();
  private readonly publishedIn: number[] = emptyDoubles();
  /** Per position index, its owner's slot (kept with the position object). */
  private readonly slotAt: number[] = emptyDoubles();

  constructor(
    private readonly broker: SimulatedBroker,
    private readonly book: MarkBook,
  ) {}

  /** Moves whenever {@link current}'s map changed. */
  get version(): number {
    return this.#version;
  }

  /** Each strategy's PnL double at the latest marks (see the class comment). */
  current(): ReadonlyMap<Owner, number> {
    const version = this.broker.version;
    if (version === this.brokerVersion && !this.broker.holdsAny) return this.map;
    this.brokerVersion = version;
    const positions = this.broker.allPositions();
    // Each position's PnL double, kept while the position object (immutable) and its mark object
    // stay, per index: a fill replaces one position object in a new list, and the others (flat
    // ones, other strategies') are not valued again; a close that did not move values nothing.
    if (this.values.length > positions.length) {
      this.positions.length = positions.length;
      this.marks.length = positions.length;
      this.values.length = positions.length;
      this.bases.length = positions.length;
      this.slotAt.length = positions.length;
    }
    const sums = this.sums;
    const passOf = this.passOf;
    const pass = ++this.pass;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      const mark = p.volume.isZero() ? undefined : this.book.price(p.market);
      let value = this.values[i];
      const moved = this.positions[i] !== p;
      if (value === undefined || moved || this.marks[i] !== mark) {
        if (moved) this.bases[i] = undefined;
        value = mark === undefined ? numberOf(sumOf(p.realizedPnl, ZERO)) : this.valueAt(i, p, mark);
        this.positions[i] = p;
        this.values[i] = value;
        this.marks[i] = mark;
        this.slotAt[i] = this.slotOf(p.strategy);
      }
      const slot = this.slotAt[i] as number;
      // 0 + value for an owner's first position, as `(map.get(owner) ?? 0) + value` added it.
      sums[slot] = (passOf[slot] === pass ? (sums[slot] as number) : 0) + value;
      passOf[slot] = pass;
    }
    this.publish();
    return this.map;
  }

  /** Writes the pass's sums into the map, moving the version when any differs from the map's. */
  private publish(): void {
    const pass = this.pass;
    let changed = false;
    for (let k = 0; k < this.owners.length; k++) {
      const inMap = this.publishedIn[k] !== 0;
      if (this.passOf[k] !== pass) {
        // No position of this owner any more: off the map, as a map made from the list would be.
        if (inMap) {
          this.map.delete(this.owners[k] as Owner);
          this.publishedIn[k] = 0;
          changed = true;
        }
        continue;
      }
      const sum = this.sums[k] as number;
      if (inMap && Object.is(this.published[k], sum)) continue;
      this.map.set(this.owners[k] as Owner, sum);
      this.published[k] = sum;
      this.publishedIn[k] = pass;
      changed = true;
    }
    if (changed) this.#version += 1;
  }

  private slotOf(owner: Owner): number {
    let slot = this.slots.get(owner);
    if (slot === undefined) {
      slot = this.owners.length;
      this.owners.push(owner);
      this.slots.set(owner, slot);
      this.sums.push(0.5);
      this.passOf.push(0);
      this.published.push(0.5);
      this.publishedIn.push(0);
    }
    return slot;
  }

  /**
   * `numberOf(realized + (volume × mark − cost))`, the PnL of a held position at a mark: the same
   * decimals and double as times/minus/plus/toNumber, without decimal.js when exact (every bar
   * while something is held). realized − cost changes only with the position, so it is kept per
   * position and each bar adds the holding's value to it: one exact sum a bar instead of two. Both
   * orders give the same decimal when every sum involved is exact (at most 40 significant digits,
   * decimal.js's precision), which the spans of the three operands bound (see exactlyReordered);
   * otherwise the value is computed in the original order.
   */
  private valueAt(i: number, p: Position, mark: Price): number {
    // The product the broker's equity took at this mark a moment ago (see holdingValue).
    const worth = holdingValue(p.volume, mark);
    if (!exactlyReordered(p.realizedPnl, worth, p.cost))
      return numberOf(sumOf(p.realizedPnl, differenceOf(worth, p.cost)));
    let base = this.bases[i];
    if (base === undefined) {
      base = differenceOf(p.realizedPnl, p.cost);
      this.bases[i] = base;
    }
    return numberOf(sumOf(base, worth));
  }
}

const WORD = 7;
const PRECISION = 40;

/**
 * True when every sum and difference of `a`, `b` and `c` (x + (y − z) and (x − z) + y) is exact in
 * decimal.js's 40 significant digits: each result lies between 10^(top + 2) (the largest operand's
 * leading digit, plus two carries) and the lowest operand word's place, so its digits are at most
 * that span. decimal.js rounds only results longer than 40 digits, so within the bound both orders
 * compute the one exact value a + b − c, whose decimal (layout canonical) is the same.
 */
export function exactlyReordered(a: Decimal, b: Decimal, c: Decimal): boolean {
  const x = a as unknown as DecimalLayout;
  const y = b as unknown as DecimalLayout;
  const z = c as unknown as DecimalLayout;
  const xd = x.d;
  const yd = y.d;
  const zd = z.d;
  if (xd === null || yd === null || zd === null) return false;
  const top = Math.max(x.e, y.e, z.e) + 2;
  const low = Math.min(lowPlace(x.e, xd.length), lowPlace(y.e, yd.length), lowPlace(z.e, zd.length));
  return top - low + 1 <= PRECISION;
}

/** The place (power of ten) of the lowest digit of a decimal's lowest word. */
function lowPlace(e: number, words: number): number {
  return WORD * (Math.floor(e / WORD) - words + 1);
}
