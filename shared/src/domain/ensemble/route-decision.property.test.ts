import fc from 'fast-check';
import { baseCurrency } from '../market/market-id';
import { tickTableFor } from '../market/market-rules';
import { Decimal } from '../money/decimal';
import { krw } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import { evaluateDecisionRisk } from '../risk/decision-risk';
import { belowMinimumAtAnyCeiling, kellyNoEdge, kellyNotional } from '../risk/kelly-sizing';
import type { RiskContext } from '../risk/pre-trade-check';
import { DEFAULT_RISK_LIMITS } from '../risk/risk-limits';
import { BTC, baseContext, invariant, T0, viewAt } from '../risk/testing/risk-builders';
import type { EpochMs } from '../time/epoch';
import type { Decision } from '../trading/decision';
import { STRATEGY_NAMES } from '../trading/strategy-name';
import { strategyDecisionId } from './decision-ids';
import type { PipelineAccount, PipelineInput, RoutedDecision } from './decision-pipeline';
import { refusalKey, routeDecision } from './route-decision';
import type { StrategyFate } from './signal-fate';
import { quotesOnGrid } from './synthetic-book';

// Equities: whole won, 8-decimal fractions, around the 5,000 KRW minimum over a fraction, huge.
const equityArb = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000 }).map(String),
  fc.integer({ min: 0, max: 1_000_000_000 }).map(String),
  fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 99_999_999 }))
    .map(([w, f]) => `${w}.${String(f).padStart(8, '0')}`),
  fc.constantFrom('500000', '499999.99999999', '500000.00000001', '1000000', '9007199254740993', '1e20'),
);

const statsArb = fc.record({
  trades: fc.integer({ min: 0, max: 60 }),
  winRate: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 1)),
  payoffRatio: fc.oneof(
    fc.double({ min: 0, max: 5, noNaN: true }),
    fc.constantFrom(0, 1, Number.POSITIVE_INFINITY),
  ),
});

