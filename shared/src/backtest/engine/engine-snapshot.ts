import type { Market } from '../../domain/market/market-id';
import { type Decimal, decimalFromNumber, ZERO } from '../../domain/money/decimal';
import { type Krw, price, volume } from '../../domain/money/quantities';
import type { Position } from '../../domain/trading/position';
import type { StepSnapshot } from './backtest-input';

type Holdings = ReadonlyMap<Market, { readonly volume: Decimal; readonly mark: Decimal }>;

/**
 * A step's snapshot. `holdings` (held volume and last close of every market seen so far) is built
 * on first read from what the step captured: most steps' snapshots are only asked for their equity,
 * and exact holdings per market and step would cost more than the step itself. The positions list
 * is the broker's immutable one of that step and the closes are copied, so a snapshot kept and read
 * later still shows its own step.
 */
export class EngineSnapshot implements StepSnapshot {
  private held: Holdings | undefined = undefined;

  constructor(
    readonly at: number,
    readonly cash: Krw,
    readonly equity: Krw,
    private readonly positions: readonly Position[],
    private readonly markets: readonly Market[],
    private readonly closes: readonly number[],
  ) {}

  get holdings(): Holdings {
    if (this.held === undefined) {
      const out = new Map<Market, { volume: Decimal; mark: Decimal }>();
      this.markets.forEach((market, i) => {
        let held: Decimal = ZERO;
        for (const p of this.positions) if (p.market === market) held = held.plus(p.volume);
        out.set(market, { volume: volume(held), mark: price(decimalFromNumber(this.closes[i] as number)) });
      });
      this.held = out;
    }
    return this.held;
  }
}
