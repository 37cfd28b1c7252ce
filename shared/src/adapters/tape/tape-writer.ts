import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import { kstDateKey } from '../../domain/time/kst-calendar';
import {
  formatBookLine,
  formatTradeLine,
  TAPE_TRADES_HEADER,
  type TapeBookRow,
  type TapeKind,
  type TapeTradeRow,
  tapeFilePath,
} from './tape-format';

/** Options of {@link TapeWriter}. */
export interface TapeWriterOptions {
  /** Root of the tape (`data/tape`). */
  readonly dir: string;
  /** A file's buffer is written as soon as it holds this much text (default 256 KB). */
  readonly maxBufferBytes?: number;
  /** Called when a write fails; the buffer is dropped (the tape is research data, trading goes on). */
  readonly onError?: (error: unknown, path: string) => void;
}

interface Pending {
  readonly path: string;
  lines: string[];
  bytes: number;
}

/** What the writer has done, for metrics. */
export interface TapeWriterStats {
  readonly rowsWritten: number;
  readonly bytesWritten: number;
  readonly writeErrors: number;
  readonly rowsBuffered: number;
}

/**
 * Appends tape rows to the day files of {@link tapeFilePath}, rotating by the KST date of each row.
 * Rows are buffered per file and written by {@link flush} (the caller's timer) as one complete gzip
 * member per file and flush, with one `write` each: a process killed at any instant leaves every file
 * a valid series of members and loses only what was still buffered. The CSV header is written when a
 * trades file is created.
 */
export class TapeWriter {
  readonly #dir: string;
  readonly #maxBufferBytes: number;
  readonly #onError: ((error: unknown, path: string) => void) | undefined;
  readonly #pending = new Map<string, Pending>();
  readonly #createdDirs = new Set<string>();
  #rowsWritten = 0;
  #bytesWritten = 0;
  #writeErrors = 0;
  #rowsBuffered = 0;

  constructor(options: TapeWriterOptions) {
    this.#dir = options.dir;
    this.#maxBufferBytes = options.maxBufferBytes ?? 256 * 1024;
    this.#onError = options.onError;
  }

  /** Buffers one trade for its market's file of the trade's KST day. */
  appendTrade(market: Market, row: TapeTradeRow): void {
    this.#append(market, 'trades', row.timestamp, formatTradeLine(row));
  }

  /** Buffers one order-book snapshot for its market's file of the snapshot's KST day. */
  appendBook(market: Market, row: TapeBookRow): void {
    this.#append(market, 'orderbook', row.t, formatBookLine(row));
  }

  /** Writes every buffered row (one gzip member per file). Never throws: failures go to `onError`. */
  flush(): void {
    for (const pending of this.#pending.values()) this.#write(pending);
    this.#pending.clear();
  }

  stats(): TapeWriterStats {
    return {
      rowsWritten: this.#rowsWritten,
      bytesWritten: this.#bytesWritten,
      writeErrors: this.#writeErrors,
      rowsBuffered: this.#rowsBuffered,
    };
  }

  #append(market: Market, kind: TapeKind, at: EpochMs, line: string): void {
    const path = tapeFilePath(this.#dir, kstDateKey(at), market, kind);
    let pending = this.#pending.get(path);
    if (pending === undefined) {
      pending = { path, lines: [], bytes: 0 };
      this.#pending.set(path, pending);
    }
    pending.lines.push(line);
    pending.bytes += line.length + 1;
    this.#rowsBuffered += 1;
    if (pending.bytes >= this.#maxBufferBytes) {
      this.#write(pending);
      this.#pending.delete(path);
    }
  }

  #write(pending: Pending): void {
    const rows = pending.lines.length;
    if (rows === 0) return;
    this.#rowsBuffered -= rows;
    try {
      const dir = dirname(pending.path);
      if (!this.#createdDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.#createdDirs.add(dir);
      }
      const isNew = sizeOf(pending.path) === 0;
      const header = isNew && pending.path.endsWith('.trades.csv.gz') ? `${TAPE_TRADES_HEADER}\n` : '';
      const member = gzipSync(`${header}${pending.lines.join('\n')}\n`);
      appendFileSync(pending.path, member);
      this.#rowsWritten += rows;
      this.#bytesWritten += member.length;
    } catch (error) {
      this.#writeErrors += 1;
      this.#onError?.(error, pending.path);
    }
    pending.lines = [];
    pending.bytes = 0;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
