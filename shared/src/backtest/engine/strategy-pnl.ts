import { ZERO } from '../../domain/money/decimal';
import { differenceOf, sumOf } from '../../domain/money/decimal-sums';
import { numberOf, productOf } from '../../domain/money/decimal-units';
import type { Price } from '../../domain/money/quantities';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
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
  private readonly positions: Position[] = [];
  private readonly marks: (Price | undefined)[] = [];
  private readonly values: number[] = [];

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
    }
    const out = new Map<StrategyName | 'operator', number>();
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i] as Position;
      const mark = p.volume.isZero() ? undefined : this.book.price(p.market);
      let value = this.values[i];
      if (value === undefined || this.positions[i] !== p || this.marks[i] !== mark) {
        // The same decimals and double as times/minus/plus/toNumber, without decimal.js when exact
        // (every bar while something is held).
        const held = mark === undefined ? ZERO : differenceOf(productOf(p.volume, mark), p.cost);
        value = numberOf(sumOf(p.realizedPnl, held));
        this.positions[i] = p;
        this.values[i] = value;
        this.marks[i] = mark;
      }
      out.set(p.strategy, (out.get(p.strategy) ?? 0) + value);
    }
    this.last = { version, map: out };
    return out;
  }
}
