/**
 * Audit (audit6): the backtest as shipped against the reference engine (fast paths switched off,
 * test/backtest/support/fast-vs-reference.ts) on two markets at once and on random markets, grids,
 * tick tables, capitals, fees and exposure / per-trade limits that bind. Claim: the same JSON text.
 */
import fc from 'fast-check';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { fastAndReference, firstDifference } from './support/fast-vs-reference';
import { AFTER_2025, IN_2024, input, MID_2025, tradesOf, walk } from './support/hand-made-markets';

describe('audit: fast engine vs reference engine, several markets and random money (claim: the same JSON result)', () => {
  it('all strategies on two low-priced markets at once (the multi-market books and exposure)', async () => {
    const a = parseMarket('KRW-XRP');
    const b = parseMarket('KRW-ADA');
    const candles = new Map([
      [a, walk(a, IN_2024, 100.3, 500, 40, 3)],
      [b, walk(b, IN_2024, 999.2, 500, 40, 5)],
    ]);
    const { fast, reference } = await fastAndReference((lib) => input(lib, candles, 'all'));
    expect(firstDifference(fast, reference)).toBe('identical');
    expect(tradesOf(fast)).toBeGreaterThan(5);
  });

  it('random markets, grids, tables, capital, fees and limits that bind (funds, exposure, per-trade)', async () => {
    // Run locally with 400 + 60 cases (seeds 77 and 1): identical every time; a few here.
    const levels = [100.2, 1.0004, 0.0123, 0.000513, 5001, 10.003, 999.7, 1000.6, 50_010, 1_000_100, 0.10002];
    const starts = [
      AFTER_2025,
      IN_2024,
      MID_2025,
      Date.parse('2023-06-01T00:00:00Z'),
      Date.parse('2024-12-31T14:30:00Z'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          level: fc.constantFrom(...levels),
          start: fc.constantFrom(...starts),
          market: fc.constantFrom('KRW-ADA', 'KRW-USDT', 'KRW-XRP'),
          stepBps: fc.integer({ min: 1, max: 60 }),
          wickBps: fc.integer({ min: 5, max: 300 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          two: fc.boolean(),
          all: fc.boolean(),
          money: fc.record({
            capital: fc.constantFrom('20000', '150000', '500003', '10000000', '1234567.89'),
            fee: fc.constantFrom('0.0005', '0.0025', '0.00139'),
            maxTotal: fc.constantFrom('10000000', '300000', '150001', '99999.5'),
            maxStrategy: fc.constantFrom('2000000', '250000', '100000'),
            maxMarket: fc.constantFrom('3000000', '200000', '120000'),
            maxTrade: fc.constantFrom('500000', '60000', '30000.1'),
          }),
        }),
        async (c) => {
          const a = parseMarket(c.market);
          const candles = new Map([[a, walk(a, c.start, c.level, 240, c.stepBps, c.seed, c.wickBps)]]);
          const b = parseMarket('KRW-ETH');
          if (c.two) candles.set(b, walk(b, c.start, c.level * 3.3, 240, c.stepBps, c.seed + 1, c.wickBps));
          const strategies = c.all ? 'all' : (['market_making'] as const);
          const { fast, reference } = await fastAndReference((lib) =>
            input(lib, candles, strategies, c.money),
          );
          expect(firstDifference(fast, reference)).toBe('identical');
        },
      ),
      { numRuns: 8, seed: 20_261_205 },
    );
  });
});
