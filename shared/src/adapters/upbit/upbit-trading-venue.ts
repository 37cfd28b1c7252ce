import { isTradingError, TradingError } from '../../domain/errors/trading-error';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES, type MarketRules } from '../../domain/market/market-rules';
import { validateOrder } from '../../domain/orders/validate-order';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import {
  type Balance,
  type OrderRef,
  type PlaceOrderRequest,
  SEND_BLOCKED,
  type SendGuard,
  type TradingVenue,
  type VenueOrder,
} from '../../ports/trading-venue';
import { ClientErrorCode } from './rest/upbit-errors';
import type { UpbitExchangeApi } from './rest/upbit-exchange-api';

/** Options for {@link UpbitTradingVenue}. */
export interface UpbitTradingVenueOptions {
  readonly api: UpbitExchangeApi;
  readonly clock: Clock;
  readonly logger?: Logger;
  /**
   * Refuse orders the domain rules already know Upbit will refuse (tick, minimum, precision) without a
   * request. Default true; the contract test turns it off to prove the fake names the same errors.
   */
  readonly preValidate?: boolean;
  readonly rules?: MarketRules;
  /** Sends of one placement when the outcome stays unknown (timeouts). Default 3. */
  readonly maxPlaceAttempts?: number;
  /**
   * Sends of one placement answered 429 before the 429 is passed up (each after the limiter's back-off
   * and a lookup by identifier). Default 5.
   */
  readonly maxRateLimitedAttempts?: number;
  /**
   * Read a post-only order back once when the 201 still says `wait`: Upbit may accept a crossing
   * post-only order and cancel it right after (PROTOCOL.md §6.4), and callers must learn that now.
   */
  readonly confirmPostOnly?: boolean;
}

// Failures after which the order may or may not exist on the exchange.
function outcomeUnknown(error: TradingError): boolean {
  return (
    error.code === ClientErrorCode.timeout ||
    error.code === ClientErrorCode.network ||
    error.code === ClientErrorCode.malformedResponse ||
    (error.kind === 'retryable' && (error.status ?? 0) >= 500)
  );
}

function isRateLimited(error: TradingError): boolean {
  return error.status === 429;
}

function isNotFound(error: unknown): boolean {
  return isTradingError(error) && error.code === 'order_not_found';
}

/**
 * The real Upbit behind the TradingVenue port. Placing is idempotent on the identifier: after a 429, a
 * timeout or a network error the order is looked up by identifier before anything is re-sent (with the
 * same identifier, after the rate limiter's back-off), and `duplicated_identifier` returns the existing
 * order instead of creating another (PROTOCOL.md §6.3): one placement, exactly one order.
 */
export class UpbitTradingVenue implements TradingVenue {
  readonly #api: UpbitExchangeApi;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #preValidate: boolean;
  readonly #rules: MarketRules;
  readonly #maxAttempts: number;
  readonly #max429Attempts: number;
  readonly #confirmPostOnly: boolean;

  constructor(options: UpbitTradingVenueOptions) {
    this.#api = options.api;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#preValidate = options.preValidate ?? true;
    this.#rules = options.rules ?? KRW_MARKET_RULES;
    this.#maxAttempts = Math.max(1, options.maxPlaceAttempts ?? 3);
    this.#max429Attempts = Math.max(1, options.maxRateLimitedAttempts ?? 5);
    this.#confirmPostOnly = options.confirmPostOnly ?? true;
  }

