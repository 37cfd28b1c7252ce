import fc from 'fast-check';
import { TickContexts } from '../../shared/src/backtest/engine/tick-contexts';
import type { Market } from '../../shared/src/domain/market/market-id';
import {
  KRW_MARKET_RULES,
  type MarketRules,
  tickTableFor,
} from '../../shared/src/domain/market/market-rules';
import { KRW_TICK_TABLES, type TickTable } from '../../shared/src/domain/market/tick-table';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

const MARKETS = ['KRW-BTC', 'KRW-USDT', 'KRW-ETH'] as Market[];
const starts = KRW_TICK_TABLES.map((t) => t.effectiveFrom as number);
const last = Math.max(...starts);

/** Times around every table's start (just before, at, just after) and in between. */
const instant = fc.oneof(
  fc.constantFrom(...starts).chain((s) => fc.integer({ min: Math.max(0, s - 5), max: s + 5 })),
  fc.integer({ min: 0, max: last + 10 * 86_400_000 }),
);

function check(rules: MarketRules, times: readonly [Market, number][]): void {
  const ticks = new TickContexts(rules);
  for (const [market, at] of times) {
    const ctx = ticks.at(market, at);
    expect(ctx.table).toBe(tickTableFor(rules, at as EpochMs));
    expect(ctx.asset).toBe(market.slice(4));
  }
}

describe('TickContexts', () => {
  it('gives the table tickTableFor gives, for any market and any sequence of times', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...MARKETS), instant), { maxLength: 60 }), (times) =>
        check(KRW_MARKET_RULES, times),
      ),
    );
  });

  it('follows tickTableFor on tables listed out of date order', () => {
    const shuffled: readonly TickTable[] = [...KRW_TICK_TABLES].reverse();
    const rules: MarketRules = { ...KRW_MARKET_RULES, tickTables: shuffled };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...MARKETS), instant), { maxLength: 60 }), (times) =>
        check(rules, times),
      ),
    );
  });

  it('refuses a time before every table, as tickTableFor does', () => {
    const late: MarketRules = { ...KRW_MARKET_RULES, tickTables: KRW_TICK_TABLES.slice(1) };
    const ticks = new TickContexts(late);
    expect(() => ticks.at(MARKETS[0] as Market, 0)).toThrow(RangeError);
    expect(ticks.at(MARKETS[0] as Market, last).table).toBe(tickTableFor(late, last as EpochMs));
  });
});
