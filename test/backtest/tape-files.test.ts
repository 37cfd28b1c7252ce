import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { booksOf, findBookFiles } from '../../shared/src/backtest/data/book-files';
import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import { siblingBookRoot } from '../../shared/src/backtest/data/tape-files';
import { findTradeFiles, tradesOf } from '../../shared/src/backtest/data/trade-files';
import { parseMarket } from '../../shared/src/domain/market/market-id';

const BTC = parseMarket('KRW-BTC');
const ETH = parseMarket('KRW-ETH');
const BINANCE = 'binance_btcusdt_1m_2021-02-19_7d.json';

/** The workspace's shared data folder (`../shared/data` next to the checkout), wherever the checkout sits. */
function sharedData(): string | undefined {
  for (let dir = join(__dirname, '../../..'); dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'shared/data', BINANCE))) return join(dir, 'shared/data');
  return undefined;
}
const SHARED = sharedData();
const T = Date.parse('2024-08-09T00:00:00Z');

/** The executor's tape layout: data/tape/<day>/<MARKET>.trades.csv.gz and .orderbook.jsonl.gz. */
function recorderTape(): string {
  const root = mkdtempSync(join(tmpdir(), 'qts-tape-'));
  const day = (name: string, trades: string, books: string) => {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'KRW-BTC.trades.csv.gz'), gzipSync(trades));
    writeFileSync(join(root, name, 'KRW-BTC.orderbook.jsonl.gz'), gzipSync(books));
  };
  day(
    '2024-08-09',
    `timestamp,price,volume,side,sequential_id\n${T + 1000},50000000,0.01,ASK,17231612550000001\n${T + 2000},50001000,0.02,BID,17231612550000002\n`,
    `{"t":${T},"bids":[["50000000","1.5"]],"asks":[["50001000","0.7"]]}\n`,
  );
  day(
    '2024-08-10',
    `timestamp,price,volume,side,sequential_id\n${T + 86_400_000},50100000,0.03,ask,17232475550000001\n`,
    `{"t":${T + 86_400_000},"bids":[["50099000","2"]],"asks":[["50100000",0.1]]}\n`,
  );
  return root;
}

describe('tape recorder files (--trades data/tape, --books)', () => {
  it('chains the gzip trade files of every day in date order, with their sequential ids', () => {
    const root = recorderTape();
    const files = findTradeFiles(root, [BTC, ETH]);
    expect(files.map((f) => [f.market, f.parts.length])).toEqual([[BTC, 2]]);
    const trades = [...tradesOf(files[0] as (typeof files)[number])];
    expect(trades.map((t) => [t.timestamp - T, t.price, t.volume, t.takerSide, t.sequentialId])).toEqual([
      [1000, 50_000_000, 0.01, 'ask', '17231612550000001'],
      [2000, 50_001_000, 0.02, 'bid', '17231612550000002'],
      [86_400_000, 50_100_000, 0.03, 'ask', '17232475550000001'],
    ]);
    // One day directory on its own works too.
    expect(findTradeFiles(join(root, '2024-08-10'), [BTC])[0]?.parts).toHaveLength(1);
  });

  it('reads the order books next to the tape, levels as decimal strings or numbers', () => {
    const root = recorderTape();
    expect(siblingBookRoot(root)).toBe(root);
    expect(siblingBookRoot(join(root, '2024-08-09', 'KRW-BTC.trades.csv.gz'))).toBe(join(root, '2024-08-09'));
    const books = [...booksOf(findBookFiles(root, [BTC])[0] as ReturnType<typeof findBookFiles>[number])];
    expect(books.map((b) => [b.timestamp - T, b.bids, b.asks])).toEqual([
      [0, [{ price: 50_000_000, size: 1.5 }], [{ price: 50_001_000, size: 0.7 }]],
      [86_400_000, [{ price: 50_099_000, size: 2 }], [{ price: 50_100_000, size: 0.1 }]],
    ]);
  });

  it('refuses broken book lines, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-books-'));
    const path = join(dir, 'KRW-BTC.orderbook.jsonl');
    writeFileSync(path, `{"t":${T},"bids":[["x","1"]],"asks":[]}\n`);
    const read = () => [...booksOf(findBookFiles(dir, [BTC])[0] as ReturnType<typeof findBookFiles>[number])];
    expect(read).toThrow(/line 1: bids\[0\] must be \["price","size"\]/);
    writeFileSync(path, `{"t":${T + 5},"bids":[],"asks":[]}\n{"t":${T},"bids":[],"asks":[]}\n`);
    expect(read).toThrow(/line 2: snapshots must be in time order/);
  });

  it('never mistakes tape files for candle files', () => {
    const root = recorderTape();
    expect(() => findCandleFiles(join(root, '2024-08-09'), [])).toThrow(/no KRW-XXX\*\.csv\|json files/);
  });
});

describe('Binance-shaped candle JSON', () => {
  (SHARED === undefined ? it.skip : it)(
    'loads the shared BTCUSDT file for --market KRW-BTC, prices as they are',
    () => {
      const path = join(SHARED as string, BINANCE);
      const [file] = findCandleFiles(path, [BTC]);
      const bars = [...candlesOf(file as NonNullable<typeof file>, '1m')];
      expect(bars).toHaveLength(10_080);
      expect(bars[0]).toMatchObject({
        market: 'KRW-BTC',
        openTime: Date.parse('2021-02-19T00:00:00Z'),
        open: 51552.61,
        high: 51657.05,
        low: 51545,
        close: 51613.38,
        volume: 134.989218,
      });
    },
  );

  it('reads Binance kline arrays (GET /api/v3/klines) and gzip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-klines-'));
    const k = (t: number, c: string) => [t, c, c, c, c, '1.5', t + 59_999, '1', 1, '1', '1', '0'];
    writeFileSync(
      join(dir, 'KRW-BTC.json.gz'),
      gzipSync(JSON.stringify([k(T, '100.5'), k(T + 60_000, '101')])),
    );
    const [file] = findCandleFiles(dir, []);
    const bars = [...candlesOf(file as NonNullable<typeof file>, '1m')];
    expect(bars.map((b) => [b.openTime - T, b.close, b.volume])).toEqual([
      [0, 100.5, 1.5],
      [60_000, 101, 1.5],
    ]);
  });

  it('names both accepted shapes when a JSON file is neither', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-json-'));
    writeFileSync(join(dir, 'KRW-BTC.json'), JSON.stringify([{ time: T, price: 1 }]));
    const [file] = findCandleFiles(dir, []);
    expect(() => [...candlesOf(file as NonNullable<typeof file>, '1m')]).toThrow(
      /expected Upbit's candle format .* or Binance-style candles/,
    );
  });
});
