import type { Market } from '../market/market-id';
import { baseCurrency } from '../market/market-id';
import { type MarketRules, tickTableFor } from '../market/market-rules';
import { roundToTick } from '../market/tick-rounding';
import { Decimal, maxDecimal, minDecimal, Rounding, ZERO } from '../money/decimal';
import { compareDecimals, decimalLt } from '../money/decimal-compare';
import { type Krw, krw, volume, volumeForBudget } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { Decision, QuoteLevel } from '../trading/decision';
import type { StrategyName } from '../trading/strategy-name';
import { type ExposureBook, exposureBook, sellableVolume } from './exposure';
import { bestQuotes } from './fat-finger';
import { type KellySize, kellyNoEdge, kellyNotional, type TradeOutcomeStats } from './kelly-sizing';
import {
  checkOrder,
  checkOrders,
  type ProposedOrder,
  type RiskContext,
  type RiskRefusal,
} from './pre-trade-check';
import type { RiskLimits } from './risk-limits';

/** Inputs beyond the risk context that sizing needs. */
export interface SizingInputs {
  /** Equity Kelly fractions apply to (cash + holdings at liquidation value). */
  readonly equity: Krw;
  /** The deciding strategy's recent closed-trade record. */
  readonly stats: TradeOutcomeStats;
}

/** A decision the risk engine let through, possibly resized or with quote levels removed. */
export type DecisionRiskResult =
  | {
      readonly ok: true;
      readonly decision: Decision;
      readonly kelly?: KellySize;
      readonly ceiling?: Krw;
      readonly dropped: readonly { readonly level: QuoteLevel; readonly refusal: RiskRefusal }[];
    }
  | { readonly ok: false; readonly refusal: RiskRefusal };

function refused(code: RiskRefusal['code'], message: string): DecisionRiskResult {
  return { ok: false, refusal: { code, message } };
}

/**
 * Largest buy total (fee excluded) that keeps the per-trade, total, strategy and market limits,
 * floored to whole won. Exposure counts the fee-inclusive lock, hence the division by 1 + fee.
 */
export function buyCeiling(ctx: RiskContext, market: Market, strategy: StrategyName | 'operator'): Krw {
  const book = ctx.exposure ?? exposureBook(ctx.positions, ctx.commitments);
  // The last answer first: a single strategy asks for the same book, market, limits and rules from
  // one refused buy to the next (thousands a year), and five comparisons cost less than a WeakMap
  // and two Map lookups.
  const last = lastCeiling;
  if (
    last !== undefined &&
    last.book === book &&
    last.market === market &&
    last.strategy === strategy &&
    last.limits === ctx.limits &&
    last.rules === ctx.rules
  )
    return last.value;
  const value = knownCeiling(ctx, book, market, strategy);
  lastCeiling = { book, market, strategy, limits: ctx.limits, rules: ctx.rules, value };
  return value;
}

/** The last {@link buyCeiling} answer and what it was asked with (all immutable). */
let lastCeiling:
  | (KnownCeiling & {
      readonly book: ExposureBook;
      readonly market: Market;
      readonly strategy: StrategyName | 'operator';
    })
  | undefined;

function knownCeiling(
  ctx: RiskContext,
  book: ExposureBook,
  market: Market,
  strategy: StrategyName | 'operator',
): Krw {
  // A book is immutable: its ceilings are kept with it (a caller that passes the same book for many
  // decisions, as the backtest does between fills, computes each one once).
  let known = ceilings.get(book);
  if (known === undefined) {
    known = new Map();
    ceilings.set(book, known);
  }
  // Keyed by market, then strategy (interned strings): no `market|strategy` text to build and hash
  // on every decision.
  let byStrategy = known.get(market);
  if (byStrategy === undefined) {
    byStrategy = new Map();
    known.set(market, byStrategy);
  }
  const hit = byStrategy.get(strategy);
  if (hit !== undefined && hit.limits === ctx.limits && hit.rules === ctx.rules) return hit.value;
  const value = ceilingOf(ctx, book, market, strategy);
  byStrategy.set(strategy, { limits: ctx.limits, rules: ctx.rules, value });
  return value;
}

