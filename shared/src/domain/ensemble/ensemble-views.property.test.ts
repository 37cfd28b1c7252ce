import fc from 'fast-check';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { floorOfProduct } from '../money/decimal-floors';
import { krw } from '../money/quantities';
import { invariant } from '../risk/testing/risk-builders';
import type { StrategySignal } from '../strategies/strategy';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import { convictionNotional, resolveMarket, resolveViews } from './ensemble';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from './ensemble-config';
import { BTC, ETH, NOW, sig } from './testing/ensemble-signals';

const DIRECTIONAL = STRATEGY_NAMES.filter((n) => n !== 'market_making');

const signalArb = fc.record({
  direction: fc.constantFrom('buy' as const, 'sell' as const, 'flat' as const),
  strength: fc.oneof(
    fc.double({ min: -0.5, max: 1.5, noNaN: true }),
    fc.constantFrom(0, -0, 0.25, 0.5, 0.7, 1, Number.NaN, Number.POSITIVE_INFINITY),
  ),
  // 0: market making's signal before it, 1: one of another market
  extra: fc.integer({ min: 0, max: 5 }),
});

const caseArb = fc.record({
  strategy: fc.constantFrom(...DIRECTIONAL),
  signals: fc.array(signalArb, { minLength: 1, maxLength: 4 }),
  weight: fc.oneof(fc.constant(0.15), fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
  enabled: fc.integer({ min: 0, max: 9 }), // 0: the strategy is off
  minScore: fc.oneof(fc.constant(0.25), fc.double({ min: 0, max: 1, noNaN: true })),
  cap: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 0, max: 3_000_000 })),
  held: fc.oneof(fc.constant<number | undefined>(undefined), fc.constant(0), fc.double({ min: 0, max: 2 })),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The case's signals; with `witness`, a signal of another (disabled) strategy first. */
function inputOf(c: Case, witness: StrategyName | undefined) {
  const signals: StrategySignal[] = witness === undefined ? [] : [sig(witness, 'buy', 1)];
  for (const s of c.signals) {
    if (s.extra === 0) signals.push(sig('market_making', 'flat', 0));
    if (s.extra === 1) signals.push(sig(c.strategy, 'buy', 1, ETH));
    signals.push(sig(c.strategy, s.direction, s.strength));
  }
  const other = witnessOf(c.strategy);
  const config: EnsembleConfig = {
    ...DEFAULT_ENSEMBLE_CONFIG,
    weights: { ...DEFAULT_ENSEMBLE_CONFIG.weights, [c.strategy]: c.weight },
    enabled: { ...DEFAULT_ENSEMBLE_CONFIG.enabled, [c.strategy]: c.enabled !== 0, [other]: false },
    minScore: c.minScore,
    aggressiveScore: Math.max(c.minScore, 0.7),
    perTradeCapKrw: c.cap,
  };
  const held = c.held;
  return {
    market: BTC,
    now: NOW,
    signals,
    config,
    ...(held === undefined ? {} : { holdings: () => held }),
  };
}

function witnessOf(strategy: StrategyName): StrategyName {
  return strategy === 'mean_reversion' ? 'stat_arb' : 'mean_reversion';
}

function text(r: { decisions: readonly unknown[]; fates: ReadonlyMap<StrategyName, unknown> }): string {
  return JSON.stringify([r.decisions, [...r.fates]]);
}

describe('the ensemble’s one-view resolution', () => {
  it('resolves one directional strategy as the several-strategy steps do', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(caseArb, (c) => {
        // One strategy's signals take the one-view steps; a disabled witness's signal in front sends
        // the same input through the several-strategy steps, adding only the witness's strategy_off.
        const sole = resolveViews(inputOf(c, undefined));
        const witness = witnessOf(c.strategy);
        const several = resolveViews(inputOf(c, witness));
        invariant(
          JSON.stringify(several.fates.get(witness)) ===
            JSON.stringify({ kind: 'held', reason: 'strategy_off' }),
          'witness off',
        );
        const fates = new Map(several.fates);
        fates.delete(witness);
        const reference = text({ decisions: several.decisions, fates });
        invariant(text(sole) === reference, `${text(sole)} !== ${reference}`);
        // resolveMarket (the same views, then market making's quotes decision) agrees too.
        const market = resolveMarket(inputOf(c, undefined));
        invariant(
          JSON.stringify(market.decisions) === JSON.stringify(sole.decisions),
          'resolveMarket decisions',
        );
        for (const f of sole.fates.values()) seen.add(JSON.stringify(f).replace(/"decisionId":"[^"]*"/, ''));
      }),
      { seed: 20261206, numRuns: 3000 },
    );
    // Every outcome of a lone view was reached.
    for (const kind of [
      '"reason":"strategy_off"',
      '"reason":"flat"',
      '"reason":"zero_weight"',
      '"reason":"nothing_to_sell"',
      '"reason":"below_min_score"',
      '"reason":"below_minimum"',
      '"kind":"decided"',
    ])
      expect([...seen].some((f) => f.includes(kind))).toBe(true);
  });

  it('gives each conviction’s notional as the decimal floor does, through the remembered answers', () => {
    // A few convictions again and again (mean reversion's vote sums), near-whole products, fresh
    // doubles, zeros, and caps and minimums that change in between.
    const convictionArb = fc.oneof(
      fc.constantFrom(0.5, 0.55, 0.6, 0.65, 0.75, 0.85, 1, 0.005, 0.0049999999, 0, -0, 0.25 + 0.35),
      fc.double({ min: 0, max: 1, noNaN: true }),
    );
    const caseArb = fc.record({
      conviction: convictionArb,
      cap: fc.constantFrom(1_000_000, 1_000_001, 10_000, 0),
      minTotal: fc.constantFrom('5000', '5000', '1', '0'),
    });
    fc.assert(
      fc.property(fc.array(caseArb, { minLength: 1, maxLength: 40 }), (steps) => {
        for (const { conviction, cap, minTotal } of steps) {
          const config = { ...DEFAULT_ENSEMBLE_CONFIG, perTradeCapKrw: cap };
          const rules = { ...KRW_MARKET_RULES, minTotal: krw(minTotal) };
          const got = convictionNotional(conviction, config, rules);
          const floor = floorOfProduct(conviction, cap);
          const expected = floor.lt(rules.minTotal) ? undefined : floor.toString();
          invariant(
            got?.toString() === expected,
            `${conviction} × ${cap} ≥ ${minTotal}: ${got} vs ${expected}`,
          );
        }
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
