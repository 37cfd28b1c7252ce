import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/** One line of a text file with its 1-based number, for error messages that point at the row. */
export interface NumberedLine {
  readonly text: string;
  readonly lineNo: number;
}

/**
 * Streams a text file's lines in 1 MB chunks, trimmed, skipping blank lines and `#` comments. Shared
 * by the CSV candle and trade readers so a year of 1-minute bars or a day of ticks never sits in
 * memory at once, and both count lines the same way.
 */
export function* readLines(path: string): Generator<NumberedLine> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry = '';
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      const text = carry + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      carry = n === 0 ? '' : (lines.pop() ?? '');
      for (const raw of lines) {
        lineNo += 1;
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) continue;
        yield { text: line, lineNo };
      }
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
