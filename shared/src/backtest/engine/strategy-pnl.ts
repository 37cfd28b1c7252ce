import { type Decimal, ZERO } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { exactlyReordered, lowPlace } from '../../domain/money/decimal-three-sums';
import {
  type DecimalLayout,
  decimalOfUnits,
  numberOf,
  POW10,
  placesOf,
  unitsOf,
} from '../../domain/money/decimal-units';
import type { Price } from '../../domain/money/quantities';
import { emptyDoubles, emptyRefs } from '../../domain/shapes/typed-empty-arrays';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { holdingValue } from '../broker/holding-value';
import type { HeldBooks, HeldValuation } from './held-valuation';
import type { MarkBook } from './mark-book';

type Owner = StrategyName | 'operator';

/**
 * Each owner's PnL as the step bookkeeping reads it: {@link refresh} once per step, then each
 * owner's value by its slot (slots are assigned as owners first hold a position, and never move).
 */
export interface OwnerPnl {
  /** Works out every owner's value at the latest marks. */
  refresh(): void;
  /** Moves whenever a value (or the set of owners with a position) changed; read after refresh. */
  readonly version: number;
  /** Slots assigned so far. */
  readonly ownerCount: number;
  /** The owner's slot, or −1 while it has none. */
  slotIndex(owner: Owner): number;
  /** The value in `slot` (0 while the owner holds no position). */
  valueOr0(slot: number): number;
}

/**
 * Unrealised + realised PnL per strategy at the current marks (fees included), as floats for the
 * per-strategy curves. Holding nothing, it only changes with the book, so it is kept until the book
 * changes; holding something, each position's value is kept while its position and mark objects stay.
 *
 * Each owner has a slot (in the order owners first appeared) holding its value, with a
 * {@link version} that moves whenever a value (or the set of owners) changed: the step bookkeeping
 * ({@link OwnerPnl}, read by StepCurves) reads the version to know whether the curves need feeding
 * and each owner's value by its slot, with no map operation per bar. The map {@link current}
 * returns is made from the slots when read after a change (one map, refilled in place).
 */
export class StrategyPnl implements OwnerPnl {
  /** The broker's book version the map was last made for (NaN: never made). */
  private brokerVersion = Number.NaN;
  private readonly map = new Map<Owner, number>();
  /** The {@link version} the map was last refilled at (−1: never). */
  private mapVersion = -1;
  #version = 0;
  private readonly positions: Position[] = emptyRefs();
  /** Per position, the close its value was taken at (NaN: none, a flat position or no close). */
  private readonly closes: number[] = emptyDoubles();
  private readonly values: number[] = emptyDoubles();
  /** Per position, realized PnL − cost while the position object stays (see valueAt). */
  private readonly bases: (Decimal | undefined)[] = emptyRefs();
  /** Per position, the integer form of its value (see unitValue): NaN until made for the object. */
  private readonly baseUnits: number[] = emptyDoubles();
  private readonly baseScale: number[] = emptyDoubles();
  /** Per position, the highest `e` and lowest word place of realized PnL and cost (see unitValue). */
  private readonly spanTop: number[] = emptyDoubles();
  private readonly spanLow: number[] = emptyDoubles();
  /** Owners in the order they first appeared, each one's slot in `sums`. */
  private readonly owners: Owner[] = emptyRefs();
  private readonly slots = new Map<Owner, number>();
  /** Per slot, the sum of the pass whose number is in `passOf` (else the owner had no position). */
  private readonly sums: number[] = emptyDoubles();
  private readonly passOf: number[] = emptyDoubles();
  private pass = 0;
  /** Per slot, the published value, and the pass that published it (0: none, no position). */
  private readonly published: number[] = emptyDoubles();
  private readonly publishedIn: number[] = emptyDoubles();
  /** Per position index, its owner's slot (kept with the position object). */
  private readonly slotAt: number[] = emptyDoubles();
  /**
   * Per position index, 1 when the position object there is flat and its value is kept (0: not
   * known flat). A flat position's value depends on nothing but the object (its close is NaN), so
   * while the object stays its value stands without reading its volume or its market's close:
   * `all` carries three flat positions (the directional strategies') beside market making's on
   * every bar.
   */
  private readonly flatAt: number[] = emptyDoubles();

  /**
   * `owners`: the run's strategies, given their slots now in this order, so that the step
   * bookkeeping looks up every curve's slot before its first step (see StepCurves) instead of at
   * each strategy's first position, a branch its optimised code would not have seen. A slot holds
   * nothing until its owner has a position.
   */
  constructor(
    private readonly broker: HeldBooks,
    private readonly book: MarkBook,
    private readonly held: HeldValuation,
    owners: readonly Owner[] = [],
  ) {
    for (const owner of owners) this.slotOf(owner);
  }

