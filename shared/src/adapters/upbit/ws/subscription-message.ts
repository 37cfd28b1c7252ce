import type { StreamChannel, StreamSubscription } from '../../../ports/market-data-stream';

/** Upbit WebSocket formats the decoder understands (the `_LIST` variants are not used). */
export type WsFormat = 'DEFAULT' | 'SIMPLE';

/**
 * Builds the request array for one channel (PROTOCOL.md §7.2): ticket first, one object per type,
 * format last. Returns undefined when the subscription has nothing for that channel. Orderbook depth
 * is a code suffix (`KRW-BTC.15`); `myAsset` must not carry `codes`; `myOrder` without codes = all.
 */
export function buildSubscriptionMessage(
  ticket: string,
  subscription: StreamSubscription,
  channel: StreamChannel,
  format: WsFormat,
): string | undefined {
  const parts: unknown[] = [{ ticket }];
  if (channel === 'public') {
    if (subscription.ticker !== undefined && subscription.ticker.length > 0)
      parts.push({ type: 'ticker', codes: [...subscription.ticker] });
    if (subscription.trade !== undefined && subscription.trade.length > 0)
      parts.push({ type: 'trade', codes: [...subscription.trade] });
    const book = subscription.orderbook;
    if (book !== undefined && book.markets.length > 0) {
      const suffix = book.depth === undefined ? '' : `.${book.depth}`;
      parts.push({ type: 'orderbook', codes: book.markets.map((m) => `${m}${suffix}`) });
    }
    const candle = subscription.candle;
    if (candle !== undefined && candle.markets.length > 0)
      parts.push({ type: `candle.${candle.timeframe}`, codes: [...candle.markets] });
  } else {
    const myOrder = subscription.myOrder;
    if (myOrder === true) parts.push({ type: 'myOrder' });
    else if (myOrder !== undefined && myOrder.length > 0)
      parts.push({ type: 'myOrder', codes: [...myOrder] });
    if (subscription.myAsset === true) parts.push({ type: 'myAsset' });
  }
  if (parts.length === 1) return undefined;
  parts.push({ format });
  return JSON.stringify(parts);
}
