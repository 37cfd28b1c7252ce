import type { Market } from '../market/market-id';
import { type Decimal, parseDecimal } from '../money/decimal';
import { krw, price as toPrice, volume as toVolume } from '../money/quantities';
import type { OrderSide, OrderState, OrdType, SmpType, TimeInForce } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { ExchangeOrder, ExchangeTrade } from './exchange-order';

/** Saved form of one order: every decimal as text so nothing is lost through `number`. */
export interface SavedOrder {
  readonly uuid: string;
  readonly identifier?: string;
  readonly market: string;
  readonly side: string;
  readonly ordType: string;
  readonly state: string;
  readonly price?: string;
  readonly volume?: string;
  readonly remainingVolume?: string;
  readonly executedVolume: string;
  readonly executedFunds: string;
  readonly reservedFee: string;
  readonly remainingFee: string;
  readonly paidFee: string;
  readonly locked: string;
  readonly preventedVolume: string;
  readonly preventedLocked: string;
  readonly timeInForce?: string;
  readonly smpType: string;
  readonly limitPrice?: string;
  readonly budgetLeft?: string;
  readonly createdAt: number;
  readonly seq: number;
  readonly trades: readonly {
    uuid: string;
    price: string;
    volume: string;
    funds: string;
    fee: string;
    trend: 'up' | 'down';
    isMaker: boolean;
    createdAtUs: number;
  }[];
}

/** Everything needed to resume an account: balances, orders, burnt identifiers and counters. */
export interface EngineState {
  readonly version: 1;
  readonly rngState: number;
  readonly seq: number;
  /** The highest trade id of any market (all that older state files hold). */
  readonly sequentialId: number;
  /** The last trade id per market. */
  readonly sequentialIds?: Readonly<Record<string, number>>;
  readonly accounts: readonly { currency: string; balance: string; locked: string; avgBuyPrice: string }[];
  readonly orders: readonly SavedOrder[];
  readonly burntIdentifiers: readonly string[];
}

function opt(d: Decimal | undefined): string | undefined {
  return d?.toFixed();
}

/** Serialises an order (undefined fields are left out so the JSON stays small). */
export function saveOrder(o: ExchangeOrder): SavedOrder {
  const out: Record<string, unknown> = {
    uuid: o.uuid,
    identifier: o.identifier,
    market: o.market,
    side: o.side,
    ordType: o.ordType,
    state: o.state,
    price: opt(o.price),
    volume: opt(o.volume),
    remainingVolume: opt(o.remainingVolume),
    executedVolume: o.executedVolume.toFixed(),
    executedFunds: o.executedFunds.toFixed(),
    reservedFee: o.reservedFee.toFixed(),
    remainingFee: o.remainingFee.toFixed(),
    paidFee: o.paidFee.toFixed(),
    locked: o.locked.toFixed(),
    preventedVolume: o.preventedVolume.toFixed(),
    preventedLocked: o.preventedLocked.toFixed(),
    timeInForce: o.timeInForce,
    smpType: o.smpType,
    limitPrice: opt(o.limitPrice),
    budgetLeft: opt(o.budgetLeft),
    createdAt: o.createdAt,
    seq: o.seq,
    trades: o.trades.map((t) => ({
      uuid: t.uuid,
      price: t.price.toFixed(),
      volume: t.volume.toFixed(),
      funds: t.funds.toFixed(),
      fee: t.fee.toFixed(),
      trend: t.trend,
      isMaker: t.isMaker,
      createdAtUs: t.createdAtUs,
    })),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as SavedOrder;
}

/** Rebuilds an order from its saved form. */
export function restoreOrder(s: SavedOrder): ExchangeOrder {
  const market = s.market as Market;
  const side = s.side as OrderSide;
  const trades: ExchangeTrade[] = s.trades.map((t) => ({
    uuid: t.uuid,
    market,
    price: toPrice(t.price),
    volume: toVolume(t.volume),
    funds: krw(t.funds),
    fee: krw(t.fee),
    trend: t.trend,
    side,
    isMaker: t.isMaker,
    createdAtUs: t.createdAtUs,
  }));
  return {
    uuid: s.uuid,
    identifier: s.identifier,
    market,
    side,
    ordType: s.ordType as OrdType,
    state: s.state as OrderState,
    price: s.price === undefined ? undefined : toPrice(s.price),
    volume: s.volume === undefined ? undefined : toVolume(s.volume),
    remainingVolume: s.remainingVolume === undefined ? undefined : toVolume(s.remainingVolume),
    executedVolume: toVolume(s.executedVolume),
    executedFunds: krw(s.executedFunds),
    reservedFee: krw(s.reservedFee),
    remainingFee: krw(s.remainingFee),
    paidFee: krw(s.paidFee),
    locked: parseDecimal(s.locked),
    preventedVolume: toVolume(s.preventedVolume),
    preventedLocked: parseDecimal(s.preventedLocked),
    timeInForce: s.timeInForce as TimeInForce | undefined,
    smpType: s.smpType as SmpType,
    limitPrice: s.limitPrice === undefined ? undefined : toPrice(s.limitPrice),
    budgetLeft: s.budgetLeft === undefined ? undefined : krw(s.budgetLeft),
    trades,
    createdAt: s.createdAt as EpochMs,
    seq: s.seq,
  };
}
