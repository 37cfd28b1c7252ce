import { TradingError } from '../../../shared/src/domain/errors/trading-error';
import type { PlaceOrderRequest, TradingVenue } from '../../../shared/src/ports/trading-venue';

/**
 * A venue seen through a slow network: the first placement whose identifier ends in `suffix` (attempt
 * 0 of leg 0 by default) times out at the adapter and is kept, to reach the venue whenever the test
 * calls {@link arrive} (a request stuck in a proxy or a load balancer queue). Cancels can be made to
 * fail (`cancelFailures`) with a retryable 503, as under exchange stress, and lookups by identifier
 * (`lookupFailures`) with the adapter's error after Upbit's 429s outlasted its retries.
 */
export class LateVenue implements TradingVenue {
  late: PlaceOrderRequest | undefined;
  cancelFailures = 0;
  lookupFailures = 0;
  /** Lookups by identifier (GET /order?identifier=…) the venue was asked, failed ones included. */
  readonly lookups: string[] = [];
  constructor(
    readonly inner: TradingVenue,
    readonly suffix = '.0.0',
  ) {}
  placeOrder: TradingVenue['placeOrder'] = async (request, guard) => {
    if (this.late === undefined && request.identifier.endsWith(this.suffix)) {
      this.late = request;
      throw new TradingError('retryable', 'Upbit POST /orders timed out after 5000 ms', { code: 'timeout' });
    }
    return this.inner.placeOrder(request, guard);
  };
  cancelOrder: TradingVenue['cancelOrder'] = async (ref) => {
    if (this.cancelFailures > 0) {
      this.cancelFailures -= 1;
      throw new TradingError('retryable', 'Upbit DELETE /order answered 503', {
        code: 'server_error',
        status: 503,
      });
    }
    return this.inner.cancelOrder(ref);
  };
  getOrder: TradingVenue['getOrder'] = async (ref) => {
    if ('identifier' in ref) {
      this.lookups.push(ref.identifier);
      if (this.lookupFailures > 0) {
        this.lookupFailures -= 1;
        throw new TradingError('retryable', 'Upbit GET /order answered 429 (too_many_requests)', {
          code: 'too_many_requests',
          status: 429,
        });
      }
    }
    return this.inner.getOrder(ref);
  };
  listOpenOrders: TradingVenue['listOpenOrders'] = (m) => this.inner.listOpenOrders(m);
  getBalances: TradingVenue['getBalances'] = () => this.inner.getBalances();

  /** The kept request reaches the venue now (straight to it: the executor is not asked). */
  async arrive(): Promise<void> {
    if (this.late === undefined) throw new Error('no late request was kept');
    await this.inner.placeOrder(this.late);
  }
}
