import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Market } from '../../domain/market/market-id';
import { CandleDataError } from './candle-data-error';
import { formatOf, marketFromName } from './candle-files';

/** What a tape file records: public trades, or order-book snapshots. */
export type TapeKind = 'trades' | 'books';

/** One file of a market's tape. */
export interface TapePart {
  readonly path: string;
  readonly format: 'csv' | 'json' | 'jsonl';
}

/** One market's tape: its files in time order (one per recorded day, or a single file). */
export interface TapeFile {
  readonly market: Market;
  readonly parts: readonly TapePart[];
}

// The tape recorder's layout: data/tape/<YYYY-MM-DD>/<MARKET>.trades.csv.gz and .orderbook.jsonl.gz.
const DATE_DIR = /^\d{4}-\d{2}-\d{2}$/;
const BOOK_FILE = /\.orderbook\.jsonl(\.gz)?$/i;

/** The format of a file of `kind`, or undefined when the file is not one. */
function classify(name: string, kind: TapeKind): TapePart['format'] | undefined {
  if (kind === 'books') return BOOK_FILE.test(name) ? 'jsonl' : undefined;
  if (/\.orderbook\./i.test(name)) return undefined;
  return formatOf(name);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    throw new CandleDataError(path, undefined, 'no such file or directory');
  }
}

/** The files of `kind` directly in `dir`, one per market (two for one market is an error). */
function scanDir(dir: string, kind: TapeKind, markets: readonly Market[]): Map<Market, TapePart> {
  const found = new Map<Market, TapePart>();
  for (const name of readdirSync(dir).sort()) {
    const format = classify(name, kind);
    const market = marketFromName(name);
    if (format === undefined || market === undefined) continue;
    if (markets.length > 0 && !markets.includes(market)) continue;
    const prior = found.get(market);
    if (prior !== undefined)
      throw new CandleDataError(
        dir,
        undefined,
        `several ${kind === 'trades' ? 'trade' : 'order-book'} files for ${market}: ${basename(prior.path)}, ${name}`,
      );
    found.set(market, { path: join(dir, name), format });
  }
  return found;
}

/**
 * Finds the tape of each wanted market. `path` is one file (market from its name, or the only
 * market), a directory of `KRW-XXX…` files, or a tape root holding `YYYY-MM-DD/` day directories
 * (as the executor's recorder writes them), whose files are chained in date order. Unlike candles,
 * a tape is optional per market: a market without one runs on bars alone. A file for a market the
 * run does not trade is ignored.
 */
export function findTapeFiles(path: string, markets: readonly Market[], kind: TapeKind): TapeFile[] {
  if (!isDir(path)) {
    const format = classify(path, kind);
    const what =
      kind === 'trades' ? '.csv or .json trade file (optionally .gz)' : '.orderbook.jsonl(.gz) file';
    if (format === undefined) throw new CandleDataError(path, undefined, `expected a ${what}`);
    const market = marketFromName(path) ?? (markets.length === 1 ? markets[0] : undefined);
    if (market === undefined)
      throw new CandleDataError(path, undefined, 'cannot tell the market: name the file KRW-XXX….csv|json');
    if (markets.length > 0 && !markets.includes(market))
      throw new CandleDataError(
        path,
        undefined,
        `tape for ${market}, but the run trades ${markets.join(',')}`,
      );
    return [{ market, parts: [{ path, format }] }];
  }
  const parts = new Map<Market, TapePart[]>();
  const add = (found: Map<Market, TapePart>) => {
    for (const [market, part] of found) parts.set(market, [...(parts.get(market) ?? []), part]);
  };
  add(scanDir(path, kind, markets));
  const days = readdirSync(path)
    .filter((n) => DATE_DIR.test(n) && isDir(join(path, n)))
    .sort();
  if (days.length > 0 && parts.size > 0)
    throw new CandleDataError(
      path,
      undefined,
      'holds both tape files and YYYY-MM-DD day directories: pass one day directory or the root of days only',
    );
  for (const day of days) add(scanDir(join(path, day), kind, markets));
  return [...parts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([market, list]) => ({ market, parts: list }));
}

/**
 * Where recorded order books for a trade tape are, when they were recorded next to it (the
 * recorder's layout): the tape's directory (or the file's), if it holds any `.orderbook.jsonl(.gz)`.
 */
export function siblingBookRoot(tradesPath: string): string | undefined {
  const root = isDir(tradesPath) ? tradesPath : dirname(tradesPath);
  try {
    return findTapeFiles(root, [], 'books').length > 0 ? root : undefined;
  } catch {
    return undefined;
  }
}
