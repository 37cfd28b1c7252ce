import { draftOfPlanned } from '../../domain/ensemble/order-plan';
import type { Market } from '../../domain/market/market-id';
import { tickTableFor } from '../../domain/market/market-rules';
import { ZERO } from '../../domain/money/decimal';
import { sumExceeds } from '../../domain/money/decimal-compare';
import { unitsOf } from '../../domain/money/decimal-units';
import { krw, type Price, volume } from '../../domain/money/quantities';
import { wasAccepted } from '../../domain/orders/limit-facts';
import { ACCEPTED, reject, type ValidationResult } from '../../domain/orders/order-rejection';
import type { OrderDraft } from '../../domain/orders/order-types';
import { orderLock, validateOrder } from '../../domain/orders/validate-order';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import { BrokerBooks } from './broker-books';
import { type SimOrder, type SimOrderRequest, type SimOrderSpec, sideOf } from './sim-order';
import { exceedsUnoffered, exceedsUnofferedUnits, unofferedVolume } from './unoffered';

const NO_ORDERS: readonly SimOrder[] = Object.freeze([]);

/** The order plan's spec of a quote layer: a post-only limit order at the level. */
function quoteSpec(level: QuoteLevel): SimOrderSpec {
  return { kind: 'limit', side: level.side, price: level.price, volume: level.volume, postOnly: true };
}

/**
 * Placing and cancelling orders on the broker's books, as Upbit accepts them at submission: the
 * exchange validation, then funds (KRW with the fee for bids, lazily locked when it surely fits;
 * the strategy's unoffered holding for asks). Quote layers join without their texts (placeQuote).
 */
export abstract class OrderAdmission extends BrokerBooks {
  /**
   * Accepts or refuses an order now, exactly as Upbit would at submission: shape, tick grid, volume
   * precision, min/max total, then funds (KRW incl. the fee for bids, the strategy's unoffered
   * holding for asks). `referencePrice` values a market sell for the minimum-total check.
   */
  place(
    request: SimOrderRequest,
    at: EpochMs,
    referencePrice: Price,
    /** `draftOfPlanned(request.market, request.spec)` when the caller built it already. */
    draft: OrderDraft = draftOfPlanned(request.market, request.spec),
  ): ValidationResult {
    const valid = validateOrder(draft, this.rules, at, { referencePrice });
    if (!valid.ok) return valid;
    return this.admit(request, request.spec, at, draft, undefined, 0);
  }

  /**
   * {@link place} for leg `leg` of an approved quotes decision: a post-only limit order at the
   * level's price and volume, for the decision's market and strategy, whose identifier
   * (`orderIdentifier(decision.id, leg)`) and reason (the order plan's) are made only when a fill
   * or a rejection reads them. The same verdicts as `place`: a level the exchange validation
   * already accepted in this shape (the ladder path records it) is not validated again, anything
   * else is.
   */
  placeQuote(decision: Decision, leg: number, level: QuoteLevel, at: EpochMs): ValidationResult {
    const market = decision.market;
    let draft: OrderDraft | undefined;
    const rules = this.rules;
    if (
      !wasAccepted(level.price, level.volume, market, level.side, 'post_only', rules, tickTableFor(rules, at))
    ) {
      draft = draftOfPlanned(market, quoteSpec(level));
      // A limit order's validation never reads the reference price (market orders only).
      const valid = validateOrder(draft, rules, at);
      if (!valid.ok) return valid;
    }
    if (this.rests(decision, leg, level, at)) return ACCEPTED;
    return this.admit(decision, quoteSpec(level), at, draft, decision, leg);
  }

