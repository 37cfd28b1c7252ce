import type { MarketRules } from '../market/market-rules';
import { ZERO } from '../money/decimal';
import { decimalGt, sumExceeds } from '../money/decimal-compare';
import { krw, volume } from '../money/quantities';
import type { DecisionId } from '../orders/identifiers';
import type { OrderRejection } from '../orders/order-rejection';
import type { OrderDraft } from '../orders/order-types';
import { orderLock, orderTotal, validateOrder } from '../orders/validate-order';
import type { EpochMs } from '../time/epoch';
import type { TradingState } from '../trading/emergency';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import { Derived } from './check-derived';
import { addsCooldownRisk, cooldownConflict, type TradeStamp } from './cooldown';
import { stateAllows } from './emergency-state';
import type { Commitment, ExposureBook } from './exposure';
import type { MarketView } from './fat-finger';
import type { LossStatus } from './loss-status';
import type { RiskLimits } from './risk-limits';

/** Why the risk engine refused an order (typed so callers and dashboards can branch and count). */
export const RiskRefusalCode = {
  halted: 'halted',
  reducingOnly: 'reducing_only',
  lossLimit: 'loss_limit',
  exchangeRule: 'exchange_rule',
  tradeLimit: 'trade_limit',
  totalLimit: 'total_limit',
  strategyLimit: 'strategy_limit',
  marketLimit: 'market_limit',
  positionCount: 'position_count',
  cooldown: 'cooldown',
  oversell: 'oversell',
  missingMarketData: 'missing_market_data',
  fatFingerLastTrade: 'fat_finger_last_trade',
  fatFingerBand: 'fat_finger_band',
  fatFingerDepth: 'fat_finger_depth',
  belowMinimum: 'below_minimum',
  noEdge: 'no_edge',
  expired: 'expired',
} as const;
/** One of {@link RiskRefusalCode}. */
export type RiskRefusalCode = (typeof RiskRefusalCode)[keyof typeof RiskRefusalCode];

/** A refusal with an English message naming the numbers, plus Upbit's rejection when that rule failed. */
export interface RiskRefusal {
  readonly code: RiskRefusalCode;
  readonly message: string;
  readonly exchangeRejection?: OrderRejection;
}

/** Result of a risk check. */
export type RiskCheckResult =
  | { readonly ok: true; readonly riskReducing: boolean }
  | { readonly ok: false; readonly refusal: RiskRefusal };

/** An order about to be queued or sent, with whom it is for and the decision it comes from. */
export interface ProposedOrder {
  readonly draft: OrderDraft;
  readonly strategy: StrategyName | 'operator';
  readonly decisionId: DecisionId;
  /**
   * When its decision was taken (`Decision.createdAt`): the cooldown is measured in decision time,
   * so the executor's latency never changes the verdict. Absent = the check's `now` (a decision
   * taken at the check, like the backtest's exits).
   */
  readonly decidedAt?: EpochMs;
}

/** Everything the check needs, read by the caller from the state store and the feed. */
export interface RiskContext {
  readonly now: EpochMs;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly state: TradingState;
  /** Latest loss evaluation; a breach blocks risk-adding orders even before the latch is written. */
  readonly lossStatus?: LossStatus;
  readonly positions: readonly Position[];
  /** Open orders' commitments (see exposure.commitmentOf). */
  readonly commitments: readonly Commitment[];
  /** Risk-adding decisions per market at their decision time (see cooldown.ts). */
  readonly recentTrades: readonly TradeStamp[];
  readonly market: MarketView;
  /**
   * `exposureBook(positions, commitments)` when the caller already has it (the backtest keeps one
   * per book change); computed from the two lists when absent. Must match them exactly.
   */
  readonly exposure?: ExposureBook;
}

// The two passing verdicts, shared (results are read, never changed).
const PASSED_REDUCING: RiskCheckResult = Object.freeze({ ok: true, riskReducing: true });
const PASSED_ADDING: RiskCheckResult = Object.freeze({ ok: true, riskReducing: false });

function refuse(code: RiskRefusalCode, message: string, exchangeRejection?: OrderRejection): RiskCheckResult {
  return {
    ok: false,
    refusal: exchangeRejection === undefined ? { code, message } : { code, message, exchangeRejection },
  };
}

/**
 * The hard-limit gate every order passes twice: when a decision is sized (analysis) and right before
 * it is sent (executor, defence in depth). Order of checks: trading state, Upbit's own rules, loss
 * state, then spot holdings for sells, or the capital limits, position count and cooldown for buys,
 * then the fat-finger guards. Sells of held volume are the only risk-reducing orders (spot only): they
 * pass `reducing` and are never delayed by the cooldown or capped by the capital limits. The
 * cooldown spaces risk-adding decisions in decision time and exempts market-making quotes
 * (cooldown.ts).
 */
export function checkOrder(order: ProposedOrder, ctx: RiskContext): RiskCheckResult {
  return checkOrderWith(order, ctx, new Derived(ctx), ctx.commitments);
}

/**
 * `commitments` stands for `ctx.commitments` (checkOrders passes the list grown by the earlier legs;
 * `derived` then already holds the grown book).
 */
