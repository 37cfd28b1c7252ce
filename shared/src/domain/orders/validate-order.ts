import { baseCurrency, QUOTE_CURRENCY } from '../market/market-id';
import { lockWithTakerFee, type MarketRules, tickTableFor } from '../market/market-rules';
import { isOnTick } from '../market/tick-rounding';
import { type Decimal, formatDecimal, ZERO } from '../money/decimal';
import { decimalGt, decimalLt, decimalLte } from '../money/decimal-compare';
import { productOf } from '../money/decimal-units';
import { hasValidVolumePrecision, type Krw, krw, type Price } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { limitLock, limitTotal, rememberAccepted, wasAccepted } from './limit-facts';
import { ACCEPTED, type RejectionCode, reject, type ValidationResult } from './order-rejection';
import type { OrderDraft, OrderSide } from './order-types';

/** Optional market facts that some checks need. */
export interface ValidationContext {
  /**
   * Price used to value orders that carry only a volume (market and best sells) for the minimum
   * total; Upbit's exact reference is unconfirmed, we use the best bid. Without it that check is skipped.
   */
  readonly referencePrice?: Price;
  /** Exchange-reported tick for the market (`/orderbook/instruments`); wins over the table. */
  readonly tick?: Price;
}

const SIDES: ReadonlySet<string> = new Set(['bid', 'ask']);
const ORD_TYPES: ReadonlySet<string> = new Set(['limit', 'price', 'market', 'best']);
const TIFS: ReadonlySet<string> = new Set(['ioc', 'fok', 'post_only']);

function bySide(side: OrderSide, bid: RejectionCode, ask: RejectionCode): RejectionCode {
  return side === 'bid' ? bid : ask;
}

/** Checks the field combination for the order type (PROTOCOL.md §5.2 table, §8 step 3). */
function checkShape(o: OrderDraft): ValidationResult {
  const createError = bySide(o.side, 'create_bid_error', 'create_ask_error');
  const tif = o.timeInForce;
  if (tif !== undefined && !TIFS.has(tif))
    return reject('invalid_time_in_force', `unknown time_in_force "${tif}"`);
  switch (o.ordType) {
    case 'limit':
      if (o.price === undefined || o.volume === undefined)
        return reject('validation_error', 'a limit order needs both price and volume');
      break;
    case 'price':
      if (o.side !== 'bid') return reject(createError, 'ord_type "price" is a market buy: use side "bid"');
      if (o.volume !== undefined)
        return reject(createError, 'a market buy takes the KRW amount in price, not volume');
      if (o.price === undefined)
        return reject('validation_error', 'a market buy needs price (the KRW amount)');
      if (tif !== undefined) return reject('invalid_time_in_force', 'market buys take no time_in_force');
      break;
    case 'market':
      if (o.side !== 'ask') return reject(createError, 'ord_type "market" is a market sell: use side "ask"');
      if (o.price !== undefined) return reject(createError, 'a market sell takes volume, not price');
      if (o.volume === undefined) return reject('validation_error', 'a market sell needs volume');
      if (tif !== undefined) return reject('invalid_time_in_force', 'market sells take no time_in_force');
      break;
    case 'best':
      if (tif !== 'ioc' && tif !== 'fok')
        return reject('invalid_time_in_force', 'a best order needs time_in_force ioc or fok');
      if (o.side === 'bid' && (o.volume !== undefined || o.price === undefined))
        return reject(createError, 'a best buy takes the KRW amount in price and no volume');
      if (o.side === 'ask' && (o.price !== undefined || o.volume === undefined))
        return reject(createError, 'a best sell takes volume and no price');
      break;
  }
  if (tif === 'post_only' && o.ordType !== 'limit')
    return reject('invalid_time_in_force', 'post_only is only allowed on limit orders');
  if (tif === 'post_only' && o.smpType !== undefined)
    return reject('invalid_post_only', 'post_only cannot be combined with smp_type');
  return ACCEPTED;
}

/** Order total in KRW as Upbit measures it for the min/max checks; undefined when it cannot be known. */
export function orderTotal(o: OrderDraft, referencePrice?: Price): Krw | undefined {
  if (o.ordType === 'limit' && o.price !== undefined && o.volume !== undefined)
    return limitTotal(o.price, o.volume);
  if ((o.ordType === 'price' || o.ordType === 'best') && o.side === 'bid' && o.price !== undefined)
    return krw(o.price);
  if (o.volume !== undefined && referencePrice !== undefined) return krw(productOf(o.volume, referencePrice));
  return undefined;
}

/**
 * Validates an order against Upbit's KRW rules in the exchange's own order (§8 steps 2–6): type and
 * side, field combination, identifier length, tick grid and volume precision, then min/max total.
 * Stateful checks (identifier reuse, funds) live with the state that knows them; see {@link checkFunds}.
 */
