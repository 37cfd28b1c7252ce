import fc from 'fast-check';
import { KRW_MARKET_RULES, tickTableFor } from '../market/market-rules';
import { isOnTick } from '../market/tick-rounding';
import { QuoteHints } from '../strategies/quote-hints';
import type { StrategySignal } from '../strategies/strategy';
import type { Decision } from '../trading/decision';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import { decideAll, resolveMarket } from './ensemble';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig, withStrategyEnabled } from './ensemble-config';
import { BTC, ETH, NOW, sig } from './testing/ensemble-signals';

const config = DEFAULT_ENSEMBLE_CONFIG;

describe('ensemble: capital sleeves with conflict netting', () => {
  const held = (volumes: Partial<Record<StrategyName, number>>) => (s: StrategyName) => volumes[s] ?? 0;

  it('a lone signal of a 15 % strategy trades in its own sleeve at its own conviction (no renormalised vote)', () => {
    const r = resolveMarket({ market: BTC, now: NOW, signals: [sig('mean_reversion', 'buy', 0.5)], config });
    expect(r.decisions).toHaveLength(1);
    const d = r.decisions[0] as Decision;
    expect(d.id).toBe('mr-BTC-20261125T1401-0');
    expect(d.id).toBe(strategyDecisionId('mean_reversion', BTC, NOW));
    expect(d.strategy).toBe('mean_reversion');
    expect(d.createdAt).toBe(NOW);
    expect(d.expiresAt).toBe(NOW + config.decisionTtlMs);
    expect(d.intent).toMatchObject({ kind: 'directional', side: 'bid', urgency: 'passive' });
    if (d.intent.kind !== 'directional') throw new Error('directional expected');
    expect(d.intent.notional.toNumber()).toBe(500_000);
    expect(r.fates.get('mean_reversion')).toEqual({ kind: 'decided', decisionId: d.id });
  });

  it('is aggressive at or above aggressiveScore and holds below minScore', () => {
    const strong = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [sig('momentum_scalping', 'buy', 0.9)],
      config,
    });
    expect(strong.decisions[0]?.intent).toMatchObject({ urgency: 'aggressive' });
    const weak = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [sig('momentum_scalping', 'buy', 0.2)],
      config,
    });
    expect(weak.decisions).toEqual([]);
    expect(weak.fates.get('momentum_scalping')).toEqual({ kind: 'held', reason: 'below_min_score' });
  });

  it('opposite signals net out: the heavier side keeps the net share of its conviction, the other is netted', () => {
    // stat_arb buys (push 0.2 × 1), mean reversion sells (push 0.15 × 1): buyers keep (0.2 − 0.15)/0.2 = 25 %.
    const r = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [sig('stat_arb', 'buy', 1), sig('mean_reversion', 'sell', 1)],
      config,
      holdings: held({ mean_reversion: 0.01 }),
    });
    expect(
      r.decisions.map((d) => [d.strategy, d.intent.kind === 'directional' ? d.intent.side : '-']),
    ).toEqual([['stat_arb', 'bid']]);
    const intent = r.decisions[0]?.intent;
    if (intent?.kind !== 'directional') throw new Error('directional expected');
    expect(intent.notional.toNumber()).toBe(250_000);
    expect(r.fates.get('mean_reversion')).toEqual({ kind: 'netted' });
    // A tie nets both sides out completely; a conflict that leaves less than minScore is netted too.
    const tie = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [sig('momentum_scalping', 'buy', 1), sig('mean_reversion', 'sell', 1)],
      config,
      holdings: held({ mean_reversion: 1 }),
    });
    expect(tie.decisions).toEqual([]);
    expect([...tie.fates.values()]).toEqual([{ kind: 'netted' }, { kind: 'netted' }]);
    const thin = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [sig('microstructure', 'buy', 0.9), sig('mean_reversion', 'sell', 1)],
      config,
    });
    // (0.18 − 0.15) / 0.18 × 0.9 = 0.15 < minScore 0.25.
    expect(thin.decisions).toEqual([]);
    expect(thin.fates.get('microstructure')).toEqual({ kind: 'netted' });
  });

  it('agreeing buyers: one buy per market by the strongest push, sized by its own conviction; the others join it', () => {
    const r = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [
        sig('momentum_scalping', 'buy', 1),
        sig('stat_arb', 'buy', 0.5),
        sig('microstructure', 'buy', 0.8),
      ],
      config,
    });
    expect(r.decisions.map((d) => d.strategy)).toEqual(['microstructure']);
    const intent = r.decisions[0]?.intent;
    if (intent?.kind !== 'directional') throw new Error('directional expected');
    expect(intent.notional.toNumber()).toBe(800_000);
    const id = strategyDecisionId('microstructure', BTC, NOW);
    expect(r.fates.get('momentum_scalping')).toEqual({
      kind: 'held',
      reason: 'joined_order',
      decisionId: id,
    });
    expect(r.fates.get('stat_arb')).toEqual({ kind: 'held', reason: 'joined_order', decisionId: id });
    expect(r.decisions[0]?.signals.map((c) => c.strategy)).toEqual([
      'momentum_scalping',
      'stat_arb',
      'microstructure',
    ]);
  });

  it('spot-only: every winning seller sells its own holding; one holding nothing is nothing_to_sell', () => {
    const r = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [
        sig('stat_arb', 'sell', 1),
        sig('microstructure', 'sell', 1),
        sig('mean_reversion', 'sell', 0.5),
      ],
      config,
      holdings: held({ stat_arb: 0.1, mean_reversion: 0.2 }),
    });
    expect(r.decisions.map((d) => [d.id, d.intent.kind === 'directional' ? d.intent.side : '-'])).toEqual([
      ['sa-BTC-20261125T1401-0', 'ask'],
      ['mr-BTC-20261125T1401-0', 'ask'],
    ]);
    expect(r.fates.get('microstructure')).toEqual({ kind: 'held', reason: 'nothing_to_sell' });
  });

  it('never asks for an order under Upbit’s 5,000 KRW minimum; flat and zero-weight views hold', () => {
    const tiny = { ...config, perTradeCapKrw: 10_000 };
    const r = resolveMarket({ market: BTC, now: NOW, signals: [sig('stat_arb', 'buy', 0.3)], config: tiny });
    expect(r.decisions).toEqual([]);
    expect(r.fates.get('stat_arb')).toEqual({ kind: 'held', reason: 'below_minimum' });
    const flat = resolveMarket({ market: BTC, now: NOW, signals: [sig('stat_arb', 'flat', 0)], config });
    expect(flat.fates.get('stat_arb')).toEqual({ kind: 'held', reason: 'flat' });
    const zero = { ...config, weights: { ...config.weights, stat_arb: 0 } };
    const z = resolveMarket({ market: BTC, now: NOW, signals: [sig('stat_arb', 'buy', 1)], config: zero });
    expect(z.fates.get('stat_arb')).toEqual({ kind: 'held', reason: 'zero_weight' });
  });

  it('market making becomes a quotes intent with exact tick-rounded levels; disabled, it is held', () => {
    const quotes = [
      { side: 'bid' as const, price: 94_912_345, sizeKrw: 100_000, layer: 0 },
      { side: 'ask' as const, price: 95_087_655, sizeKrw: 100_000, layer: 0 },
      { side: 'bid' as const, price: 94_900_000, sizeKrw: 1_000, layer: 4 },
    ];
    const mm = sig('market_making', 'flat', 0, BTC, { quotes: QuoteHints.of(quotes) });
    const r = resolveMarket({
      market: BTC,
      now: NOW,
      signals: [mm],
      config,
      book: { bestBid: 94_990_000, bestAsk: 95_010_000 },
    });
    expect(r.decisions.map((d) => d.intent.kind)).toEqual(['quotes']);
    const q = r.decisions[0] as Decision;
    expect(q.id).toBe('mmq-BTC-20261125T1401-0');
    expect(q.strategy).toBe('market_making');
    if (q.intent.kind !== 'quotes') throw new Error('quotes expected');
    const table = tickTableFor(KRW_MARKET_RULES, NOW);
    expect(q.intent.levels.map((l) => [l.side, l.price.toNumber()])).toEqual([
      ['bid', 94_912_000],
      ['ask', 95_088_000],
    ]);
    for (const l of q.intent.levels) expect(isOnTick(l.price, { table, asset: 'BTC' })).toBe(true);
    const off = withStrategyEnabled(config, 'market_making', false);
    const none = resolveMarket({ market: BTC, now: NOW, signals: [mm], config: off });
    expect(none.decisions).toEqual([]);
    expect(none.fates.get('market_making')).toEqual({ kind: 'held', reason: 'strategy_off' });
  });

  it('decides every market of the minute from one signal list, deterministically', () => {
    const signals = [
      sig('stat_arb', 'buy', 1),
      sig('stat_arb', 'sell', 1, ETH),
      sig('microstructure', 'sell', 1, ETH),
    ];
    const facts = new Map([[ETH, { holdings: held({ microstructure: 2 }) }]]);
    const ds = decideAll([BTC, ETH], NOW, signals, config, facts);
    expect(
      ds.map((d) => [d.market, d.strategy, d.intent.kind === 'directional' ? d.intent.side : '-']),
    ).toEqual([
      [BTC, 'stat_arb', 'bid'],
      [ETH, 'microstructure', 'ask'],
    ]);
    expect(decideAll([BTC, ETH], NOW, signals, config, facts)).toEqual(ds);
  });

  it('property: one fate per signalling strategy, at most one buy, never a buy and a sell, sells only by holders, size ≤ cap', () => {
    const name = fc.constantFrom(...STRATEGY_NAMES.filter((n) => n !== 'market_making'));
    const signal = fc.record({
      strategy: name,
      direction: fc.constantFrom('buy', 'sell', 'flat') as fc.Arbitrary<StrategySignal['direction']>,
      strength: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(signal, { maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (raw, on, holds) => {
          const c: EnsembleConfig = {
            ...config,
            enabled: Object.fromEntries(
              STRATEGY_NAMES.map((n, i) => [n, on[i] as boolean]),
            ) as EnsembleConfig['enabled'],
          };
          const holding = (s: StrategyName) => (holds[STRATEGY_NAMES.indexOf(s)] ? 1 : 0);
          const signals = raw.map((r) => sig(r.strategy, r.direction, r.strength));
          const r = resolveMarket({ market: BTC, now: NOW, signals, config: c, holdings: holding });
          expect(new Set(r.fates.keys())).toEqual(new Set(signals.map((s) => s.strategy)));
          const sides = r.decisions.map((d) => (d.intent.kind === 'directional' ? d.intent.side : '-'));
          expect(sides.filter((x) => x === 'bid').length).toBeLessThanOrEqual(1);
          expect(sides.includes('bid') && sides.includes('ask')).toBe(false);
          for (const d of r.decisions) {
            if (d.intent.kind !== 'directional') continue;
            expect(c.enabled[d.strategy as StrategyName]).toBe(true);
            expect(d.intent.notional.toNumber()).toBeLessThanOrEqual(c.perTradeCapKrw);
            if (d.intent.side === 'ask') expect(holding(d.strategy as StrategyName)).toBe(1);
            expect(r.fates.get(d.strategy as StrategyName)).toEqual({ kind: 'decided', decisionId: d.id });
          }
        },
      ),
    );
  });
});
