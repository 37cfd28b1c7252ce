import type { Market } from '../../../shared/src/domain/market/market-id';
import { type Decimal, parseDecimal } from '../../../shared/src/domain/money/decimal';
import { price, volume } from '../../../shared/src/domain/money/quantities';
import {
  type OrderIdentifier,
  orderIdentifier,
  parseDecisionId,
} from '../../../shared/src/domain/orders/identifiers';
import type { OrderSide, OrdType, TimeInForce } from '../../../shared/src/domain/orders/order-types';
import type { Balance, PlaceOrderRequest } from '../../../shared/src/ports/trading-venue';

let counter = 0;

/** A fresh deterministic-format identifier per call (tests share one fake, identifiers are forever). */
export function freshId(label: string): OrderIdentifier {
  counter += 1;
  return orderIdentifier(parseDecisionId(`t-${label}-${process.pid}-${counter}`));
}

/** Shorthand for a placement request with decimal strings. */
export function order(
  market: Market,
  side: OrderSide,
  ordType: OrdType,
  fields: {
    price?: string;
    volume?: string;
    tif?: TimeInForce;
    identifier?: OrderIdentifier;
    label?: string;
  },
): PlaceOrderRequest {
  return {
    market,
    side,
    ordType,
    ...(fields.price === undefined ? {} : { price: price(fields.price) }),
    ...(fields.volume === undefined ? {} : { volume: volume(fields.volume) }),
    ...(fields.tif === undefined ? {} : { timeInForce: fields.tif }),
    identifier: fields.identifier ?? freshId(fields.label ?? ordType),
  };
}

/** Available and locked of one currency as exact decimals (zero when absent). */
export function holding(
  balances: readonly Balance[],
  currency: string,
): { balance: Decimal; locked: Decimal } {
  const row = balances.find((b) => b.currency === currency);
  return { balance: row?.balance ?? parseDecimal('0'), locked: row?.locked ?? parseDecimal('0') };
}

/** Decimal text without trailing zeros, for readable exact assertions. */
export function text(value: Decimal | undefined): string | undefined {
  return value?.toFixed();
}
