import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { EpochMs } from '../../domain/time/epoch';
import { barSteps, SyncBarSteps } from './bar-steps';

function candle(market: string, openTime: number): Candle {
  return {
    market: market as Market,
    timeframe: '1m',
    openTime: openTime as EpochMs,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 0,
    quoteVolume: 0,
  };
}

async function asyncSteps(sources: ReadonlyMap<string, Candle[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const step of barSteps(sources)) out.push(step.map((c) => `${c.market}@${c.openTime}`).join());
  return out;
}

function syncSteps(sources: ReadonlyMap<string, Candle[]>, reuse: boolean): string[] {
  const steps = SyncBarSteps.of(sources, reuse) as SyncBarSteps;
  const out: string[] = [];
  for (let s = steps.next(); s !== undefined; s = steps.next())
    out.push(s.map((c) => `${c.market}@${c.openTime}`).join());
  return out;
}

describe('SyncBarSteps', () => {
  const cases: [string, Map<string, Candle[]>][] = [
    ['one market', new Map([['KRW-BTC', [0, 60, 120].map((t) => candle('KRW-BTC', t))]])],
    [
      'one market ending at a NaN time',
      new Map([['KRW-BTC', [0, Number.NaN, 120].map((t) => candle('KRW-BTC', t))]]),
    ],
    ['an empty market', new Map([['KRW-BTC', []]])],
    [
      'two markets with gaps',
      new Map([
        ['KRW-ETH', [60, 120].map((t) => candle('KRW-ETH', t))],
        ['KRW-BTC', [0, 120, 180].map((t) => candle('KRW-BTC', t))],
      ]),
    ],
  ];

  it.each(cases)('gives the steps barSteps gives: %s', async (_name, sources) => {
    const expected = await asyncSteps(sources);
    expect(syncSteps(sources, false)).toEqual(expected);
    expect(syncSteps(sources, true)).toEqual(expected);
  });

  it('refuses candles that do not increase in time, with one market as with several', async () => {
    const one = new Map([['KRW-BTC', [0, 60, 60].map((t) => candle('KRW-BTC', t))]]);
    await expect(asyncSteps(one)).rejects.toThrow(/not strictly increasing/);
    expect(() => syncSteps(one, true)).toThrow(/not strictly increasing/);
  });
});
