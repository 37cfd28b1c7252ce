import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { parseMarket } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import { bookRow, TAPE_TRADES_HEADER, type TapeTradeRow, tapeFilePath, tradeRow } from './tape-format';
import { listTapeDays, readTapeBooks, readTapeTrades, tapeFilesOf } from './tape-reader';
import { TapeWriter } from './tape-writer';

const BTC = parseMarket('KRW-BTC');
// 2026-03-01 23:59:59.000 KST = 2026-03-01T14:59:59Z: the next second is another KST day.
const BEFORE_MIDNIGHT_KST = Date.UTC(2026, 2, 1, 14, 59, 59) as EpochMs;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qts-tape-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('tape writer and reader', () => {
  it('round-trips trades and books exactly, rotating at KST midnight, with the documented header and paths', async () => {
    const writer = new TapeWriter({ dir });
    const trades: TapeTradeRow[] = [
      tradeRow({
        market: BTC,
        timestamp: BEFORE_MIDNIGHT_KST,
        price: 150_000_000,
        volume: 0.00012,
        takerSide: 'bid',
        sequentialId: '17',
      }),
      tradeRow({
        market: BTC,
        timestamp: (BEFORE_MIDNIGHT_KST + 1000) as EpochMs,
        price: 149_999_000,
        volume: 1e-7,
        takerSide: 'ask',
        sequentialId: '18',
      }),
    ];
    for (const t of trades) writer.appendTrade(BTC, t);
    const book = bookRow({
      market: BTC,
      timestamp: BEFORE_MIDNIGHT_KST,
      bids: [{ price: 149_999_000, size: 0.5 }],
      asks: [{ price: 150_000_000, size: 1.25 }],
    });
    writer.appendBook(BTC, book);
    writer.flush();

    expect(listTapeDays(dir)).toEqual(['2026-03-01', '2026-03-02']);
    const first = tapeFilePath(dir, '2026-03-01', BTC, 'trades');
    expect(first).toBe(join(dir, '2026-03-01', 'KRW-BTC.trades.csv.gz'));
    expect(gunzipSync(readFileSync(first)).toString()).toBe(
      `${TAPE_TRADES_HEADER}\n${BEFORE_MIDNIGHT_KST},150000000,0.00012,bid,17\n`,
    );
    const all = [];
    for (const f of tapeFilesOf(dir, BTC, 'trades')) all.push(...(await collect(readTapeTrades(f))));
    expect(all).toEqual(trades);
    expect(all[1]?.volume).toBe('0.0000001');
    const bookFile = tapeFilePath(dir, '2026-03-01', BTC, 'orderbook');
    expect(gunzipSync(readFileSync(bookFile)).toString()).toBe(
      `{"t":${BEFORE_MIDNIGHT_KST},"bids":[["149999000","0.5"]],"asks":[["150000000","1.25"]]}\n`,
    );
    expect(await collect(readTapeBooks(bookFile))).toEqual([book]);
  });

  it('appends after a restart (a new gzip member, no second header) and reads across members', async () => {
    const rows = (from: number) =>
      Array.from({ length: 3 }, (_, i) => ({
        timestamp: (BEFORE_MIDNIGHT_KST - 10_000 + from + i) as EpochMs,
        price: `${100 + from + i}`,
        volume: '0.5',
        side: 'bid' as const,
        sequentialId: `${from + i}`,
      }));
    const a = new TapeWriter({ dir });
    for (const r of rows(0)) a.appendTrade(BTC, r);
    a.flush();
    const b = new TapeWriter({ dir });
    for (const r of rows(10)) b.appendTrade(BTC, r);
    b.flush();
    const file = tapeFilePath(dir, '2026-03-01', BTC, 'trades');
    expect(await collect(readTapeTrades(file))).toEqual([...rows(0), ...rows(10)]);
    expect(gunzipSync(readFileSync(file)).toString().split(TAPE_TRADES_HEADER).length).toBe(2);
  });

  it('reads everything written completely when the last member was cut short (crash or copy in progress)', async () => {
    const writer = new TapeWriter({ dir });
    const row = (i: number) => ({
      timestamp: (BEFORE_MIDNIGHT_KST - 5_000 + i) as EpochMs,
      price: '100',
      volume: '1',
      side: 'ask' as const,
      sequentialId: `${i}`,
    });
    writer.appendTrade(BTC, row(1));
    writer.flush();
    const file = tapeFilePath(dir, '2026-03-01', BTC, 'trades');
    const complete = statSync(file).size;
    for (let i = 2; i < 200; i++) writer.appendTrade(BTC, row(i));
    writer.flush();
    truncateSync(file, complete + Math.floor((statSync(file).size - complete) / 2));
    const read = await collect(readTapeTrades(file));
    expect(read[0]).toEqual(row(1));
    expect(read).toEqual(read.map((_, i) => row(i + 1)));
    expect(read.length).toBeGreaterThan(1);
  });

  it('names the file and line of a damaged row in the middle', async () => {
    const file = tapeFilePath(dir, '2026-03-01', BTC, 'trades');
    const writer = new TapeWriter({ dir });
    writer.appendTrade(BTC, {
      timestamp: BEFORE_MIDNIGHT_KST,
      price: '1',
      volume: '1',
      side: 'bid',
      sequentialId: '1',
    });
    writer.flush();
    appendFileSync(file, gzipSync('oops,1,1,bid,2\n1,1,1,bid,3\n'));
    await expect(collect(readTapeTrades(file))).rejects.toThrow(`${file}:3: bad timestamp "oops"`);
  });

  it('property: any trade rows round-trip byte for byte', async () => {
    const decimal = fc
      .tuple(fc.nat({ max: 10 ** 9 }), fc.nat({ max: 99_999_999 }))
      .map(([i, f]) => (f === 0 ? `${i}` : `${i}.${String(f).padStart(8, '0').replace(/0+$/, '')}`));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            timestamp: fc.integer({ min: BEFORE_MIDNIGHT_KST - 1000, max: BEFORE_MIDNIGHT_KST }),
            price: decimal,
            volume: decimal,
            side: fc.constantFrom('bid' as const, 'ask' as const),
            sequentialId: fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        async (rows) => {
          const sub = mkdtempSync(join(dir, 'p-'));
          const writer = new TapeWriter({ dir: sub, maxBufferBytes: 200 });
          for (const r of rows) writer.appendTrade(BTC, { ...r, timestamp: r.timestamp as EpochMs });
          writer.flush();
          const read = await collect(readTapeTrades(tapeFilePath(sub, '2026-03-01', BTC, 'trades')));
          expect(read).toEqual(rows);
        },
      ),
      { numRuns: 40 },
    );
  });
});
