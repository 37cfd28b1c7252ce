import fc from 'fast-check';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { checkOutgoingOrders } from '../../shared/src/application/risk/evaluate-decision';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { type DecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import type { LocalOrder } from '../../shared/src/domain/orders/local-order';
import type { OrderDraft } from '../../shared/src/domain/orders/order-types';
import type { RiskCheckResult } from '../../shared/src/domain/risk/pre-trade-check';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { did, fillOf, invariant, viewAt } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { kst } from './risk-test-kit';

/**
 * The cooldown as the executor applies it (checkOutgoingOrders on the stored orders, fills and
 * decision log), against the rule stated in decision time: a buy decision is refused exactly when
 * another buy decision in its market was taken less than 60 s before it, whatever the executor's
 * latency, however long the earlier buy rested before it filled, and whatever quotes did meanwhile.
 */

const LIMITS = DEFAULT_RISK_LIMITS; // 60 s cooldown
const WINDOW = LIMITS.minMsBetweenTrades;
const RULES = KRW_MARKET_RULES;
const MARKETS: readonly Market[] = ['KRW-AAA', 'KRW-BBB'].map(parseMarket);
const LAST = 5_000_000; // tick 1,000
const VIEWS = new Map(MARKETS.map((m) => [m, viewAt(m, LAST, 1000, 1)]));
const START = kst('2026-11-25T10:00:00');
const EQUITY = krw('10000000');
const DIRECTIONAL: readonly StrategyName[] = ['momentum_scalping', 'mean_reversion'];

type Kind = 'buy' | 'sell' | 'quotes';

interface Step {
  readonly gap: number;
  readonly market: number;
  readonly kind: Kind;
  readonly strategy: number;
  /** Executor latency: decision time → the order's check and placement. */
  readonly latency: number;
  /** Placement → fill; undefined = the order ends unfilled (cancelled) after `restMs`. */
  readonly fillAfter: number | undefined;
  readonly restMs: number;
}

function stepArb(gap: fc.Arbitrary<number>, fills: fc.Arbitrary<number | undefined>) {
  return fc.record({
    gap,
    market: fc.nat({ max: MARKETS.length - 1 }),
    kind: fc.constantFrom<Kind>('buy', 'buy', 'sell', 'quotes'),
    strategy: fc.nat({ max: DIRECTIONAL.length - 1 }),
    latency: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(0, 1, 5_000)),
    fillAfter: fills,
    restMs: fc.integer({ min: 0, max: 120_000 }),
  });
}

const ANY_GAP = fc.oneof(
  fc.integer({ min: 0, max: 150_000 }),
  fc.constantFrom(1, 30_000, 59_999, 60_000, 60_001),
);

interface Scheduled {
  readonly order: LocalOrder;
  readonly at: number;
  readonly fill: boolean;
}

/** The orders a decision becomes at the executor (one buy or sell; a bid and an ask for quotes). */
function draftsOf(step: Step, market: Market): { strategy: StrategyName; draft: OrderDraft }[] {
  const limit = (side: 'bid' | 'ask', p: number, postOnly: boolean): OrderDraft => ({
    market,
    side,
    ordType: 'limit',
    price: price(String(p)),
    volume: volume('0.002'),
    ...(postOnly ? { timeInForce: 'post_only' as const } : {}),
  });
  const strategy = DIRECTIONAL[step.strategy] as StrategyName;
  if (step.kind === 'buy') return [{ strategy, draft: limit('bid', LAST - 1000, step.restMs % 2 === 0) }];
  if (step.kind === 'sell') return [{ strategy, draft: limit('ask', LAST - 1000, false) }];
  return [
    { strategy: 'market_making', draft: limit('bid', LAST - 2000, true) },
    { strategy: 'market_making', draft: limit('ask', LAST + 2000, true) },
  ];
}

function stored(
  id: DecisionId,
  leg: number,
  strategy: StrategyName,
  draft: OrderDraft,
  at: number,
): LocalOrder {
  const identifier = orderIdentifier(id, leg);
  return {
    identifier,
    decisionId: id,
    strategy,
    draft: { ...draft, identifier },
    state: 'open',
    uuid: `u-${identifier}`,
    executedVolume: volume(ZERO),
    executedFunds: krw(ZERO),
    paidFee: krw(ZERO),
    createdAt: at as EpochMs,
    updatedAt: at as EpochMs,
    version: 1,
    market: draft.market,
  };
}

/**
 * Runs the steps through the executor's gate and returns, per step, the verdicts of its orders and
 * what the rule in decision time expects (`cooldown` or anything else).
 */