const caseArb = fc.record({
  strategy: fc.constantFrom(...STRATEGY_NAMES.filter((n) => n !== 'market_making'), 'operator' as const),
  side: fc.constantFrom('bid' as const, 'bid' as const, 'ask' as const),
  notional: fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.constant(500_000)),
  urgency: fc.constantFrom('passive' as const, 'aggressive' as const),
  equity: equityArb,
  stats: statsArb,
  // The hard limits the ceiling reads: a total exposure room below, at and above the minimum.
  totalRoom: fc.oneof(
    fc.constant(10_000_000),
    fc.integer({ min: 0, max: 20_000 }),
    fc.integer({ min: 0, max: 2_000_000 }),
  ),
  perTrade: fc.oneof(fc.constant(500_000), fc.integer({ min: 0, max: 1_000_000 })),
  late: fc.integer({ min: 0, max: 9 }), // 0: expired before risk
  bookless: fc.integer({ min: 0, max: 9 }), // 0: the view's book has no asks
  halted: fc.integer({ min: 0, max: 9 }), // 0: trading halted (refused past Kelly, at the order check)
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case) {
  const view = viewAt(BTC, 100_000_000);
  const market =
    c.bookless === 0 && view.book !== undefined ? { ...view, book: { ...view.book, asks: [] } } : view;
  const ctx: RiskContext = baseContext({
    now: T0,
    market,
    limits: {
      ...DEFAULT_RISK_LIMITS,
      maxTotalExposure: krw(String(c.totalRoom)),
      maxTradeNotional: krw(String(c.perTrade)),
    },
    ...(c.halted === 0 ? { state: 'halted' as const } : {}),
  });
  const decision: Decision = {
    id: strategyDecisionId(c.strategy === 'operator' ? 'momentum_scalping' : c.strategy, BTC, T0),
    market: BTC,
    createdAt: T0,
    expiresAt: (c.late === 0 ? T0 : T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: c.strategy,
    intent: { kind: 'directional', side: c.side, notional: krw(String(c.notional)), urgency: c.urgency },
    signals: [],
  };
  const equity = krw(c.equity);
  const account: PipelineAccount = {
    riskContext: () => ctx,
    stats: () => c.stats,
    place: (_d, orders) => orders.map(() => undefined),
  };
  const input = {
    market: BTC,
    now: T0,
    equity,
    rules: ctx.rules,
    quotes: quotesOnGrid(100_000_000, { table: tickTableFor(ctx.rules, T0), asset: baseCurrency(BTC) }),
    ...(c.bookless === 0 ? {} : { twoSidedBook: true }),
  } as unknown as PipelineInput;
  return { ctx, decision, equity, account, input };
}

describe('routeDecision’s Kelly refusals', () => {
  it('refuses exactly where evaluateDecisionRisk refuses, with its key, and routes the rest', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(caseArb, (c) => {
        const { ctx, decision, equity, account, input } = build(c);
        const routed: RoutedDecision[] = [];
        const refusals: string[] = [];
        const outcome = new Map<DecisionId, StrategyFate>();
        routeDecision(decision, input, account, routed, refusals, outcome);
        const reference = evaluateDecisionRisk(decision, ctx, { equity, stats: c.stats });
        const fate = outcome.get(decision.id);
        if (!reference.ok) {
          const key = refusalKey(reference.refusal);
          invariant(JSON.stringify(refusals) === JSON.stringify([key]), `${refusals} vs ${key}`);
          invariant(routed.length === 0, 'a refused decision routes nothing');
          invariant(
            JSON.stringify(fate) ===
              JSON.stringify({ fate: { kind: 'refused', reason: key }, decisionId: decision.id }),
            `fate ${JSON.stringify(fate)}`,
          );
          seen.set(key, (seen.get(key) ?? 0) + 1);
        } else {
          invariant(routed.length === 1, 'an approved decision is routed');
          invariant(
            JSON.stringify(routed[0]?.decision) === JSON.stringify(reference.decision),
            'the approved decision as risk resized it',
          );
          seen.set('ok', (seen.get('ok') ?? 0) + 1);
        }
      }),
      { seed: 20261206, numRuns: 4000 },
    );
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining(['ok', 'risk:no_edge', 'risk:below_minimum', 'risk:expired', 'risk:oversell']),
    );
  });

  it('calls a buy below the minimum at any ceiling only where kellyNotional refuses it at every ceiling', () => {
    const ceilingArb = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map(String),
      fc.constantFrom('0', '4999', '5000', '5000.5', '500000', '1e18'),
    );
    const minTotal = krw('5000');
    let below = 0;
    fc.assert(
      fc.property(equityArb, statsArb, ceilingArb, (e, stats, ceiling) => {
        const equity = krw(e);
        const k = DEFAULT_RISK_LIMITS.kelly;
        if (kellyNoEdge(stats, equity, k) !== undefined) return;
        const any = belowMinimumAtAnyCeiling(stats, equity, k, minTotal);
        const at = kellyNotional(stats, equity, k, krw(ceiling), minTotal);
        const unclamped = kellyNotional(stats, equity, k, krw('1e30'), minTotal);
        // Refused at any ceiling ⇔ refused with no ceiling to speak of; and then at this one.
        invariant(any === (!unclamped.ok && unclamped.reason === 'below_minimum'), `unclamped ${e}`);
        if (any) {
          below++;
          invariant(!at.ok && at.reason === 'below_minimum', `ceiling ${ceiling}, equity ${e}`);
        }
      }),
      { seed: 20261206, numRuns: 4000 },
    );
    expect(below).toBeGreaterThan(0);
    // The exact boundary: 1% of 500,000 KRW is the minimum itself; a unit less is below it.
    const cold = { trades: 0, winRate: 0, payoffRatio: 0 };
    const k = DEFAULT_RISK_LIMITS.kelly;
    expect(belowMinimumAtAnyCeiling(cold, krw('500000'), k, minTotal)).toBe(false);
    expect(belowMinimumAtAnyCeiling(cold, krw('499999.99999999'), k, minTotal)).toBe(true);
    expect(belowMinimumAtAnyCeiling(cold, krw(new Decimal('2').pow(60).toString()), k, minTotal)).toBe(false);
  });
});
