import fc from 'fast-check';
import { barPath, firstBeyond, volumeBeyond } from '../../shared/src/backtest/broker/bar-path';
import type { SimOrderSpec } from '../../shared/src/backtest/broker/sim-order';
import { SimulatedBroker } from '../../shared/src/backtest/broker/simulated-broker';
import { runBacktest } from '../../shared/src/backtest/engine/run-backtest';
import type { Candle, OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderIdentifier } from '../../shared/src/domain/orders/identifiers';
import { QuoteHints } from '../../shared/src/domain/strategies/quote-hints';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const T = Date.parse('2024-01-01T00:00:00Z') as EpochMs;
const NEXT = (T + MS.minute) as EpochMs;

function candle(o: number, h: number, l: number, c: number, vol: number, openTime = NEXT): Candle {
  return {
    market: BTC,
    timeframe: '1m',
    openTime,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: vol,
    quoteVolume: vol * c,
  };
}

function broker() {
  return new SimulatedBroker(krw('100000000'), KRW_MARKET_RULES, 0, () => 0.5);
}

let seq = 0;
function place(b: SimulatedBroker, side: 'bid' | 'ask', p: string, v: string) {
  const spec: SimOrderSpec = { kind: 'limit', side, price: price(p), volume: volume(v), postOnly: true };
  seq += 1;
  const r = b.place(
    {
      identifier: `qts.t-${seq}.0` as OrderIdentifier,
      market: BTC,
      strategy: 'market_making',
      spec,
      reason: `${side} ${p}`,
    },
    T,
    price('50000000'),
  );
  expect(r).toEqual({ ok: true });
}

/** Gives the broker's market_making position some BTC to quote an ask with. */
function holding(b: SimulatedBroker, btc: string) {
  b.place(
    {
      identifier: 'qts.seed.0' as OrderIdentifier,
      market: BTC,
      strategy: 'market_making',
      spec: { kind: 'market_buy', amount: krw(new Decimal(btc).times(50_001_000).ceil().plus(1000)) },
      reason: 'seed',
    },
    (T - MS.minute) as EpochMs,
    price('50000000'),
  );
  b.processBar(candle(50_000_000, 50_000_000, 50_000_000, 50_000_000, 10, T));
}

function trade(at: number, p: number, v: number, takerSide: 'bid' | 'ask'): Trade {
  return {
    market: BTC,
    timestamp: (NEXT + at) as EpochMs,
    price: p,
    volume: v,
    takerSide,
    sequentialId: `${at}`,
  };
}

