import type { Market } from '../market/market-id';
import type { Price, Volume } from '../money/quantities';

/** Upbit's order sides: `bid` buys the base asset, `ask` sells it. */
export const OrderSide = { bid: 'bid', ask: 'ask' } as const;
/** One of {@link OrderSide}. */
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

/**
 * Upbit order types. `price` is a market buy by KRW amount and `market` a market sell by volume;
 * `best` is a best-price limit that needs ioc/fok.
 */
export const OrdType = { limit: 'limit', price: 'price', market: 'market', best: 'best' } as const;
/** One of {@link OrdType}. */
export type OrdType = (typeof OrdType)[keyof typeof OrdType];

/** Upbit time-in-force values. */
export const TimeInForce = { ioc: 'ioc', fok: 'fok', postOnly: 'post_only' } as const;
/** One of {@link TimeInForce}. */
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** Upbit order states: `wait` (open), `watch` (reserved), `done` (filled), `cancel` (cancelled, maybe partly filled). */
export const OrderState = { wait: 'wait', watch: 'watch', done: 'done', cancel: 'cancel' } as const;
/** One of {@link OrderState}. */
export type OrderState = (typeof OrderState)[keyof typeof OrderState];

/** Self-match prevention modes. */
export const SmpType = {
  cancelMaker: 'cancel_maker',
  cancelTaker: 'cancel_taker',
  reduce: 'reduce',
  none: 'none',
} as const;
/** One of {@link SmpType}. */
export type SmpType = (typeof SmpType)[keyof typeof SmpType];

/**
 * An order as it would be sent to Upbit, before validation. Fields are optional because the fake
 * exchange validates raw requests with the same code and must name the exact Upbit error for a bad
 * combination (e.g. `volume` on a market buy is `create_bid_error`).
 * `price` is the unit price for `limit`, and the KRW total for `price` and `best`+`bid` orders.
 */
export interface OrderDraft {
  readonly market: Market;
  readonly side: OrderSide;
  readonly ordType: OrdType;
  readonly price?: Price;
  readonly volume?: Volume;
  readonly timeInForce?: TimeInForce;
  readonly smpType?: SmpType;
  readonly identifier?: string;
}

/** True for states after which an order can never change again. */
export function isTerminalState(state: OrderState): boolean {
  return state === 'done' || state === 'cancel';
}
