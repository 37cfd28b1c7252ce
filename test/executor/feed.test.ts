import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookFreshnessWatch } from '../../executor/src/feed/book-freshness-watch';
import { MarketDataWriter } from '../../executor/src/feed/market-data-writer';
import { MarketFeed } from '../../executor/src/feed/market-feed';
import { MarketState } from '../../executor/src/feed/market-state';
import { executorMetrics, MetricsRegistry } from '../../executor/src/health/metrics';
import { TapeRecorder } from '../../executor/src/tape/tape-recorder';
import { MemoryLogger } from '../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../shared/src/adapters/memory/manual-clock';
import { MemoryMarketDataSource } from '../../shared/src/adapters/memory/memory-market-data-source';
import { MemoryMarketDataStore } from '../../shared/src/adapters/memory/memory-market-data-store';
import { MemoryMarketDataStream } from '../../shared/src/adapters/memory/memory-market-data-stream';
import { MemoryNotifier } from '../../shared/src/adapters/memory/memory-notifier';
import { readTapeBooks, readTapeTrades, tapeFilesOf } from '../../shared/src/adapters/tape/tape-reader';
import { TapeWriter } from '../../shared/src/adapters/tape/tape-writer';
import type { Candle, OrderbookSnapshot, Trade } from '../../shared/src/domain/market/market-data';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { BTC } from './support/memory-world';

/** 2026-03-02 10:00:00 KST. */
const M0 = Date.UTC(2026, 2, 2, 1, 0, 0);
let id = 0;

function trade(at: number, p: number, v: number, takerSide: 'bid' | 'ask' = 'bid'): Trade {
  return {
    market: BTC,
    timestamp: at as EpochMs,
    price: p,
    volume: v,
    takerSide,
    sequentialId: String(++id),
  };
}

function book(at: number, bid: number, bidSize: number, ask: number, askSize: number): OrderbookSnapshot {
  return {
    market: BTC,
    timestamp: at as EpochMs,
    bids: [
      { price: bid, size: bidSize },
      { price: bid - 1000, size: 1 },
    ],
    asks: [
      { price: ask, size: askSize },
      { price: ask + 1000, size: 1 },
    ],
  };
}

function writerWorld() {
  const clock = new ManualClock(M0);
  const store = new MemoryMarketDataStore();
  const source = new MemoryMarketDataSource({ markets: [BTC], clock });
  const logger = new MemoryLogger(clock);
  const writer = new MarketDataWriter({
    store,
    source,
    markets: [BTC],
    clock,
    logger,
    metrics: executorMetrics(new MetricsRegistry()),
    volumeBarKrw: 1_000_000,
  });
  return { clock, store, source, writer, logger };
}

describe('market data writer', () => {
  it('writes 1-minute candles from the tape and the minute features once the minute (plus grace) is over', async () => {
    const { clock, store, writer } = writerWorld();
    writer.onBook(book(M0 + 100, 100_000_000, 1, 100_001_000, 1));
    writer.onBook(book(M0 + 200, 100_000_000, 2, 100_001_000, 1));
    writer.onTrade(trade(M0 + 1_000, 100_001_000, 0.01, 'bid'));
    writer.onTrade(trade(M0 + 2_000, 100_002_000, 0.02, 'bid'));
    writer.onTrade(trade(M0 + 59_000, 99_999_000, 0.005, 'ask'));
    writer.onTrade(trade(M0 + 61_000, 100_000_000, 0.001, 'ask'));
    clock.set(M0 + 61_000);
    await writer.flush();
    expect(await store.latestCandles(BTC, '1m', 10)).toEqual([]);
    clock.set(M0 + 62_000);
    await writer.flush();
    const [candle] = await store.latestCandles(BTC, '1m', 10);
    expect(candle).toMatchObject({
      openTime: M0,
      open: 100_001_000,
      high: 100_002_000,
      low: 99_999_000,
      close: 99_999_000,
    });
    expect(candle?.volume).toBeCloseTo(0.035, 12);
    const features = await store.getFeatures(BTC, M0 as EpochMs);
    // One OFI event (bid size 1 → 2 at the same price): +2 − 1 = +1, normalised +1.
    expect(features?.values).toMatchObject({
      ofi: 1,
      ofiSum: 1,
      bookUpdates: 2,
      trades: 3,
      tickUp: 1,
      tickDown: 1,
      volumeBars: 2,
    });
    expect(features?.values.buyVolume).toBeCloseTo(0.03, 12);
    expect(features?.values.spreadBps).toBeCloseTo(0.09999, 4);
  });

  it('backfills the minutes of a feed gap from REST so the analysis sees no hole', async () => {
    const { clock, store, source, writer } = writerWorld();
    const rest: Candle[] = [0, 1, 2].map((i) => ({
      market: BTC,
      timeframe: '1m',
      openTime: (M0 + i * 60_000) as EpochMs,
      open: 1,
      high: 2,
      low: 1,
      close: 2,
      volume: 1,
      quoteVolume: 1,
    }));
    source.loadCandles(rest);
    writer.onConnection('public', 'closed');
    clock.set(M0 + 3 * 60_000 + 5_000);
    writer.onConnection('public', 'open');
    await writer.flush();
    expect((await store.latestCandles(BTC, '1m', 10)).map((c) => c.openTime)).toEqual(
      rest.map((c) => c.openTime),
    );
  });
});

