import fc from 'fast-check';
import type { Market } from '../market/market-id';
import { KRW_MARKET_RULES, lockWithTakerFee, tickTableFor } from '../market/market-rules';
import { Decimal } from '../money/decimal';
import { type Price, price, type Volume, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import { limitLock, limitTotal, rememberAccepted, rememberAcceptedNew, wasAccepted } from './limit-facts';

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

  it('property: totals and locks exact, verdicts only for their very pair and shape, across every order of use', () => {
    // Prices on the tick grid and off it, 8-decimal volumes, the minimum order, zero and huge.
    const priceArb = fc.oneof(
      fc.constantFrom('5000', '0', '1', '135001000', '999999999999'),
      fc.integer({ min: 1, max: 2_000_000_000 }).map(String),
      fc.integer({ min: 1, max: 99_999_999 }).map((n) => `0.${String(n).padStart(8, '0')}`),
    );
    const volumeArb = fc.oneof(
      fc.constantFrom('0', '0.00000001', '1', '1.5', '123456789.12345678'),
      fc.integer({ min: 1, max: 9_999_999_999 }).map((n) => (n / 1e8).toFixed(8)),
    );
    const opArb = fc.record({
      pair: fc.nat({ max: 99 }),
      op: fc.constantFrom('total', 'lock', 'remember', 'rememberNew', 'ask'),
      side: fc.constantFrom('bid' as const, 'ask' as const),
      tif: fc.constantFrom(undefined, 'post_only' as const),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(priceArb, volumeArb), { minLength: 1, maxLength: 100 }),
        fc.array(opArb, { minLength: 1, maxLength: 300 }),
        (texts, ops) => {
          // Each pair's decimals made once: facts are found by the objects' identity.
          const pairs = texts.map(([p, v]) => pair(p, v));
          const remembered = new Map<number, { side: 'bid' | 'ask'; tif: 'post_only' | undefined }>();
          for (const { pair: n, op, side, tif } of ops) {
            const i = n % pairs.length;
            const [p, v] = pairs[i] as [Price, Volume];
            if (op === 'total') expect(limitTotal(p, v).toFixed()).toBe(p.times(v).toFixed());
            else if (op === 'lock')
              expect(limitLock(p, v, KRW_MARKET_RULES).toFixed()).toBe(
                lockWithTakerFee(p.times(v), KRW_MARKET_RULES).toFixed(),
              );
            else if (op === 'remember' || op === 'rememberNew') {
              const shape = { market: BTC, side, timeInForce: tif, rules: KRW_MARKET_RULES, table: TABLE };
              if (op === 'remember') rememberAccepted(p, v, shape);
              else rememberAcceptedNew(p, v, shape);
              remembered.set(i, { side, tif });
              // The newest entry is always found, with its shape only.
              expect(wasAccepted(p, v, BTC, side, tif, KRW_MARKET_RULES, TABLE)).toBe(true);
              expect(wasAccepted(p, v, 'KRW-ETH' as Market, side, tif, KRW_MARKET_RULES, TABLE)).toBe(false);
            } else {
              // A verdict is never claimed for a shape other than the last one remembered for the pair
              // (it may have fallen out of the ring: then none is).
              const last = remembered.get(i);
              const claimed = wasAccepted(p, v, BTC, side, tif, KRW_MARKET_RULES, TABLE);
              if (claimed) expect(last).toEqual({ side, tif });
            }
          }
        },
      ),
      { seed: 1616, numRuns: 200 },
    );
  });
});
