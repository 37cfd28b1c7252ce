import type { Trade } from '../../shared/src/domain/market/market-data';
import { BTC, type Harness, startHarness } from './support/fake-harness';
import { isEvent, type RecordedStream, recordStream } from './support/stream-helpers';

describe('trade stream sequence: gaps are refilled from /trades/ticks, repeats dropped', () => {
  let h: Harness;
  let s: RecordedStream;

  /** Starts a trade stream on BTC (dense ids unless told otherwise) and waits for its snapshot. */
  async function startStream(denseTradeIds = true): Promise<void> {
    s = recordStream(h, { denseTradeIds });
    s.stream.subscribe({ trade: [BTC] });
    await s.stream.start();
    await s.next(isEvent('trade', (e) => e.streamType === 'SNAPSHOT'));
  }

  beforeEach(async () => {
    h = await startHarness();
    h.fake.controls.trade(BTC, '100000000', '0.001', 'bid');
  });
  afterEach(async () => {
    await s.stream.stop();
    await h.close();
  });

  const tradesSince = (from: number) =>
    s.events.slice(from).flatMap((e) => (e.type === 'trade' ? [e.trade] : []));
  /** Trades delivered from `from` on, live or refilled through `resynced`, in arrival order. */
  const deliveredSince = (from: number) =>
    s.events
      .slice(from)
      .flatMap((e) => (e.type === 'trade' ? [e.trade] : e.type === 'resynced' ? (e.trades ?? []) : []));
  /** Waits until a trade at `price` was delivered either way. */
  const delivered = async (price: number, from: number) => {
    for (const deadline = Date.now() + 3_000; !deliveredSince(from).some((t) => t.price === price); ) {
      if (Date.now() > deadline) throw new Error(`no trade at ${price} delivered`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const ascendingIds = (trades: readonly Trade[]) => {
    const ids = trades.map((t) => BigInt(t.sequentialId));
    return ids.every((id, i) => i === 0 || (ids[i - 1] ?? id) < id);
  };

  it('a skipped sequential id fetches the missed trades over REST and emits them in `resynced`, oldest first', async () => {
    await startStream();
    const from = s.events.length;
    h.fake.controls.faults.dropTradeFrames(2);
    for (const p of ['100100000', '100200000', '100300000']) h.fake.controls.trade(BTC, p, '0.002', 'ask');
    const resynced = await s.next(
      isEvent('resynced', (e) => e.trades !== undefined),
      { from },
    );
    expect(resynced.channel).toBe('public');
    expect(resynced.trades?.map((t) => [t.market, t.price, t.takerSide])).toEqual([
      [BTC, 100_100_000, 'ask'],
      [BTC, 100_200_000, 'ask'],
    ]);
    expect(tradesSince(from).map((t) => t.price)).toEqual([100_300_000]);
    expect(ascendingIds(deliveredSince(from).sort((a, b) => a.price - b.price))).toBe(true);
    expect(s.stream.counters().tradeGaps).toBe(1);
  });

  it('drops a trade it already delivered (the snapshot resent after a reconnect) instead of counting it twice', async () => {
    await startStream();
    h.fake.controls.trade(BTC, '100100000', '0.002', 'bid');
    await s.next(isEvent('trade', (e) => e.trade.price === 100_100_000));
    const from = s.events.length;
    h.fake.controls.faults.dropWebSockets();
    await s.next(isEvent('resynced'), { from });
    // The resubscription's SNAPSHOT repeats the last trade; wait until the stream has seen (and dropped) it.
    for (const deadline = Date.now() + 3_000; s.stream.counters().tradeGaps === 0; ) {
      if (Date.now() > deadline) throw new Error('the snapshot after the reconnect never came');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    h.fake.controls.trade(BTC, '100200000', '0.002', 'bid');
    await delivered(100_200_000, from);
    // The new trade came once (live, or from the reconnect's REST catch-up); the old one never again.
    expect(deliveredSince(from).map((t) => t.price)).toEqual([100_200_000]);
  });

  it("with Upbit's jumping ids (not dense) fetches what a dropped socket missed after the reconnect", async () => {
    await startStream(false);
    const from = s.events.length;
    // Two trades the socket never carries, then the socket dies: only REST can tell.
    h.fake.controls.faults.dropTradeFrames(2);
    h.fake.controls.trade(BTC, '100100000', '0.002', 'ask');
    h.fake.controls.trade(BTC, '100200000', '0.002', 'bid');
    expect(s.stream.counters().tradeGaps).toBe(0);
    h.fake.controls.faults.dropWebSockets();
    const resynced = await s.next(
      isEvent('resynced', (e) => e.trades !== undefined),
      { from },
    );
    // Only REST knows the older one; the newest may come first as the resubscription's snapshot.
    expect(resynced.trades?.map((t) => t.price)).toContain(100_100_000);
    expect(resynced.gapStartedAt).toBeLessThanOrEqual(resynced.at);
    h.fake.controls.trade(BTC, '100300000', '0.002', 'bid');
    await delivered(100_300_000, from);
    // Every trade exactly once, whichever way it came.
    const prices = deliveredSince(from).map((t) => t.price);
    expect(prices.sort()).toEqual([100_100_000, 100_200_000, 100_300_000]);
  });
});
