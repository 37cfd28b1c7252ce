import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { spreadAroundNumber, type TickContext } from '../../domain/market/tick-rounding';
import { Decimal, ZERO } from '../../domain/money/decimal';
import { krw } from '../../domain/money/quantities';
import { BTC, T0 } from '../../domain/risk/testing/risk-builders';
import type { EpochMs } from '../../domain/time/epoch';
import { QuoteLayerOrder } from './quote-layer-order';
import { quoteDecisionOf } from './testing/quote-decision';
import { openBracketFloor, untouchedAroundOpen, untouchedLayers } from './untouched-layers';

const rules = KRW_MARKET_RULES;
const floor = openBracketFloor(rules);
// Every table in force, with no asset, a plain one and an asset some tables override.
const contexts: TickContext[] = rules.tickTables.flatMap((table) =>
  [undefined, 'BTC', 'ADA', 'USDT'].map((asset) => ({ table, ...(asset === undefined ? {} : { asset }) })),
);
// Opens across every band: a double of any magnitude, a band's grid point, or one just beside it.
const openArb = fc.oneof(
  fc.double({ min: 1e-4, max: 1e10, noNaN: true }),
  fc
    .tuple(fc.integer({ min: -4, max: 9 }), fc.integer({ min: 1, max: 99_999 }))
    .map(([e, k]) => k * 10 ** (e - 4)),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 99 }), fc.constantFrom(-1, 1))
    .map(([e, k, s]) => {
      const x = k * 10 ** e;
      return x + s * x * 2 ** -50;
    }),
);

describe('untouchedAroundOpen', () => {
  it('finds the KRW tables bracketing every price from a tiny floor up', () => {
    expect(floor).toBeGreaterThan(0);
    expect(floor).toBeLessThan(0.001);
  });

  it('rests on a synthetic book around the open: its bid at most the open, its ask at least', () => {
    fc.assert(
      fc.property(openArb, fc.nat(), (open, c) => {
        fc.pre(open >= floor);
        const near = spreadAroundNumber(open, contexts[c % contexts.length] as TickContext);
        expect(near.bid).toBeLessThanOrEqual(open);
        expect(near.ask).toBeGreaterThanOrEqual(open);
      }),
      { numRuns: 20_000 },
    );
  });

  it('says true only where untouchedLayers with the open book says true', () => {
    let both = 0;
    let bookOnly = 0;
    const step = fc.record({
      bids: fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 4 }),
      asks: fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 4 }),
      open: fc.integer({ min: -2, max: 2 }),
      low: fc.integer({ min: 0, max: 4 }),
      high: fc.integer({ min: 0, max: 4 }),
      close: fc.integer({ min: -4, max: 4 }),
      mid: fc.constantFrom(50_000_000, 1_234_000, 99_990, 1_000, 999),
      tick: fc.constantFrom(1, 5, 10, 50, 500, 1_000),
    });
    fc.assert(
      fc.property(step, fc.nat(), (s, c) => {
        const at = T0 as EpochMs;
        const decision = quoteDecisionOf(at, []);
        const layer = (side: 'bid' | 'ask', k: number, leg: number) =>
          QuoteLayerOrder.place(
            undefined,
            BTC,
            'market_making',
            decision,
            leg,
            side,
            s.mid + (side === 'bid' ? -k : k) * s.tick,
            10_000,
            at,
            krw(ZERO),
            0,
          );
        const orders = [
          ...s.bids.map((k, i) => layer('bid', k, i)),
          ...s.asks.map((k, i) => layer('ask', k, s.bids.length + i)),
        ];
        const open = s.mid + s.open * s.tick;
        // A bar trades at positive prices (spreadAroundNumber refuses anything else).
        fc.pre(open - s.low * s.tick > 0);
        const bar: Candle = {
          market: BTC,
          timeframe: '1m',
          openTime: at,
          open,
          low: open - s.low * s.tick,
          high: open + s.high * s.tick,
          close: open + s.close * s.tick,
          volume: 1,
          quoteVolume: open,
        };
        const near = spreadAroundNumber(open, contexts[c % contexts.length] as TickContext);
        const quick = untouchedAroundOpen(orders, bar, floor);
        const book = untouchedLayers(orders, bar, near);
        if (quick) expect(book).toBe(true);
        if (quick) both += 1;
        else if (book) bookOnly += 1;
      }),
      { numRuns: 5_000 },
    );
    expect(both).toBeGreaterThan(100);
    expect(bookOnly).toBeGreaterThan(0);
  });

  it('never decides without the book for tables that may not bracket a price', () => {
    const table = rules.tickTables[0] as MarketRules['tickTables'][number];
    const band = (from: string, tick: string) => ({ from: new Decimal(from), tick: new Decimal(tick) });
    const off: MarketRules = {
      ...rules,
      tickTables: [{ ...table, bands: [band('1005', '10'), band('0', '1')] }],
    };
    const noZero: MarketRules = {
      ...rules,
      tickTables: [{ ...table, bands: [band('1000', '10'), band('1', '1')] }],
    };
    const override: MarketRules = {
      ...rules,
      tickTables: [
        { ...table, bands: [band('1000', '10'), band('0', '1')], overrides: { X: [band('1000', '3')] } },
      ],
    };
    for (const r of [off, noZero, override]) expect(openBracketFloor(r)).toBe(Number.POSITIVE_INFINITY);
    expect(
      openBracketFloor({ ...rules, tickTables: [{ ...table, bands: [band('1000', '10'), band('0', '1')] }] }),
    ).toBe(2);
  });
});
