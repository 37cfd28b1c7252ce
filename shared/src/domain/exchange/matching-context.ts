import type { Market } from '../market/market-id';
import type { Price, Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { ExchangeOrder } from './exchange-order';

/** Callbacks the matching code uses to book fills and end orders without knowing the engine. */
export interface MatchingContext {
  fill(o: ExchangeOrder, p: Price, v: Volume, isMaker: boolean, takerSide: OrderSide): void;
  finish(o: ExchangeOrder, state: 'done' | 'cancel'): void;
  prevent(o: ExchangeOrder): void;
  /**
   * SMP `reduce`: takes `v` off the order's remaining volume (valued at `at` for a KRW-budget order),
   * releases the matching lock and reports it as prevented; an order left with nothing is cancelled.
   */
  reduce(o: ExchangeOrder, v: Volume, at: Price): void;
  bookChanged(market: Market): void;
}