describe('bar estimator: path and volume profile', () => {
  it('goes open → nearer extreme → farther extreme → close, ties to the extreme opposite the close', () => {
    expect(barPath(candle(100, 103, 95, 99, 1)).points).toEqual([100, 103, 95, 99]);
    expect(barPath(candle(100, 105, 97, 101, 1)).points).toEqual([100, 97, 105, 101]);
    expect(barPath(candle(100, 104, 96, 102, 1)).points).toEqual([100, 96, 104, 102]);
    expect(barPath(candle(100, 104, 96, 98, 1)).points).toEqual([100, 104, 96, 98]);
    expect(barPath(candle(100, 104, 96, 100, 1)).points).toEqual([100, 96, 104, 100]);
    // Bid at 97 is first passed on the way down from the high: 3 up, then 6 down.
    expect(firstBeyond(barPath(candle(100, 103, 95, 99, 1)), 97, 'bid')).toBe(9);
    expect(firstBeyond(barPath(candle(100, 103, 95, 99, 1)), 101, 'ask')).toBe(1);
    expect(firstBeyond(barPath(candle(100, 103, 95, 99, 1)), 103, 'ask')).toBeUndefined();
  });

  it('spreads volume evenly over the body and tapers it to zero at the extremes', () => {
    // Body 100–102, wicks to 96 and 104: mass 4/2 + 2 + 2/2 = 5 (density 1 on the body).
    const bar = candle(100, 104, 96, 102, 60);
    expect(volumeBeyond(bar, 96, 'bid')).toBe(0);
    expect(volumeBeyond(bar, 98, 'bid')).toBeCloseTo((60 * (2 ** 2 / (2 * 4))) / 5, 12); // 6
    expect(volumeBeyond(bar, 100, 'bid')).toBeCloseTo(24, 12);
    expect(volumeBeyond(bar, 101, 'bid')).toBeCloseTo(36, 12);
    expect(volumeBeyond(bar, 103, 'ask')).toBeCloseTo((60 * (1 / (2 * 2))) / 5, 12); // 3
    expect(volumeBeyond(bar, 104, 'ask')).toBe(0);
    expect(volumeBeyond(candle(100, 100, 100, 100, 60), 99, 'bid')).toBe(0);
  });

  it('never fills more than traded beyond the price, and shares it best price first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 49_000, max: 51_000 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: -500, max: 500 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 4 }),
        (openK, up, down, move, vol, depths) => {
          const open = openK * 1000;
          const close = Math.min(open + up * 1000, Math.max(open - down * 1000, open + move * 1000));
          const bar = candle(open, open + up * 1000, open - down * 1000, close, vol);
          const b = broker();
          const prices = depths.map((d) => open - d * 1000);
          for (const p of prices) place(b, 'bid', String(p), '0.002');
          const fills = b.processBar(bar).fills;
          let total = new Decimal(0);
          for (const f of fills) {
            expect(f.fill.isMaker).toBe(true);
            expect(f.fill.volume.decimalPlaces()).toBeLessThanOrEqual(8);
            expect(f.fill.volume.toNumber()).toBeLessThanOrEqual(
              volumeBeyond(bar, f.fill.price.toNumber(), 'bid') + 1e-12,
            );
            total = total.plus(f.fill.volume);
          }
          // Everything our bids took traded below the best of them.
          expect(total.toNumber()).toBeLessThanOrEqual(volumeBeyond(bar, Math.max(...prices), 'bid') + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fills a bid and an ask in one bar only when the path passes beyond both, in path order', () => {
    const b = broker();
    holding(b, '0.01');
    place(b, 'ask', '50100000', '0.002');
    place(b, 'bid', '49900000', '0.002');
    // Up to 50.3M first (nearer), then down to 49.5M: the ask fills before the bid.
    const both = b.processBar(candle(50_000_000, 50_300_000, 49_500_000, 49_800_000, 50)).fills;
    expect(both.map((f) => f.fill.side)).toEqual(['ask', 'bid']);

    const c = broker();
    holding(c, '0.01');
    place(c, 'ask', '50100000', '0.002');
    place(c, 'bid', '49900000', '0.002');
    // The high never passes the ask: only the bid fills.
    const one = c.processBar(candle(50_000_000, 50_100_000, 49_500_000, 49_800_000, 50)).fills;
    expect(one.map((f) => f.fill.side)).toEqual(['bid']);
  });
});

describe('tape-driven fills respect queue position', () => {
  const book = (bidSize: number): OrderbookSnapshot => ({
    market: BTC,
    timestamp: (NEXT - 5_000) as EpochMs,
    bids: [
      { price: 50_000_000, size: 2 },
      { price: 49_999_000, size: bidSize },
    ],
    asks: [{ price: 50_001_000, size: 1 }],
  });
  const bar = candle(50_000_000, 50_001_000, 49_998_000, 50_000_000, 5);

  it('fills a bid only after the displayed size ahead of it has traded', () => {
    const b = broker();
    place(b, 'bid', '49999000', '0.5');
    const trades = [
      trade(1_000, 50_000_000, 2, 'ask'), // the better level
      trade(2_000, 49_999_000, 0.7, 'ask'), // 0.3 of the 1.0 ahead still there
      trade(3_000, 50_001_000, 1, 'bid'), // a buyer: never fills a bid
      trade(4_000, 49_999_000, 0.5, 'ask'), // 0.3 clears the queue, 0.2 reaches us
    ];
    const fills = b.processBar(bar, { trades, book: book(1) }).fills;
    expect(fills.map((f) => [f.fill.price.toFixed(), f.fill.volume.toFixed(), f.fill.isMaker])).toEqual([
      ['49999000', '0.2', true],
    ]);
    expect(b.restingFillSources()).toEqual({ tape: 1, bar: 0 });
  });

  it('gives nothing at our price without a book (all of it was ahead), but a print beyond fills us', () => {
    const b = broker();
    place(b, 'bid', '49999000', '0.5');
    const atPrice = [trade(1_000, 49_999_000, 3, 'ask')];
    expect(b.processBar(bar, { trades: atPrice }).fills).toEqual([]);

    const c = broker();
    place(c, 'bid', '49999000', '0.5');
    const through = [trade(1_000, 49_999_000, 3, 'ask'), trade(2_000, 49_998_000, 0.1, 'ask')];
    const fills = c.processBar(bar, { trades: through }).fills;
    expect(fills.map((f) => f.fill.volume.toFixed())).toEqual(['0.1']);
  });

  it('shares one print among our orders best price first and never hands it out twice', () => {
    const b = broker();
    place(b, 'bid', '49998000', '0.5');
    place(b, 'bid', '49999000', '0.3');
    const fills = b.processBar(bar, { trades: [trade(1_000, 49_997_000, 0.4, 'ask')] }).fills;
    expect(fills.map((f) => [f.fill.price.toFixed(), f.fill.volume.toFixed()])).toEqual([
      ['49999000', '0.3'],
      ['49998000', '0.1'],
    ]);
  });

  it('falls back to the candle estimate on a bar the tape does not cover', () => {
    const b = broker();
    place(b, 'bid', '49999000', '1.5');
    const fills = b.processBar(bar, { trades: [] }).fills;
    expect(fills.map((f) => f.fill.volume.toFixed())).toEqual([
      new Decimal(volumeBeyond(bar, 49_999_000, 'bid')).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(),
    ]);
    expect(b.restingFillSources()).toEqual({ tape: 0, bar: 1 });
  });

  it('reaches the broker through the engine: trades and books of the bar, fills in the result', async () => {
    const closes = [50_000_000, 50_000_000];
    const bars = closes.map((c, i) => candle(c, c + 1000, c - 2000, c, 5, (T + i * MS.minute) as EpochMs));
    const bid = { strategy: 'market_making' as const, market: BTC, direction: 'flat' as const, strength: 0 };
    let calls = 0;
    const quoter = {
      name: 'market_making' as const,
      markets: [BTC],
      warmupBars: 0,
      onBar(b: Candle) {
        calls += 1;
        if (calls > 1) return [];
        return [
          {
            ...bid,
            at: (b.openTime + MS.minute) as EpochMs,
            reason: 'scripted quote',
            quotes: QuoteHints.of([{ side: 'bid', price: 49_999_000, sizeKrw: 99_998, layer: 0 }]),
          },
        ];
      },
    };
    const run = (tape: Trade[], books: OrderbookSnapshot[]) =>
      runBacktest({
        candlesByMarket: new Map([[BTC, bars]]),
        tradesByMarket: new Map([[BTC, tape]]),
        booksByMarket: new Map([[BTC, books]]),
        timeframe: '1m',
        strategies: ['market_making'],
        strategyInstances: [quoter as never],
        capital: krw('10000000'),
        feeRate: new Decimal('0.0005'),
        slippageBps: 0,
        seed: 1,
      });
    const queued = [book(0.003)];
    calls = 0;
    const behind = await run([trade(1_000, 49_999_000, 0.004, 'ask')], queued);
    calls = 0;
    const reached = await run([trade(1_000, 49_999_000, 0.0045, 'ask')], queued);
    expect(behind.trades.map((t) => t.volume)).toEqual(['0.001']);
    expect(reached.trades.map((t) => t.volume)).toEqual(['0.0015']);
    expect(reached.assumptions.restingFillSources).toEqual({ tape: 1, bar: 0 });
    expect(reached.assumptions.fillModel.join(' ')).toContain('recorded book showed');
  });
});
