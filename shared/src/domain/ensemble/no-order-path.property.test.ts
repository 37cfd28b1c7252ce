import fc from 'fast-check';
import { baseCurrency } from '../market/market-id';
import { tickTableFor } from '../market/market-rules';
import { krw } from '../money/quantities';
import type { MarketView } from '../risk/fat-finger';
import { BTC, baseContext, invariant, T0, viewAt } from '../risk/testing/risk-builders';
import type { StrategySignal } from '../strategies/strategy';
import type { EpochMs } from '../time/epoch';
import { STRATEGY_NAMES, type StrategyName } from '../trading/strategy-name';
import {
  type PipelineAccount,
  type PipelineInput,
  runDecisionPipeline,
  runFullPipeline,
} from './decision-pipeline';
import { convictionNotional } from './ensemble';
import { DEFAULT_ENSEMBLE_CONFIG, type EnsembleConfig } from './ensemble-config';
import { noOrderResult } from './no-order-path';
import { quotesOnGrid } from './synthetic-book';
import { pipelineText } from './testing/pipeline-text';

const DIRECTIONAL = STRATEGY_NAMES.filter((n) => n !== 'market_making');

const signalArb = fc.record({
  direction: fc.constantFrom('buy' as const, 'sell' as const, 'flat' as const),
  strength: fc.oneof(
    fc.double({ min: -0.2, max: 1.2, noNaN: true }),
    fc.constantFrom(0, 0.25, 1, Number.NaN),
  ),
  other: fc.integer({ min: 0, max: 9 }), // 0: another strategy's signal, 1: another market's
});

const caseArb = fc.record({
  strategy: fc.constantFrom(...DIRECTIONAL, 'market_making' as const),
  signals: fc.array(signalArb, { minLength: 1, maxLength: 3 }),
  weight: fc.oneof(fc.constant(0.15), fc.double({ min: 0, max: 1, noNaN: true })),
  enabled: fc.integer({ min: 0, max: 9 }),
  minScore: fc.oneof(fc.constant(0.25), fc.double({ min: 0, max: 1, noNaN: true })),
  cap: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 0, max: 3_000_000 })),
  held: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
  equity: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 1_000_000_000 })),
  trades: fc.integer({ min: 0, max: 40 }),
  winRate: fc.double({ min: 0, max: 1, noNaN: true }),
  payoff: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
  late: fc.integer({ min: 0, max: 9 }), // 0: the decision expired before risk
  bookless: fc.integer({ min: 0, max: 9 }), // 0: the view's book has no asks
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case): { input: PipelineInput; account: PipelineAccount; placed: () => number } {
  const other: StrategyName = c.strategy === 'mean_reversion' ? 'stat_arb' : 'mean_reversion';
  const signals: StrategySignal[] = c.signals.map((s) => ({
    strategy: s.other === 0 ? other : c.strategy,
    market: s.other === 1 ? ('KRW-ETH' as StrategySignal['market']) : BTC,
    at: T0,
    direction: s.direction,
    strength: s.strength,
    reason: 'test',
  }));
  const config: EnsembleConfig = {
    ...DEFAULT_ENSEMBLE_CONFIG,
    weights: { ...DEFAULT_ENSEMBLE_CONFIG.weights, [c.strategy]: c.weight },
    enabled: { ...DEFAULT_ENSEMBLE_CONFIG.enabled, [c.strategy]: c.enabled !== 0 },
    minScore: c.minScore,
    aggressiveScore: Math.max(c.minScore, 0.7),
    perTradeCapKrw: c.cap,
  };
  const view = viewAt(BTC, 100_000_000);
  const market: MarketView =
    c.bookless === 0 && view.book !== undefined ? { ...view, book: { ...view.book, asks: [] } } : view;
  const ctx = baseContext({ now: (c.late === 0 ? T0 + config.decisionTtlMs : T0) as EpochMs, market });
  let placed = 0;
  const account: PipelineAccount = {
    riskContext: () => ctx,
    stats: () => ({ trades: c.trades, winRate: c.winRate, payoffRatio: c.payoff }),
    place: (_d, orders) => {
      placed += orders.length;
      return orders.map(() => undefined);
    },
  };
  const input: PipelineInput = {
    market: BTC,
    now: T0,
    signals,
    config,
    rules: ctx.rules,
    quotes: quotesOnGrid(100_000_000, { table: tickTableFor(ctx.rules, T0), asset: baseCurrency(BTC) }),
    holdings: () => c.held,
    equity: krw(String(c.equity)),
    ...(c.bookless === 0 ? {} : { twoSidedBook: true }),
  };
  return { input, account, placed: () => placed };
}

