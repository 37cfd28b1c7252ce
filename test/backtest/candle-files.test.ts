import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleDataError } from '../../shared/src/backtest/data/candle-data-error';
import { candlesOf, coarserGrid, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
import { barSteps } from '../../shared/src/backtest/engine/bar-steps';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import type { EpochMs } from '../../shared/src/domain/time/epoch';

const FIXTURES = join(__dirname, '../fixtures');

describe('candle files for --data', () => {
  it('tells the market from the file name, also inside names like upbit_krw-btc_1m_….json', () => {
    const [f] = findCandleFiles(join(FIXTURES, 'data/upbit_krw-btc_1m_2020-02-20.json'), []);
    expect(f).toMatchObject({ market: 'KRW-BTC', format: 'json' });
  });

  it('finds one file per market in a directory and names a missing market with what was found', () => {
    const dir = join(FIXTURES, 'backtest/bitstamp-daily');
    expect(findCandleFiles(dir, []).map((f) => f.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-LTC']);
    expect(() => findCandleFiles(dir, [parseMarket('KRW-XRP')])).toThrow(
      'no file for KRW-XRP (found: KRW-BTC, KRW-ETH, KRW-LTC)',
    );
  });

  it('reads ISO-date CSV rows inside a half-open window', () => {
    const [f] = findCandleFiles(join(FIXTURES, 'backtest/bitstamp-daily'), [parseMarket('KRW-ETH')]);
    const rows = [
      ...candlesOf(f as NonNullable<typeof f>, '1d', {
        from: Date.parse('2019-01-01') as EpochMs,
        to: Date.parse('2019-01-04') as EpochMs,
      }),
    ];
    expect(rows.map((c) => new Date(c.openTime).toISOString().slice(0, 10))).toEqual([
      '2019-01-01',
      '2019-01-02',
      '2019-01-03',
    ]);
  });

  it('refuses epoch-second timestamps instead of putting every bar in 1970', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qts-csv-'));
    const path = join(dir, 'KRW-BTC.csv');
    writeFileSync(path, 'timestamp,open,high,low,close,volume\n1613865600,1,1,1,1,1\n');
    const [f] = findCandleFiles(path, []);
    expect(() => [...candlesOf(f as NonNullable<typeof f>, '1m')]).toThrow(CandleDataError);
    expect(() => [...candlesOf(f as NonNullable<typeof f>, '1m')]).toThrow('looks like seconds');
  });

  it('merges markets into time steps ordered by market code', async () => {
    const files = findCandleFiles(join(FIXTURES, 'backtest/bitstamp-daily'), []);
    const sources = new Map(files.map((f) => [f.market, candlesOf(f, '1d')]));
    let steps = 0;
    for await (const step of barSteps(sources)) {
      expect(step.map((c) => c.market)).toEqual(['KRW-BTC', 'KRW-ETH', 'KRW-LTC']);
      expect(new Set(step.map((c) => c.openTime)).size).toBe(1);
      steps += 1;
    }
    expect(steps).toBe(600);
  });

  it('refuses day bars read as 1m bars and says which --timeframe the file is on', () => {
    const [f] = findCandleFiles(join(FIXTURES, 'backtest/bitstamp-daily'), [parseMarket('KRW-BTC')]);
    expect(() => [...candlesOf(f as NonNullable<typeof f>, '1m')]).toThrow(
      'bars are 1440 minutes apart, not 1m: this looks like 1d data, pass --timeframe 1d',
    );
    expect([...candlesOf(f as NonNullable<typeof f>, '1d')]).toHaveLength(600);
  });

  it('never takes real 1m data with quiet minutes, or a short file, for a coarser grid', () => {
    const minute = 60_000;
    // An illiquid market's 1m candles: irregular gaps, or a regular gap that is no timeframe.
    const quiet = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 5 * i : 5 * i + 1) * minute);
    expect(coarserGrid(quiet, '1m')).toBe(undefined);
    expect(
      coarserGrid(
        Array.from({ length: 30 }, (_, i) => 2 * i * minute),
        '1m',
      ),
    ).toBe(undefined);
    const regular = Array.from({ length: 30 }, (_, i) => 5 * i * minute);
    expect(coarserGrid(regular, '1m')).toBe(5 * minute);
    expect(coarserGrid(regular, '5m')).toBe(undefined);
    expect(coarserGrid(regular.slice(0, 20), '1m')).toBe(undefined);
    const [f] = findCandleFiles(join(FIXTURES, 'data/upbit_krw-btc_1m_2020-02-20.json'), []);
    expect([...candlesOf(f as NonNullable<typeof f>, '1m')]).toHaveLength(240);
  });
});
