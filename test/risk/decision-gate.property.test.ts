import fc from 'fast-check';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { checkOutgoingOrders, evaluateDecision } from '../../shared/src/application/risk/evaluate-decision';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../../shared/src/domain/market/market-rules';
import { roundToTick } from '../../shared/src/domain/market/tick-rounding';
import { minDecimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume, volumeForBudget } from '../../shared/src/domain/money/quantities';
import type { OrderDraft } from '../../shared/src/domain/orders/order-types';
import {
  commitmentOf,
  exposureBook,
  openPositionMarkets,
  sellableVolume,
} from '../../shared/src/domain/risk/exposure';
import type { ProposedOrder } from '../../shared/src/domain/risk/pre-trade-check';
import {
  assertRiskLimits,
  DEFAULT_RISK_LIMITS,
  type RiskLimits,
} from '../../shared/src/domain/risk/risk-limits';
import { did, fillOf, invariant, viewAt } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { kst, pendingOrder } from './risk-test-kit';

const LIMITS: RiskLimits = assertRiskLimits({
  ...DEFAULT_RISK_LIMITS,
  maxTotalExposure: krw('400000'),
  maxStrategyExposure: krw('300000'),
  maxMarketExposure: krw('300000'),
  maxTradeNotional: krw('200000'),
  maxConcurrentPositions: 2,
});
const RULES = KRW_MARKET_RULES;
const MARKETS: readonly Market[] = ['KRW-AAA', 'KRW-BBB', 'KRW-CCC'].map(parseMarket);
const STRATEGIES: readonly StrategyName[] = ['momentum_scalping', 'mean_reversion'];
const LAST = 5_000_000;
const VIEWS = new Map(MARKETS.map((m) => [m, viewAt(m, LAST, 1000, 1)]));
const START = kst('2026-11-25T10:00:00');
const EQUITY = krw('10000000');
const STATS = { trades: 50, winRate: 0.6, payoffRatio: 1.5 }; // Kelly asks for 5 % = 500,000: always clamped

const actionArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('decision' as const),
      market: fc.nat({ max: 2 }),
      strategy: fc.nat({ max: 1 }),
      buy: fc.boolean(),
      notional: fc.integer({ min: 1_000, max: 400_000 }),
      ticks: fc.option(fc.integer({ min: -200, max: 200 }), { nil: undefined }),
      aggressive: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('forged' as const),
      market: fc.nat({ max: 2 }),
      strategy: fc.nat({ max: 1 }),
      buy: fc.boolean(),
      ticks: fc.integer({ min: -200, max: 200 }),
      units: fc.integer({ min: 1, max: 8_000_000 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('fill' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 90_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('control' as const),
      op: fc.constantFrom('reducing', 'halted', 'release', 'disable', 'enable'),
    }),
  },
);

