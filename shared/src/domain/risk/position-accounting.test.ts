import fc from 'fast-check';
import { isTradingError } from '../errors/trading-error';
import { KRW_MARKET_RULES } from '../market/market-rules';
import { ZERO } from '../money/decimal';
import { price } from '../money/quantities';
import type { Fill } from '../trading/fill';
import type { Position } from '../trading/position';
import { exposureBook } from './exposure';
import {
  applyFillToPosition,
  averageEntryNumber,
  averageEntryPrice,
  emptyPosition,
  isDust,
  unrealizedPnl,
} from './position-accounting';
import { BTC, dec, ETH, fillOf, invariant, T0 } from './testing/risk-builders';

describe('applyFillToPosition', () => {
  it('adds buys at cost including the fee and realises sells net of both fees', () => {
    let p = emptyPosition(BTC, 'momentum_scalping', T0);
    // Buy 0.01 BTC at 100,000,000: value 1,000,000, fee 500 → cost 1,000,500.
    p = applyFillToPosition(p, fillOf({ side: 'bid', price: '100000000', volume: '0.01' })).position;
    expect(p.cost.toFixed()).toBe('1000500');
    expect(averageEntryPrice(p)?.toFixed()).toBe('100050000');
    expect(averageEntryNumber(p)).toBe(100_050_000);
    expect(averageEntryNumber(emptyPosition(BTC, 'momentum_scalping', T0))).toBeUndefined();
    // Sell half at 101,000,000: value 505,000, fee 252.5, released cost 500,250 → realised 4,497.5.
    const sold = applyFillToPosition(p, fillOf({ side: 'ask', price: '101000000', volume: '0.005' }));
    expect(sold.realizedPnl.toFixed()).toBe('4497.5');
    expect(sold.position.cost.toFixed()).toBe('500250');
    expect(sold.position.volume.toFixed()).toBe('0.005');
    expect(sold.position.feesPaid.toFixed()).toBe('752.5');
    // Sell the rest at 99,000,000: value 495,000, fee 247.5 → realised −5,497.5; position flat.
    const closed = applyFillToPosition(
      sold.position,
      fillOf({ side: 'ask', price: '99000000', volume: '0.005' }),
    );
    expect(closed.realizedPnl.toFixed()).toBe('-5497.5');
    expect(closed.position.volume.isZero()).toBe(true);
    expect(closed.position.cost.isZero()).toBe(true);
    expect(closed.position.realizedPnl.toFixed()).toBe('-1000');
    expect(closed.position.openedAt).toBeUndefined();
  });

  it('refuses to sell more than held as a fatal invariant failure', () => {
    const p = applyFillToPosition(
      emptyPosition(BTC, 'momentum_scalping', T0),
      fillOf({ side: 'bid', price: '100000000', volume: '0.001' }),
    ).position;
    let caught: unknown;
    try {
      applyFillToPosition(p, fillOf({ side: 'ask', price: '100000000', volume: '0.00100001' }));
    } catch (e) {
      caught = e;
    }
    expect(isTradingError(caught, 'fatal')).toBe(true);
    expect((caught as { code: string }).code).toBe('oversold_position');
  });

  it('refuses a fill for another market or strategy', () => {
    const p = emptyPosition(BTC, 'momentum_scalping', T0);
    expect(() =>
      applyFillToPosition(p, fillOf({ market: ETH, side: 'bid', price: '5000000', volume: '1' })),
    ).toThrow(/not this position/);
    expect(() =>
      applyFillToPosition(p, fillOf({ strategy: 'stat_arb', side: 'bid', price: '5000000', volume: '1' })),
    ).toThrow(/not this position/);
  });

  it('values unrealised PnL after the sell fee and flags dust', () => {
    const p = applyFillToPosition(
      emptyPosition(BTC, 'momentum_scalping', T0),
      fillOf({ side: 'bid', price: '100000000', volume: '0.01' }),
    ).position;
    // 0.01 × 100,000,000 × 0.9995 − 1,000,500 = −1,000 (both fees).
    expect(unrealizedPnl(p, price('100000000'), KRW_MARKET_RULES.takerFee).toFixed()).toBe('-1000');
    expect(isDust(p, KRW_MARKET_RULES.minTotal)).toBe(false);
    expect(isDust({ ...p, cost: dec(4999) } as Position, KRW_MARKET_RULES.minTotal)).toBe(true);
  });
});

