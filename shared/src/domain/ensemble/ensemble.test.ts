import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../market/market-rules';
import { isOnTick } from '../market/tick-rounding';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import type { Decision } from '../trading/decision';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import { decide, decideAll } from './ensemble';
import {
  assertEnsembleConfig,
  DEFAULT_ENSEMBLE_CONFIG,
  DEFAULT_ENSEMBLE_WEIGHTS,
  type EnsembleConfig,
  ensembleConfigFromStrategies,
  withStrategyEnabled,
} from './ensemble-config';
import { weightedVote } from './weighted-vote';

const BTC = 'KRW-BTC' as Market;
const ETH = 'KRW-ETH' as Market;
const NOW = Date.UTC(2026, 10, 25, 14, 1) as EpochMs;
const config = DEFAULT_ENSEMBLE_CONFIG;

function sig(
  strategy: StrategyName,
  direction: StrategySignal['direction'],
  strength: number,
  market: Market = BTC,
  extra: Partial<StrategySignal> = {},
): StrategySignal {
  return {
    strategy,
    market,
    at: NOW,
    direction,
    strength,
    reason: `${strategy} ${direction} ${strength}`,
    ...extra,
  };
}

const directional = (ds: readonly Decision[]) => ds.find((d) => d.id.startsWith('ens-')) as Decision;

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
    expect(decide({ market: BTC, now: NOW, signals: [sig('stat_arb', 'buy', 1)], config: none })).toEqual([
      expect.objectContaining({ intent: { kind: 'hold' }, signals: [] }),
    ]);
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
});

describe('ensemble decisions per market', () => {
  const strongBuy = [
    sig('stat_arb', 'buy', 1),
    sig('microstructure', 'buy', 1),
    sig('momentum_scalping', 'buy', 0.6),
  ];

  it('turns a strong vote into a directional intent with notional |score| × cap, recording every signal', () => {
    const d = directional(decide({ market: BTC, now: NOW, signals: strongBuy, config }));
    const score = (0.2 + 0.2 + 0.15 * 0.6) / 0.7;
    expect(d.id).toBe('ens-BTC-20261125T1401-0');
    expect(d.source).toBe('ensemble');
    expect(d.createdAt).toBe(NOW);
    expect(d.expiresAt).toBe(NOW + config.decisionTtlMs);
    expect(d.intent).toEqual({
      kind: 'directional',
      side: 'bid',
      notional: expect.anything(),
      urgency: 'aggressive',
    });
    if (d.intent.kind !== 'directional') throw new Error('directional expected');
    expect(d.intent.notional.toNumber()).toBe(Math.floor(score * config.perTradeCapKrw));
    expect(d.signals.map((s) => s.strategy)).toEqual(['stat_arb', 'microstructure', 'momentum_scalping']);
    expect(['stat_arb', 'microstructure']).toContain(d.strategy);
  });

  it('is passive between minScore and aggressiveScore, and holds below minScore', () => {
    const mid = directional(
      decide({
        market: BTC,
        now: NOW,
        signals: [sig('stat_arb', 'buy', 1), sig('mean_reversion', 'buy', 0.5)],
        config,
      }),
    );
    expect(mid.intent).toMatchObject({ kind: 'directional', side: 'bid', urgency: 'passive' });
    const weak = directional(
      decide({ market: BTC, now: NOW, signals: [sig('mean_reversion', 'buy', 0.5)], config }),
    );
    expect(weak.intent).toEqual({ kind: 'hold' });
    expect(weak.signals).toHaveLength(1);
    expect(weak.strategy).toBe('mean_reversion');
  });

  it('spot-only: a sell vote with nothing held is a hold; with a holding it is an ask', () => {
    const sells = [sig('stat_arb', 'sell', 1), sig('microstructure', 'sell', 1)];
    expect(
      directional(decide({ market: BTC, now: NOW, signals: sells, config, heldVolume: 0 })).intent,
    ).toEqual({ kind: 'hold' });
    expect(
      directional(decide({ market: BTC, now: NOW, signals: sells, config, heldVolume: 0.1 })).intent,
    ).toMatchObject({
      kind: 'directional',
      side: 'ask',
    });
  });

  it('never asks for an order under Upbit’s 5,000 KRW minimum', () => {
    const tiny = { ...config, perTradeCapKrw: 10_000 };
    expect(
      directional(decide({ market: BTC, now: NOW, signals: [sig('stat_arb', 'buy', 1)], config: tiny }))
        .intent,
    ).toEqual({
      kind: 'hold',
    });
  });

  it('market making becomes a quotes intent with exact tick-rounded levels; disabled, it is dropped', () => {
    const quotes = [
      { side: 'bid' as const, price: 94_912_345, sizeKrw: 100_000, layer: 0 },
      { side: 'ask' as const, price: 95_087_655, sizeKrw: 100_000, layer: 0 },
      { side: 'bid' as const, price: 94_900_000, sizeKrw: 1_000, layer: 4 },
    ];
    const mm = sig('market_making', 'flat', 0, BTC, { quotes });
    const ds = decide({
      market: BTC,
      now: NOW,
      signals: [mm],
      config,
      book: { bestBid: 94_990_000, bestAsk: 95_010_000 },
    });
    expect(ds.map((d) => d.intent.kind)).toEqual(['hold', 'quotes']);
    const q = ds[1] as Decision;
    expect(q.id).toBe('mmq-BTC-20261125T1401-0');
    expect(q.strategy).toBe('market_making');
    if (q.intent.kind !== 'quotes') throw new Error('quotes expected');
    const table = tickTableFor(KRW_MARKET_RULES, NOW);
    expect(q.intent.levels.map((l) => [l.side, l.price.toNumber()])).toEqual([
      ['bid', 94_912_000],
      ['ask', 95_088_000],
    ]);
    for (const l of q.intent.levels) expect(isOnTick(l.price, { table, asset: 'BTC' })).toBe(true);
    // Market making has no direction: it never moves the directional vote.
    expect(directional(ds).signals).toEqual([]);
    const off = withStrategyEnabled(config, 'market_making', false);
    expect(decide({ market: BTC, now: NOW, signals: [mm], config: off }).map((d) => d.intent.kind)).toEqual([
      'hold',
    ]);
  });

  it('decides every market of the minute from one signal list, deterministically', () => {
    const signals = [...strongBuy, sig('stat_arb', 'sell', 1, ETH), sig('microstructure', 'sell', 1, ETH)];
    const facts = new Map([[ETH, { heldVolume: 2 }]]);
    const ds = decideAll([BTC, ETH], NOW, signals, config, facts);
    expect(
      ds.map((d) => [d.market, d.intent.kind, d.intent.kind === 'directional' ? d.intent.side : '-']),
    ).toEqual([
      [BTC, 'directional', 'bid'],
      [ETH, 'directional', 'ask'],
    ]);
    expect(decideAll([BTC, ETH], NOW, signals, config, facts)).toEqual(ds);
  });
});
