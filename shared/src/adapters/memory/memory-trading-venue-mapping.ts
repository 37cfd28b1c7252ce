import { TradingError } from '../../domain/errors/trading-error';
import type { ExchangeTrade, OrderSnapshot } from '../../domain/exchange/exchange-order';
import type { ExchangeError, RawOrderRequest } from '../../domain/exchange/order-intake';
import type { OrderLookup } from '../../domain/exchange/order-registry';
import { formatDecimal } from '../../domain/money/decimal';
import type { EpochMs } from '../../domain/time/epoch';
import type { OrderRef, PlaceOrderRequest, VenueOrder, VenueTrade } from '../../ports/trading-venue';

/**
 * The request in the shape of Upbit's POST /orders body, so the paper venue enters the engine through
 * exactly the same intake (field order of checks, error names) as the fake exchange's HTTP route.
 */
export function toRawRequest(request: PlaceOrderRequest): RawOrderRequest {
  const raw: Record<string, unknown> = {
    market: request.market,
    side: request.side,
    ord_type: request.ordType,
    identifier: request.identifier,
  };
  if (request.price !== undefined) raw.price = formatDecimal(request.price);
  if (request.volume !== undefined) raw.volume = formatDecimal(request.volume);
  if (request.timeInForce !== undefined) raw.time_in_force = request.timeInForce;
  if (request.smpType !== undefined) raw.smp_type = request.smpType;
  return raw;
}

/** Port reference → engine lookup (the port's union has exactly one of the two keys). */
export function toLookup(ref: OrderRef): OrderLookup {
  return 'uuid' in ref ? { uuid: ref.uuid } : { identifier: ref.identifier };
}

function toVenueTrade(t: ExchangeTrade): VenueTrade {
  return {
    uuid: t.uuid,
    price: t.price,
    volume: t.volume,
    funds: t.funds,
    side: t.side,
    createdAt: Math.floor(t.createdAtUs / 1000) as EpochMs,
  };
}

/**
 * Engine snapshot → port order, with the same optional fields Upbit's order object has. Trades are
 * attached only when asked (Upbit lists them only on GET /order) so callers never come to rely on
 * fills in answers where the real venue has none.
 */
export function toVenueOrder(o: OrderSnapshot, withTrades: boolean): VenueOrder {
  return {
    uuid: o.uuid,
    ...(o.identifier === undefined ? {} : { identifier: o.identifier }),
    market: o.market,
    side: o.side,
    ordType: o.ordType,
    state: o.state,
    ...(o.price === undefined ? {} : { price: o.price }),
    ...(o.volume === undefined ? {} : { volume: o.volume }),
    ...(o.remainingVolume === undefined ? {} : { remainingVolume: o.remainingVolume }),
    executedVolume: o.executedVolume,
    executedFunds: o.executedFunds,
    reservedFee: o.reservedFee,
    remainingFee: o.remainingFee,
    paidFee: o.paidFee,
    locked: o.locked,
    ...(o.timeInForce === undefined ? {} : { timeInForce: o.timeInForce }),
    tradesCount: o.trades.length,
    createdAt: o.createdAt,
    ...(withTrades ? { trades: o.trades.map(toVenueTrade) } : {}),
  };
}

/**
 * An engine refusal as the port's error: every engine refusal is the exchange saying no (4xx), so it
 * is `rejected` and carries Upbit's error name as `code`, exactly what the HTTP adapter produces.
 */
export function toTradingError(error: ExchangeError, context: string, advice = ''): TradingError {
  const text = `paper venue ${context} refused: ${error.name}: ${error.message}${advice}`;
  return new TradingError('rejected', text, {
    code: error.name,
    status: error.status,
  });
}
