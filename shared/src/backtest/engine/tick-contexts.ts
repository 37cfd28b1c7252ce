import type { Market } from '../../domain/market/market-id';
import { baseCurrency } from '../../domain/market/market-id';
import { type MarketRules, tickTableFor } from '../../domain/market/market-rules';
import type { TickContext } from '../../domain/market/tick-rounding';
import type { TickTable } from '../../domain/market/tick-table';

/**
 * Each market's tick context (`tickTableFor(rules, at)` and its asset) at a time, worked out again
 * only when `at` leaves the span between two tables' start dates: inside one span every table in
 * force is the same set, so `tickTableFor` gives the same table. The shadow ledgers price every bar
 * a paper position is held; choosing the table and the asset's override per bar cost more than the
 * pricing itself.
 */
export class TickContexts {
  private readonly starts: readonly number[];
  private from = Number.POSITIVE_INFINITY;
  private until = Number.NEGATIVE_INFINITY;
  private table: TickTable | undefined = undefined;
  private readonly byMarket = new Map<Market, TickContext>();

  constructor(private readonly rules: MarketRules) {
    this.starts = [...new Set(rules.tickTables.map((t) => t.effectiveFrom as number))].sort((a, b) => a - b);
  }

  /** The context `{ table: tickTableFor(rules, at), asset: baseCurrency(market) }`, shared while valid. */
  at(market: Market, at: number): TickContext {
    if (!(at >= this.from && at < this.until)) this.enter(at);
    let ctx = this.byMarket.get(market);
    if (ctx === undefined) {
      ctx = { table: this.table as TickTable, asset: baseCurrency(market) };
      this.byMarket.set(market, ctx);
    }
    return ctx;
  }

  private enter(at: number): void {
    // Throws, as tickTableFor does, before any table is in force.
    this.table = tickTableFor(this.rules, at as Parameters<typeof tickTableFor>[1]);
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    for (const s of this.starts)
      if (s <= at) from = s;
      else {
        until = s;
        break;
      }
    this.from = from;
    this.until = until;
    this.byMarket.clear();
  }
}
