import fc from 'fast-check';
import { type Market, parseMarket } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { ZERO } from '../money/decimal';
import { krw, price, volume } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { TradingState } from '../trading/emergency';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import type { TradeStamp } from './cooldown';
import { type Commitment, exposureBook, openPositionMarkets, sellableVolume } from './exposure';
import { applyFillToPosition, emptyPosition } from './position-accounting';
import { checkOrder, commitmentOfDraft, type ProposedOrder, type RiskContext } from './pre-trade-check';
import { assertRiskLimits, DEFAULT_RISK_LIMITS, type RiskLimits } from './risk-limits';
import { did, fillOf, invariant, T0, viewAt } from './testing/risk-builders';

// Tight limits so short sequences actually reach them.
const LIMITS: RiskLimits = assertRiskLimits({
  ...DEFAULT_RISK_LIMITS,
  maxTotalExposure: krw('400000'),
  maxStrategyExposure: krw('300000'),
  maxMarketExposure: krw('300000'),
  maxTradeNotional: krw('200000'),
  maxConcurrentPositions: 2,
});
const MARKETS: readonly Market[] = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC', 'KRW-DDD'].map(parseMarket);
const STRATEGIES: readonly StrategyName[] = ['market_making', 'stat_arb'];
const LAST = 5_000_000; // tick 1,000 in the current table
const VIEWS = new Map(MARKETS.map((m, i) => [m, viewAt(m, LAST, 1000, [0.02, 1, 1, 1][i] as number)]));

interface Resting {
  readonly order: ProposedOrder;
  readonly commitment: Commitment;
}

const actionArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      market: fc.integer({ min: 0, max: MARKETS.length - 1 }),
      strategy: fc.integer({ min: 0, max: STRATEGIES.length - 1 }),
      buy: fc.boolean(),
      ticks: fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -200, max: 200 })),
      held: fc.nat(),
      units: fc.integer({ min: 1, max: 6_000_000 }), // volume in 1e-8 units: up to 0.06 × 5,000,000 = 300,000 KRW
      newDecision: fc.boolean(),
      postOnly: fc.boolean(), // a post-only bid of market_making is a quote: no cooldown
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('fill' as const), pick: fc.nat(), maker: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.constantFrom(59_999, 60_000)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('state' as const),
      state: fc.constantFrom<TradingState>('running', 'reducing', 'halted'),
    }),
  },
);

function assertAcceptedWithinLimits(o: ProposedOrder, ctx: RiskContext): void {
  const d = o.draft;
  invariant(ctx.state !== 'halted', 'nothing is accepted while halted');
  if (d.side === 'ask') {
    const sellable = sellableVolume(ctx.positions, ctx.commitments, d.market, o.strategy);
    invariant((d.volume ?? ZERO).lte(sellable), 'a sell never exceeds the unreserved holding');
    return;
  }
  invariant(ctx.state === 'running', 'buys only while running');
  const total = (d.price ?? ZERO).times(d.volume ?? ZERO);
  invariant(total.lte(LIMITS.maxTradeNotional), 'per-trade limit');
  invariant(total.gte(KRW_MARKET_RULES.minTotal), 'Upbit minimum');
  const after = [...ctx.commitments, commitmentOfDraft(o, KRW_MARKET_RULES)];
  const book = exposureBook(ctx.positions, after);
  invariant(book.total.lte(LIMITS.maxTotalExposure), 'total exposure limit');
  invariant((book.byStrategy.get(o.strategy) ?? ZERO).lte(LIMITS.maxStrategyExposure), 'strategy limit');
  invariant((book.byMarket.get(d.market) ?? ZERO).lte(LIMITS.maxMarketExposure), 'market limit');
  invariant(
    openPositionMarkets(ctx.positions, after, LIMITS.dustThreshold).size <= LIMITS.maxConcurrentPositions,
    'position count',
  );
  const quote = o.strategy === 'market_making' && d.timeInForce === 'post_only';
  for (const s of ctx.recentTrades)
    invariant(
      quote ||
        s.market !== d.market ||
        s.decisionId === o.decisionId ||
        Math.abs((o.decidedAt ?? ctx.now) - s.at) >= LIMITS.minMsBetweenTrades,
      'cooldown between buy decisions, in decision time',
    );
  const dev = (d.price ?? ZERO).minus(LAST).abs().div(LAST);
  invariant(dev.lte(LIMITS.fatFinger.maxDeviationFromLastTrade), 'fat finger vs last trade');
}

