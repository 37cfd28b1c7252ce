import { baseCurrency, QUOTE_CURRENCY } from '../market/market-id';
import { feeFor, type MarketRules } from '../market/market-rules';
import type { Decimal } from '../money/decimal';
import { krw, type Price, volume as toVolume, type Volume } from '../money/quantities';
import type { OrderSide } from '../orders/order-types';
import type { EpochMs } from '../time/epoch';
import type { AccountLedger } from './account-ledger';
import type { ExchangeOrder, ExchangeTrade } from './exchange-order';

/**
 * Books one fill of one of our orders into the order and the ledger, Upbit style (PROTOCOL.md §6.5):
 * - limit bid: releases limit × v × (1 + reserve rate) from the lock, spends price × v + fee and returns
 *   the price-improvement difference to the available balance at once;
 * - budget bid (`price`, `best`): spends price × v + fee straight from the lock;
 * - ask: spends v of the locked base asset and credits the proceeds minus the fee.
 * Returns the trade record appended to the order.
 */
export function bookFill(
  o: ExchangeOrder,
  ledger: AccountLedger,
  rules: MarketRules,
  fill: {
    readonly price: Price;
    readonly volume: Volume;
    readonly isMaker: boolean;
    readonly takerSide: OrderSide;
    readonly uuid: string;
    readonly atUs: number;
  },
): ExchangeTrade {
  const { price, volume: v, isMaker } = fill;
  const funds = krw(price.times(v));
  const fee = feeFor(funds, rules, isMaker);
  const base = baseCurrency(o.market);
  if (o.side === 'bid') {
    if (o.budgetLeft !== undefined) {
      const spend = funds.plus(fee);
      ledger.spendLocked(QUOTE_CURRENCY, spend);
      o.locked = o.locked.minus(spend);
      o.budgetLeft = krw(o.budgetLeft.minus(funds));
    } else {
      const limit = o.limitPrice ?? price;
      const release = limit.times(v).times(rules.takerFee.plus(1));
      ledger.spendLocked(QUOTE_CURRENCY, release);
      ledger.credit(QUOTE_CURRENCY, release.minus(funds).minus(fee));
      o.locked = o.locked.minus(release);
    }
    ledger.recordBuy(base, v, price);
    ledger.credit(base, v);
    o.remainingFee = krw(o.reservedFee.minus(o.paidFee).minus(fee));
  } else {
    ledger.spendLocked(base, v);
    ledger.credit(QUOTE_CURRENCY, funds.minus(fee));
    o.locked = o.locked.minus(v);
  }
  o.paidFee = krw(o.paidFee.plus(fee));
  o.executedVolume = toVolume(o.executedVolume.plus(v));
  o.executedFunds = krw(o.executedFunds.plus(funds));
  if (o.remainingVolume !== undefined) o.remainingVolume = toVolume(o.remainingVolume.minus(v));
  const trade: ExchangeTrade = {
    uuid: fill.uuid,
    market: o.market,
    price,
    volume: v,
    funds,
    fee,
    trend: fill.takerSide === 'bid' ? 'up' : 'down',
    side: o.side,
    isMaker,
    createdAtUs: fill.atUs,
  };
  o.trades.push(trade);
  return trade;
}

/**
 * Books an SMP `reduce` of `v` (PROTOCOL.md §6.6) into the order and the ledger: the lock that volume
 * held is released to the available balance (bids: its price × v plus the fee reserve; asks: v) and
 * reported in `prevented_volume` / `prevented_locked`. Returns true when nothing is left to trade.
 */
export function bookReduce(
  o: ExchangeOrder,
  ledger: AccountLedger,
  rules: MarketRules,
  v: Volume,
  at: Price,
): boolean {
  let release: Decimal;
  if (o.side === 'ask') {
    release = v;
    ledger.unlock(baseCurrency(o.market), release);
  } else {
    const value = (o.budgetLeft !== undefined ? at : (o.limitPrice ?? at)).times(v);
    const fee = value.times(rules.takerFee);
    release = value.plus(fee);
    ledger.unlock(QUOTE_CURRENCY, release);
    o.remainingFee = krw(o.remainingFee.minus(fee));
    if (o.budgetLeft !== undefined) o.budgetLeft = krw(o.budgetLeft.minus(value));
  }
  o.locked = o.locked.minus(release);
  o.preventedVolume = toVolume(o.preventedVolume.plus(v));
  o.preventedLocked = o.preventedLocked.plus(release);
  if (o.remainingVolume !== undefined) o.remainingVolume = toVolume(o.remainingVolume.minus(v));
  return o.remainingVolume?.lte(0) === true || o.budgetLeft?.lte(0) === true;
}

/**
 * Ends an order (`done` or `cancel`) and returns whatever it still holds to the available balance.
 * The order keeps reporting its residual `locked`, as Upbit's cancelled market-buy example does.
 */
export function releaseResidual(o: ExchangeOrder, ledger: AccountLedger): Decimal {
  const currency = o.side === 'bid' ? QUOTE_CURRENCY : baseCurrency(o.market);
  const residual = o.locked;
  if (residual.gt(0)) ledger.unlock(currency, residual);
  return residual;
}

/** True when a budget order has nothing left to spend (Upbit then reports `done`, else `cancel`). */
export function budgetExhausted(o: ExchangeOrder): boolean {
  return o.budgetLeft?.isZero() === true;
}

/** Microsecond timestamp for the n-th trade within a millisecond (keeps trade times unique and ordered). */
export function tradeTimeUs(at: EpochMs, counter: number): number {
  return at * 1000 + (counter % 1000);
}
