import type { Decimal } from './decimal';
import { unitsOf } from './decimal-units';

/**
 * `unitsOf(x, places)` remembered for the last decimal asked: a run hands the same immutable rule
 * decimal (a market's minimum total, the exchange's maximum) on every bar, so the conversion runs
 * again only when another object comes. One instance per call site, so two sites asking for
 * different decimals do not evict each other.
 */
export class LastUnits {
  private last: Decimal | undefined = undefined;
  private units: number | undefined = undefined;

  constructor(private readonly places: number) {}

  of(x: Decimal): number | undefined {
    if (x !== this.last) {
      this.units = unitsOf(x, this.places);
      this.last = x;
    }
    return this.units;
  }
}