describe('decisions and the executor gate (property, through the use cases)', () => {
  it('no order accepted by evaluate-decision or the executor gate ever breaks a hard limit', async () => {
    const outcomes = new Map<string, number>();
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 10 }), async (actions) => {
        const store = new MemoryStateStore();
        let now = START as number;
        const clock = { now: () => now as EpochMs };
        const deps = { store, clock };
        // Cooldown stamps under the rule: buys only, at their decision's time (a forged order has no
        // logged decision: its placement or fill time stands in).
        const stamps: { market: Market; decision: string; at: number }[] = [];
        const decided = new Map<string, number>();
        let seq = 0;
        /** Sends an order through the executor gate and, if accepted, checks it independently and stores it. */
        const gate = async (o: ProposedOrder, label: string): Promise<boolean> => {
          const [positions, active, control] = await Promise.all([
            store.listPositions(),
            store.listActiveOrders(),
            store.getControl(),
          ]);
          const [r] = await checkOutgoingOrders(deps, {
            limits: LIMITS,
            rules: RULES,
            market: VIEWS.get(o.draft.market) ?? {},
            orders: [o],
          });
          count(r?.ok ? `${label}_accepted_${o.draft.side}` : `${label}_${r?.refusal.code}`);
          if (!r?.ok) return false;
          const d = o.draft;
          const commitments = active.map((x) => commitmentOf(x, RULES));
          invariant(control.latch?.state !== 'halted', 'nothing passes a halted latch');
          if (d.side === 'ask') {
            const sellable = sellableVolume(positions, commitments, d.market, o.strategy);
            invariant((d.volume ?? ZERO).lte(sellable), 'spot only: never sell more than held and unoffered');
          } else {
            invariant(control.latch === undefined && control.tradingEnabled, 'buys only while running');
            invariant(
              control.strategyEnabled[o.strategy as StrategyName] !== false,
              'no buys for a disabled strategy',
            );
            const total = (d.price ?? ZERO).times(d.volume ?? ZERO);
            invariant(
              total.lte(LIMITS.maxTradeNotional) && total.gte(RULES.minTotal),
              'per-trade limit and minimum',
            );
            const after = [...commitments, commitmentOf(pendingOrder(o, now as EpochMs), RULES)];
            const book = exposureBook(positions, after);
            invariant(book.total.lte(LIMITS.maxTotalExposure), 'total exposure');
            invariant(
              (book.byStrategy.get(o.strategy) ?? ZERO).lte(LIMITS.maxStrategyExposure),
              'strategy exposure',
            );
            invariant((book.byMarket.get(d.market) ?? ZERO).lte(LIMITS.maxMarketExposure), 'market exposure');
            invariant(
              openPositionMarkets(positions, after, LIMITS.dustThreshold).size <=
                LIMITS.maxConcurrentPositions,
              'max concurrent positions',
            );
            const at = o.decidedAt ?? now;
            for (const s of stamps)
              invariant(
                s.market !== d.market ||
                  s.decision === o.decisionId ||
                  Math.abs(at - s.at) >= LIMITS.minMsBetweenTrades,
                'min 60 s between buy decisions per market, in decision time',
              );
          }
          await store.createOrder(pendingOrder(o, now as EpochMs));
          if (d.side === 'bid')
            stamps.push({ market: d.market, decision: o.decisionId, at: decided.get(o.decisionId) ?? now });
          return true;
        };
        for (const a of actions) {
          if (a.kind === 'wait') now += a.ms;
          else if (a.kind === 'control') {
            const at = now as EpochMs;
            if (a.op === 'release') {
              const { latch } = await store.getControl();
              if (latch !== undefined)
                await store.releaseEmergency({ actor: 'alice', reason: 'test', at }, latch);
            } else if (a.op === 'disable')
              await store.setStrategyEnabled('momentum_scalping', false, 'alice', at);
            else if (a.op === 'enable')
              await store.setStrategyEnabled('momentum_scalping', true, 'alice', at);
            else
              await store.latchEmergency({
                state: a.op,
                trigger: 'manual',
                reason: 'test',
                actor: 'alice',
                at,
              });
          } else if (a.kind === 'fill') {
            const active = await store.listActiveOrders();
            const o = active[a.pick % Math.max(1, active.length)];
            if (o === undefined) continue;
            const d = o.draft;
            const fill = fillOf({
              market: d.market,
              strategy: o.strategy,
              side: d.side,
              price: (d.price ?? ZERO).toFixed(),
              volume: (d.volume ?? ZERO).toFixed(),
              at: now as EpochMs,
              decision: o.decisionId,
            });
            await recordFill(store, fill, EQUITY);
            await store.updateOrder(
              { ...o, state: 'filled', executedVolume: d.volume ?? volume(ZERO), updatedAt: now as EpochMs },
              o.version,
            );
            if (d.side === 'bid')
              stamps.push({ market: d.market, decision: o.decisionId, at: decided.get(o.decisionId) ?? now });
          } else {
            seq += 1;
            const market = MARKETS[a.market] as Market;
            const strategy = STRATEGIES[a.strategy] as StrategyName;
            const side = a.buy ? 'bid' : 'ask';
            if (a.kind === 'forged') {
              const draft: OrderDraft = {
                market,
                side,
                ordType: 'limit',
                price: price(String(LAST + a.ticks * 1000)),
                volume: volume((a.units / 1e8).toFixed(8)),
              };
              await gate({ draft, strategy, decisionId: did(`f${seq}`) }, 'forged');
              continue;
            }
            const limitPrice = a.ticks === undefined ? undefined : price(String(LAST + a.ticks * 1000));
            const decision: Decision = {
              id: did(`d${seq}`),
              market,
              createdAt: now as EpochMs,
              expiresAt: (now + 60_000) as EpochMs,
              source: 'ensemble',
              strategy,
              intent: {
                kind: 'directional',
                side,
                notional: krw(String(a.notional)),
                urgency: a.aggressive ? 'aggressive' : 'passive',
                ...(limitPrice === undefined ? {} : { limitPrice }),
              },
              signals: [],
            };
            const market_ = VIEWS.get(market) ?? {};
            await store.recordDecision(decision);
            decided.set(decision.id, decision.createdAt);
            const r = await evaluateDecision(deps, {
              decision,
              limits: LIMITS,
              rules: RULES,
              market: market_,
              equity: EQUITY,
              stats: STATS,
            });
            count(r.ok ? `decision_accepted_${side}` : `decision_${r.refusal.code}`);
            if (!r.ok || r.decision.intent.kind !== 'directional') continue;
            const intent = r.decision.intent;
            invariant(
              intent.notional.lte(decision.intent.kind === 'directional' ? decision.intent.notional : ZERO),
              'risk only shrinks a decision',
            );
            if (side === 'bid')
              invariant(
                intent.notional.lte(LIMITS.maxTradeNotional),
                'buys sized within the per-trade limit',
              );
            invariant(intent.notional.gte(RULES.minTotal), 'never sized below 5,000 KRW');
            const ticks = { table: tickTableFor(RULES, now as EpochMs), asset: market.slice(4) };
            const quote = a.aggressive ? LAST + 1000 : LAST - 1000;
            const p = roundToTick(
              intent.limitPrice ?? price(String(side === 'bid' ? quote : LAST - 1000)),
              side,
              ticks,
            );
            const positions = await store.listPositions();
            const active = await store.listActiveOrders();
            const sellable = sellableVolume(
              positions,
              active.map((x) => commitmentOf(x, RULES)),
              market,
              strategy,
            );
            const vol =
              side === 'bid'
                ? volumeForBudget(intent.notional, p)
                : volume(minDecimal(volumeForBudget(intent.notional, p), sellable));
            const accepted = await gate(
              {
                draft: { market, side, ordType: 'limit', price: p, volume: vol },
                strategy,
                decisionId: decision.id,
                decidedAt: decision.createdAt,
              },
              'executor',
            );
            // What the analysis accepted, the executor accepts on the same state (bids are rebuilt exactly).
            if (side === 'bid')
              invariant(accepted, 'an accepted buy decision passes the executor gate unchanged');
          }
        }
      }),
      { numRuns: 10_000 },
    );
    const expected = [
      'decision_accepted_bid',
      'decision_accepted_ask',
      'executor_accepted_bid',
      'forged_accepted_bid',
      'forged_accepted_ask',
      'forged_total_limit',
      'forged_trade_limit',
      'forged_strategy_limit',
      'forged_position_count',
      'forged_cooldown',
      'forged_oversell',
      'forged_halted',
      'forged_reducing_only',
      'forged_fat_finger_last_trade',
      'decision_oversell',
      'decision_below_minimum',
    ];
    expect(expected.filter((k) => (outcomes.get(k) ?? 0) === 0)).toEqual([]);
  });
});