describe('the no-order path of the decision pipeline', () => {
  it('gives the full pipeline’s result whenever it answers, and answers for the no-order cases', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(caseArb, (c) => {
        const fast = build(c);
        const quick = noOrderResult(fast.input, fast.account);
        const full = build(c);
        const reference = runFullPipeline(full.input, full.account);
        if (quick === undefined) {
          seen.set('full', (seen.get('full') ?? 0) + 1);
          return;
        }
        invariant(
          pipelineText(quick) === pipelineText(reference),
          `${pipelineText(quick)} !== ${pipelineText(reference)}`,
        );
        invariant(full.placed() === 0, 'a no-order result placed nothing in the full pipeline either');
        const key = [...quick.fates.values()].map((f) => JSON.stringify(f.fate)).join();
        seen.set(key, (seen.get(key) ?? 0) + 1);
        // runDecisionPipeline takes this path.
        invariant(
          pipelineText(runDecisionPipeline(build(c).input, build(c).account)) === pipelineText(quick),
          'pipeline',
        );
        // A caller that reads only the fate gets the same fates, routes and refusals, with no ids.
        const idless = build(c);
        const fateOnly = noOrderResult({ ...idless.input, fateOnly: true }, idless.account);
        if (fateOnly === undefined) throw new Error('fateOnly answers where the id-carrying path answers');
        invariant(
          JSON.stringify([
            fateOnly.routed,
            fateOnly.refusals,
            [...fateOnly.fates].map(([s, f]) => [s, f.fate]),
          ]) ===
            JSON.stringify([quick.routed, quick.refusals, [...quick.fates].map(([s, f]) => [s, f.fate])]),
          'fateOnly fates',
        );
        invariant(
          [...fateOnly.fates.values()].every((f) => f.decisionId === undefined || f.fate.kind !== 'refused'),
          'fateOnly refusals carry no id',
        );
      }),
      { numRuns: 3000 },
    );
    // Every no-order case was reached, and the full pipeline still ran for the others.
    expect([...seen.keys()].sort()).toEqual(
      expect.arrayContaining([
        '{"kind":"held","reason":"nothing_to_sell"}',
        '{"kind":"refused","reason":"risk:below_minimum"}',
        '{"kind":"refused","reason":"risk:no_edge"}',
        'full',
      ]),
    );
  });

  it('decides the minimum order from remembered conviction bounds as the decimal product does', () => {
    // Convictions around floor(c × cap) = 5,000 KRW, in any order and with other caps in between:
    // the bounds kept between calls must never decide a conviction the product decides otherwise.
    const near = (x: number) => [x, x * (1 - 1e-15), x * (1 + 1e-15), x - 1e-9, x + 1e-9, x - 1e-6, x + 1e-6];
    const convictions = [...near(0.005), ...near(0.0025), ...near(0.05), 0, 0.25, 1];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.constantFrom(...convictions),
            cap: fc.constantFrom(1_000_000, 2_000_000, 100_000, 1_000_001),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          for (const { c, cap } of steps) {
            const { input, account } = build({
              strategy: 'momentum_scalping',
              signals: [{ direction: 'buy', strength: c, other: 5 }],
              weight: 0.15,
              enabled: 1,
              minScore: 0,
              cap,
              held: 0,
              equity: 1_000_000_000,
              trades: 40,
              winRate: 0,
              payoff: 1,
              late: 1,
              bookless: 1,
            });
            const reaches = convictionNotional(c, input.config, input.rules) !== undefined;
            // Reaching the minimum, the buy goes on to Kelly, which refuses it (no edge); otherwise
            // the full pipeline holds it.
            invariant(
              (noOrderResult(input, account) !== undefined) === (c > 0 && reaches),
              `conviction ${c}, cap ${cap}`,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
