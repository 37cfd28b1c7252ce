import { bookRow, tradeRow } from '../../../shared/src/adapters/tape/tape-format';
import type { TapeWriter } from '../../../shared/src/adapters/tape/tape-writer';
import type { OrderbookSnapshot, Trade } from '../../../shared/src/domain/market/market-data';
import type { Market } from '../../../shared/src/domain/market/market-id';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { FeedListener } from '../feed/market-feed';
import { runEvery } from '../runtime/periodic';

/** Buffered tape rows are written this often (a crash loses at most this much tape). */
export const TAPE_FLUSH_MS = 5_000;

/**
 * Records the live trade tape (every trade) and order-book snapshots (at most one per market per
 * `orderbookIntervalMs`, 0 = every update) with the shared {@link TapeWriter}: gzip files per KST
 * day under `executor.tapeDir`, in the format the backtester and the sim replay.
 */
export class TapeRecorder implements FeedListener {
  readonly #lastBook = new Map<Market, number>();

  constructor(
    private readonly d: {
      readonly writer: TapeWriter;
      readonly orderbookIntervalMs: number;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  onTrade(trade: Trade): void {
    this.d.writer.appendTrade(trade.market, tradeRow(trade));
  }

  onBook(book: OrderbookSnapshot): void {
    const last = this.#lastBook.get(book.market);
    if (last !== undefined && book.timestamp - last < this.d.orderbookIntervalMs) return;
    this.#lastBook.set(book.market, book.timestamp);
    this.d.writer.appendBook(book.market, bookRow(book));
  }

  /** Flushes every {@link TAPE_FLUSH_MS} until `signal` aborts, then once more. */
  async run(signal: AbortSignal): Promise<void> {
    await runEvery('tape flush', TAPE_FLUSH_MS, async () => this.d.writer.flush(), {
      clock: this.d.clock,
      logger: this.d.logger,
      signal,
    });
    this.d.writer.flush();
  }
}
