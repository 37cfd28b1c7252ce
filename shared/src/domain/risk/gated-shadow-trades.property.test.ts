import fc from 'fast-check';
import type { Market } from '../market/market-id';
import type { EpochMs } from '../time/epoch';
import { EdgeGate } from './edge-gate';
import { recordGated, warmGatedFeedback } from './gated-shadow-trades';
import { DEFAULT_RISK_LIMITS } from './risk-limits';
import type { ShadowTrade } from './shadow-ledger';

// recordGated is StrategyEdges.onBar's inner loop moved into a function of its own (so that it can
// be warmed at load): the same gate state after any run of bars as the loop it replaced.

const RUNS = { seed: 20261207, numRuns: 3000 } as const;

/** The loop as StrategyEdges.onBar ran it before. */
function recordGatedInline(trades: readonly ShadowTrade[], gate: EdgeGate | undefined): void {
  for (let j = 0; j < trades.length; j++) {
    const t = trades[j] as ShadowTrade;
    if (t.gated) gate?.record(t.netPnl, t.at);
  }
}

// PnLs of every kind a shadow round trip may close with: break-evens (±0), whole won, tiny and huge.
const pnl = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1e-8, -1e-8, 1e16, -1e16),
  fc.integer({ min: -50_000, max: 50_000 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
);
const trade: fc.Arbitrary<ShadowTrade> = fc.record({
  market: fc.constantFrom('KRW-BTC', 'KRW-ETH') as fc.Arbitrary<Market>,
  netPnl: pnl,
  gated: fc.boolean(),
  at: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }) as fc.Arbitrary<EpochMs>,
});
/** Bars of a run: most close no trade, some one, a few several. */
const bars = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant([]) },
    { weight: 3, arbitrary: fc.array(trade, { maxLength: 3 }) },
  ),
  { maxLength: 60 },
);

describe('recordGated', () => {
  it('leaves a gate as the inline loop did, bar after bar', () => {
    fc.assert(
      fc.property(
        bars,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 6 }),
        (run, window, minTrades) => {
          const limits = { ...DEFAULT_RISK_LIMITS.kelly, minTrades };
          const gate = new EdgeGate(limits, undefined, window);
          const reference = new EdgeGate(limits, undefined, window);
          for (const trades of run) {
            recordGated(trades, gate);
            recordGatedInline(trades, reference);
            expect(gate.state()).toEqual(reference.state());
            expect(gate.closed).toBe(reference.closed);
            expect(gate.stats()).toEqual(reference.stats());
          }
        },
      ),
      RUNS,
    );
  });

  it('records nothing without a gate, and nothing ungated', () => {
    const ungated = { market: 'KRW-BTC' as Market, netPnl: -5, gated: false, at: 1 as EpochMs };
    expect(() => recordGated([{ ...ungated, gated: true }], undefined)).not.toThrow();
    const gate = new EdgeGate(DEFAULT_RISK_LIMITS.kelly);
    recordGated([ungated, ungated], gate);
    expect(gate.state().record).toEqual([]);
  });

  it("warms the gate's branches: the throwaway gate closes and reopens", () => {
    for (const warm of [warmGatedFeedback(), warmGatedFeedback()]) {
      const periods = warm.gate.periods();
      // Closed and reopened more than once: both of record()'s transitions ran, and its window
      // of two dropped trades.
      expect(periods.length).toBeGreaterThan(1);
      expect(periods.some((p) => p.to !== undefined)).toBe(true);
      expect(warm.gate.state().record.length).toBe(2);
      expect(warm.trades.map((t) => t.gated)).toEqual([true, false]);
    }
  });
});
