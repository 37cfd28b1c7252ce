import fc from 'fast-check';
import type { StrategySignal } from '../strategies/strategy';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import { resolveMarket } from './ensemble';
import {
  assertEnsembleConfig,
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
  ensembleConfigFromStrategies,
  withStrategyEnabled,
} from './ensemble-config';
import { BTC, ETH, NOW, sig } from './testing/ensemble-signals';
import { voteContributions, weightedVote } from './weighted-vote';

const config = DEFAULT_ENSEMBLE_CONFIG;

describe('ensemble weights and vote', () => {
  it('ships the seed weights 30/20/20/15/15 (summing to 1) with every strategy enabled', () => {
    expect(DEFAULT_ENSEMBLE_WEIGHTS).toEqual({
      market_making: 0.3,
      stat_arb: 0.2,
      microstructure: 0.2,
      momentum_scalping: 0.15,
      mean_reversion: 0.15,
    });
    expect(STRATEGY_NAMES.reduce((a, n) => a + DEFAULT_ENSEMBLE_WEIGHTS[n], 0)).toBeCloseTo(1, 12);
    expect(STRATEGY_NAMES.every((n) => config.enabled[n])).toBe(true);
  });

  it('score = Σ wᵢ·sᵢ / Σ wᵢ over the enabled directional strategies; silent ones vote 0', () => {
    const all = weightedVote(
      BTC,
      [
        sig('stat_arb', 'buy', 1),
        sig('microstructure', 'buy', 1),
        sig('momentum_scalping', 'buy', 1),
        sig('mean_reversion', 'buy', 1),
      ],
      config,
    );
    expect(all.score).toBeCloseTo(1, 12);
    expect(all.totalWeight).toBeCloseTo(0.7, 12);
    const mixed = weightedVote(BTC, [sig('stat_arb', 'buy', 0.5), sig('mean_reversion', 'sell', 1)], config);
    expect(mixed.score).toBeCloseTo((0.2 * 0.5 - 0.15 * 1) / 0.7, 12);
    expect(mixed.contributions).toEqual([
      { strategy: 'stat_arb', score: 0.5, weight: expect.closeTo(0.2 / 0.7, 12), reason: 'stat_arb buy 0.5' },
      {
        strategy: 'mean_reversion',
        score: -1,
        weight: expect.closeTo(0.15 / 0.7, 12),
        reason: 'mean_reversion sell 1',
      },
    ]);
  });

  it('uses the configured weights, not the defaults', () => {
    const custom = { ...config, weights: { ...config.weights, microstructure: 0.6, stat_arb: 0 } };
    const v = weightedVote(BTC, [sig('microstructure', 'buy', 1)], custom);
    expect(v.score).toBeCloseTo(0.6 / (0.6 + 0 + 0.15 + 0.15), 12);
  });

  it('runtime disable: a disabled strategy neither votes nor counts in the normaliser', () => {
    const off = withStrategyEnabled(config, 'mean_reversion', false);
    expect(config.enabled.mean_reversion).toBe(true);
    const v = weightedVote(BTC, [sig('mean_reversion', 'sell', 1), sig('stat_arb', 'buy', 1)], off);
    expect(v.contributions.map((c) => c.strategy)).toEqual(['stat_arb']);
    expect(v.score).toBeCloseTo(0.2 / 0.55, 12);
    const none = STRATEGY_NAMES.reduce((c, n) => withStrategyEnabled(c, n, false), config);
    const r = resolveMarket({ market: BTC, now: NOW, signals: [sig('stat_arb', 'buy', 1)], config: none });
    expect(r.decisions).toEqual([]);
    expect(r.fates.get('stat_arb')).toEqual({ kind: 'held', reason: 'strategy_off' });
  });

  it('builds its config from the configured strategies section and validates it', () => {
    const entries = Object.fromEntries(
      STRATEGY_NAMES.map((n) => [n, { enabled: n !== 'stat_arb', weight: DEFAULT_ENSEMBLE_WEIGHTS[n] }]),
    ) as Record<StrategyName, { enabled: boolean; weight: number }>;
    const c = ensembleConfigFromStrategies(entries);
    expect(c.enabled.stat_arb).toBe(false);
    expect(c.weights).toEqual(DEFAULT_ENSEMBLE_WEIGHTS);
    expect(() =>
      ensembleConfigFromStrategies({ ...entries, stat_arb: { enabled: true, weight: -1 } }),
    ).toThrow(/weight of stat_arb/);
    expect(() => assertEnsembleConfig({ ...config, minScore: 1.5 })).toThrow(/minScore/);
  });

  it('property: |score| ≤ 1, independent of signal order, and signals of other markets never count', () => {
    const name = fc.constantFrom(...STRATEGY_NAMES);
    const signal = fc.record({
      strategy: name,
      direction: fc.constantFrom('buy', 'sell', 'flat') as fc.Arbitrary<StrategySignal['direction']>,
      strength: fc.double({ min: -1, max: 2, noNaN: true }),
      other: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(signal, { maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (raw, on) => {
          const c: EnsembleConfig = {
            ...config,
            enabled: Object.fromEntries(
              STRATEGY_NAMES.map((n, i) => [n, on[i] as boolean]),
            ) as EnsembleConfig['enabled'],
          };
          const signals = raw.map((r) => sig(r.strategy, r.direction, r.strength, r.other ? ETH : BTC));
          const v = weightedVote(BTC, signals, c);
          expect(Math.abs(v.score)).toBeLessThanOrEqual(1 + 1e-12);
          expect(weightedVote(BTC, [...signals].reverse(), c).score).toBeCloseTo(v.score, 12);
          const own = weightedVote(
            BTC,
            signals.filter((s) => s.market === BTC),
            c,
          );
          expect(own.score).toBe(v.score);
          for (const k of v.contributions)
            expect(c.enabled[k.strategy] && k.strategy !== 'market_making').toBe(true);
        },
      ),
    );
  });

  it('a decision’s contributions are the vote’s, whichever config was asked before', () => {
    // Configs alternate, so the remembered voters of the previous config are never reused wrongly.
    const configs = [
      DEFAULT_ENSEMBLE_CONFIG,
      withStrategyEnabled(DEFAULT_ENSEMBLE_CONFIG, 'stat_arb', false),
      { ...DEFAULT_ENSEMBLE_CONFIG, weights: { ...DEFAULT_ENSEMBLE_WEIGHTS, mean_reversion: 0 } },
    ];
    const signals = [
      sig('mean_reversion', 'buy', 0.6),
      sig('stat_arb', 'sell', 0.4),
      sig('market_making', 'flat', 0),
      sig('momentum_scalping', 'buy', 0.9, ETH),
      sig('microstructure', 'buy', 1.2),
    ];
    for (const i of [0, 1, 2, 1, 0, 2, 2, 0]) {
      const config = configs[i] as EnsembleConfig;
      const voters = STRATEGY_NAMES.filter((n) => n !== 'market_making' && config.enabled[n]);
      const total = voters.reduce((sum, n) => sum + config.weights[n], 0);
      const expected = signals
        .filter((x) => x.market === BTC && voters.includes(x.strategy))
        .map((x) => ({
          strategy: x.strategy,
          score: x.direction === 'buy' ? Math.min(1, x.strength) : -Math.min(1, x.strength),
          weight: config.weights[x.strategy] / total,
          reason: x.reason,
        }));
      expect(voteContributions(BTC, signals, config)).toEqual(expected);
      expect(weightedVote(BTC, signals, config).contributions).toEqual(expected);
    }
  });
});