interface KnownCeiling {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly value: Krw;
}

const ceilings = new WeakMap<ExposureBook, Map<Market, Map<StrategyName | 'operator', KnownCeiling>>>();

function ceilingOf(
  ctx: RiskContext,
  book: ExposureBook,
  market: Market,
  strategy: StrategyName | 'operator',
): Krw {
  const l = ctx.limits;
  const room = minDecimal(
    minDecimal(
      l.maxTotalExposure.minus(book.total),
      l.maxStrategyExposure.minus(book.byStrategy.get(strategy) ?? ZERO),
    ),
    l.maxMarketExposure.minus(book.byMarket.get(market) ?? ZERO),
  );
  const feeFactor = ctx.rules.takerFee.plus(1);
  const perTrade = l.maxTradeNotional;
  // Room for the per-trade cap with its fee (446 of 449 ceilings in 7 days × 5 markets of `all`):
  // then max(0, room)/(1 + fee) ≥ the cap, and so is its quotient rounded to the working precision
  // (rounding is monotone and leaves the cap, of fewer digits, as it is), so the min is the cap
  // itself and the decimal division is skipped. Exact only while the cap × (1 + fee) product is
  // exact, i.e. its digits fit the precision; otherwise the division decides.
  if (
    perTrade.precision() + feeFactor.precision() <= Decimal.precision &&
    compareDecimals(room, perTrade.times(feeFactor)) >= 0
  )
    return krw(perTrade.toDecimalPlaces(0, Rounding.floor));
  const byExposure = maxDecimal(ZERO, room).div(feeFactor);
  return krw(minDecimal(perTrade, byExposure).toDecimalPlaces(0, Rounding.floor));
}

/** The order a decision becomes, checked at the decision's own time (the cooldown's clock). */
function proposed(decision: Decision, draft: OrderDraft): ProposedOrder {
  return { draft, strategy: decision.strategy, decisionId: decision.id, decidedAt: decision.createdAt };
}

function tickCtx(ctx: RiskContext, market: Market) {
  return { table: tickTableFor(ctx.rules, ctx.now), asset: baseCurrency(market) };
}

/**
 * Applies risk to a decision before it is queued. Buys are sized by fractional Kelly, clamped to the
 * tightest hard limit, refused below Upbit's minimum, and then the resulting limit order must pass
 * the full pre-trade check. Sells are clamped to what the strategy holds. Quote layers are checked
 * cumulatively and the ones that would break a limit are dropped. Flatten passes unless halted.
 * Risk only ever shrinks a decision: the result never trades more than the strategy asked for.
 */
