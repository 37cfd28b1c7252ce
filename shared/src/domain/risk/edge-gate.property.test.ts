import fc from 'fast-check';
import type { EpochMs } from '../time/epoch';
import { EdgeGate, noEdge } from './edge-gate';
import { tradeOutcomeStats } from './kelly-sizing';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

// PnLs of every kind the record may hold: break-evens (±0), whole won, wide magnitudes (so that a
// sum updated by subtracting a leaving term would differ from one summed again in order), NaN.
const pnl = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1e16, -1e16, Number.NaN),
  fc.integer({ min: -50_000, max: 50_000 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc
    .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -8, max: 17 }))
    .map(([m, e]) => m * 10 ** e),
);

const same = (a: number, b: number) => Object.is(a, b);

describe('EdgeGate record (kept incrementally)', () => {
  it('gives the stats and the gate state of tradeOutcomeStats over its window after every trade', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(pnl, { maxLength: 8 }),
        fc.array(pnl, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        (window, start, trades, minTrades) => {
          const limits = { ...DEFAULT_RISK_LIMITS.kelly, minTrades };
          const gate = new EdgeGate(limits, { record: start, periods: [] }, window);
          // A gate restored from a stored record is closed as that record says (kept, not asked).
          expect(gate.closed).toBe(noEdge(tradeOutcomeStats(gate.state().record), limits));
          trades.forEach((p, i) => {
            gate.record(p, (1000 + i) as EpochMs);
            const record = gate.state().record;
            const expected = tradeOutcomeStats(record);
            const actual = gate.stats();
            expect(same(actual.trades, expected.trades)).toBe(true);
            expect(same(actual.winRate, expected.winRate)).toBe(true);
            expect(same(actual.payoffRatio, expected.payoffRatio)).toBe(true);
            expect(gate.closed).toBe(noEdge(expected, limits));
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the 200-trade window over a long record', () => {
    fc.assert(
      fc.property(fc.array(pnl, { minLength: 201, maxLength: 420 }), (trades) => {
        const gate = new EdgeGate(DEFAULT_RISK_LIMITS.kelly);
        for (let i = 0; i < trades.length; i++) gate.record(trades[i] as number, i as EpochMs);
        const record = gate.state().record;
        expect(record).toEqual(trades.slice(-200));
        const expected = tradeOutcomeStats(record);
        const actual = gate.stats();
        expect([actual.trades, actual.winRate, actual.payoffRatio]).toEqual([
          expected.trades,
          expected.winRate,
          expected.payoffRatio,
        ]);
        expect(same(actual.payoffRatio, expected.payoffRatio)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
