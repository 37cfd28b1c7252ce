import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { gunzipSync } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;

/** One line of a text file with its 1-based number, for error messages that point at the row. */
export interface NumberedLine {
  readonly text: string;
  readonly lineNo: number;
}

/** True for a gzip-compressed file, by name (`….csv.gz`, `….jsonl.gz`), as the tape recorder writes them. */
export function isGzip(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/**
 * A whole text file, decompressed when its name ends in `.gz`. For JSON, which has no streaming
 * boundary; keep each file to a day or so (the tape recorder writes one per day and market).
 */
export function readTextFile(path: string): string {
  const bytes = readFileSync(path);
  return (isGzip(path) ? gunzipSync(bytes) : bytes).toString('utf8');
}

function* linesOf(chunks: Iterable<string>): Generator<NumberedLine> {
  let carry = '';
  let lineNo = 0;
  for (const chunk of chunks) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() ?? '';
    for (const raw of lines) {
      lineNo += 1;
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      yield { text: line, lineNo };
    }
  }
  const last = carry.trim();
  if (last !== '' && !last.startsWith('#')) yield { text: last, lineNo: lineNo + 1 };
}

function* fileChunks(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    // A multi-byte character may straddle two chunks: the decoder holds its first bytes back.
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) {
        yield decoder.end();
        return;
      }
      yield decoder.write(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a text file's lines in 1 MB chunks, trimmed, skipping blank lines and `#` comments. Shared
 * by the CSV candle, trade and order-book readers so a year of 1-minute bars never sits in memory
 * at once, and all count lines the same way. A `.gz` file is decompressed whole first: the tape
 * recorder writes one per market and day, which fits in memory, and Node has no synchronous
 * streaming inflate.
 */
export function readLines(path: string): Generator<NumberedLine> {
  return linesOf(isGzip(path) ? [readTextFile(path)] : fileChunks(path));
}
