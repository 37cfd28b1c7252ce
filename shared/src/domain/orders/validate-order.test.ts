import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { roundToTick } from '../market/tick-rounding';
import { tickTableAt } from '../market/tick-table';
import { Decimal } from '../money/decimal';
import { price, volume } from '../money/quantities';
import type { EpochMs } from '../time/epoch';
import type { OrderDraft } from './order-types';
import { checkFunds, orderTotal, requiredLock, validateOrder } from './validate-order';

const now = Date.parse('2026-11-25T13:00:00Z') as EpochMs;
const BTC = parseMarket('KRW-BTC');
const rules = KRW_MARKET_RULES;
const limit = (side: 'bid' | 'ask', p: string, v: string, extra: Partial<OrderDraft> = {}): OrderDraft => ({
  market: BTC,
  side,
  ordType: 'limit',
  price: price(p),
  volume: volume(v),
  ...extra,
});
const codeOf = (o: OrderDraft, ctx = {}) => {
  const r = validateOrder(o, rules, now, ctx);
  return r.ok ? 'ok' : r.rejection.code;
};

describe('validateOrder', () => {
  it('accepts a valid limit order on the grid', () => {
    expect(codeOf(limit('bid', '100000000', '0.001'))).toBe('ok');
  });

  it('refuses prices off the tick grid with Upbit side-specific names', () => {
    expect(codeOf(limit('bid', '100000500', '0.001'))).toBe('invalid_price_bid');
    expect(codeOf(limit('ask', '100000500', '0.001'))).toBe('invalid_price_ask');
  });

  it('accepts a price that is on the grid under the table in force and refuses it under the old one', () => {
    const o = limit('bid', '1500500', '0.01'); // 500-KRW grid before 2025-07-31, 1,000 after
    expect(validateOrder(o, rules, Date.parse('2025-01-01T00:00:00Z') as EpochMs).ok).toBe(true);
    expect(codeOf(o)).toBe('invalid_price_bid');
  });

  it('refuses volumes with more than 8 decimals and non-positive volumes', () => {
    expect(codeOf(limit('bid', '100000000', '0.000100001'))).toBe('invalid_volume_bid');
    expect(codeOf(limit('ask', '100000000', '0.000100001'))).toBe('invalid_volume_ask');
    expect(codeOf(limit('ask', '100000000', '0'))).toBe('invalid_volume_ask');
    expect(codeOf(limit('bid', '100000000', '0.00010000'))).toBe('ok');
  });

  it('refuses totals below 5,000 KRW and accepts exactly 5,000', () => {
    expect(codeOf(limit('bid', '100000000', '0.00004999'))).toBe('under_min_total_bid');
    expect(codeOf(limit('ask', '100000000', '0.00004999'))).toBe('under_min_total_ask');
    expect(codeOf(limit('bid', '100000000', '0.00005'))).toBe('ok');
    expect(codeOf({ market: BTC, side: 'bid', ordType: 'price', price: price('4999') })).toBe(
      'under_min_total_bid',
    );
    expect(codeOf({ market: BTC, side: 'bid', ordType: 'price', price: price('5000') })).toBe('ok');
  });

  it('values market sells at the reference price for the minimum', () => {
    const sell: OrderDraft = { market: BTC, side: 'ask', ordType: 'market', volume: volume('0.00004') };
    expect(codeOf(sell, { referencePrice: price('100000000') })).toBe('under_min_total_ask');
    expect(codeOf({ ...sell, volume: volume('0.0001') }, { referencePrice: price('100000000') })).toBe('ok');
  });

  it('refuses totals above 1,000,000,000 KRW', () => {
    expect(codeOf(limit('bid', '100000000', '10.00000001'))).toBe('over_krw_funds_bid');
  });

  it('refuses wrong field combinations with Upbit names', () => {
    expect(
      codeOf({ market: BTC, side: 'bid', ordType: 'price', price: price('10000'), volume: volume('1') }),
    ).toBe('create_bid_error');
    expect(
      codeOf({ market: BTC, side: 'ask', ordType: 'market', volume: volume('1'), price: price('1000') }),
    ).toBe('create_ask_error');
    expect(codeOf({ market: BTC, side: 'ask', ordType: 'price', price: price('10000') })).toBe(
      'create_ask_error',
    );
    expect(codeOf({ market: BTC, side: 'bid', ordType: 'best', price: price('10000') })).toBe(
      'invalid_time_in_force',
    );
    expect(
      codeOf({ market: BTC, side: 'bid', ordType: 'best', price: price('10000'), timeInForce: 'ioc' }),
    ).toBe('ok');
    expect(
      codeOf({ market: BTC, side: 'bid', ordType: 'price', price: price('10000'), timeInForce: 'ioc' }),
    ).toBe('invalid_time_in_force');
    expect(
      codeOf(limit('bid', '100000000', '0.001', { timeInForce: 'post_only', smpType: 'cancel_maker' })),
    ).toBe('invalid_post_only');
    expect(codeOf({ market: BTC, side: 'bid', ordType: 'limit', price: price('100000000') })).toBe(
      'validation_error',
    );
    expect(codeOf(limit('bid', '100000000', '0.001', { side: 'buy' as never }))).toBe('validation_error');
  });

  it('refuses identifiers longer than 64 characters', () => {
    expect(codeOf(limit('bid', '100000000', '0.001', { identifier: 'x'.repeat(65) }))).toBe(
      'invalid_parameter',
    );
    expect(codeOf(limit('bid', '100000000', '0.001', { identifier: 'x'.repeat(64) }))).toBe('ok');
  });
});

describe('funds', () => {
  it('locks total × (1 + fee) in KRW for bids and the volume for asks', () => {
    const bid = limit('bid', '155772000', '0.0001');
    expect(requiredLock(bid, rules)).toEqual({ currency: 'KRW', amount: new Decimal('15584.9886') });
    expect(requiredLock(limit('ask', '155772000', '0.0001'), rules)).toEqual({
      currency: 'BTC',
      amount: new Decimal('0.0001'),
    });
  });

  it('refuses an order whose lock exceeds the available balance', () => {
    const bid = limit('bid', '155772000', '0.0001');
    const r = checkFunds(bid, new Decimal('15584.9885'), rules);
    expect(r.ok ? 'ok' : r.rejection.code).toBe('insufficient_funds_bid');
    expect(checkFunds(bid, new Decimal('15584.9886'), rules).ok).toBe(true);
  });
});

describe('validated orders are never below the minimum (property)', () => {
  it('holds for random limit orders rounded to the grid', () => {
    const table = tickTableAt(now);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000_000 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.constantFrom('bid', 'ask') as fc.Arbitrary<'bid' | 'ask'>,
        (rawPrice, sats, side) => {
          const p = roundToTick(price(String(rawPrice)), side, { table });
          const o = limit(side, p.toFixed(), new Decimal(sats).div(1e8).toFixed());
          const result = validateOrder(o, rules, now);
          const total = orderTotal(o);
          if (result.ok) expect(total?.gte(rules.minTotal)).toBe(true);
          else if (total?.lt(rules.minTotal)) expect(result.rejection.code).toMatch(/^under_min_total_/);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