function checkOrderWith(
  order: ProposedOrder,
  ctx: RiskContext,
  derived: Derived,
  commitments: readonly Commitment[],
): RiskCheckResult {
  const d = order.draft;
  const l = ctx.limits;
  const riskReducing = d.side === 'ask';
  if (ctx.state === 'halted')
    return refuse('halted', 'trading is halted by the emergency latch; no order may be sent');
  if (!stateAllows(ctx.state, riskReducing))
    return refuse('reducing_only', 'the emergency latch allows only sells of held positions');
  const quotes = derived.quotes();
  const exchange = validateOrder(
    d,
    ctx.rules,
    ctx.now,
    quotes === undefined ? {} : { referencePrice: quotes.bid },
  );
  if (!exchange.ok) return refuse('exchange_rule', exchange.rejection.message, exchange.rejection);
  if (!riskReducing && ctx.lossStatus !== undefined && ctx.lossStatus.breaches.length > 0) {
    const b = ctx.lossStatus.breaches[0];
    return refuse(
      'loss_limit',
      `loss limit ${b?.trigger} breached (${b?.loss.times(100).toFixed(2)} %); only sells allowed`,
    );
  }
  if (riskReducing) {
    const size = d.volume;
    if (size === undefined) return refuse('exchange_rule', 'a sell must name its volume');
    const sellable = derived.sellable(commitments, d.market, order.strategy);
    if (decimalGt(size, sellable))
      return refuse(
        'oversell',
        `sell of ${size} ${d.market} exceeds the ${sellable} ${order.strategy} holds and has not offered yet`,
      );
  } else {
    const total = orderTotal(d);
    if (total === undefined)
      return refuse('exchange_rule', 'a buy must name its total (price × volume or amount)');
    if (decimalGt(total, l.maxTradeNotional))
      return refuse(
        'trade_limit',
        `order total ${total} KRW exceeds the per-trade limit ${l.maxTradeNotional} KRW`,
      );
    const lock = orderLock(d, ctx.rules);
    const book = derived.book();
    // Each limit is decided without building the sum unless it is close (sumExceeds).
    if (sumExceeds(book.total, lock, l.maxTotalExposure))
      return refuse(
        'total_limit',
        `total exposure would be ${book.total.plus(lock)} KRW, limit ${l.maxTotalExposure} KRW`,
      );
    const strategyNow = book.byStrategy.get(order.strategy) ?? ZERO;
    if (sumExceeds(strategyNow, lock, l.maxStrategyExposure))
      return refuse(
        'strategy_limit',
        `${order.strategy} exposure would be ${strategyNow.plus(lock)} KRW, limit ${l.maxStrategyExposure} KRW`,
      );
    const marketNow = book.byMarket.get(d.market) ?? ZERO;
    if (sumExceeds(marketNow, lock, l.maxMarketExposure))
      return refuse(
        'market_limit',
        `${d.market} exposure would be ${marketNow.plus(lock)} KRW, limit ${l.maxMarketExposure} KRW`,
      );
    const held = derived.heldMarkets();
    if (!held.has(d.market) && held.size >= l.maxConcurrentPositions)
      return refuse(
        'position_count',
        `already ${held.size} positions open, limit ${l.maxConcurrentPositions}`,
      );
    const decidedAt = order.decidedAt ?? ctx.now;
    const conflict = addsCooldownRisk(order)
      ? cooldownConflict(d.market, order.decisionId, decidedAt, ctx.recentTrades, l)
      : undefined;
    if (conflict !== undefined)
      return refuse(
        'cooldown',
        `decision ${conflict.decisionId} added risk in ${d.market} ${Math.abs(decidedAt - conflict.at)} ms ` +
          `from this decision (decision time); minimum ${l.minMsBetweenTrades} ms between buy decisions`,
      );
  }
  const fat = derived.fatFinger()(d);
  if (fat !== undefined) return refuse(fat.code, fat.message);
  return riskReducing ? PASSED_REDUCING : PASSED_ADDING;
}

// Shared zeros (decimals are immutable).
const ZERO_KRW = krw(ZERO);
const ZERO_VOLUME = volume(ZERO);

/** Commitment an accepted order adds (the same amounts commitmentOf computes once it is stored). */
export function commitmentOfDraft(order: ProposedOrder, rules: MarketRules): Commitment {
  const d = order.draft;
  const ask = d.side === 'ask';
  return {
    market: d.market,
    strategy: order.strategy,
    decisionId: order.decisionId,
    side: d.side,
    lockedKrw: ask ? ZERO_KRW : orderTotal(d) === undefined ? ZERO_KRW : orderLock(d, rules),
    remainingVolume: ask ? (d.volume ?? ZERO_VOLUME) : ZERO_VOLUME,
  };
}

/**
 * Checks several orders as if each accepted one were already resting, so the legs of one decision
 * (quote layers) cannot together exceed a limit that each alone respects.
 */
export function checkOrders(orders: readonly ProposedOrder[], ctx: RiskContext): RiskCheckResult[] {
  // One private copy, grown leg by leg, instead of a fresh array per accepted leg.
  let commitments: Commitment[] | undefined;
  const derived = new Derived(ctx);
  const results: RiskCheckResult[] = [];
  // Later legs see the grown list (derived keeps the grown book).
  for (const o of orders) {
    const r = checkOrderWith(o, ctx, derived, commitments ?? ctx.commitments);
    results.push(r);
    if (r.ok) {
      const c = commitmentOfDraft(o, ctx.rules);
      commitments ??= [...ctx.commitments];
      commitments.push(c);
      derived.add(c);
    }
  }
  return results;
}