  async placeOrder(request: PlaceOrderRequest, guard?: SendGuard): Promise<VenueOrder> {
    if (this.#preValidate) {
      const result = validateOrder(request, this.#rules, this.#clock.now());
      if (!result.ok)
        throw new TradingError(
          'rejected',
          `order ${request.identifier} refused before sending: ${result.rejection.message}`,
          {
            code: result.rejection.code,
          },
        );
    }
    let unknown = 0;
    let limited = 0;
    let blocked = false;
    // Asked after every rate-limit wait, right before each send (the REST client's own 429 retries too).
    const beforeSend =
      guard === undefined
        ? undefined
        : () => {
            const reason = guard();
            if (reason === undefined) return;
            blocked = true;
            throw unknown > 0
              ? new TradingError(
                  'retryable',
                  `order ${request.identifier} not re-sent (${reason}) after an unknown outcome; ` +
                    'a lookup by identifier settles it',
                  { code: ClientErrorCode.orderOutcomeUnknown },
                )
              : new TradingError('rejected', `order ${request.identifier} not sent: ${reason}`, {
                  code: SEND_BLOCKED,
                });
          };
    for (;;) {
      try {
        const order = await this.#api.placeOrder(request, undefined, beforeSend);
        return await this.#settlePostOnly(request, order);
      } catch (error) {
        if (blocked || !isTradingError(error)) throw error;
        if (error.code === 'duplicated_identifier') return this.#existingForDuplicate(request, error);
        const rateLimited = isRateLimited(error);
        if (!rateLimited && !outcomeUnknown(error)) throw error;
        // A 429 should mean "refused before anything happened", but a doubt costs one read, a double
        // order costs real money: look before re-sending, every time.
        const existing = await this.#lookupAfterUnknown(request, error);
        if (existing !== undefined) return existing;
        if (rateLimited ? ++limited >= this.#max429Attempts : ++unknown >= this.#maxAttempts) throw error;
        this.#logger?.warn(
          'order not found after a 429 or an unknown outcome; re-sending the same identifier',
          {
            identifier: request.identifier,
            attempt: limited + unknown,
            code: error.code,
          },
        );
      }
    }
  }

  async #settlePostOnly(request: PlaceOrderRequest, order: VenueOrder): Promise<VenueOrder> {
    if (!this.#confirmPostOnly || request.timeInForce !== 'post_only' || order.state !== 'wait') return order;
    try {
      return await this.#api.getOrder({ uuid: order.uuid });
    } catch (error) {
      this.#logger?.warn('could not re-read post-only order; returning the 201 body', {
        uuid: order.uuid,
        code: isTradingError(error) ? error.code : String(error),
      });
      return order;
    }
  }

  async #existingForDuplicate(request: PlaceOrderRequest, cause: TradingError): Promise<VenueOrder> {
    const existing = await this.getOrder({ identifier: request.identifier });
    if (existing !== undefined) {
      this.#logger?.info('identifier already placed; returning the existing order', {
        identifier: request.identifier,
        uuid: existing.uuid,
      });
      return existing;
    }
    // Upbit burns an identifier even when the request that used it created nothing (PROTOCOL.md §6.3).
    throw new TradingError(
      'rejected',
      `identifier ${request.identifier} was used by an earlier request that created no order; ` +
        'derive the next attempt with orderIdentifier(decisionId, leg, attempt + 1)',
      {
        code: 'duplicated_identifier',
        ...(cause.status === undefined ? {} : { status: cause.status }),
        cause,
      },
    );
  }

  async #lookupAfterUnknown(
    request: PlaceOrderRequest,
    cause: TradingError,
  ): Promise<VenueOrder | undefined> {
    try {
      return await this.getOrder({ identifier: request.identifier });
    } catch (lookupError) {
      throw new TradingError(
        'retryable',
        `order ${request.identifier} may or may not have been placed (${cause.code}) and the lookup failed too; ` +
          'call placeOrder again with the same identifier, which is safe',
        { code: ClientErrorCode.orderOutcomeUnknown, cause: lookupError },
      );
    }
  }

  async cancelOrder(ref: OrderRef): Promise<VenueOrder> {
    return this.#api.cancelOrder(ref);
  }

  async getOrder(ref: OrderRef): Promise<VenueOrder | undefined> {
    try {
      return await this.#api.getOrder(ref);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listOpenOrders(market?: Market): Promise<VenueOrder[]> {
    const all: VenueOrder[] = [];
    const limit = 100;
    for (let page = 1; page <= 50; page++) {
      const batch = await this.#api.getOpenOrders({
        ...(market === undefined ? {} : { market }),
        states: ['wait', 'watch'],
        page,
        limit,
      });
      all.push(...batch);
      if (batch.length < limit) break;
    }
    return all;
  }

  getBalances(): Promise<Balance[]> {
    return this.#api.getAccounts();
  }
}