  /**
   * Places a validated quote layer in its market's columns when its funds surely suffice (a bid's
   * lock surely under the cash on doubles, as `admit` decides a lazy lock; an ask on the 8-decimal
   * grid within the strategy's unoffered holding, on exact units): `admit`'s verdict, without an
   * order object. False: `admit` decides (and refuses with its message, if it must).
   */
  private rests(decision: Decision, leg: number, level: QuoteLevel, at: EpochMs): boolean {
    const market = decision.market;
    const cols = this.columnsOf(market);
    if (!cols.accepts(decision, at)) return false;
    if (level.side === 'bid') {
      const approx = this.locks.approxLock(level.price, level.volume);
      if (!this.locks.surelyFits(approx, this.cashKrw, this.columnLocks())) return false;
      cols.begin(decision, at);
      cols.push(level, leg, approx, 0);
    } else {
      const units = unitsOf(level.volume, 8);
      if (units === undefined || !(cols.askUnits + units <= Number.MAX_SAFE_INTEGER)) return false;
      const strategy = decision.strategy;
      const held = this.positionOf(market, strategy, at).volume;
      const orders = this.pending.get(market) ?? NO_ORDERS;
      const offered = cols.count > 0 ? cols.askUnits : 0;
      if (exceedsUnofferedUnits(units, held, orders, strategy, offered) !== false) return false;
      cols.begin(decision, at);
      cols.push(level, leg, Number.NaN, units);
    }
    if (!this.pending.has(market)) this.pending.set(market, []);
    this.commitmentList = undefined;
    this.bookVersion += 1;
    return true;
  }

  /** Funds (KRW with the fee for bids, unoffered holding for asks), then the order joins the book. */
  private admit(
    request: Pick<SimOrderRequest, 'market' | 'strategy'> &
      Partial<Pick<SimOrderRequest, 'identifier' | 'reason' | 'decisionId'>>,
    spec: SimOrderSpec,
    at: EpochMs,
    draft: OrderDraft | undefined,
    quoteOf: Decision | undefined,
    leg: number,
  ): ValidationResult {
    // Whatever joins the market comes after its column layers, which become orders first.
    this.listColumns(request.market);
    const side = sideOf(spec);
    let locked = krw(ZERO);
    let lazyLock: number | undefined;
    let remaining = volume(ZERO);
    if (side === 'bid') {
      const approx = spec.kind === 'limit' ? this.locks.approxLock(spec.price, spec.volume) : Number.NaN;
      if (this.locks.surelyFits(approx, this.cashKrw, this.columnLocks())) lazyLock = approx;
      else {
        locked = orderLock(draft ?? draftOfPlanned(request.market, spec), this.rules);
        this.listAllColumns();
        const open = this.locks.total();
        // locked > cash − already locked, decided without building the difference unless close.
        if (sumExceeds(locked, open, this.cashKrw)) {
          const available = this.cashKrw.minus(open);
          return reject(
            'insufficient_funds_bid',
            `needs ${locked.toFixed()} KRW but only ${available.toFixed()} is available`,
          );
        }
      }
      if (spec.kind === 'limit') remaining = spec.volume;
    } else {
      remaining = spec.kind === 'market_buy' ? volume(ZERO) : spec.volume;
      const held = this.positionOf(request.market, request.strategy, at).volume;
      const orders = this.pending.get(request.market) ?? NO_ORDERS;
      if (exceedsUnoffered(remaining, held, orders, request.strategy)) {
        const free = unofferedVolume(held, orders, request.strategy);
        return reject(
          'insufficient_funds_ask',
          `sell of ${remaining.toFixed()} exceeds the ${free.toFixed()} ${request.strategy} holds unoffered`,
        );
      }
    }
    this.locks.add(locked);
    this.commitmentList = undefined;
    this.bookVersion += 1;
    const order: SimOrder = {
      identifier: quoteOf === undefined ? request.identifier : undefined,
      market: request.market,
      strategy: request.strategy,
      spec,
      reason: quoteOf === undefined ? request.reason : undefined,
      decisionId: quoteOf === undefined ? request.decisionId : quoteOf.id,
      quoteOf,
      leg,
      placedAt: at,
      lockedKrw: locked,
      remaining,
      lazyLock,
      // Set later (commitments): present from the start, so every order keeps one shape.
      commitment: undefined,
    };
    if (lazyLock !== undefined) this.locks.addLazy(order);
    const list = this.pending.get(request.market);
    if (list === undefined) this.pending.set(request.market, [order]);
    else list.push(order);
    return ACCEPTED;
  }

  /** Cancels every open order of a market and releases its locks. */
  cancelAll(market: Market): void {
    this.listColumns(market);
    this.commitmentList = undefined;
    this.bookVersion += 1;
    for (const o of this.pending.get(market) ?? []) this.release(o);
    this.pending.delete(market);
  }
}
