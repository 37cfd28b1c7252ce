/**
 * Audit (audit6): the binary column cache and the candle views against the CSV reader on the
 * doubles a real file can hold and the synthetic tests never write: −0 volumes, subnormal and
 * 1e308 volumes, prices from 1e-300 to 1e15, 17-digit fractions, exponent notation, timestamps up
 * to year 9999. Claim: a cache build, a cache hit and `columnCandleViews` give exactly the CSV
 * reader's candles, field by field (Object.is: −0 is not +0).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { MS } from '../../domain/time/epoch';
import { toCandleColumns } from './candle-columns';
import { type CandleFile, candlesOf } from './candle-files';
import { columnCandleViews } from './candle-views';

const MARKET = 'KRW-PEPE' as Market;
const FIELDS = ['openTime', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume'] as const;

const positive = fc.oneof(
  fc.double({ min: 1e-300, max: 1e15, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    5e-324,
    1e-300,
    0.1 + 0.2,
    1 / 3,
    2 ** 53 + 2,
    9_007_199_254_740_994,
    0.000012345678901234568,
  ),
);
const size = fc.oneof(
  positive,
  fc.constantFrom(-0, 0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e-8),
);

/** One valid row: four prices sorted into low ≤ open, close ≤ high; volume and quote volume. */
const rowArb = fc
  .record({
    prices: fc.array(positive, { minLength: 4, maxLength: 4 }),
    volume: size,
    quote: size,
    withQuote: fc.boolean(),
    text: fc.constantFrom('plain', 'exp', 'padded'),
  })
  .map(({ prices, volume, quote, withQuote, text }) => {
    const [low, a, b, high] = [...prices].sort((x, y) => x - y) as [number, number, number, number];
    return { open: a, close: b, low, high, volume, quote: withQuote ? quote : undefined, text };
  });

type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function cell(x: number, text: Row['text']): string {
  if (text === 'exp') return x.toExponential();
  if (text === 'padded') return ` ${String(x)} `;
  return Object.is(x, -0) ? '-0' : String(x);
}

function csvOf(rows: readonly Row[], start: number): string {
  // The quote volume column only when every row has one (the reader takes 6 or 7 columns).
  const withQuote = rows.every((r) => r.quote !== undefined);
  const lines = [`timestamp,open,high,low,close,volume${withQuote ? ',quote_volume' : ''}`];
  rows.forEach((r, i) => {
    const cells = [r.open, r.high, r.low, r.close, r.volume].map((x) => cell(x, r.text));
    if (withQuote) cells.push(cell(r.quote ?? 0, r.text));
    lines.push([String(start + i * MS.minute), ...cells].join(','));
  });
  return `${lines.join('\n')}\n`;
}

function sameCandles(actual: readonly Candle[], expected: readonly Candle[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((c, i) => {
    const e = expected[i] as Candle;
    for (const f of FIELDS)
      if (!Object.is(c[f], e[f])) throw new Error(`row ${i} ${f}: ${String(c[f])} vs ${String(e[f])}`);
    expect([c.market, c.timeframe]).toEqual([e.market, e.timeframe]);
  });
}

describe('audit: column cache and candle views (claim: the CSV reader’s candles, bit for bit)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-a6-cache-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the CSV candles when built, when hit and as column views', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(Date.UTC(2025, 0, 1), Date.UTC(9999, 11, 31, 23, 0), 1_000_000_000_020_000),
        (rows, start) => {
          n += 1;
          const path = join(dir, `c${n}.csv`);
          writeFileSync(path, csvOf(rows, start));
          const file: CandleFile = { market: MARKET, path, format: 'csv' };
          const options = {
            dir: join(dir, 'cache'),
            onWarning: (m: string) => {
              throw new Error(m);
            },
          };
          let expected: Candle[];
          try {
            expected = [...candlesOf(file, '1m')];
          } catch (error) {
            // A row the reader refuses (close × volume past 1e308) is refused through the cache too.
            const message = (error as Error).message;
            expect(() => [...candlesOf(file, '1m', {}, options)]).toThrow(message);
            return;
          }
          sameCandles([...candlesOf(file, '1m', {}, options)], expected); // built
          sameCandles([...candlesOf(file, '1m', {}, options)], expected); // hit
          const cols = toCandleColumns(expected);
          sameCandles(
            [...columnCandleViews(cols, MARKET, '1m')].map(
              (c) => ({ ...c, ...Object.fromEntries(FIELDS.map((f) => [f, c[f]])) }) as Candle,
            ),
            expected,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('audit: CSV cells that are not numbers (side finding, not a fast path)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qts-a6-cells-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Was a counterexample (fixed: csv-candle-reader.ts numberCell): `Number('')` is 0 and `Number('0x10')` is 16, so a row with an empty volume
  // cell (a truncated export, a spreadsheet's blank) loads as a bar on which nothing traded, and a
  // hex cell as a number, instead of "line N: volume is not a number". Money: backtest only (the
  // live feed never reads CSV): every resting order of that bar fills nothing (a blank quote
  // volume reads as 0 KRW), silently. Minimal input: the row `1735689600000,100,101,99,100,`.
  // Fault: csv-candle-reader.ts parseRow (`Number(c.trim())` without a numeric-text check).
  it('refuses a row whose volume cell is empty', () => {
    const path = join(dir, 'blank.csv');
    writeFileSync(path, 'timestamp,open,high,low,close,volume\n1735689600000,100,101,99,100,\n');
    const file: CandleFile = { market: MARKET, path, format: 'csv' };
    expect(() => [...candlesOf(file, '1m')]).toThrow(/line 2: volume is empty/);
  });

  it.each([
    ['0x64,101,99,100,5', /open is "0x64"/],
    ['100,101,99,100, ', /volume is empty/],
    ['100,101,99,100,5,', /quote_volume is empty/],
    ['100,101,99,+,5', /close is "\+"/],
    ['100,101,99,100,0b1', /volume is "0b1"/],
  ])('refuses the cells of %j', (cells, message) => {
    const path = join(dir, 'cells.csv');
    writeFileSync(path, `timestamp,open,high,low,close,volume\n1735689600000,${cells}\n`);
    const file: CandleFile = { market: MARKET, path, format: 'csv' };
    expect(() => [...candlesOf(file, '1m')]).toThrow(message);
  });
});
