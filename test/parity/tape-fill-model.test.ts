import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PaperVenue } from '../../executor/src/wiring/paper-venue';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import type { RestingOrder } from '../../shared/src/backtest/broker/resting-orders';
import { fillsFromTape } from '../../shared/src/backtest/broker/tape-fills';
import type { OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { decimalFromNumber } from '../../shared/src/domain/money/decimal';
import { price, volume } from '../../shared/src/domain/money/quantities';
import type { OrderSide } from '../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const T0 = Date.UTC(2026, 10, 5, 0, 0) as EpochMs;
const BID = 100_000_000;
const TICK = 1_000;

/** Volumes in whole satoshis (8 decimals), as Upbit prints them. */
const sats = (min: number, max: number) => fc.integer({ min, max }).map((n) => n / 1e8);

const scenario = fc.record({
  bidSizes: fc.array(sats(1, 5_000_000), { minLength: 5, maxLength: 5 }),
  askSizes: fc.array(sats(1, 5_000_000), { minLength: 5, maxLength: 5 }),
  // Offsets from the touch, 0..6 ticks away: beyond 4 is past the displayed depth (queue unknown).
  orders: fc.array(
    fc.record({
      side: fc.constantFrom<OrderSide>('bid', 'ask'),
      away: fc.integer({ min: 0, max: 6 }),
      volume: sats(10_000, 2_000_000),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  trades: fc.array(
    fc.record({
      ticks: fc.integer({ min: -8, max: 9 }),
      volume: sats(1, 3_000_000),
      takerSide: fc.constantFrom<OrderSide>('bid', 'ask'),
    }),
    { maxLength: 25 },
  ),
});

describe('paper venue and backtester: one tape fill model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qts-parity-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let run = 0;

  it('fills every resting order exactly as the backtester fills it from the same book and trades', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = new ManualClock(T0);
        const venue = new PaperVenue({
          markets: [BTC],
          clock,
          logger: new MemoryLogger(clock),
          stateFile: join(dir, `paper-${++run}.json`),
          balanceKrw: 1_000_000_000,
        });
        venue.fund('BTC', '100');
        const book: OrderbookSnapshot = {
          market: BTC,
          timestamp: T0,
          bids: s.bidSizes.map((size, k) => ({ price: BID - k * TICK, size })),
          asks: s.askSizes.map((size, k) => ({ price: BID + TICK + k * TICK, size })),
        };
        venue.onBook(book);
        const resting: RestingOrder[] = [];
        for (const [index, o] of s.orders.entries()) {
          const p = o.side === 'bid' ? BID - o.away * TICK : BID + TICK + o.away * TICK;
          const placed = await venue.placeOrder({
            market: BTC,
            side: o.side,
            ordType: 'limit',
            price: price(String(p)),
            volume: volume(decimalFromNumber(o.volume)),
            timeInForce: 'post_only',
            identifier: `qts.model-${index}.0.0` as never,
          });
          expect(placed.state).toBe('wait');
          resting.push({
            index,
            side: o.side,
            price: price(String(p)),
            remaining: volume(decimalFromNumber(o.volume)),
          });
        }
        const trades: Trade[] = s.trades.map((t, i) => ({
          market: BTC,
          timestamp: (T0 + 1 + i) as EpochMs,
          price: BID + t.ticks * TICK,
          volume: t.volume,
          takerSide: t.takerSide,
          sequentialId: String(i + 1),
        }));
        for (const t of trades) {
          clock.set(t.timestamp);
          venue.onTrade(t);
        }
        const expected = new Map(fillsFromTape({ trades, book }, resting).map((f) => [f.index, f.volume]));
        for (const [index, o] of resting.entries()) {
          const got = await venue.getOrder({ identifier: `qts.model-${index}.0.0` });
          expect(got?.executedVolume.toFixed()).toBe(expected.get(index)?.toFixed() ?? '0');
          for (const t of got?.trades ?? []) expect(t.price.eq(o.price)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('does not fill a resting order on a book that crosses it (a recorded book never traded with us)', async () => {
    const clock = new ManualClock(T0);
    const venue = new PaperVenue({
      markets: [BTC],
      clock,
      logger: new MemoryLogger(clock),
      stateFile: join(dir, 'crossed.json'),
      balanceKrw: 1_000_000,
    });
    const snap = (bid: number, ask: number): OrderbookSnapshot => ({
      market: BTC,
      timestamp: clock.now(),
      bids: [{ price: bid, size: 1 }],
      asks: [{ price: ask, size: 1 }],
    });
    venue.onBook(snap(BID, BID + TICK));
    await venue.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price(String(BID)),
      volume: volume('0.001'),
      timeInForce: 'post_only',
      identifier: 'qts.cross-1.0.0' as never,
    });
    venue.onBook(snap(BID - 2 * TICK, BID - TICK));
    expect((await venue.getOrder({ identifier: 'qts.cross-1.0.0' }))?.state).toBe('wait');
    // The queue ahead (1 BTC shown at our price on arrival) trades first; the excess reaches us.
    venue.onTrade({
      market: BTC,
      timestamp: clock.now(),
      price: BID,
      volume: 1.0004,
      takerSide: 'ask',
      sequentialId: '1',
    });
    expect((await venue.getOrder({ identifier: 'qts.cross-1.0.0' }))?.executedVolume.toFixed()).toBe(
      '0.0004',
    );
  });

  it('after a restart the queue a resting order joined is unknown: only prints beyond its price fill it', async () => {
    const clock = new ManualClock(T0);
    const options = {
      markets: [BTC],
      clock,
      logger: new MemoryLogger(clock),
      stateFile: join(dir, 'restart.json'),
      balanceKrw: 1_000_000,
    };
    const before = new PaperVenue(options);
    const book: OrderbookSnapshot = {
      market: BTC,
      timestamp: T0,
      bids: [{ price: BID, size: 0.1 }],
      asks: [{ price: BID + TICK, size: 1 }],
    };
    before.onBook(book);
    await before.placeOrder({
      market: BTC,
      side: 'bid',
      ordType: 'limit',
      price: price(String(BID)),
      volume: volume('0.002'),
      timeInForce: 'post_only',
      identifier: 'qts.restart-1.0.0' as never,
    });
    const after = new PaperVenue(options);
    after.onBook(book);
    // 0.5 at our price would have passed the 0.1 queue before the restart; now it is all "ahead".
    after.onTrade({
      market: BTC,
      timestamp: T0,
      price: BID,
      volume: 0.5,
      takerSide: 'ask',
      sequentialId: '1',
    });
    expect((await after.getOrder({ identifier: 'qts.restart-1.0.0' }))?.executedVolume.toFixed()).toBe('0');
    after.onTrade({
      market: BTC,
      timestamp: T0,
      price: BID - TICK,
      volume: 0.0015,
      takerSide: 'ask',
      sequentialId: '2',
    });
    expect((await after.getOrder({ identifier: 'qts.restart-1.0.0' }))?.executedVolume.toFixed()).toBe(
      '0.0015',
    );
  });
});
