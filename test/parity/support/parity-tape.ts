import { TapeWriter } from '../../../shared/src/adapters/tape/tape-writer';
import { parseMarket } from '../../../shared/src/domain/market/market-id';
import type { OrderSide } from '../../../shared/src/domain/orders/order-types';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';

/** The market of the parity tape. */
export const TAPE_MARKET = parseMarket('KRW-BTC');
/** First event of the tape: 2026-11-05 00:00 UTC (09:00 KST, so one KST day directory). */
export const TAPE_T0 = Date.UTC(2026, 10, 5, 0, 0, 0) as EpochMs;
/** One minute, the bar of the backtester's run over this tape. */
export const BAR_MS = 60_000;
/** Open of bar `n` (bar 0 opens at {@link TAPE_T0}). */
export const barOpen = (n: number) => (TAPE_T0 + n * BAR_MS) as EpochMs;

/** The same book at every bar open: bid 100,000,000 × 0.5 (the queue a joining bid waits behind), ask 100,001,000 × 0.3. */
const BOOK = {
  bids: [
    ['100000000', '0.5'],
    ['99999000', '1'],
    ['99998000', '2'],
  ],
  asks: [
    ['100001000', '0.3'],
    ['100002000', '1'],
    ['100003000', '2'],
  ],
} as const;

type Print = readonly [offsetMs: number, price: string, volume: string, takerSide: OrderSide];

/**
 * The prints of each bar. Bar 1 fills a 0.003 BTC bid resting at 100,000,000 from its bar's open:
 * 0.3 and then 0.2 of 0.201 sold AT the bid go to the 0.5 queue ahead, 0.001 reaches us; 0.0015 sold
 * below it all reaches us; a buy at the ask does not touch a bid; 0.0005 sold below completes it.
 * Bar 2 does the same for a 0.003 ask at 100,001,000 behind 0.3 (0.002 at the price after the queue,
 * then 0.001 bought above it). Prints beyond the price alone would fill only 0.002 of each order, so
 * a venue that ignores the queue model (or puts us first in the queue) cannot pass.
 */
export const PRINTS: readonly (readonly Print[])[] = [
  [
    [1_000, '100000000', '0.1', 'ask'],
    [2_000, '100001000', '0.05', 'bid'],
  ],
  [
    [1_000, '100000000', '0.3', 'ask'],
    [2_000, '100000000', '0.201', 'ask'],
    [3_000, '99999000', '0.0015', 'ask'],
    [4_000, '100001000', '0.01', 'bid'],
    [5_000, '99999000', '0.0005', 'ask'],
  ],
  [
    [1_000, '100000000', '0.01', 'ask'],
    [2_000, '100001000', '0.3', 'bid'],
    [3_000, '100001000', '0.002', 'bid'],
    [4_000, '100002000', '0.001', 'bid'],
  ],
  [[1_000, '100001000', '0.01', 'bid']],
];

/**
 * Writes the parity tape under `root` with the executor's own recorder (so it is exactly the format
 * a live recording has): a book at every bar open and the {@link PRINTS}. Small on purpose: every
 * fill of the parity test can be worked out by hand from this file.
 */
export function writeParityTape(root: string): void {
  const writer = new TapeWriter({ dir: root });
  let seq = 0;
  PRINTS.forEach((prints, bar) => {
    writer.appendBook(TAPE_MARKET, { t: barOpen(bar), bids: BOOK.bids, asks: BOOK.asks });
    for (const [offset, price, volume, side] of prints)
      writer.appendTrade(TAPE_MARKET, {
        timestamp: (barOpen(bar) + offset) as EpochMs,
        price,
        volume,
        side,
        sequentialId: String(++seq),
      });
  });
  writer.flush();
}
