import type { OrderbookSnapshot, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import { type EpochMs, MS } from '../../../shared/src/domain/time/epoch';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { MarketDataSource } from '../../../shared/src/ports/market-data-source';
import type { MarketDataStore } from '../../../shared/src/ports/market-data-store';
import type { ConnectionState, StreamChannel } from '../../../shared/src/ports/market-data-stream';
import type { ExecutorMetrics } from '../health/metrics';
import { describeError, pause } from '../runtime/periodic';
import type { FeedListener } from './market-feed';
import { MinuteBars } from './minute-bars';
import { MinuteFeatures } from './minute-features';

/** A minute is written this long after it ends, so trades printed at :59.9 still count. */
export const MINUTE_GRACE_MS = 2_000;
/** Upbit serves at most 200 candles per call; a longer gap is backfilled for its last 200 minutes. */
const MAX_BACKFILL_MINUTES = 200;

/** Ports of {@link MarketDataWriter}. */
export interface MarketDataWriterDeps {
  readonly store: MarketDataStore;
  readonly source: MarketDataSource;
  readonly markets: readonly Market[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ExecutorMetrics;
  /** strategies.microstructure.params.volumeBarKrw. */
  readonly volumeBarKrw: number;
}

function minuteOf(at: number): number {
  return Math.floor(at / MS.minute) * MS.minute;
}

/**
 * Writes what the minute analysis reads: every minute, the closed 1-minute candles built from the
 * trade tape and the minute's microstructure features, per market. Whenever the public stream was
 * down (and at start, from the last stored candle), the affected minutes are fetched from REST and
 * written over, so the analysis never sees a hole the exchange itself does not have (Upbit makes no
 * candle for a minute without trades). Features cannot be rebuilt for a gap: those minutes have none.
 */
export class MarketDataWriter implements FeedListener {
  readonly #bars = new Map<Market, MinuteBars>();
  readonly #features = new Map<Market, MinuteFeatures>();
  #gapSince: number | undefined;
  readonly #backfills: { from: number; to: number }[] = [];

  constructor(private readonly d: MarketDataWriterDeps) {
    for (const m of d.markets) {
      this.#bars.set(m, new MinuteBars(m));
      this.#features.set(m, new MinuteFeatures(m, d.volumeBarKrw));
    }
  }

  onBook(book: OrderbookSnapshot): void {
    this.#features.get(book.market)?.onBook(book);
  }

  onTrade(trade: Trade): void {
    this.#bars.get(trade.market)?.add(trade);
    this.#features.get(trade.market)?.onTrade(trade);
  }

  onConnection(channel: StreamChannel, state: ConnectionState): void {
    if (channel !== 'public') return;
    const now = this.d.clock.now();
    if (state !== 'open') this.#gapSince ??= now;
    else if (this.#gapSince !== undefined) {
      this.#backfills.push({ from: minuteOf(this.#gapSince), to: now });
      this.#gapSince = undefined;
    }
  }

  /** Writes the minutes closed by now (minus the grace), then runs pending backfills. */
  async flush(): Promise<void> {
    const before = (this.d.clock.now() - MINUTE_GRACE_MS) as EpochMs;
    const candles = [...this.#bars.values()].flatMap((b) => b.takeClosed(before));
    if (candles.length > 0) {
      await this.d.store.putCandles(candles);
      this.d.metrics.marketDataWrites.inc({ kind: 'candle' }, candles.length);
    }
    for (const f of this.#features.values())
      for (const row of f.takeClosed(before)) {
        await this.d.store.putFeatures(row);
        this.d.metrics.marketDataWrites.inc({ kind: 'features' });
      }
    for (const gap of this.#backfills.splice(0)) await this.backfill(gap.from, gap.to);
  }

  /** Fetches the closed 1-minute candles of `[from, to)` from REST for every market and stores them. */
  async backfill(from: number, to: number): Promise<number> {
    const end = minuteOf(to);
    const start = Math.max(minuteOf(from), end - MAX_BACKFILL_MINUTES * MS.minute);
    if (start >= end) return 0;
    let written = 0;
    for (const market of this.d.markets) {
      try {
        const count = Math.min(MAX_BACKFILL_MINUTES, Math.ceil((end - start) / MS.minute));
        const candles = (
          await this.d.source.getCandles({ market, timeframe: '1m', to: end as EpochMs, count })
        ).filter((c) => c.openTime >= start && c.openTime < end);
        if (candles.length > 0) await this.d.store.putCandles(candles);
        written += candles.length;
      } catch (error) {
        this.d.logger.warn('candle backfill failed; retried after the next gap or restart', {
          market,
          error: describeError(error),
        });
      }
    }
    this.d.metrics.marketDataWrites.inc({ kind: 'backfill' }, written);
    this.d.logger.info('candles backfilled from REST', {
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      candles: written,
    });
    return written;
  }

  /** At start: fills from each market's last stored candle (up to 200 minutes back) to now. */
  async backfillSinceStored(): Promise<void> {
    const now = this.d.clock.now();
    let from: number = now;
    for (const m of this.d.markets) {
      const [last] = await this.d.store.latestCandles(m, '1m', 1);
      from = Math.min(
        from,
        last === undefined ? now - MAX_BACKFILL_MINUTES * MS.minute : last.openTime + MS.minute,
      );
    }
    await this.backfill(from, now);
  }

  /** Flushes shortly after every minute boundary until `signal` aborts (then once more). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const now = this.d.clock.now();
      await pause(this.d.clock, MS.minute - (now % MS.minute) + MINUTE_GRACE_MS, signal);
      await this.flush().catch((error: unknown) =>
        this.d.logger.warn('market data write failed; retried next minute', { error: describeError(error) }),
      );
    }
  }
}
