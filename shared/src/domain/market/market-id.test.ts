import { baseCurrency, isMarket, MarketIdError, parseMarket } from './market-id';

describe('market ids', () => {
  it('accepts KRW markets and exposes the base currency', () => {
    expect(baseCurrency(parseMarket('KRW-BTC'))).toBe('BTC');
    expect(baseCurrency(parseMarket('KRW-1INCH'))).toBe('1INCH');
  });

  it('refuses lower case with a hint, non-KRW quotes and junk', () => {
    expect(() => parseMarket('krw-btc')).toThrow('did you mean KRW-BTC?');
    expect(() => parseMarket('BTC-ETH')).toThrow(MarketIdError);
    expect(() => parseMarket('USDT-BTC')).toThrow('expected an upper-case KRW market code');
    expect(() => parseMarket('KRW-')).toThrow(MarketIdError);
    expect(() => parseMarket('KRW-BTC ')).toThrow(MarketIdError);
    expect(isMarket('KRW-ETH')).toBe(true);
    expect(isMarket('KRWBTC')).toBe(false);
  });
});
