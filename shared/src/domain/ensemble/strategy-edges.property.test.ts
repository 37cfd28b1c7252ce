import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { DEFAULT_RISK_LIMITS } from '../risk/risk-limits';
import { QUOTE_AROUND, SHADOW_SETTINGS, SHADOW_T0, shadowBar } from '../risk/testing/shadow-fixture';
import { SignalDirection, type StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import { StrategyName } from '../trading/strategy-name';
import { StrategyEdges } from './strategy-edges';

// onMarketSignals with several strategies' signals sums each strategy's signed scores in two lists
// kept for the run (no map per bar): every ledger must end exactly as when each strategy's signals,
// grouped in the order the strategy first signalled (what a map's iteration gave), arrive as a
// one-strategy list (the sole-strategy path), whatever bars and signals come in between.

const MARKETS = ['KRW-BTC', 'KRW-ETH'] as readonly string[] as readonly Market[];
const NAMES = [
  StrategyName.marketMaking,
  StrategyName.meanReversion,
  StrategyName.momentumScalping,
  StrategyName.microstructure,
] as const;

const signalArb = fc.record({
  strategy: fc.integer({ min: 0, max: NAMES.length - 1 }),
  direction: fc.constantFrom<SignalDirection>(
    SignalDirection.buy,
    SignalDirection.sell,
    SignalDirection.flat,
  ),
  // Edge cases of the score: zero, −0, the clamp's bounds and beyond, NaN (scored as 0).
  strength: fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom(0, -0, 1, 1.5, -0.25, Number.NaN, 0.3, 0.29999999999999993),
  ),
});

const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('bar' as const),
    market: fc.integer({ min: 0, max: 1 }),
    open: fc.integer({ min: 9_000, max: 11_000 }),
    close: fc.integer({ min: 9_000, max: 11_000 }),
  }),
  fc.record({
    kind: fc.constant('signals' as const),
    market: fc.integer({ min: 0, max: 1 }),
    signals: fc.array(signalArb, { minLength: 1, maxLength: 7 }),
  }),
);

function edgesOf(): StrategyEdges {
  return new StrategyEdges(NAMES, DEFAULT_RISK_LIMITS.kelly, SHADOW_SETTINGS, QUOTE_AROUND);
}

describe('StrategyEdges.onMarketSignals', () => {
  it("several strategies' signals move the ledgers as each strategy's own list in first-signal order (400 runs)", () => {
    let mixed = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
        const edges = edgesOf();
        const reference = edgesOf();
        steps.forEach((step, minute) => {
          const market = MARKETS[step.market] as Market;
          if (step.kind === 'bar') {
            const b = shadowBar(market, minute, step.open, step.close);
            edges.onBar(b);
            reference.onBar(b);
          } else {
            const list: StrategySignal[] = step.signals.map((s) => ({
              strategy: NAMES[s.strategy] as StrategyName,
              market,
              at: (SHADOW_T0 + minute * 60_000) as EpochMs,
              direction: s.direction,
              strength: s.strength,
              reason: 'test',
            }));
            edges.onMarketSignals(market, list);
            const groups = new Map<StrategyName, StrategySignal[]>();
            for (const s of list) groups.set(s.strategy, [...(groups.get(s.strategy) ?? []), s]);
            if (groups.size > 1) mixed++;
            for (const group of groups.values()) reference.onMarketSignals(market, group);
          }
          expect(edges.state()).toEqual(reference.state());
        });
      }),
      { seed: 20261207, numRuns: 400 },
    );
    // The generator reaches the several-strategies path, not only the sole one.
    expect(mixed).toBeGreaterThan(200);
  });
});
