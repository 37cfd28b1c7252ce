import fc from 'fast-check';
import { STRATEGY_NAMES, StrategyName } from '../trading/strategy-name';
import { resolveMarket } from './ensemble';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from './ensemble-config';
import { resolvedViews } from './ensemble-views';
import { BTC, NOW, sig } from './testing/ensemble-signals';

// Several buyers winning: the strongest push leads (the first of equal pushes), the others join its
// order. Pinned as JSON (key order included) and in the fates map's order: the leader's fate first
// (set by its decision), then each joiner in strategy order, each `{kind, reason[, decisionId]}`,
// the decision id only when the leader was decided.

const DIRECTIONAL = STRATEGY_NAMES.filter((s) => s !== StrategyName.marketMaking);

function joinedCase(config: EnsembleConfig, strengths: readonly number[]): void {
  const names = DIRECTIONAL.slice(0, strengths.length);
  const signals = names.map((s, i) => sig(s, 'buy', strengths[i] as number));
  const r = resolveMarket({ market: BTC, now: NOW, signals, config });
  const pushes = names.map((s, i) => config.weights[s] * (strengths[i] as number));
  const leader = names[pushes.indexOf(Math.max(...pushes))] as StrategyName;
  expect([...r.fates.keys()]).toEqual([leader, ...names.filter((s) => s !== leader)]);
  const led = r.fates.get(leader);
  const joined = JSON.stringify(
    led?.kind === 'decided'
      ? { kind: 'held', reason: 'joined_order', decisionId: led.decisionId }
      : { kind: 'held', reason: 'joined_order' },
  );
  for (const s of names) if (s !== leader) expect(JSON.stringify(r.fates.get(s))).toBe(joined);
  expect(r.decisions.length).toBe(led?.kind === 'decided' ? 1 : 0);
}

describe('ensemble: buyers joining the leader’s order', () => {
  it('joined fates carry the decided leader’s id, in the map after the leader', () => {
    joinedCase(DEFAULT_ENSEMBLE_CONFIG, [1, 0.5, 0.8]);
  });

  it('joined fates carry no id when the leader is held (below the minimum order)', () => {
    const config = { ...DEFAULT_ENSEMBLE_CONFIG, perTradeCapKrw: 1_000 };
    joinedCase(config, [0.9, 0.7]);
  });

  it('holds for any two to four buyers and any strengths and cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), {
          minLength: 2,
          maxLength: DIRECTIONAL.length,
        }),
        fc.constantFrom(1_000, 1_000_000),
        (strengths, cap) => joinedCase({ ...DEFAULT_ENSEMBLE_CONFIG, perTradeCapKrw: cap }, strengths),
      ),
      { numRuns: 300 },
    );
  });

  it('market making’s signals alone resolve to no view: no decision, no fate', () => {
    const r = resolvedViews({
      market: BTC,
      now: NOW,
      signals: [sig(StrategyName.marketMaking, 'flat', 0)],
      config: DEFAULT_ENSEMBLE_CONFIG,
    });
    expect(r.decisions).toEqual([]);
    expect(r.fates.size).toBe(0);
  });
});
