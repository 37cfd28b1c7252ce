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

/**
 * Unrealised + realised PnL per strategy at the current marks (fees included), as floats for the
 * per-strategy curves. Holding nothing, it only changes with the book, so it is kept until the book
 * changes; holding something, each position's value is kept while its position and mark objects stay.
 */
export class StrategyPnl {
  private last:
    | { readonly version: number; readonly map: ReadonlyMap<StrategyName | 'operator', number> }
    | undefined;
  private readonly positions: Position[] = emptyRefs();
  private readonly marks: (Price | undefined)[] = emptyRefs();
  private readonly values: number[] = emptyDoubles();
  /** Per position, realized PnL − cost while the position object stays (see valueAt). */
  private readonly bases: (Decimal | undefined)[] = emptyRefs();

  constructor(
    private readonly broker: SimulatedBroker,
    private readonly book: MarkBook,
  ) {}

  /** Each strategy's PnL double at the latest marks (see the class comment). */
  current(): ReadonlyMap<StrategyName | 'operator', number> {
    const version = this.broker.version;
    if (this.last !== undefined && this.last.version === version && !this.broker.holdsAny)
      return this.last.map;
    const positions = this.broker.allPositions();
    // Each position's PnL double, kept while the position object (immutable) and its mark object
    // stay, per index: a fill replaces one position object in a new list, and the others (flat
    // ones, other strategies') are not valued again; a close that did not move values nothing.
    if (this.values.length > positions.length) {
      this.positions.length = positions.length;
      this.marks.length = positions.length;
      this.values.length = positions.length;
      this.bases.length = positions.length;
    }
    const out = new Map<StrategyName | 'operator', number>();
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
      }
      out.set(p.strategy, (out.get(p.strategy) ?? 0) + value);
    }
    this.last = { version, map: out };
    return out;
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
