import { DEFAULT_RISK_LIMITS } from '../risk/risk-limits';
import { StrategyName } from '../trading/strategy-name';
import { StrategyEdges } from './strategy-edges';

// Each StrategyEdges warms its gated-trade loop once its gates exist and holds the warm-up while
// it lives (gated-shadow-trades.ts): the warm-up must have run both of the gate's transitions.

const SHADOW = {
  takerFee: 0.0005,
  stopLoss: 0.02,
  takeProfit: 0.03,
  minScore: 0.3,
  perTradeCapKrw: 100_000,
  minTotal: 5000,
};
const QUOTE = { quote: (traded: number) => ({ bid: traded - 1, ask: traded + 1 }) };

describe('StrategyEdges', () => {
  it("holds a warm-up of the gated-trade loop that closed and reopened its gate, apart from the run's gates", () => {
    const edges = new StrategyEdges([StrategyName.meanReversion], DEFAULT_RISK_LIMITS.kelly, SHADOW, QUOTE);
    const periods = edges.gatedWarmUp.gate.periods();
    expect(periods.length).toBeGreaterThan(1);
    expect(periods.some((p) => p.to !== undefined)).toBe(true);
    expect(edges.gatePeriods().get(StrategyName.meanReversion)).toEqual([]);
    expect(edges.stats(StrategyName.meanReversion)).toEqual({ trades: 0, winRate: 0, payoffRatio: 0 });
  });
});
