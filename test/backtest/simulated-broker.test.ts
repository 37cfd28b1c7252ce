import type { SimOrderSpec } from '../../shared/src/backtest/broker/sim-order';
import { SimulatedBroker } from '../../shared/src/backtest/broker/simulated-broker';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const T = Date.parse('2020-02-20T00:00:00Z') as EpochMs;
const NEXT = (T + MS.minute) as EpochMs;

function candle(o: number, h: number, l: number, c: number, vol = 10): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime: NEXT,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: vol,
    quoteVolume: vol * c,
  };
}

function broker(slippageBps = 0, capital = '10000000') {
  return new SimulatedBroker(krw(capital), KRW_MARKET_RULES, slippageBps, () => 0.5);
}

function place(
  b: SimulatedBroker,
  spec: SimOrderSpec,
  strategy: 'market_making' | 'stat_arb' = 'market_making',
) {
  return b.place(
    { identifier: 'qts.t-1.0.0' as OrderIdentifier, market: BTC, strategy, spec, reason: 'test' },
    T,
    price('50000000'),
  );
}

const limit = (side: 'bid' | 'ask', p: string, v: string, postOnly = true): SimOrderSpec => ({
  kind: 'limit',
  side,
  price: price(p),
  volume: volume(v),
  postOnly,
});

describe('simulated broker (Upbit rules, exact decimals)', () => {
  it('does not fill a resting bid the bar only touches, and fills it as maker from the volume that traded below it', () => {
    const touch = broker();
    expect(place(touch, limit('bid', '49900000', '0.001')).ok).toBe(true);
    expect(touch.processBar(candle(50_000_000, 50_100_000, 49_900_000, 50_000_000)).fills).toEqual([]);
    expect(touch.cash.toFixed()).toBe('10000000');

    // One tick through: the profile credits only the wick's thin tip, (1,000)² / (2 × 101,000) of
    // the bar's 100,500 price-weighted mass × 10 BTC = 0.00049258 BTC (floored), a partial fill.
    const tip = broker();
    place(tip, limit('bid', '49900000', '0.001'));
    const partial = tip.processBar(candle(50_000_000, 50_100_000, 49_899_000, 50_000_000)).fills;
    expect(partial.map((f) => [f.fill.volume.toFixed(), f.fill.isMaker])).toEqual([['0.00049258', true]]);

    const through = broker();
    place(through, limit('bid', '49900000', '0.001'));
    const { fills } = through.processBar(candle(50_000_000, 50_100_000, 49_800_000, 50_000_000));
    expect(fills).toHaveLength(1);
    const f = fills[0]?.fill;
    expect([f?.price.toFixed(), f?.volume.toFixed(), f?.fee.toFixed(), f?.isMaker]).toEqual([
      '49900000',
      '0.001',
      '24.95',
      true,
    ]);
    // 10,000,000 − 49,900 − 24.95
    expect(through.cash.toFixed()).toBe('9950075.05');
  });

  it('rejects a post-only order that would cross the book on arrival, as Upbit does', () => {
    const b = broker();
    place(b, limit('bid', '50010000', '0.001'));
    const out = b.processBar(candle(50_000_000, 50_100_000, 49_000_000, 50_000_000));
    expect(out.fills).toEqual([]);
    expect(out.rejections.map((r) => r.code)).toEqual(['post_only_would_cross']);
    expect(b.commitments()).toEqual([]);
  });

  it('fills a crossing plain limit bid as taker at the ask plus slippage, never above its limit', () => {
    const b = broker(10);
    place(b, limit('bid', '50200000', '0.001', false));
    const { fills } = b.processBar(candle(50_000_000, 50_300_000, 49_900_000, 50_100_000));
    // ask 50,001,000 × (1 + 10 bps × 2 × 0.5) = 50,051,001 → rounded up to the 1,000 tick.
    expect(fills[0]?.fill.price.toFixed()).toBe('50052000');
    expect(fills[0]?.fill.isMaker).toBe(false);
  });

  it('refuses orders under 5,000 KRW, off the tick grid, with 9 decimals, or beyond the funds', () => {
    const b = broker(0, '100000');
    const code = (r: ReturnType<typeof place>) => (r.ok ? 'ok' : r.rejection.code);
    expect(code(place(b, limit('bid', '49000000', '0.0001')))).toBe('under_min_total_bid');
    expect(code(place(b, limit('bid', '49000500', '0.001')))).toBe('invalid_price_bid');
    expect(code(place(b, limit('bid', '49000000', '0.000123456')))).toBe('invalid_volume_bid');
    expect(code(place(b, limit('bid', '49000000', '0.003')))).toBe('insufficient_funds_bid');
    expect(code(place(b, { kind: 'market_sell', volume: volume('0.001') }))).toBe('insufficient_funds_ask');
    expect(code(place(b, { kind: 'market_buy', amount: krw('4999') }))).toBe('under_min_total_bid');
  });

  it('sells only what the strategy holds and realises PnL net of both fees', () => {
    const b = broker();
    place(b, { kind: 'market_buy', amount: krw('100000') });
    b.processBar(candle(50_000_000, 50_000_000, 50_000_000, 50_000_000));
    const held = b.positionOf(BTC, 'market_making', NEXT).volume;
    expect(held.toFixed()).toBe('0.00199996');
    expect(place(b, { kind: 'market_sell', volume: held }, 'stat_arb').ok).toBe(false);
    expect(place(b, { kind: 'market_sell', volume: held }).ok).toBe(true);
    const { fills } = b.processBar({
      ...candle(51_000_000, 51_000_000, 51_000_000, 51_000_000),
      openTime: (NEXT + MS.minute) as EpochMs,
    });
    // Cost 99,999.99996 + 49.99999998; net sale 101,997.96 − 50.99898 = 101,946.96102 → +1,896.96106002.
    expect(fills[0]?.realizedPnl.toFixed()).toBe('1896.96106002');
    expect(b.heldIn(BTC).isZero()).toBe(true);
  });
});
