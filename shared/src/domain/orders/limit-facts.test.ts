import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, lockWithTakerFee, tickTableFor } from '../market/market-rules';
import { Decimal } from '../money/decimal';
import { type Price, price, type Volume, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { limitLock, limitTotal, rememberAccepted, wasAccepted } from './limit-facts';

const BTC = 'KRW-BTC' as Market;
const NOW = Date.UTC(2026, 10, 25) as EpochMs;
const TABLE = tickTableFor(KRW_MARKET_RULES, NOW);

const pair = (p: string, v: string): [Price, Volume] => [price(new Decimal(p)), volume(new Decimal(v))];

describe('limit facts', () => {
  it('returns the exact total and lock, the same objects on a repeat, fresh ones for another price object', () => {
    const [p, v] = pair('135001000', '0.00074073');
    const total = limitTotal(p, v);
    expect(total.toFixed()).toBe(p.times(v).toFixed());
    expect(limitTotal(p, v)).toBe(total);
    const lock = limitLock(p, v, KRW_MARKET_RULES);
    expect(lock.toFixed()).toBe(lockWithTakerFee(p.times(v), KRW_MARKET_RULES).toFixed());
    // An equal price in another object is another pair: computed again (same value).
    const other = price(new Decimal('135002000'));
    expect(limitTotal(other, v).toFixed()).toBe(other.times(v).toFixed());
    expect(limitTotal(p, v)).toBe(total);
  });

  it('remembers an accepted verdict only for the very same shape', () => {
    const [p, v] = pair('135001000', '0.001');
    const shape = { market: BTC, side: 'bid' as const, timeInForce: 'post_only' as const };
    expect(wasAccepted(p, v, BTC, 'bid', 'post_only', KRW_MARKET_RULES, TABLE)).toBe(false);
    rememberAccepted(p, v, { ...shape, rules: KRW_MARKET_RULES, table: TABLE });
    expect(wasAccepted(p, v, BTC, 'bid', 'post_only', KRW_MARKET_RULES, TABLE)).toBe(true);
    expect(wasAccepted(p, v, BTC, 'ask', 'post_only', KRW_MARKET_RULES, TABLE)).toBe(false);
    expect(wasAccepted(p, v, BTC, 'bid', undefined, KRW_MARKET_RULES, TABLE)).toBe(false);
    expect(wasAccepted(p, v, 'KRW-ETH' as Market, 'bid', 'post_only', KRW_MARKET_RULES, TABLE)).toBe(false);
    expect(wasAccepted(p, v, BTC, 'bid', 'post_only', { ...KRW_MARKET_RULES }, TABLE)).toBe(false);
    expect(
      wasAccepted(price(new Decimal('135001000')), v, BTC, 'bid', 'post_only', KRW_MARKET_RULES, TABLE),
    ).toBe(false);
  });

  it('forgets pairs that fell out of the ring (and then recomputes them exactly)', () => {
    const [p, v] = pair('5000', '1.5');
    rememberAccepted(p, v, {
      market: BTC,
      side: 'bid',
      timeInForce: undefined,
      rules: KRW_MARKET_RULES,
      table: TABLE,
    });
    for (let i = 0; i < 200; i++) limitTotal(price(new Decimal(1000 + i)), volume(new Decimal(i + 1)));
    expect(wasAccepted(p, v, BTC, 'bid', undefined, KRW_MARKET_RULES, TABLE)).toBe(false);
    expect(limitTotal(p, v).toFixed()).toBe('7500');
  });
});