export function validateOrder(
  o: OrderDraft,
  rules: MarketRules,
  at: EpochMs,
  ctx: ValidationContext = {},
): ValidationResult {
  // A limit order's verdict depends only on its fields, the rules and the tick table: a quote layer
  // checked by the risk engine and then placed is validated once (see limit-facts.ts).
  const p = o.price;
  const v = o.volume;
  if (
    o.ordType !== 'limit' ||
    p === undefined ||
    v === undefined ||
    o.identifier !== undefined ||
    o.smpType !== undefined ||
    ctx.tick !== undefined
  )
    return validateUncached(o, rules, at, ctx);
  const table = tickTableFor(rules, at);
  if (wasAccepted(p, v, o.market, o.side, o.timeInForce, rules, table)) return ACCEPTED;
  const result = validateUncached(o, rules, at, ctx);
  if (result.ok)
    rememberAccepted(p, v, { market: o.market, side: o.side, timeInForce: o.timeInForce, rules, table });
  return result;
}

function validateUncached(
  o: OrderDraft,
  rules: MarketRules,
  at: EpochMs,
  ctx: ValidationContext,
): ValidationResult {
  if (!SIDES.has(o.side)) return reject('validation_error', `side "${o.side}" is not bid or ask`);
  if (!ORD_TYPES.has(o.ordType))
    return reject('validation_error', `ord_type "${o.ordType}" is not limit, price, market or best`);
  const shape = checkShape(o);
  if (!shape.ok) return shape;
  if (
    o.identifier !== undefined &&
    (o.identifier.length === 0 || o.identifier.length > rules.maxIdentifierLength)
  )
    return reject('invalid_parameter', `identifier must be 1–${rules.maxIdentifierLength} characters`);

  const priceError = bySide(o.side, 'invalid_price_bid', 'invalid_price_ask');
  const volumeError = bySide(o.side, 'invalid_volume_bid', 'invalid_volume_ask');
  if (o.price !== undefined && decimalLte(o.price, ZERO)) return reject(priceError, 'price must be positive');
  if (o.ordType === 'limit' && o.price !== undefined) {
    const table = tickTableFor(rules, at);
    const tickCtx =
      ctx.tick === undefined ? { table, asset: baseCurrency(o.market) } : { table, tick: ctx.tick };
    if (!isOnTick(o.price, tickCtx))
      return reject(
        priceError,
        `price ${formatDecimal(o.price)} is not on the tick grid; round it with roundToTick`,
      );
  }
  if (o.volume !== undefined) {
    if (decimalLte(o.volume, ZERO)) return reject(volumeError, 'volume must be positive');
    if (!hasValidVolumePrecision(o.volume))
      return reject(
        volumeError,
        `volume ${formatDecimal(o.volume)} has more than ${rules.volumeDecimals} decimals`,
      );
  }

  const total = orderTotal(o, ctx.referencePrice);
  if (total !== undefined) {
    if (decimalLt(total, rules.minTotal))
      return reject(
        bySide(o.side, 'under_min_total_bid', 'under_min_total_ask'),
        `order total ${formatDecimal(total)} KRW is below the ${formatDecimal(rules.minTotal)} KRW minimum`,
      );
    if (decimalGt(total, rules.maxTotal))
      return reject(
        bySide(o.side, 'over_krw_funds_bid', 'over_krw_funds_ask'),
        `order total ${formatDecimal(total)} KRW is above the ${formatDecimal(rules.maxTotal)} KRW maximum`,
      );
  }
  return ACCEPTED;
}

/** What placing an order locks: KRW (incl. the fee reserved up front) for bids, the base asset for asks. */
export interface RequiredLock {
  readonly currency: string;
  readonly amount: Decimal;
}

/**
 * Amount locked when the order is accepted. Bids reserve total × (1 + fee) in KRW; asks lock the
 * volume and pay their fee out of the proceeds (PROTOCOL.md §6.1).
 */
export function requiredLock(o: OrderDraft, rules: MarketRules): RequiredLock {
  if (o.side === 'ask') {
    if (o.volume === undefined) throw new RangeError('an ask needs a volume to lock');
    return { currency: baseCurrency(o.market), amount: o.volume };
  }
  return { currency: QUOTE_CURRENCY, amount: orderLock(o, rules) };
}

/**
 * KRW a bid locks: total × (1 + taker fee) (`lockWithTakerFee`), computed once per limit order's
 * (price, volume) pair. Throws for a draft without a total (a market sell).
 */
export function orderLock(o: OrderDraft, rules: MarketRules): Krw {
  if (o.ordType === 'limit' && o.price !== undefined && o.volume !== undefined)
    return limitLock(o.price, o.volume, rules);
  const total = orderTotal(o);
  if (total === undefined) throw new RangeError('a bid needs a total to lock');
  return krw(lockWithTakerFee(total, rules));
}

/** Refuses an order whose lock exceeds the available balance of its currency. */
export function checkFunds(o: OrderDraft, available: Decimal, rules: MarketRules): ValidationResult {
  const lock = requiredLock(o, rules);
  if (lock.amount.lte(available)) return ACCEPTED;
  return reject(
    bySide(o.side, 'insufficient_funds_bid', 'insufficient_funds_ask'),
    `needs ${formatDecimal(lock.amount)} ${lock.currency} but only ${formatDecimal(available)} is available`,
  );
}