  /** Moves whenever a published value (or the set of owners with one) changed. */
  get version(): number {
    return this.#version;
  }

  /** Owners with a slot so far (slots never move; an owner keeps its slot for the run). */
  get ownerCount(): number {
    return this.owners.length;
  }

  /** The owner's slot, or −1 while it has had no position. */
  slotIndex(owner: Owner): number {
    return this.slots.get(owner) ?? -1;
  }

  /** The PnL of the owner in `slot` as of the last {@link refresh}, 0 while it holds no position. */
  valueOr0(slot: number): number {
    return this.publishedIn[slot] === 0 ? 0 : (this.published[slot] as number);
  }

  /**
   * Each strategy's PnL double at the latest marks (see the class comment) as a map: owners with a
   * position, in slot order.
   */
  current(): ReadonlyMap<Owner, number> {
    this.refresh();
    if (this.mapVersion !== this.#version) {
      this.mapVersion = this.#version;
      const map = this.map;
      map.clear();
      for (let k = 0; k < this.owners.length; k++)
        if (this.publishedIn[k] !== 0) map.set(this.owners[k] as Owner, this.published[k] as number);
    }
    return this.map;
  }

  /** Works out each owner's PnL at the latest marks into its slot (see the class comment). */
  refresh(): void {
    const version = this.broker.version;
    // Read at every call, not only when the version stands: in market making it changes every bar
    // until the first loss-limit latch (~day 330) stops the bids, so the read first ran there, with
    // no feedback in the optimised code it was inlined in, which V8 threw away.
    const holds = this.broker.holdsAny;
    if (version === this.brokerVersion && !holds) return;
    this.brokerVersion = version;
    const positions = this.broker.allPositions();
    // Each position's PnL double, kept while the position object (immutable) and its mark object
    // stay, per index: a fill replaces one position object in a new list, and the others (flat
    // ones, other strategies') are not valued again; a close that did not move values nothing.
    if (this.values.length > positions.length) {
      this.positions.length = positions.length;
      this.closes.length = positions.length;
      this.values.length = positions.length;
      this.bases.length = positions.length;
      this.baseUnits.length = positions.length;
      this.baseScale.length = positions.length;
      this.spanTop.length = positions.length;
      this.spanLow.length = positions.length;
      this.slotAt.length = positions.length;
      this.flatAt.length = positions.length;
    }
    const sums = this.sums;
    const passOf = this.passOf;
    const pass = ++this.pass;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      const moved = this.positions[i] !== p;
      if (!moved && this.flatAt[i] === 1) {
        // The same flat object as before: its value (taken at the NaN close) stands.
        const slot = this.slotAt[i] as number;
        sums[slot] = (passOf[slot] === pass ? (sums[slot] as number) : 0) + (this.values[i] as number);
        passOf[slot] = pass;
        continue;
      }
      const flat = p.volume.isZero();
      // The close the value is taken at; NaN for none (a flat position, or a market without one).
      const close = flat ? Number.NaN : (this.book.close(p.market) ?? Number.NaN);
      let value = this.values[i];
      if (value === undefined || moved || !sameClose(this.closes[i] as number, close)) {
        // The owner's slot is looked up only for a new position object (its owner is fixed).
        if (moved) {
          this.bases[i] = undefined;
          this.baseScale[i] = Number.NaN;
          this.slotAt[i] = this.slotOf(p.strategy);
        }
        value = Number.isNaN(close) ? numberOf(sumOf(p.realizedPnl, ZERO)) : this.valueAt(i, p);
        this.positions[i] = p;
        this.values[i] = value;
        this.closes[i] = close;
      }
      this.flatAt[i] = flat ? 1 : 0;
      const slot = this.slotAt[i] as number;
      // 0 + value for an owner's first position, as `(map.get(owner) ?? 0) + value` added it.
      sums[slot] = (passOf[slot] === pass ? (sums[slot] as number) : 0) + value;
      passOf[slot] = pass;
    }
    this.publish();
  }

  /** Publishes the pass's sums in their slots, moving the version when any differs from before. */
  private publish(): void {
    const pass = this.pass;
    let changed = false;
    for (let k = 0; k < this.owners.length; k++) {
      const inMap = this.publishedIn[k] !== 0;
      if (this.passOf[k] !== pass) {
        // No position of this owner any more: unpublished, as a map made from the list would lack it.
        if (inMap) {
          this.publishedIn[k] = 0;
          changed = true;
        }
        continue;
      }
      const sum = this.sums[k] as number;
      if (inMap && Object.is(this.published[k], sum)) continue;
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
   * `numberOf(realized + (volume × mark − cost))`, the PnL of a held position at its market's
   * close: the same double as times/minus/plus/toNumber, without decimal.js when exact (every bar
   * while something is held). realized − cost changes only with the position, so it is kept per
   * position and each bar adds the holding's value to it: one exact sum a bar instead of two. Both
   * orders give the same decimal when every sum involved is exact (at most 40 significant digits,
   * decimal.js's precision), which the spans of the three operands bound (see exactlyReordered);
   * otherwise the value is computed in the original order. When the holding's value is a safe
   * integer of units (HeldValuation, the product the equity took a moment ago) and so is the kept
   * difference, their exact sum is one safe integer over a power of ten (see unitValue).
   */
  private valueAt(i: number, p: Position): number {
    const units = this.held.worthUnits(i, p);
    let worth: Decimal;
    if (!Number.isNaN(units)) {
      const scale = this.held.worthScale;
      const value = this.unitValue(i, p, units, scale);
      if (!Number.isNaN(value)) return value;
      // productOf's very decimal (its safe-integer path), without the mark's decimal.
      worth = decimalOfUnits(units, scale);
    } else worth = holdingValue(p.volume, this.book.price(p.market) as Price);
    if (!exactlyReordered(p.realizedPnl, worth, p.cost))
      return numberOf(sumOf(p.realizedPnl, differenceOf(worth, p.cost)));
    return numberOf(sumOf(this.baseOf(i, p), worth));
  }

  /** realized PnL − cost of the position at index `i`, kept while the position object stays. */
  private baseOf(i: number, p: Position): Decimal {
    let base = this.bases[i];
    if (base === undefined) {
      base = differenceOf(p.realizedPnl, p.cost);
      this.bases[i] = base;
    }
    return base;
  }

  /**
   * The double valueAt's decimal path gives, from the holding's value `worth` × 10^-`scale` (a
   * nonzero safe integer), or NaN when this cannot tell. The decimal path takes the exact sum of
   * base = realized − cost and the holding's value when exactlyReordered holds, which it surely does
   * when it holds for any value of at most 16 digits whose lowest is at 10^-scale (the bound's top
   * and lowest place taken at their extremes). numberOf of that sum is the double nearest to it, and
   * so is B × 10^(s − sb) + worth × 10^(s − scale) over 10^s (s the larger scale, at most 22) when
   * base is the safe integer B × 10^-sb and every term is a safe integer: one correctly rounded
   * division of two exact doubles (as numberOf's own short path divides).
   */
  private unitValue(i: number, p: Position, worth: number, scale: number): number {
    let sb = this.baseScale[i] as number;
    if (Number.isNaN(sb)) sb = this.baseUnitsOf(i, p);
    if (sb < 0) return Number.NaN;
    const top = Math.max(this.spanTop[i] as number, 15 - scale) + 2;
    const low = Math.min(this.spanLow[i] as number, WORD * Math.floor(-scale / WORD));
    if (top - low + 1 > PRECISION) return Number.NaN;
    const s = Math.max(sb, scale);
    if (s > 22) return Number.NaN;
    const b = (this.baseUnits[i] as number) * (POW10[s - sb] as number);
    const w = worth * (POW10[s - scale] as number);
    const n = b + w;
    if (!(Math.abs(b) <= Number.MAX_SAFE_INTEGER && Math.abs(w) <= Number.MAX_SAFE_INTEGER))
      return Number.NaN;
    if (!(Math.abs(n) <= Number.MAX_SAFE_INTEGER)) return Number.NaN;
    return n === 0 ? 0 : n / (POW10[s] as number);
  }

  /**
   * Works out the position's base units and scale and its span (see unitValue) once per position
   * object; returns the scale, −1 when base is not a safe integer of units at most 22 decimals.
   */
  private baseUnitsOf(i: number, p: Position): number {
    const r = p.realizedPnl as unknown as DecimalLayout;
    const c = p.cost as unknown as DecimalLayout;
    const base = this.baseOf(i, p);
    const places = r.d === null || c.d === null ? undefined : placesOf(base);
    const units = places === undefined || places > 22 ? undefined : unitsOf(base, places);
    const sb = units === undefined ? -1 : (places as number);
    this.baseUnits[i] = units ?? Number.NaN;
    this.baseScale[i] = sb;
    if (r.d !== null && c.d !== null) {
      this.spanTop[i] = Math.max(r.e, c.e);
      this.spanLow[i] = Math.min(lowPlace(r.e, r.d.length), lowPlace(c.e, c.d.length));
    }
    return sb;
  }
}

/** Two closes are the same mark (NaN, no close, equals itself). */
function sameClose(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const WORD = 7;
const PRECISION = 40;