describe('pre-trade check (property)', () => {
  it('never accepts an order that breaks a hard limit, through random orders, fills and state changes', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 14 }), (actions) => {
        let now = T0 as number;
        let state: TradingState = 'running';
        let positions: Position[] = [];
        let resting: Resting[] = [];
        const stamps: TradeStamp[] = [];
        let decisionSeq = 0;
        let decidedAt = now;
        for (const a of actions) {
          if (a.kind === 'wait') now += a.ms;
          else if (a.kind === 'state') state = a.state;
          else if (a.kind === 'fill') {
            if (resting.length === 0) continue;
            const idx = a.pick % resting.length;
            const r = resting[idx] as Resting;
            resting = resting.filter((_, i) => i !== idx);
            const d = r.order.draft;
            const fee = (d.price ?? ZERO)
              .times(d.volume ?? ZERO)
              .times(a.maker ? KRW_MARKET_RULES.makerFee : KRW_MARKET_RULES.takerFee);
            const fill = fillOf({
              market: d.market,
              strategy: r.order.strategy,
              side: d.side,
              price: (d.price ?? ZERO).toFixed(),
              volume: (d.volume ?? ZERO).toFixed(),
              fee: fee.toFixed(),
              at: now as EpochMs,
              decision: r.order.decisionId,
            });
            const i = positions.findIndex((p) => p.market === d.market && p.strategy === r.order.strategy);
            const base =
              i >= 0 ? (positions[i] as Position) : emptyPosition(d.market, r.order.strategy, now as EpochMs);
            const next = applyFillToPosition(base, fill).position;
            positions = i >= 0 ? positions.map((p, j) => (j === i ? next : p)) : [...positions, next];
          } else {
            if (a.newDecision || decisionSeq === 0) {
              decisionSeq += 1;
              decidedAt = now; // later orders of the decision (re-prices, legs) keep its time
            }
            const holding =
              !a.buy && positions.length > 0 && a.held % 4 !== 0
                ? positions[a.held % positions.length]
                : undefined;
            const market = holding?.market ?? (MARKETS[a.market] as Market);
            const strategy = holding?.strategy ?? (STRATEGIES[a.strategy] as StrategyName);
            const draft: OrderDraft = {
              market,
              side: a.buy ? 'bid' : 'ask',
              ordType: 'limit',
              price: price(String(LAST + a.ticks * 1000)),
              volume: volume((a.units / 1e8).toFixed(8)),
              ...(a.postOnly ? { timeInForce: 'post_only' as const } : {}),
            };
            const o: ProposedOrder = {
              draft,
              strategy,
              decisionId: did(`p${decisionSeq}`),
              decidedAt: decidedAt as EpochMs,
            };
            const ctx: RiskContext = {
              now: now as EpochMs,
              limits: LIMITS,
              rules: KRW_MARKET_RULES,
              state,
              positions,
              commitments: resting.map((r) => r.commitment),
              recentTrades: stamps,
              market: VIEWS.get(market) ?? {},
            };
            const result = checkOrder(o, ctx);
            const quote = strategy === 'market_making' && a.postOnly;
            const outcome = result.ok ? `accepted_${quote ? 'quote' : draft.side}` : result.refusal.code;
            seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
            if (!result.ok) continue;
            assertAcceptedWithinLimits(o, ctx);
            if (quote && stamps.some((s) => s.market === market && now - s.at < LIMITS.minMsBetweenTrades))
              seen.set('quote_during_cooldown', (seen.get('quote_during_cooldown') ?? 0) + 1);
            resting = [...resting, { order: o, commitment: commitmentOfDraft(o, KRW_MARKET_RULES) }];
            // Only buys that are not quotes stamp, at their decision's time.
            if (a.buy && !quote) stamps.push({ market, decisionId: o.decisionId, at: decidedAt as EpochMs });
          }
          // Fills at the order price never raise exposure above what the accepted order locked.
          const book = exposureBook(
            positions,
            resting.map((r) => r.commitment),
          );
          invariant(
            book.total.lte(LIMITS.maxTotalExposure),
            'total exposure stays within the limit after fills',
          );
          for (const p of positions) invariant(!p.volume.isNegative(), 'spot only: never short');
        }
      }),
      { numRuns: 10_000 },
    );
    // Not vacuous: both sides get accepted and every hard limit is actually hit along the way.
    const expected = [
      'accepted_bid',
      'accepted_ask',
      'accepted_quote',
      'quote_during_cooldown',
      'halted',
      'reducing_only',
      'trade_limit',
      'total_limit',
      'strategy_limit',
      'market_limit',
      'position_count',
      'cooldown',
      'oversell',
      'fat_finger_last_trade',
      'fat_finger_depth',
    ];
    expect(expected.filter((o) => (seen.get(o) ?? 0) === 0)).toEqual([]);
  });
});
