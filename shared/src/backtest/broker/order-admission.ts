import type { QuoteLayerFacts } from '../../domain/ensemble/decision-pipeline';
import { draftOfPlanned } from '../../domain/ensemble/order-plan';
import type { Market } from '../../domain/market/market-id';
import { tickTableFor } from '../../domain/market/market-rules';
import { ZERO } from '../../domain/money/decimal';
import { sumExceeds } from '../../domain/money/decimal-compare';
import { krw, type Price, volume } from '../../domain/money/quantities';
import { wasAccepted } from '../../domain/orders/limit-facts';
import { ACCEPTED, reject, type ValidationResult } from '../../domain/orders/order-rejection';
import type { OrderDraft } from '../../domain/orders/order-types';
import { orderLock, validateOrder } from '../../domain/orders/validate-order';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import { BrokerBooks } from './broker-books';
import { QuoteLayerOrder } from './quote-layer-order';
import { type SimOrder, type SimOrderRequest, type SimOrderSpec, sideOf } from './sim-order';
import { exceedsUnoffered, unofferedVolume } from './unoffered';

const NO_ORDERS: readonly SimOrder[] = Object.freeze([]);

/**
 * Placing and cancelling orders on the broker's books, as Upbit accepts them at submission: the
 * exchange validation, then funds (KRW with the fee for bids, lazily locked when it surely fits;
 * the strategy's unoffered holding for asks). Quote layers join without their texts (placeQuote).
 */
export abstract class OrderAdmission extends BrokerBooks {
  /**
   * Quote layers whose order ended (its bar ran, or its market was cancelled), reused by
   * `QuoteAdmission`'s layer placement (placeQuoteLadder, placeQuoteUnits) instead of a new object per layer and bar. A layer never leaves the
   * broker (fills, rejections and commitments copy its texts and decimals, never the order), and
   * once its bar ran or its market was cancelled nothing in the broker holds it: the market's
   * pending list is dropped and `release` took it off the lock book's lazy list.
   */
  protected readonly endedLayers: QuoteLayerOrder[] = [];

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
  placeQuote(
    decision: Decision,
    leg: number,
    level: QuoteLevel,
    at: EpochMs,
    /** The ladder path's facts of the decision's levels (see QuoteLayerFacts), when it has them. */
    facts?: QuoteLayerFacts,
  ): ValidationResult {
    const market = decision.market;
    const spec: SimOrderSpec = {
      kind: 'limit',
      side: level.side,
      price: level.price,
      volume: level.volume,
      postOnly: true,
    };
    let draft: OrderDraft | undefined;
    const rules = this.rules;
    // Facts for these very rules and instant: validated by construction, and the lock's double is
    // approxLock's own product of the levels' doubles. Otherwise the recorded verdict, or validation.
    const known = facts !== undefined && facts.rules === rules && facts.at === at;
    if (
      !known &&
      !wasAccepted(level.price, level.volume, market, level.side, 'post_only', rules, tickTableFor(rules, at))
    ) {
      draft = draftOfPlanned(market, spec);
      // A limit order's validation never reads the reference price (market orders only).
      const valid = validateOrder(draft, rules, at);
      if (!valid.ok) return valid;
    }
    const approx =
      known && level.side === 'bid'
        ? this.locks.approxLockOf(facts.prices[leg] as number, facts.volumes[leg] as number)
        : undefined;
    return this.admit(decision, spec, at, draft, decision, leg, approx);
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
    /** `this.locks.approxLock(spec.price, spec.volume)` of a limit bid, when the caller has it. */
    knownLock?: number,
  ): ValidationResult {
    const side = sideOf(spec);
    let locked = krw(ZERO);
    let lazyLock: number | undefined;
    let remaining = volume(ZERO);
    if (side === 'bid') {
      const approx =
        spec.kind === 'limit' ? (knownLock ?? this.locks.approxLock(spec.price, spec.volume)) : Number.NaN;
      if (this.locks.surelyFits(approx, this.cashKrw)) lazyLock = approx;
      else {
        locked = orderLock(draft ?? draftOfPlanned(request.market, spec), this.rules);
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
      // A double first, then the order's own (below; 0: none): the field holds doubles from the
      // first order on. A change of the field's representation months into a market-making year
      // (once `undefined`, then its first lock) threw away every optimised function that reads
      // orders (the broker's ladder, its lock book, the exposure reads, `admit` itself: ~10
      // recompiles).
      lazyLock: Number.NaN,
      // Set later (commitments): present from the start, so every order keeps one shape.
      commitment: undefined,
    };
    order.lazyLock = lazyLock ?? 0;
    if (lazyLock !== undefined) this.locks.addLazy(order, lazyLock);
    this.pending.add(request.market, order);
    return ACCEPTED;
  }

  /** Cancels every open order of a market and releases its locks. */
  cancelAll(market: Market): void {
    this.commitmentList = undefined;
    this.bookVersion += 1;
    const orders = this.pending.take(market);
    if (orders !== undefined) this.endOrders(orders);
  }

  /**
   * Releases a market's orders, taken off `pending`, and keeps its quote layers and the emptied
   * list for reuse: a pending list is read only by the broker, and only while it is in `pending`.
   */
  protected endOrders(orders: SimOrder[]): void {
    this.locks.releaseAll(orders);
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i];
      if (o instanceof QuoteLayerOrder) this.endedLayers.push(o);
    }
    this.pending.recycle(orders);
  }
}