describe('market feed routing and the tape recorder', () => {
  it('routes books and trades to listeners, keeps the touch, and records the tape with the book throttle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-feed-'));
    try {
      const clock = new ManualClock(M0);
      const stream = new MemoryMarketDataStream();
      const feed = new MarketFeed({
        stream,
        markets: [BTC],
        clock,
        logger: new MemoryLogger(clock),
        privateChannel: false,
      });
      const writer = new TapeWriter({ dir });
      feed.listen(
        new TapeRecorder({ writer, orderbookIntervalMs: 1_000, clock, logger: new MemoryLogger(clock) }),
      );
      await feed.start();
      feed.route({
        type: 'orderbook',
        book: book(M0, 100_000_000, 1, 100_001_000, 1),
        streamType: 'REALTIME',
      });
      feed.route({
        type: 'orderbook',
        book: book(M0 + 500, 100_000_000, 3, 100_001_000, 1),
        streamType: 'REALTIME',
      });
      feed.route({
        type: 'orderbook',
        book: book(M0 + 1_000, 100_000_000, 4, 100_001_000, 1),
        streamType: 'REALTIME',
      });
      feed.route({ type: 'trade', trade: trade(M0 + 700, 100_001_000, 0.01), streamType: 'REALTIME' });
      feed.route({
        type: 'resynced',
        channel: 'public',
        gapStartedAt: M0 as EpochMs,
        at: (M0 + 2_000) as EpochMs,
        trades: [trade(M0 + 1_500, 100_000_000, 0.02, 'ask')],
      });
      expect(feed.state.touch(BTC)?.bid.toFixed()).toBe('100000000');
      expect(feed.state.view(BTC).lastTradePrice?.toFixed()).toBe('100000000');
      writer.flush();
      const [tradesFile] = tapeFilesOf(dir, BTC, 'trades');
      const [booksFile] = tapeFilesOf(dir, BTC, 'orderbook');
      const trades = [];
      for await (const t of readTapeTrades(tradesFile as string)) trades.push(t);
      const books = [];
      for await (const b of readTapeBooks(booksFile as string)) books.push(b);
      expect(trades.map((t) => `${t.side} ${t.price} ${t.volume}`)).toEqual([
        'bid 100001000 0.01',
        'ask 100000000 0.02',
      ]);
      expect(books.map((b) => b.t)).toEqual([M0, M0 + 1_000]);
      await feed.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Found by the reliability campaign (exchange faults, stale book): with the orderbook stream stalled
// but the socket open and trades still arriving, the executor kept pricing orders off the old book.
describe('stale books pause a market and resume it by themselves', () => {
  it('stops offering a book for pricing after executor.staleBookSeconds, alerts, and resumes on the next update', async () => {
    const clock = new ManualClock(M0);
    const state = new MarketState([BTC], { now: () => clock.now(), maxBookAgeMs: 10_000 });
    const notifier = new MemoryNotifier('en');
    const logger = new MemoryLogger(clock);
    const watch = new BookFreshnessWatch({ market: state, clock, logger, notifier });
    // The exchange's timestamp is irrelevant (a replay or a fast sim has any time): arrival counts.
    state.applyBook(book(M0 - 3_600_000, 99_999_000, 1, 100_000_000, 1));
    state.applyTrade(trade(M0, 100_000_000, 0.001));
    expect(state.touch(BTC)?.bid.toFixed()).toBe('99999000');
    expect(state.view(BTC).book).toBeDefined();
    watch.check();
    await clock.advance(10_001);
    expect(state.staleMarkets()).toEqual([BTC]);
    expect(state.touch(BTC)).toBeUndefined();
    expect(state.view(BTC).book).toBeUndefined();
    // Marks for equity keep the last price: a stale mark beats no mark.
    expect(state.bestBids().get(BTC)?.toFixed()).toBe('99999000');
    watch.check();
    watch.check();
    expect(watch.paused()).toEqual([BTC]);
    state.applyBook(book(M0, 99_998_000, 1, 100_000_000, 1));
    expect(state.touch(BTC)?.bid.toFixed()).toBe('99998000');
    watch.check();
    expect(watch.paused()).toEqual([]);
    expect(notifier.sent.map((a) => [a.key, a.severity])).toEqual([
      ['feed:stale_book:KRW-BTC', 'warning'],
      ['feed:book_fresh:KRW-BTC', 'info'],
    ]);
    expect(notifier.sent[0]?.text.en).toContain('paused');
  });
});
