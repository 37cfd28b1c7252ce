import type { MarketRules } from '../market/market-rules';
import { type Decimal, ZERO } from '../money/decimal';
import { krw, price as toPrice, volume as toVolume } from '../money/quantities';
import type { OrderDraft } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { ExchangeOrder } from './exchange-order';
import { BOOK_DEPTH, type MarketBook } from './market-book';
import { type ExchangeError, exchangeError } from './order-intake';

/** What the engine decided about an accepted draft before it becomes an order. */
export interface NewOrderFacts {
  readonly uuid: string;
  readonly identifier: string | undefined;
  /** Amount moved from available to locked (KRW with the fee reserve for bids, base volume for asks). */
  readonly locked: Decimal;
  readonly book: MarketBook;
  readonly rules: MarketRules;
  readonly now: EpochMs;
  /** Arrival sequence number (price-time priority). */
  readonly seq: number;
}

/**
 * Builds the engine's order for a validated draft the way Upbit books it (PROTOCOL.md §6.4–6.5):
 * budget bids (`price`, `best`) carry no volume and spend `price` KRW; `best` orders trade at the best
 * opposite quote at submission; bids reserve the taker fee; post_only defaults to SMP `none`, others to
 * `cancel_maker`.
 */
export function newOrder(draft: OrderDraft, f: NewOrderFacts): ExchangeOrder {
  const isBudget = draft.side === 'bid' && (draft.ordType === 'price' || draft.ordType === 'best');
  const opposite = f.book.best(draft.side === 'bid' ? 'ask' : 'bid');
  const limitPrice =
    draft.ordType === 'limit'
      ? draft.price
      : draft.ordType === 'best' && opposite !== undefined
        ? toPrice(opposite)
        : undefined;
  const reserveBase =
    draft.side === 'bid' ? (isBudget ? draft.price : draft.price?.times(draft.volume ?? ZERO)) : ZERO;
  const reservedFee = krw((reserveBase ?? ZERO).times(draft.side === 'bid' ? f.rules.takerFee : ZERO));
  return {
    uuid: f.uuid,
    identifier: f.identifier,
    market: draft.market,
    side: draft.side,
    ordType: draft.ordType,
    state: 'wait',
    price: draft.price,
    volume: isBudget ? undefined : draft.volume,
    remainingVolume: isBudget ? undefined : draft.volume,
    executedVolume: toVolume(ZERO),
    executedFunds: krw(ZERO),
    reservedFee,
    remainingFee: reservedFee,
    paidFee: krw(ZERO),
    locked: f.locked,
    preventedVolume: toVolume(ZERO),
    preventedLocked: ZERO,
    timeInForce: draft.timeInForce,
    smpType: draft.smpType ?? (draft.timeInForce === 'post_only' ? 'none' : 'cancel_maker'),
    limitPrice,
    budgetLeft: isBudget ? krw(draft.price ?? ZERO) : undefined,
    trades: [],
    createdAt: f.now,
    seq: f.seq,
  };
}

/**
 * Market orders are matched against at most the 30 visible levels (PROTOCOL.md §6.1); larger ones are
 * refused (error name UNCONFIRMED), and a best order needs an opposite quote to be priced.
 */
export function checkMarketDepth(
  book: MarketBook,
  side: OrderDraft['side'],
  ordType: OrderDraft['ordType'],
  p?: Decimal,
  v?: Decimal,
): ExchangeError | undefined {
  if (ordType === 'price' && p !== undefined && book.depthValue('ask', BOOK_DEPTH).lt(p))
    return exchangeError(400, 'create_bid_error', 'market buy exceeds the KRW value of the 30 best asks');
  if (ordType === 'market' && v !== undefined && book.depthVolume('bid', BOOK_DEPTH).lt(v))
    return exchangeError(400, 'create_ask_error', 'market sell exceeds the volume of the 30 best bids');
  if (ordType === 'best' && book.best(side === 'bid' ? 'ask' : 'bid') === undefined)
    return exchangeError(
      400,
      side === 'bid' ? 'create_bid_error' : 'create_ask_error',
      'no best quote to price a best order',
    );
  return undefined;
}
