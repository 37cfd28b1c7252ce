import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandleDataError } from '../../shared/src/backtest/data/candle-data-error';
import { candlesOf, findCandleFiles } from '../../shared/src/backtest/data/candle-files';
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
});