async function run(steps: readonly Step[]) {
  const store = new MemoryStateStore();
  let now = START as number;
  const clock = { now: () => now as EpochMs };
  let decidedAt = START as number;
  let placedAt = START as number;
  let pending: Scheduled[] = [];
  const buys: { market: Market; at: number }[] = [];
  const out: { kind: Kind; gap: number; got: string[]; expected: string }[] = [];

  const settle = async (until: number) => {
    const due = pending.filter((p) => p.at <= until).sort((a, b) => a.at - b.at);
    pending = pending.filter((p) => p.at > until);
    for (const p of due) {
      const o = (await store.getOrder(p.order.identifier)) as LocalOrder;
      if (!p.fill) {
        await store.updateOrder({ ...o, state: 'cancelled', updatedAt: p.at as EpochMs }, o.version);
        continue;
      }
      const d = o.draft;
      const fill = fillOf({
        market: d.market,
        strategy: o.strategy,
        side: d.side,
        price: (d.price ?? ZERO).toFixed(),
        volume: (d.volume ?? ZERO).toFixed(),
        at: p.at as EpochMs,
        decision: o.decisionId,
      });
      await recordFill(
        store,
        { ...fill, identifier: o.identifier, isMaker: d.timeInForce === 'post_only' },
        EQUITY,
      );
      await store.updateOrder(
        { ...o, state: 'filled', executedVolume: d.volume ?? volume(ZERO), updatedAt: p.at as EpochMs },
        o.version,
      );
    }
  };

  for (const [i, step] of steps.entries()) {
    decidedAt += step.gap;
    // One FIFO queue: the executor handles decisions in order, each after its own latency.
    placedAt = Math.max(placedAt, decidedAt + step.latency);
    now = placedAt;
    await settle(now);
    const market = MARKETS[step.market] as Market;
    const drafts = draftsOf(step, market);
    const decision: Decision = {
      id: did(`d${i}`),
      market,
      createdAt: decidedAt as EpochMs,
      expiresAt: (decidedAt + 600_000) as EpochMs,
      source: 'ensemble',
      strategy: drafts[0]?.strategy as StrategyName,
      intent: { kind: 'hold' },
      signals: [],
    };
    await store.recordDecision(decision);
    const expected =
      step.kind === 'buy' && buys.some((b) => b.market === market && decidedAt - b.at < WINDOW)
        ? 'cooldown'
        : 'not_cooldown';
    const got: string[] = [];
    for (const [leg, { strategy, draft }] of drafts.entries()) {
      const [r] = (await checkOutgoingOrders(
        { store, clock },
        {
          limits: LIMITS,
          rules: RULES,
          market: VIEWS.get(market) ?? {},
          orders: [{ draft, strategy, decisionId: decision.id, decidedAt: decision.createdAt }],
        },
      )) as [RiskCheckResult];
      got.push(r.ok ? 'ok' : r.refusal.code);
      if (!r.ok) continue;
      const order = stored(decision.id, leg, strategy, draft, now);
      await store.createOrder(order);
      const fill = step.fillAfter !== undefined && step.kind !== 'sell';
      pending.push({ order, at: now + (fill ? (step.fillAfter as number) : step.restMs), fill });
      if (step.kind === 'buy') buys.push({ market, at: decidedAt });
    }
    out.push({ kind: step.kind, gap: step.gap, got, expected });
  }
  return out;
}

function assertRule(out: Awaited<ReturnType<typeof run>>): void {
  for (const s of out) {
    const cooled = s.got.includes('cooldown');
    invariant(
      cooled === (s.expected === 'cooldown'),
      `${s.kind} ${s.gap} ms after the previous decision: got ${s.got.join(',')}, expected ${s.expected}`,
    );
  }
}

describe('cooldown in decision time (property, through the executor gate and the stored state)', () => {
  it('refuses a buy exactly when another buy in its market was decided less than 60 s before, whatever the latency', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        // Every buy fills, sooner or later (it may still rest when the next decision comes).
        fc.array(stepArb(ANY_GAP, fc.integer({ min: 0, max: 90_000 })), { minLength: 1, maxLength: 8 }),
        async (steps) => {
          const out = await run(steps);
          assertRule(out);
          for (const s of out)
            for (const g of s.got) seen.set(`${s.kind}:${g}`, (seen.get(`${s.kind}:${g}`) ?? 0) + 1);
        },
      ),
      { numRuns: 1_500 },
    );
    // Not vacuous: buys are refused and accepted, quotes rest next to buys, sells go through.
    for (const k of ['buy:ok', 'buy:cooldown', 'quotes:ok', 'sell:ok'])
      expect([k, (seen.get(k) ?? 0) > 0]).toEqual([k, true]);
  });

  it('never refuses a decision 60 s or more after the previous one, filled, resting or cancelled, whatever the latency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          stepArb(
            fc.oneof(fc.constant(60_000), fc.integer({ min: 60_000, max: 200_000 })),
            fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
          ),
          { minLength: 2, maxLength: 8 },
        ),
        async (steps) => {
          for (const s of await run(steps))
            invariant(!s.got.includes('cooldown'), `refused: ${JSON.stringify(s)}`);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('refuses a buy decided less than 60 s after a buy in its market, however late either reaches the executor', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: WINDOW - 1 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.integer({ min: 0, max: 30_000 }),
        fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
        fc.boolean(),
        async (gap, l1, l2, fillAfter, quotesBetween) => {
          const buy = (g: number, latency: number): Step => ({
            gap: g,
            market: 0,
            kind: 'buy',
            strategy: 0,
            latency,
            fillAfter,
            restMs: 90_000,
          });
          const between: Step[] = quotesBetween ? [{ ...buy(0, l1), kind: 'quotes' }] : [];
          const out = await run([buy(0, l1), ...between, buy(gap, l2)]);
          invariant(out[out.length - 1]?.got[0] === 'cooldown', `accepted: ${JSON.stringify(out)}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