export function evaluateDecisionRisk(
  decision: Decision,
  ctx: RiskContext,
  sizing: SizingInputs,
): DecisionRiskResult {
  if (ctx.now >= decision.expiresAt)
    return refused('expired', `decision ${decision.id} expired before risk evaluation`);
  const intent = decision.intent;
  if (intent.kind === 'hold') return { ok: true, decision, dropped: [] };
  if (intent.kind === 'flatten') {
    if (ctx.state === 'halted')
      return refused('halted', 'trading is halted; flattening needs a release or an operator');
    return { ok: true, decision, dropped: [] };
  }
  if (intent.kind === 'quotes') {
    const orders: ProposedOrder[] = intent.levels.map((lv) => ({
      draft: {
        market: decision.market,
        side: lv.side,
        ordType: 'limit',
        price: lv.price,
        volume: lv.volume,
        timeInForce: 'post_only',
      },
      strategy: decision.strategy,
      decisionId: decision.id,
      decidedAt: decision.createdAt,
    }));
    const results = checkOrders(orders, ctx);
    const kept: QuoteLevel[] = [];
    const dropped: { level: QuoteLevel; refusal: RiskRefusal }[] = [];
    for (let i = 0; i < results.length; i++) {
      const r = results[i] as (typeof results)[number];
      const level = intent.levels[i] as QuoteLevel;
      if (r.ok) kept.push(level);
      else dropped.push({ level, refusal: r.refusal });
    }
    if (intent.levels.length > 0 && kept.length === 0)
      return {
        ok: false,
        refusal: dropped[0]?.refusal ?? { code: 'halted', message: 'no quote level accepted' },
      };
    return { ok: true, decision: { ...decision, intent: { kind: 'quotes', levels: kept } }, dropped };
  }
  const quotes = ctx.market.book === undefined ? undefined : bestQuotes(ctx.market.book);
  if (quotes === undefined) return refused('missing_market_data', `no two-sided book for ${decision.market}`);
  const minTotal = ctx.rules.minTotal;
  if (intent.side === 'ask') {
    const ticks = tickCtx(ctx, decision.market);
    const price = roundToTick(intent.limitPrice ?? quotes.bid, 'ask', ticks);
    const sellable = sellableVolume(ctx.positions, ctx.commitments, decision.market, decision.strategy);
    const wanted = volumeForBudget(intent.notional, price);
    const size = volume(minDecimal(wanted, sellable));
    if (size.isZero())
      return refused('oversell', `${decision.strategy} holds nothing to sell in ${decision.market}`);
    const notional = krw(size.times(price).toDecimalPlaces(0, Rounding.floor));
    if (decimalLt(notional, minTotal))
      return refused('below_minimum', `sell of ${notional} KRW is below the ${minTotal} KRW minimum`);
    const draft: OrderDraft = { market: decision.market, side: 'ask', ordType: 'limit', price, volume: size };
    const check = checkOrder(proposed(decision, draft), ctx);
    if (!check.ok) return check;
    return { ok: true, decision: { ...decision, intent: { ...intent, notional } }, dropped: [] };
  }
  // No edge: refused before the ceiling is computed (kellyNotional refuses it the same way).
  const none = kellyNoEdge(sizing.stats, sizing.equity, ctx.limits.kelly);
  const ceiling = none === undefined ? buyCeiling(ctx, decision.market, decision.strategy) : undefined;
  const kelly =
    none ?? kellyNotional(sizing.stats, sizing.equity, ctx.limits.kelly, ceiling as Krw, minTotal);
  if (!kelly.ok)
    return refused(
      kelly.reason === 'no_edge' ? 'no_edge' : 'below_minimum',
      kelly.reason === 'no_edge'
        ? `${decision.strategy} has no edge on its record (Kelly fraction ${kelly.fraction})`
        : `Kelly size ${kelly.notional} KRW (ceiling ${ceiling}) is below the ${minTotal} KRW minimum`,
    );
  const notional = krw(minDecimal(intent.notional.toDecimalPlaces(0, Rounding.floor), kelly.notional));
  if (decimalLt(notional, minTotal))
    return refused('below_minimum', `requested ${intent.notional} KRW is below the ${minTotal} KRW minimum`);
  // The tick grid only after sizing: a buy Kelly refuses (most refused buys) never prices.
  const price = roundToTick(
    intent.limitPrice ?? (intent.urgency === 'aggressive' ? quotes.ask : quotes.bid),
    'bid',
    tickCtx(ctx, decision.market),
  );
  const draft: OrderDraft = {
    market: decision.market,
    side: 'bid',
    ordType: 'limit',
    price,
    volume: volumeForBudget(notional, price),
  };
  const check = checkOrder(proposed(decision, draft), ctx);
  if (!check.ok) return check;
  return {
    ok: true,
    decision: { ...decision, intent: { ...intent, notional } },
    kelly,
    ceiling: ceiling as Krw,
    dropped: [],
  };
}
