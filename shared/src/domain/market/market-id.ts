declare const marketBrand: unique symbol;

/** An Upbit KRW market code such as `KRW-BTC` (quote first, upper case). */
export type Market = string & { readonly [marketBrand]: 'Market' };

/** Why a market code was refused; the message says the expected shape. */
export class MarketIdError extends Error {
  override readonly name = 'MarketIdError';
}

// Upbit base symbols are upper-case letters and digits (e.g. KRW-1INCH, KRW-BTC).
const KRW_MARKET = /^KRW-[A-Z0-9]{1,20}$/;

/**
 * Parses a market code. Only KRW spot markets are traded by this system, so `BTC-ETH` or
 * `USDT-BTC` are refused here rather than deep in the order path. Lower case is refused too:
 * Upbit's WebSocket silently ignores lower-case codes.
 */
export function parseMarket(text: string): Market {
  if (!KRW_MARKET.test(text)) {
    const hint = KRW_MARKET.test(text.toUpperCase()) ? ` (did you mean ${text.toUpperCase()}?)` : '';
    throw new MarketIdError(
      `invalid market "${text}"${hint}: expected an upper-case KRW market code such as KRW-BTC`,
    );
  }
  return text as Market;
}

/** True when the text is a valid KRW market code. */
export function isMarket(text: string): text is Market {
  return KRW_MARKET.test(text);
}

/** The traded asset of a market (`KRW-BTC` → `BTC`), which is also its balance currency. */
export function baseCurrency(market: Market): string {
  return market.slice(4);
}

/** Quote currency; always KRW for the markets this system accepts. */
export const QUOTE_CURRENCY = 'KRW';