// Prices on the 1,000-KRW grid of BTC, volumes with 8 decimals: the shapes Upbit fills really have.
const priceArb = fc.integer({ min: 90_000, max: 110_000 }).map((k) => String(k * 1000));
const volumeArb = fc.integer({ min: 1, max: 2_000_000 }).map((n) => (n / 1e8).toFixed(8));
const stepArb = fc.record({
  key: fc.constantFrom(0, 1, 2),
  buy: fc.boolean(),
  price: priceArb,
  volume: volumeArb,
  sellShare: fc.integer({ min: 1, max: 100 }),
  maker: fc.boolean(),
});

const KEYS = [
  { market: BTC, strategy: 'momentum_scalping' as const },
  { market: BTC, strategy: 'stat_arb' as const },
  { market: ETH, strategy: 'momentum_scalping' as const },
];

describe('position accounting (property)', () => {
  it('never drifts from the sum of fills', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 10 }), (steps) => {
        const positions: Position[] = KEYS.map((k) => emptyPosition(k.market, k.strategy, T0));
        const boughtVol = KEYS.map(() => ZERO);
        const soldVol = KEYS.map(() => ZERO);
        const cashFlow = KEYS.map(() => ZERO); // proceeds − purchase costs, fees included
        const fees = KEYS.map(() => ZERO);
        for (const s of steps) {
          const k = KEYS[s.key] as (typeof KEYS)[number];
          const pos = positions[s.key] as Position;
          let fill: Fill;
          if (s.buy || pos.volume.isZero()) {
            fill = fillOf({ ...k, side: 'bid', price: s.price, volume: s.volume });
          } else {
            const v = pos.volume.times(s.sellShare).div(100).toDecimalPlaces(8, 1);
            if (v.isZero()) continue;
            fill = fillOf({ ...k, side: 'ask', price: s.price, volume: v.toFixed() });
          }
          const fee = s.maker ? fill.price.times(fill.volume).times(KRW_MARKET_RULES.makerFee) : fill.fee;
          fill = { ...fill, fee: fee as Fill['fee'] };
          positions[s.key] = applyFillToPosition(pos, fill).position;
          const value = fill.price.times(fill.volume);
          fees[s.key] = (fees[s.key] ?? ZERO).plus(fill.fee);
          if (fill.side === 'bid') {
            boughtVol[s.key] = (boughtVol[s.key] ?? ZERO).plus(fill.volume);
            cashFlow[s.key] = (cashFlow[s.key] ?? ZERO).minus(value).minus(fill.fee);
          } else {
            soldVol[s.key] = (soldVol[s.key] ?? ZERO).plus(fill.volume);
            cashFlow[s.key] = (cashFlow[s.key] ?? ZERO).plus(value).minus(fill.fee);
          }
        }
        let costSum = ZERO;
        positions.forEach((p, i) => {
          invariant(p.volume.eq((boughtVol[i] ?? ZERO).minus(soldVol[i] ?? ZERO)), 'volume = bought − sold');
          // Exact identity: realised − cost = Σ proceeds − Σ purchase costs (fees on both legs).
          invariant(p.realizedPnl.minus(p.cost).eq(cashFlow[i] ?? ZERO), 'realised − cost = net cash flow');
          invariant(p.feesPaid.eq(fees[i] ?? ZERO), 'fees = Σ fill fees');
          invariant(!p.cost.isNegative(), 'cost ≥ 0');
          invariant(p.cost.isZero() === p.volume.isZero(), 'cost is zero exactly when flat');
          if (!p.volume.isZero()) costSum = costSum.plus(p.cost);
          // The cached double is the decimal average's own conversion, before and after a re-read.
          expect(averageEntryNumber(p)).toBe(averageEntryPrice(p)?.toNumber());
          expect(averageEntryNumber(p)).toBe(averageEntryPrice(p)?.toNumber());
        });
        const book = exposureBook(positions, []);
        invariant(book.total.eq(costSum), 'exposure = Σ cost of holdings');
        const btc = book.byMarket.get(BTC) ?? ZERO;
        const eth = book.byMarket.get(ETH) ?? ZERO;
        invariant(btc.plus(eth).eq(book.total), 'per-market exposure sums to the total');
      }),
      { numRuns: 3000 },
    );
  });
});
