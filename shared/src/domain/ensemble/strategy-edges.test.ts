import { DEFAULT_RISK_LIMITS } from '../risk/risk-limits';
import { QUOTE_AROUND, SHADOW_SETTINGS } from '../risk/testing/shadow-fixture';
import { StrategyName } from '../trading/strategy-name';
import { StrategyEdges } from './strategy-edges';

// Each StrategyEdges warms its gated-trade loop once its gates exist and holds the warm-up while
// it lives (gated-shadow-trades.ts): the warm-up must have run both of the gate's transitions.

describe('StrategyEdges', () => {
  it("holds a warm-up of the gated-trade loop that closed and reopened its gate, apart from the run's gates", () => {
    const edges = new StrategyEdges(
      [StrategyName.meanReversion],
      DEFAULT_RISK_LIMITS.kelly,
      SHADOW_SETTINGS,
      QUOTE_AROUND,
    );
    const periods = edges.gatedWarmUp.gate.periods();
    expect(periods.length).toBeGreaterThan(1);
    expect(periods.some((p) => p.to !== undefined)).toBe(true);
    expect(edges.gatePeriods().get(StrategyName.meanReversion)).toEqual([]);
    expect(edges.stats(StrategyName.meanReversion)).toEqual({ trades: 0, winRate: 0, payoffRatio: 0 });
  });
});
